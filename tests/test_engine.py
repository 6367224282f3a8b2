"""Whole conversations through the engine: what the patient is told, and what is stored."""

from __future__ import annotations

import logging

import pytest

from bot.engine import MAX_CHARS, Engine, Incoming
from bot.store.connect import SqliteStore
from bot.store.model import reports
from tests.conftest import PHONE, Converse


async def test_greeting_says_it_is_a_bot_with_topic_buttons(converse: Converse) -> None:
    (reply,) = (await converse("hi")).replies
    assert "bot" in reply.text
    assert any(b.payload == "/side_effects" for b in reply.buttons)


async def test_enrollment_welcome_says_bot_not_doctor_and_the_number(engine: Engine) -> None:
    outcome = await engine.enroll("chat-9", "prostate", "2026-12-01", "Sam")
    text = outcome.replies[0].text
    assert "bot, not a doctor" in text and PHONE in text
    assert (await engine.store.load_slots("chat-9"))["site"] == "prostate"


async def test_knowledge_answer_cites_its_sources(converse: Converse) -> None:
    outcome = await converse("what is cryoablation")
    (reply,) = outcome.replies
    assert outcome.parse and outcome.parse.intent == "what_is_cryotherapy"
    assert reply.sources and "nci-cryosurgery" in reply.text
    assert "cold" in reply.text.lower()


async def test_side_effects_fit_the_site_in_the_question(converse: Converse) -> None:
    reply = (await converse("what are the side effects of prostate cryo")).replies[0]
    assert "prostate" in reply.text.lower()
    assert reply.response == "utter_side_effects"


async def test_procedure_is_remembered_for_later_answers(converse: Converse) -> None:
    await converse("I had prostate cryo last week")
    reply = (await converse("what are the side effects?")).replies[0]
    assert "prostate" in reply.text.lower()


