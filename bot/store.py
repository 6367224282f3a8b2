"""Chat state and the alert outbox, kept in SQLite (a file) by default."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from bot.triage import rank

logger = logging.getLogger(__name__)


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


class Store(Protocol):
    """What the bot keeps between messages."""

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
    async def acknowledge(self, alert_id: int, nurse: str, now: datetime) -> Alert | None: ...
    async def get_alert(self, alert_id: int) -> Alert | None: ...
    async def open_alerts(self) -> list[Alert]: ...
    async def is_handled(self, update_id: int) -> bool: ...
    async def mark_handled(self, update_id: int) -> None: ...
    async def close(self) -> None: ...


_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS chats (
        chat_id TEXT PRIMARY KEY,
        slots TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id TEXT NOT NULL,
        patient TEXT NOT NULL,
        level TEXT NOT NULL,
        red_flags TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL,
        due_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        nurse_message_id INTEGER,
        acknowledged_by TEXT,
        acknowledged_at TEXT
    )""",
    # Telegram update ids already answered: a redelivered update is recognized and skipped.
    """CREATE TABLE IF NOT EXISTS handled_updates (
        update_id INTEGER PRIMARY KEY,
        handled_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS alerts_due ON alerts (status, due_at)",
    "CREATE INDEX IF NOT EXISTS alerts_chat ON alerts (chat_id, created_at)",
]

# status: pending (to send), sent, update (sent, then merged with a new report: to edit).
_PENDING = ("pending", "update")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqliteStore:
    """The embedded store: one SQLite file, safe for one process."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._lock = asyncio.Lock()

    async def load_slots(self, chat_id: str) -> dict[str, Any]:
        row = self._db.execute("SELECT slots FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        return json.loads(row["slots"]) if row else {}

    async def save_slots(self, chat_id: str, slots: Mapping[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO chats (chat_id, slots, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET slots = excluded.slots, "
            "updated_at = excluded.updated_at",
            (chat_id, json.dumps(dict(slots)), _iso(datetime.now(UTC))),
        )

    async def forget(self, chat_id: str) -> None:
        async with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            # Alerts already sent stay with the nurses; what is stored here is blanked.
            self._db.execute(
                "UPDATE alerts SET patient = '(deleted)', message = '(deleted by the patient)' "
                "WHERE chat_id = ?", (chat_id,))
            self._db.execute("COMMIT")

    async def record_alert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> Alert:
        """Store a new alert, or fold a repeat report into the chat's open one."""
        async with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                alert_id = self._merge_or_insert(
                    chat_id, patient, level, red_flags, message, now, merge_window)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        alert = await self.get_alert(alert_id)
        assert alert is not None
        return alert

    def _merge_or_insert(
        self, chat_id: str, patient: str, level: str, red_flags: tuple[str, ...], message: str,
        now: datetime, merge_window: timedelta,
    ) -> int:
        row = self._db.execute(
            "SELECT * FROM alerts WHERE chat_id = ? AND acknowledged_at IS NULL "
            "AND created_at >= ? ORDER BY id DESC LIMIT 1",
            (chat_id, _iso(now - merge_window)),
        ).fetchone()
        # A worse level is news of its own: the nurses get a new alert, not an edit.
        if row is None or rank(level) > rank(row["level"]):
            cursor = self._db.execute(
                "INSERT INTO alerts (chat_id, patient, level, red_flags, message, created_at, "
                "updated_at, status, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
                (chat_id, patient, level, json.dumps(list(red_flags)), message,
                 _iso(now), _iso(now), _iso(now)),
            )
            return int(cursor.lastrowid or 0)
        flags = list(dict.fromkeys([*json.loads(row["red_flags"]), *red_flags]))
        status = "pending" if row["status"] == "pending" else "update"
        self._db.execute(
            "UPDATE alerts SET red_flags = ?, message = ?, updated_at = ?, status = ?, "
            "due_at = CASE WHEN status = 'sent' THEN ? ELSE due_at END WHERE id = ?",
            (json.dumps(flags), f"{row['message']}\n{message}", _iso(now), status, _iso(now),
             row["id"]),
        )
        return int(row["id"])

    async def claim_due_alerts(self, now: datetime, lease: timedelta, limit: int) -> list[Alert]:
        """Alerts due for sending; each is leased so a second sender leaves it alone."""
        async with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            rows = self._db.execute(
                "SELECT id FROM alerts WHERE status IN (?, ?) AND due_at <= ? "
                "ORDER BY CASE level WHEN 'emergency' THEN 0 ELSE 1 END, id LIMIT ?",
                (*_PENDING, _iso(now), limit),
            ).fetchall()
            ids = [row["id"] for row in rows]
            self._db.executemany(
                "UPDATE alerts SET due_at = ? WHERE id = ?",
                [(_iso(now + lease), alert_id) for alert_id in ids],
            )
            self._db.execute("COMMIT")
        return [a for a in [await self.get_alert(i) for i in ids] if a is not None]

    async def mark_sent(self, alert_id: int, nurse_message_id: int | None) -> None:
        self._db.execute(
            "UPDATE alerts SET status = 'sent', attempts = attempts + 1, last_error = NULL, "
            "nurse_message_id = COALESCE(?, nurse_message_id) WHERE id = ?",
            (nurse_message_id, alert_id),
        )

    async def mark_retry(self, alert_id: int, retry_at: datetime, error: str) -> None:
        self._db.execute(
            "UPDATE alerts SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE id = ?",
            (_iso(retry_at), error[:500], alert_id),
        )

    async def acknowledge(self, alert_id: int, nurse: str, now: datetime) -> Alert | None:
        """Record the first nurse who saw it; later presses change nothing."""
        self._db.execute(
            "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? "
            "WHERE id = ? AND acknowledged_at IS NULL",
            (nurse, _iso(now), alert_id),
        )
        return await self.get_alert(alert_id)

    async def get_alert(self, alert_id: int) -> Alert | None:
        row = self._db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return _alert(row) if row else None

    async def open_alerts(self) -> list[Alert]:
        rows = self._db.execute(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY id").fetchall()
        return [_alert(row) for row in rows]

    async def is_handled(self, update_id: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)).fetchone()
        return row is not None

    async def mark_handled(self, update_id: int) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
            (update_id, _iso(datetime.now(UTC))))

    async def close(self) -> None:
        self._db.close()


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=int(row["id"]),
        chat_id=row["chat_id"],
        patient=row["patient"],
        level=row["level"],
        red_flags=tuple(json.loads(row["red_flags"])),
        message=row["message"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        status=row["status"],
        attempts=int(row["attempts"]),
        nurse_message_id=row["nurse_message_id"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=_time(row["acknowledged_at"]),
    )


async def connect_store(database_url: str) -> Store:
    """The store a DATABASE_URL names, connected and with its schema up to date."""
    return open_store(database_url)


def open_store(database_url: str) -> Store:
    """The store a DATABASE_URL names: sqlite:///path (PostgreSQL arrives with scale-out)."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteStore(path)
    raise ValueError(f"DATABASE_URL {database_url!r}: only sqlite:///path is supported so far")
