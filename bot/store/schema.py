"""Versioned schema migrations: bot/store/migrations/<backend>/NNNN_name.sql, applied in order at start."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

logger = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
# Each backend keeps a ledger: schema_migrations (version, name, applied_at), one row per step.
CURRENT_VERSION = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"


@dataclass(frozen=True)
class Migration:
    """One step of the schema, the same version number meaning the same shape on every backend."""

    version: int
    name: str
    sql: str


def migrations(backend: str) -> list[Migration]:
    """The backend's migrations in order; their versions must run 1, 2, 3... without a gap."""
    folder = resources.files("bot.store") / "migrations" / backend
    found = []
    for entry in folder.iterdir():
        match = _FILE_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"{backend} migrations are not numbered 1..n: {[m.version for m in found]}")
    return found


def latest_version(backend: str) -> int:
    return len(migrations(backend))


def pending(backend: str, current: int) -> list[Migration]:
    """The migrations a database at version `current` still needs, in order."""
    known = migrations(backend)
    if current > len(known):
        # A newer release migrated already; an older replica still running must keep working.
        logger.warning("database schema is at version %d, newer than this release knows (%d)",
                       current, len(known))
    return known[current:]
