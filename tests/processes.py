"""Real bot processes for tests: `python -m bot run` against the local Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from bot.config import PROJECT_ROOT
from tests.botapi import BotApiServer

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
