"""End to end over HTTP: updates per second and p99 reply latency, our bot beside a plain PTB echo bot.

The bots run as their own process against the same local Bot API server (tests/botapi.py) in this
process, one after the other, in the same run: PTB's echo bot as its docs write it (httpx, PTB's
default transport), the same echo bot on our aiohttp transport (bot/telegram_request.py), and ours.
The first ratio is the figure asked for; the second shows what is ours beyond the transport.
Each trial is a fresh server and a fresh database.
  1. throughput: all updates queued at once; updates answered per second until the last reply.
  2. latency: updates offered at a steady rate both bots can keep up with; p50/p99 from the
     update entering the server to the reply's sendMessage reaching it.
Our bot runs as shipped (`python -m bot run`, SQLite file on disk) with one change: the overall
limit of 30 messages a second is Telegram's, so it is lifted against a local server.

Run: .venv/bin/python benchmarks/telegram_bench.py [--updates 2000] [--trials 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.telegram.botapi import BotApiServer  # noqa: E402

NURSES = -100999
# What patients ask; each message gets one reply from either bot.
QUESTIONS = ("what is cryoablation", "how long does recovery take", "can I shower after cryo",
             "what are the side effects", "hello", "does it hurt", "thank you",
             "how do I get ready for the procedure")
MESSAGES_PER_CHAT = 2
KINDS = ("echo", "echo/aiohttp", "ours")


@dataclass(frozen=True)
class Figures:
    """One bot's figures in one trial."""

    per_second: float
    p50_ms: float
    p99_ms: float


