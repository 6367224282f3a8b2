"""Alerts nobody acknowledged come back: a new message to the nurses' group, then to the on-call chat."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from bot.alerts import AlertSender, DeliveryError
from bot.metrics import ALERT_REMINDERS
from bot.store.connect import Alert, Store

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=30)


class NurseBoard(Protocol):
    """New messages for the nurses: their group, or the on-call chat; an alert's carry its button."""

    async def post(self, text: str, alert: Alert | None = None, oncall: bool = False) -> None: ...


def waited(span: dt.timedelta) -> str:
    """A span as a nurse would say it: 45 seconds, 15 minutes, 2 hours."""
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    return f"{seconds // 3600} hours"


class AlertReminders:
    """Each pass sends the reminders due: a new message (an edit would not notify anyone)."""

    def __init__(self, store: Store, board: NurseBoard, sender: AlertSender, after: dt.timedelta,
                 oncall: bool, clock: Callable[[], dt.datetime], lease: dt.timedelta = LEASE) -> None:
        self.store = store
        self.board = board
        self.sender = sender
        self.after = after
        # Without an on-call chat there is one reminder, to the group.
        self.stages = 2 if oncall else 1
        self.clock = clock
        self.lease = lease

    async def remind_due(self, limit: int = 20) -> int:
        """Reminders for the alerts still unacknowledged; returns how many went out."""
        now = self.clock()
        sent = 0
        for alert in await self.store.claim_due_reminders(now, self.after, self.stages, self.lease, limit):
            to_oncall = alert.reminders >= 1
            header = self.sender.responder.render(
                "utter_alert_oncall" if to_oncall else "utter_alert_reminder", {},
                {"waited": waited(now - alert.created_at)}).text
            try:
                await self.board.post(f"{header}\n\n{self.sender.text(alert)}", alert, oncall=to_oncall)
            except DeliveryError as error:
                # The claim lapses and the next pass after it tries again.
                logger.warning("reminder for alert %d not delivered (%s)", alert.id, error)
                continue
            await self.store.mark_reminded(alert.id, now)
            ALERT_REMINDERS.labels("oncall" if to_oncall else "nurses").inc()
            logger.info("alert %d: reminder %d sent%s", alert.id, alert.reminders + 1,
                        " to the on-call chat" if to_oncall else "")
            sent += 1
        return sent
