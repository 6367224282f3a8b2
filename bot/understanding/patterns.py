"""An index of regular expressions by the few strings their matches can open with, for fast search."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from re import _constants as sre  # re's own parser: the one source of truth for what a pattern means
from re import _parser
from typing import Any, Generic, TypeVar

# How many leading characters of a match the pattern index keys on.
_OPENING_SIZE = 8
# Deeper than this, a pattern's openings are not worked out: it is tried on every sentence.
_MAX_NESTING = 40
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_IGNORING_CASE = re.compile("", re.IGNORECASE).flags
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
# A digit as patterns read `\d` (any script's; a pattern compiled ASCII-only reads fewer).
_DIGIT = re.compile(r"\d")


# What a pattern stands for (a red flag), the pattern, and where its matches may begin (None: anywhere).
Tag = TypeVar("Tag")
_Candidate = tuple[Tag, re.Pattern[str], list[int] | None]


class PatternIndex(Generic[Tag]):
    """Which patterns can match a text, and where, from the few strings a match can open with.

    re's parser tells what each pattern's matches start with ("cant ", "unab", "shor"...); a text
    is tried only with the patterns whose openings stand at one of its word boundaries, and only
    there. Exact: the matches are those of `finditer`. Searching all 200-odd patterns everywhere
    cost most of triage.
    """

    def __init__(self, patterns: Sequence[tuple[Tag, re.Pattern[str]]]) -> None:
        self._everywhere: list[_Candidate[Tag]] = [(flag, pattern, None) for flag, pattern in patterns]
        self._tags = [flag for flag, _ in patterns]
        self._patterns = [pattern for _, pattern in patterns]
        self._always: list[int] = []  # patterns whose openings are not known
        self._by_opening: dict[str, list[int]] = {}
        for number, (_, pattern) in enumerate(patterns):
            openings = _openings(pattern)
            if openings is None:
                self._always.append(number)
            for opening in openings or ():
                self._by_opening.setdefault(opening, []).append(number)
        # Where an opening stands, and the longest one there, found by one search: what the openings
        # that stand there open is that one's and its prefixes' (worked out once, here).
        self._openings_at = _trie_search(self._by_opening)
        self._opened_by = {opening: _numbers_of_prefixes(opening, self._by_opening)
                           for opening in self._by_opening}
        # Of the patterns tried everywhere, those whose every match opens with a digit ("39 c to f") are
        # not tried on a text without one (most messages): they cost most of the context layer.
        self._digit_first = {number for number in self._always if _opens_with_digit(self._patterns[number])}
        # The patterns tried whatever the openings, by whether the text has a digit: as numbers, and as
        # what a text with no opening may match (most texts, the words around a sign, open nothing).
        wordy = [number for number in self._always if number not in self._digit_first]
        self._always_with = {digits: (kept, [self._everywhere[number] for number in kept])
                             for digits, kept in ((True, self._always), (False, wordy))}

    def candidates(self, text: str) -> list[_Candidate[Tag]]:
        """The patterns that may match `text`, in lexicon order."""
        if not _case_is_plain(text):
            return self._everywhere
        always, only_always = self._always_for(text)
        places = self._openings_at.finditer(text.lower())
        first = next(places, None)
        if first is None:
            return only_always
        starts: defaultdict[int, list[int]] = defaultdict(list)
        for place in chain((first,), places):
            position = place.start()
            for number in self._opened_by[place[1]]:
                starts[number].append(position)
        numbers = sorted({*starts, *always}) if always else sorted(starts)
        tags, patterns = self._tags, self._patterns
        return [(tags[number], patterns[number], starts.get(number)) for number in numbers]

    def candidates_at_start(self, text: str) -> list[_Candidate[Tag]]:
        """The patterns that may match at the start of `text`, in lexicon order: the openings that stand
        there are the longest one's prefixes, found by one match rather than a search of the text."""
        if not _case_is_plain(text):
            return self._everywhere
        always, only_always = self._always_for(text)
        place = self._openings_at.match(text.lower())
        if place is None:
            return only_always
        numbers = sorted({*self._opened_by[place[1]], *always})
        return [(self._tags[number], self._patterns[number], [0]) for number in numbers]

    def _always_for(self, text: str) -> tuple[list[int], list[_Candidate[Tag]]]:
        """The patterns to try whatever the openings: those that open with a digit only if `text` has one."""
        return self._always_with[not self._digit_first or _DIGIT.search(text) is not None]


def _numbers_of_prefixes(opening: str, by_opening: dict[str, list[int]]) -> tuple[int, ...]:
    """The patterns with an opening that `opening` starts with (itself included), each once."""
    found = (number for size in range(1, len(opening) + 1) for number in by_opening.get(opening[:size], ()))
    return tuple(dict.fromkeys(found))


