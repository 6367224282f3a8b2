"""Loads intents/, responses/ and seeds/ once into frozen dataclasses, validating as it goes."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.content import catalog
from bot.content.lexicon import load_triage
from bot.content.model import (
    NOT_NLU_FILES,
    SEVERITY_FILE,
    SYMPTOM_REPORTS_FILE,
    Content,
    Entity,
    Example,
    Intent,
    Response,
    Source,
    button_intent,
    normalize_example,
)
from bot.content.responses import content_files, load_responses
from bot.content.yamlfile import Collector, ContentError, Where, line_of

_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))"
)


def load_content(root: Path) -> Content:
    """Load and validate the content under `root`; raise ContentError listing every problem."""
    problems = Collector(root)
    sources = _load_sources(root, problems)
    intents, synonyms, lookups = _load_intents(root, problems)
    triage = load_triage(root, problems, sources)
    responses = load_responses(root, problems, sources)
    symptom_reports = tuple((text, block == "reports") for text, block in
                            _load_blocks(root, SYMPTOM_REPORTS_FILE, ("reports", "not_reports"), problems))
    severity = _load_blocks(root, SEVERITY_FILE, ("emergency", "urgent", "calm"), problems)
    _cross_check(problems, intents, responses)
    if problems.problems:
        raise ContentError(problems.problems)
    return Content(
        root=root,
        intents=MappingProxyType(intents),
        responses=MappingProxyType(responses),
        sources=MappingProxyType(sources),
        synonyms=MappingProxyType(synonyms),
        lookups=MappingProxyType(lookups),
        triage=triage,
        symptom_reports=symptom_reports,
        severity_examples=severity,
    )


def _load_blocks(root: Path, name: str, blocks: tuple[str, ...],
                 problems: Collector) -> tuple[tuple[str, str], ...]:
    """A learned layer's examples (intents/`name`): one `block: |` of `- ` lines per label."""
    file = f"intents/{name}"
    if not (root / file).exists():
        return ()
    data = problems.read(root / file)
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in blocks):
        wanted = " and ".join(f"`{block}: |`" for block in blocks)
        problems.add(file, line_of(data), f"expected {wanted} with `- ` lines")
        return ()
    return tuple((text, block) for block in blocks for text, _ in _example_lines(data[block], file, problems))


_SOURCE_FIELDS = ("id", "short_name", "title", "publisher", "reviewed", "review_interval_days",
                  "license", "sections", "topics")


def _load_sources(root: Path, problems: Collector) -> dict[str, Source]:
    file = "seeds/sources.yml"
    data = problems.read(root / file)
    if data is None:
        return {}
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(file, line_of(data), "expected a `sources:` list")
        return {}
    sources: dict[str, Source] = {}
    for entry in entries:
        line = line_of(entry)
        missing = [f for f in _SOURCE_FIELDS if not isinstance(entry, dict) or entry.get(f) is None]
        if missing:
            problems.add(file, line, f"source is missing {', '.join(missing)}")
            continue
        if not isinstance(entry["reviewed"], dt.date):
            problems.add(file, line, "reviewed must be a date like 2025-12-30")
            continue
        if entry["id"] in sources:
            problems.add(file, line, f"source id {entry['id']!r} is registered twice")
        if not isinstance(entry["sections"], dict) or not isinstance(entry["topics"], list):
            problems.add(file, line, "sections must map a short id to a heading; topics must be a list")
            continue
        sources[str(entry["id"])] = Source(
            id=str(entry["id"]),
            short_name=str(entry["short_name"]),
            title=str(entry["title"]),
            publisher=str(entry["publisher"]),
            url=str(entry["url"]) if entry.get("url") else None,
            reviewed=entry["reviewed"],
            review_interval_days=int(entry["review_interval_days"]),
            license=str(entry["license"]),
            sections=MappingProxyType({str(k): str(v) for k, v in entry["sections"].items()}),
            topics=tuple(str(topic) for topic in entry["topics"]),
        )
    return sources


def _load_intents(
    root: Path, problems: Collector
) -> tuple[dict[str, Intent], dict[str, str], dict[str, tuple[str, ...]]]:
    intents: dict[str, Intent] = {}
    synonyms: dict[str, str] = {}
    lookups: dict[str, tuple[str, ...]] = {}
    seen: dict[str, tuple[str, Where]] = {}
    for path, file in content_files(root, "intents"):
        if path.name in NOT_NLU_FILES:
            continue
        data = problems.read(path)
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
            problems.add(file, line_of(data), "expected Rasa NLU data: `version` and an `nlu:` list")
            continue
        for item in data["nlu"]:
            _load_nlu_item(item, file, problems, intents, synonyms, lookups, seen)
    return intents, synonyms, lookups


