"""A real bot process killed between storing an alert and sending it: after a restart, one alert."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.store.connect import Alert, connect_store
from tests.telegram.botapi import BotApiServer
from tests.telegram.processes import NURSE, NURSES, bot_environment, bot_process

PATIENT = 5001
CALL_NOW = "Call your care team now"


async def _alerts(database: Path) -> list[Alert]:
    store = await connect_store(f"sqlite:///{database}")
    try:
        return await store.open_alerts()
    finally:
        await store.close()


async def test_an_alert_stored_before_a_crash_is_sent_once_after_restart(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with BotApiServer() as api:
        api.add_user(PATIENT, "Pat", "Doe")
        api.add_group(NURSES, "Nurses", {NURSE: "member"})
        environment = bot_environment(api, f"sqlite:///{database}")
        held = api.hold("sendMessage", chat_id=NURSES)

        async with bot_process(environment) as first:
            api.message(PATIENT, "my temp is 102.5 and i feel awful")
            await asyncio.wait_for(held.arrived.wait(), 60)
            # The alert is stored and its send is on the wire: the process dies right here.
            [stored] = await _alerts(database)
            assert (stored.level, stored.status) == ("urgent", "pending")
            first.kill()
            await first.wait()
        held.release(deliver=False)  # the send never reached Telegram

        async with bot_process(environment):
            await api.wait_for(lambda: len(api.sent(NURSES)) >= 1, timeout=60)
            # A second patient's red flag goes through the same sender: once it is in, any
            # duplicate of the first alert would have been sent before it.
            api.add_user(PATIENT + 1, "Sam", "Roe")
            api.message(PATIENT + 1, "i cant pee at all since this morning")
            await api.wait_for(lambda: len(api.sent(NURSES)) >= 2, timeout=60)

        nurse_texts = api.texts(NURSES)
        assert len(nurse_texts) == 2
        assert sum("Pat Doe" in text for text in nurse_texts) == 1
        assert sum("102.5" in text for text in nurse_texts) == 1
        patient_replies = api.texts(PATIENT)
        assert sum(CALL_NOW in text for text in patient_replies) == 1
        assert [alert.status for alert in await _alerts(database)] == ["sent", "sent"]


async def test_send_failures_neither_lose_nor_repeat_an_alert(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with BotApiServer() as api:
        api.add_user(PATIENT, "Pat", "Doe")
        api.add_user(PATIENT + 1, "Sam", "Roe")
        api.add_group(NURSES, "Nurses", {NURSE: "member"})
        for status in (500, 502, 429):
            api.fail("sendMessage", chat_id=NURSES, status=status, retry_after=1)

        async with bot_process(bot_environment(api, f"sqlite:///{database}")):
            api.message(PATIENT, "temp 39.4C")
            await api.wait_for(lambda: len(api.sent(NURSES)) >= 1, timeout=60)

            held = api.hold("sendMessage", chat_id=NURSES)
            api.message(PATIENT + 1, "bleeding from the probe site wont stop")
            await asyncio.wait_for(held.arrived.wait(), 60)
            await asyncio.sleep(1.5)  # past the send timeout (half the 2 s lease): abandoned
            held.release(deliver=False)
            await api.wait_for(lambda: len(api.sent(NURSES)) >= 2, timeout=60)

        assert [("Pat Doe" in t, "Sam Roe" in t) for t in api.texts(NURSES)] == [
            (True, False), (False, True)]
        alerts = await _alerts(database)
        assert [alert.status for alert in alerts] == ["sent", "sent"]
        assert alerts[0].attempts == 4  # 500, 502, 429, then delivered
