"""The store, the same tests on SQLite and PostgreSQL: chat state, the alert outbox, updates, locks."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.store.connect import Alert, Store, StoreError, connect_store, open_store
from bot.store.model import reports
from bot.store.postgres import CHAT_SPACE, chat_key
from bot.store.schema import latest_version
from tests.conftest import DATA

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=30)
LEASE = timedelta(seconds=60)


async def _report(store: Store, level: str = "urgent", flags: tuple[str, ...] = ("fever",),
                  message: str = "temp 102", chat: str = "c1", at: datetime = NOW) -> Alert:
    return await store.record_alert(chat, "Pat", level, flags, message, at, WINDOW)


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


async def _ledger(database_url: str) -> list[tuple[int, str]]:
    """The schema_migrations rows, read behind the store's back."""
    query = "SELECT version, name FROM schema_migrations ORDER BY version"
    if _backend(database_url) == "sqlite":
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return [(version, name) for version, name in db.execute(query)]
    connection = await asyncpg.connect(database_url)
    try:
        return [(row["version"], row["name"]) for row in await connection.fetch(query)]
    finally:
        await connection.close()


# Chat state


async def test_slots_round_trip_per_chat(any_store: Store) -> None:
    slots = {"site": "prostate", "pending": None, "asked": ["shower", "pain"], "turns": 3}
    await any_store.save_slots("c1", slots)
    assert await any_store.load_slots("c1") == slots
    assert await any_store.load_slots("c2") == {}
    await any_store.save_slots("c1", {"site": "liver"})
    assert await any_store.load_slots("c1") == {"site": "liver"}


async def test_forget_deletes_the_chat_and_blanks_its_alerts(any_store: Store) -> None:
    await any_store.save_slots("c1", {"site": "kidney"})
    await any_store.save_slots("c2", {"site": "liver"})
    mine = await _report(any_store, chat="c1", message="my name is Pat, temp 102")
    other = await _report(any_store, chat="c2", message="temp 103")
    await any_store.acknowledge(mine.id, "Nora", NOW)
    await any_store.forget("c1")
    assert await any_store.load_slots("c1") == {}
    assert await any_store.load_slots("c2") == {"site": "liver"}
    blanked = await any_store.get_alert(mine.id)
    assert blanked is not None
    assert (blanked.patient, blanked.message) == ("(deleted)", "(deleted by the patient)")
    assert await any_store.get_alert(other.id) == other


async def test_forget_keeps_an_open_alert_whole_until_a_nurse_has_seen_it(any_store: Store) -> None:
    await any_store.save_slots("c1", {"site": "kidney"})
    alert = await _report(any_store, chat="c1", message="my name is Pat, temp 102")
    await any_store.forget("c1")
    assert "site" not in await any_store.load_slots("c1")
    kept = await any_store.get_alert(alert.id)
    assert kept is not None and (kept.patient, kept.message) == (alert.patient, alert.message)
    seen = await any_store.acknowledge(alert.id, "Nora", NOW)
    assert seen is not None and seen.message == alert.message  # what the nurse's screen shows
    blanked = await any_store.get_alert(alert.id)
    assert blanked is not None
    assert (blanked.patient, blanked.message) == ("(deleted)", "(deleted by the patient)")
    assert await any_store.load_slots("c1") == {}


# Recording alerts


async def test_a_repeat_report_within_the_window_merges(any_store: Store) -> None:
    first = await _report(any_store)
    again = await _report(any_store, message="temp 103 now", at=NOW + timedelta(minutes=10))
    assert again.id == first.id
    assert again.red_flags == ("fever",)
    assert reports(again.message) == ["temp 102", "temp 103 now"]
    assert again.updated_at == NOW + timedelta(minutes=10) and again.created_at == NOW
    assert again.status == "pending"
    assert [a.id for a in await any_store.open_alerts()] == [first.id]


async def test_a_redelivered_report_is_not_appended_twice(any_store: Store) -> None:
    first = await _report(any_store, message="I have a fever of 103")
    again = await _report(any_store, message="I have a fever of 103", at=NOW + timedelta(seconds=5))
    assert again.id == first.id and reports(again.message) == ["I have a fever of 103"]


async def test_a_report_after_the_window_is_a_new_alert(any_store: Store) -> None:
    first = await _report(any_store)
    later = await _report(any_store, at=NOW + WINDOW + timedelta(minutes=1))
    assert later.id != first.id
    assert later.message == "temp 102"


