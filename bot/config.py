"""Clinic settings, read once from the environment (and a `.env` file if present)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting has a value the bot cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything clinic-specific; nothing of this lives in code."""

    care_team_phone: str = "the care team number on your discharge papers"
    emergency_number: str = "911"
    crisis_line: str = "988"
    fever_line_f: float = 101.0
    content_dir: Path = PROJECT_ROOT
    database_url: str = "sqlite:///cryo-companion.db"
    nlu_threshold: float = 0.3
    alert_merge_minutes: int = 30
    alert_lease_seconds: float = 30.0
    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_bot_username: str = ""
    nurse_chat_id: int | None = None
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    # GET /metrics is served on the webhook port only behind this bearer token, or on its own port.
    metrics_token: str = ""
    metrics_port: int | None = None
    # Telegram's overall limit; only a local Bot API server (benchmarks) allows more.
    telegram_messages_per_second: float = 30.0
    # Past this many messages in this many seconds, a chat's ordinary answers collapse into one notice.
    flood_messages: int = 6
    flood_window_seconds: float = 20.0
    # A replica's claim on a Telegram update; after a crash, its redelivery waits this long.
    update_claim_seconds: float = 15.0
    log_level: str = "INFO"
    # Check-ins: the days after the procedure, and the clinic's hours [start, end) in CLINIC_TZ.
    checkin_days: tuple[int, ...] = (1, 3, 7, 14)
    checkin_hours: tuple[int, int] = (9, 19)
    clinic_tz: str = "UTC"
    # An alert nobody acknowledged is sent again after this many seconds, then to the on-call chat.
    alert_remind_after: float = 900.0
    oncall_chat_id: int | None = None

    @property
    def fever_line_c(self) -> float:
        """The fever line in Celsius, converted from the one configured unit."""
        return fahrenheit_to_celsius(self.fever_line_f)

    def placeholders(self) -> dict[str, str]:
        """Values for the clinic placeholders in responses."""
        return {
            "care_team_phone": self.care_team_phone,
            "emergency_number": self.emergency_number,
            "crisis_line": self.crisis_line,
            "fever_line_f": f"{self.fever_line_f:g}",
            "fever_line_c": f"{self.fever_line_c:.1f}",
        }


def fahrenheit_to_celsius(value: float) -> float:
    """Exact conversion; rounding is left to display."""
    return (value - 32.0) * 5.0 / 9.0


def celsius_to_fahrenheit(value: float) -> float:
    """Exact conversion; rounding is left to display."""
    return value * 9.0 / 5.0 + 32.0


_TEXT = {
    "CARE_TEAM_PHONE": "care_team_phone",
    "EMERGENCY_NUMBER": "emergency_number",
    "CRISIS_LINE": "crisis_line",
    "DATABASE_URL": "database_url",
    "TELEGRAM_BOT_TOKEN": "telegram_bot_token",
    "TELEGRAM_API_BASE_URL": "telegram_api_base_url",
    "TELEGRAM_BOT_USERNAME": "telegram_bot_username",
    "WEBHOOK_URL": "webhook_url",
    "WEBHOOK_SECRET": "webhook_secret",
    "WEBHOOK_LISTEN": "webhook_listen",
    "METRICS_TOKEN": "metrics_token",
    "LOG_LEVEL": "log_level",
}
_NUMBERS = {
    "FEVER_LINE_F": ("fever_line_f", float),
    "NLU_THRESHOLD": ("nlu_threshold", float),
    "ALERT_MERGE_MINUTES": ("alert_merge_minutes", int),
    "ALERT_LEASE_SECONDS": ("alert_lease_seconds", float),
    "WEBHOOK_PORT": ("webhook_port", int),
    "METRICS_PORT": ("metrics_port", int),
    "NURSE_CHAT_ID": ("nurse_chat_id", int),
    "TELEGRAM_MESSAGES_PER_SECOND": ("telegram_messages_per_second", float),
    "FLOOD_MESSAGES": ("flood_messages", int),
    "FLOOD_WINDOW_SECONDS": ("flood_window_seconds", float),
    "UPDATE_CLAIM_SECONDS": ("update_claim_seconds", float),
    "ONCALL_CHAT_ID": ("oncall_chat_id", int),
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smh])")
_DURATION_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}
# A check-in a year after the procedure is surely a typo (14 is the default's last).
MAX_CHECKIN_DAY = 365


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Settings from `environ` (default: the process environment over `.env`)."""
    if environ is None:
        file_values = dotenv_values(env_file or Path.cwd() / ".env")
        environ = {**{k: v for k, v in file_values.items() if v is not None}, **os.environ}
    values: dict[str, object] = {}
    for key, name in _TEXT.items():
        if environ.get(key):
            values[name] = environ[key].strip()
    for key, (name, kind) in _NUMBERS.items():
        if environ.get(key):
            try:
                values[name] = kind(environ[key].strip())
            except ValueError as error:
                raise SettingsError(f"{key}={environ[key]!r} is not a {kind.__name__}") from error
    values.update(_checkin_values(environ))
    if environ.get("CONTENT_DIR"):
        values["content_dir"] = Path(environ["CONTENT_DIR"])
    settings = Settings(**values)  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    if not 95.0 <= settings.fever_line_f <= 106.0:
        raise SettingsError(f"FEVER_LINE_F={settings.fever_line_f} is outside 95-106 (Fahrenheit)")
    if not 0.0 < settings.nlu_threshold < 1.0:
        raise SettingsError(f"NLU_THRESHOLD={settings.nlu_threshold} must be between 0 and 1")


def _checkin_values(environ: Mapping[str, str]) -> dict[str, object]:
    """The check-in and reminder settings, each parsed from its own small syntax."""
    parsers = {"CHECKIN_DAYS": ("checkin_days", parse_days), "CHECKIN_HOURS": ("checkin_hours", parse_hours),
               "CLINIC_TZ": ("clinic_tz", parse_zone),
               "ALERT_REMIND_AFTER": ("alert_remind_after", parse_duration)}
    values: dict[str, object] = {}
    for key, (name, parse) in parsers.items():
        raw = environ.get(key, "").strip()
        if raw:
            try:
                values[name] = parse(raw)
            except ValueError as error:
                raise SettingsError(f"{key}={raw!r}: {error}") from error
    return values


def parse_days(raw: str) -> tuple[int, ...]:
    """`1,3,7,14`: days after the procedure, each once, in order."""
    try:
        days = sorted({int(part) for part in raw.split(",")})
    except ValueError:
        raise ValueError("expected whole days after the procedure, like 1,3,7,14") from None
    if not all(1 <= day <= MAX_CHECKIN_DAY for day in days):
        raise ValueError(f"each day must be between 1 and {MAX_CHECKIN_DAY}")
    return tuple(days)


def parse_hours(raw: str) -> tuple[int, int]:
    """`9-19`: from 9:00 up to 19:00, clinic time; `0-24` is all day."""
    match = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2})", raw)
    if not match or not 0 <= int(match[1]) < int(match[2]) <= 24:
        raise ValueError("expected START-END hours with 0 <= START < END <= 24, like 9-19")
    return int(match[1]), int(match[2])


def parse_zone(raw: str) -> str:
    """An IANA time zone name, like Europe/Madrid."""
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected an IANA time zone name, like America/New_York or UTC") from None
    return raw


def parse_duration(raw: str) -> float:
    """`30s`, `15m`, `1h`: seconds."""
    match = _DURATION.fullmatch(raw.lower())
    if not match or float(match[1]) <= 0:
        raise ValueError("expected a duration like 30s, 15m or 1h")
    return float(match[1]) * _DURATION_UNITS[match[2]]
