"""The alert outbox sender: delivers stored alerts to the nurses, retrying, never twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.content.model import TELEGRAM_MESSAGE_LIMIT, telegram_length
from bot.dialogue.alert_text import alert_text
from bot.dialogue.respond import Responder
from bot.metrics import ALERTS_FAILED, ALERTS_SENT
from bot.store.connect import Alert, Store

logger = logging.getLogger(__name__)

# Seconds to wait after the n-th failed attempt (the last one repeats).
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
# How long a claimed alert is left to its sender before another (or a restarted) one may take
# it: short, because an alert held by a sender that died waits this long.
LEASE = timedelta(seconds=30)
# The note an alert carries while a send is under way, or after one whose answer was lost: Telegram
# may have taken that message, so the next send says it is one again.
IN_FLIGHT = "in flight"
MAYBE_DELIVERED = "maybe delivered: "
# A message too long for the channel is sent again this many times, shorter each time.
SHRINKS = 3


class DeliveryError(Exception):
    """Sending failed; `retry_after` is the wait the nurses' channel asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None, *, too_long: bool = False,
                 gone: bool = False, maybe_delivered: bool = False, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.too_long = too_long  # shorten it and send again
        self.gone = gone  # the message to edit is no longer there: send a new one
        self.maybe_delivered = maybe_delivered  # no answer came: the message may have arrived
        self.permanent = permanent  # sending the same again would fail the same way


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

    def text(self, alert: Alert, room: int | None = TELEGRAM_MESSAGE_LIMIT) -> str:
        """The nurses' view of an alert within `room` characters (the channel escapes it for its markup)."""
        return alert_text(self.responder, alert, room)

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
            return await self._retry(alert, DeliveryError("the nurses' channel did not answer",
                                                          maybe_delivered=True))
        except DeliveryError as error:
            return await self._retry(alert, error)
        await self.store.mark_sent(alert.id, message_id)
        ALERTS_SENT.inc()
        logger.info("alert %d delivered to the nurses", alert.id)
        return True

    async def _send(self, alert: Alert) -> int | None:
        """Sent or edited in; a message found too long is cut shorter and sent again."""
        room = TELEGRAM_MESSAGE_LIMIT
        for _ in range(SHRINKS):
            try:
                return await self._send_within(alert, room)
            except DeliveryError as error:
                if not error.too_long:
                    raise
                logger.warning("alert %d was too long for the nurses' channel; shortening it", alert.id)
                room //= 2
        return await self._send_within(alert, room)

    async def _send_within(self, alert: Alert, room: int) -> int | None:
        if alert.status == "update":
            try:
                await self.channel.update_alert(alert, self.text(alert, room))
                return alert.nurse_message_id
            except DeliveryError as error:
                if not error.gone:
                    raise
                logger.warning("alert %d: its message is gone from the nurses' chat; sent anew", alert.id)
        # Telegram may have taken an earlier send whose answer was lost: say this one may repeat it.
        mark = self.responder.render("utter_alert_resent", {}).text + "\n" \
            if (alert.last_error or "").startswith((IN_FLIGHT, MAYBE_DELIVERED)) else ""
        await self.store.note_delivery(alert.id, IN_FLIGHT)
        return await self.channel.send_alert(alert, mark + self.text(alert, room - telegram_length(mark)))

    async def _retry(self, alert: Alert, error: DeliveryError) -> bool:
        ALERTS_FAILED.inc()
        wait = error.retry_after or BACKOFF[min(alert.attempts, len(BACKOFF) - 1)]
        if error.permanent:
            wait = BACKOFF[-1]
            logger.error("alert %d cannot be delivered (%s); it stays in /alerts, retry in %.0fs",
                         alert.id, error, wait)
        else:
            logger.warning("alert %d not delivered (%s); retry in %.0fs", alert.id, error, wait)
        note = f"{MAYBE_DELIVERED}{error}" if error.maybe_delivered else str(error)
        await self.store.mark_retry(alert.id, self.clock() + timedelta(seconds=wait), note)
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
