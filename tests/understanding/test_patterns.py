"""The pattern index: it finds exactly what searching every pattern finds."""

from __future__ import annotations

import functools
import random
import re

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from bot.understanding.patterns import Cues, PatternIndex, matches
from bot.understanding.text import simplify
from tests.understanding.test_triage import CORPORA, corpus

# Letters a pattern's ASCII letters match when case is ignored, though they lower to something else:
# the dotless and dotted i of Turkish, the long s, the Kelvin sign.
LOOKALIKES = {"i": "\u0131", "I": "\u0130", "s": "\u017f", "k": "\u212a"}
TRICKY_PATTERNS = [
    r"(cant|can not) (\w+ ){0,2}breathe", r"(?<!nearly had a )heart attack", r"stitch\w*", r"[a-c]x+y",
    r"(a )?(big|huge)? ?lump", r"SHORT(ness)? of breath", r"\d+ ?pads", r"x{0,3}yz", r"ok", r"(?i:Pus)",
    r"(lips|face) (\w+ ){0,2}(blue|grey)", r"sob(?! story)", r"fe[vw]+er\b", r"[-.]?lump",
    # Opening with a digit (tried only on a text with one, of any script), or maybe not.
    r"(\d+|\d\.\d) ?(c|f)", r"\d?x", r"(\d|a)b",
]


def _index_finds(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[tuple[str, int, int]]:
    index = _index(tuple(patterns))
    return [(pattern.pattern, *match.span()) for _, pattern, starts in index.candidates(text)
            for match in matches(pattern, text, starts)]


@functools.lru_cache(maxsize=64)  # building an index costs more than searching a text with it
def _index(patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> PatternIndex[str]:
    return PatternIndex(patterns)


def _finditer_finds(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> list[tuple[str, int, int]]:
    return [(pattern.pattern, *match.span()) for _, pattern in patterns for match in pattern.finditer(text)]


def test_the_pattern_index_finds_what_searching_every_pattern_finds(content: Content,
                                                                    classifier: Classifier) -> None:
    patterns = [(flag.name, pattern) for flag in content.triage.red_flags for pattern in flag.patterns]
    texts = [r["text"] for name in CORPORA for part in ("reports", "lookalikes") for r in corpus(name)[part]]
    forms = [form for text in texts for form in (simplify(text), classifier.normalize(text), text.upper())]
    forms += ["".join(LOOKALIKES.get(c, c) for c in text) for text in forms[::7]]
    for form in forms:
        assert _index_finds(patterns, form) == _finditer_finds(patterns, form), form


def test_the_pattern_index_reads_every_kind_of_pattern() -> None:
    # As the lexicon loader compiles them, and one without the word boundaries.
    patterns = [("", re.compile(rf"\b(?:{p})\b", re.IGNORECASE)) for p in TRICKY_PATTERNS]
    patterns.append(("", re.compile(r"ing\b", re.IGNORECASE)))
    rng = random.Random(3)
    alphabet = "abcxyz okpusfevwrlipsfacebluegreysobstitchlumpbighugeheartattack 0123 .,!'-\u00e9\U0001f642"
    alphabet += "".join(LOOKALIKES.values()) + "ABCXYZ OK" + "\u0663"  # an Arabic-Indic digit: \d reads it
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


def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """The cues as one pattern, as triage once searched them."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns) or "(?!)", re.IGNORECASE)


def test_cues_find_what_their_alternation_finds(content: Content) -> None:
    lexicon = content.triage
    lists = [lexicon.negation_before, lexicon.negation_after, lexicon.unrelated, lexicon.hypothetical,
             lexicon.report_markers, *lexicon.context.values()]
    texts = [r["text"] for name in CORPORA for part in ("reports", "lookalikes") for r in corpus(name)[part]]
    # Whole sentences, and the short windows around a sign that the negation cues read.
    forms = [simplify(text) for text in texts[::2]]
    forms += [" ".join(form.split()[start:start + 7]) for form in forms[::5] for start in range(0, 12, 4)]
    forms += [form.upper() for form in forms[::9]]
    forms += ["".join(LOOKALIKES.get(c, c) for c in form) for form in forms[::9]]
    found = 0
    for patterns in lists:
        cues, alternation = Cues(patterns), _alternation(patterns)
        for form in forms:
            expected = alternation.search(form)
            assert _span(cues.search(form)) == _span(expected), (form, patterns)
            assert _span(cues.match(form)) == _span(alternation.match(form)), form
            each = [match.span() for pattern in patterns for match in pattern.finditer(form)]
            assert [match.span() for match in cues.finditer(form)] == each, form
            found += expected is not None
    assert found > 500


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None
