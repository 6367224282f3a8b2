"""When check-ins go out: the days after the procedure, inside the clinic's hours, in its time zone."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.store.connect import Planned

logger = logging.getLogger(__name__)


def window(procedure: dt.date, day: int, hours: tuple[int, int],
           zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments the clinic's hours open and close on the day `day` days after `procedure`.

    Each day is converted on its own, so a clock change between the procedure and the check-in
    moves the UTC moment, never the local hour, and no day is doubled or skipped.
    """
    local_day = procedure + dt.timedelta(days=day)
    tz = ZoneInfo(zone)
    return _at(local_day, hours[0], tz), _at(local_day, hours[1], tz)


def _at(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    # 24 is the end of the day: midnight at the start of the next.
    day, hour = (day + dt.timedelta(days=1), 0) if hour == 24 else (day, hour)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


def plan(procedure: dt.date, settings: Settings, now: dt.datetime) -> list[Planned]:
    """The check-ins still to come: a day whose window has closed is left out; one open now is due now."""
    planned = []
    for day in settings.checkin_days:
        opens, closes = window(procedure, day, settings.checkin_hours, settings.clinic_tz)
        if closes > now:
            planned.append(Planned(day, max(opens, now), closes))
    return planned


def local_date(moment: dt.datetime, zone: str) -> dt.date:
    """The clinic's calendar date at a moment."""
    return moment.astimezone(ZoneInfo(zone)).date()
