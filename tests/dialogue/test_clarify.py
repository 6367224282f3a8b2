"""A close call between two topics asks which one with two buttons; pressing one answers it."""

from __future__ import annotations

from bot.content.model import Content
from bot.dialogue.clarify import CLOSE_CALL, choice_buttons, close_call
from bot.engine import Engine, Incoming

CLOSE = "what happens during the procedure"  # the skin, or a tumor inside the body?


def _ranking(first: tuple[str, float], second: tuple[str, float]) -> dict[str, object]:
    return {"intent_ranking": [{"name": n, "confidence": c} for n, c in (first, second)]}


async def test_a_close_call_asks_which_one_with_two_buttons(engine: Engine) -> None:
    outcome = await engine.handle(Incoming("chat-1", text=CLOSE))
    (reply,) = outcome.replies
    assert reply.response == "utter_clarify"
    assert {b.payload for b in reply.buttons} == {"/procedure_internal", "/procedure_skin"}
    assert all(b.title for b in reply.buttons)
    pressed = await engine.handle(Incoming("chat-1", button=reply.buttons[0].payload))
    assert pressed.replies[0].response == f"utter_{reply.buttons[0].payload[1:]}"
    assert pressed.replies[0].sources


async def test_a_clear_question_is_answered_without_asking(engine: Engine) -> None:
    (reply,) = (await engine.handle(Incoming("chat-1", text="how long does the catheter stay in"))).replies
    assert reply.response == "utter_catheter"


async def test_a_red_flag_is_never_met_with_a_question_back(engine: Engine) -> None:
    outcome = await engine.handle(Incoming("chat-1", text=f"{CLOSE}? i have a fever of 103"))
    assert outcome.triage_level == "urgent"
    assert "utter_clarify" not in [reply.response for reply in outcome.replies]


def test_only_two_topics_near_each_other_are_a_close_call() -> None:
    assert close_call(_ranking(("recovery", 0.5), ("aftercare", 0.5 - CLOSE_CALL / 2))) == ("recovery",
                                                                                             "aftercare")
    assert close_call(_ranking(("recovery", 0.9), ("aftercare", 0.05))) is None
    assert close_call(_ranking(("greet", 0.5), ("thanks", 0.45))) is None  # small talk: just answer
    assert close_call({}) is None


def test_the_buttons_carry_the_site_named(content: Content) -> None:
    buttons = choice_buttons(content, ("side_effects", "recovery"), "liver", {})
    assert [b["payload"] for b in buttons] == ['/side_effects{"site":"liver"}', '/recovery{"site":"liver"}']
    assert [b["title"] for b in buttons] == ["Side effects", "Recovery"]
    spanish = choice_buttons(content, ("side_effects", "recovery"), None, {"lang": "es"})
    assert [b["title"] for b in spanish] == ["Efectos secundarios", "Recuperación"]
