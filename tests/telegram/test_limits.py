"""The rate limiter: Telegram's per-chat, per-group and overall limits, and nurses first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.limits import MAX_RETRIES, Bucket, TelegramLimiter, retry_seconds

NURSES = -100


class FakeTime:
    """A clock that only moves when the limiter sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))


class Telegram:
    """Stands in for the HTTP call; raises the 429s it is given."""

    def __init__(self, failures: list[int] | None = None) -> None:
        self.failures = failures or []
        self.sent: list[Any] = []

    async def __call__(self, chat: Any) -> dict[str, Any]:
        if self.failures:
            raise RetryAfter(self.failures.pop(0))
        self.sent.append(chat)
        return {"ok": True}


async def _send(limiter: TelegramLimiter, telegram: Telegram, chat: Any,
                endpoint: str = "sendMessage") -> Any:
    return await limiter.process_request(telegram, (chat,), {}, endpoint, {"chat_id": chat}, None)


def test_a_bucket_lets_a_burst_through_then_spaces_the_rest() -> None:
    time = FakeTime()
    bucket = Bucket(1, 1.0, 3, time)
    assert [bucket.book() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    time.now += 10
    assert bucket.book() == 0.0


async def test_one_chat_is_paced_at_about_a_message_a_second() -> None:
    time = FakeTime()
    limiter = TelegramLimiter(clock=time, sleep=time.sleep)
    for _ in range(5):
        await _send(limiter, Telegram(), 1)
    assert time.slept == [1.0, 2.0]
    await _send(limiter, Telegram(), 2)
    assert time.slept == [1.0, 2.0], "another chat does not wait for the first"


async def test_a_group_gets_twenty_a_minute() -> None:
    time = FakeTime()
    limiter = TelegramLimiter(clock=time, sleep=time.sleep)
    for _ in range(21):
        await _send(limiter, Telegram(), -5)
    assert time.slept == [3.0]


async def test_the_nurses_never_queue_behind_patients_for_the_overall_limit() -> None:
    time = FakeTime()
    limiter = TelegramLimiter({NURSES}, overall_per_second=5, clock=time, sleep=time.sleep)
    for chat in range(1, 8):
        await _send(limiter, Telegram(), chat)
    assert time.slept == [0.2, 0.4]
    await _send(limiter, Telegram(), NURSES)
    assert time.slept == [0.2, 0.4]
    await _send(limiter, Telegram(), 9)
    assert time.slept[-1] == 0.8, "the nurses' message was counted"


async def test_a_429_pauses_only_that_chat_and_is_waited_out() -> None:
    time = FakeTime()
    limiter = TelegramLimiter(clock=time, sleep=time.sleep)
    telegram = Telegram([4])
    await _send(limiter, telegram, 1)
    assert telegram.sent == [1] and time.slept == [4.0]
    await _send(limiter, Telegram(), 2)
    assert time.slept == [4.0]


async def test_a_patient_reply_gives_up_after_its_retries() -> None:
    time = FakeTime()
    limiter = TelegramLimiter(clock=time, sleep=time.sleep)
    with pytest.raises(RetryAfter):
        await _send(limiter, Telegram([1] * (MAX_RETRIES + 1)), 1)
    assert len(time.slept) == MAX_RETRIES


async def test_a_429_for_the_nurses_goes_back_to_the_outbox_at_once() -> None:
    time = FakeTime()
    limiter = TelegramLimiter({NURSES}, clock=time, sleep=time.sleep)
    with pytest.raises(RetryAfter):
        await _send(limiter, Telegram([30]), NURSES)
    await _send(limiter, Telegram(), NURSES)
    assert time.slept == []


async def test_only_sending_and_editing_is_paced() -> None:
    time = FakeTime()
    limiter = TelegramLimiter(clock=time, sleep=time.sleep)
    for _ in range(10):
        await _send(limiter, Telegram(), -5, endpoint="getChatMember")
        await limiter.process_request(Telegram(), (None,), {}, "answerCallbackQuery", {}, None)
    assert time.slept == []


@pytest.mark.parametrize("given", [7, dt.timedelta(seconds=7)])
def test_retry_after_in_seconds_whatever_ptb_gives(given: int | dt.timedelta) -> None:
    assert retry_seconds(RetryAfter(given)) == 7.0
