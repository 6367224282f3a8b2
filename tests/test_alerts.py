"""The alert sender, on each store backend: delivered once, retried on failure, honoring retry_after."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from bot.alerts import AlertSender, DeliveryError
from bot.config import Settings
from bot.content.model import TELEGRAM_MESSAGE_LIMIT, Content, telegram_length
from bot.dialogue.respond import Responder
from bot.store.connect import Alert, Store
from tests.conftest import Clock


class FlakyNurses:
    """A nurses' channel that fails as told, and records what arrived."""

    def __init__(self, failures: list[DeliveryError]) -> None:
        self.failures = failures
        self.sent: list[tuple[int, str]] = []
        self.updated: list[int] = []

    async def send_alert(self, alert: Alert, text: str) -> int | None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((alert.id, text))
        return 1000 + alert.id

    async def update_alert(self, alert: Alert, text: str) -> None:
        self.updated.append(alert.id)


async def _alert(store: Store, clock: Clock, chat: str = "c1") -> Alert:
    return await store.record_alert(chat, "Pat", "urgent", ("fever",), "temp 102 <b>",
                                    clock(), timedelta(minutes=30))


async def test_delivered_exactly_once(any_store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    nurses = FlakyNurses([])
    sender = AlertSender(any_store, nurses, Responder(content, settings), clock)
    alert = await _alert(any_store, clock)
    assert await sender.deliver_due() == 1
    clock.now += timedelta(minutes=5)
    assert await sender.deliver_due() == 0
    assert [a for a, _ in nurses.sent] == [alert.id]
    assert "URGENT: Pat" in nurses.sent[0][1] and "temp 102 <b>" in nurses.sent[0][1]
    assert (await any_store.get_alert(alert.id)).nurse_message_id == 1000 + alert.id  # type: ignore[union-attr]


async def test_retry_after_is_honored(any_store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    nurses = FlakyNurses([DeliveryError("429", retry_after=30), DeliveryError("timeout")])
    sender = AlertSender(any_store, nurses, Responder(content, settings), clock)
    await _alert(any_store, clock)
    assert await sender.deliver_due() == 0
    clock.now += timedelta(seconds=29)
    assert await sender.deliver_due() == 0 and nurses.sent == []
    clock.now += timedelta(seconds=2)
    assert await sender.deliver_due() == 0  # the timeout
    clock.now += timedelta(seconds=2)
    assert await sender.deliver_due() == 1
    assert len(nurses.sent) == 1


async def test_a_repeat_after_sending_edits_the_alert(any_store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    nurses = FlakyNurses([])
    sender = AlertSender(any_store, nurses, Responder(content, settings), clock)
    first = await _alert(any_store, clock)
    await sender.deliver_due()
    clock.now += timedelta(minutes=1)
    again = await _alert(any_store, clock)
    assert again.id == first.id and again.status == "update"
    await sender.deliver_due()
    assert nurses.updated == [first.id] and len(nurses.sent) == 1


def _long_report(tag: str, size: int = 1200) -> str:
    """About `size` letters; half as many again once escaped for Telegram's HTML."""
    return f"{tag}: I have a fever of 103 and " + "it hurts a lot & <more> " * (size // 24)


async def test_merged_long_reports_fit_one_message_newest_first(any_store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    for tag in ("first", "second", "third"):
        alert = await any_store.record_alert("c1", "Pat", "urgent", ("fever",), _long_report(tag),
                                             clock(), timedelta(minutes=30))
    sender = AlertSender(any_store, FlakyNurses([]), Responder(content, settings), clock)
    text = sender.text(alert)
    assert telegram_length(text) <= TELEGRAM_MESSAGE_LIMIT
    assert text.index("third:") < text.index("second:") and "first:" not in text
    assert f"(+1 earlier messages: /alerts {alert.id} shows them all)" in text
    whole = sender.text(alert, room=None)
    assert all(_long_report(tag) in whole for tag in ("first", "second", "third"))


async def test_a_session_of_thousands_of_reports_stays_one_message(store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    for line in range(3000):
        alert = await store.record_alert("c1", "Pat", "urgent", ("fever",), f"line {line}: fever 103",
                                         clock(), timedelta(minutes=30))
    text = AlertSender(store, FlakyNurses([]), Responder(content, settings), clock).text(alert)
    assert telegram_length(text) <= TELEGRAM_MESSAGE_LIMIT and "line 2999: fever 103" in text
    assert "earlier messages" in text


async def test_one_report_longer_than_a_message_is_cut(any_store: Store, clock: Clock,
        content: Content, settings: Settings) -> None:
    alert = await any_store.record_alert("c1", "Pat", "urgent", ("fever",), _long_report("only", 9000),
                                         clock(), timedelta(minutes=30))
    text = AlertSender(any_store, FlakyNurses([]), Responder(content, settings), clock).text(alert)
    assert telegram_length(text) <= TELEGRAM_MESSAGE_LIMIT and "only: I have a fever of 103" in text


class ShortNurses(FlakyNurses):
    """A channel that takes shorter messages than Telegram does: 'message is too long' over 1,000."""

    async def send_alert(self, alert: Alert, text: str) -> int | None:
        if len(text) > 1000:
            self.failures.append(DeliveryError("Bad Request: message is too long", too_long=True))
        return await super().send_alert(alert, text)


async def test_a_message_too_long_is_shortened_and_sent_not_retried_unchanged(
        any_store: Store, clock: Clock, content: Content, settings: Settings) -> None:
    nurses = ShortNurses([])
    sender = AlertSender(any_store, nurses, Responder(content, settings), clock)
    await any_store.record_alert("c1", "Pat", "urgent", ("fever",), _long_report("x", 3000),
                                 clock(), timedelta(minutes=30))
    assert await sender.deliver_due() == 1
    ((_, text),) = nurses.sent
    assert len(text) <= 1000 and "x: I have a fever of 103" in text


async def test_a_resend_after_a_lost_answer_is_marked_and_a_plain_retry_is_not(
        any_store: Store, clock: Clock, content: Content, settings: Settings) -> None:
    nurses = FlakyNurses([DeliveryError("no answer", maybe_delivered=True), DeliveryError("429", 1)])
    sender = AlertSender(any_store, nurses, Responder(content, settings), clock)
    lost = await _alert(any_store, clock, chat="lost")
    refused = await _alert(any_store, clock, chat="refused")
    assert await sender.deliver_due() == 0
    clock.now += timedelta(seconds=5)
    assert await sender.deliver_due() == 2
    marked = {alert_id: text.startswith("(resent:") for alert_id, text in nurses.sent}
    assert marked == {lost.id: True, refused.id: False}


async def test_a_sender_killed_mid_send_leaves_the_resend_marked(
        any_store: Store, clock: Clock, content: Content, settings: Settings) -> None:
    class Dying(FlakyNurses):
        async def send_alert(self, alert: Alert, text: str) -> int | None:
            raise asyncio.CancelledError  # the process dies while Telegram may be taking it

    alert = await _alert(any_store, clock)
    with contextlib.suppress(asyncio.CancelledError):
        await AlertSender(any_store, Dying([]), Responder(content, settings), clock).deliver_due()
    clock.now += timedelta(minutes=1)  # the lease lapses
    nurses = FlakyNurses([])
    assert await AlertSender(any_store, nurses, Responder(content, settings), clock).deliver_due() == 1
    assert nurses.sent[0][0] == alert.id and nurses.sent[0][1].startswith("(resent:")