async def test_a_new_flag_or_another_level_is_a_new_alert(any_store: Store) -> None:
    urgent = await _report(any_store, level="urgent")
    emergency = await _report(any_store, level="emergency", flags=("breathing",),
                              message="cannot breathe", at=NOW + timedelta(minutes=1))
    assert emergency.id != urgent.id and emergency.level == "emergency"
    new_flag = await _report(any_store, level="emergency", flags=("breathing", "chest pain"),
                             message="and my chest hurts", at=NOW + timedelta(minutes=2))
    assert new_flag.id != emergency.id
    milder = await _report(any_store, level="urgent", at=NOW + timedelta(minutes=3))
    assert milder.id not in (urgent.id, emergency.id, new_flag.id)
    assert [a.level for a in await any_store.open_alerts()] == ["urgent", "emergency", "emergency", "urgent"]


async def test_a_first_false_alarm_does_not_absorb_a_real_flag(any_store: Store) -> None:
    first = await _report(any_store, level="emergency", flags=("fainting",), message="i fainted at needles")
    real = await _report(any_store, level="urgent", flags=("pus",), message="pus at the site",
                         at=NOW + timedelta(minutes=1))
    assert real.id != first.id and real.status == "pending"


async def test_an_acknowledged_alert_takes_no_more_reports(any_store: Store) -> None:
    first = await _report(any_store)
    await any_store.acknowledge(first.id, "Nurse Kim", NOW + timedelta(minutes=1))
    again = await _report(any_store, at=NOW + timedelta(minutes=2))
    assert again.id != first.id


# Sending alerts


async def test_a_claimed_alert_is_not_claimed_again_until_its_lease_lapses(any_store: Store) -> None:
    alert = await _report(any_store)
    assert [a.id for a in await any_store.claim_due_alerts(NOW, LEASE, 10)] == [alert.id]
    assert await any_store.claim_due_alerts(NOW + timedelta(seconds=59), LEASE, 10) == []
    # Its sender died: after the lease another takes it up.
    taken_up = await any_store.claim_due_alerts(NOW + timedelta(seconds=61), LEASE, 10)
    assert [a.id for a in taken_up] == [alert.id]


async def test_emergencies_are_claimed_first_within_the_limit(any_store: Store) -> None:
    first = await _report(any_store, chat="a")
    second = await _report(any_store, chat="b")
    emergency = await _report(any_store, level="emergency", chat="c")
    claimed = await any_store.claim_due_alerts(NOW, LEASE, 2)
    assert [a.id for a in claimed] == [emergency.id, first.id]
    assert [a.id for a in await any_store.claim_due_alerts(NOW, LEASE, 2)] == [second.id]


async def test_a_retry_waits_and_a_sent_alert_is_done(any_store: Store) -> None:
    alert = await _report(any_store)
    await any_store.claim_due_alerts(NOW, LEASE, 10)
    await any_store.mark_retry(alert.id, NOW + timedelta(seconds=30), "429: Too Many Requests")
    assert await any_store.claim_due_alerts(NOW + timedelta(seconds=29), LEASE, 10) == []
    [retried] = await any_store.claim_due_alerts(NOW + timedelta(seconds=30), LEASE, 10)
    assert (retried.id, retried.attempts, retried.status) == (alert.id, 1, "pending")
    await any_store.mark_sent(alert.id, 555)
    sent = await any_store.get_alert(alert.id)
    assert sent is not None
    assert (sent.status, sent.attempts, sent.nurse_message_id) == ("sent", 2, 555)
    assert await any_store.claim_due_alerts(NOW + timedelta(hours=2), LEASE, 10) == []


async def test_a_report_after_sending_is_due_as_an_update(any_store: Store) -> None:
    alert = await _report(any_store)
    assert await any_store.pending_alert_count() == 1
    await any_store.claim_due_alerts(NOW, LEASE, 10)
    await any_store.mark_sent(alert.id, 77)
    assert await any_store.pending_alert_count() == 0
    again = await _report(any_store, message="now 103", at=NOW + timedelta(minutes=5))
    assert (again.id, again.status) == (alert.id, "update")
    assert await any_store.pending_alert_count() == 1
    [update] = await any_store.claim_due_alerts(NOW + timedelta(minutes=5), LEASE, 10)
    assert (update.status, update.nurse_message_id) == ("update", 77)
    assert reports(update.message) == ["temp 102", "now 103"]
    await any_store.mark_sent(alert.id, None)
    edited = await any_store.get_alert(alert.id)
    assert edited is not None and (edited.status, edited.nurse_message_id) == ("sent", 77)


