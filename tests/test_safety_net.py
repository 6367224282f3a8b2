"""Whole conversations through the safety layers: the checklist, open concerns, alerts that notify anew."""

from __future__ import annotations

import logging

import pytest

from bot.engine import Engine, Incoming, Outcome
from bot.store.connect import SqliteStore
from tests.conftest import Converse

CHAT = "chat-1"


def tap(sign: str) -> str:
    return f'/report_symptom{{"sign":"{sign}"}}'


async def press(engine: Engine, payload: str) -> Outcome:
    return await engine.handle(Incoming(CHAT, button=payload, patient="Pat Doe"))


async def test_a_symptom_with_no_known_flag_gets_the_checklist_not_an_answer(converse: Converse) -> None:
    outcome = await converse("I feel really strange and my knee is aching")
    (reply,) = outcome.replies
    assert reply.response == "utter_emergency_checklist"
    assert [b.title for b in reply.buttons] == [
        "Trouble breathing", "Chest pain", "Heavy bleeding", "Fainting or confusion",
        "Fever over 101°F / 38.3°C", "Pus or cloudy, smelly fluid", "None of these"]
    assert not outcome.alerts


@pytest.mark.parametrize("text", ["no me siento bien", "not feeling great today",
                                  "mi mamá no está nada bien", "feel sluggish and blah",
                                  "tengo un malestar desde ayer", "mi esposo anda como apagado hoy"])
async def test_feeling_unwell_in_no_signs_words_gets_the_checklist(converse: Converse, text: str) -> None:
    outcome = await converse(text)
    assert [r.response for r in outcome.replies] == ["utter_emergency_checklist"]


@pytest.mark.parametrize("text", ["no, me siento bien", "what if I feel unwell after the procedure?"])
async def test_feeling_well_or_asking_about_it_gets_no_checklist(converse: Converse, text: str) -> None:
    outcome = await converse(text)
    assert all(r.response != "utter_emergency_checklist" for r in outcome.replies)


async def test_a_question_about_symptoms_gets_an_answer_not_the_checklist(converse: Converse) -> None:
    outcome = await converse("what side effects should I watch for after kidney cryoablation?")
    assert all(r.response != "utter_emergency_checklist" for r in outcome.replies)


async def test_walking_the_checklist_routes_by_the_tap(converse: Converse, engine: Engine,
                                                         store: SqliteStore) -> None:
    await converse("my husband is not himself tonight")
    outcome = await press(engine, tap("breathing"))
    assert outcome.triage_level == "emergency"
    assert outcome.replies[0].response == "utter_emergency"
    (alert,) = outcome.alerts
    assert alert.level == "emergency" and alert.red_flags == ("trouble breathing",)
    assert alert.message == "my husband is not himself tonight (checklist: trouble breathing)"
    again = await press(engine, tap("breathing"))  # pressed twice: the same alert, not a second one
    assert again.alerts[0].id == alert.id
    assert len(await store.open_alerts()) == 1


async def test_none_of_these_keeps_listening_and_free_text_is_triaged_again(
        converse: Converse, engine: Engine) -> None:
    await converse("I feel awful since I got home")
    none = await press(engine, tap("none"))
    assert none.replies[0].response == "utter_checklist_none" and not none.alerts
    # The signs the checklist does not ask about are named, to call the team for.
    assert all(sign in none.replies[0].text for sign in ("pus", "redness", "fever over 101"))
    later = await converse("actually I just took my temperature, it is 102.4")
    assert later.triage_level == "urgent" and later.alerts


@pytest.mark.parametrize(("answer", "flag"), [("the bleeding one", "heavy bleeding that does not stop"),
                                              ("lo del sangrado", "heavy bleeding that does not stop"),
                                              ("la de la confusión", "fainting or not waking up")])
async def test_a_checklist_answered_in_words_routes_as_its_tap(converse: Converse, answer: str,
                                                                flag: str) -> None:
    await converse("my husband is not himself tonight")
    outcome = await converse(answer)
    assert outcome.triage_level == "emergency"
    (alert,) = outcome.alerts
    assert alert.message.startswith(f"my husband is not himself tonight {answer} (checklist: {flag})")


async def test_a_checklist_answered_with_a_reading_or_all_clear_is_not_a_tap(converse: Converse) -> None:
    await converse("woke up from a nightmare all sweaty")
    outcome = await converse("took my temperature: 36,7, all good")
    assert outcome.triage_level == "none" and not outcome.alerts


async def test_a_fever_tap_is_urgent(converse: Converse, engine: Engine) -> None:
    await converse("my dad feels off")
    outcome = await press(engine, tap("fever"))
    assert outcome.triage_level == "urgent" and outcome.alerts[0].level == "urgent"


