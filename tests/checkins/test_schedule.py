"""The check-in schedule: days after the procedure, the clinic's hours in its time zone, clock changes."""

from __future__ import annotations

import datetime as dt

from bot.checkins.schedule import local_date, plan, window
from bot.config import Settings
from bot.store.connect import Planned

UTC = dt.UTC
SURGERY = dt.date(2026, 11, 20)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_each_day_of_checkin_days_gets_one_window_in_the_clinic_hours() -> None:
    planned = plan(SURGERY, Settings(), _at(20, 15))
    assert [(p.day, p.due_at, p.closes_at) for p in planned] == [
        (1, _at(21, 9), _at(21, 19)), (3, _at(23, 9), _at(23, 19)),
        (7, _at(27, 9), _at(27, 19)), (14, dt.datetime(2026, 12, 4, 9, tzinfo=UTC),
                                       dt.datetime(2026, 12, 4, 19, tzinfo=UTC))]


def test_the_window_is_the_clinics_local_time() -> None:
    madrid = Settings(checkin_days=(1,), checkin_hours=(9, 19), clinic_tz="Europe/Madrid")
    # November: Madrid is UTC+1, so 9:00 there is 8:00 UTC.
    assert plan(SURGERY, madrid, _at(20, 12)) == [Planned(1, _at(21, 8), _at(21, 18))]
    tokyo = Settings(checkin_days=(1,), clinic_tz="Asia/Tokyo")
    # Tokyo is UTC+9: its day 1 opens at midnight UTC and closes at 10:00 UTC.
    assert plan(SURGERY, tokyo, _at(20, 12)) == [Planned(1, _at(21, 0), _at(21, 10))]


def test_a_patient_enrolled_late_gets_the_open_days_checkin_now_and_none_of_the_days_gone() -> None:
    settings = Settings(checkin_days=(1, 3))
    # Enrolled on day 1 at 11:00, its window open: day 1 is due at once.
    late = _at(21, 11, 30)
    day_3 = Planned(3, _at(23, 9), _at(23, 19))
    assert plan(SURGERY, settings, late) == [Planned(1, late, _at(21, 19)), day_3]
    # Enrolled on day 1 at 20:00, after the window: day 1 is gone, day 3 stays.
    assert plan(SURGERY, settings, _at(21, 20)) == [day_3]
    # Enrolled two weeks late: nothing left.
    assert plan(SURGERY, settings, _at(30, 9)) == []


def test_an_all_day_window_ends_at_midnight() -> None:
    settings = Settings(checkin_days=(1,), checkin_hours=(0, 24))
    assert plan(SURGERY, settings, _at(20, 23)) == [Planned(1, _at(21, 0), _at(22, 0))]


def test_clock_changes_move_the_utc_moment_never_double_or_skip_a_day() -> None:
    new_york = "America/New_York"
    # Clocks went forward on 8 March 2026 and back on 1 November 2026.
    for procedure in (dt.date(2026, 3, 7), dt.date(2026, 10, 31)):
        days = tuple(range(1, 4))
        windows = [window(procedure, day, (9, 19), new_york) for day in days]
        assert len({opens.date() for opens, _ in windows}) == len(days)
        assert all(closes - opens == dt.timedelta(hours=10) for opens, closes in windows)
    spring = [window(dt.date(2026, 3, 6), day, (9, 19), new_york)[0] for day in (1, 2)]
    assert spring == [dt.datetime(2026, 3, 7, 14, tzinfo=UTC), dt.datetime(2026, 3, 8, 13, tzinfo=UTC)]
    autumn = [window(dt.date(2026, 10, 30), day, (9, 19), new_york)[0] for day in (1, 2)]
    assert autumn == [dt.datetime(2026, 10, 31, 13, tzinfo=UTC), dt.datetime(2026, 11, 1, 14, tzinfo=UTC)]
    # A window around the change itself (1:00 to 4:00 on the spring day) is 2 hours long, once.
    opens, closes = window(dt.date(2026, 3, 7), 1, (1, 4), new_york)
    assert (opens, closes) == (dt.datetime(2026, 3, 8, 6, tzinfo=UTC), dt.datetime(2026, 3, 8, 8, tzinfo=UTC))


def test_the_clinic_date_is_taken_in_its_time_zone() -> None:
    assert local_date(_at(21, 23, 30), "Europe/Madrid") == dt.date(2026, 11, 22)
    assert local_date(_at(21, 23, 30), "UTC") == dt.date(2026, 11, 21)
