"""A running Telegram bot for tests: our channel on the local Bot API server, patients and nurses in it."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.content.model import Content
from bot.engine import Engine
from bot.store.connect import SqliteStore
from bot.telegram.app import TelegramChannel, build
from bot.understanding.nlu import Classifier
from tests.conftest import PHONE, Clock
from tests.telegram.botapi import BotApiServer

NURSES = -1001234
ONCALL = -1005678
NURSE, SECOND_NURSE, ONCALL_NURSE, STRANGER = 501, 502, 503, 777
PATIENT, OTHER_PATIENT = 1001, 1002
SECRET = "test-secret_1"
MODES = ("polling", "webhook")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclasses.dataclass
class World:
    """The server, the bot running on it, and what the bot keeps."""

    server: BotApiServer
    settings: Settings
    engine: Engine
    clock: Clock
    channel: TelegramChannel | None = None
    _stop: asyncio.Event | None = None
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.channel = build(self.settings, self.engine)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.channel.run(self._stop))
        polls = len(self.server.calls_to("getUpdates"))
        if self.settings.webhook_url:
            await self.server.wait_for(lambda: bool(self.server.webhook.get("url")) or self._task.done())
        else:
            await self.server.wait_for(
                lambda: len(self.server.calls_to("getUpdates")) > polls or self._task.done())
        if self._task.done():
            await self._task  # raises what stopped it

    async def stop(self) -> None:
        assert self._stop is not None and self._task is not None
        self._stop.set()
        await asyncio.wait_for(self._task, 30)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def send(self, update_id: int) -> list[dict[str, Any]]:
        """Wait until the bot is done with the update; the bot messages it sent in that chat."""
        update = next(u for u in self.server.pending if u["update_id"] == update_id)
        chat = _chat_of(update)
        before = {m["message_id"] for m in self.server.sent(chat)}
        await self.server.wait_confirmed(update_id)
        return [m for m in self.server.sent(chat) if m["message_id"] not in before]

    async def say(self, user: int, text: str) -> list[dict[str, Any]]:
        """The user writes; returns the bot's answer messages."""
        return await self.send(self.server.message(user, text))

    async def press(self, user: int, message: dict[str, Any], title: str) -> list[dict[str, Any]]:
        """The user taps the button with this title under the message."""
        data = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
                    for b in row if b["text"] == title)
        return await self.send(self.server.press(user, message, data))

    async def until(self, check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
        """Wait until an async check (of the store, say) holds; fail after timeout."""
        async with asyncio.timeout(timeout):
            while not await check():
                await asyncio.sleep(0.02)

    async def alerts(self, count: int) -> list[dict[str, Any]]:
        """Wait for `count` messages in the nurses' group."""
        return await self.server.wait_for_messages(NURSES, count)


def _chat_of(update: dict[str, Any]) -> int:
    body = update.get("message") or update.get("edited_message")
    if body is None:
        body = update["callback_query"]["message"]
    return int(body["chat"]["id"])


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


@asynccontextmanager
async def running_bot(tmp_path: Path, content: Content, classifier: Classifier, mode: str = "polling",
                      **overrides: Any) -> AsyncIterator[World]:
    """A bot with its own server and SQLite file; patients and nurses ready to talk."""
    async with BotApiServer(webhook_retry_delay=0.05) as server:
        server.add_user(PATIENT, "Pat", "Doe")
        server.add_user(OTHER_PATIENT, "Sam", "Roe")
        staff = ((NURSE, "Nora"), (SECOND_NURSE, "Ned"), (ONCALL_NURSE, "Olga"), (STRANGER, "Eve"))
        for user_id, name in staff:
            server.add_user(user_id, name, "Nurse" if user_id != STRANGER else "Stranger")
        server.add_group(NURSES, "Cryo nurses", {NURSE: "administrator", SECOND_NURSE: "member"})
        server.add_group(ONCALL, "Cryo on call", {ONCALL_NURSE: "member"})
        webhook = {}
        if mode == "webhook":
            port = free_port()
            webhook = {"webhook_url": f"http://127.0.0.1:{port}/telegram", "webhook_secret": SECRET,
                       "webhook_listen": "127.0.0.1", "webhook_port": port}
        settings = Settings(**{
            "care_team_phone": PHONE, "telegram_bot_token": server.token,
            "telegram_api_base_url": server.base_url, "nurse_chat_id": NURSES,
            "database_url": f"sqlite:///{tmp_path / 'bot.db'}", **webhook, **overrides})
        store = SqliteStore(str(tmp_path / "bot.db"))
        clock = Clock()
        world = World(server, settings, Engine(content, settings, store, classifier, clock), clock)
        await world.start()
        try:
            yield world
        finally:
            await world.stop()
            await store.close()
