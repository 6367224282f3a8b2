"""Loads responses/: Rasa domain responses, their variants, sources, conditions and buttons."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.content import catalog
from bot.content.model import TELEGRAM_CALLBACK_LIMIT, Button, Response, Source, Variant
from bot.content.trace import load_trace
from bot.content.yamlfile import Collector, Where, line_of


def content_files(root: Path, folder: str) -> Iterator[tuple[Path, str]]:
    """The YAML files of one content folder, in name order, with their shown paths."""
    for path in sorted((root / folder).glob("*.yml")):
        yield path, f"{folder}/{path.name}"


def load_responses(
    root: Path, problems: Collector, sources: Mapping[str, Source]
) -> dict[str, Response]:
    responses: dict[str, Response] = {}
    for path, file in content_files(root, "responses"):
        data = problems.read(path)
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("responses"), dict):
            problems.add(file, line_of(data), "expected Rasa domain data with a `responses:` mapping")
            continue
        for name, variants in data["responses"].items():
            line = data["responses"].key_lines.get(name, 1)
            if name in responses:
                first = responses[name].where
                problems.add(file, line, f"response {name!r} is defined twice (first at {first})")
            response = _load_response(str(name), variants, file, line, problems, sources)
            if response is not None:
                responses[name] = response
    return responses


def _load_response(
    name: str, variants: Any, file: str, line: int, problems: Collector,
    sources: Mapping[str, Source],
) -> Response | None:
    if not name.startswith("utter_"):
        problems.add(file, line, f"response name {name!r} must start with utter_")
    if not isinstance(variants, list) or not variants:
        problems.add(file, line, f"{name}: expected a list of variants with `text:`")
        return None
    loaded = tuple(
        v for v in (_load_variant(item, name, file, problems, sources) for item in variants) if v
    )
    if loaded and loaded[-1].condition:
        problems.add(file, line, f"{name}: the last variant must have no condition (the default)")
    return Response(name, loaded, Where(file, line)) if loaded else None


def _load_variant(
    item: Any, name: str, file: str, problems: Collector, sources: Mapping[str, Source]
) -> Variant | None:
    line = line_of(item)
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
        problems.add(file, line, f"{name}: each variant needs a non-empty `text:`")
        return None
    text = item["text"].strip()
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, dict):
        problems.add(file, line, f"{name}: metadata must be a mapping")
        metadata = {}
    cited = tuple(str(s) for s in (metadata.get("sources") or ()))
    for source_id in cited:
        if source_id not in sources:
            problems.add(file, line, f"{name}: unknown source id {source_id!r}")
    for placeholder in _placeholders(text):
        if placeholder not in catalog.PLACEHOLDERS:
            problems.add(file, line, f"{name}: unknown placeholder {{{placeholder}}}")
    return Variant(
        text=text,
        sources=cited,
        buttons=_load_buttons(item.get("buttons"), name, file, line, problems),
        condition=MappingProxyType(_load_condition(item.get("condition"), name, file, line, problems)),
        where=Where(file, line),
        trace=load_trace(metadata, cited, sources, Where(file, line), name, problems),
    )


def _placeholders(text: str) -> list[str]:
    try:
        return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:
        return ["<unbalanced braces>"]


def _load_condition(
    condition: Any, name: str, file: str, line: int, problems: Collector
) -> dict[str, str]:
    if condition is None:
        return {}
    if not isinstance(condition, list):
        problems.add(file, line, f"{name}: condition must be a list of slot conditions")
        return {}
    result: dict[str, str] = {}
    known = {"site": catalog.SITES, "lang": catalog.LANGUAGES}
    for entry in condition:
        if not isinstance(entry, dict) or entry.get("type") != "slot" or entry.get("name") not in known:
            problems.add(file, line, f"{name}: only `type: slot` conditions on site or lang are known")
            continue
        slot = str(entry["name"])
        if entry.get("value") not in known[slot]:
            problems.add(file, line, f"{name}: unknown {slot} {entry.get('value')!r}")
        result[slot] = str(entry.get("value"))
    return result


def _load_buttons(
    buttons: Any, name: str, file: str, line: int, problems: Collector
) -> tuple[Button, ...]:
    if buttons is None:
        return ()
    if not isinstance(buttons, list):
        problems.add(file, line, f"{name}: buttons must be a list of title and payload")
        return ()
    loaded = []
    for button in buttons:
        if not isinstance(button, dict) or not button.get("title") or not button.get("payload"):
            problems.add(file, line_of(button, line), f"{name}: a button needs title and payload")
            continue
        payload = str(button["payload"])
        if len(payload.encode()) > TELEGRAM_CALLBACK_LIMIT:
            problems.add(file, line_of(button, line),
                         f"{name}: button payload is over Telegram's {TELEGRAM_CALLBACK_LIMIT} bytes")
        loaded.append(Button(str(button["title"]), payload))
    return tuple(loaded)


