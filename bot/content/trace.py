"""A response variant's traceability metadata: its claims (source#section), reviewed date, topics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.content.model import Claim, Source, Trace
from bot.content.yamlfile import Collector, Where

_KEYS = frozenset({"sources", "claims", "reviewed", "also", "no_facts"})


def load_trace(
    metadata: Mapping[str, Any], cited: tuple[str, ...], sources: Mapping[str, Source],
    where: Where, name: str, problems: Collector,
) -> Trace:
    """The variant's claims, each checked against the registry and the variant's own citations."""
    for key in metadata:
        if key not in _KEYS:
            problems.add(where.file, where.line,
                         f"{name}: unknown metadata {key!r}; known: {', '.join(sorted(_KEYS))}")
    reviewed = metadata.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, dt.date):
        problems.add(where.file, where.line, f"{name}: reviewed must be a date like 2026-12-06")
        reviewed = None
    claims = _claims(metadata.get("claims"), sources, where, name, problems)
    backed = {claim.source for claim in claims}
    for source_id in backed - set(cited):
        problems.add(where.file, where.line,
                     f"{name}: a claim rests on {source_id!r}, which metadata.sources does not cite")
    if claims:
        for source_id in [s for s in cited if s not in backed]:
            problems.add(where.file, where.line,
                         f"{name}: cites {source_id!r} but no claim rests on it")
    return Trace(
        claims=claims,
        reviewed=reviewed,
        also=tuple(str(topic) for topic in metadata.get("also") or ()),
        no_facts=str(metadata.get("no_facts") or ""),
    )


def _claims(
    raw: Any, sources: Mapping[str, Source], where: Where, name: str, problems: Collector
) -> tuple[Claim, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.add(where.file, where.line,
                     f"{name}: claims must map `source#section` to what the answer takes from it")
        return ()
    claims = []
    for locator, says in raw.items():
        line = getattr(raw, "key_lines", {}).get(locator, where.line)
        source_id, _, section = str(locator).partition("#")
        source = sources.get(source_id)
        if source is None:
            problems.add(where.file, line, f"{name}: claim cites unknown source {source_id!r}")
            continue
        if section not in source.sections:
            problems.add(where.file, line, f"{name}: {source_id} has no section {section!r}; "
                         f"its sections: {', '.join(source.sections)}")
            continue
        claims.append(Claim(source_id, section, str(says or "")))
    return tuple(claims)
