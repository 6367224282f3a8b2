"""The shared store: chat state and the alert outbox in PostgreSQL, for several replicas."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from bot.store.model import (
    FORGET_AFTER_ACK,
    PENDING,
    Alert,
    ChatLocks,
    forget_if_asked,
    in_claim_order,
    merged_flags,
    merged_message,
    merges_into,
)
from bot.store.postgres_checkins import PostgresCheckins, alert_of
from bot.store.schema import CURRENT_VERSION, pending

logger = logging.getLogger(__name__)

_LEDGER = ("CREATE TABLE IF NOT EXISTS schema_migrations "
           "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
# Advisory lock keys. Replicas starting together queue on the first: one migrates, the rest find
# it done. The two-part keys name a chat: one space for handling its updates, one for its alerts.
_MIGRATION_LOCK = 0x6372796F_6D696772
CHAT_SPACE = 0x63686174
_ALERT_SPACE = 0x616C7274


def chat_key(chat_id: str) -> int:
    """A stable 32-bit key for a chat; two chats sharing one only wait for each other."""
    digest = hashlib.blake2b(chat_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresStore(PostgresCheckins):
    """PostgreSQL through two asyncpg pools: one for queries, one for the chat locks.

    A chat lock is a session advisory lock held on its own connection for as long as the
    update is handled. Those connections come from a pool apart, so chats held by every
    task cannot starve the queries the handlers make while holding them; a replica that
    dies loses its session, and with it its locks. Tasks of this process queue on an
    asyncio lock first, so waiting for a busy chat costs no connection.
    """

    def __init__(self, pool: asyncpg.Pool, lock_pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._lock_pool = lock_pool
        self._chat_locks = ChatLocks()

    @classmethod
    async def connect(cls, database_url: str, size: int = 10, locks: int = 10) -> PostgresStore:
        """Open the pools and bring the schema up to date."""
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=size)
        try:
            async with pool.acquire() as connection:
                await _migrate(connection)
            lock_pool = await asyncpg.create_pool(database_url, min_size=0, max_size=locks)
        except BaseException:
            await pool.close()
            raise
        return cls(pool, lock_pool)

    async def schema_version(self) -> int:
        return int(await self._pool.fetchval(CURRENT_VERSION))

    async def load_slots(self, chat_id: str) -> dict[str, Any]:
        slots = await self._pool.fetchval("SELECT slots::text FROM chats WHERE chat_id = $1", chat_id)
        return json.loads(slots) if slots else {}

    async def save_slots(self, chat_id: str, slots: Mapping[str, Any]) -> None:
        await self._pool.execute(
            "INSERT INTO chats (chat_id, slots, updated_at) VALUES ($1, $2::jsonb, now()) "
            "ON CONFLICT (chat_id) DO UPDATE SET slots = excluded.slots, updated_at = excluded.updated_at",
            chat_id, json.dumps(dict(slots)))

    async def forget(self, chat_id: str) -> None:
        """Forget the chat; its open alerts stay whole until acknowledged, then go too."""
        async with self._pool.acquire() as connection, connection.transaction():
            if await connection.fetchval(
                    "SELECT 1 FROM alerts WHERE chat_id = $1 AND acknowledged_at IS NULL", chat_id):
                await connection.execute(
                    "INSERT INTO chats (chat_id, slots, updated_at) VALUES ($1, $2::jsonb, now()) "
                    "ON CONFLICT (chat_id) DO UPDATE SET slots = excluded.slots",
                    chat_id, json.dumps({FORGET_AFTER_ACK: True}))
            else:
                await connection.execute("DELETE FROM chats WHERE chat_id = $1", chat_id)
            await connection.execute("DELETE FROM checkins WHERE chat_id = $1", chat_id)
            # Alerts already seen stay in the nurses' chat; what is stored here is blanked.
            await connection.execute(
                "UPDATE alerts SET patient = '(deleted)', message = '(deleted by the patient)' "
                "WHERE chat_id = $1 AND acknowledged_at IS NOT NULL", chat_id)

    async def record_alert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> Alert:
        """Store a new alert, or fold a repeat report into the chat's open one."""
        async with self._pool.acquire() as connection, connection.transaction():
            # Two replicas reporting for one chat at once must not both insert.
            await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", _ALERT_SPACE, chat_key(chat_id))
            open_alert = await connection.fetchrow(
                "SELECT id, level, red_flags, message FROM alerts WHERE chat_id = $1 "
                "AND acknowledged_at IS NULL AND created_at >= $2 ORDER BY id DESC LIMIT 1",
                chat_id, now - merge_window)
            if open_alert is None or not merges_into(level, red_flags, open_alert["level"],
                                                     open_alert["red_flags"]):
                row = await connection.fetchrow(
                    "INSERT INTO alerts (chat_id, patient, level, red_flags, message, created_at, "
                    "updated_at, status, due_at) VALUES ($1, $2, $3, $4, $5, $6, $6, 'pending', $6) "
                    "RETURNING *",
                    chat_id, patient, level, list(red_flags), message, now)
            else:
                row = await connection.fetchrow(
                    "UPDATE alerts SET red_flags = $1, message = $2, updated_at = $3, "
                    "revision = revision + 1, "
                    "status = CASE WHEN status = 'sent' THEN 'update' ELSE status END, "
                    "due_at = CASE WHEN status = 'sent' THEN $3 ELSE due_at END WHERE id = $4 "
                    "RETURNING *",
                    merged_flags(open_alert["red_flags"], red_flags),
                    merged_message(open_alert["message"], message), now, open_alert["id"])
        return alert_of(row)

    async def claim_due_alerts(self, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
        """Alerts due for sending, leased; SKIP LOCKED lets replicas claim disjoint sets at once."""
        rows = await self._pool.fetch(
            "WITH due AS (SELECT id FROM alerts WHERE status = ANY($1::text[]) AND due_at <= $2 "
            " ORDER BY level <> 'emergency', id LIMIT $3 FOR UPDATE SKIP LOCKED) "
            "UPDATE alerts SET due_at = $4, claimed_revision = revision FROM due "
            "WHERE alerts.id = due.id RETURNING alerts.*",
            list(PENDING), now, limit, now + lease)
        return in_claim_order(alert_of(row) for row in rows)

    async def mark_sent(self, alert_id: int, nurse_message_id: int | None) -> None:
        """Sent; unless a report was merged in meanwhile, which is then due as an update."""
        await self._pool.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = NULL, "
            "nurse_message_id = COALESCE($2, nurse_message_id), "
            "status = CASE WHEN revision = claimed_revision THEN 'sent' ELSE 'update' END, "
            "due_at = CASE WHEN revision = claimed_revision THEN due_at ELSE updated_at END "
            "WHERE id = $1",
            alert_id, nurse_message_id)

    async def mark_retry(self, alert_id: int, retry_at: datetime, error: str) -> None:
        await self._pool.execute(
            "UPDATE alerts SET attempts = attempts + 1, due_at = $2, last_error = $3 WHERE id = $1",
            alert_id, retry_at, error[:500])

    async def note_delivery(self, alert_id: int, note: str) -> None:
        """A note on the send under way (kept if the process dies in it)."""
        await self._pool.execute("UPDATE alerts SET last_error = $2 WHERE id = $1", alert_id, note[:500])

    async def acknowledge(self, alert_id: int, nurse: str, now: datetime) -> Alert | None:
        """Record the first nurse who saw it; later presses change nothing."""
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "UPDATE alerts SET acknowledged_by = $2, acknowledged_at = $3 "
                "WHERE id = $1 AND acknowledged_at IS NULL", alert_id, nurse, now)
            row = await connection.fetchrow("SELECT * FROM alerts WHERE id = $1", alert_id)
        if row is None:
            return None
        # The nurse sees it whole; a patient who asked to be forgotten is forgotten now.
        await forget_if_asked(self, row["chat_id"])
        return alert_of(row)

    async def get_alert(self, alert_id: int) -> Alert | None:
        row = await self._pool.fetchrow("SELECT * FROM alerts WHERE id = $1", alert_id)
        return alert_of(row) if row else None

    async def open_alerts(self) -> list[Alert]:
        rows = await self._pool.fetch(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY id")
        return [alert_of(row) for row in rows]

    async def pending_alert_count(self) -> int:
        """Alerts stored and not delivered yet (new ones, and merged reports to edit in)."""
        return int(await self._pool.fetchval(
            "SELECT count(*) FROM alerts WHERE status IN ('pending', 'update')"))

    async def claim_update(self, update_id: int, now: datetime, lease: timedelta) -> bool:
        """Whether this caller should handle the update: not handled, nor claimed by a live handler."""
        # ON CONFLICT locks the row and rechecks WHERE on its newest version: one claimant wins.
        claimed = await self._pool.fetchval(
            "INSERT INTO updates (update_id, claimed_until) VALUES ($1, $2) "
            "ON CONFLICT (update_id) DO UPDATE SET claimed_until = excluded.claimed_until "
            "WHERE updates.handled_at IS NULL AND updates.claimed_until <= $3 RETURNING update_id",
            update_id, now + lease, now)
        return claimed is not None

    async def release_claim(self, update_id: int) -> None:
        """Handling failed: the update's next delivery may be handled at once."""
        await self._pool.execute(
            "UPDATE updates SET claimed_until = '-infinity' WHERE update_id = $1 AND handled_at IS NULL",
            update_id)

    async def is_handled(self, update_id: int) -> bool:
        handled = await self._pool.fetchval(
            "SELECT 1 FROM updates WHERE update_id = $1 AND handled_at IS NOT NULL", update_id)
        return handled is not None

    async def mark_handled(self, update_id: int) -> None:
        await self._pool.execute(
            "INSERT INTO updates (update_id, claimed_until, handled_at) VALUES ($1, now(), now()) "
            "ON CONFLICT (update_id) DO UPDATE SET "
            "handled_at = COALESCE(updates.handled_at, excluded.handled_at)",
            update_id)

    async def prune_updates(self, before: datetime) -> int:
        """Forget updates handled, or last claimed, before `before`; returns how many."""
        status = await self._pool.execute(
            "DELETE FROM updates WHERE COALESCE(handled_at, claimed_until) < $1", before)
        return int(status.split()[-1])  # "DELETE <count>"

    @asynccontextmanager
    async def chat_lock(self, chat_id: str) -> AsyncIterator[None]:
        """Held while one update of the chat is handled, by whichever replica has it."""
        key = chat_key(chat_id)
        async with self._chat_locks.hold(chat_id), self._lock_pool.acquire() as connection:
            await connection.execute("SELECT pg_advisory_lock($1, $2)", CHAT_SPACE, key)
            try:
                yield
            finally:
                await _unlock(connection, chat_id, key)

    async def close(self) -> None:
        await self._lock_pool.close()
        await self._pool.close()


async def _unlock(connection: asyncpg.Connection, chat_id: str, key: int) -> None:
    try:
        await connection.execute("SELECT pg_advisory_unlock($1, $2)", CHAT_SPACE, key)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError) as error:
        # The session ended, and its locks with it; the update was handled all the same (a session
        # ended by the server mid-call can leave asyncpg's protocol in a state it reports as internal).
        logger.warning("chat %s: the lock's connection was lost while handling (%s)", chat_id, error)


async def _migrate(connection: asyncpg.Connection) -> None:
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await connection.execute(_LEDGER)
        for migration in pending("postgres", int(await connection.fetchval(CURRENT_VERSION))):
            await connection.execute(migration.sql)
            await connection.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
                migration.version, migration.name)
            logger.info("postgres schema migrated to version %d (%s)", migration.version, migration.name)
