"""The store's side of the nurses' follow-through, on each backend: reminder claims and the daily digest."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.store.connect import Store, connect_store

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
AFTER = dt.timedelta(minutes=15)
LEASE = dt.timedelta(seconds=30)


async def _sent_alert(store: Store, chat: str = "c1") -> int:
    alert = await store.record_alert(chat, "Pat", "urgent", ("fever",), "temp 102", NOW,
                                     dt.timedelta(minutes=30))
    await store.claim_due_alerts(NOW, LEASE, 10)
    await store.mark_sent(alert.id, 77)
    return alert.id


async def test_a_reminder_is_due_after_the_interval_then_on_call_then_never_and_not_once_acknowledged(
        any_store: Store) -> None:
    first, acknowledged = await _sent_alert(any_store, "c1"), await _sent_alert(any_store, "c2")
    early = NOW + AFTER - dt.timedelta(seconds=1)
    assert await any_store.claim_due_reminders(early, AFTER, 2, LEASE, 10) == []
    await any_store.acknowledge(acknowledged, "Nora", NOW + dt.timedelta(minutes=1))
    moment = NOW + AFTER
    (due,) = await any_store.claim_due_reminders(moment, AFTER, 2, LEASE, 10)
    assert (due.id, due.reminders) == (first, 0)
    # Claimed: nobody else takes it while its sender has it; a sender that died leaves it after the lease.
    assert await any_store.claim_due_reminders(moment, AFTER, 2, LEASE, 10) == []
    assert [a.id for a in await any_store.claim_due_reminders(moment + LEASE, AFTER, 2, LEASE, 10)] == [first]
    await any_store.mark_reminded(first, moment + LEASE)
    assert await any_store.claim_due_reminders(moment + AFTER, AFTER, 2, LEASE, 10) == []
    (second,) = await any_store.claim_due_reminders(moment + LEASE + AFTER, AFTER, 2, LEASE, 10)
    assert second.reminders == 1
    await any_store.mark_reminded(first, moment + LEASE + AFTER)
    assert await any_store.claim_due_reminders(NOW + dt.timedelta(days=1), AFTER, 2, LEASE, 10) == []


async def test_replicas_claim_each_reminder_and_each_digest_once(database_url: str) -> None:
    first, second = await connect_store(database_url), await connect_store(database_url)
    try:
        ids = [await _sent_alert(first, f"c{n}") for n in range(30)]
        claims = await asyncio.gather(*(store.claim_due_reminders(NOW + AFTER, AFTER, 1, LEASE, 7)
                                        for store in (first, second, first, second, first, second)))
        claimed = [alert.id for batch in claims for alert in batch]
        assert sorted(claimed) == ids
        stores = (first, second) * 3
        digests = await asyncio.gather(*(store.claim_digest("2026-11-21", NOW) for store in stores))
        assert digests.count(True) == 1
        assert await first.claim_digest("2026-11-22", NOW)
    finally:
        await first.close()
        await second.close()
