"""The alert outbox sender: delivers stored alerts to the nurses, retrying, never twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.dialogue.respond import Responder
from bot.metrics import ALERTS_FAILED, ALERTS_SENT
from bot.store.connect import Alert, Store

logger = logging.getLogger(__name__)

# Seconds to wait after the n-th failed attempt (the last one repeats).
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
# How long a claimed alert is left to its sender before another (or a restarted) one may take
# it: short, because an alert held by a sender that died waits this long.
LEASE = timedelta(seconds=30)


class DeliveryError(Exception):
    """Sending failed; `retry_after` is the wait the nurses' channel asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NurseChannel(Protocol):
    """Where alerts go: the nurses' Telegram group, or a visible line in the terminal."""

    async def send_alert(self, alert: Alert, text: str) -> int | None: ...
    async def update_alert(self, alert: Alert, text: str) -> None: ...


class AlertSender:
    """Sends due alerts from the store; what fails is retried with backoff."""

    def __init__(
        self, store: Store, channel: NurseChannel, responder: Responder,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC), lease: timedelta = LEASE,
    ) -> None:
        self.store = store
        self.channel = channel
        self.responder = responder
        self.clock = clock
        self.lease = lease

    def text(self, alert: Alert) -> str:
        """The nurses' view of an alert (the channel escapes it for its markup)."""
        return self.responder.render("utter_alert_nurse", {}, {
            "level": alert.level.upper(),
            "patient": alert.patient,
            "red_flags": ", ".join(alert.red_flags),
            "message": alert.message,
            "time": f"{alert.updated_at:%Y-%m-%d %H:%M} UTC",
        }).text

    async def deliver_due(self, limit: int = 20) -> int:
        """One pass over the outbox; returns how many alerts went out."""
        sent = 0
        for alert in await self.store.claim_due_alerts(self.clock(), self.lease, limit):
            if await self._deliver(alert):
                sent += 1
        return sent

    async def _deliver(self, alert: Alert) -> bool:
        try:
            # A send that outlived its lease could race another sender: give up well before.
            async with asyncio.timeout(self.lease.total_seconds() / 2):
                message_id = await self._send(alert)
        except TimeoutError:
            return await self._retry(alert, DeliveryError("the nurses' channel did not answer"))
        except DeliveryError as error:
            return await self._retry(alert, error)
        await self.store.mark_sent(alert.id, message_id)
        ALERTS_SENT.inc()
        logger.info("alert %d delivered to the nurses", alert.id)
        return True

    async def _send(self, alert: Alert) -> int | None:
        if alert.status == "update":
            await self.channel.update_alert(alert, self.text(alert))
            return alert.nurse_message_id
        return await self.channel.send_alert(alert, self.text(alert))

    async def _retry(self, alert: Alert, error: DeliveryError) -> bool:
        ALERTS_FAILED.inc()
        wait = error.retry_after or BACKOFF[min(alert.attempts, len(BACKOFF) - 1)]
        logger.warning("alert %d not delivered (%s); retry in %.0fs", alert.id, error, wait)
        await self.store.mark_retry(alert.id, self.clock() + timedelta(seconds=wait), str(error))
        return False

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Deliver until `stop` is set; pending alerts from before a restart go first."""
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception:  # the loop must outlive any one failure
                logger.exception("alert delivery pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
