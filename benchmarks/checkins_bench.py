"""Check-ins through the real bot (`python -m bot run`) and the local Bot API server.

1. scenario: a patient enrolled with yesterday's date (CHECKIN_HOURS=0-24) gets the day-1
   check-in, answers with a fever, the nurses are alerted, and with ALERT_REMIND_AFTER=30s a
   reminder reaches their group: the time each step took.
2. burst: N check-ins due at once (stored before the bot starts), sent at Telegram's pace: messages
   per second (whole burst, and the busiest second), the wait of a red-flag alert raised in the
   middle of it, and, after a kill -9 part way and a restart, how many check-ins went out twice
   and how many never.

Run: .venv/bin/python benchmarks/checkins_bench.py [--checkins 1000] [--skip-scenario]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store.connect import Planned, SqliteStore  # noqa: E402
from tests.telegram.botapi import BotApiServer  # noqa: E402

NURSES = -100999
FIRST_PATIENT = 10_000
REPORTER = 9_999


def environment(server: BotApiServer, folder: Path, **settings: str) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": server.token, "TELEGRAM_API_BASE_URL": server.base_url,
            "NURSE_CHAT_ID": str(NURSES), "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "WEBHOOK_URL": "", "LOG_LEVEL": "WARNING", "CHECKIN_HOURS": "0-24", **settings}


async def start_bot(server: BotApiServer, folder: Path, **settings: str) -> asyncio.subprocess.Process:
    polls = len(server.calls_to("getUpdates"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=environment(server, folder, **settings),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=(folder / "bot.log").open("ab"))
    await server.wait_for(lambda: len(server.calls_to("getUpdates")) > polls, timeout=120)
    return process


async def stop_bot(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)


async def seconds_until(server: BotApiServer, chat: int, count: int, since: float, timeout: float) -> float:
    await server.wait_for_messages(chat, count, timeout)
    return server.sent(chat)[count - 1]["sent_at"] - since


async def scenario() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        async with BotApiServer() as server:
            server.add_group(NURSES, "Nurses", {})
            server.add_user(REPORTER, "Pat", "Doe")
            bot = await start_bot(server, folder, ALERT_REMIND_AFTER="30s")
            try:
                yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
                started = time.monotonic()
                server.message(REPORTER, f"/start kidney_{yesterday:%Y%m%d}")
                checkin = await seconds_until(server, REPORTER, 2, started, 60)
                answered = time.monotonic()
                server.message(REPORTER, "not great, fever 102 and shaking chills")
                alerted = await seconds_until(server, NURSES, 1, answered, 20)
                reminded = await seconds_until(server, NURSES, 2, answered, 90)
            finally:
                await stop_bot(bot)
    print(f"scenario: day-1 check-in after {checkin:.1f} s (goal < 60), nurse alert {alerted:.2f} s after "
          f"the fever (goal < 20), reminder {reminded:.1f} s after it (goal < 90)")


async def store_due_checkins(folder: Path, patients: list[int]) -> None:
    """N check-ins due now, as enrollments during a clinic's busy week would leave them."""
    store = SqliteStore(str(folder / "bench.db"))
    now = dt.datetime.now(dt.UTC)
    plan = [Planned(1, now, now + dt.timedelta(hours=6))]
    try:
        for patient in patients:
            await store.schedule_checkins(str(patient), f"P{patient}", "lung", plan)
    finally:
        await store.close()


def checkins_sent(server: BotApiServer, patients: list[int]) -> list[dict]:
    return [m for chat in patients for m in server.sent(chat) if m["text"].startswith("Day ")]


async def burst(count: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        async with BotApiServer() as server:
            server.add_group(NURSES, "Nurses", {})
            server.add_user(REPORTER, "Pat", "Doe")
            patients = list(range(FIRST_PATIENT, FIRST_PATIENT + count))
            for patient in patients:
                server.add_user(patient, "P", str(patient))
            await store_due_checkins(folder, patients)
            bot = await start_bot(server, folder)
            await server.wait_for(lambda: len(checkins_sent(server, patients)) >= count // 4, timeout=600)
            raised = time.monotonic()
            server.message(REPORTER, "I can't breathe")
            alert_wait = await seconds_until(server, NURSES, 1, raised, 30)
            # Mid-batch: some of its check-ins sent, the rest claimed and not yet sent.
            await server.wait_for(lambda: len(checkins_sent(server, patients)) >= count // 2 + 7, timeout=600)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            killed_at = len(checkins_sent(server, patients))
            bot = await start_bot(server, folder)
            try:
                await server.wait_for(lambda: all(server.sent(p) for p in patients), timeout=900)
                await asyncio.sleep(3)  # anything sent twice has had its chance
            finally:
                await stop_bot(bot)
            report(server, patients, alert_wait, killed_at)


def report(server: BotApiServer, patients: list[int], alert_wait: float, killed_at: int) -> None:
    moments = sorted(m["sent_at"] for m in checkins_sent(server, patients))
    every = sorted(m["sent_at"] for chat in server.chats for m in server.sent(chat))
    busiest = max(sum(1 for t in every[i:] if t < start + 1.0) for i, start in enumerate(every))
    twice = sum(1 for p in patients if len(server.sent(p)) > 1)
    never = sum(1 for p in patients if not server.sent(p))
    failures = sum(1 for call in server.calls if call.status == 429)
    span = moments[-1] - moments[0]
    print(f"burst: {len(patients)} check-ins in {span:.1f} s of sending (a kill -9 after {killed_at}, "
          f"then a restart; the wait for the dead process's claims included)")
    print(f"  messages/s: {len(moments) / span:.1f} over the burst; busiest second, every message: "
          f"{busiest} (Telegram's limit 30); 429 answers: {failures}")
    print(f"  red-flag alert raised mid-burst reached the nurses after {alert_wait * 1000:.0f} ms "
          "(goal < 1 s)")
    print(f"  sent twice: {twice}; never sent: {never}")


async def main(checkins: int, skip_scenario: bool) -> None:
    if not skip_scenario:
        await scenario()
    await burst(checkins)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=1000)
    parser.add_argument("--skip-scenario", action="store_true")
    options = parser.parse_args()
    asyncio.run(main(options.checkins, options.skip_scenario))
