"""A busy or absent database: the patient still gets the safety reply, the alert waits in memory."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bot.config import Settings
from bot.content.model import Content
from bot.engine import Engine, Incoming
from bot.store.resilient import ResilientStore
from bot.store.sqlite import SqliteStore
from bot.understanding.nlu import Classifier
from tests.conftest import Clock


@contextmanager
def write_locked(path: Path) -> Iterator[None]:
    """Another process holding the file's write lock (as a long migration or a backup would)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_locked_database_still_gets_the_safety_reply_and_the_alert_later(
        tmp_path: Path, content: Content, settings: Settings, classifier: Classifier, clock: Clock) -> None:
    path = tmp_path / "state.db"
    store = ResilientStore(SqliteStore(str(path), busy_timeout=0.1))
    engine = Engine(content, settings, store, classifier, clock)
    with write_locked(path):
        outcome = await engine.handle(Incoming("c1", text="I cant breathe", patient="Pat"))
        assert outcome.replies[0].text.startswith("Call 911 now")
        (held,) = outcome.alerts
        assert held.id < 0 and store.held == [held]
    clock.now += timedelta(seconds=5)
    (claimed,) = await store.claim_due_alerts(clock(), timedelta(seconds=30), 10)
    assert (claimed.level, claimed.message, claimed.patient) == ("emergency", "I cant breathe", "Pat")
    assert store.held == []
    await store.close()


async def test_updates_are_handled_when_their_claim_cannot_be_written(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "state.db"
    store = ResilientStore(SqliteStore(str(path), busy_timeout=0.1))
    with write_locked(path):
        assert await store.claim_update(7, clock(), timedelta(seconds=30))
        await store.mark_handled(7)  # logged, not raised
    assert not await store.is_handled(7)
    await store.close()