async def test_a_forged_or_late_checklist_tap_is_handled_and_logged(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    forged = await press(engine, tap("everything"))
    assert forged.replies[0].response == "utter_stale_button" and not forged.alerts
    with caplog.at_level(logging.INFO, logger="bot.dialogue.actions"):
        late = await press(engine, tap("chest_pain"))  # no checklist was asked in this chat
    assert late.triage_level == "emergency" and late.alerts  # a tap that reports a sign is never ignored
    assert "checklist tap" in caplog.text and "asked: False" in caplog.text


@pytest.mark.parametrize(("first", "then"), [
    ("my leg is swollen", "now it's hard and hot"),  # it worsens
    ("my mom's eyes look different today", "the whites are yellow, she had liver cryo"),  # a detail
])
async def test_a_follow_up_that_worsens_the_story_escalates_with_all_of_it(converse: Converse, first: str,
                                                                          then: str) -> None:
    assert not (await converse(first)).alerts
    worse = await converse(then)
    assert worse.triage_level == "urgent"
    (alert,) = worse.alerts
    assert alert.message == f"{first} {then}"


async def test_a_concern_said_to_be_over_is_closed(converse: Converse, engine: Engine) -> None:
    await converse("my leg is swollen")
    await converse("it's fine now, it went down")
    assert "concern" not in await engine.store.load_slots(CHAT)
    later = await converse("it's hard and hot")  # no story left to read this with: read alone
    assert all(alert.message == "it's hard and hot" for alert in later.alerts)


async def test_the_open_concern_survives_a_restart(converse: Converse, engine: Engine) -> None:
    await converse("my leg is swollen")
    restarted = Engine(engine.content, engine.settings, engine.store, engine.classifier)
    worse = await restarted.handle(Incoming(CHAT, text="now it's hard and hot", patient="Pat Doe"))
    assert worse.triage_level == "urgent" and worse.alerts


async def test_a_first_false_alarm_does_not_silence_a_later_real_flag(converse: Converse,
                                                                      store: SqliteStore) -> None:
    first = await converse("temp 102")
    second = await converse("and now I cannot breathe")
    assert second.alerts[0].id != first.alerts[0].id
    assert [a.level for a in await store.open_alerts()] == ["urgent", "emergency"]


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "HELP ME MY CHEST HURTS", "1234567890", "x" * 10_000,
                                  "?!?!", "ok"])
async def test_odd_messages_get_a_clear_reply_from_every_layer(converse: Converse, text: str) -> None:
    outcome = await converse(text)
    assert outcome.replies and all(r.text for r in outcome.replies)


async def test_a_spanish_red_flag_with_a_comma_temperature_gets_a_spanish_reply_and_an_english_alert(
        converse: Converse) -> None:
    outcome = await converse("mi mamá tiene fiebre de 39,2 desde anoche")
    (reply,) = outcome.replies
    assert reply.text.startswith("Llame ahora a su equipo de atención")
    assert "Fuentes:" in reply.text and "Sources:" not in reply.text
    (alert,) = outcome.alerts
    assert alert.level == "urgent" and alert.red_flags == ("a fever (39.2°C)",)
    assert alert.message == "mi mamá tiene fiebre de 39,2 desde anoche [written in Spanish]"


async def test_the_language_follows_each_message_and_a_bare_number_keeps_the_chats(
        converse: Converse) -> None:
    spanish = await converse("me siento muy mal, me duele todo")
    assert spanish.replies[0].text.startswith("Soy un bot y no puedo saber")
    assert [b.title for b in spanish.replies[0].buttons][:2] == ["Le cuesta respirar", "Dolor de pecho"]
    english = await converse("I have a fever")
    assert english.replies[0].text.startswith("I am sorry you feel unwell")
    number = await converse("101.9")  # no words: the chat's language so far
    assert number.replies[0].text.startswith("Call your care team now")


async def test_a_red_flag_only_the_learned_layer_knows_alerts_without_naming_a_sign(
        converse: Converse) -> None:
    text = "everything is spinning and i ended up on the kitchen floor"
    outcome = await converse(text)
    (reply,) = outcome.replies
    assert reply.response == "utter_emergency_unlisted"
    assert "could be an emergency" in reply.text and "I am a bot" in reply.text
    (alert,) = outcome.alerts
    assert alert.level == "emergency" and alert.message == text
    assert alert.red_flags == ("a possible red flag the word list does not know: please read the message",)


async def test_the_learned_layers_alert_is_told_in_spanish(converse: Converse) -> None:
    outcome = await converse("mi esposo se cayó en el baño y no lo puedo despertar bien")
    assert outcome.alerts and outcome.alerts[0].level == "emergency"
    assert outcome.replies[0].text.startswith("Llame al")


