"""Shared fixtures: the shipped content loaded once, engines on a SQLite file, stores of each backend,
a local Bot API server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.content.loader import load_content
from bot.content.model import Content
from bot.engine import Engine, Incoming, Outcome
from bot.store.connect import SqliteStore, Store, connect_store
from bot.understanding.nlu import Classifier
from tests.telegram.botapi import BotApiServer

DATA = Path(__file__).parent / "data"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PHONE = "555-0100"
Converse = Callable[[str], Awaitable[Outcome]]
USER = 1001  # the user the local Bot API server of the `server` fixture knows


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    """A local Bot API server that knows one user: Pat Doe, USER."""
    async with BotApiServer() as running:
        running.add_user(USER, "Pat", "Doe")
        yield running


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


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A URL to a fresh schema in the test PostgreSQL, dropped afterwards.

    With no server there the test skips and says why; under REQUIRE_POSTGRES=1 (CI) it fails.
    """
    try:
        admin = await asyncpg.connect(POSTGRES_URL, timeout=10)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {error!r}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}search_path={schema}"
    finally:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each backend in turn: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def any_store(database_url: str) -> AsyncIterator[Store]:
    """The store of each backend, connected as the bot connects it."""
    store = await connect_store(database_url)
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
