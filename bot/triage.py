"""Red-flag triage of every message: emergency, urgent, check or none, with the flags found."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from re import _constants as sre  # re's own parser: the one source of truth for what a pattern means
from re import _parser
from typing import Any

from bot import catalog
from bot.content import RedFlag, TriageLexicon
from bot.temperature import Reading, find_readings, words_to_digits
from bot.text import simplify

_SENTENCE_BREAK = re.compile(
    r"(?<!\d)[.](?!\d)|[!?;\n]+|(?<=\d)[.](?!\d)|\b(?:also|plus)\b|(?P<contrast>\b(?:but|although|though|however)\b)"
)
_CLAUSE_BREAK = re.compile(r",|\band\b|\bso\b|\bthen\b")
# Words that may open a clause before it says how things turned out ("..., and it cleared").
_CLAUSE_OPENERS = re.compile(r"^(?:[\s,]|and |which |that |it |its |but |then )*")
_NEGATION_WINDOW_WORDS = 5
# "how will I know if it is infected": words after "if" do not say it is happening.
_CONDITIONAL = re.compile(r"\b(?:if|whether)(?: \w+){0,2} ?$")
_WORD_BOUNDARY = re.compile(r"\b")
_WORD_START = re.compile(r"\b(?=\w)")
# How many leading characters of a match the pattern index keys on.
_OPENING_SIZE = 3
# Deeper than this, a pattern's openings are not worked out: it is tried on every sentence.
_MAX_NESTING = 40
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


@dataclass(frozen=True)
class Triage:
    """The verdict on one message."""

    level: str
    red_flags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    reading: Reading | None = None
    needs_temperature: bool = False
    remeasure: bool = False
    below_line: bool = False
    # Signs named but not reported ("no fever", "what if it bleeds?"): the answer says when to call.
    mentioned: tuple[str, ...] = ()

    @property
    def alerts(self) -> bool:
        """True when the nurses must hear about it."""
        return self.level in catalog.ALERT_LEVELS


def rank(level: str) -> int:
    """Order of levels: emergency beats urgent beats check beats none."""
    return catalog.TRIAGE_LEVELS.index(level)


@dataclass(frozen=True)
class _Sentence:
    text: str
    # The next sentence when "but", "though" or "however" joins them: it may say this one is over.
    contrast: str = ""

    def clause_start(self, position: int) -> int:
        starts = [m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, position)]
        return starts[-1] if starts else 0

    def clause_end(self, position: int) -> int:
        match = _CLAUSE_BREAK.search(self.text, position)
        return match.start() if match else len(self.text)

    def later_clauses(self, position: int) -> Iterator[str]:
        """The clauses after the one at `position`, each without its opening words."""
        start = self.clause_end(position)
        while start < len(self.text):
            end = self.clause_end(start + 1)
            yield _CLAUSE_OPENERS.sub("", self.text[start:end])
            start = end


class Triager:
    """Applies the red-flag lexicon and the clinic's fever line to patient text."""

    def __init__(self, lexicon: TriageLexicon, fever_line_f: float) -> None:
        self.lexicon = lexicon
        self.fever_line_f = fever_line_f
        self._fever_flag = next((f for f in lexicon.red_flags if f.needs_temperature), None)
        self._index = _PatternIndex([(f, p) for f in lexicon.red_flags for p in f.patterns])
        # Cues are read once per sentence, however many signs it names.
        self._unrelated = lru_cache(maxsize=4096)(self._find_unrelated)
        self._asked_from = lru_cache(maxsize=4096)(self._find_first_question)
        self._reported = lru_cache(maxsize=4096)(self._find_report)

    def assess(self, text: str, corrected: str = "", awaiting_temperature: bool = False) -> Triage:
        """Triage one message; `corrected` is the same text with typos mended."""
        written = _sentences(words_to_digits(simplify(text)))
        mended = _sentences(words_to_digits(corrected)) if corrected else []
        seen = self._scan(written)
        # The mended form only adds what typos hid: what the patient wrote is trusted
        # when it says a sign is absent, since mending can turn a word into another.
        flags = {name: flag for name, (flag, counts) in seen.items() if counts}
        for name, (flag, counts) in self._scan(mended, skip=seen.keys()).items():
            if counts:
                flags[name] = flag
        readings = [r for s in written for r in self._readings_in(s, awaiting_temperature)]
        verdict = self._verdict(flags, readings)
        mentioned = tuple(flag.label for name, (flag, _) in seen.items() if name not in flags)
        return replace(verdict, mentioned=mentioned)

    def _scan(self, sentences: list[_Sentence], skip: Iterable[str] = ()) -> dict[str, tuple[RedFlag, bool]]:
        """Each flag mentioned (but those in `skip`), and whether any mention counts as a report."""
        found: dict[str, tuple[RedFlag, bool]] = {}
        skipped = set(skip)
        for sentence in sentences:
            for flag, pattern, starts in self._index.candidates(sentence.text):
                if flag.name in skipped:
                    continue
                for match in _matches(pattern, sentence.text, starts):
                    counts = (self._counts(sentence, match.start(), match.end())
                              or found.get(flag.name, (flag, False))[1])
                    found[flag.name] = (flag, counts)
        return found

    def _counts(self, sentence: _Sentence, start: int, end: int) -> bool:
        """A sign (or a reading) counts unless negated, resolved, old, or asked about as a possibility."""
        # "...years ago and it swelled up" is old news; "...asking for his mum who died years
        # ago" does not make the confusion before it old: only what comes up to its clause counts.
        so_far = sentence.text[:sentence.clause_end(end)]
        return not (
            self._unrelated(so_far)
            or self._negated(sentence, start, end)
            or self._resolved(sentence, end)
            or self._hypothetical(sentence, start)
        )

    def _negated(self, sentence: _Sentence, start: int, end: int) -> bool:
        before_text = sentence.text[sentence.clause_start(start):start]
        before = " ".join(before_text.split()[-_NEGATION_WINDOW_WORDS:])
        after = sentence.text[end:sentence.clause_end(end)]
        return any(p.search(before) for p in self.lexicon.negation_before) or any(
            p.search(after) for p in self.lexicon.negation_after
        )

    def _resolved(self, sentence: _Sentence, end: int) -> bool:
        """"..., cleared the same day" or "... but it has been clear since": over, not now."""
        cues = self.lexicon.negation_after
        return any(p.match(clause) for clause in sentence.later_clauses(end) for p in cues) or any(
            p.search(sentence.contrast) for p in cues
        )

    def _hypothetical(self, sentence: _Sentence, start: int) -> bool:
        return self._asked_from(sentence.text) <= start and not self._reported(sentence.text)

    def _find_unrelated(self, text: str) -> bool:
        return any(p.search(text) for p in self.lexicon.unrelated)

    def _find_first_question(self, text: str) -> float:
        """Where the first cue of a question about what could happen starts (inf: none)."""
        return min((m.start() for p in self.lexicon.hypothetical for m in p.finditer(text)),
                   default=float("inf"))

    def _find_report(self, text: str) -> bool:
        """Words saying it is happening now, other than right after an "if"."""
        return any(not _CONDITIONAL.search(text[:m.start()])
                   for p in self.lexicon.report_markers for m in p.finditer(text))

    def _readings_in(self, sentence: _Sentence, awaiting: bool) -> Iterator[Reading]:
        for reading in find_readings(sentence.text):
            if not self._counts(sentence, reading.start, reading.end):
                continue  # "had 39 last year", "was 102 but it came down", "what if its 102"
            if reading.unit is not None and (reading.explicit or reading.decimal or awaiting
                                             or self._about_temperature(sentence.text)):
                yield reading
            elif reading.explicit or awaiting or self._named_just_before(sentence, reading):
                yield reading  # clearly meant as a temperature, but impossible: ask again

    def _about_temperature(self, text: str) -> bool:
        """"fevr 39 chills": a sign of fever in the sentence says its number is a temperature."""
        fever_signs = self._fever_flag.patterns if self._fever_flag else ()
        return any(p.search(text) for p in (*self.lexicon.temperature_words, *fever_signs))

    def _named_just_before(self, sentence: _Sentence, reading: Reading) -> bool:
        before = " ".join(sentence.text[:reading.start].split()[-3:])
        return any(p.search(before) for p in self.lexicon.temperature_words)

    def _verdict(self, flags: dict[str, RedFlag], readings: list[Reading]) -> Triage:
        fever = self._fever_flag
        found = [f for f in flags.values() if not f.needs_temperature]
        high = [r for r in readings if r.unit and r.fahrenheit > self.fever_line_f]
        impossible = [r for r in readings if r.unit is None]
        reading = max(high, key=lambda r: r.fahrenheit, default=None) or next(
            iter(impossible or readings), None)
        if high and fever is not None:
            found.append(fever)
        fever_word = fever is not None and fever.name in flags
        needs_temperature = fever_word and not readings
        remeasure = bool(impossible) and not high
        below_line = bool(readings) and not high and not impossible
        level = max((f.level for f in found), key=rank, default="none")
        if rank(level) < rank("check") and (needs_temperature or remeasure):
            level = "check"
        found.sort(key=lambda f: -rank(f.level))
        return Triage(
            level=level,
            red_flags=tuple(f.name for f in found),
            labels=tuple(f.label for f in found),
            reading=reading,
            needs_temperature=needs_temperature and not found,
            remeasure=remeasure and not found,
            below_line=below_line and not found,
        )


# A pattern that may match a text, and where its matches may begin (None: anywhere).
_Candidate = tuple[RedFlag, re.Pattern[str], list[int] | None]


class _PatternIndex:
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


def _matches(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
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


def _sentences(text: str) -> list[_Sentence]:
    parts: list[tuple[str, bool]] = []  # each sentence, and whether a contrast word opened it
    start, contrast = 0, False
    for match in _SENTENCE_BREAK.finditer(text):
        parts.append((text[start:match.start()], contrast))
        start, contrast = match.end(), match["contrast"] is not None
    parts.append((text[start:], contrast))
    kept = [(" ".join(part.split()), opened) for part, opened in parts if part.strip()]
    return [
        _Sentence(part, kept[i + 1][0] if i + 1 < len(kept) and kept[i + 1][1] else "")
        for i, (part, _) in enumerate(kept)
    ]
