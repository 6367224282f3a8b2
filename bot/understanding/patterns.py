"""An index of regular expressions by the few strings their matches can open with, for fast search."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from re import _constants as sre  # re's own parser: the one source of truth for what a pattern means
from re import _parser
from typing import Any

from bot.content.model import RedFlag

_WORD_BOUNDARY = re.compile(r"\b")
_WORD_START = re.compile(r"\b(?=\w)")
# How many leading characters of a match the pattern index keys on.
_OPENING_SIZE = 4
# Deeper than this, a pattern's openings are not worked out: it is tried on every sentence.
_MAX_NESTING = 40
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


# A pattern that may match a text, and where its matches may begin (None: anywhere).
_Candidate = tuple[RedFlag, re.Pattern[str], list[int] | None]


class PatternIndex:
    """Which patterns can match a text, and where, from the few strings a match can open with.

    re's parser tells what each pattern's matches start with ("cant ", "unab", "shor"...); a text
    is tried only with the patterns whose openings stand at one of its word boundaries, and only
    there. Exact: the matches are those of `finditer`. Searching all 200-odd patterns everywhere
    cost most of triage.
    """

    def __init__(self, patterns: Sequence[tuple[RedFlag, re.Pattern[str]]]) -> None:
        self._everywhere: list[_Candidate] = [(flag, pattern, None) for flag, pattern in patterns]
        self._always: list[int] = []  # patterns whose openings are not known
        self._by_opening: dict[str, list[int]] = {}
        for number, (_, pattern) in enumerate(patterns):
            openings = _openings(pattern)
            if openings is None:
                self._always.append(number)
            for opening in openings or ():
                self._by_opening.setdefault(opening, []).append(number)
        self._sizes = sorted({len(opening) for opening in self._by_opening})
        # A match that opens with a letter or digit starts a word: other boundaries need no look.
        starting_words = all(opening[0].isalnum() or opening[0] == "_" for opening in self._by_opening)
        self._places = _WORD_START if starting_words else _WORD_BOUNDARY

    def candidates(self, text: str) -> list[_Candidate]:
        """The patterns that may match `text`, in lexicon order."""
        if not _case_is_plain(text):
            return self._everywhere
        lowered = text.lower()
        starts: dict[int, list[int]] = {}
        for place in self._places.finditer(lowered):
            position = place.start()
            for size in self._sizes:
                for number in self._by_opening.get(lowered[position:position + size], ()):
                    found = starts.setdefault(number, [])
                    if not found or found[-1] != position:
                        found.append(position)
        numbers = sorted({*starts, *self._always})
        return [(*self._everywhere[number][:2], starts.get(number)) for number in numbers]


def matches(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds, trying only `starts`, where a match may begin."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            yield match
            end = match.end()  # finditer goes on from there; no match is empty, as no opening is


def _case_is_plain(text: str) -> bool:
    """True when lowering `text` shows every way its letters can match a pattern's, ignoring case.

    Outside ASCII, some letters match ASCII ones in ways that lowering does not show (the dotless
    i of Turkish matches "i"): text with any letter that has a case there is tried on every pattern.
    """
    return text.isascii() or all(c.isascii() or c.lower() == c == c.upper() for c in text)


@cache  # a lexicon's patterns are parsed once, however many triagers use them
def _openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lowercase strings every match of `pattern` opens with, at a word boundary (None: any)."""
    nodes = list(_parser.parse(pattern.pattern, pattern.flags))
    if nodes[:1] != [(sre.AT, sre.AT_BOUNDARY)]:
        return None
    found = _starts(nodes, _OPENING_SIZE, 0)
    return None if found is None or "" in found else frozenset(found)


def _starts(nodes: list[Any], size: int, nesting: int) -> set[str] | None:
    """The first `size` characters of the matches of `nodes` (None: not even the first is known).

    Fewer where a match may end there, or where the next character is not known.
    """
    if size == 0 or not nodes:
        return {""}
    if nesting > _MAX_NESTING:
        return None
    (op, value), rest = nodes[0], nodes[1:]
    if op in _ZERO_WIDTH:
        return _starts(rest, size, nesting)
    if op is sre.SUBPATTERN:
        return _starts([*value[-1], *rest], size, nesting)
    if op is sre.BRANCH:
        return _union(_starts([*branch, *rest], size, nesting + 1) for branch in value[1])
    if op in _REPEATS:
        least, most, body = value
        once_more = [*body, (op, (max(least - 1, 0), most - 1, body)), *rest]
        choices = ([] if least else [rest]) + ([once_more] if most else [])
        return _union(_starts(choice, size, nesting + 1) for choice in choices)
    first = _characters(op, value)
    if first is None:
        return None
    tails = _starts(rest, size - 1, nesting)
    return first if tails is None else {c + tail for c in first for tail in tails}


def _union(parts: Iterable[set[str] | None]) -> set[str] | None:
    union: set[str] = set()
    for part in parts:
        if part is None:
            return None
        union |= part
    return union


def _characters(op: Any, value: Any) -> set[str] | None:
    """The lowercase ASCII characters one parsed item matches; None when others may match too."""
    if op is sre.LITERAL:
        found = {chr(value).lower()}
    elif op is sre.IN and all(kind in (sre.LITERAL, sre.RANGE) for kind, _ in value):
        found = set()
        for kind, item in value:
            low, high = (item, item) if kind is sre.LITERAL else item
            if not chr(high).isascii():
                return None
            found |= {chr(code).lower() for code in range(low, high + 1)}
    else:
        return None
    return found if all(c.isascii() for c in found) else None


def joined(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of `patterns` matches (an empty list matches nothing)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
