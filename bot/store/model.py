"""What every store backend shares: the alert record, the Store protocol and the outbox rules."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_READING = re.compile(r" \([^)]*\)$")

# status: pending (to send), sent, update (sent, then merged with a new report: to edit).
PENDING = ("pending", "update")
# Between the reports merged into one alert: a control character, which the engine drops from
# patient text, so that it cannot appear inside a report.
REPORT_SEPARATOR = "\x1e"
# The one slot a chat keeps after /forget while an alert of it is open: the nurses still need that
# alert, so the chat is forgotten (and its alerts blanked) when the last one is acknowledged.
FORGET_AFTER_ACK = "forget_after_ack"


class StoreError(RuntimeError):
    """The database that DATABASE_URL names cannot be used; the message says why."""


@dataclass(frozen=True)
class Alert:
    """A red-flag report the nurses must see, and where its delivery stands."""

    id: int
    chat_id: str
    patient: str
    level: str
    red_flags: tuple[str, ...]
    message: str
    created_at: datetime
    updated_at: datetime
    status: str
    attempts: int
    nurse_message_id: int | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    # Reminders sent since, while nobody acknowledged it: 1 to the nurses' group, 2 to on-call.
    reminders: int = 0
    # Why the last send failed, or that one is under way (the sender's notes).
    last_error: str | None = None


@dataclass(frozen=True)
class Checkin:
    """One planned check-in: a chat, a day after the procedure, and where it stands."""

    chat_id: str
    day: int
    site: str
    patient: str
    due_at: datetime
    closes_at: datetime
    # pending (to send), sent, answered, stopped (the patient said stop), blocked (403), missed.
    status: str
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    answer: str | None = None
    flagged: bool = False


@dataclass(frozen=True)
class Planned:
    """A check-in to store: its day and the UTC window it may go out in."""

    day: int
    due_at: datetime
    closes_at: datetime


class Store(Protocol):
    """What the bot keeps between messages, shared by every replica that runs it.

    Handling one Telegram update, as a replica does it:

        if await store.claim_update(update_id, now, lease):
            async with store.chat_lock(chat_id):
                ...handle, send the replies...
            await store.mark_handled(update_id)

    An update is marked handled only after its replies went out. A replica that dies
    mid-update leaves a claim that lapses after `lease`, so Telegram's redelivery is
    handled by another replica: a patient may then get a reply twice, never none, and
    the repeated red-flag report merges into the alert already stored.
    """

    async def load_slots(self, chat_id: str) -> dict[str, Any]: ...
    async def save_slots(self, chat_id: str, slots: Mapping[str, Any]) -> None: ...
    async def forget(self, chat_id: str) -> None: ...
    async def record_alert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> Alert: ...
    async def claim_due_alerts(self, now: datetime, lease: timedelta, limit: int) -> list[Alert]: ...
    async def mark_sent(self, alert_id: int, nurse_message_id: int | None) -> None: ...
    async def mark_retry(self, alert_id: int, retry_at: datetime, error: str) -> None: ...
    async def note_delivery(self, alert_id: int, note: str) -> None: ...
    async def acknowledge(self, alert_id: int, nurse: str, now: datetime) -> Alert | None: ...
    async def get_alert(self, alert_id: int) -> Alert | None: ...
    async def open_alerts(self) -> list[Alert]: ...
    async def pending_alert_count(self) -> int: ...
    async def claim_update(self, update_id: int, now: datetime, lease: timedelta) -> bool: ...
    async def release_claim(self, update_id: int) -> None: ...
    async def is_handled(self, update_id: int) -> bool: ...
    async def mark_handled(self, update_id: int) -> None: ...
    async def prune_updates(self, before: datetime) -> int: ...
    def chat_lock(self, chat_id: str) -> AbstractAsyncContextManager[None]: ...
    # Alert reminders: claimed with a lease, like the alerts; `stages` is 1, or 2 with an on-call chat.
    async def claim_due_reminders(self, now: datetime, after: timedelta, stages: int, lease: timedelta,
                                  limit: int) -> list[Alert]: ...
    async def mark_reminded(self, alert_id: int, now: datetime) -> None: ...
    # Check-ins (see bot/checkins/).
    async def schedule_checkins(self, chat_id: str, patient: str, site: str,
                                planned: Iterable[Planned]) -> int: ...
    async def claim_due_checkins(self, now: datetime, lease: timedelta, limit: int) -> list[Checkin]: ...
    async def mark_checkin_sent(self, chat_id: str, day: int, now: datetime) -> None: ...
    async def mark_checkin_retry(self, chat_id: str, day: int, retry_at: datetime, error: str) -> None: ...
    async def mark_checkins_blocked(self, chat_id: str, error: str) -> int: ...
    async def answer_checkin(self, chat_id: str, answer: str, flagged: bool,
                             now: datetime) -> Checkin | None: ...
    async def pause_checkins(self, chat_id: str, paused: bool, now: datetime) -> int: ...
    async def checkins_since(self, since: datetime) -> list[Checkin]: ...
    async def claim_digest(self, day: str, now: datetime) -> bool: ...
    async def record_unanswered(self, text: str, closest: str, confidence: float, now: datetime) -> None: ...
    async def unanswered_since(self, since: datetime) -> list[tuple[str, str]]: ...
    async def schema_version(self) -> int: ...
    async def close(self) -> None: ...


async def forget_if_asked(store: Store, chat_id: str) -> None:
    """A patient who asked to be forgotten while an alert was open is forgotten once a nurse saw it."""
    if (await store.load_slots(chat_id)).get(FORGET_AFTER_ACK):
        await store.forget(chat_id)


def merges_into(level: str, red_flags: Iterable[str], open_level: str, open_flags: Iterable[str]) -> bool:
    """Whether a report folds into the chat's open alert: only a repeat of signs it already has,
    at its level. A new sign or another level is news of its own, and the nurses hear of it anew."""
    return level == open_level and {_sign(f) for f in red_flags} <= {_sign(f) for f in open_flags}


def merged_flags(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """The red flags of both reports, each sign once, with its latest reading, in first-reported order."""
    latest = {_sign(flag): flag for flag in [*old, *new]}
    return list(latest.values())


def _sign(flag: str) -> str:
    """A flag's sign without the reading it was reported with: "a fever (102°F)" is "a fever"."""
    return _READING.sub("", flag)


def merged_message(old: str, new: str) -> str:
    """The alert's reports with a new one; the same report again (a redelivered update) adds nothing."""
    return old if reports(old)[-1] == new else f"{old}{REPORT_SEPARATOR}{new}"


def reports(message: str) -> list[str]:
    """The patient's messages merged into an alert, oldest first."""
    return message.split(REPORT_SEPARATOR)


def in_claim_order(alerts: Iterable[Alert]) -> list[Alert]:
    """Emergencies first, then oldest first."""
    return sorted(alerts, key=lambda alert: (alert.level != "emergency", alert.id))


def redacted(database_url: str) -> str:
    """The URL without its password, fit for logs and error messages."""
    try:
        parts = urlsplit(database_url)
        if parts.password is None:
            return database_url
    except ValueError:  # not a URL at all: keep only what cannot be a password
        return database_url.partition("://")[0] + "://..."
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class ChatLocks:
    """One asyncio lock per chat in this process, dropped once nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @asynccontextmanager
    async def hold(self, chat_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            # Thousands of chats come and go: keep only the locks in use.
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]