async def test_the_chat_state_is_written_only_when_it_changes(
        converse: Converse, store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[dict[str, object]] = []
    save = store.save_slots

    async def spy(chat_id: str, slots: dict[str, object]) -> None:
        written.append(dict(slots))
        await save(chat_id, slots)

    monkeypatch.setattr(store, "save_slots", spy)
    await converse("I had liver cryo on monday")
    await converse("what is cryoablation")
    await converse("thanks")
    await converse("actually it was my kidney")
    # "thanks" changes nothing; the topic answered is kept for follow-ups ("and after?").
    assert [(w.get("site"), w.get("topic")) for w in written] == [
        ("liver", None), ("liver", "what_is_cryotherapy"), ("kidney", "what_is_cryotherapy")]
    assert (await store.load_slots("chat-1"))["site"] == "kidney"


async def test_fever_question_then_temperature_escalates(converse: Converse,
                                                         store: SqliteStore) -> None:
    first = await converse("I have a fever")
    assert first.triage_level == "check"
    assert first.replies[0].response == "utter_ask_temperature"
    assert first.replies[0].buttons
    second = await converse("101.8")
    assert second.triage_level == "urgent"
    assert second.replies[0].text.startswith(f"Call your care team now: {PHONE}")
    assert "101.8°F" in second.replies[0].text
    (alert,) = second.alerts
    # The nurses read the story, not the bare number.
    assert (alert.level, alert.message, alert.patient) == ("urgent", "I have a fever 101.8", "Pat Doe")
    assert [a.id for a in await store.open_alerts()] == [alert.id]


async def test_triage_wins_over_the_question(converse: Converse) -> None:
    outcome = await converse("when can i shower, also i have a fever of 102")
    assert outcome.triage_level == "urgent"
    assert outcome.replies[0].text.startswith("Call your care team now")
    assert outcome.alerts


async def test_emergency_leads_with_the_emergency_number(converse: Converse) -> None:
    outcome = await converse("my husband cant breathe")
    assert outcome.replies[0].text.startswith("Call 911 now")
    assert len(outcome.replies) == 1
    assert outcome.alerts[0].level == "emergency"


async def test_self_harm_gives_the_crisis_line(converse: Converse) -> None:
    outcome = await converse("i dont want to live anymore")
    assert outcome.replies[0].text.startswith("Please call or text 988 now")
    assert outcome.alerts


async def test_a_body_in_danger_and_thoughts_of_self_harm_get_911_first_then_the_crisis_line(
        converse: Converse) -> None:
    outcome = await converse("I cant breathe\nSELFHARM")
    assert [r.response for r in outcome.replies] == ["utter_emergency", "utter_self_harm"]
    assert outcome.replies[0].text.startswith("Call 911 now")
    assert len(outcome.alerts) == 1 and outcome.alerts[0].level == "emergency"


async def test_a_question_about_fever_answers_without_alerting(converse: Converse) -> None:
    outcome = await converse("what if i get a fever after?")
    assert outcome.alerts == () and outcome.triage_level == "none"
    assert "101" in outcome.replies[0].text


@pytest.mark.parametrize(("text", "sign"), [("no fever", "a fever"),
                                             ("is bleeding a side effect?", "bleeding")])
async def test_a_sign_named_but_not_reported_still_gets_when_to_call(
        converse: Converse, text: str, sign: str) -> None:
    outcome = await converse(text)
    assert outcome.alerts == () and outcome.triage_level == "none"
    reminder = outcome.replies[-1]
    assert reminder.response == "utter_call_if_signs"
    assert reminder.text.startswith(f"If you do get {sign}, call your care team at 555-0100.")


async def test_low_temperature_gets_advice_not_an_alert(converse: Converse) -> None:
    outcome = await converse("my temp is 99.5")
    assert outcome.alerts == ()
    assert outcome.replies[0].response == "utter_temperature_below_line"


async def test_repeat_reports_update_one_alert(converse: Converse, store: SqliteStore) -> None:
    first = (await converse("temp 102")).alerts[0]
    second = (await converse("its 102.5 now")).alerts[0]
    assert first.id == second.id
    assert reports(second.message) == ["temp 102", "its 102.5 now"]
    assert len(await store.open_alerts()) == 1


async def test_a_new_red_flag_notifies_the_nurses_anew(converse: Converse, store: SqliteStore) -> None:
    first = (await converse("temp 102")).alerts[0]
    second = (await converse("now there is pus at the site")).alerts[0]
    assert second.id != first.id and second.red_flags == ("pus or discharge at the probe site",)
    assert len(await store.open_alerts()) == 2


async def test_worse_level_is_a_new_alert(converse: Converse, store: SqliteStore) -> None:
    await converse("temp 102")
    await converse("now i cant breathe")
    assert [a.level for a in await store.open_alerts()] == ["urgent", "emergency"]


async def test_a_word_that_makes_an_alerted_story_graver_alerts_anew(converse: Converse,
                                                                      store: SqliteStore) -> None:
    await converse("some blood on my dressing")
    assert [a.level for a in (await converse("a lot")).alerts] == ["urgent"]
    graver = (await converse("yes soaked")).alerts  # soaked, told of that bleeding: heavy bleeding
    assert [a.level for a in graver] == ["emergency"]
    assert "some blood on my dressing" in graver[0].message
    assert [a.level for a in await store.open_alerts()] == ["urgent", "emergency"]
    assert (await converse("ok thanks")).alerts == ()  # adds nothing: no alert


async def test_a_follow_up_that_names_nothing_is_about_what_was_named_before(converse: Converse) -> None:
    assert (await converse("pee's clear, no blood")).alerts == ()
    alert, = (await converse("it's gone bright red with clots in the last hour")).alerts
    assert alert.level == "urgent" and alert.red_flags == ("blood in the urine",)
    assert "pee's clear, no blood" in alert.message  # the nurses read what it is about


async def test_a_question_after_a_calm_message_is_not_read_as_about_it(converse: Converse) -> None:
    await converse("my pee is clear")
    assert (await converse("red wine tonight ok?")).alerts == ()


async def test_out_of_scope_offers_the_care_team(converse: Converse) -> None:
    reply = (await converse("who won the football")).replies[0]
    assert reply.response == "utter_out_of_scope" and PHONE in reply.text


async def test_empty_and_unsupported_messages(engine: Engine) -> None:
    empty = await engine.handle(Incoming("c", text="   "))
    assert empty.replies[0].response == "utter_empty_message"
    photo = await engine.handle(Incoming("c", unsupported=True))
    assert photo.replies[0].response == "utter_unsupported_message"


async def test_huge_message_is_read_in_part_and_still_triaged(engine: Engine) -> None:
    text = "temp 103 " + "blah " * 2000
    outcome = await engine.handle(Incoming("c", text=text))
    assert outcome.triage_level == "urgent"
    assert outcome.replies[-1].response == "utter_too_long"
    assert str(MAX_CHARS) in outcome.replies[-1].text


async def test_buttons_answer_and_forged_ones_are_refused(engine: Engine) -> None:
    ok = await engine.handle(Incoming("c", button="/side_effects"))
    assert ok.replies[0].response == "utter_side_effects"
    for forged in ("/not_an_intent", "/side_effects{\"site\":\"moon\"}", "DROP TABLE", "/x{"):
        refused = await engine.handle(Incoming("c", button=forged))
        assert refused.replies[0].response == "utter_stale_button"


async def test_no_thermometer_button(engine: Engine) -> None:
    await engine.handle(Incoming("c", text="i feel feverish"))
    outcome = await engine.handle(Incoming("c", button='/report_symptom{"thermometer":"none"}'))
    assert outcome.replies[0].response == "utter_no_thermometer"
    assert outcome.alerts == ()


async def test_sources_show_review_dates(converse: Converse) -> None:
    reply = (await converse("where does your information come from")).replies[0]
    assert "December 30, 2025" in reply.text and "nci-cryosurgery" in reply.text


async def test_forget_deletes_the_chat_state(engine: Engine, converse: Converse) -> None:
    await converse("I had liver cryo")
    assert await engine.store.load_slots("chat-1")
    await engine.forget("chat-1")
    assert await engine.store.load_slots("chat-1") == {}


async def test_patient_text_reaches_the_logs_only_at_debug(
        converse: Converse, caplog: pytest.LogCaptureFixture) -> None:
    words = "my temp is 102.5 since lunch"
    with caplog.at_level(logging.INFO):
        await converse(words)
    assert "triage urgent" in caplog.text and words not in caplog.text
    with caplog.at_level(logging.DEBUG):
        await converse(words)
    assert words in caplog.text


async def test_eye_conversation_names_vision_changes_as_a_reason_to_call(converse: Converse) -> None:
    await converse("my daughter had cryotherapy on her eye for retinoblastoma")
    answer = (await converse("what side effects should we watch for?")).replies[0]
    assert answer.response == "utter_side_effects"
    assert "blind spots" in answer.text and "may swell" in answer.text
    assert (f"Call your care team at {PHONE} right away for any change in sight: new blind spots, "
            "a shadow over part of what you see, blurry sight, or loss of sight.") in answer.text
    assert "a fever over 101°F (38.3°C)" in answer.text
    assert answer.sources == ("cancer-center-cryotherapy", "medlineplus-emergency",
                              "cleveland-cryoablation")
    report = await converse("she says she has a new blind spot since this morning")
    assert report.triage_level == "urgent" and report.alerts
    assert report.replies[0].text.startswith(
        f"Call your care team now: {PHONE}. You told me about eye changes after eye treatment, "
        "and that needs a call.")
    assert "The pages say" not in report.replies[0].text


async def test_prostate_conversation_names_urine_from_the_rectum(converse: Converse) -> None:
    await converse("I had prostate cryo last week")
    answer = (await converse("what are the side effects?")).replies[0]
    assert "(a fistula)" in answer.text
    # The sign a patient would notice, among the reasons to call, and the fever in both units.
    assert "Then pee can come out of your rectum (back passage)." in answer.text
    assert (f"Call your care team at {PHONE} if you cannot pee or pee only a little, if there is "
            "blood in your pee, if pee comes out of your rectum, if the swelling is a lot, or if "
            "you have a fever over 101°F (38.3°C).") in answer.text
    assert "cleveland-cryoablation" in answer.sources
    report = await converse("there is pee coming out of my back passage")
    assert report.triage_level == "urgent"
    assert "urine from the rectum" in report.replies[0].text


async def test_mesothelioma_conversation_names_harm_to_nearby_organs(converse: Converse) -> None:
    await converse("I had cryo for mesothelioma")
    answer = (await converse("what are the side effects")).replies[0]
    assert "little risk" not in answer.text
    assert "the cold can harm tissue or organs near the tumor if the probe touches them" in answer.text
    assert ("a collapsed lung or fluid building up near the lung. A collapsed lung can cause "
            "chest pain or trouble breathing: if you have either, call 911.") in answer.text
    assert "a fever over 101°F (38.3°C)" in answer.text and "Ask your team" in answer.text
    assert answer.sources == ("mesothelioma-cryotherapy", "cleveland-cryoablation",
                              "medlineplus-collapsed-lung")
    emergency = await converse("i cant breathe properly and my chest hurts")
    assert emergency.triage_level == "emergency"
    assert emergency.replies[0].text.startswith("Call 911 now.")


@pytest.mark.parametrize("text", [
    "i cant bre\u200bathe",
    "my temp is 10\u200b3.8",
    "I have a f\u0435ver of 103",  # Cyrillic e
    "my ch\u0435st hurts and I c\u0430nt br\u0435athe",
    "pu\u00ads coming out of the pro\u00adbe site",
])
async def test_hidden_and_look_alike_characters_do_not_hide_a_red_flag(engine: Engine, text: str) -> None:
    outcome = await engine.handle(Incoming("c", text=text, patient="Pat"))
    assert outcome.alerts, outcome.triage_level
    # The nurses see what the patient wrote, not the folded form.
    assert outcome.alerts[0].message == text


async def test_a_red_flag_past_the_first_letters_is_still_escalated(engine: Engine) -> None:
    text = "I have a question about my diet after the procedure. " * 80 + "Also I cant breathe."
    assert len(text) > 2 * MAX_CHARS
    outcome = await engine.handle(Incoming("c", text=text))
    assert outcome.triage_level == "emergency"
    assert outcome.replies[0].text.startswith("Call 911 now")
    assert outcome.replies[-1].response == "utter_too_long"


async def test_lone_surrogates_are_stored_with_the_alert(engine: Engine) -> None:
    outcome = await engine.handle(Incoming("c", text="fever of 104 \ud800\udfff?", patient="P\udc80at"))
    (alert,) = outcome.alerts
    assert alert.message == "fever of 104 \ufffd\ufffd?"
    assert alert.patient == "P\ufffdat"


async def test_a_red_flag_in_the_middle_of_a_run_on_message_is_escalated(engine: Engine) -> None:
    text = "blah " * 1000 + "I have a fever of 104" + " blah" * 1000
    outcome = await engine.handle(Incoming("c", text=text))
    assert outcome.triage_level == "urgent" and outcome.alerts


async def test_a_spanish_conversation_is_answered_in_spanish(engine: Engine, converse: Converse) -> None:
    greeting = (await converse("hola")).replies[0]
    assert greeting.response == "utter_greet" and greeting.text.startswith("Hola.")
    assert "¿Qué es la crioterapia?" in [b.title for b in greeting.buttons]
    await converse("¿cuánto dura el procedimiento?")
    # The Spanish question itself is the classifier's work; its button answers in the chat's language.
    answer = (await engine.handle(Incoming("chat-1", button="/duration"))).replies[0]
    assert answer.response == "utter_duration" and answer.text.startswith("Depende de dónde está el tumor")
    assert "\n\nFuentes: " in answer.text and "cleveland-cryoablation" in answer.text
    assert [b.payload for b in answer.buttons] == ["/recovery", "/anesthesia_pain"]
    assert [b.title for b in answer.buttons] == ["Recuperación", "¿Va a doler?"]
    english = (await converse("how long does it take?")).replies[0]
    assert english.text.startswith("It depends on where the tumor is")


async def test_spanish_sources_give_review_dates_in_spanish(engine: Engine, converse: Converse) -> None:
    await converse("hola")
    reply = (await engine.sources("chat-1")).replies[0]
    assert reply.text.startswith("Mis respuestas vienen de estas páginas")
    assert "Revisada el 30 de diciembre de 2025" in reply.text and "Reviewed" not in reply.text


async def test_two_questions_in_one_message_are_answered_in_order_each_with_its_source(
        converse: Converse) -> None:
    outcome = await converse("how long does it take and will i be asleep?")
    first, second = outcome.replies
    assert (first.response, second.response) == ("utter_duration", "utter_anesthesia_pain")
    assert first.sources and second.sources
    assert all(f"[{', '.join(reply.sources)}]" in reply.text for reply in (first, second))
    assert [q.intent for q in outcome.questions] == ["duration", "anesthesia_pain"]


async def test_short_questions_in_a_list_are_each_answered_not_taken_for_follow_ups(
        converse: Converse) -> None:
    outcome = await converse("¿Qué es? ¿Cuánto cuesta?")  # a fresh chat: nothing to point back to
    answered = [reply.response for reply in outcome.replies]
    assert answered == ["utter_what_is_cryotherapy", "utter_insurance_cost"]
    assert all(reply.sources for reply in outcome.replies)


async def test_a_spanish_message_of_two_questions_joined_by_y_gets_two_answers(converse: Converse) -> None:
    outcome = await converse("hola, cuánto dura la recuperación y dónde lo hacen?")
    assert [q.intent for q in outcome.questions] == ["recovery", "where_to_get"]


async def test_a_red_flag_after_a_stray_slash_is_escalated(converse: Converse) -> None:
    # only a whole "/intent" is a button's payload; typed text that opens with "/" is read
    outcome = await converse("/\nmy temperature is 104")
    assert outcome.triage_level == "urgent" and outcome.alerts


async def test_a_red_flag_goes_before_every_question(converse: Converse) -> None:
    outcome = await converse("how long is recovery? also i have a fever of 102.5 and chills")
    assert outcome.triage_level == "urgent" and outcome.alerts
    assert outcome.replies[0].text.startswith(f"Call your care team now: {PHONE}")
    assert "utter_recovery" in [reply.response for reply in outcome.replies[1:]]


async def test_a_procedure_mention_with_a_question_answers_the_question(
        converse: Converse, store: SqliteStore) -> None:
    (reply,) = (await converse("I had my liver done last week, what are the side effects")).replies
    assert reply.response == "utter_side_effects" and "liver" in reply.text.lower()
    assert (await store.load_slots("chat-1"))["site"] == "liver"


async def test_a_message_of_many_questions_answers_a_few_and_says_how_many_it_skipped(
        converse: Converse) -> None:
    asked = ["what is cryotherapy", "how long does it take", "will it hurt", "what are the side effects",
             "how long is recovery", "does insurance cover it", "where can i get it"]
    outcome = await converse("? ".join(asked * 7) + "?")  # 49 questions, 7 different
    answered = [reply.response for reply in outcome.replies]
    assert answered[:3] == ["utter_what_is_cryotherapy", "utter_duration", "utter_anesthesia_pain"]
    assert answered[3:] == ["utter_questions_skipped"]
    assert "left out 4" in outcome.replies[-1].text
