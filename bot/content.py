"""Loads intents/, responses/ and seeds/ once into frozen dataclasses, validating as it goes."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot import catalog
from bot.yamlfile import ContentError, Problem, Where, line_of, read_yaml

TELEGRAM_MESSAGE_LIMIT = 4096
TELEGRAM_CALLBACK_LIMIT = 64
RED_FLAGS_FILE = "red_flags.yml"
SYNONYMS_FILE = "synonyms.yml"
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))"
)
_BUTTON_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")


@dataclass(frozen=True)
class Entity:
    """An entity annotated in a training example."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One training example, annotations removed."""

    text: str
    entities: tuple[Entity, ...]
    where: Where


@dataclass(frozen=True)
class Intent:
    """An intent and its examples."""

    name: str
    examples: tuple[Example, ...]
    where: Where


@dataclass(frozen=True)
class Button:
    """A button under a reply; the payload is a Rasa-style `/intent` or `/intent{json}`."""

    title: str
    payload: str


@dataclass(frozen=True)
class Variant:
    """One way of saying a response, used when its slot conditions hold."""

    text: str
    sources: tuple[str, ...]
    buttons: tuple[Button, ...]
    condition: Mapping[str, str]
    where: Where

    def applies(self, slots: Mapping[str, Any]) -> bool:
        """True when every condition matches the chat's slots."""
        return all(slots.get(name) == value for name, value in self.condition.items())


@dataclass(frozen=True)
class Response:
    """A named response with its variants, most specific first."""

    name: str
    variants: tuple[Variant, ...]
    where: Where

    def pick(self, slots: Mapping[str, Any]) -> Variant:
        """The first variant whose conditions hold (the last is the unconditional default)."""
        for variant in self.variants:
            if variant.applies(slots):
                return variant
        return self.variants[-1]


@dataclass(frozen=True)
class Source:
    """A reviewed source page, as registered in seeds/sources.yml."""

    id: str
    short_name: str
    title: str
    publisher: str
    url: str | None
    reviewed: dt.date
    review_interval_days: int
    license: str


@dataclass(frozen=True)
class RedFlag:
    """A sign that needs a call, and the patterns that find it in patient text."""

    name: str
    level: str
    label: str
    sources: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    needs_temperature: bool
    where: Where


@dataclass(frozen=True)
class TriageLexicon:
    """The red-flag lexicon and the cues that cancel a match (negation, hypotheticals)."""

    red_flags: tuple[RedFlag, ...]
    negation_before: tuple[re.Pattern[str], ...]
    negation_after: tuple[re.Pattern[str], ...]
    hypothetical: tuple[re.Pattern[str], ...]
    unrelated: tuple[re.Pattern[str], ...]
    report_markers: tuple[re.Pattern[str], ...]
    temperature_words: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Content:
    """Everything the bot knows and says, validated."""

    root: Path
    intents: Mapping[str, Intent]
    responses: Mapping[str, Response]
    sources: Mapping[str, Source]
    synonyms: Mapping[str, str]
    lookups: Mapping[str, tuple[str, ...]]
    triage: TriageLexicon

    def response(self, name: str) -> Response:
        """A response by name (validated to exist for every name the code uses)."""
        return self.responses[name]


