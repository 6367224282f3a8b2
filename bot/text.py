"""Puts patient text in one form: lowercase, no apostrophes, synonyms and typos mended."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?|[°º]")
# Straight, curly and accent marks all serve as apostrophes on phones.
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
# Words shorter than this are left alone: a typo fix there is more often wrong than right.
_MIN_FIX_LENGTH = 4
_FIX_SCORE = 84.0


def simplify(text: str) -> str:
    """Lowercase, unicode-normalized, apostrophes dropped ("can't" -> "cant")."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _APOSTROPHES.sub("", text)


def tokens(text: str) -> list[str]:
    """The words and numbers of simplified text."""
    return _TOKEN.findall(text)


class Normalizer:
    """Rewrites synonyms to their main word and mends typos against a known vocabulary."""

    def __init__(self, synonyms: Mapping[str, str], vocabulary: Iterable[str]) -> None:
        phrases = {tuple(tokens(simplify(k))): tuple(tokens(simplify(v))) for k, v in synonyms.items()}
        self._phrases = dict(sorted(phrases.items(), key=lambda item: -len(item[0])))
        self._longest = max((len(p) for p in self._phrases), default=1)
        known = {w for phrase in (*self._phrases, *self._phrases.values()) for w in phrase}
        self._vocabulary = frozenset(vocabulary) | known
        self._choices = sorted(w for w in self._vocabulary if len(w) >= _MIN_FIX_LENGTH - 1)
        self._fix = lru_cache(maxsize=50_000)(self._closest)

    @property
    def vocabulary(self) -> frozenset[str]:
        """The words the normalizer knows."""
        return self._vocabulary

    def __call__(self, text: str) -> str:
        """The normalized form of `text`."""
        words = [self._fix(word) for word in tokens(simplify(text))]
        return " ".join(self._rewrite_synonyms(words))

    def _rewrite_synonyms(self, words: list[str]) -> list[str]:
        result: list[str] = []
        index = 0
        while index < len(words):
            for size in range(min(self._longest, len(words) - index), 0, -1):
                replacement = self._phrases.get(tuple(words[index:index + size]))
                if replacement is not None:
                    result.extend(replacement)
                    index += size
                    break
            else:
                result.append(words[index])
                index += 1
        return result

    def _closest(self, word: str) -> str:
        if word in self._vocabulary or len(word) < _MIN_FIX_LENGTH or not word.isalpha():
            return word
        match = process.extractOne(word, self._choices, scorer=fuzz.ratio, score_cutoff=_FIX_SCORE)
        return match[0] if match else word


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Every token in `texts`, simplified."""
    return {word for text in texts for word in tokens(simplify(text))}
