"""The store a DATABASE_URL names: SQLite (a file, the default) or PostgreSQL (shared by replicas)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from bot.store.model import Alert, Checkin, Planned, Store, StoreError, redacted
from bot.store.postgres import PostgresStore
from bot.store.resilient import ResilientStore
from bot.store.sqlite import SqliteStore

__all__ = ["Alert", "Checkin", "Planned", "PostgresStore", "ResilientStore", "SqliteStore", "Store",
           "StoreError", "connect_store", "migrate", "open_store"]

logger = logging.getLogger(__name__)

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")


def check_database_url(database_url: str) -> None:
    """StoreError, in one line naming DATABASE_URL, for a URL no store can be opened from."""
    if database_url.startswith(_SQLITE):
        if not database_url.removeprefix(_SQLITE).strip():
            raise StoreError("DATABASE_URL sqlite:/// names no file: use sqlite:///path/to/file.db")
        return
    if not database_url.startswith(_POSTGRES):
        scheme = database_url.partition(":")[0] or "(empty)"
        raise StoreError(f"DATABASE_URL scheme {scheme!r} is not supported: use sqlite:///path or "
                         "postgresql://user:password@host:5432/db")
    try:
        parts = urlsplit(database_url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as error:
        raise StoreError(f"DATABASE_URL is not a valid PostgreSQL URL ({error}): "
                         "use postgresql://user:password@host:5432/db") from None
    if not parts.hostname and "host=" not in parts.query:
        raise StoreError("DATABASE_URL names no PostgreSQL host: use postgresql://user:password@host:5432/db")


async def connect_store(database_url: str) -> Store:
    """The store a DATABASE_URL names, connected, its schema migrated to this release, and kept
    answering (alerts held in memory) when the database is busy or away later on."""
    check_database_url(database_url)
    if not database_url.startswith(_POSTGRES):
        return ResilientStore(open_store(database_url))
    try:
        return ResilientStore(await PostgresStore.connect(database_url))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise StoreError(f"cannot use the database at {redacted(database_url)}: {error}") from error


def open_store(database_url: str) -> Store:
    """The SQLite store a sqlite:///path URL names; PostgreSQL is reached with connect_store."""
    if database_url.startswith(_POSTGRES):
        raise StoreError("PostgreSQL is opened with `await connect_store(url)`, not open_store")
    check_database_url(database_url)
    path = database_url.removeprefix(_SQLITE)
    try:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteStore(path)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"DATABASE_URL: cannot use the SQLite file {path}: {error}") from error


async def migrate(database_url: str) -> int:
    """Apply the pending migrations to the database; returns its schema version."""
    store = await connect_store(database_url)
    try:
        return await store.schema_version()
    finally:
        await store.close()
