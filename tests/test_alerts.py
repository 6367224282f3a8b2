"""The alert sender, on each store backend: delivered once, retried on failure, honoring retry_after."""

from __future__ import annotations

from datetime import timedelta

from bot.alerts import AlertSender, DeliveryError
from bot.config import Settings
from bot.content.model import Content
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
