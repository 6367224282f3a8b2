"""Check-ins, alert reminders, digests and unanswered questions in the PostgreSQL store."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import asyncpg

from bot.store.model import Alert, Checkin, Planned

logger = logging.getLogger(__name__)


class PostgresCheckins:
    """Mixed into PostgresStore: claims take rows with FOR UPDATE SKIP LOCKED, so replicas share."""

    _pool: asyncpg.Pool

    async def claim_due_reminders(self, now: datetime, after: timedelta, stages: int, lease: timedelta,
                                  limit: int) -> list[Alert]:
        """Sent alerts nobody acknowledged within `after` of the alert (or of its last reminder)."""
        rows = await self._pool.fetch(
            "WITH due AS (SELECT id FROM alerts WHERE acknowledged_at IS NULL"
            " AND nurse_message_id IS NOT NULL AND reminders < $1"
            " AND COALESCE(reminded_at, created_at) <= $2"
            " AND COALESCE(reminder_claimed_until, '-infinity') <= $3"
            " ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) "
            "UPDATE alerts SET reminder_claimed_until = $5 FROM due WHERE alerts.id = due.id "
            "RETURNING alerts.*",
            stages, now - after, now, limit, now + lease)
        return sorted((alert_of(row) for row in rows), key=lambda alert: alert.id)

    async def mark_reminded(self, alert_id: int, now: datetime) -> None:
        await self._pool.execute(
            "UPDATE alerts SET reminders = reminders + 1, reminded_at = $2, reminder_claimed_until = NULL "
            "WHERE id = $1", alert_id, now)

    async def schedule_checkins(self, chat_id: str, patient: str, site: str,
                                planned: Iterable[Planned]) -> int:
        """Store the chat's check-ins; those not sent yet move to a new date, stopped ones stay so."""
        rows = [(chat_id, plan.day, site, patient, plan.due_at, plan.closes_at) for plan in planned]
        await self._pool.executemany(
            "INSERT INTO checkins (chat_id, day, site, patient, due_at, closes_at, status) "
            "VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (chat_id, day) DO UPDATE SET "
            "site = excluded.site, patient = excluded.patient, due_at = excluded.due_at, "
            "closes_at = excluded.closes_at, claimed_until = NULL, "
            "status = CASE checkins.status WHEN 'stopped' THEN 'stopped' ELSE 'pending' END "
            "WHERE checkins.status IN ('pending', 'missed', 'stopped')", rows)
        return len(rows)

    async def claim_due_checkins(self, now: datetime, lease: timedelta, limit: int) -> list[Checkin]:
        """Check-ins whose window is open, oldest first, each leased to this sender."""
        # Both statements skip rows another replica holds, so replicas never wait on each other;
        # one being sent as its window closes is left to its sender.
        await self._pool.execute(
            "WITH closed AS (SELECT chat_id, day FROM checkins WHERE status = 'pending' AND closes_at <= $1"
            " AND COALESCE(claimed_until, '-infinity') <= $1 FOR UPDATE SKIP LOCKED) "
            "UPDATE checkins SET status = 'missed' FROM closed "
            "WHERE checkins.chat_id = closed.chat_id AND checkins.day = closed.day", now)
        rows = await self._pool.fetch(
            "WITH due AS (SELECT chat_id, day FROM checkins WHERE status = 'pending' AND due_at <= $1"
            " AND closes_at > $1 AND COALESCE(claimed_until, '-infinity') <= $1"
            " ORDER BY due_at, chat_id LIMIT $2 FOR UPDATE SKIP LOCKED) "
            "UPDATE checkins SET claimed_until = $3 FROM due "
            "WHERE checkins.chat_id = due.chat_id AND checkins.day = due.day RETURNING checkins.*",
            now, limit, now + lease)
        return sorted((_checkin(row) for row in rows), key=lambda c: (c.due_at, c.chat_id))

    async def mark_checkin_sent(self, chat_id: str, day: int, now: datetime) -> None:
        await self._pool.execute(
            "UPDATE checkins SET status = 'sent', sent_at = $3, attempts = attempts + 1, last_error = NULL, "
            "claimed_until = NULL WHERE chat_id = $1 AND day = $2 AND status = 'pending'",
            chat_id, day, now)

    async def mark_checkin_retry(self, chat_id: str, day: int, retry_at: datetime, error: str) -> None:
        await self._pool.execute(
            "UPDATE checkins SET attempts = attempts + 1, last_error = $3, claimed_until = $4 "
            "WHERE chat_id = $1 AND day = $2", chat_id, day, error[:500], retry_at)

    async def mark_checkins_blocked(self, chat_id: str, error: str) -> int:
        """The patient blocked the bot: none of their check-ins is tried again."""
        status = await self._pool.execute(
            "UPDATE checkins SET status = 'blocked', last_error = $2, claimed_until = NULL "
            "WHERE chat_id = $1 AND status = 'pending'", chat_id, error[:500])
        return int(status.split()[-1])

    async def answer_checkin(self, chat_id: str, answer: str, flagged: bool, now: datetime) -> Checkin | None:
        """The chat's latest check-in of the last day takes the answer; a later red flag still flags it."""
        row = await self._pool.fetchrow(
            "WITH latest AS (SELECT chat_id, day FROM checkins WHERE chat_id = $1"
            " AND status IN ('sent', 'answered') AND sent_at >= $2 ORDER BY sent_at DESC LIMIT 1) "
            "UPDATE checkins SET status = 'answered', answered_at = COALESCE(answered_at, $3), "
            "answer = COALESCE(answer, $4), flagged = flagged OR $5 FROM latest "
            "WHERE checkins.chat_id = latest.chat_id AND checkins.day = latest.day RETURNING checkins.*",
            chat_id, now - timedelta(days=1), now, answer, flagged)
        return _checkin(row) if row else None

    async def pause_checkins(self, chat_id: str, paused: bool, now: datetime) -> int:
        """Stop the chat's coming check-ins, or resume those whose window has not closed."""
        if paused:
            status = await self._pool.execute(
                "UPDATE checkins SET status = 'stopped' WHERE chat_id = $1 AND status = 'pending'", chat_id)
        else:
            status = await self._pool.execute(
                "UPDATE checkins SET status = 'pending', due_at = GREATEST(due_at, $2) "
                "WHERE chat_id = $1 AND status = 'stopped' AND closes_at > $2", chat_id, now)
        return int(status.split()[-1])

    async def checkins_since(self, since: datetime) -> list[Checkin]:
        """Check-ins sent since `since`, in the order they went out."""
        rows = await self._pool.fetch(
            "SELECT * FROM checkins WHERE sent_at >= $1 ORDER BY sent_at, chat_id", since)
        return [_checkin(row) for row in rows]

    async def claim_digest(self, day: str, now: datetime) -> bool:
        claimed = await self._pool.fetchval(
            "INSERT INTO digests (day, sent_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING day",
            day, now)
        return claimed is not None

    async def record_unanswered(self, text: str, closest: str, confidence: float, now: datetime) -> None:
        await self._pool.execute(
            "INSERT INTO unanswered (asked_at, closest, confidence, text) VALUES ($1, $2, $3, $4)",
            now, closest, confidence, text)

    async def unanswered_since(self, since: datetime) -> list[tuple[str, str]]:
        """(closest intent, text) of each question the bot could not answer since `since`."""
        rows = await self._pool.fetch(
            "SELECT closest, text FROM unanswered WHERE asked_at >= $1 ORDER BY id", since)
        return [(row["closest"], row["text"]) for row in rows]


def _checkin(row: asyncpg.Record) -> Checkin:
    return Checkin(
        chat_id=row["chat_id"], day=int(row["day"]), site=row["site"], patient=row["patient"],
        due_at=row["due_at"], closes_at=row["closes_at"], status=row["status"], sent_at=row["sent_at"],
        answered_at=row["answered_at"], answer=row["answer"], flagged=row["flagged"])


def alert_of(row: asyncpg.Record) -> Alert:
    return Alert(
        id=int(row["id"]),
        chat_id=row["chat_id"],
        patient=row["patient"],
        level=row["level"],
        red_flags=tuple(row["red_flags"]),
        message=row["message"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        status=row["status"],
        attempts=int(row["attempts"]),
        nurse_message_id=row["nurse_message_id"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=row["acknowledged_at"],
        reminders=int(row["reminders"]),
        last_error=row["last_error"],
    )
