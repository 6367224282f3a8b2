"""Settings: the check-in and reminder settings parsed, and a malformed one named at start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT, SettingsError, load_settings


def test_checkin_and_reminder_settings_are_read() -> None:
    settings = load_settings({"CHECKIN_DAYS": "14, 1,3", "CHECKIN_HOURS": "8-20",
                              "CLINIC_TZ": "Europe/Madrid", "ALERT_REMIND_AFTER": "30s",
                              "ONCALL_CHAT_ID": "-100777"})
    assert settings.checkin_days == (1, 3, 14)
    assert settings.checkin_hours == (8, 20)
    assert settings.clinic_tz == "Europe/Madrid"
    assert settings.alert_remind_after == 30.0
    assert settings.oncall_chat_id == -100777
    defaults = load_settings({})
    assert defaults.checkin_days == (1, 3, 7, 14)
    assert (defaults.checkin_hours, defaults.clinic_tz) == ((9, 19), "UTC")
    assert (defaults.alert_remind_after, defaults.oncall_chat_id) == (900.0, None)
    assert [load_settings({"ALERT_REMIND_AFTER": v}).alert_remind_after for v in ("15m", "1h", "90s")] == [
        900.0, 3600.0, 90.0]


@pytest.mark.parametrize(("key", "value"), [
    ("CHECKIN_DAYS", "1,three"), ("CHECKIN_DAYS", "0,3"), ("CHECKIN_DAYS", "1,,3"),
    ("CHECKIN_HOURS", "19-9"), ("CHECKIN_HOURS", "9-25"), ("CHECKIN_HOURS", "nine"),
    ("CLINIC_TZ", "Mars/Olympus"), ("CLINIC_TZ", "../etc"),
    ("ALERT_REMIND_AFTER", "15"), ("ALERT_REMIND_AFTER", "0m"), ("ALERT_REMIND_AFTER", "1d"),
    ("ONCALL_CHAT_ID", "the on-call nurse"),
])
def test_a_malformed_setting_is_refused_by_name(key: str, value: str) -> None:
    with pytest.raises(SettingsError, match=key):
        load_settings({key: value})


def test_the_bot_does_not_start_with_a_malformed_setting_and_says_which() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, timeout=60,
                            cwd=PROJECT_ROOT, env={"CHECKIN_HOURS": "9-7", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.startswith("Cannot start: CHECKIN_HOURS='9-7': expected START-END hours")
    assert "Traceback" not in result.stderr