class _Collector:
    """Gathers problems so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(Where(file, line), message))

    def read(self, path: Path) -> Any:
        try:
            return read_yaml(path, self.root)
        except ContentError as error:
            self.problems.extend(error.problems)
            return None


def normalize_example(text: str) -> str:
    """The form two examples are compared in: lowercase, no punctuation, single spaces."""
    stripped = text.lower().translate(str.maketrans("", "", string.punctuation))
    return " ".join(stripped.split())


def load_content(root: Path) -> Content:
    """Load and validate the content under `root`; raise ContentError listing every problem."""
    problems = _Collector(root)
    sources = _load_sources(root, problems)
    intents, synonyms, lookups = _load_intents(root, problems)
    triage = _load_triage(root, problems, sources)
    responses = _load_responses(root, problems, sources)
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
    )


# --- seeds -----------------------------------------------------------------------------------

_SOURCE_FIELDS = ("id", "short_name", "title", "publisher", "reviewed", "review_interval_days",
                  "license")


def _load_sources(root: Path, problems: _Collector) -> dict[str, Source]:
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
        sources[str(entry["id"])] = Source(
            id=str(entry["id"]),
            short_name=str(entry["short_name"]),
            title=str(entry["title"]),
            publisher=str(entry["publisher"]),
            url=str(entry["url"]) if entry.get("url") else None,
            reviewed=entry["reviewed"],
            review_interval_days=int(entry["review_interval_days"]),
            license=str(entry["license"]),
        )
    return sources


# --- intents ---------------------------------------------------------------------------------


def _content_files(root: Path, folder: str) -> Iterator[tuple[Path, str]]:
    for path in sorted((root / folder).glob("*.yml")):
        yield path, f"{folder}/{path.name}"


def _load_intents(
    root: Path, problems: _Collector
) -> tuple[dict[str, Intent], dict[str, str], dict[str, tuple[str, ...]]]:
    intents: dict[str, Intent] = {}
    synonyms: dict[str, str] = {}
    lookups: dict[str, tuple[str, ...]] = {}
    seen: dict[str, tuple[str, Where]] = {}
    for path, file in _content_files(root, "intents"):
        if path.name == RED_FLAGS_FILE:
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
    problems: _Collector,
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


def _example_lines(block: str, file: str, problems: _Collector) -> list[tuple[str, int]]:
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


def _parse_example(raw: str, where: Where, problems: _Collector) -> Example:
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


def _annotation_target(match: re.Match[str], where: Where, problems: _Collector) -> tuple[str, str]:
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


# --- red flags -------------------------------------------------------------------------------


# A gap of words in a red-flag pattern, `(\w+ ){0,3}`, never steps over a negation:
# "dressing is dry, no discharge" must not read as "dressing ... discharge".
_GAP = re.compile(r"\(\\w\+ \)(\{\d*,\d*\})")
_GAP_WITHOUT_NEGATION = r"(?:(?!(?:no|not|without|never|nothing|none|nor)\\b)\\w+ )\1"


def _compile(patterns: Any, file: str, line: int, problems: _Collector,
             gaps_stop_at_negation: bool = False) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not patterns:
        problems.add(file, line, "expected a non-empty list of patterns")
        return ()
    compiled = []
    for index, pattern in enumerate(patterns):
        item_line = patterns.item_lines[index] if hasattr(patterns, "item_lines") else line
        if gaps_stop_at_negation and isinstance(pattern, str):
            pattern = _GAP.sub(_GAP_WITHOUT_NEGATION, pattern)
        try:
            compiled.append(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
        except (re.error, TypeError) as error:
            problems.add(file, item_line, f"pattern {pattern!r} does not compile: {error}")
    return tuple(compiled)


def _load_triage(root: Path, problems: _Collector, sources: Mapping[str, Source]) -> TriageLexicon:
    file = f"intents/{RED_FLAGS_FILE}"
    data = problems.read(root / file)
    empty = TriageLexicon((), (), (), (), (), (), ())
    if data is None:
        return empty
    if not isinstance(data, dict) or not isinstance(data.get("red_flags"), list):
        problems.add(file, line_of(data), "expected `cues:` and a `red_flags:` list")
        return empty
    cues = data.get("cues") if isinstance(data.get("cues"), dict) else {}
    cue_line = line_of(cues, line_of(data))

    def cue(name: str) -> tuple[re.Pattern[str], ...]:
        return _compile(cues.get(name), file, cue_line, problems)

    flags = tuple(
        flag for flag in (_load_flag(item, file, problems, sources) for item in data["red_flags"])
        if flag is not None
    )
    names = [flag.name for flag in flags]
    for flag in flags:
        if names.count(flag.name) > 1:
            problems.add(file, flag.where.line, f"red flag {flag.name!r} is defined twice")
    return TriageLexicon(
        red_flags=flags,
        negation_before=cue("negation_before"),
        negation_after=cue("negation_after"),
        hypothetical=cue("hypothetical"),
        unrelated=cue("unrelated"),
        report_markers=cue("report_markers"),
        temperature_words=cue("temperature_words"),
    )


def _load_flag(
    item: Any, file: str, problems: _Collector, sources: Mapping[str, Source]
) -> RedFlag | None:
    line = line_of(item)
    if not isinstance(item, dict) or not item.get("name") or not item.get("label"):
        problems.add(file, line, "a red flag needs name, level, label, sources and patterns")
        return None
    level = item.get("level")
    if level not in catalog.ALERT_LEVELS and level != "check":
        problems.add(file, line, f"level {level!r} must be urgent, emergency or check")
    flag_sources = tuple(str(s) for s in item.get("sources") or ())
    _check_source_ids(flag_sources, sources, file, line, problems)
    return RedFlag(
        name=str(item["name"]),
        level=str(level),
        label=str(item["label"]),
        sources=flag_sources,
        patterns=_compile(item.get("patterns"), file, line, problems, gaps_stop_at_negation=True),
        needs_temperature=bool(item.get("needs_temperature", False)),
        where=Where(file, line),
    )


def _check_source_ids(
    ids: tuple[str, ...], sources: Mapping[str, Source], file: str, line: int, problems: _Collector
) -> None:
    if not ids:
        problems.add(file, line, "cite at least one source id")
    for source_id in ids:
        if source_id not in sources:
            problems.add(file, line, f"unknown source id {source_id!r}")


# --- responses -------------------------------------------------------------------------------


def _load_responses(
    root: Path, problems: _Collector, sources: Mapping[str, Source]
) -> dict[str, Response]:
    responses: dict[str, Response] = {}
    for path, file in _content_files(root, "responses"):
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
    name: str, variants: Any, file: str, line: int, problems: _Collector,
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
    item: Any, name: str, file: str, problems: _Collector, sources: Mapping[str, Source]
) -> Variant | None:
    line = line_of(item)
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
        problems.add(file, line, f"{name}: each variant needs a non-empty `text:`")
        return None
    text = item["text"].strip()
    metadata = item.get("metadata") or {}
    cited = tuple(str(s) for s in (metadata.get("sources") or ()) if isinstance(metadata, dict))
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
    )


def _placeholders(text: str) -> list[str]:
    try:
        return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:
        return ["<unbalanced braces>"]


def _load_condition(
    condition: Any, name: str, file: str, line: int, problems: _Collector
) -> dict[str, str]:
    if condition is None:
        return {}
    if not isinstance(condition, list):
        problems.add(file, line, f"{name}: condition must be a list of slot conditions")
        return {}
    result: dict[str, str] = {}
    for entry in condition:
        if not isinstance(entry, dict) or entry.get("type") != "slot" or entry.get("name") != "site":
            problems.add(file, line, f"{name}: only `type: slot, name: site` conditions are known")
            continue
        if entry.get("value") not in catalog.SITES:
            problems.add(file, line, f"{name}: unknown site {entry.get('value')!r}")
        result["site"] = str(entry.get("value"))
    return result


def _load_buttons(
    buttons: Any, name: str, file: str, line: int, problems: _Collector
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


def button_intent(payload: str) -> tuple[str, dict[str, str]] | None:
    """The intent and entities a button payload names, or None when it is malformed."""
    match = _BUTTON_PAYLOAD.match(payload)
    if not match:
        return None
    entities: dict[str, str] = {}
    if match["entities"]:
        try:
            parsed = json.loads(match["entities"])
        except ValueError:
            return None
        if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
            return None
        entities = {str(k): v for k, v in parsed.items()}
    return match["intent"], entities


# --- across files ----------------------------------------------------------------------------


def _cross_check(
    problems: _Collector, intents: Mapping[str, Intent], responses: Mapping[str, Response]
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
        knowledge = response.name.removeprefix("utter_") in catalog.KNOWLEDGE_INTENTS
        for variant in response.variants:
            if knowledge and not variant.sources:
                problems.add(variant.where.file, variant.where.line,
                             f"{response.name}: a knowledge answer must cite its sources")
            for button in variant.buttons:
                target = button_intent(button.payload)
                if target is None or target[0] not in intents:
                    problems.add(variant.where.file, variant.where.line,
                                 f"{response.name}: button payload {button.payload!r} "
                                 "names no known intent")
