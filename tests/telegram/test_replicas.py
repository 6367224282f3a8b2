"""Three bot replicas on one PostgreSQL behind the webhook; one is killed mid-stream."""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack

from tests.telegram.botapi import BotApiServer
from tests.telegram.processes import NURSE, NURSES, start_replicas

CHATS = 40
FIRST_PATIENT = 20_000
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


async def test_replicas_answer_every_update_once_in_order_while_one_is_killed(
        postgres_url: str) -> None:
    async with BotApiServer() as api, AsyncExitStack() as stack:
        api.add_group(NURSES, "Nurses", {NURSE: "member"})
        chats = [FIRST_PATIENT + i for i in range(CHATS)]
        for chat in chats:
            api.add_user(chat, f"Patient {chat}")
        # Sends held by the freeze below stay well inside the alert send timeout (2 s).
        replicas = await start_replicas(stack, api, postgres_url, 3, ALERT_LEASE_SECONDS="4")

        updates = [api.message(chat, text) for turn in range(len(PLAIN))
                   for chat in chats for text in [_script(chat)[turn]]]
        await api.wait_for(lambda: sum(api.confirmed(u) for u in updates) >= len(updates) // 3, 120)

        # Freeze every reply on the wire, so no replica is between a reply and its record;
        # then one replica dies, and what it was sending never reaches Telegram.
        frozen = api.hold("sendMessage")
        await asyncio.wait_for(frozen.arrived.wait(), 30)
        await asyncio.sleep(0.2)
        replicas.processes[1].send_signal(signal.SIGKILL)
        await replicas.processes[1].wait()
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
        assert all(replicas.balancer.served[f"http://127.0.0.1:{port}"] > 0 for port in replicas.ports)