async def test_a_report_merged_while_sending_is_not_lost(any_store: Store) -> None:
    alert = await _report(any_store)
    [sending] = await any_store.claim_due_alerts(NOW, LEASE, 10)
    await _report(any_store, message="temp 103 now", at=NOW + timedelta(seconds=5))
    await any_store.mark_sent(sending.id, 88)  # the nurses saw "temp 102" only
    [update] = await any_store.claim_due_alerts(NOW + timedelta(seconds=6), LEASE, 10)
    assert (update.id, update.status, update.nurse_message_id) == (alert.id, "update", 88)
    assert reports(update.message) == ["temp 102", "temp 103 now"] and update.red_flags == ("fever",)


async def test_the_first_nurse_to_acknowledge_wins(any_store: Store) -> None:
    alert = await _report(any_store)
    first = await any_store.acknowledge(alert.id, "Nurse Kim", NOW + timedelta(minutes=3))
    second = await any_store.acknowledge(alert.id, "Nurse Lee", NOW + timedelta(minutes=4))
    assert first is not None and second is not None
    assert (second.acknowledged_by, second.acknowledged_at) == ("Nurse Kim", NOW + timedelta(minutes=3))
    assert await any_store.acknowledge(9999, "Nurse Lee", NOW) is None


async def test_open_alerts_are_the_unacknowledged_oldest_first(any_store: Store) -> None:
    a = await _report(any_store, chat="a")
    b = await _report(any_store, chat="b", level="emergency")
    c = await _report(any_store, chat="c")
    await any_store.acknowledge(b.id, "Nurse Kim", NOW)
    assert [alert.id for alert in await any_store.open_alerts()] == [a.id, c.id]


# Telegram updates


async def test_an_update_is_claimed_once_and_handled_once(any_store: Store) -> None:
    assert await any_store.claim_update(1001, NOW, LEASE)
    assert not await any_store.claim_update(1001, NOW + timedelta(seconds=1), LEASE)  # a redelivery
    assert not await any_store.is_handled(1001)
    await any_store.mark_handled(1001)
    assert await any_store.is_handled(1001)
    assert not await any_store.claim_update(1001, NOW + timedelta(days=1), LEASE)
    assert not await any_store.is_handled(1002)


async def test_the_claim_of_a_dead_handler_lapses(any_store: Store) -> None:
    assert await any_store.claim_update(1001, NOW, LEASE)
    # No mark_handled: the handler died before its replies went out.
    assert not await any_store.claim_update(1001, NOW + LEASE - timedelta(seconds=1), LEASE)
    assert await any_store.claim_update(1001, NOW + LEASE, LEASE)
    assert not await any_store.is_handled(1001)


async def test_a_released_claim_lets_the_next_delivery_be_handled_at_once(any_store: Store) -> None:
    assert await any_store.claim_update(1003, NOW, LEASE)
    await any_store.release_claim(1003)  # handling failed
    assert await any_store.claim_update(1003, NOW + timedelta(seconds=1), LEASE)
    await any_store.mark_handled(1003)
    await any_store.release_claim(1003)  # too late: handled stays handled
    assert not await any_store.claim_update(1003, NOW + timedelta(seconds=2), LEASE)


async def test_an_update_marked_handled_unclaimed_is_handled(any_store: Store) -> None:
    await any_store.mark_handled(7)
    await any_store.mark_handled(7)
    assert await any_store.is_handled(7)
    assert not await any_store.claim_update(7, NOW, LEASE)


async def test_updates_older_than_telegram_keeps_them_are_forgotten(any_store: Store) -> None:
    assert await any_store.claim_update(1, NOW - timedelta(days=3), LEASE)  # abandoned long ago
    assert await any_store.claim_update(2, NOW, LEASE)
    await any_store.mark_handled(3)
    assert await any_store.prune_updates(NOW - timedelta(days=2)) == 1
    assert await any_store.claim_update(1, NOW, LEASE)  # forgotten: new to the store
    assert not await any_store.claim_update(2, NOW + timedelta(seconds=1), LEASE)
    assert await any_store.is_handled(3)
    assert await any_store.prune_updates(datetime.now(UTC) + timedelta(days=1)) == 3


# Migrations