def _trie_search(openings: Iterable[str]) -> re.Pattern[str]:
    """A pattern that matches (empty) at each word boundary where an opening stands, the longest one
    there in its group 1: the openings as a tree of their letters, so that re decides by one letter
    at a time, not by trying each opening in turn."""
    tree: dict[str, Any] = {}
    for opening in openings:
        node = tree
        for letter in opening:
            node = node.setdefault(letter, {})
        node[""] = {}  # an opening ends here
    if not tree:
        return re.compile(r"(?!)")
    return re.compile(rf"\b(?=({_alternatives(tree)}))")


def _alternatives(node: dict[str, Any]) -> str:
    """The letters that go on from `node`, longer ways first; the empty way last where an opening ends."""
    ways = [re.escape(letter) + _alternatives(after) for letter, after in sorted(node.items()) if letter]
    if not ways:
        return ""
    return "(?:" + "|".join(ways) + ("|" if "" in node else "") + ")"


def ignoring_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` as a branch of an alternation compiled to ignore case (the same object when it does)."""
    return pattern if pattern.flags == _IGNORING_CASE else re.compile(pattern.pattern, re.IGNORECASE)


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


def first_match(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> re.Match[str] | None:
    """The first of `matches(pattern, text, starts)`, without a generator's cost (the cues ask this most)."""
    if starts is None:
        return pattern.search(text)
    for start in starts:
        if match := pattern.match(text, start):
            return match
    return None


def _case_is_plain(text: str) -> bool:
    """True when lowering `text` shows every way its letters can match a pattern's, ignoring case.

    Outside ASCII, some letters match ASCII ones in ways that lowering does not show (the dotless
    i of Turkish matches "i"): text with any letter that has a case there is tried on every pattern.
    """
    return text.isascii() or all(c.isascii() or c.lower() == c == c.upper() for c in text)


def _opens_with_digit(pattern: re.Pattern[str]) -> bool:
    """True when every match of `pattern` opens with a digit (`\\d`, as the pattern reads it)."""
    return _digit_first(list(_parser.parse(pattern.pattern, pattern.flags)), 0)


def _digit_first(nodes: list[Any], nesting: int) -> bool:
    """True when the first character every match of `nodes` takes is a `\\d` (False: not known)."""
    if not nodes or nesting > _MAX_NESTING:
        return False  # a match may be empty, or the pattern is too deep to tell
    (op, value), rest = nodes[0], nodes[1:]
    if op in _ZERO_WIDTH:
        return _digit_first(rest, nesting)
    if op is sre.SUBPATTERN:
        return _digit_first([*value[-1], *rest], nesting)
    if op is sre.BRANCH:
        return all(_digit_first([*branch, *rest], nesting + 1) for branch in value[1])
    if op in _REPEATS:
        least, _, body = value
        # The body comes first; when it may be left out, what follows it may come first too.
        return _digit_first([*body, *rest], nesting + 1) and (least > 0 or _digit_first(rest, nesting + 1))
    return op is sre.IN and value == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]


# Each pattern's openings, worked out once (and kept on disk between starts by modelcache: parsing a
# lexicon's thousand patterns is a third of a start), and the patterns looked up since they were read.
_worked_out: dict[str, frozenset[str] | None] = {}
_looked_up: set[str] = set()


def remember_openings(known: Mapping[str, Iterable[str] | None]) -> None:
    """Take openings worked out by an earlier start (by the same code)."""
    _worked_out.update({key: None if found is None else frozenset(found) for key, found in known.items()})
    _looked_up.clear()


def openings_looked_up() -> dict[str, list[str] | None]:
    """The openings of every pattern indexed since `remember_openings`: what the next start needs."""
    return {key: None if (found := _worked_out[key]) is None else sorted(found) for key in _looked_up}


def _openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lowercase strings every match of `pattern` opens with, at a word boundary (None: any); a
    lexicon's patterns are parsed once, however many triagers use them."""
    key = f"{pattern.flags}:{pattern.pattern}"
    _looked_up.add(key)
    if key not in _worked_out:
        _worked_out[key] = _parsed_openings(pattern)
    return _worked_out[key]


def _parsed_openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
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


class Cues:
    """A list of cues searched as their alternation `(?:p1)|(?:p2)|...` (ignoring case) would be: the
    leftmost match, and of those there the first cue's; each cue tried only where its openings stand.

    re tries a long alternation at every position of a text, every branch; most cost nothing here.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._index = PatternIndex([(None, ignoring_case(p)) for p in patterns])

    def search(self, text: str) -> re.Match[str] | None:
        """The alternation's first match in `text` (its span; the groups are its cue's own)."""
        best: re.Match[str] | None = None
        for _, pattern, starts in self._index.candidates(text):
            first = first_match(pattern, text, starts)
            if first is not None and (best is None or first.start() < best.start()):
                best = first
        return best

    def match(self, text: str) -> re.Match[str] | None:
        """The alternation's match at the start of `text`."""
        for _, pattern, _ in self._index.candidates_at_start(text):
            if found := pattern.match(text):
                return found
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match of every cue, cue by cue (not the alternation's: these may overlap)."""
        for _, pattern, starts in self._index.candidates(text):
            yield from matches(pattern, text, starts)
