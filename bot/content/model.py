"""The content as frozen dataclasses: intents, responses, sources, the red-flag lexicon."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.yamlfile import Where

TELEGRAM_MESSAGE_LIMIT = 4096
TELEGRAM_CALLBACK_LIMIT = 64
RED_FLAGS_FILE = "red_flags.yml"
SYMPTOM_REPORTS_FILE = "symptom_reports.yml"
SEVERITY_FILE = "severity.yml"
# The files of intents/ that are not Rasa NLU training data.
NOT_NLU_FILES = (RED_FLAGS_FILE, SYMPTOM_REPORTS_FILE, SEVERITY_FILE)
SYNONYMS_FILE = "synonyms.yml"
_BUTTON_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$")



def telegram_length(text: str) -> int:
    """How long Telegram counts `text` as we send it: UTF-16 units of its escaped HTML form."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return len(escaped.encode("utf-16-le")) // 2

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
class Claim:
    """Where on a source page one claim of an answer comes from: `source#section: what it says`."""

    source: str
    section: str
    says: str


@dataclass(frozen=True)
class Trace:
    """What a variant rests on, for the content owner's audit (metadata beyond `sources`)."""

    claims: tuple[Claim, ...] = ()
    reviewed: dt.date | None = None
    also: tuple[str, ...] = ()  # topics beyond its own the variant speaks to (when_to_call)
    no_facts: str = ""  # why a response in a fact file cites nothing


@dataclass(frozen=True)
class Variant:
    """One way of saying a response, used when its slot conditions hold."""

    text: str
    sources: tuple[str, ...]
    buttons: tuple[Button, ...]
    condition: Mapping[str, str]
    where: Where
    trace: Trace = Trace()

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
    sections: Mapping[str, str]
    topics: tuple[str, ...]


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
    # Reported even when said to be over: "I fainted but I'm fine now" still needs a call.
    even_if_over: bool = False
    # Reported even in a question or after an "if", and not undone by the words after it: any wording
    # of self-harm is an emergency (the rubric).
    even_if_asked: bool = False
    # The patterns written for another language than English, by language ("es": patterns_es).
    other_languages: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    # The rubric's "check": a message saying only a little or only vaguely what it is (`vague`: "some
    # blood on the dressing", "something is leaking"), with nothing giving the deciding detail
    # (`detailed`: it goes on, it is thick and yellow), asks for it instead of alerting.
    vague: tuple[re.Pattern[str], ...] = ()
    detailed: tuple[re.Pattern[str], ...] = ()
    # A heavier form of other signs: found when one of them is, told with what makes it heavier (`told_by`:
    # bleeding "a pad every half hour", "clots the size of a grape"; weakness "all of a sudden").
    heavier_form_of: tuple[str, ...] = ()
    told_by: tuple[re.Pattern[str], ...] = ()


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
    # Unwell now, said in no sign's words ("no me siento bien"): the safety net asks the checklist.
    feeling_unwell: tuple[re.Pattern[str], ...] = ()
    # Playing it down ("probably nothing"): a message the severity model raises for these words alone is not.
    playing_down: tuple[re.Pattern[str], ...] = ()
    # A list of signs copied or asked for: its signs named, not reported, unless someone has them.
    list_of_signs: tuple[re.Pattern[str], ...] = ()
    has_it: tuple[re.Pattern[str], ...] = ()
    # Calm contexts by kind (weather, habit, improving...): a sentence with one reports nothing.
    context: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    # The calm kinds about some signs only ("it was only water": bleeding, not vomiting), with those signs.
    calms_only: Mapping[str, frozenset[str]] = field(default_factory=dict)


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
    # The symptom-report detector's own examples: (text, reports a symptom now).
    symptom_reports: tuple[tuple[str, bool], ...] = ()
    # The severity model's own examples: (text, "emergency", "urgent" or "calm").
    severity_examples: tuple[tuple[str, str], ...] = ()

    def response(self, name: str) -> Response:
        """A response by name (validated to exist for every name the code uses)."""
        return self.responses[name]


def normalize_example(text: str) -> str:
    """The form two examples are compared in: lowercase, no punctuation, single spaces."""
    stripped = text.lower().translate(str.maketrans("", "", string.punctuation))
    return " ".join(stripped.split())


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
