"""The nurses' view of an alert, fitted to one Telegram message: newest reports first, older ones counted."""

from __future__ import annotations

import logging

from bot.content.model import TELEGRAM_MESSAGE_LIMIT, telegram_length
from bot.dialogue.respond import Responder
from bot.store.model import Alert, reports

logger = logging.getLogger(__name__)

ELLIPSIS = "\u2026"


def alert_text(responder: Responder, alert: Alert, room: int | None = TELEGRAM_MESSAGE_LIMIT) -> str:
    """The alert as the nurses read it, within `room` characters as Telegram counts them (None: all of it)."""
    newest_first = reports(alert.message)[::-1]
    if room is None:
        return _render(responder, alert, "\n".join(newest_first))
    free = room - telegram_length(_render(responder, alert, ""))
    shown: list[str] = []
    used = 0
    for report in newest_first:
        cost = telegram_length(report) + (1 if shown else 0)  # with the line break before it
        hidden = len(newest_first) - len(shown) - 1
        if used + cost + _summary_size(responder, alert, hidden) > free:
            break
        shown.append(report)
        used += cost
    if not shown:  # even the newest report alone is too long: the start of it
        summary = _summary_size(responder, alert, len(newest_first) - 1)
        shown.append(_cut(newest_first[0], free - summary - telegram_length(ELLIPSIS)) + ELLIPSIS)
    hidden = len(newest_first) - len(shown)
    if hidden:
        shown.append(_summary(responder, alert, hidden))
    return _render(responder, alert, "\n".join(shown))


def _render(responder: Responder, alert: Alert, message: str) -> str:
    return responder.render("utter_alert_nurse", {}, {
        "level": alert.level.upper(),
        "patient": alert.patient,
        "red_flags": ", ".join(alert.red_flags),
        "message": message,
        "time": f"{alert.updated_at:%Y-%m-%d %H:%M} UTC",
    }).text


def _summary(responder: Responder, alert: Alert, count: int) -> str:
    return responder.render("utter_alert_earlier_reports", {},
                            {"count": count, "alert_id": alert.id}).text


def _summary_size(responder: Responder, alert: Alert, count: int) -> int:
    """Room the line counting `count` earlier reports takes, with its line break (none for 0)."""
    return telegram_length(_summary(responder, alert, count)) + 1 if count else 0


def _cut(text: str, room: int) -> str:
    """The longest start of `text` within `room`."""
    size = 0
    for index, char in enumerate(text):
        size += telegram_length(char)
        if size > room:
            return text[:index]
    return text
