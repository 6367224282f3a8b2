"""The embedded store: chat state and the alert outbox in one SQLite file."""

from __future__ import annotations

import json
import logging
import sqlite3
import weakref
from collections.abc import Iterator, Mapping
from contextlib import AbstractAsyncContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
from bot.store.schema import CURRENT_VERSION, pending
from bot.store.sqlite_checkins import SqliteCheckins, alert_of, iso

logger = logging.getLogger(__name__)

_LEDGER = ("CREATE TABLE IF NOT EXISTS schema_migrations "
           "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
# Seconds a write waits for another process's write lock before "database is locked"; what is
# still locked then is held in memory by ResilientStore and written later.
BUSY_TIMEOUT = 5.0
# Every store on the same file in this process shares its chat locks.
_CHAT_LOCKS: weakref.WeakValueDictionary[str, ChatLocks] = weakref.WeakValueDictionary()


class SqliteStore(SqliteCheckins):
    """One SQLite file in WAL mode, for one process.

    The sqlite3 calls never await, so no other task runs inside a transaction; the
    chat lock is an asyncio lock, and so holds only within this process. A statement
    with RETURNING is read to its end at once (fetchall): until then SQLite keeps it open,
    and with it the write lock.
    """

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # Chat state and update ids may lose their last commits to a power cut (never to a killed
        # process); what concerns an alert is synced to disk before it counts as written.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        self._check_integrity()
        self._migrate()
        self._chat_locks = _chat_locks_for(path)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taking the file's write lock at once."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _durably(self) -> Iterator[sqlite3.Connection]:
        """Writes inside reach the disk before they return (and take earlier ones with them)."""
        self._db.execute("PRAGMA synchronous=FULL")
        try:
            yield self._db
        finally:
            self._db.execute("PRAGMA synchronous=NORMAL")

    def _check_integrity(self) -> None:
        """A damaged file is refused at start, not at the first message (a quick check: seconds at most)."""
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as error:  # too damaged to even check
            problems = [str(error)]
        if problems != ["ok"]:
            self._db.close()
            raise sqlite3.DatabaseError(f"the file is damaged ({problems[0]}); restore it from a backup")

    def _migrate(self) -> None:
        with self._transaction() as db:
            db.execute(_LEDGER)
            for migration in pending("sqlite", int(db.execute(CURRENT_VERSION).fetchone()[0])):
                for statement in _statements(migration.sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           (migration.version, migration.name, iso(datetime.now(UTC))))
                logger.info("sqlite schema migrated to version %d (%s)", migration.version, migration.name)

    async def schema_version(self) -> int:
        return int(self._db.execute(CURRENT_VERSION).fetchone()[0])

    async def load_slots(self, chat_id: str) -> dict[str, Any]:
        row = self._db.execute("SELECT slots FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        return json.loads(row["slots"]) if row else {}

    async def save_slots(self, chat_id: str, slots: Mapping[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO chats (chat_id, slots, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET slots = excluded.slots, "
            "updated_at = excluded.updated_at",
            (chat_id, json.dumps(dict(slots)), iso(datetime.now(UTC))),
        )

    async def forget(self, chat_id: str) -> None:
        """Forget the chat; its open alerts stay whole until acknowledged, then go too."""
        with self._transaction() as db:
            if _has_open_alert(db, chat_id):
                db.execute("INSERT INTO chats (chat_id, slots, updated_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (chat_id) DO UPDATE SET slots = excluded.slots",
                           (chat_id, json.dumps({FORGET_AFTER_ACK: True}), iso(datetime.now(UTC))))
            else:
                db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            db.execute("DELETE FROM checkins WHERE chat_id = ?", (chat_id,))
            # Alerts already seen stay in the nurses' chat; what is stored here is blanked.
            db.execute("UPDATE alerts SET patient = '(deleted)', message = '(deleted by the patient)' "
                       "WHERE chat_id = ? AND acknowledged_at IS NOT NULL", (chat_id,))

    async def record_alert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> Alert:
        """Store a new alert, or fold a repeat report into the chat's open one."""
        with self._durably(), self._transaction() as db:
            open_alert = db.execute(
                "SELECT id, level, red_flags, message FROM alerts WHERE chat_id = ? "
                "AND acknowledged_at IS NULL AND created_at >= ? ORDER BY id DESC LIMIT 1",
                (chat_id, iso(now - merge_window)),
            ).fetchone()
            if open_alert is None or not merges_into(level, red_flags, open_alert["level"],
                                                     json.loads(open_alert["red_flags"])):
                rows = db.execute(
                    "INSERT INTO alerts (chat_id, patient, level, red_flags, message, created_at, "
                    "updated_at, status, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING *",
                    (chat_id, patient, level, json.dumps(list(red_flags)), message,
                     iso(now), iso(now), iso(now)),
                ).fetchall()
            else:
                rows = db.execute(
                    "UPDATE alerts SET red_flags = ?, message = ?, updated_at = ?, "
                    "revision = revision + 1, "
                    "status = CASE WHEN status = 'sent' THEN 'update' ELSE status END, "
                    "due_at = CASE WHEN status = 'sent' THEN ? ELSE due_at END WHERE id = ? RETURNING *",
                    (json.dumps(merged_flags(json.loads(open_alert["red_flags"]), red_flags)),
                     merged_message(open_alert["message"], message), iso(now), iso(now),
                     open_alert["id"]),
                ).fetchall()
        return alert_of(rows[0])

    async def claim_due_alerts(self, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
        """Alerts due for sending; each is leased so a second sender leaves it alone."""
        # One statement is one transaction: SQLite takes the write lock before it reads.
        rows = self._db.execute(
            "UPDATE alerts SET due_at = ?, claimed_revision = revision WHERE id IN ("
            " SELECT id FROM alerts WHERE status IN (?, ?) AND due_at <= ?"
            " ORDER BY CASE level WHEN 'emergency' THEN 0 ELSE 1 END, id LIMIT ?) RETURNING *",
            (iso(now + lease), *PENDING, iso(now), limit),
        ).fetchall()
        return in_claim_order(alert_of(row) for row in rows)

    async def mark_sent(self, alert_id: int, nurse_message_id: int | None) -> None:
        """Sent; unless a report was merged in meanwhile, which is then due as an update."""
        with self._durably() as db:
            db.execute(
                "UPDATE alerts SET attempts = attempts + 1, last_error = NULL, "
                "nurse_message_id = COALESCE(?, nurse_message_id), "
                "status = CASE WHEN revision = claimed_revision THEN 'sent' ELSE 'update' END, "
                "due_at = CASE WHEN revision = claimed_revision THEN due_at ELSE updated_at END "
                "WHERE id = ?",
                (nurse_message_id, alert_id),
            )

    async def mark_retry(self, alert_id: int, retry_at: datetime, error: str) -> None:
        self._db.execute(
            "UPDATE alerts SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE id = ?",
            (iso(retry_at), error[:500], alert_id),
        )

    async def note_delivery(self, alert_id: int, note: str) -> None:
        """A note on the send under way (kept if the process dies in it)."""
        with self._durably() as db:
            db.execute("UPDATE alerts SET last_error = ? WHERE id = ?", (note[:500], alert_id))

    async def acknowledge(self, alert_id: int, nurse: str, now: datetime) -> Alert | None:
        """Record the first nurse who saw it; later presses change nothing."""
        with self._transaction() as db:
            db.execute("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? "
                       "WHERE id = ? AND acknowledged_at IS NULL", (nurse, iso(now), alert_id))
            row = db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            return None
        # The nurse sees it whole; a patient who asked to be forgotten is forgotten now.
        await forget_if_asked(self, row["chat_id"])
        return alert_of(row)

    async def get_alert(self, alert_id: int) -> Alert | None:
        row = self._db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return alert_of(row) if row else None

    async def open_alerts(self) -> list[Alert]:
        rows = self._db.execute(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY id").fetchall()
        return [alert_of(row) for row in rows]

    async def pending_alert_count(self) -> int:
        """Alerts stored and not delivered yet (new ones, and merged reports to edit in)."""
        row = self._db.execute(
            "SELECT count(*) FROM alerts WHERE status IN ('pending', 'update')").fetchone()
        return int(row[0])

    async def claim_update(self, update_id: int, now: datetime, lease: timedelta) -> bool:
        """Whether this caller should handle the update: not handled, nor claimed by a live handler."""
        claimed = self._db.execute(
            "INSERT INTO updates (update_id, claimed_until) VALUES (?, ?) "
            "ON CONFLICT (update_id) DO UPDATE SET claimed_until = excluded.claimed_until "
            "WHERE updates.handled_at IS NULL AND updates.claimed_until <= ? RETURNING update_id",
            (update_id, iso(now + lease), iso(now)),
        ).fetchall()
        return bool(claimed)

    async def release_claim(self, update_id: int) -> None:
        """Handling failed: the update's next delivery may be handled at once."""
        self._db.execute("UPDATE updates SET claimed_until = ? WHERE update_id = ? AND handled_at IS NULL",
                         (iso(datetime.min.replace(tzinfo=UTC)), update_id))

    async def is_handled(self, update_id: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM updates WHERE update_id = ? AND handled_at IS NOT NULL", (update_id,),
        ).fetchone()
        return row is not None

    async def mark_handled(self, update_id: int) -> None:
        now = iso(datetime.now(UTC))
        self._db.execute(
            "INSERT INTO updates (update_id, claimed_until, handled_at) VALUES (?, ?, ?) "
            "ON CONFLICT (update_id) DO UPDATE SET "
            "handled_at = COALESCE(updates.handled_at, excluded.handled_at)",
            (update_id, now, now))

    async def prune_updates(self, before: datetime) -> int:
        """Forget updates handled, or last claimed, before `before`; returns how many."""
        cursor = self._db.execute("DELETE FROM updates WHERE COALESCE(handled_at, claimed_until) < ?",
                                  (iso(before),))
        return cursor.rowcount

    def chat_lock(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        """Held while one update of the chat is handled, so two never interleave."""
        return self._chat_locks.hold(chat_id)

    async def close(self) -> None:
        self._db.close()


def _has_open_alert(db: sqlite3.Connection, chat_id: str) -> bool:
    return db.execute("SELECT 1 FROM alerts WHERE chat_id = ? AND acknowledged_at IS NULL",
                      (chat_id,)).fetchone() is not None


def _statements(script: str) -> list[str]:
    """A script's statements one by one: executescript would commit the open transaction."""
    statements, partial = [], ""
    for line in script.splitlines(keepends=True):
        partial += line
        if sqlite3.complete_statement(partial):
            statements.append(partial)
            partial = ""
    if any(line.strip() and not line.lstrip().startswith("--") for line in partial.splitlines()):
        raise ValueError(f"unterminated SQL statement: {partial.strip()[:200]}")
    return statements


def _chat_locks_for(path: str) -> ChatLocks:
    if path in ("", ":memory:"):  # a private database: nobody to share with
        return ChatLocks()
    key = str(Path(path).resolve())
    locks = _CHAT_LOCKS.get(key)
    if locks is None:
        locks = _CHAT_LOCKS[key] = ChatLocks()
    return locks
