"""Red-flag triage: the safety corpus, and the rules of DESIGN.md by example."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from bot.content import Content
from bot.nlu import Classifier
from bot.text import simplify
from bot.triage import Triage, Triager, _matches, _PatternIndex, rank

DATA = Path(__file__).parent / "data"
# The first corpus was written with the lexicon; the blind ones by people who never saw it.
CORPORA = ("red_flags.yml", "red_flags_blind.yml", "red_flags_blind2.yml", "red_flags_blind3.yml",
           "red_flags_blind4.yml")


def _corpus(name: str) -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assess(content: Content, classifier: Classifier):  # type: ignore[no-untyped-def]
    triager = Triager(content.triage, fever_line_f=101.0)

    def run(text: str, awaiting: bool = False) -> Triage:
        return triager.assess(text, classifier.normalize(text), awaiting)

    return run


@pytest.mark.parametrize("name", CORPORA[:3])
def test_corpus_is_big_enough(name: str) -> None:
    corpus = _corpus(name)
    assert len(corpus["reports"]) >= 150
    assert len(corpus["lookalikes"]) >= 100


@pytest.mark.parametrize("name", CORPORA)
def test_every_red_flag_report_escalates_at_its_level_or_higher(assess, name: str) -> None:  # type: ignore[no-untyped-def]
    missed = [(r["text"], r["level"], assess(r["text"]).level) for r in _corpus(name)["reports"]
              if rank(assess(r["text"]).level) < rank(r["level"])]
    assert missed == []


@pytest.mark.parametrize("name", CORPORA)
def test_lookalikes_rarely_escalate(assess, name: str) -> None:  # type: ignore[no-untyped-def]
    lookalikes = _corpus(name)["lookalikes"]
    escalated = [r["text"] for r in lookalikes if assess(r["text"]).alerts]
    assert len(escalated) <= 0.02 * len(lookalikes), escalated


@pytest.mark.parametrize(("text", "level", "flag"), [
    ("temp 102", "urgent", "fever"),
    ("38.9C", "urgent", "fever"),
    ("fever of one hundred two", "urgent", "fever"),
    ("TEMP 101.5", "urgent", "fever"),
    ("my wife has a fever of 102", "urgent", "fever"),
    ("cant pee", "urgent", "urination_trouble"),
    ("pus where the needle was", "urgent", "pus_discharge"),
    ("the redness is spreading", "urgent", "redness_spreading"),
    ("i cant breathe", "emergency", "breathing_trouble"),
    ("i want to kill myself", "emergency", "self_harm"),
    ("when can i shower, also i have a fever of 102", "urgent", "fever"),
])
def test_red_flags_in_odd_wording(assess, text: str, level: str, flag: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert verdict.level == level
    assert flag in verdict.red_flags


def test_emergency_beats_urgent(assess) -> None:  # type: ignore[no-untyped-def]
    verdict = assess("temp 102 and i cant breathe")
    assert verdict.level == "emergency"
    assert verdict.red_flags[0] == "breathing_trouble"
    assert "fever" in verdict.red_flags


@pytest.mark.parametrize("text", ["no fever", "what if i get a fever?", "is bleeding a side effect?",
                                  "the swelling has gone down", "temp 99.1"])
def test_negations_and_questions_do_not_escalate(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not assess(text).alerts


def test_fever_without_a_number_asks_for_it(assess) -> None:  # type: ignore[no-untyped-def]
    verdict = assess("I have a fever")
    assert (verdict.level, verdict.needs_temperature) == ("check", True)


def test_a_bare_number_counts_only_when_a_temperature_was_asked(assess) -> None:  # type: ignore[no-untyped-def]
    assert assess("101.8", awaiting=True).level == "urgent"
    assert assess("102", awaiting=False).level == "none"
    assert assess("room 102").level == "none"


@pytest.mark.parametrize("text", ["my temp is 10", "temperature 200"])
def test_impossible_temperatures_ask_to_measure_again(assess, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = assess(text)
    assert (verdict.level, verdict.remeasure) == ("check", True)


def test_the_fever_line_is_the_clinics(content: Content) -> None:
    strict = Triager(content.triage, fever_line_f=100.4)
    assert strict.assess("temp 100.6").level == "urgent"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 100.6").level == "none"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 38.4C").level == "urgent"
    assert Triager(content.triage, fever_line_f=101.0).assess("temp 38.3C").level == "none"


# Letters a pattern's ASCII letters match when case is ignored, though they lower to something else:
# the dotless and dotted i of Turkish, the long s, the Kelvin sign.
LOOKALIKES = {"i": "\u0131", "I": "\u0130", "s": "\u017f", "k": "\u212a"}
TRICKY_PATTERNS = [
    r"(cant|can not) (\w+ ){0,2}breathe", r"(?<!nearly had a )heart attack", r"stitch\w*", r"[a-c]x+y",
    r"(a )?(big|huge)? ?lump", r"SHORT(ness)? of breath", r"\d+ ?pads", r"x{0,3}yz", r"ok", r"(?i:Pus)",
    r"(lips|face) (\w+ ){0,2}(blue|grey)", r"sob(?! story)", r"fe[vw]+er\b", r"[-.]?lump",
]


def _index_finds(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[tuple[str, int, int]]:
    index = _PatternIndex(patterns)  # type: ignore[arg-type]
    return [(pattern.pattern, *match.span()) for _, pattern, starts in index.candidates(text)
            for match in _matches(pattern, text, starts)]


def _finditer_finds(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[tuple[str, int, int]]:
    return [(pattern.pattern, *match.span()) for _, pattern in patterns for match in pattern.finditer(text)]


def test_the_pattern_index_finds_what_searching_every_pattern_finds(content: Content,
                                                                    classifier: Classifier) -> None:
    patterns = [(flag.name, pattern) for flag in content.triage.red_flags for pattern in flag.patterns]
    texts = [r["text"] for name in CORPORA for part in ("reports", "lookalikes") for r in _corpus(name)[part]]
    forms = [form for text in texts for form in (simplify(text), classifier.normalize(text), text.upper())]
    forms += ["".join(LOOKALIKES.get(c, c) for c in text) for text in forms[::7]]
    for form in forms:
        assert _index_finds(patterns, form) == _finditer_finds(patterns, form), form


def test_the_pattern_index_reads_every_kind_of_pattern() -> None:
    # As content.py compiles them, and one without the word boundaries.
    patterns = [("", re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for p in TRICKY_PATTERNS]
    patterns.append(("", re.compile(r"ing\b", re.IGNORECASE)))
    rng = random.Random(3)
    alphabet = "abcxyz okpusfevwrlipsfacebluegreysobstitchlumpbighugeheartattack 0123 .,!'-\u00e9\U0001f642"
    alphabet += "".join(LOOKALIKES.values()) + "ABCXYZ OK"
    words = ["cant", "can not", "breathe", "nearly", "had", "a", "heart attack", "stitches", "big",
             "huge", "lump", "shortness", "of", "breath", "12 pads", "xxyz", "ok", "pus", "lips", "blue",
             "sob", "story", "fevvver", "fewer", "feeling", "big-lump", "a.lump"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(1500)]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(1500)]
    texts += [text.upper() for text in texts[-300:]]
    found = 0
    for text in texts:
        expected = _finditer_finds(patterns, text)
        assert _index_finds(patterns, text) == expected, text
        for alone in patterns:  # an index of patterns that all open with a letter looks at fewer places
            assert _index_finds([alone], text) == _finditer_finds([alone], text), (alone, text)
        found += len(expected)
    assert found > 1000  # the texts do exercise the patterns
