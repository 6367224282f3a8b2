"""Check-ins over the local Bot API: the whole conversation, stop and resume, /due, reminders, the digest."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from tests.telegram.world import (
    NURSES,
    ONCALL,
    ONCALL_NURSE,
    OTHER_PATIENT,
    PATIENT,
    SECOND_NURSE,
    World,
    buttons,
    running_bot,
)

# The world's clock starts on 2026-11-21 at 09:00 UTC: day 1 after this link's date, the window open.
LINK = "/start kidney_20261120"
# Long enough for the follow-up loop (every 2 seconds when idle) to have made two passes.
TWO_PASSES = 4.5


async def _checkin(world: World, patient: int, count: int) -> dict:
    """Wait for the patient's `count`-th message from the bot, which must be a check-in."""
    message = (await world.server.wait_for_messages(patient, count))[count - 1]
    assert message["text"].startswith("Day "), message["text"]
    return message


async def _nurses_ask(world: World, user: int, command: str, chat: int = NURSES) -> str:
    before = len(world.server.sent(chat))
    await world.server.wait_confirmed(world.server.message(user, command, chat_id=chat))
    (answer,) = world.server.sent(chat)[before:]
    return str(answer["text"])


async def test_a_patient_enrolled_after_the_window_opened_gets_the_checkin_and_answers_with_a_fever(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        (welcome,) = await world.say(PATIENT, LINK)
        assert welcome["text"].startswith("Hello, I am the cryo companion.")
        checkin = await _checkin(world, PATIENT, 2)
        assert checkin["text"].startswith("Day 1 after your kidney cryotherapy: how are you feeling today?")
        assert buttons(checkin) == ["I'm fine", "Not so good", "I have a question"]

        answer = await world.say(PATIENT, "not great, fever 102 and shaking chills")
        assert "555-0100" in answer[0]["text"]
        (alert,) = await world.alerts(1)
        assert alert["text"].startswith("URGENT: Pat Doe")
        (stored,) = await world.engine.store.checkins_since(world.clock.now - dt.timedelta(days=1))
        assert (stored.day, stored.status, stored.answer, stored.flagged) == (1, "answered", "text", True)
        # Answered, so not waiting; the alert is.
        due = await _nurses_ask(world, SECOND_NURSE, "/due")
        assert due.startswith("Waiting for you:") and "Alert #1, URGENT: Pat Doe" in due
        assert "check-in" not in due
        await asyncio.sleep(TWO_PASSES)
        assert len([m for m in world.server.sent(PATIENT) if m["text"].startswith("Day ")]) == 1


async def test_the_checkin_buttons_and_the_nurses_due_list(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        assert await _nurses_ask(world, SECOND_NURSE, "/due") == (
            "Nothing is waiting: every check-in was answered and every alert acknowledged.")
        await world.say(OTHER_PATIENT, "/start lung_20261120")
        checkin = await _checkin(world, OTHER_PATIENT, 2)
        due = await _nurses_ask(world, SECOND_NURSE, "/due")
        assert due == "Waiting for you:\n- Sam Roe: day 1 check-in sent 2026-11-21 09:00 UTC, no answer yet."
        world.clock.now += dt.timedelta(days=1, minutes=1)
        assert "Sam Roe: day 1 check-in sent 2026-11-21 09:00 UTC, NO ANSWER FOR OVER A DAY." in (
            await _nurses_ask(world, SECOND_NURSE, "/due"))
        world.clock.now -= dt.timedelta(days=1, minutes=1)

        (fine,) = await world.press(OTHER_PATIENT, checkin, "I'm fine")
        assert fine["text"].startswith("Good to hear.")
        not_good, checklist = await world.press(OTHER_PATIENT, checkin, "Not so good")
        assert not_good["text"].startswith("I am sorry you do not feel well. Tell me in a few words")
        assert buttons(checklist)[:2] == ["Trouble breathing", "Chest pain"]
        (question,) = await world.press(OTHER_PATIENT, checkin, "I have a question")
        assert question["text"].startswith("Sure. Type your question")
        (stored,) = await world.engine.store.checkins_since(world.clock.now - dt.timedelta(days=1))
        assert (stored.status, stored.answer, stored.flagged) == ("answered", "fine", False)
        assert (await _nurses_ask(world, SECOND_NURSE, "/due")).startswith("Nothing is waiting")
        (forged,) = await world.send(world.server.press(OTHER_PATIENT, checkin, "checkin:/goodbye"))
        assert forged["text"].startswith("Sorry, that button no longer works.")


async def test_stop_and_start_checkins_and_forget(tmp_path: Path, content: Content,
                                                  classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, checkin_days=(1, 3, 7)) as world:
        await world.say(PATIENT, LINK)
        await _checkin(world, PATIENT, 2)
        (stopped,) = await world.say(PATIENT, "/stop checkins")
        assert stopped["text"].startswith("OK. I will not send you any more check-ins.")
        world.clock.now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
        await asyncio.sleep(TWO_PASSES)
        assert len(world.server.sent(PATIENT)) == 3
        (resumed,) = await world.say(PATIENT, "/start checkins")
        assert resumed["text"] == "OK. Your check-ins are back on."
        day_3 = await _checkin(world, PATIENT, 5)
        assert day_3["text"].startswith("Day 3 after your kidney cryotherapy")
        for word in ("stop", "Para."):
            (said,) = await world.say(PATIENT, word)
            assert said["text"].startswith("OK. I will not send you any more check-ins.")
        (confirm,) = await world.say(PATIENT, "/forget")
        await world.press(PATIENT, confirm, "Yes, delete it")
        (nothing,) = await world.say(PATIENT, "/start checkins")
        assert nothing["text"].startswith("You have no check-ins left to get.")


async def test_a_link_without_a_date_plans_nothing(tmp_path: Path, content: Content,
                                                   classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "/start kidney")
        world.clock.now = dt.datetime(2026, 11, 21, 19, 0, tzinfo=dt.UTC)
        await asyncio.sleep(TWO_PASSES)
        assert len(world.server.sent(PATIENT)) == 1
        (nothing,) = await world.say(PATIENT, "/start checkins")
        assert nothing["text"].startswith("You have no check-ins left to get.")
        # No check-in that day: no digest either.
        assert world.server.sent(NURSES) == []


async def test_an_alert_nobody_acknowledges_comes_back_then_goes_to_on_call_until_acknowledged(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, alert_remind_after=60.0,
                           oncall_chat_id=ONCALL) as world:
        await world.say(PATIENT, "I have a fever of 103")
        (alert,) = await world.alerts(1)
        world.clock.now += dt.timedelta(seconds=61)
        reminder = (await world.alerts(2))[1]
        assert reminder["message_id"] != alert["message_id"]
        assert reminder["text"].startswith("REMINDER: nobody has acknowledged this alert for 61 seconds.\n\n"
                                           "URGENT: Pat Doe")
        assert buttons(reminder) == ["Acknowledge"]
        assert world.server.sent(ONCALL) == []
        world.clock.now += dt.timedelta(seconds=61)
        (oncall,) = await world.server.wait_for_messages(ONCALL, 1)
        assert oncall["text"].startswith("ON CALL: nobody in the nurses' group has acknowledged this alert "
                                         "for 2 minutes.\n\nURGENT: Pat Doe")
        await world.press(ONCALL_NURSE, oncall, "Acknowledge")
        assert await world.engine.store.open_alerts() == []
        assert world.server.sent(NURSES)[0]["text"].endswith("Seen by Olga Nurse at 2026-11-21 09:02 UTC.")
        assert world.server.texts(PATIENT)[-1].startswith("A nurse has seen your message.")
        world.clock.now += dt.timedelta(hours=1)
        await asyncio.sleep(TWO_PASSES)
        assert len(world.server.sent(NURSES)) == 2 and len(world.server.sent(ONCALL)) == 1


async def test_an_acknowledged_alert_is_not_reminded_and_without_on_call_one_reminder_is_all(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier, alert_remind_after=60.0) as world:
        await world.say(PATIENT, "I have a fever of 103")
        (first,) = await world.alerts(1)
        await world.press(SECOND_NURSE, first, "Acknowledge")
        await world.say(OTHER_PATIENT, "I can't breathe")
        await world.alerts(2)
        world.clock.now += dt.timedelta(minutes=5)
        reminder = (await world.alerts(3))[2]
        assert "EMERGENCY: Sam Roe" in reminder["text"]
        world.clock.now += dt.timedelta(hours=2)
        await asyncio.sleep(TWO_PASSES)
        assert len(world.server.sent(NURSES)) == 3


async def test_the_daily_digest_goes_to_the_nurses_once_when_the_hours_close(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, LINK)
        checkin = await _checkin(world, PATIENT, 2)
        await world.say(OTHER_PATIENT, "/start lung_20261120")
        await _checkin(world, OTHER_PATIENT, 2)
        await world.press(PATIENT, checkin, "I'm fine")
        await world.say(PATIENT, "what is the wifi password in the waiting room")
        world.clock.now = dt.datetime(2026, 11, 21, 19, 0, tzinfo=dt.UTC)
        (digest,) = await world.alerts(1)
        assert digest["text"] == (
            "Check-ins of 2026-11-21: 2 sent, 1 answered, 0 with a red flag, 1 with no answer yet (send "
            "/due to see who). Questions the bot could not answer: 1. For the list, run: python -m bot "
            "report --days 1")
        await world.restart()
        await asyncio.sleep(TWO_PASSES)
        assert len(world.server.sent(NURSES)) == 1
        # The next day has no check-in of its own, but one has waited over a day: it is listed.
        world.clock.now += dt.timedelta(days=1)
        overdue = (await world.alerts(2))[1]
        assert overdue["text"].startswith("Check-ins of 2026-11-22: 0 sent, 0 answered")
        assert overdue["text"].endswith(
            "No answer for over a day:\n"
            "- Sam Roe: day 1 check-in sent 2026-11-21 09:00 UTC, NO ANSWER FOR OVER A DAY.")
