"""Follow-ups in context: a fragment is read against the chat's last topic and procedure; with none,
the patient gets the help menu, never a guess."""

from __future__ import annotations

import pytest

from bot.dialogue.context import FOLLOW_UP_ENTITY, bare_fragments_only
from bot.engine import Engine, Incoming, Outcome
from bot.understanding.nlu import Parse


async def _say(engine: Engine, chat: str, *turns: str) -> list[Outcome]:
    return [await engine.handle(Incoming(chat, text=turn)) for turn in turns]


@pytest.mark.parametrize(("first", "fragment", "answer"), [
    ("how long does the procedure take", "and after?", "utter_recovery"),
    ("what is the recovery like", "so no lifting?", "utter_recovery"),
    ("do i need someone to drive me home", "so no driving?", "utter_preparation"),
    ("how do I get ready for it", "and after that?", "utter_recovery"),
    ("how long is recovery", "and how much does it cost?", "utter_insurance_cost"),  # a question of its own
    ("cuánto dura el procedimiento", "¿y después?", "utter_recovery"),
    ("when can I go back to work after cryo?", "even with a desk job?", "utter_recovery"),
    ("¿hay que estar en ayunas para la crioablación?", "¿ni siquiera agua?", "utter_preparation"),
    ("does insurance cover cryoablation?", "why not always?", "utter_insurance_cost"),
    ("¿el seguro cubre la crioablación?", "¿y por qué?", "utter_insurance_cost"),
    ("will I have a catheter after prostate cryosurgery?", "for how long?", "utter_catheter"),
    ("can you walk me through the cryoablation procedure", "how long?", "utter_duration"),
    ("how long is recovery after lung cryoablation", "wat about prostate", "utter_recovery"),  # as texted
    ("cuánto tiempo de recuperación tiene la crioablación", "y pa la prostata", "utter_recovery"),
])
async def test_a_fragment_follows_the_last_topic(engine: Engine, first: str, fragment: str,
                                                answer: str) -> None:
    _, follow_up = await _say(engine, "chat-1", first, fragment)
    assert follow_up.replies[0].response == answer
    assert follow_up.replies[0].sources


async def test_what_about_another_site_answers_the_same_topic_for_that_site(engine: Engine) -> None:
    await engine.enroll("chat-1", "prostate", None)
    prostate, liver = await _say(engine, "chat-1", "what are the side effects", "what about for the liver?")
    assert prostate.replies[0].response == liver.replies[0].response == "utter_side_effects"
    assert "prostate" in prostate.replies[0].text.lower()
    assert "liver" in liver.replies[0].text.lower()
    assert (await engine.store.load_slots("chat-1"))["site"] == "prostate"  # asked about, not treated


@pytest.mark.parametrize("fragment", ["and after?", "what about for the liver?", "so no driving?", "why?",
                                      "¿ni siquiera agua?"])
async def test_the_same_fragment_in_a_fresh_chat_gets_the_help_menu(engine: Engine, fragment: str) -> None:
    (outcome,) = await _say(engine, "fresh", fragment)
    (reply,) = outcome.replies
    assert reply.response == "utter_help"
    assert any(button.payload == "/side_effects" for button in reply.buttons)


async def test_the_topic_is_kept_in_the_store_between_messages(engine: Engine) -> None:
    await _say(engine, "chat-1", "how long does the procedure take")
    assert (await engine.store.load_slots("chat-1"))["topic"] == "duration"
    await _say(engine, "chat-1", "thanks")
    assert (await engine.store.load_slots("chat-1"))["topic"] == "duration"


async def test_a_follow_up_is_not_taken_for_a_symptom(engine: Engine) -> None:
    _, follow_up = await _say(engine, "chat-1", "how long does the procedure take", "and after?")
    assert follow_up.triage_level == "none" and not follow_up.alerts
    assert "concern" not in await engine.store.load_slots("chat-1")  # nothing for the nurses to read later


@pytest.mark.parametrize("text", ["eres un robot o una persona? y puedo hablar con una enfermera",
                                  "is this automated? and i want to talk to a real nurse"])
async def test_a_request_after_and_is_answered_not_read_as_a_fragment(engine: Engine, text: str) -> None:
    (outcome,) = await _say(engine, "chat-1", text)
    assert [r.response for r in outcome.replies] == ["utter_bot_challenge", "utter_talk_to_nurse"]


async def test_a_question_opening_with_and_after_thanks_in_a_fresh_chat_is_answered(engine: Engine) -> None:
    """Nothing was asked before it, so it is read as written, not sent to the menu."""
    [outcome] = await _say(engine, "thanks-then-and", "Vale, gracias. ¿Y cuánto tarda en caerse la costra? "
                                                      "¿Cuándo puedo volver a trabajar?")
    assert [q.intent for q in outcome.questions] == ["aftercare", "recovery"]


@pytest.mark.parametrize(("text", "intent"), [("any cons", "drawbacks"),
                                              ("do ppl go home same day", "recovery")])
async def test_a_short_question_surely_naming_its_topic_in_a_fresh_chat_is_answered(
        engine: Engine, text: str, intent: str) -> None:
    """Nothing was asked before it, and it names its topic: no menu ("same day" points back to nothing)."""
    [outcome] = await _say(engine, f"fresh-{intent}", text)
    assert [q.intent for q in outcome.questions] == [intent]


async def test_same_still_points_back_to_the_topic_before(engine: Engine) -> None:
    outcomes = await _say(engine, "same-topic", "how long is recovery after liver cryo",
                          "same for the kidney?")
    assert outcomes[-1].replies[0].response == "utter_recovery"


def test_a_fragment_read_out_of_a_longer_message_loses_its_follow_up_mark() -> None:
    """Only a message that is all fragment spares triage its learned layer."""
    mark = {"entity": FOLLOW_UP_ENTITY, "value": "help"}
    fragment = Parse("and after?", "recovery", 1.0, (mark,))
    assert bare_fragments_only([fragment], "and after?") == (fragment,)
    (unmarked,) = bare_fragments_only([fragment], "my leg is hot and swollen. and after?")
    assert unmarked.intent == "recovery" and mark not in unmarked.entities


async def test_a_report_before_a_fragment_is_triaged_whole(engine: Engine) -> None:
    [outcome] = await _say(engine, "report-then-fragment",
                           "how many paracetamol is too many? I've had about 16 today for the pain")
    assert outcome.alerts
