"""Updates in: the poller confirms only what is handled; failures come back; one answer per update."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.content.model import Content
from bot.store.connect import SqliteStore
from bot.telegram.updates import UPDATE_MEMORY, Poller, Result, forget_old_updates
from bot.understanding.nlu import Classifier
from tests.telegram.botapi import BotApiServer
from tests.telegram.world import MODES, PATIENT, running_bot


class Script:
    """A dispatch that answers as scripted per update text, counting calls; `gate` holds 'slow'."""

    def __init__(self, results: dict[str, list[Result]]) -> None:
        self.results = results
        self.calls: Counter[str] = Counter()
        self.gate = asyncio.Event()

    async def __call__(self, update: Update) -> Result:
        text = update.effective_message.text or ""
        self.calls[text] += 1
        if text == "slow":
            await self.gate.wait()
        queue = self.results.get(text, [])
        return queue.pop(0) if queue else Result.DONE


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as running:
        running.add_user(PATIENT, "Pat")
        yield running


async def _polling(server: BotApiServer, script: Script) -> tuple[asyncio.Event, asyncio.Task[None]]:
    bot = Bot(server.token, base_url=server.base_url)
    await bot.initialize()
    stop = asyncio.Event()
    task = asyncio.create_task(Poller(bot, script, timeout=5, patience=0.05).run(stop))
    task.add_done_callback(lambda _: asyncio.ensure_future(bot.shutdown()))
    return stop, task


async def test_the_offset_never_passes_an_update_still_being_handled(server: BotApiServer) -> None:
    script = Script({})
    slow = server.message(PATIENT, "slow")
    quick = server.message(PATIENT, "quick")
    stop, task = await _polling(server, script)
    await server.wait_for(lambda: script.calls["quick"] == 1)
    await server.wait_for(lambda: len(server.calls_to("getUpdates")) >= 3)
    task.cancel()  # dies mid-update, as a killed process would
    assert not server.confirmed(slow) and not server.confirmed(quick)

    script.gate.set()
    stop, task = await _polling(server, script)
    await server.wait_confirmed(slow, quick)
    stop.set()
    await task
    assert script.calls == {"slow": 2, "quick": 2}, "redelivered to the next process"


async def test_a_failed_update_is_tried_again_then_given_up(server: BotApiServer) -> None:
    script = Script({"broken": [Result.FAILED] * 5, "busy": [Result.BUSY] * 2})
    broken = server.message(PATIENT, "broken")
    busy = server.message(PATIENT, "busy")
    stop, task = await _polling(server, script)
    await server.wait_confirmed(broken, busy)
    stop.set()
    await task
    assert script.calls["broken"] == 3, "three attempts, then it stops blocking the chat"
    assert script.calls["busy"] == 3, "a claim held elsewhere is waited for, not counted"


@pytest.mark.parametrize("mode", MODES)
async def test_a_reply_that_failed_is_sent_when_the_update_comes_again(
        tmp_path: Path, content: Content, classifier: Classifier, mode: str) -> None:
    async with running_bot(tmp_path, content, classifier, mode) as world:
        world.server.fail("sendMessage", chat_id=PATIENT, status=500)
        asked = world.server.message(PATIENT, "what is cryoablation")
        await world.server.wait_for(lambda: any(c.status == 500 for c in world.server.calls))
        assert not world.server.confirmed(asked)
        world.clock.now += timedelta(seconds=world.settings.update_claim_seconds + 1)
        await world.server.wait_confirmed(asked)
        (answer,) = world.server.texts(PATIENT)
        assert "nci-cryosurgery" in answer


async def test_updates_telegram_no_longer_keeps_are_forgotten_now_and_then(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "state.db"))
    await store.mark_handled(1)  # handled now
    later = datetime.now(UTC) + UPDATE_MEMORY + timedelta(hours=1)
    await store.claim_update(2, later, timedelta(seconds=60))
    stop = asyncio.Event()
    chore = asyncio.create_task(forget_old_updates(store, lambda: later, stop, every=0.01))
    try:
        async with asyncio.timeout(5):
            while await store.is_handled(1):
                await asyncio.sleep(0.01)
        assert not await store.claim_update(2, later, timedelta(seconds=60))  # a fresh claim is kept
    finally:
        stop.set()
        await chore
        await store.close()
