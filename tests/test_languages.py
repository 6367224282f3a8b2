"""The chat's language and languages the bot cannot read, through the engine."""

from __future__ import annotations

from bot.engine import Engine, Incoming
from tests.conftest import PHONE, Converse

ONLY_TWO = "I can only read English and Spanish"
SOLO_DOS = "solo puedo leer inglés y español"


async def test_a_french_question_gets_the_note_in_both_languages_with_the_numbers_never_an_answer(
        converse: Converse) -> None:
    outcome = await converse("est-ce que je peux prendre une douche après la cryothérapie ?")
    (note,) = outcome.replies
    assert note.text.index(ONLY_TWO) < note.text.index(SOLO_DOS)
    assert PHONE in note.text and "911" in note.text
    assert not note.sources and not outcome.alerts


async def test_in_a_spanish_chat_the_note_opens_in_spanish_and_the_chat_stays_spanish(
        converse: Converse) -> None:
    await converse("hola, tengo una pregunta")
    (note,) = (await converse("我从昨天开始发烧")).replies
    assert note.text.index(SOLO_DOS) < note.text.index(ONLY_TWO)
    assert (await converse("ok")).slots["lang"] == "es"


async def test_triage_still_reads_another_language_and_speaks_first(converse: Converse) -> None:
    outcome = await converse("je suis très fatiguée, 39,5 de fièvre")
    assert outcome.triage_level == "urgent" and len(outcome.alerts) == 1
    assert "je suis très fatiguée, 39,5 de fièvre" in outcome.alerts[0].message
    assert PHONE in outcome.replies[0].text and ONLY_TWO not in outcome.replies[0].text
    assert ONLY_TWO in outcome.replies[-1].text
    emergency = await converse("ich kann nicht atmen, I can't breathe")
    assert emergency.triage_level == "emergency" and "911" in emergency.replies[0].text


async def test_the_nurses_read_which_language_the_alert_was_written_in(converse: Converse) -> None:
    await converse("hola, tengo una pregunta")  # a Spanish chat
    french = await converse("mon mari a 39,5 de fièvre depuis ce matin")
    assert french.alerts[0].message.endswith("[written in a language the bot cannot read]")
    spanish = await converse("y ahora le sale pus de la herida")
    assert spanish.alerts[0].message.endswith("[written in Spanish]")


async def test_telegrams_language_sets_the_chats_until_the_patient_writes_in_one(engine: Engine) -> None:
    def spanish_phone(text: str) -> Incoming:
        return Incoming("chat-es", text=text, locale="es-MX")

    (welcome,) = (await engine.enroll("chat-es", "kidney", None, "Ana", locale="es-MX")).replies
    assert "Hola" in welcome.text
    assert (await engine.handle(spanish_phone("102"))).slots["lang"] == "es"
    english = await engine.handle(spanish_phone("what is cryoablation"))
    assert english.slots["lang"] == "en" and "Sources:" in english.replies[0].text
    assert (await engine.handle(spanish_phone("ok"))).slots["lang"] == "en"
    (fresh,) = (await engine.say("chat-new", "utter_help", locale="es")).replies
    assert (await engine.say("chat-new", "utter_help")).replies[0].text != fresh.text


async def test_the_links_language_wins_over_telegrams_and_over_what_the_chat_had(engine: Engine) -> None:
    await engine.handle(Incoming("chat-2", text="hello", locale="en-US"))
    outcome = await engine.enroll("chat-2", "liver", "2026-12-01", "Ana", lang="es", locale="en-US")
    assert outcome.slots["lang"] == "es" and "Hola" in outcome.replies[0].text
    assert (await engine.store.load_slots("chat-2"))["lang"] == "es"