async def test_a_match_the_learned_layer_doubts_gets_the_checklist_not_an_alert(converse: Converse) -> None:
    outcome = await converse("me preocupa la hinchazon del escroto")
    assert not outcome.alerts
    assert [r.response for r in outcome.replies] == ["utter_emergency_checklist"]
    assert outcome.replies[0].text.startswith("Soy un bot")


async def test_an_urgent_alert_is_not_followed_by_small_talk(converse: Converse) -> None:
    outcome = await converse("yes it's 102 now")
    assert outcome.alerts
    assert [r.response for r in outcome.replies] == ["utter_urgent_unlisted"]


async def test_emergency_words_the_model_reads_as_calm_bring_the_number_and_the_checklist_not_an_alert(
        converse: Converse) -> None:
    outcome = await converse("casi me desmayo cuando me dijeron el precio del parking jaja")
    assert [r.response for r in outcome.replies] == ["utter_call_if_now", "utter_emergency_checklist"]
    assert "911" in outcome.replies[0].text and "ahora" in outcome.replies[0].text
    assert not outcome.alerts
    # Writing again about something else does not turn the doubted words into an alert.
    later = await converse("¿cuándo puedo volver a manejar?")
    assert not later.alerts
    worse = await converse("ahora me desmayé en el baño")
    assert worse.triage_level == "emergency" and worse.alerts


async def test_a_plain_emergency_is_never_doubted(converse: Converse) -> None:
    outcome = await converse("my dad collapsed and wont wake up")
    assert outcome.triage_level == "emergency"
    assert outcome.replies[0].response == "utter_emergency"


async def test_when_the_lexicon_calls_it_past_and_the_model_a_report_the_checklist_asks(
        converse: Converse) -> None:
    outcome = await converse("my late wife was gasping for air and coughing blood")
    assert [r.response for r in outcome.replies][-1] == "utter_emergency_checklist"
    assert not outcome.alerts


async def test_a_hot_forehead_asks_for_the_temperature(converse: Converse) -> None:
    outcome = await converse("tengo la frente caliente")
    assert outcome.replies[0].response == "utter_ask_temperature" and not outcome.alerts
    assert (await converse("38,2 me salió")).triage_level != "urgent"
    assert (await converse("ahora 38,9")).triage_level == "urgent"


async def test_a_little_blood_asks_the_checklist_and_soaking_through_then_is_an_emergency(
        converse: Converse) -> None:
    first = await converse("theres a little blood on my bandage")
    assert [r.response for r in first.replies] == ["utter_emergency_checklist"] and not first.alerts
    later = await converse("its soaking through now")
    assert later.triage_level == "emergency" and later.alerts


async def test_a_vague_leak_asks_and_the_pus_tap_alerts_with_the_story(converse: Converse,
                                                                        engine: Engine) -> None:
    first = await converse("something is leaking from where they put the needle")
    assert [r.response for r in first.replies] == ["utter_emergency_checklist"] and not first.alerts
    outcome = await press(engine, tap("pus"))
    (alert,) = outcome.alerts
    assert (alert.level, alert.red_flags) == ("urgent", ("pus or discharge at the probe site",))
    assert alert.message.startswith("something is leaking from where they put the needle")


async def test_a_vague_leak_then_told_clear_and_stopped_stays_calm_and_told_thick_alerts(
        converse: Converse) -> None:
    await converse("me sale algo por el pinchazo")
    calm = await converse("es poquita agua clara y ya paro")
    assert not calm.alerts
    worse = await converse("ahora sale amarillo y espeso")
    assert worse.triage_level == "urgent" and worse.alerts


async def test_the_checklist_itself_gives_the_emergency_number(converse: Converse) -> None:
    english = await converse("I feel really strange and my knee is aching")
    assert english.replies[-1].response == "utter_emergency_checklist"
    assert "call 911" in english.replies[-1].text
    spanish = await converse("me siento muy mal, me duele todo")
    assert "llame al 911" in spanish.replies[-1].text


@pytest.mark.parametrize("answer", ["ninguno", "none of those", "no"])
async def test_none_of_these_typed_gets_the_none_answer_once(converse: Converse, answer: str) -> None:
    await converse("no me siento bien")
    outcome = await converse(answer)
    assert [r.response for r in outcome.replies] == ["utter_checklist_none"] and not outcome.alerts
    later = await converse("none of those, but now I can't breathe well")
    assert later.triage_level == "emergency"


@pytest.mark.parametrize("answer", [
    "none, he's talking normal and knows everyone, just sleepy and grumpy he can't golf",
    "ninguna de esas, dice que es como desgano nomas y mucho sueño",
])
async def test_none_typed_with_more_said_is_the_none_answer(converse: Converse, answer: str) -> None:
    # Only the model would read a red flag into what follows the "none": the patient chose the last button.
    await converse("my dad is really quiet and tired today after the lung one")
    outcome = await converse(answer)
    assert outcome.replies[0].response == "utter_checklist_none" and not outcome.alerts
