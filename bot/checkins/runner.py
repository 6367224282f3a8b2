"""Sends due check-ins from the store: claimed with a lease, paced under Telegram's limits."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from bot.alerts import DeliveryError
from bot.checkins.schedule import plan
from bot.config import Settings
from bot.dialogue.respond import Reply, Responder
from bot.metrics import CHECKINS
from bot.store.connect import Checkin, Store

logger = logging.getLogger(__name__)

# Check-ins take at most this share of Telegram's overall budget; the rest stays for replies.
SHARE = 2 / 3
# A claimed check-in is left to its sender this long; a sender that died leaves it for another.
LEASE = dt.timedelta(seconds=30)
# A send that failed (not a block) is tried again after this, or after Telegram's retry_after.
RETRY = dt.timedelta(seconds=60)


class PatientBlocked(Exception):
    """The patient blocked the bot (Telegram's 403): their check-ins are not tried again."""


class CheckinChannel(Protocol):
    """Where check-ins go: the patient's private chat."""

    async def send_checkin(self, chat_id: str, reply: Reply) -> None: ...


class CheckinRunner:
    """Plans a patient's check-ins at enrollment and sends those due, in batches a second apart."""

    def __init__(self, store: Store, channel: CheckinChannel, responder: Responder, settings: Settings,
                 clock: Callable[[], dt.datetime], lease: dt.timedelta = LEASE) -> None:
        self.store = store
        self.channel = channel
        self.responder = responder
        self.settings = settings
        self.clock = clock
        self.lease = lease
        self.batch = max(1, int(settings.telegram_messages_per_second * SHARE))

    async def enroll(self, chat_id: str, patient: str, site: str | None, procedure_date: str | None) -> int:
        """Store the check-ins of a patient enrolled with a site and a date; returns how many."""
        if not site or not procedure_date:
            return 0
        planned = plan(dt.date.fromisoformat(procedure_date), self.settings, self.clock())
        count = await self.store.schedule_checkins(chat_id, patient, site, planned)
        logger.info("chat %s: %d check-ins planned", chat_id, count)
        return count

    def message(self, checkin: Checkin, lang: str | None = None) -> Reply:
        """The check-in question, in the chat's language."""
        return self.responder.render("utter_checkin", {"site": checkin.site, "lang": lang},
                                     {"day": checkin.day, "site": checkin.site})

    async def send_due(self) -> int:
        """One batch of due check-ins, spread over a second; returns how many were claimed."""
        checkins = await self.store.claim_due_checkins(self.clock(), self.lease, self.batch)
        # Evenly spaced, so that no second (counted from any moment) holds more than a batch.
        spacing = 1.0 / self.batch
        await asyncio.gather(*(self._send(checkin, index * spacing)
                               for index, checkin in enumerate(checkins)))
        return len(checkins)

    async def _send(self, checkin: Checkin, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            # A send that outlived its lease could race another sender: give up well before.
            async with asyncio.timeout(self.lease.total_seconds() / 2):
                lang = (await self.store.load_slots(checkin.chat_id)).get("lang")
                await self.channel.send_checkin(checkin.chat_id, self.message(checkin, lang))
        except PatientBlocked as error:
            await self.store.mark_checkins_blocked(checkin.chat_id, str(error))
            CHECKINS.labels("blocked").inc()
            logger.info("chat %s has blocked the bot: its check-ins are stopped", checkin.chat_id)
        except TimeoutError:
            await self._retry(checkin, DeliveryError("Telegram did not answer"))
        except DeliveryError as error:
            await self._retry(checkin, error)
        else:
            await self.store.mark_checkin_sent(checkin.chat_id, checkin.day, self.clock())
            CHECKINS.labels("sent").inc()

    async def _retry(self, checkin: Checkin, error: DeliveryError) -> None:
        CHECKINS.labels("failed").inc()
        wait = error.retry_after or RETRY.total_seconds()
        logger.warning("check-in day %d for chat %s not sent (%s); retry in %.0fs",
                       checkin.day, checkin.chat_id, error, wait)
        await self.store.mark_checkin_retry(checkin.chat_id, checkin.day,
                                            self.clock() + dt.timedelta(seconds=wait), str(error))

    async def run(self, stop: asyncio.Event, chores: Sequence[Callable[[], Awaitable[object]]] = (),
                  interval: float = 2.0) -> None:
        """Until `stop`: the chores (alert reminders, the digest) first, then a batch of check-ins."""
        while not stop.is_set():
            started = time.monotonic()
            for chore in chores:
                await _safely(chore)
            claimed = await _safely(self.send_due)
            # A full batch means more are due: the next one a second after this one began.
            pause = 1.0 if isinstance(claimed, int) and claimed >= self.batch else interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, pause - (time.monotonic() - started)))


async def _safely(chore: Callable[[], Awaitable[object]]) -> object:
    try:
        return await chore()
    except Exception:  # the loop must outlive any one failure
        logger.exception("follow-up pass failed")
        return None
