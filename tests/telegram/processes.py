"""Real bot processes for tests: `python -m bot run` against the local Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aiohttp import ClientError, ClientSession

from bot.config import PROJECT_ROOT
from tests.telegram.balancer import Balancer
from tests.telegram.botapi import BotApiServer
from tests.telegram.world import free_port

NURSES, NURSE = -100777, 7001


def bot_environment(api: BotApiServer, database_url: str, **settings: str) -> dict[str, str]:
    """The settings of a bot on `api` with its nurses' group, as environment variables."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_BOT_USERNAME": str(api.me["username"]),
        "NURSE_CHAT_ID": str(NURSES),
        "DATABASE_URL": database_url,
        "CARE_TEAM_PHONE": "555-0100",
        "WEBHOOK_URL": "",
        # Short, so a live process takes over a dead one's alerts and updates within a test.
        "ALERT_LEASE_SECONDS": "2",
        "UPDATE_CLAIM_SECONDS": "2",
        "LOG_LEVEL": "INFO",
        **settings,
    }


@dataclass
class Replicas:
    """Bot processes in webhook mode behind one balancer."""

    processes: list[asyncio.subprocess.Process]
    ports: list[int]
    balancer: Balancer


async def start_replicas(stack: AsyncExitStack, api: BotApiServer, database_url: str, count: int,
                         **settings: str) -> Replicas:
    """`count` bots on one database, Telegram's webhook spread over them; stopped with `stack`."""
    ports = [free_port() for _ in range(count)]
    balancer = await Balancer([f"http://127.0.0.1:{port}" for port in ports]).start()
    stack.push_async_callback(balancer.stop)
    environment = bot_environment(
        api, database_url, WEBHOOK_URL=f"{balancer.url}/telegram", WEBHOOK_SECRET="replica-secret",
        WEBHOOK_LISTEN="127.0.0.1", FLOOD_MESSAGES="100000", TELEGRAM_MESSAGES_PER_SECOND="100000",
        **settings)
    processes = [await stack.enter_async_context(bot_process({**environment, "WEBHOOK_PORT": str(port)}))
                 for port in ports]
    await asyncio.gather(*(_healthy(port) for port in ports))
    await api.wait_for(lambda: bool(api.webhook.get("url")), timeout=120)
    return Replicas(processes, ports, balancer)


async def _healthy(port: int) -> None:
    async with ClientSession() as session:
        for _ in range(600):
            with contextlib.suppress(ClientError):
                async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError(f"the replica on port {port} never became healthy")


@asynccontextmanager
async def bot_process(environment: Mapping[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run`, stopped with SIGTERM at the end unless the test killed it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=dict(environment), cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 20)
