"""The Telegram channel end to end: PTB over real HTTP to the local Bot API server, polling and webhook."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings, SettingsError
from bot.content.model import Content
from bot.engine import Engine
from bot.store.connect import SqliteStore
from bot.telegram.app import api_urls, build
from bot.understanding.nlu import Classifier
from tests.conftest import PHONE
from tests.telegram.botapi import BotApiServer
from tests.telegram.world import MODES, NURSE, NURSES, PATIENT, buttons, running_bot


@pytest.mark.parametrize("mode", MODES)
async def test_enrollment_link_greets_and_remembers_the_procedure(
        tmp_path: Path, content: Content, classifier: Classifier, mode: str) -> None:
    async with running_bot(tmp_path, content, classifier, mode) as world:
        (welcome,) = await world.say(PATIENT, "/start prostate_20261201")
        assert "I am a bot, not a doctor" in welcome["text"] and PHONE in welcome["text"]
        assert "Side effects" in buttons(welcome)
        slots = await world.engine.store.load_slots(str(PATIENT))
        assert (slots["site"], slots["procedure_date"], slots["patient_name"]) == (
            "prostate", "2026-12-01", "Pat Doe")


@pytest.mark.parametrize("mode", MODES)
async def test_a_whole_conversation_with_buttons(
        tmp_path: Path, content: Content, classifier: Classifier, mode: str) -> None:
    async with running_bot(tmp_path, content, classifier, mode) as world:
        (welcome,) = await world.say(PATIENT, "/start prostate")
        (answer,) = await world.say(PATIENT, "what are the side effects?")
        assert "prostate" in answer["text"].lower()
        assert "Source" in answer["text"]
        (pressed,) = await world.press(PATIENT, welcome, "When to call")
        assert PHONE in pressed["text"]
        assert all(q in world.server.callback_answers for q in world.server.queries)
        (bye,) = await world.say(PATIENT, "bye for now")
        assert bye["text"].startswith("Take care.") and PHONE in bye["text"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_red_flag_alerts_the_nurses_and_their_acknowledgement_reaches_the_patient(
        tmp_path: Path, content: Content, classifier: Classifier, mode: str) -> None:
    async with running_bot(tmp_path, content, classifier, mode) as world:
        await world.say(PATIENT, "/start liver")
        (escalation,) = await world.say(PATIENT, "I have a fever of 102.5")
        assert escalation["text"].startswith(f"Call your care team now: {PHONE}")
        (alert,) = await world.alerts(1)
        assert alert["text"].splitlines() == [
            "URGENT: Pat Doe", "Red flags: a fever (102.5°F)",
            "Message: I have a fever of 102.5", "Time: 2026-11-21 09:00 UTC"]
        assert buttons(alert) == ["Acknowledge"]

        world.clock.now = world.clock.now.replace(minute=7)
        await world.press(NURSE, alert, "Acknowledge")
        (query,) = world.server.callback_answers.values()
        assert query["text"] == "Seen by Nora Nurse at 2026-11-21 09:07 UTC."
        (closed,) = world.server.sent(NURSES)
        assert closed["text"].endswith("Seen by Nora Nurse at 2026-11-21 09:07 UTC.")
        assert "reply_markup" not in closed
        assert world.server.texts(PATIENT)[-1].startswith("A nurse has seen your message.")
        stored = await world.engine.store.get_alert(1)
        assert stored is not None and stored.acknowledged_by == "Nora Nurse"
        assert await world.engine.store.open_alerts() == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_restart_neither_loses_nor_repeats_an_update(
        tmp_path: Path, content: Content, classifier: Classifier, mode: str) -> None:
    async with running_bot(tmp_path, content, classifier, mode) as world:
        hello = world.server.message(PATIENT, "hello")
        await world.server.wait_confirmed(hello)
        await world.stop()
        while_down = world.server.message(PATIENT, "what is cryoablation")
        await world.start()
        # Telegram may deliver an update again when it never saw it confirmed.
        world.server.redeliver(hello)
        await world.server.wait_confirmed(while_down, hello)
        greeting, answer = world.server.texts(PATIENT)
        assert "bot" in greeting
        assert "nci-cryosurgery" in answer


async def test_the_bot_refuses_to_start_without_the_nurses_chat_or_a_webhook_secret(
        content: Content, classifier: Classifier, store: SqliteStore) -> None:
    engine = Engine(content, Settings(), store, classifier)
    with pytest.raises(SettingsError, match="NURSE_CHAT_ID"):
        build(Settings(telegram_bot_token="1:x"), engine)
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        build(Settings(telegram_bot_token="1:x", nurse_chat_id=-1, webhook_url="https://x/hook"), engine)


def test_the_bot_api_base_url_is_a_setting() -> None:
    local = Settings(telegram_api_base_url="http://127.0.0.1:8081/bot")
    assert api_urls(local) == ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    assert api_urls(Settings())[1] == "https://api.telegram.org/file/bot"


async def _bot_process(server: BotApiServer, tmp_path: Path, log: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": server.token, "TELEGRAM_API_BASE_URL": server.base_url,
           "NURSE_CHAT_ID": str(NURSES), "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
           "CARE_TEAM_PHONE": PHONE, "UPDATE_CLAIM_SECONDS": "1", "WEBHOOK_URL": "",
           "CONTENT_DIR": str(PROJECT_ROOT)}
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out)


async def test_python_m_bot_run_killed_while_replying_answers_once_after_restart(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    async with BotApiServer() as server:
        server.add_user(PATIENT, "Pat", "Doe")
        server.add_group(NURSES, "Cryo nurses", {NURSE: "administrator"})
        held = server.hold("sendMessage", chat_id=PATIENT)
        asked = server.message(PATIENT, "what is cryoablation")
        first = await _bot_process(server, tmp_path, log)
        await asyncio.wait_for(held.arrived.wait(), 120)
        first.kill()
        await first.wait()
        held.release(deliver=False)  # the reply never reached Telegram
        assert not server.confirmed(asked) and server.texts(PATIENT) == []

        second = await _bot_process(server, tmp_path, log)
        try:
            await server.wait_confirmed(asked, timeout=120)
            (answer,) = server.texts(PATIENT)
            assert "nci-cryosurgery" in answer
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), 60) == 0, log.read_text()
        finally:
            if second.returncode is None:
                second.kill()
