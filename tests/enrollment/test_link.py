"""Enrollment links: the strict /start payload, the t.me link, and the QR code a nurse prints."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import png
import pytest
import qrcode

from bot.enrollment.link import PAYLOAD_LIMIT, Enrollment, deep_link, enrollment, parse_payload, write_qr
from tests.telegram.botapi import BotApiServer

TODAY = dt.date(2026, 11, 21)


def test_payload_round_trip_within_telegrams_rules() -> None:
    chosen = enrollment("prostate", dt.date(2026, 12, 1), TODAY)
    assert chosen.payload == "prostate_20261201"
    assert parse_payload(chosen.payload, TODAY) == chosen
    assert parse_payload("liver") == Enrollment("liver")
    assert len(enrollment("mesothelioma", dt.date(2026, 1, 1), TODAY).payload) <= PAYLOAD_LIMIT


def test_a_link_may_name_the_chats_language_and_old_links_read_the_same() -> None:
    chosen = enrollment("kidney", dt.date(2026, 12, 1), TODAY, lang="es")
    assert chosen.payload == "kidney_20261201_es"
    assert parse_payload(chosen.payload, TODAY) == chosen
    assert parse_payload("kidney_es") == Enrollment("kidney", lang="es")
    assert parse_payload("kidney_20261201", TODAY) == Enrollment("kidney", dt.date(2026, 12, 1))
    assert parse_payload("kidney_fr") == Enrollment("kidney")  # a language the bot does not speak
    with pytest.raises(ValueError, match="unknown language"):
        enrollment("kidney", lang="fr")


@pytest.mark.parametrize("date", ["00010101", "99991231", "20251119", "20271123"])
def test_a_date_more_than_a_year_away_is_ignored_in_a_payload(date: str) -> None:
    assert parse_payload(f"kidney_{date}", TODAY) == Enrollment("kidney")
    with pytest.raises(ValueError, match="more than a year from today"):
        enrollment("kidney", dt.datetime.strptime(date, "%Y%m%d").date(), TODAY)


@pytest.mark.parametrize("payload", [
    "", "brain", "Prostate", "prostate_2026121", "prostate_20261301", "prostate_20261201_x",
    "prostate-20261201", "prostate 20261201", "prostate_" + "1" * 60, "liver;drop", "лёгкое",
])
def test_anything_else_is_not_an_enrollment(payload: str) -> None:
    assert parse_payload(payload) is None


def test_unknown_site_is_refused_when_making_a_link() -> None:
    with pytest.raises(ValueError, match="unknown procedure site"):
        enrollment("brain")


def test_the_deep_link_opens_the_bot_with_the_payload() -> None:
    assert deep_link("@cryo_bot", enrollment("kidney")) == "https://t.me/cryo_bot?start=kidney"


def _modules(path: Path) -> list[list[bool]]:
    """The dark modules of the QR PNG, sampled at the centre of each 10-pixel box."""
    width, _, rows, _ = png.Reader(filename=str(path)).asRGBA8()
    pixels = [list(row) for row in rows]
    size = width // 10
    return [[pixels[y * 10 + 5][(x * 10 + 5) * 4] < 128 for x in range(size)] for y in range(size)]


def test_the_qr_png_encodes_the_link(tmp_path: Path) -> None:
    url = "https://t.me/cryo_bot?start=prostate_20261201"
    path = write_qr(url, tmp_path / "qr" / "code.png")
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(url)
    expected.make(fit=True)
    assert _modules(path) == expected.get_matrix()


async def _link(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "link", *args, cwd=tmp_path,
        env={**os.environ, "TELEGRAM_BOT_USERNAME": "", "TELEGRAM_BOT_TOKEN": "", **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_python_m_bot_link_prints_the_link_and_writes_the_qr(tmp_path: Path) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    code, out, _ = await _link(tmp_path, "--procedure", "prostate", "--date", soon.isoformat(),
                               TELEGRAM_BOT_USERNAME="cryo_bot")
    assert code == 0
    payload = f"prostate_{soon:%Y%m%d}"
    assert out.splitlines() == [f"https://t.me/cryo_bot?start={payload}", f"QR code: enroll-{payload}.png"]
    assert (tmp_path / f"enroll-{payload}.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
async def test_python_m_bot_link_refuses_a_date_more_than_a_year_away(tmp_path: Path, date: str) -> None:
    code, out, err = await _link(tmp_path, "--procedure", "prostate", "--date", date,
                                 TELEGRAM_BOT_USERNAME="cryo_bot")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.strip() == f"--date: procedure date {date} is more than a year from today"


async def test_link_asks_the_bot_api_for_the_username(tmp_path: Path) -> None:
    async with BotApiServer(username="clinic_cryo_bot") as server:
        code, out, err = await _link(tmp_path, "--procedure", "liver", "--out", "liver.png",
                                     TELEGRAM_BOT_TOKEN=server.token,
                                     TELEGRAM_API_BASE_URL=server.base_url)
        assert code == 0, err
        assert out.splitlines()[0] == "https://t.me/clinic_cryo_bot?start=liver"
        # No date, no check-ins: the nurse who made the link is told.
        assert out.splitlines()[2] == ("No --date: this patient gets no check-ins (they are planned from "
                                       "the procedure date).")
        assert [c.method for c in server.calls] == ["getMe"]


async def test_link_without_a_username_or_token_says_what_to_set(tmp_path: Path) -> None:
    code, _, err = await _link(tmp_path, "--procedure", "liver")
    assert code == 2 and "TELEGRAM_BOT_USERNAME" in err
