"""Triage's context layer: calm contexts (weather, habits, improving, hot flashes) that keep it calm."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from bot.content.lexicon import (
    BODY,
    CHANGED,
    DENIED_HABIT,
    EXPECTED,
    FIGURE,
    HABIT,
    IMPROVING,
    MESSAGE_ONLY,
    NOT_BODY,
    TREATED,
)
from bot.understanding.patterns import PatternIndex, first_match, ignoring_case
from bot.understanding.sentences import Sentence


class CalmContext:
    """Says which calm context, if any, a sentence is in."""

    def __init__(self, kinds: Mapping[str, tuple[re.Pattern[str], ...]],
                 calms_only: Mapping[str, frozenset[str]] | None = None) -> None:
        # All kinds in one index: a sentence is read once for all of them, each cue tried only where
        # it may open; a kind is there when any of its patterns matches.
        self._order = sorted([kind for kind, patterns in kinds.items() if patterns], key=_tried_late)
        self._index = PatternIndex([(kind, ignoring_case(pattern))
                                    for kind, patterns in kinds.items() for pattern in patterns])
        self._found = lru_cache(maxsize=8192)(self._kinds_in)
        self.kind = lru_cache(maxsize=8192)(self._kind)
        self._figures = [ignoring_case(pattern) for pattern in kinds.get(FIGURE, ())]
        self._changes = [ignoring_case(pattern) for pattern in kinds.get(CHANGED, ())]
        self._calms_only = calms_only or {}

    def calms(self, sentence: Sentence, sign: tuple[int, int], about_temperature: bool,
              over_calms: bool, following: str = "", name: str = "") -> bool:
        """A calm kind (not a message-only one) is in the turn of the sign (its start and end in
        `sentence`) and is about the sign `name` (most kinds are about any); a figure of speech calms only
        where it takes in the sign's words; what a nurse called expected, only if no change is told after
        the sign (in its sentence or the next)."""
        start, end = sign
        kind = self.kind(sentence.turn_of(end - 1), about_temperature, over_calms)
        if kind in self._calms_only and name not in self._calms_only[kind]:
            return False
        if kind == EXPECTED and any(p.search(f"{sentence.text[end:]} {following}") for p in self._changes):
            return False
        return kind is not None and kind not in MESSAGE_ONLY and (kind != FIGURE or any(
            m.start() < end and start < m.end() for p in self._figures for m in p.finditer(sentence.text)))

    def _kind(self, sentence: str, about_temperature: bool, over_calms: bool = True) -> str | None:
        """The first calm kind whose cue is in `sentence` (None: nothing calms it). Not `over_calms`:
        getting better calms nothing (a faint needs a call even when the patient is fine again)."""
        found = self._found(sentence)
        for kind in self._order:
            if kind == IMPROVING and not over_calms:
                continue
            if kind == NOT_BODY:
                if about_temperature and self.not_body(sentence):
                    return kind
            elif kind in found and kind not in (BODY, DENIED_HABIT, CHANGED) and not (
                    (kind == HABIT and DENIED_HABIT in found) or (kind == EXPECTED and CHANGED in found)):
                return kind
        return None

    def not_body(self, sentence: str) -> bool:
        """A reading in this sentence is of the weather, a bath, an oven: not the body's.

        A thermometer's 102 after a hot flush is still a fever: only this kind and `expected` (a nurse
        already saw it) calm a reading.
        """
        found = self._found(sentence)
        return BODY not in found and NOT_BODY in found

    def seen_already(self, sentence: str) -> bool:
        """A nurse or doctor already saw it, treated it, or called it expected."""
        return not self._found(sentence).isdisjoint((EXPECTED, TREATED))

    def _kinds_in(self, sentence: str) -> frozenset[str]:
        """The kinds with a cue in `sentence`."""
        found: set[str] = set()
        for kind, pattern, starts in self._index.candidates(sentence):
            if kind not in found and first_match(pattern, sentence, starts) is not None:
                found.add(kind)
        return frozenset(found)


def _tried_late(kind: str) -> int:
    """Kinds that calm less are tried after those that calm a whole turn, so that they never hide one: a
    figure of speech (only its own words), then the message-only kinds (no sign at all)."""
    return 2 if kind in MESSAGE_ONLY else int(kind == FIGURE)