async def test_migrations_are_recorded_and_run_once(database_url: str) -> None:
    expected = [(1, "initial"), (2, "replicas"), (3, "checkins")]
    assert latest_version(_backend(database_url)) == len(expected)
    store = await connect_store(database_url)
    assert await store.schema_version() == len(expected)
    alert = await _report(store)
    await store.close()
    store = await connect_store(database_url)
    try:
        assert await store.schema_version() == len(expected)
        assert await store.get_alert(alert.id) == alert
    finally:
        await store.close()
    assert await _ledger(database_url) == expected


async def test_replicas_starting_together_migrate_once(database_url: str) -> None:
    latest = latest_version(_backend(database_url))
    stores = await asyncio.gather(*(connect_store(database_url) for _ in range(3)))
    try:
        assert [await store.schema_version() for store in stores] == [latest] * 3
    finally:
        for store in stores:
            await store.close()
    assert [version for version, _ in await _ledger(database_url)] == list(range(1, latest + 1))


# Several replicas on one database


async def test_two_replicas_claim_disjoint_sets(database_url: str) -> None:
    first, second = await connect_store(database_url), await connect_store(database_url)
    try:
        reported = {(await _report(first, chat=f"chat-{n}")).id for n in range(12)}
        claims: list[int] = []
        while True:
            batches = await asyncio.gather(first.claim_due_alerts(NOW, LEASE, 4),
                                           second.claim_due_alerts(NOW, LEASE, 4))
            if not any(batches):
                break
            claims += [alert.id for batch in batches for alert in batch]
    finally:
        await first.close()
        await second.close()
    assert sorted(claims) == sorted(reported)


async def test_a_chat_lock_excludes_a_second_holder_of_that_chat_only(database_url: str) -> None:
    first, second = await connect_store(database_url), await connect_store(database_url)
    try:
        async with first.chat_lock("c1"):
            same_chat = asyncio.create_task(_hold(second, "c1"))
            await asyncio.wait_for(_hold(second, "c2"), 10)  # another chat goes ahead
            done, _ = await asyncio.wait({same_chat}, timeout=0.5)
            assert not done, "a second holder entered a chat that was locked"
        await asyncio.wait_for(same_chat, 10)
    finally:
        await first.close()
        await second.close()


async def _hold(store: Store, chat_id: str) -> None:
    async with store.chat_lock(chat_id):
        await store.load_slots(chat_id)


async def test_a_chat_lock_is_released_when_handling_fails(any_store: Store) -> None:
    with pytest.raises(RuntimeError, match="handler broke"):
        async with any_store.chat_lock("c1"):
            raise RuntimeError("handler broke")
    await asyncio.wait_for(_hold(any_store, "c1"), 10)


async def test_a_dead_replicas_chat_lock_is_freed(postgres_url: str) -> None:
    chat = f"dying-{uuid.uuid4().hex}"
    first, second = await connect_store(postgres_url), await connect_store(postgres_url)
    admin = await asyncpg.connect(postgres_url)
    try:
        async with first.chat_lock(chat):
            # The replica's process dies: PostgreSQL ends its session, and its locks go with it.
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted",
                CHAT_SPACE, chat_key(chat) & 0xFFFFFFFF)
            assert killed == 1
            await asyncio.wait_for(_hold(second, chat), 10)
    finally:
        await admin.close()
        await first.close()
        await second.close()


# Which store a DATABASE_URL names


async def test_a_sqlite_file_from_before_migrations_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db:
        db.executescript((DATA / "store_before_migrations.sql").read_text())
    store = open_store(f"sqlite:///{path}")
    try:
        assert await store.schema_version() == latest_version("sqlite")
        assert await store.is_handled(41)
        assert await store.load_slots("c1") == {"site": "prostate"}
        [alert] = await store.claim_due_alerts(NOW, LEASE, 10)
        assert (alert.patient, alert.red_flags, alert.status) == ("Pat", ("fever",), "pending")
    finally:
        await store.close()


async def test_an_unknown_database_url_is_refused_clearly() -> None:
    with pytest.raises(StoreError, match="is not supported: use sqlite:///path or postgresql://"):
        await connect_store("mysql://db/bot")
    with pytest.raises(StoreError, match="connect_store"):
        open_store("postgresql://127.0.0.1/test")


async def test_an_unreachable_postgres_is_refused_without_its_password() -> None:
    with pytest.raises(StoreError, match="cannot use the database") as refused:
        await connect_store("postgresql://bot:s3cret@127.0.0.1:1/test")
    assert "s3cret" not in str(refused.value) and "bot:***@" in str(refused.value)
