"""Shared fixtures: the shipped content loaded once, and engines on a fresh SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.content import Content, load_content
from bot.engine import Engine, Incoming, Outcome
from bot.nlu import Classifier
from bot.store import SqliteStore

DATA = Path(__file__).parent / "data"
PHONE = "555-0100"
Converse = Callable[[str], Awaitable[Outcome]]


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(PROJECT_ROOT)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(care_team_phone=PHONE, emergency_number="911", crisis_line="988")


@pytest.fixture(scope="session")
def classifier(content: Content, settings: Settings) -> Classifier:
    return Classifier(content, settings.nlu_threshold)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    store = SqliteStore(str(tmp_path / "state.db"))
    yield store
    await store.close()


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(content: Content, settings: Settings, store: SqliteStore, classifier: Classifier,
           clock: Clock) -> Engine:
    return Engine(content, settings, store, classifier, clock)


@pytest.fixture
def converse(engine: Engine) -> Converse:
    """Send one message from the same patient; returns the engine's outcome."""

    async def send(text: str) -> Outcome:
        return await engine.handle(Incoming("chat-1", text=text, patient="Pat Doe"))

    return send


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content, to break on purpose."""
    root = tmp_path / "content"
    for folder in ("intents", "responses", "seeds"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    return root
