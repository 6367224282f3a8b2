"""Check-ins from the store to a local Bot API server: once, in their window, across replicas and restarts."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import REGISTRY

from bot.checkins.runner import CheckinRunner
from bot.config import Settings
from bot.content.model import Content
from bot.dialogue.respond import Responder
from bot.store.connect import Planned, Store, connect_store
from bot.telegram.app import api_bot
from bot.telegram.checkins import TelegramCheckins
from tests.conftest import Clock
from tests.telegram.botapi import BotApiServer, Call

SURGERY = "2026-11-20"  # the Clock starts on 2026-11-21 09:00 UTC: day 1, window open
LEASE = dt.timedelta(seconds=60)


@asynccontextmanager
async def _runner(server: BotApiServer, store: Store, content: Content, clock: Clock,
                  **settings: object) -> AsyncIterator[CheckinRunner]:
    """A runner sending through a real PTB Bot to the local server."""
    chosen = Settings(telegram_bot_token=server.token, telegram_api_base_url=server.base_url,
                      **settings)  # type: ignore[arg-type]
    async with api_bot(chosen) as bot:
        yield CheckinRunner(store, TelegramCheckins(bot), Responder(content, chosen), chosen, clock, LEASE)


def _patients(server: BotApiServer, count: int, first: int = 2001) -> list[int]:
    ids = list(range(first, first + count))
    for user_id in ids:
        server.add_user(user_id, f"Patient{user_id}")
    return ids


def _counted(result: str) -> float:
    """The /metrics figure of check-ins with this result."""
    return REGISTRY.get_sample_value("cryo_checkins_total", {"result": result}) or 0.0


def _calls_to(server: BotApiServer, chat: int) -> list[Call]:
    return [c for c in server.calls_to("sendMessage") if str(c.params.get("chat_id")) == str(chat)]


async def test_each_checkin_goes_out_once_on_its_day_inside_the_window(
        server: BotApiServer, any_store: Store, content: Content, clock: Clock) -> None:
    (patient,) = _patients(server, 1)
    async with _runner(server, any_store, content, clock, checkin_days=(1, 3)) as runner:
        assert await runner.enroll(str(patient), "Pat", "kidney", SURGERY) == 2
        assert await runner.send_due() == 1
        (checkin,) = server.sent(patient)
        assert checkin["text"].startswith("Day 1 after your kidney cryotherapy: how are you feeling today?")
        assert [b["callback_data"] for row in checkin["reply_markup"]["inline_keyboard"] for b in row] == [
            "checkin:/affirm", "checkin:/deny", "checkin:/help"]
        assert await runner.send_due() == 0
        clock.now = dt.datetime(2026, 11, 23, 8, 59, tzinfo=dt.UTC)  # day 3, before the clinic opens
        assert await runner.send_due() == 0
        clock.now += dt.timedelta(minutes=1)
        assert await runner.send_due() == 1
        assert [m["text"][:5] for m in server.sent(patient)] == ["Day 1", "Day 3"]
        clock.now += dt.timedelta(days=30)
        assert await runner.send_due() == 0
        assert len(server.sent(patient)) == 2


async def test_no_date_no_schedule_and_a_closed_window_is_missed_not_sent_late(
        server: BotApiServer, any_store: Store, content: Content, clock: Clock) -> None:
    first, second = _patients(server, 2)
    async with _runner(server, any_store, content, clock, checkin_days=(1,)) as runner:
        assert await runner.enroll(str(first), "Pat", "kidney", None) == 0
        assert await runner.enroll(str(second), "Sam", "liver", SURGERY) == 1
        clock.now = dt.datetime(2026, 11, 21, 19, 0, tzinfo=dt.UTC)  # the bot was down all day 1
        assert await runner.send_due() == 0
        assert server.sent(first) == server.sent(second) == []


async def test_two_replicas_on_postgres_send_each_checkin_exactly_once(
        server: BotApiServer, postgres_url: str, content: Content, clock: Clock) -> None:
    patients = _patients(server, 150)
    first, second = await connect_store(postgres_url), await connect_store(postgres_url)
    try:
        async with _runner(server, first, content, clock, telegram_messages_per_second=3000.0) as one, \
                _runner(server, second, content, clock, telegram_messages_per_second=3000.0) as two:
            for patient in patients:
                await one.enroll(str(patient), f"P{patient}", "lung", SURGERY)
            one.batch = two.batch = 20
            while sum(await asyncio.gather(one.send_due(), two.send_due())):
                pass
        assert all(len(server.sent(patient)) == 1 for patient in patients)
        assert len(server.calls_to("sendMessage")) == len(patients)
        sent = await first.checkins_since(clock.now - dt.timedelta(hours=1))
        assert sorted(int(c.chat_id) for c in sent) == patients
    finally:
        await first.close()
        await second.close()


async def test_after_a_crash_a_claimed_checkin_is_sent_once_the_lease_lapses_and_never_again(
        server: BotApiServer, database_url: str, content: Content, clock: Clock) -> None:
    (patient,) = _patients(server, 1)
    store = await connect_store(database_url)
    async with _runner(server, store, content, clock, checkin_days=(1,)) as runner:
        await runner.enroll(str(patient), "Pat", "lung", SURGERY)
    # A replica claims it and dies before the send: only its claim is left.
    assert len(await store.claim_due_checkins(clock.now, LEASE, 10)) == 1
    await store.close()
    for restart in range(3):
        store = await connect_store(database_url)
        try:
            async with _runner(server, store, content, clock, checkin_days=(1,)) as runner:
                assert await runner.send_due() == 0, f"restart {restart}: sent while claimed, or again"
                if restart == 0:
                    clock.now += LEASE
                    assert await runner.send_due() == 1
        finally:
            await store.close()
    assert len(server.sent(patient)) == 1


async def test_a_patient_who_blocked_the_bot_is_marked_and_not_tried_again(
        server: BotApiServer, any_store: Store, content: Content, clock: Clock) -> None:
    blocked, other = _patients(server, 2)
    server.block(blocked)
    before = _counted("blocked"), _counted("sent")
    async with _runner(server, any_store, content, clock, checkin_days=(1, 3)) as runner:
        for patient in (blocked, other):
            await runner.enroll(str(patient), "P", "liver", SURGERY)
        assert await runner.send_due() == 2
        tries = _calls_to(server, blocked)
        assert len(tries) == 1
        for day in (21, 23, 24):
            clock.now = dt.datetime(2026, 11, day, 12, 0, tzinfo=dt.UTC)
            await runner.send_due()
        assert _calls_to(server, blocked) == tries
        assert [m["text"][:5] for m in server.sent(other)] == ["Day 1", "Day 3"]
    assert (_counted("blocked"), _counted("sent")) == (before[0] + 1, before[1] + 2)


async def test_stop_resume_answer_and_forget(any_store: Store) -> None:
    now = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
    days = [Planned(day, now + dt.timedelta(days=day - 1), now + dt.timedelta(days=day - 1, hours=10))
            for day in (1, 3, 7)]
    await any_store.schedule_checkins("c1", "Pat", "lung", days)
    assert [c.day for c in await any_store.claim_due_checkins(now, LEASE, 10)] == [1]
    await any_store.mark_checkin_sent("c1", 1, now)
    assert await any_store.pause_checkins("c1", True, now) == 2
    # Enrolling again (the same link opened twice) does not undo the patient's stop.
    await any_store.schedule_checkins("c1", "Pat", "lung", days[1:])
    later = now + dt.timedelta(days=2, hours=1)
    assert await any_store.claim_due_checkins(later, LEASE, 10) == []
    # Resumed on day 3 at 10:00: day 3 is due at once, day 7 on its day.
    assert await any_store.pause_checkins("c1", False, later) == 2
    assert [(c.day, c.due_at) for c in await any_store.claim_due_checkins(later, LEASE, 10)] == [(3, later)]

    answered = await any_store.answer_checkin("c1", "fine", False, now + dt.timedelta(hours=2))
    assert answered is not None
    assert (answered.day, answered.status, answered.answer) == (1, "answered", "fine")
    flagged = await any_store.answer_checkin("c1", "text", True, now + dt.timedelta(hours=3))
    assert flagged is not None and (flagged.answer, flagged.flagged) == ("fine", True)
    # A day later, words are no longer an answer to that check-in.
    assert await any_store.answer_checkin("c2", "text", False, now) is None
    assert await any_store.answer_checkin("c1", "text", False, now + dt.timedelta(days=1, hours=1)) is None

    await any_store.forget("c1")
    assert await any_store.checkins_since(now - dt.timedelta(days=1)) == []
    assert await any_store.claim_due_checkins(now + dt.timedelta(days=6, hours=1), LEASE, 10) == []


async def test_a_failed_send_is_tried_again_later_and_sent_once(
        server: BotApiServer, any_store: Store, content: Content, clock: Clock) -> None:
    (patient,) = _patients(server, 1)
    server.fail("sendMessage", chat_id=patient, status=500)
    async with _runner(server, any_store, content, clock, checkin_days=(1,)) as runner:
        await runner.enroll(str(patient), "Pat", "skin", SURGERY)
        assert await runner.send_due() == 1
        assert server.sent(patient) == []
        clock.now += dt.timedelta(seconds=59)
        assert await runner.send_due() == 0
        clock.now += dt.timedelta(seconds=1)
        assert await runner.send_due() == 1
        assert await runner.send_due() == 0
    assert [m["text"][:31] for m in server.sent(patient)] == ["Day 1 after your skin cryothera"]
