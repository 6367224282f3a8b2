"""Check-ins, alert reminders, digests and unanswered questions in the SQLite store."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

from bot.store.model import Alert, Checkin, Planned

logger = logging.getLogger(__name__)

_NEVER = "0001-01-01T00:00:00+00:00"


def iso(moment: datetime) -> str:
    """How SQLite keeps a moment: UTC ISO text, which sorts as time does."""
    return moment.astimezone(UTC).isoformat()


def time_of(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqliteCheckins:
    """Mixed into SqliteStore: each claim is one statement, so one transaction."""

    _db: sqlite3.Connection
    _transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    async def claim_due_reminders(self, now: datetime, after: timedelta, stages: int, lease: timedelta,
                                  limit: int) -> list[Alert]:
        """Sent alerts nobody acknowledged within `after` of the alert (or of its last reminder)."""
        rows = self._db.execute(
            "UPDATE alerts SET reminder_claimed_until = ? WHERE id IN ("
            " SELECT id FROM alerts WHERE acknowledged_at IS NULL AND nurse_message_id IS NOT NULL"
            " AND reminders < ? AND COALESCE(reminded_at, created_at) <= ?"
            " AND COALESCE(reminder_claimed_until, ?) <= ? ORDER BY id LIMIT ?) RETURNING *",
            (iso(now + lease), stages, iso(now - after), _NEVER, iso(now), limit),
        ).fetchall()
        return sorted((alert_of(row) for row in rows), key=lambda alert: alert.id)

    async def mark_reminded(self, alert_id: int, now: datetime) -> None:
        self._db.execute(
            "UPDATE alerts SET reminders = reminders + 1, reminded_at = ?, reminder_claimed_until = NULL "
            "WHERE id = ?", (iso(now), alert_id))

    async def schedule_checkins(self, chat_id: str, patient: str, site: str,
                                planned: Iterable[Planned]) -> int:
        """Store the chat's check-ins; those not sent yet move to a new date, stopped ones stay so."""
        count = 0
        with self._transaction() as db:
            for plan in planned:
                db.execute(
                    "INSERT INTO checkins (chat_id, day, site, patient, due_at, closes_at, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (chat_id, day) DO UPDATE SET "
                    "site = excluded.site, patient = excluded.patient, due_at = excluded.due_at, "
                    "closes_at = excluded.closes_at, claimed_until = NULL, "
                    "status = CASE checkins.status WHEN 'stopped' THEN 'stopped' ELSE 'pending' END "
                    "WHERE checkins.status IN ('pending', 'missed', 'stopped')",
                    (chat_id, plan.day, site, patient, iso(plan.due_at), iso(plan.closes_at)))
                count += 1
        return count

    async def claim_due_checkins(self, now: datetime, lease: timedelta, limit: int) -> list[Checkin]:
        """Check-ins whose window is open, oldest first, each leased to this sender."""
        with self._transaction() as db:
            # One being sent as its window closes is left to its sender.
            db.execute("UPDATE checkins SET status = 'missed' WHERE status = 'pending' AND closes_at <= ? "
                       "AND COALESCE(claimed_until, ?) <= ?", (iso(now), _NEVER, iso(now)))
            rows = db.execute(
                "UPDATE checkins SET claimed_until = ? WHERE (chat_id, day) IN ("
                " SELECT chat_id, day FROM checkins WHERE status = 'pending' AND due_at <= ?"
                " AND closes_at > ? AND COALESCE(claimed_until, ?) <= ?"
                " ORDER BY due_at, chat_id LIMIT ?) RETURNING *",
                (iso(now + lease), iso(now), iso(now), _NEVER, iso(now), limit)).fetchall()
        return sorted((_checkin(row) for row in rows), key=lambda c: (c.due_at, c.chat_id))

    async def mark_checkin_sent(self, chat_id: str, day: int, now: datetime) -> None:
        self._db.execute(
            "UPDATE checkins SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, "
            "claimed_until = NULL WHERE chat_id = ? AND day = ? AND status = 'pending'",
            (iso(now), chat_id, day))

    async def mark_checkin_retry(self, chat_id: str, day: int, retry_at: datetime, error: str) -> None:
        self._db.execute(
            "UPDATE checkins SET attempts = attempts + 1, last_error = ?, claimed_until = ? "
            "WHERE chat_id = ? AND day = ?", (error[:500], iso(retry_at), chat_id, day))

    async def mark_checkins_blocked(self, chat_id: str, error: str) -> int:
        """The patient blocked the bot: none of their check-ins is tried again."""
        cursor = self._db.execute(
            "UPDATE checkins SET status = 'blocked', last_error = ?, claimed_until = NULL "
            "WHERE chat_id = ? AND status = 'pending'", (error[:500], chat_id))
        return cursor.rowcount

    async def answer_checkin(self, chat_id: str, answer: str, flagged: bool, now: datetime) -> Checkin | None:
        """The chat's latest check-in of the last day takes the answer; a later red flag still flags it."""
        rows = self._db.execute(
            "UPDATE checkins SET status = 'answered', answered_at = COALESCE(answered_at, ?), "
            "answer = COALESCE(answer, ?), flagged = MAX(flagged, ?) WHERE (chat_id, day) IN ("
            " SELECT chat_id, day FROM checkins WHERE chat_id = ? AND status IN ('sent', 'answered')"
            " AND sent_at >= ? ORDER BY sent_at DESC LIMIT 1) RETURNING *",
            (iso(now), answer, int(flagged), chat_id, iso(now - timedelta(days=1)))).fetchall()
        return _checkin(rows[0]) if rows else None

    async def pause_checkins(self, chat_id: str, paused: bool, now: datetime) -> int:
        """Stop the chat's coming check-ins, or resume those whose window has not closed."""
        if paused:
            cursor = self._db.execute(
                "UPDATE checkins SET status = 'stopped' WHERE chat_id = ? AND status = 'pending'", (chat_id,))
        else:
            cursor = self._db.execute(
                "UPDATE checkins SET status = 'pending', due_at = MAX(due_at, ?) "
                "WHERE chat_id = ? AND status = 'stopped' AND closes_at > ?", (iso(now), chat_id, iso(now)))
        return cursor.rowcount

    async def checkins_since(self, since: datetime) -> list[Checkin]:
        """Check-ins sent since `since`, in the order they went out."""
        rows = self._db.execute("SELECT * FROM checkins WHERE sent_at >= ? ORDER BY sent_at, chat_id",
                                (iso(since),)).fetchall()
        return [_checkin(row) for row in rows]

    async def claim_digest(self, day: str, now: datetime) -> bool:
        rows = self._db.execute("INSERT INTO digests (day, sent_at) VALUES (?, ?) "
                                "ON CONFLICT (day) DO NOTHING RETURNING day", (day, iso(now))).fetchall()
        return bool(rows)

    async def record_unanswered(self, text: str, closest: str, confidence: float, now: datetime) -> None:
        self._db.execute("INSERT INTO unanswered (asked_at, closest, confidence, text) VALUES (?, ?, ?, ?)",
                         (iso(now), closest, confidence, text))

    async def unanswered_since(self, since: datetime) -> list[tuple[str, str]]:
        """(closest intent, text) of each question the bot could not answer since `since`."""
        rows = self._db.execute("SELECT closest, text FROM unanswered WHERE asked_at >= ? ORDER BY id",
                                (iso(since),)).fetchall()
        return [(row["closest"], row["text"]) for row in rows]


def _checkin(row: sqlite3.Row) -> Checkin:
    return Checkin(
        chat_id=row["chat_id"], day=int(row["day"]), site=row["site"], patient=row["patient"],
        due_at=datetime.fromisoformat(row["due_at"]), closes_at=datetime.fromisoformat(row["closes_at"]),
        status=row["status"], sent_at=time_of(row["sent_at"]), answered_at=time_of(row["answered_at"]),
        answer=row["answer"], flagged=bool(row["flagged"]))


def alert_of(row: sqlite3.Row) -> Alert:
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
        acknowledged_at=time_of(row["acknowledged_at"]),
        reminders=int(row["reminders"]),
        last_error=row["last_error"],
    )
