"""Property tests: random Unicode, control characters, huge and empty texts and random button data,
through the engine and the running Telegram bot. Nothing escapes, and a red flag in the noise is escalated."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from bot.config import Settings
from bot.content.model import Content
from bot.engine import Engine, Incoming
from bot.store.connect import SqliteStore
from bot.understanding.nlu import Classifier
from bot.understanding.normalize import for_matching
from tests.conftest import Clock
from tests.telegram.world import NURSES, PATIENT, SECOND_NURSE, World, running_bot

# Each with what the patient is told first, in English or, when the noise around it reads as
# Spanish ("su", "el"), in Spanish: the language is chosen per message.
_EMERGENCY = ("Call 911 now", "Llame al 911 ahora")
_URGENT = ("Call your care team now", "Llame ahora a su equipo")
RED_FLAGS = {
    "I cant breathe": _EMERGENCY,
    "my chest hurts": _EMERGENCY,
    "I have a fever of 104": _URGENT,
    "there is pus coming out of the probe site": _URGENT,
    "i dont want to live anymore": ("Please call or text 988 now", "Por favor, llame o mande un texto"),
}
CHATS = (f"chat-{n}" for n in itertools.count())
# Words that may say, in the next sentence, that a sign is over ("... but it cleared").
_CONTRAST = re.compile(r"\b(?:but|though|although|however)\b", re.IGNORECASE)

# Any code point: lone surrogates, control and format characters, every script.
ANY = st.characters(exclude_categories=())
noise = st.text(ANY, max_size=300)
huge = st.builds(lambda piece, times: piece * times, st.text(max_size=20), st.integers(0, 3000))
text = st.one_of(noise, huge, st.just(""), st.sampled_from(["\u00b2", "9" * 6000, "/", "/x\u200b", "\x00"]))


def _quiet(*parts: str) -> bool:
    """Noise that cannot say a red flag is over (the only words that may, by design)."""
    return not any(_CONTRAST.search(for_matching(part)) for part in parts)


@pytest.fixture(scope="module")
def engine(content: Content, settings: Settings, classifier: Classifier) -> Iterator[Engine]:
    store = SqliteStore(":memory:")
    yield Engine(content, settings, store, classifier, Clock())
    asyncio.run(store.close())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=text, button=st.one_of(st.none(), st.text(max_size=80)), patient=noise)
def test_nothing_escapes_the_engine(engine: Engine, text: str, button: str | None, patient: str) -> None:
    outcome = asyncio.run(engine.handle(Incoming(next(CHATS), text=text, button=button, patient=patient)))
    assert outcome.replies and all(reply.text for reply in outcome.replies)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=noise, after=noise, flag=st.sampled_from(sorted(RED_FLAGS)), patient=noise)
def test_a_red_flag_anywhere_in_the_noise_is_escalated(engine: Engine, before: str, after: str, flag: str,
                                                       patient: str) -> None:
    if not _quiet(before, after):
        return
    chat = next(CHATS)  # a chat of its own: an open concern from another example would change the answer
    outcome = asyncio.run(engine.handle(Incoming(chat, text=f"{before}\n{flag}\n{after}", patient=patient)))
    assert outcome.alerts, outcome.triage_level
    assert outcome.replies[0].text.startswith(RED_FLAGS[flag])


class Bot:
    """One bot on the local Bot API server for the whole module, driven from synchronous tests."""

    def __init__(self, tmp_path: Path, content: Content, classifier: Classifier) -> None:
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        self.world: World = self.run(self.stack.enter_async_context(
            running_bot(tmp_path, content, classifier, flood_messages=100_000,
                        alert_lease_seconds=2.0)))  # a short send timeout: quick to stop
        self.patients = itertools.count(PATIENT + 100)
        self.run(self.world.say(PATIENT, "I have a fever of 103"))  # an alert for the nurses to press

    def run(self, step: Any) -> Any:
        return self.loop.run_until_complete(step)

    def new_patient(self) -> int:
        """A patient of their own for each example: Telegram's pace of a message a second is per chat."""
        patient = next(self.patients)
        self.world.server.add_user(patient, "Pat", f"No{patient}")
        return patient

    def failed(self) -> float:
        return REGISTRY.get_sample_value("cryo_updates_total", {"result": "failed"}) or 0.0

    def close(self) -> None:
        self.run(self.stack.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, content: Content, classifier: Classifier) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("robust"), content, classifier)
    yield running
    running.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.text(ANY, max_size=64), st.sampled_from(["ack:\u00b2", "ack:" + "9" * 60])),
       nurse=st.booleans())
def test_random_button_data_is_answered_and_never_fails(bot: Bot, data: str, nurse: bool) -> None:
    server, failed = bot.world.server, bot.failed()
    if nurse:
        press = server.press(SECOND_NURSE, server.sent(NURSES)[0], data)
    else:
        patient = bot.new_patient()
        (welcome,) = bot.run(bot.world.say(patient, "/start prostate"))
        press = server.press(patient, welcome, data)
    bot.run(server.wait_confirmed(press))
    query = server.history[press]["callback_query"]["id"]
    bot.run(server.wait_for(lambda: query in server.callback_answers))
    assert bot.failed() == failed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=noise, after=noise, flag=st.sampled_from(sorted(RED_FLAGS)),
       command=st.sampled_from(["", "/help ", "/call ", "/sigh "]))
def test_a_red_flag_in_noise_on_telegram_is_escalated(bot: Bot, before: str, after: str, flag: str,
                                                      command: str) -> None:
    if not _quiet(before, after):
        return
    failed = bot.failed()
    replies = bot.run(bot.world.say(bot.new_patient(), f"{command}{before}\n{flag}\n{after}"))
    assert replies and replies[0]["text"].startswith(RED_FLAGS[flag])
    assert bot.failed() == failed
