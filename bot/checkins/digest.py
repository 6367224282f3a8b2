"""What the nurses see of the check-ins: /due (waiting now) and the daily digest (the day's totals)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.checkins.reminders import NurseBoard
from bot.checkins.schedule import local_date, window
from bot.config import Settings
from bot.dialogue.respond import Reply, Responder
from bot.store.connect import Checkin, Store

logger = logging.getLogger(__name__)

ANSWER_WITHIN = dt.timedelta(days=1)
# A digest whose time passed while no bot ran is still sent this long after.
LATE_DIGEST = dt.timedelta(hours=12)


def _when(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


async def due_listing(store: Store, responder: Responder, now: dt.datetime) -> Reply:
    """/due: check-ins sent and not answered (the ones past a day marked), and the open alerts."""
    waiting = [c for c in await store.checkins_since(now - 2 * ANSWER_WITHIN) if c.status == "sent"]
    alerts = await store.open_alerts()
    if not waiting and not alerts:
        return responder.render("utter_due_none", {})
    lines = [responder.render("utter_due_header", {}).text]
    for checkin in waiting:
        late = checkin.sent_at is not None and now - checkin.sent_at > ANSWER_WITHIN
        lines.append(_checkin_line(responder, checkin, late))
    for alert in alerts:
        lines.append(responder.render("utter_due_alert", {}, {
            "alert_id": alert.id, "level": alert.level.upper(), "patient": alert.patient,
            "time": _when(alert.created_at)}).text)
    return Reply("\n".join(lines))


class Digest:
    """Once a day, when the check-in hours close: the day's check-ins in numbers, and who has not answered."""

    def __init__(self, store: Store, board: NurseBoard, responder: Responder, settings: Settings,
                 clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.board = board
        self.responder = responder
        self.settings = settings
        self.clock = clock

    async def send_if_due(self) -> int:
        """The digest of a day whose hours have closed, by the one replica that claims it first.

        A day without a check-in sent, nor one waiting for an answer, gets no digest.
        """
        now = self.clock()
        today = local_date(now, self.settings.clinic_tz)
        for day in (today - dt.timedelta(days=1), today):
            closes = window(day, 0, self.settings.checkin_hours, self.settings.clinic_tz)[1]
            if closes <= now < closes + LATE_DIGEST and await self.store.claim_digest(day.isoformat(), now):
                text = await self.text(day, closes)
                if text:
                    await self.board.post(text)
                    logger.info("digest of %s sent to the nurses", day)
                    return 1
        return 0

    async def text(self, day: dt.date, closes: dt.datetime) -> str:
        """The day's figures, then the patients whose check-in has waited over a day ("" if none of it)."""
        since = closes - ANSWER_WITHIN
        recent = await self.store.checkins_since(since - ANSWER_WITHIN)
        sent = [c for c in recent if c.sent_at and since <= c.sent_at < closes]
        overdue = [c for c in recent if c.status == "sent" and c.sent_at and c.sent_at < since]
        if not sent and not overdue:
            return ""
        questions = await self.store.unanswered_since(since)
        lines = [self.responder.render("utter_digest", {}, {
            "date": day.isoformat(), "sent": len(sent), "answered": _count(sent, "answered"),
            "flagged": sum(c.flagged for c in sent), "waiting": _count(sent, "sent"),
            "questions": len(questions)}).text]
        if overdue:
            lines.append(self.responder.render("utter_digest_overdue", {}).text)
            lines.extend(_checkin_line(self.responder, checkin, late=True) for checkin in overdue)
        return "\n".join(lines)


def _checkin_line(responder: Responder, checkin: Checkin, late: bool) -> str:
    sent = checkin.sent_at or checkin.due_at
    return responder.render("utter_due_checkin_late" if late else "utter_due_checkin", {}, {
        "patient": checkin.patient, "day": checkin.day, "time": _when(sent)}).text


def _count(checkins: list[Checkin], status: str) -> int:
    return sum(c.status == status for c in checkins)
