"""The action server over real HTTP, as a Rasa server calls it: `python -m bot actions`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.content.model import Content
from bot.dialogue.actions import SLOTS, action_names
from bot.engine import Engine, Incoming
from bot.rasa.export import domain
from bot.store.connect import connect_store
from tests.conftest import PHONE
from tests.rasa.test_export import rasa_text

RASA_VERSION = "3.6.21"


@dataclass(frozen=True)
class Server:
    url: str
    database: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(process: subprocess.Popen[str], url: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            pytest.fail(f"the action server exited: {process.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the action server never answered /health")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("actions")
    database = folder / "actions.db"
    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "CARE_TEAM_PHONE": PHONE,
                   "EMERGENCY_NUMBER": "911", "CRISIS_LINE": "988", "TELEGRAM_BOT_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "actions", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(process, url)
        yield Server(url, database)
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.fixture(scope="module")
def rasa_domain(content: Content, settings: Settings) -> dict[str, Any]:
    return domain(content, settings)


def action_call(action: str, sender: str, text: str, intent: str, slots: dict[str, Any] | None = None,
                entities: list[dict[str, Any]] | None = None,
                rasa_domain: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON body Rasa 3.6 posts to the action endpoint (RemoteAction._action_call_format)."""
    tracker = {
        "sender_id": sender,
        "slots": {name: None for name in SLOTS} | (slots or {}),
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.91},
                           "entities": entities or [], "intent_ranking": [], "message_id": "m1"},
        "latest_event_time": 1763715600.0,
        "followup_action": None,
        "paused": False,
        "events": [{"event": "action", "name": "action_listen"},
                   {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}],
        "latest_input_channel": "rest",
        "active_loop": {},
        "latest_action": {"action_name": "action_listen"},
        "latest_action_name": "action_listen",
    }
    return {"next_action": action, "sender_id": sender, "tracker": tracker,
            "domain": rasa_domain or {"intents": []}, "version": RASA_VERSION}


