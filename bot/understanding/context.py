"""Triage's context layer: calm contexts (weather, habits, improving, hot flashes) that keep it calm."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from bot.understanding.patterns import joined

# Applies to temperatures only, and never when the sentence says the reading is the body's
# ("102 outside" is weather; "my temp is 102 and it is hot outside" is a fever).
NOT_BODY = "not_body"
BODY = "body"
EXPECTED = "expected"


class CalmContext:
    """Says which calm context, if any, a sentence is in."""

    def __init__(self, kinds: Mapping[str, tuple[re.Pattern[str], ...]]) -> None:
        # One search per kind: its patterns joined into one alternation.
        self._kinds = {kind: joined(patterns) for kind, patterns in kinds.items() if patterns}
        self.kind = lru_cache(maxsize=8192)(self._kind)

    def _kind(self, sentence: str, about_temperature: bool) -> str | None:
        """The first calm kind whose cue is in `sentence` (None: nothing calms it)."""
        for kind, patterns in self._kinds.items():
            if kind == NOT_BODY:
                if about_temperature and self.not_body(sentence):
                    return kind
            elif kind != BODY and patterns.search(sentence):
                return kind
        return None

    def not_body(self, sentence: str) -> bool:
        """A reading in this sentence is of the weather, a bath, an oven: not the body's.

        A thermometer's 102 after a hot flush is still a fever: only this kind and `expected` (a nurse
        already saw it) calm a reading.
        """
        return not self._body(sentence) and self._has(NOT_BODY, sentence)

    def seen_already(self, sentence: str) -> bool:
        """A nurse or doctor already saw it, or called it expected."""
        return self._has(EXPECTED, sentence)

    def _body(self, sentence: str) -> bool:
        return self._has(BODY, sentence)

    def _has(self, kind: str, sentence: str) -> bool:
        pattern = self._kinds.get(kind)
        return pattern is not None and pattern.search(sentence) is not None