def _load_nlu_item(
    item: Any,
    file: str,
    problems: Collector,
    intents: dict[str, Intent],
    synonyms: dict[str, str],
    lookups: dict[str, tuple[str, ...]],
    seen: dict[str, tuple[str, Where]],
) -> None:
    line = line_of(item)
    if not isinstance(item, dict) or not isinstance(item.get("examples"), str):
        problems.add(file, line, "each nlu item needs `examples: |` with `- ` lines")
        return
    kinds = [k for k in ("intent", "synonym", "lookup", "regex") if k in item]
    if len(kinds) != 1:
        problems.add(file, line, "an nlu item names exactly one of intent, synonym, lookup, regex")
        return
    kind, name = kinds[0], str(item[kinds[0]])
    lines = _example_lines(item["examples"], file, problems)
    if kind == "intent":
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            problems.add(file, line, f"intent name {name!r} must be lowercase letters and _")
        if name in intents:
            problems.add(file, line, f"intent {name!r} is defined twice (first at {intents[name].where})")
        examples = tuple(_parse_example(text, Where(file, n), problems) for text, n in lines)
        for example in examples:
            key = normalize_example(example.text)
            if key in seen:
                other_intent, other_where = seen[key]
                problems.add(
                    file, example.where.line,
                    f"duplicate example {example.text!r} (also in {other_intent} at {other_where})",
                )
            else:
                seen[key] = (name, example.where)
        intents[name] = Intent(name, examples, Where(file, line))
    elif kind == "synonym":
        for text, _ in lines:
            synonyms[text.lower()] = name.lower()
    elif kind == "lookup":
        lookups[name] = tuple(text.lower() for text, _ in lines)


def _example_lines(block: str, file: str, problems: Collector) -> list[tuple[str, int]]:
    first = getattr(block, "first_text_line", line_of(block))
    lines: list[tuple[str, int]] = []
    for offset, raw in enumerate(block.splitlines()):
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("- ") or not stripped[2:].strip():
            problems.add(file, first + offset, f"example line must start with '- ': {stripped!r}")
            continue
        lines.append((stripped[2:].strip(), first + offset))
    return lines


def _parse_example(raw: str, where: Where, problems: Collector) -> Example:
    entities: list[Entity] = []
    plain: list[str] = []
    position = 0
    cursor = 0
    for match in _ANNOTATION.finditer(raw):
        plain.append(raw[cursor:match.start()])
        position += match.start() - cursor
        text = match["text"]
        entity, value = _annotation_target(match, where, problems)
        if entity == "site" and value not in catalog.SITES:
            problems.add(where.file, where.line, f"unknown site {value!r}; use one of {catalog.SITES}")
        entities.append(Entity(entity, value, position, position + len(text)))
        plain.append(text)
        position += len(text)
        cursor = match.end()
    plain.append(raw[cursor:])
    return Example("".join(plain), tuple(entities), where)


def _annotation_target(match: re.Match[str], where: Where, problems: Collector) -> tuple[str, str]:
    text = match["text"]
    if match["short"]:
        entity, _, value = match["short"].partition(":")
        return entity.strip(), (value or text).strip().lower()
    try:
        spec = json.loads(match["json"])
        return str(spec["entity"]), str(spec.get("value", text)).lower()
    except (ValueError, KeyError, TypeError):
        problems.add(where.file, where.line, f"bad entity annotation {match.group(0)!r}")
        return "unknown", text.lower()


# --- across files ----------------------------------------------------------------------------


def _cross_check(
    problems: Collector, intents: Mapping[str, Intent], responses: Mapping[str, Response]
) -> None:
    for intent in catalog.ALL_INTENTS:
        if intent not in intents:
            problems.add("intents/", 1, f"intent {intent!r} from the catalog is not defined")
    for intent in intents.values():
        if catalog.utter_name(intent.name) not in responses:
            problems.add(intent.where.file, intent.where.line,
                         f"intent {intent.name!r} has no response utter_{intent.name}")
    for name in catalog.SYSTEM_RESPONSES:
        if name not in responses:
            problems.add("responses/", 1, f"response {name!r} used by the bot is not defined")
    for response in responses.values():
        for variant in response.variants:
            for button in variant.buttons:
                target = button_intent(button.payload)
                if target is None or target[0] not in intents:
                    problems.add(variant.where.file, variant.where.line,
                                 f"{response.name}: button payload {button.payload!r} "
                                 "names no known intent")
