"""The traceability rules of `bot check`: sources cited and covering the topic, reviews current,
temperatures in both units."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.content import catalog
from bot.content.model import Content, Response, Variant
from bot.content.yamlfile import Problem, Where

# Files whose every response states medical facts or advice, so must cite where they come from;
# so must the answers to the knowledge and symptom intents, wherever they are.
_FACT_FILES = re.compile(r"^responses/(knowledge|safety)[^/]*\.yml$")
_FACT_TOPICS = frozenset(catalog.KNOWLEDGE_INTENTS + catalog.SYMPTOM_INTENTS)
_FAHRENHEIT = re.compile(r"\{fever_line_f\}(\s*°\s*F)?"
                         r"|\b\d{2,3}(?:[.,]\d)?\s*(?:°\s*F\b|degrees? F(?:ahrenheit)?\b)")
_CELSIUS = re.compile(r"\{fever_line_c\}(\s*°\s*C)?"
                      r"|\b\d{2}(?:[.,]\d)?\s*(?:°\s*C\b|degrees? C(?:elsius)?\b)")
# How far apart the two units of one temperature may stand: "101°F (38.3°C)".
_PAIR_GAP = 12


def audit(content: Content, today: dt.date) -> Iterator[Problem]:
    """Every traceability problem: responses first, then the red flags."""
    for response in content.responses.values():
        for variant in response.variants:
            if _FACT_FILES.match(variant.where.file) or topic(response) in _FACT_TOPICS:
                yield from _cited(response, variant)
                yield from _covered(content, response, variant)
                yield from _current(content, response, variant, today)
            yield from _both_units(response, variant)
    yield from _flags_covered(content)


def topic(response: Response) -> str:
    """The topic a response is filed under: its name without utter_ (the intent it answers)."""
    return response.name.removeprefix("utter_")


def _cited(response: Response, variant: Variant) -> Iterator[Problem]:
    trace = variant.trace
    if not variant.sources and not trace.no_facts:
        yield Problem(variant.where, f"{response.name}: no source; cite the pages it rests on "
                      "(metadata.sources and claims), or say why it states no facts (no_facts)")
        return
    if variant.sources and not trace.claims:
        yield Problem(variant.where, f"{response.name}: no claims; list where each claim comes "
                      "from as `source#section: what it says` under metadata.claims")
    if variant.sources and trace.reviewed is None:
        yield Problem(variant.where, f"{response.name}: no reviewed date; re-read it against its "
                      "pages and set metadata.reviewed")


def _covered(content: Content, response: Response, variant: Variant) -> Iterator[Problem]:
    topics = (topic(response), *variant.trace.also)
    for source_id in variant.sources:
        source = content.sources.get(source_id)
        if source and not set(topics) & set(source.topics):
            yield Problem(variant.where, f"{response.name}: cites {source_id!r}, whose page does not "
                          f"cover {' or '.join(topics)} (its topics in seeds/sources.yml)")


def _current(content: Content, response: Response, variant: Variant,
             today: dt.date) -> Iterator[Problem]:
    reviewed = variant.trace.reviewed
    if reviewed is None:
        return
    for source_id in variant.sources:
        source = content.sources.get(source_id)
        if source is None:
            continue
        due = reviewed + dt.timedelta(days=source.review_interval_days)
        if today > due:
            yield Problem(variant.where, f"{response.name}: reviewed {reviewed}, over "
                          f"{source.review_interval_days} days ago for {source_id!r} (due {due}); "
                          "re-read it against the page and update reviewed")
        elif reviewed < source.reviewed:
            yield Problem(variant.where, f"{response.name}: reviewed {reviewed}, before {source_id!r} "
                          f"changed ({source.reviewed}); re-read it against the page")


@dataclass(frozen=True)
class _Mention:
    unit: str
    start: int
    end: int


def _both_units(response: Response, variant: Variant) -> Iterator[Problem]:
    mentions = [_Mention(unit, m.start(), m.end())
                for unit, pattern in (("°F", _FAHRENHEIT), ("°C", _CELSIUS))
                for m in pattern.finditer(variant.text)]
    for mention in mentions:
        if not any(other.unit != mention.unit and _gap(mention, other) <= _PAIR_GAP
                   for other in mentions):
            said = variant.text[mention.start:mention.end]
            yield Problem(variant.where, f"{response.name}: temperature {said!r} in {mention.unit} "
                          "only; give both units, like {fever_line_f}°F ({fever_line_c}°C)")


def _gap(one: _Mention, other: _Mention) -> int:
    return max(other.start - one.end, one.start - other.end)


def _flags_covered(content: Content) -> Iterator[Problem]:
    for flag in content.triage.red_flags:
        for source_id in flag.sources:
            source = content.sources.get(source_id)
            if source and flag.name not in source.topics:
                yield Problem(Where(flag.where.file, flag.where.line),
                              f"red flag {flag.name!r} cites {source_id!r}, whose page does not "
                              f"cover it (its topics in seeds/sources.yml)")
