"""A store that keeps the bot answering while the database is busy or down: alerts wait in memory.

A red-flag report must get its safety reply even when the database cannot be written (another
process holds SQLite's write lock, PostgreSQL is restarting). Such an alert is kept in this
process's memory under a provisional (negative) id and written as soon as the store answers
again: at the next call that reaches the store, and at least at every pass of the alert sender,
with a backoff between attempts. Chat state read while the store is down is empty, and written
state is dropped (a conversation may lose its thread; a report is never lost while the process
lives). An update whose claim cannot be checked is handled anyway: at least once, never none.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bot.store.model import Alert, Store

logger = logging.getLogger(__name__)

# What a busy or unreachable database raises (not a mistake in a statement).
STORE_DOWN: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError, OSError, TimeoutError, asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError, asyncpg.CannotConnectNowError)
# Seconds between attempts to write the alerts kept in memory (the last one repeats).
FLUSH_BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0)


@dataclass(frozen=True)
class _Held:
    """An alert the store could not take yet, as record_alert was asked for it."""

    alert: Alert
    merge_window: timedelta


class ResilientStore:
    """Wraps a Store; what the patient's safety needs goes on when the database does not answer."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self._held: dict[int, _Held] = {}
        self._failures = 0
        self._next_flush = datetime.min.replace(tzinfo=UTC)

    @property
    def held(self) -> list[Alert]:
        """The alerts waiting in memory for the store, oldest first."""
        return [held.alert for held in sorted(self._held.values(), key=lambda h: -h.alert.id)]

    async def load_slots(self, chat_id: str) -> dict[str, Any]:
        await self.flush()
        try:
            return await self.inner.load_slots(chat_id)
        except STORE_DOWN as error:
            logger.error("chat state unreadable (%s); answering without it", error)
            return {}

    async def save_slots(self, chat_id: str, slots: Mapping[str, Any]) -> None:
        try:
            await self.inner.save_slots(chat_id, slots)
        except STORE_DOWN as error:
            logger.error("chat state not saved (%s)", error)

    async def record_alert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> Alert:
        try:
            return await self.inner.record_alert(chat_id, patient, level, red_flags, message, now,
                                                 merge_window)
        except STORE_DOWN as error:
            alert_id = -(len(self._held) + 1)
            while alert_id in self._held:
                alert_id -= 1
            alert = Alert(alert_id, chat_id, patient, level, red_flags, message, now, now, "pending",
                          0, None, None, None)
            self._held[alert_id] = _Held(alert, merge_window)
            logger.error("alert for chat %s kept in memory: the store is not answering (%s)", chat_id, error)
            return alert

    async def get_alert(self, alert_id: int) -> Alert | None:
        if alert_id in self._held:
            return self._held[alert_id].alert
        return await self.inner.get_alert(alert_id)

    async def claim_due_alerts(self, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
        await self.flush(now)
        return await self.inner.claim_due_alerts(now, lease, limit)

    async def claim_update(self, update_id: int, now: datetime, lease: timedelta) -> bool:
        try:
            return await self.inner.claim_update(update_id, now, lease)
        except STORE_DOWN as error:
            logger.error("update %d handled without its claim: the store is not answering (%s)",
                         update_id, error)
            return True

    async def mark_handled(self, update_id: int) -> None:
        try:
            await self.inner.mark_handled(update_id)
        except STORE_DOWN as error:
            logger.error("update %d not marked handled (%s); a redelivery may be answered again",
                         update_id, error)

    async def flush(self, now: datetime | None = None) -> None:
        """Write the alerts kept in memory, unless the last attempt was too recent."""
        now = now or datetime.now(UTC)
        if not self._held or now < self._next_flush:
            return
        for alert_id in sorted(self._held, reverse=True):  # oldest (-1) first
            held = self._held[alert_id]
            alert = held.alert
            try:
                stored = await self.inner.record_alert(alert.chat_id, alert.patient, alert.level,
                                                       alert.red_flags, alert.message, alert.created_at,
                                                       held.merge_window)
            except STORE_DOWN as error:
                self._failures += 1
                wait = FLUSH_BACKOFF[min(self._failures, len(FLUSH_BACKOFF)) - 1]
                self._next_flush = now + timedelta(seconds=wait)
                logger.error("%d alerts in memory (%s); next try in %.1fs", len(self._held), error, wait)
                return
            del self._held[alert_id]
            logger.warning("alert kept in memory is now stored as alert %d", stored.id)
        self._failures = 0

    async def close(self) -> None:
        self._next_flush = datetime.min.replace(tzinfo=UTC)
        await self.flush()
        for alert in self.held:
            logger.error("alert for chat %s (%s, %s) could not be stored before shutdown",
                         alert.chat_id, alert.level, ", ".join(alert.red_flags))
        await self.inner.close()

    def __getattr__(self, name: str) -> Any:
        """Everything else goes to the store as it is (a failure there is the caller's to handle)."""
        return getattr(self.inner, name)