def echo_bot(base_url: str, token: str, transport: str) -> None:
    """The reference: PTB's echo bot as its docs write it, long polling, no extras."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    builder = ApplicationBuilder().token(token).base_url(base_url)
    if transport == "aiohttp":
        from bot.telegram.request import AiohttpRequest
        builder = builder.request(AiohttpRequest(256)).get_updates_request(AiohttpRequest())
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling()


async def start_bot(kind: str, server: BotApiServer, folder: Path) -> asyncio.subprocess.Process:
    if kind.startswith("echo"):
        transport = kind.partition("/")[2] or "httpx"
        command = [sys.executable, __file__, "--echo-bot", server.base_url, server.token, transport]
    else:
        command = [sys.executable, "-m", "bot", "run"]
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": server.token, "TELEGRAM_API_BASE_URL": server.base_url,
           "NURSE_CHAT_ID": str(NURSES), "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
           "WEBHOOK_URL": "", "LOG_LEVEL": "WARNING", "TELEGRAM_MESSAGES_PER_SECOND": "100000"}
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=(folder / f"{kind.replace('/', '-')}.log").open("ab"))
    await server.wait_for(lambda: bool(server.calls_to("getUpdates")), timeout=120)
    return process


def latencies(server: BotApiServer, sent: dict[int, list[int]]) -> list[float]:
    """Per update: from entering the server to the reply for it (the n-th reply in its chat)."""
    result = []
    for chat, update_ids in sent.items():
        replies = [m["sent_at"] for m in server.sent(chat)]
        result.extend(reply - server.injected_at[u] for u, reply in zip(update_ids, replies, strict=False))
    return result


async def warm_up(server: BotApiServer) -> None:
    chats = users(server, 1, len(QUESTIONS))
    for chat, text in zip(chats, QUESTIONS, strict=True):
        server.message(chat, text)
    await server.wait_for(lambda: all(server.sent(chat) for chat in chats), timeout=120)


def users(server: BotApiServer, first: int, count: int) -> list[int]:
    ids = list(range(first, first + count))
    for user_id in ids:
        server.add_user(user_id, "Pat", f"No{user_id}")
    return ids


async def throughput(server: BotApiServer, updates: int) -> float:
    chats = users(server, 10_000, updates // MESSAGES_PER_CHAT)
    sent: dict[int, list[int]] = {chat: [] for chat in chats}
    started = time.monotonic()
    for round_ in range(MESSAGES_PER_CHAT):
        for index, chat in enumerate(chats):
            sent[chat].append(server.message(chat, QUESTIONS[(index + round_) % len(QUESTIONS)]))
    total = sum(len(ids) for ids in sent.values())
    expected = server.delivered + total
    await server.wait_for(lambda: server.delivered >= expected, timeout=600)
    last = max(m["sent_at"] for chat in chats for m in server.sent(chat))
    return total / (last - started)


async def steady(server: BotApiServer, rate: float, seconds: float) -> list[float]:
    count = int(rate * seconds)
    chats = users(server, 100_000, count)
    expected = server.delivered + count
    sent: dict[int, list[int]] = {}
    started = time.monotonic()
    for index, chat in enumerate(chats):
        delay = started + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[chat] = [server.message(chat, QUESTIONS[index % len(QUESTIONS)])]
    await server.wait_for(lambda: server.delivered >= expected, timeout=600)
    return latencies(server, sent)


async def trial(kind: str, updates: int, rate: float, seconds: float,
                database_dir: str | None) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory(dir=database_dir) as folder:
        async with BotApiServer() as server:
            server.add_group(NURSES, "Nurses", {})
            bot = await start_bot(kind, server, Path(folder))
            try:
                await warm_up(server)
                per_second = await throughput(server, updates)
                delays = await steady(server, rate, seconds) if rate else []
            finally:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), 60)
    return per_second, delays


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(updates: int, trials: int, seconds: float, database_dir: str | None) -> None:
    print(f"{updates} updates from {updates // MESSAGES_PER_CHAT} chats per throughput trial, "
          f"{trials} trials, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"database in {database_dir or tempfile.gettempdir()}")
    # A steady rate both can hold: half of what our bot managed in a first, unmeasured pass.
    ours_first, _ = await trial("ours", updates, 0, 0, database_dir)
    rate = round(ours_first / 2)
    print(f"steady phase: {rate} updates/s for {seconds:g}s")
    results: dict[str, list[Figures]] = {kind: [] for kind in KINDS}
    for _ in range(trials):
        for kind in KINDS:
            per_second, delays = await trial(kind, updates, rate, seconds, database_dir)
            figures = Figures(per_second, 1000 * percentile(delays, 0.5), 1000 * percentile(delays, 0.99))
            results[kind].append(figures)
            print(f"  {kind:12} {figures.per_second:8.1f} updates/s   p50 {figures.p50_ms:6.1f} ms"
                  f"   p99 {figures.p99_ms:6.1f} ms")
    for kind in KINDS:
        median = _median(results[kind])
        print(f"median {kind:12} {median.per_second:7.1f} updates/s, p99 {median.p99_ms:.1f} ms")
    # Each trial's bots ran back to back, under the same load from anything else on the machine.
    for reference in ("echo", "echo/aiohttp"):
        pairs = list(zip(results[reference], results["ours"], strict=True))
        throughput = statistics.median(o.per_second / e.per_second for e, o in pairs)
        latency = statistics.median(o.p99_ms / e.p99_ms for e, o in pairs)
        print(f"ours / {reference:12}  throughput ratio {throughput:.2f}, p99 latency ratio {latency:.2f} "
              "(medians of the trials)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def _median(figures: list[Figures]) -> Figures:
    return Figures(statistics.median(f.per_second for f in figures),
                   statistics.median(f.p50_ms for f in figures),
                   statistics.median(f.p99_ms for f in figures))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--echo-bot":
        echo_bot(sys.argv[2], sys.argv[3], sys.argv[4])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates per throughput trial")
    parser.add_argument("--trials", type=int, default=3, help="trials per bot (median reported)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the steady phase")
    parser.add_argument("--database-dir", help="where our bot's SQLite file goes (default: the temp "
                        "folder); /dev/shm leaves the disk's fsync out of the figures")
    options = parser.parse_args()
    asyncio.run(main(options.updates, options.trials, options.seconds, options.database_dir))
