"""The nurses' group over HTTP: alerts, who may acknowledge, /alerts, and delivery under Telegram's limits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from tests.telegram.world import (
    NURSES,
    OTHER_PATIENT,
    PATIENT,
    SECOND_NURSE,
    STRANGER,
    buttons,
    running_bot,
)

NOT_ALLOWED = "Only members of the nurses' group can acknowledge alerts."


async def test_only_members_of_the_nurses_group_can_acknowledge(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "my temperature is 39.4C")
        (alert,) = await world.alerts(1)
        ack = alert["reply_markup"]["inline_keyboard"][0][0]["callback_data"]

        await world.send(world.server.press(STRANGER, alert, ack))
        (welcome,) = await world.say(OTHER_PATIENT, "/start lung")
        forged = world.server.press(OTHER_PATIENT, welcome, ack)
        await world.send(forged)
        answers = list(world.server.callback_answers.values())
        assert [(a["text"], a["show_alert"]) for a in answers] == [(NOT_ALLOWED, True)] * 2
        assert len(await world.engine.store.open_alerts()) == 1
        assert buttons(world.server.sent(NURSES)[0]) == ["Acknowledge"]

        await world.press(SECOND_NURSE, alert, "Acknowledge")
        assert world.server.sent(NURSES)[0]["text"].endswith("Seen by Ned Nurse at 2026-11-21 09:00 UTC.")
        assert await world.engine.store.open_alerts() == []


async def test_alerts_lists_the_open_ones_and_acknowledges_from_the_list(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        listing = world.server.message(SECOND_NURSE, "/alerts", chat_id=NURSES)
        await world.server.wait_confirmed(listing)
        assert world.server.texts(NURSES) == ["No open alerts: every alert has been acknowledged."]
        await world.say(PATIENT, "I have a fever of 103")
        await world.say(OTHER_PATIENT, "I can't breathe")
        await world.alerts(3)
        before = len(world.server.sent(NURSES))
        await world.server.wait_confirmed(world.server.message(SECOND_NURSE, "/alerts", chat_id=NURSES))
        (listed,) = world.server.sent(NURSES)[before:]
        assert listed["text"].startswith("Open alerts, not yet acknowledged:")
        assert "URGENT: Pat Doe" in listed["text"] and "EMERGENCY: Sam Roe" in listed["text"]
        assert buttons(listed) == ["Acknowledge #1", "Acknowledge #2"]

        await world.press(SECOND_NURSE, listed, "Acknowledge #2")
        assert [a.id for a in await world.engine.store.open_alerts()] == [1]
        assert world.server.texts(OTHER_PATIENT)[-1].startswith("A nurse has seen your message.")
        emergency = next(m for m in world.server.sent(NURSES) if m["text"].startswith("EMERGENCY"))
        assert emergency["text"].endswith("Seen by Ned Nurse at 2026-11-21 09:00 UTC.")


async def test_a_patient_cannot_list_the_alerts(tmp_path: Path, content: Content,
                                                classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(OTHER_PATIENT, "I have a fever of 103")
        (answer,) = await world.say(PATIENT, "/alerts")
        assert answer["text"].startswith("I do not know that command.")


async def test_a_long_alert_list_is_split_under_telegrams_limit(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        patients = [PATIENT, OTHER_PATIENT, 1003]
        world.server.add_user(1003, "Kim", "Poe")
        for patient in patients:
            await world.say(patient, "I have a fever of 103. " + "It started after dinner. " * 75)
        await world.alerts(3)
        await world.server.wait_confirmed(world.server.message(SECOND_NURSE, "/alerts", chat_id=NURSES))
        first, second = world.server.sent(NURSES)[3:]
        assert all(len(m["text"]) <= 4096 for m in (first, second))
        assert "reply_markup" not in first
        assert buttons(second) == ["Acknowledge #1", "Acknowledge #2", "Acknowledge #3"]
        assert first["text"].startswith("Open alerts") and "Kim Poe" in second["text"]


async def test_a_429_on_an_alert_is_retried_after_the_wait_and_sent_once(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.fail("sendMessage", chat_id=NURSES, status=429, retry_after=30)
        await world.say(PATIENT, "I have a fever of 102.2")

        async def retry_stored() -> bool:
            return [a.attempts for a in await world.engine.store.open_alerts()] == [1]

        await world.until(retry_stored)
        assert world.server.sent(NURSES) == []
        world.clock.now += timedelta(seconds=31)
        (delivered,) = await world.alerts(1)
        assert delivered["text"].startswith("URGENT: Pat Doe")
        statuses = [c.status for c in world.server.calls_to("sendMessage") if c.params["chat_id"] == NURSES]
        assert statuses == [429, 200]


async def test_a_paused_patient_chat_does_not_hold_up_the_nurses(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.fail("sendMessage", chat_id=OTHER_PATIENT, status=429, retry_after=3)
        slow = world.server.message(OTHER_PATIENT, "what is cryotherapy")
        await world.server.wait_for(lambda: any(c.status == 429 for c in world.server.calls))
        await world.say(PATIENT, "I have a fever of 103")
        await world.alerts(1)
        await world.server.wait_confirmed(slow)
        order = [(c.params["chat_id"], c.status) for c in world.server.calls_to("sendMessage")]
        # The alert went out while the other chat was still waiting out its 429, not after.
        assert order[0] == (OTHER_PATIENT, 429)
        assert order.index((NURSES, 200)) < order.index((OTHER_PATIENT, 200))


async def test_a_repeat_report_updates_the_alert_the_nurses_have(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "I have a fever of 101.9")
        await world.alerts(1)
        world.clock.now += timedelta(minutes=5)
        await world.say(PATIENT, "now my temperature is 102.8")
        await world.server.wait_for(lambda: "102.8" in world.server.texts(NURSES)[0])
        (alert,) = world.server.sent(NURSES)
        # The newest report first: that is what the nurses need to read first.
        assert "Message: now my temperature is 102.8\nI have a fever of 101.9" in alert["text"]
        assert buttons(alert) == ["Acknowledge"]


async def test_an_alert_does_not_wait_for_its_patients_delayed_reply(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.fail("sendMessage", chat_id=PATIENT, status=429, retry_after=4)
        await world.say(PATIENT, "I have a fever of 103")
        order = [(c.params["chat_id"], c.status) for c in world.server.calls_to("sendMessage")]
        assert order[0] == (PATIENT, 429)
        assert order.index((NURSES, 200)) < order.index((PATIENT, 200))


async def test_three_long_red_flag_messages_reach_the_nurses_in_one_message(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        long = " and it is getting worse every hour, I am very scared" * 35
        for number in (1, 2, 3):
            await world.say(PATIENT, f"report {number}: I have a fever of 103{long}")
            world.clock.now += timedelta(minutes=1)
        await world.server.wait_for(lambda: "report 3" in world.server.texts(NURSES)[0])
        (alert,) = world.server.sent(NURSES)
        assert alert["text"].index("report 3") < alert["text"].index("report 2")
        assert "(+1 earlier messages: /alerts 1 shows them all)" in alert["text"]
        before = len(world.server.sent(NURSES))
        await world.server.wait_confirmed(world.server.message(SECOND_NURSE, "/alerts 1", chat_id=NURSES))
        whole = "\n".join(world.server.texts(NURSES)[before:])
        assert all(f"report {number}:" in whole for number in (1, 2, 3))


@pytest.mark.parametrize("data", ["ack:\u00b2", "ack:" + "9" * 60, "ack:-1", "ack:\u0661"])
async def test_forged_acknowledge_data_gets_an_answer_not_a_crash(
        tmp_path: Path, content: Content, classifier: Classifier, data: str) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "I have a fever of 103")
        (alert,) = await world.alerts(1)
        press = world.server.press(SECOND_NURSE, alert, data)
        await world.server.wait_confirmed(press)
        await world.server.wait_for(lambda: len(world.server.callback_answers) == 1)
        assert len(await world.engine.store.open_alerts()) == 1


async def test_forget_during_an_open_alert_keeps_it_for_the_nurses_until_seen(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        await world.say(PATIENT, "I have a fever of 103")
        (alert,) = await world.alerts(1)
        (confirm,) = await world.say(PATIENT, "/forget")
        (done,) = await world.press(PATIENT, confirm, "Yes, delete it")
        assert "once a nurse has seen it" in done["text"]
        before = len(world.server.sent(NURSES))
        await world.server.wait_confirmed(world.server.message(SECOND_NURSE, "/alerts", chat_id=NURSES))
        (listed,) = world.server.sent(NURSES)[before:]
        assert "URGENT: Pat Doe" in listed["text"] and "fever of 103" in listed["text"]
        await world.press(SECOND_NURSE, alert, "Acknowledge")
        (seen,) = world.server.sent(NURSES)[:1]
        assert "Pat Doe" in seen["text"]
        assert seen["text"].endswith("Seen by Ned Nurse at 2026-11-21 09:00 UTC.")
        stored = await world.engine.store.get_alert(1)
        assert stored is not None and stored.message == "(deleted by the patient)"


async def test_a_report_handled_twice_after_a_failed_reply_is_in_the_alert_once(
        tmp_path: Path, content: Content, classifier: Classifier) -> None:
    async with running_bot(tmp_path, content, classifier) as world:
        world.server.fail("sendMessage", chat_id=PATIENT, status=500, times=1)
        update = world.server.message(PATIENT, "I have a fever of 103")
        await world.server.wait_confirmed(update)
        await world.server.wait_for(lambda: any("Call your care team" in t
                                                for t in world.server.texts(PATIENT)))
        (alert,) = await world.engine.store.open_alerts()
        assert alert.message == "I have a fever of 103"
