"""`python -m bot check`: is the content sound? Every problem with its file and line."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path

from bot.content import catalog
from bot.content.audit import audit
from bot.content.loader import load_content
from bot.content.model import TELEGRAM_MESSAGE_LIMIT, Content, Variant
from bot.content.yamlfile import ContentError, Problem

MAX_GRADE = 8.0
# Fernández-Huerta's ease for Spanish: 60 to 70 is "normal" (about 8th grade), higher is easier.
MIN_SPANISH_EASE = 60.0
# Long enough to stand for any configured value when measuring message length.
_SAMPLE_VALUE = "x" * 40
# Placeholders read as a short phrase, so the reading grade is measured on words.
_SAMPLE_WORDS = {
    "care_team_phone": "555 0100",
    "emergency_number": "911",
    "crisis_line": "988",
    "fever_line_f": "101",
    "fever_line_c": "38.3",
    "temperature": "101.8",
    "site": "prostate",
}
# Only nurses read these (alerts, /alerts, /due, the digest and reminders), so they stay English.
NURSE_ONLY = frozenset({"utter_alert_nurse", "utter_alert_earlier_reports", "utter_alert_resent",
                        "utter_alert_acknowledged", "utter_acknowledge_button", "utter_ack_not_allowed",
                        "utter_open_alerts", "utter_no_open_alerts", "utter_no_such_alert",
                        "utter_alert_reminder", "utter_alert_oncall", "utter_due_header", "utter_due_none",
                        "utter_due_checkin", "utter_due_checkin_late", "utter_due_alert", "utter_digest",
                        "utter_digest_overdue"})
# The list of page titles under /sources: no words of its own to translate.
_NO_PROSE = frozenset({"utter_sources_list"})
# Written for nurses or built from lists, not read by patients as prose.
_NOT_GRADED = NURSE_ONLY | _NO_PROSE


def check(root: Path, today: dt.date | None = None) -> list[Problem]:
    """All problems in the content under `root` (empty when sound); reviews are dated to `today`."""
    try:
        content = load_content(root)
    except ContentError as error:
        return error.problems
    return [*_quality_problems(content), *_twin_problems(content), *audit(content, today or dt.date.today())]


def _quality_problems(content: Content) -> Iterator[Problem]:
    grade = _grader()
    for response in content.responses.values():
        for variant in response.variants:
            longest = _fill(variant.text, {})
            if len(longest) > TELEGRAM_MESSAGE_LIMIT:
                yield Problem(variant.where, f"{response.name}: {len(longest)} characters, over "
                              f"Telegram's {TELEGRAM_MESSAGE_LIMIT}")
            if response.name in _NOT_GRADED:
                continue
            sample = _fill(variant.text, _SAMPLE_WORDS)
            if variant.condition.get("lang") == "es":
                ease = _spanish_ease(sample)
                if ease < MIN_SPANISH_EASE:
                    yield Problem(variant.where, f"{response.name}: Fernández-Huerta reading ease {ease:.0f} "
                                  f"is under {MIN_SPANISH_EASE:g}; use shorter sentences and words")
                continue
            score = grade(sample)
            if score > MAX_GRADE:
                yield Problem(variant.where, f"{response.name}: reading grade {score:.1f} is above "
                              f"{MAX_GRADE:g}; use shorter sentences and words")


def _twin_problems(content: Content) -> Iterator[Problem]:
    """A patient may write in Spanish at any point, so every patient-facing variant needs both languages."""
    for response in content.responses.values():
        if response.name in _NOT_GRADED:
            continue
        by_situation: dict[frozenset[tuple[str, str]], dict[str, Variant]] = {}
        for variant in response.variants:
            situation = frozenset((k, v) for k, v in variant.condition.items() if k != "lang")
            by_situation.setdefault(situation, {}).setdefault(variant.condition.get("lang", "en"), variant)
        for twins in by_situation.values():
            if "es" not in twins:
                english = twins["en"]
                yield Problem(english.where, f"{response.name}: no Spanish twin for the variant at line "
                              f"{english.where.line}; add one with a `lang: es` condition before it")
            elif "en" not in twins:
                spanish = twins["es"]
                yield Problem(spanish.where, f"{response.name}: no English variant for the Spanish one at "
                              f"line {spanish.where.line} (same conditions without `lang`)")


def _fill(text: str, values: dict[str, str]) -> str:
    return text.format_map({name: values.get(name, _SAMPLE_VALUE) for name in catalog.PLACEHOLDERS})


def _grader():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        # textstat 0.7.3-0.7.4 import pkg_resources, which warns that it is deprecated.
        warnings.simplefilter("ignore")
        import textstat
    return textstat.flesch_kincaid_grade


def _spanish_ease(text: str) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import textstat
    textstat.set_lang("es")  # Spanish syllables
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en_US")


def main(root: Path) -> int:
    """Print every problem; exit status 1 if there is any."""
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in the content under {root}")
        return 1
    print(f"content OK: {root}")
    return 0
