"""Enrollment links: the /start payload naming the treated site and date, the t.me link, its QR code."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import qrcode
from qrcode.image.pure import PyPNGImage

from bot.content import catalog

logger = logging.getLogger(__name__)

# Telegram's rule for /start payloads.
PAYLOAD_LIMIT = 64
_PAYLOAD_CHARS = re.compile(r"[A-Za-z0-9_-]*")
# Ours, within it: `prostate`, `prostate_20261201`, and either with the chat's language (`prostate_es`,
# `prostate_20261201_es`); links printed before the language was added still read the same.
_PAYLOAD = re.compile(r"(?P<site>[a-z]+)(?:_(?P<date>\d{8}))?(?:_(?P<lang>[a-z]{2}))?")
_DATE_FORMAT = "%Y%m%d"
# A procedure date further than this from today is a typo (or a forged link), not a plan.
DATE_WINDOW = dt.timedelta(days=366)


@dataclass(frozen=True)
class Enrollment:
    """What a nurse's link tells the bot: the treated site and, if given, the procedure date and the
    language to talk to the patient in."""

    site: str
    date: dt.date | None = None
    lang: str | None = None

    @property
    def payload(self) -> str:
        """The /start payload for this enrollment."""
        parts = [self.site, f"{self.date:{_DATE_FORMAT}}" if self.date else "", self.lang or ""]
        return "_".join(part for part in parts if part)


def enrollment(site: str, date: dt.date | None = None, today: dt.date | None = None,
               lang: str | None = None) -> Enrollment:
    """An enrollment for a known site, a plausible date and a language the bot speaks; raises ValueError
    for any other."""
    if site not in catalog.SITES:
        raise ValueError(f"unknown procedure site {site!r}; use one of {', '.join(catalog.SITES)}")
    if date is not None and not plausible(date, today):
        raise ValueError(f"procedure date {date.isoformat()} is more than a year from today")
    if lang is not None and lang not in catalog.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(catalog.LANGUAGES)}")
    return Enrollment(site, date, lang)


def plausible(date: dt.date, today: dt.date | None = None) -> bool:
    """Within a year before or after today."""
    today = today or dt.date.today()
    return today - DATE_WINDOW <= date <= today + DATE_WINDOW


def parse_payload(payload: str, today: dt.date | None = None) -> Enrollment | None:
    """The enrollment a /start payload names, or None for anything else (never raises); a date
    more than a year away, or a language the bot does not speak, is ignored (the site still counts)."""
    if len(payload) > PAYLOAD_LIMIT or not _PAYLOAD_CHARS.fullmatch(payload):
        return None
    match = _PAYLOAD.fullmatch(payload)
    if not match or match["site"] not in catalog.SITES:
        return None
    lang = match["lang"] if match["lang"] in catalog.LANGUAGES else None
    if match["date"] is None:
        return Enrollment(match["site"], lang=lang)
    try:
        date = dt.datetime.strptime(match["date"], _DATE_FORMAT).date()
    except ValueError:
        return None
    return Enrollment(match["site"], date if plausible(date, today) else None, lang)


def deep_link(bot_username: str, chosen: Enrollment) -> str:
    """The t.me link that opens the bot and sends /start with the payload."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={chosen.payload}"


def write_qr(url: str, path: Path) -> Path:
    """A QR code PNG of the link, big enough to scan from paper or a screen."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        code.make_image(image_factory=PyPNGImage).save(out)
    logger.info("QR code for %s written to %s", url, path)
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m bot link`."""
    parser.add_argument("--procedure", required=True, choices=catalog.SITES,
                        help="the treated site the link enrolls the patient for")
    parser.add_argument("--date", type=dt.date.fromisoformat,
                        help="the procedure date, YYYY-MM-DD (optional)")
    parser.add_argument("--lang", choices=catalog.LANGUAGES,
                        help="the language to talk to the patient in until they write (optional; "
                             "default: their Telegram language, else English)")
    parser.add_argument("--out", type=Path,
                        help="where to write the QR code PNG (default: enroll-PAYLOAD.png)")


def main(args: argparse.Namespace, username: str) -> int:
    """Print the enrollment link and write its QR code; 2 when the bot's username is unknown."""
    try:
        chosen = enrollment(args.procedure, args.date, lang=args.lang)
    except ValueError as error:
        print(f"--date: {error}", file=sys.stderr)
        return 2
    if not username:
        print("Set TELEGRAM_BOT_USERNAME (or TELEGRAM_BOT_TOKEN, to ask Telegram for it).",
              file=sys.stderr)
        return 2
    url = deep_link(username, chosen)
    path = write_qr(url, args.out or Path(f"enroll-{chosen.payload}.png"))
    print(url)
    print(f"QR code: {path}")
    if chosen.date is None:
        print("No --date: this patient gets no check-ins (they are planned from the procedure date).")
    return 0
