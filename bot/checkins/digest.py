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
        lines.append(responder.render("utter_due_checkin_late" if late else "utter_due_checkin", {}, {
            "patient": checkin.patient, "day": checkin.day, "time": _when(checkin.sent_at or now)}).text)
    for alert in alerts:
        lines.append(responder.render("utter_due_alert", {}, {
            "alert_id": alert.id, "level": alert.level.upper(), "patient": alert.patient,
            "time": _when(alert.created_at)}).text)
    return Reply("\n".join(lines))


class Digest:
    """Once a day, when the check-in hours close, the day's check-ins in numbers to the nurses."""

    def __init__(self, store: Store, board: NurseBoard, responder: Responder, settings: Settings,
                 clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.board = board
        self.responder = responder
        self.settings = settings
        self.clock = clock

    async def send_if_due(self) -> int:
        """The digest of a day whose hours have closed, by the one replica that claims it first.

        A day without a check-in sent has nothing to sum up, and gets no digest.
        """
        now = self.clock()
        today = local_date(now, self.settings.clinic_tz)
        for day in (today - dt.timedelta(days=1), today):
            closes = window(day, 0, self.settings.checkin_hours, self.settings.clinic_tz)[1]
            if closes <= now < closes + LATE_DIGEST and await self.store.claim_digest(day.isoformat(), now):
                since = closes - dt.timedelta(days=1)
                sent = [c for c in await self.store.checkins_since(since) if c.sent_at and c.sent_at < closes]
                if not sent:
                    continue
                await self.board.post(await self.text(day, since, sent))
                logger.info("digest of %s sent to the nurses", day)
                return 1
        return 0

    async def text(self, day: dt.date, since: dt.datetime, sent: list[Checkin]) -> str:
        questions = await self.store.unanswered_since(since)
        return self.responder.render("utter_digest", {}, {
            "date": day.isoformat(), "sent": len(sent), "answered": _count(sent, "answered"),
            "flagged": sum(c.flagged for c in sent), "waiting": _count(sent, "sent"),
            "questions": len(questions)}).text


def _count(checkins: list[Checkin], status: str) -> int:
    return sum(c.status == status for c in checkins)
