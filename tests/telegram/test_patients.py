"""What patients see in their private chat, over HTTP: commands, buttons, odd messages, floods."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from tests.conftest import PHONE
from tests.telegram.botapi import MEDIA
from tests.telegram.world import NURSES, OTHER_PATIENT, PATIENT, buttons, running_bot, texts

UNSUPPORTED = "Sorry, I can only read text."


async def test_commands_answer_from_the_content(tmp_path: Path, content: Content,
                                                classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        (helped,) = await world.say(PATIENT, "/help")
        assert "I am a bot" in helped["text"] and "Recovery" in buttons(helped)
        (topics,) = await world.say(PATIENT, "/topics")
        assert buttons(topics)[:2] == ["What is cryotherapy?", "Getting ready"]
        (call,) = await world.say(PATIENT, "/call")
        assert call["text"].startswith(f"Your care team: {PHONE}.")
        (sources,) = await world.say(PATIENT, "/sources")
        assert sources["text"].count("Reviewed ") == len(content.sources)
        (unknown,) = await world.say(PATIENT, "/teleport now")
        assert unknown["text"].startswith("I do not know that command.")


async def test_a_bad_link_payload_still_greets_and_asks_which_procedure(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        welcome, question = await world.say(PATIENT, "/start brain_20261301")
        assert "I am a bot, not a doctor" in welcome["text"]
        assert question["text"].startswith("Which part of your body was treated?")
        assert "Liver" in buttons(question)
        (noted,) = await world.press(PATIENT, question, "Liver")
        assert "liver" in noted["text"]
        assert (await world.engine.store.load_slots(str(PATIENT)))["site"] == "liver"


async def test_forget_deletes_only_after_a_yes(tmp_path: Path, content: Content,
                                               classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "/start kidney")
        (confirm,) = await world.say(PATIENT, "/forget")
        assert buttons(confirm) == ["Yes, delete it", "No, keep it"]
        (kept,) = await world.press(PATIENT, confirm, "No, keep it")
        assert kept["text"] == "Okay, nothing was deleted."
        assert (await world.engine.store.load_slots(str(PATIENT)))["site"] == "kidney"
        (confirm,) = await world.say(PATIENT, "/forget")
        (done,) = await world.press(PATIENT, confirm, "Yes, delete it")
        assert done["text"].startswith("Done. I deleted")
        assert await world.engine.store.load_slots(str(PATIENT)) == {}


@pytest.mark.parametrize("data", [
    "/no_such_intent", '/inform_procedure{"site":"brain"}', "/side_effects{not json",
    "forget:/maybe", "", "x" * 64,
])
async def test_forged_or_stale_button_data_gets_a_polite_answer(
        tmp_path: Path, content: Content, classifier: Classifier, data: str) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        (welcome,) = await world.say(PATIENT, "/start prostate")
        (answer,) = await world.send(world.server.press(PATIENT, welcome, data))
        assert answer["text"].startswith("Sorry, that button no longer works.")
        assert set(world.server.callback_answers) == set(world.server.queries)


async def test_every_kind_of_message_gets_a_clear_answer(tmp_path: Path, content: Content,
                                                         classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, flood_messages=100) as world:
        for kind in MEDIA:
            (answer,) = await world.send(world.server.media(PATIENT, kind))
            assert answer["text"].startswith(UNSUPPORTED), kind
        (empty,) = await world.say(PATIENT, "   ")
        assert empty["text"] == "I did not get any words. Please type your question."
        long_answer = await world.say(PATIENT, "what is cryotherapy " * 300)
        assert long_answer[-1]["text"].startswith("That is a long message.")


async def test_a_photo_caption_and_an_edit_are_still_read_for_red_flags(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        urgent, unsupported = await world.send(
            world.server.media(PATIENT, "photo", caption="there is pus coming out of the probe site"))
        assert urgent["text"].startswith(f"Call your care team now: {PHONE}")
        assert unsupported["text"].startswith(UNSUPPORTED)
        sent = world.server.message(OTHER_PATIENT, "I feel ok")
        await world.server.wait_confirmed(sent)
        message_id = world.server.chats[OTHER_PATIENT].messages[1]["message_id"]
        (edited,) = await world.send(world.server.edit(OTHER_PATIENT, message_id,
                                                       "I feel ok but my temp is 39.5C"))
        assert edited["text"].startswith(f"Call your care team now: {PHONE}")
        alerts = await world.alerts(2)
        assert {a["text"].splitlines()[0] for a in alerts} == {"URGENT: Pat Doe", "URGENT: Sam Roe"}


async def test_patient_text_is_escaped_everywhere(tmp_path: Path, content: Content,
                                                  classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.add_user(4004, "<b>Al</b>", "& Co")
        await world.say(4004, "fever 103 <script>alert(1)</script> & chills")
        (alert,) = await world.alerts(1)
        assert alert["text"].startswith("URGENT: <b>Al</b> & Co")
        assert "<script>alert(1)</script> & chills" in alert["text"]
        assert "&lt;script&gt;" in alert["html"] and "&lt;b&gt;Al&lt;/b&gt; &amp; Co" in alert["html"]


async def test_groups_other_than_the_nurses_are_ignored(tmp_path: Path, content: Content,
                                                        classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.add_group(-5005, "Family chat", {PATIENT: "member"})
        said = world.server.message(PATIENT, "I have a fever of 103", chat_id=-5005)
        command = world.server.message(PATIENT, "/start prostate", chat_id=-5005)
        await world.server.wait_confirmed(said, command)
        assert world.server.sent(-5005) == [] and world.server.sent(NURSES) == []


async def test_a_flood_collapses_into_one_notice_but_a_red_flag_still_gets_through(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, flood_messages=3) as world:
        flood = [world.server.message(PATIENT, f"what is cryotherapy {n}") for n in range(6)]
        red_flag = world.server.message(PATIENT, "I can't breathe")
        await world.server.wait_confirmed(*flood, red_flag)
        said = world.server.texts(PATIENT)
        assert len(said) == 5
        assert all("cold" in text.lower() for text in said[:3])
        assert said[3].startswith("You are sending a lot of messages fast.")
        assert said[4].startswith("Call 911 now.")
        (alert,) = await world.alerts(1)
        assert alert["text"].startswith("EMERGENCY: Pat Doe")


async def test_a_patient_who_blocked_the_bot_costs_nothing(tmp_path: Path, content: Content,
                                                           classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.block(PATIENT)
        assert await world.say(PATIENT, "hello") == []
        (answer,) = await world.say(OTHER_PATIENT, "hello")
        assert "bot" in answer["text"]
        assert texts(world.server.sent(PATIENT)) == []


@pytest.mark.parametrize(("command", "leads_with"), [
    ("/help I can't breathe and my chest hurts", "Call 911 now"),
    ("/start I have a fever of 104", "Call your care team now"),
    ("/call my chest hurts", "Call 911 now"),
    ("/sources there is pus at the probe site", "Call your care team now"),
    ("/forget I cant breathe", "Call 911 now"),
    ("/sigh fever of 104 and pus", "Call your care team now"),
    ("/fever 104", "Call your care team now"),
])
async def test_a_red_flag_inside_a_command_wins_over_the_command(
        tmp_path: Path, content: Content, classifier: Classifier, command: str, leads_with: str) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        answers = await world.say(PATIENT, command)
        assert answers[0]["text"].startswith(leads_with), answers[0]["text"]
        assert not any(a["text"].startswith(("I do not know that command", "Do you want me to delete"))
                       for a in answers)
        (alert,) = await world.alerts(1)
        assert "Pat Doe" in alert["text"]


async def test_two_questions_get_two_messages_and_a_close_call_two_buttons(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        duration, asleep = await world.say(PATIENT, "how long does it take and will i be asleep?")
        assert "Source" in duration["text"] and "Source" in asleep["text"]
        assert "hour" in duration["text"] and "anesthesia" in asleep["text"]
        (which,) = await world.say(PATIENT, "what happens during the procedure")
        assert sorted(buttons(which)) == ["Treating a tumor inside the body", "Treating the skin"]
        (answer,) = await world.press(PATIENT, which, "Treating the skin")
        assert "skin" in answer["text"].lower() and "Source" in answer["text"]