async def post(server: Server, body: Any, raw: bytes | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session:
        kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
        async with session.post(f"{server.url}/webhook", **kwargs) as answer:
            return answer.status, await answer.json()


def slots_after(call: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The tracker's slots once Rasa has applied the events an action returned."""
    slots = dict(call["tracker"]["slots"])
    for event in result["events"]:
        assert event["event"] == "slot" and event["name"] in SLOTS, event
        slots[event["name"]] = event["value"]
    return slots


def shown(rasa_domain: dict[str, Any], slots: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """What Rasa shows the patient for the action's messages, rendered from the exported domain."""
    return [rasa_text(rasa_domain, message["response"], slots, message) for message in result["responses"]]


async def test_fever_of_102_escalates_and_stores_the_alert(
    server: Server, rasa_domain: dict[str, Any], engine: Engine,
) -> None:
    call = action_call("action_triage", "rasa-fever", "I have a fever of 102", "report_symptom",
                       rasa_domain=rasa_domain)
    status, result = await post(server, call)
    assert status == 200
    assert [m["response"] for m in result["responses"]] == ["utter_urgent"]
    slots = slots_after(call, result)
    assert slots["triage_level"] == "urgent" and isinstance(slots["alert_id"], int)
    text = shown(rasa_domain, call["tracker"]["slots"], result)[0]
    assert text.startswith(f"Call your care team now: {PHONE}.")
    assert "(102°F)" in text
    # The same words the built-in engine says to a patient who writes the same thing.
    built_in = await engine.handle(Incoming("chat-1", text="I have a fever of 102"))
    assert text == built_in.replies[0].text

    store = await connect_store(f"sqlite:///{server.database}")
    try:
        alert = await store.get_alert(slots["alert_id"])
    finally:
        await store.close()
    assert alert is not None
    assert (alert.chat_id, alert.level, alert.message) == ("rasa-fever", "urgent", "I have a fever of 102")
    assert alert.status == "pending"

    # Rasa's rule then runs action_answer: triage has said all there is to say.
    answer = action_call("action_answer", "rasa-fever", "I have a fever of 102", "report_symptom",
                         slots, rasa_domain=rasa_domain)
    status, result = await post(server, answer)
    assert (status, result["responses"]) == (200, [])


async def test_typos_are_mended_from_rasas_text_alone(server: Server, rasa_domain: dict[str, Any]) -> None:
    call = action_call("action_triage", "rasa-typo", "trouble breathng since this morning",
                       "report_symptom")
    status, result = await post(server, call)
    assert status == 200
    assert [m["response"] for m in result["responses"]] == ["utter_emergency"]
    assert shown(rasa_domain, call["tracker"]["slots"], result)[0].startswith("Call 911 now.")


async def test_prostate_side_effects_with_the_site_slot(
    server: Server, rasa_domain: dict[str, Any], content: Content, settings: Settings,
) -> None:
    call = action_call("action_answer", "rasa-site", "what side effects can I expect",
                       "side_effects", {"site": "prostate", "triage_level": "none"})
    status, result = await post(server, call)
    assert status == 200
    assert [(m["response"], m["site"]) for m in result["responses"]] == [("utter_side_effects", "prostate")]
    text = shown(rasa_domain, call["tracker"]["slots"], result)[0]
    assert text.startswith("After prostate cryo")
    assert text.endswith("[cancer-center-cryotherapy, nci-cryosurgery, cleveland-cryoablation]")
    general = shown(rasa_domain, {**call["tracker"]["slots"], "site": None}, result)[0]
    assert "prostate" not in general.split("\n")[0].lower()


async def test_temperature_follow_up_over_two_turns(server: Server, rasa_domain: dict[str, Any]) -> None:
    first = action_call("action_triage", "rasa-temp", "I think I have a fever", "report_symptom")
    status, result = await post(server, first)
    assert (status, [m["response"] for m in result["responses"]]) == (200, ["utter_ask_temperature"])
    slots = slots_after(first, result)
    assert slots["awaiting"] == "temperature"

    second = action_call("action_triage", "rasa-temp", "100.2", "out_of_scope", slots)
    status, result = await post(server, second)
    assert status == 200
    assert [m["response"] for m in result["responses"]] == ["utter_temperature_below_line"]
    text = shown(rasa_domain, slots, result)[0]
    assert text.startswith("100.2°F is not above the line of 101°F")
    assert slots_after(second, result)["awaiting"] is None


async def test_no_thermometer_button_payload(server: Server) -> None:
    call = action_call("action_triage", "rasa-button", '/report_symptom{"thermometer":"none"}',
                       "report_symptom", {"awaiting": "temperature"},
                       entities=[{"entity": "thermometer", "value": "none"}])
    status, result = await post(server, call)
    assert (status, [m["response"] for m in result["responses"]]) == (200, ["utter_no_thermometer"])
    assert slots_after(call, result)["awaiting"] is None


async def test_rasa_fallback_intent_is_answered_as_out_of_scope(server: Server) -> None:
    call = action_call("action_answer", "rasa-unsure", "what about my cat", "nlu_fallback")
    status, result = await post(server, call)
    assert (status, [m["response"] for m in result["responses"]]) == (200, ["utter_out_of_scope"])


async def test_unknown_action_gets_404_in_rasas_error_format(server: Server) -> None:
    status, result = await post(server, action_call("action_book_visit", "rasa-x", "hi", "greet"))
    assert status == 404
    assert result == {"error": "No registered action found for name 'action_book_visit'.",
                      "action_name": "action_book_visit"}


@pytest.mark.parametrize(("body", "action_name", "mentions"), [
    (b"{not json", None, "not JSON"),
    (b'["action_triage"]', None, "JSON object"),
    (b'{"tracker": {"sender_id": "p"}}', None, "next_action"),
    (b'{"next_action": "action_triage"}', "action_triage", "tracker"),
    (b'{"next_action": "action_triage", "tracker": {"sender_id": "p", "slots": []}}',
     "action_triage", "tracker.slots"),
    (b'{"next_action": "action_answer", "tracker": {"sender_id": "p", '
     b'"latest_message": {"text": "hi", "entities": ["site"]}}}', "action_answer", "entities"),
])
async def test_malformed_call_gets_400_in_rasas_error_format_and_loses_nothing(
    server: Server, body: bytes, action_name: str | None, mentions: str,
) -> None:
    status, result = await post(server, None, raw=body)
    assert status == 400
    assert set(result) == {"error", "action_name"}
    assert result["action_name"] == action_name
    assert mentions in result["error"]
    status, _ = await post(server, action_call("action_answer", "rasa-after", "hi", "greet"))
    assert status == 200


async def test_health_and_the_list_of_actions(server: Server) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/health") as answer:
            assert (answer.status, await answer.json()) == (200, {"status": "ok"})
        async with session.get(f"{server.url}/actions") as answer:
            assert [a["name"] for a in await answer.json()] == action_names()
