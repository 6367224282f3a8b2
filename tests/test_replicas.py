"""Three bot replicas on one PostgreSQL behind the webhook; one is killed mid-stream."""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack

from aiohttp import ClientError, ClientSession

from tests.balancer import Balancer
from tests.botapi import BotApiServer
from tests.processes import NURSE, NURSES, bot_environment, bot_process
from tests.telegram_world import free_port

CHATS = 40
FIRST_PATIENT = 20_000
SECRET = "replica-secret"
# What each message gets back: the start of its one reply.
REPLY_START = {
    "/call": "Your care team: 555-0100.",
    "/help": "I am a bot.",
    "my temp is 102.5": "Call your care team now: 555-0100.",
}
PLAIN = ["/call", "/help", "/call", "/help", "/call", "/help"]
# Every fourth patient reports a fever: one alert each, whatever the replicas go through.
REPORTING = ["/call", "my temp is 102.5", "/help", "/call", "/help", "/call"]


def _script(chat: int) -> list[str]:
    return REPORTING if chat % 4 == 0 else PLAIN


async def _healthy(port: int) -> None:
    async with ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    if answer.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"replica on port {port} never became healthy")


async def test_replicas_answer_every_update_once_in_order_while_one_is_killed(
        postgres_url: str) -> None:
    async with BotApiServer() as api, AsyncExitStack() as stack:
        api.add_group(NURSES, "Nurses", {NURSE: "member"})
        chats = [FIRST_PATIENT + i for i in range(CHATS)]
        for chat in chats:
            api.add_user(chat, f"Patient {chat}")
        ports = [free_port() for _ in range(3)]
        balancer = await Balancer([f"http://127.0.0.1:{port}" for port in ports]).start()
        stack.push_async_callback(balancer.stop)
        settings = bot_environment(
            api, postgres_url, WEBHOOK_URL=f"{balancer.url}/telegram", WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1", FLOOD_MESSAGES="1000", TELEGRAM_MESSAGES_PER_SECOND="1000",
            # Sends held by the freeze below stay well inside the alert send timeout (2 s).
            ALERT_LEASE_SECONDS="4")
        replicas = [await stack.enter_async_context(bot_process({**settings, "WEBHOOK_PORT": str(port)}))
                    for port in ports]
        await asyncio.gather(*(_healthy(port) for port in ports))
        await api.wait_for(lambda: bool(api.webhook.get("url")))

        updates = [api.message(chat, text) for turn in range(len(PLAIN))
                   for chat in chats for text in [_script(chat)[turn]]]
        await api.wait_for(lambda: sum(api.confirmed(u) for u in updates) >= len(updates) // 3, 120)

        # Freeze every reply on the wire, so no replica is between a reply and its record;
        # then one replica dies, and what it was sending never reaches Telegram.
        frozen = api.hold("sendMessage")
        await asyncio.wait_for(frozen.arrived.wait(), 30)
        await asyncio.sleep(0.2)
        replicas[1].send_signal(signal.SIGKILL)
        await replicas[1].wait()
        frozen.release(deliver=True)

        await api.wait_confirmed(*updates, timeout=180)
        reporting = [chat for chat in chats if chat % 4 == 0]
        await api.wait_for(lambda: len(api.sent(NURSES)) >= len(reporting), 120)
        await asyncio.sleep(3)  # past every lease: a repeat, if any, would show now

        for chat in chats:
            replies = api.texts(chat)
            expected = [REPLY_START[text] for text in _script(chat)]
            assert [r[:len(e)] for r, e in zip(replies, expected, strict=False)] == expected, chat
            assert len(replies) == len(expected), (chat, replies)
        alerts = api.texts(NURSES)
        assert sorted(next(c for c in reporting if f"Patient {c}" in text) for text in alerts) == reporting
        assert all(balancer.served[f"http://127.0.0.1:{port}"] > 0 for port in ports)
