"""Webhook mode end to end: one replica on SQLite, one and three replicas on PostgreSQL, in one run.

Each configuration gets a fresh local Bot API server (tests/botapi.py) delivering by webhook, a
fresh database, and real `python -m bot run` processes (three behind a round-robin balancer).
  throughput: all updates queued at once; updates answered per second until the last reply.
  latency: updates offered at a steady rate; p50/p99 from entering the server to the reply.
Telegram's overall limit of 30 messages a second is lifted against the local server.

Run: .venv/bin/python benchmarks/replicas_bench.py [--updates 600] [--rate 40]
Needs PostgreSQL (POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.telegram.botapi import BotApiServer  # noqa: E402
from tests.telegram.processes import NURSE, NURSES, start_replicas  # noqa: E402

POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
QUESTIONS = ("what is cryoablation", "how long does recovery take", "can I shower after cryo",
             "what are the side effects", "does it hurt", "how do I get ready for the procedure")
# Telegram allows about one message a second per chat, and the bot keeps to it: each chat
# here sends one message per phase, so the figures are the bot's, not the per-chat limit's.


async def fresh_schema(stack: AsyncExitStack) -> str:
    """A new PostgreSQL schema for one configuration, dropped afterwards."""
    admin = await asyncpg.connect(POSTGRES_URL)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    await admin.execute(f"CREATE SCHEMA {schema}")

    async def drop() -> None:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()

    stack.push_async_callback(drop)
    return f"{POSTGRES_URL}?search_path={schema}"


async def answered(api: BotApiServer, chats: list[int], replies_each: int) -> None:
    await api.wait_for(lambda: all(len(api.sent(c)) >= replies_each for c in chats), timeout=600)


def reply_latency(api: BotApiServer, chat: int, update_id: int, index: int) -> float:
    """From the update entering the server to the chat's `index`-th reply."""
    replies = [m["sent_at"] for m in api.chats[chat].messages.values() if m["from"]["id"] == api.me["id"]]
    return replies[index] - api.injected_at[update_id]


async def measure(name: str, replicas: int, postgres: bool, updates: int, rate: float) -> None:
    async with BotApiServer() as api, AsyncExitStack() as stack:
        api.add_group(NURSES, "Nurses", {NURSE: "member"})
        chats = [30_000 + i for i in range(updates)]
        for chat in chats:
            api.add_user(chat, f"Patient {chat}")
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = await fresh_schema(stack) if postgres else f"sqlite:///{folder / 'bench.db'}"
        await start_replicas(stack, api, url, replicas, LOG_LEVEL="WARNING")

        # Throughput: everything queued at once.
        began = time.perf_counter()
        for i, chat in enumerate(chats):
            api.message(chat, QUESTIONS[i % len(QUESTIONS)])
        await answered(api, chats, 1)
        per_second = updates / (time.perf_counter() - began)

        # Latency: a steady rate below capacity, each chat once more.
        steady = chats[:int(rate * 10)]
        offered = []
        for i, chat in enumerate(steady):
            offered.append(api.message(chat, QUESTIONS[i % len(QUESTIONS)]))
            await asyncio.sleep(1 / rate)
        await answered(api, steady, 2)
        waits = [reply_latency(api, chat, u, 1) for chat, u in zip(steady, offered, strict=True)]
        cuts = statistics.quantiles(waits, n=100)
        print(f"{name:<28}{per_second:>10.0f}{cuts[49] * 1000:>12.1f}{cuts[98] * 1000:>12.1f}",
              flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=600, help="updates in the throughput run")
    parser.add_argument("--rate", type=float, default=40.0, help="updates/s in the latency run")
    args = parser.parse_args()
    print(f"{'configuration':<28}{'updates/s':>10}{'p50 ms':>12}{'p99 ms':>12}")
    for name, replicas, postgres in (("1 replica, SQLite", 1, False),
                                     ("1 replica, PostgreSQL", 1, True),
                                     ("3 replicas, PostgreSQL", 3, True)):
        await measure(name, replicas, postgres, args.updates, args.rate)
    print(f"(one chat per update; latency at {args.rate:g} updates/s; {os.cpu_count()} cores)")


if __name__ == "__main__":
    asyncio.run(main())
