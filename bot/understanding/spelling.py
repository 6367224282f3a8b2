"""Misspelled key words of the domain ("tumer", "cryoablashun", "sideefects", "cathater") mended by
edit distance, where the general typo mending (text.py) is too strict to reach them.

rapidfuzz (already used in text.py, C speed, maintained) computes the Levenshtein distance; the
vocabulary is a few hundred words, so symspellpy's precomputed deletes and its word-frequency
dictionary would add a dependency and a data file for no gain.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.content import catalog
from bot.content.model import Content

logger = logging.getLogger(__name__)

# Shorter words are left alone: one letter off turns too many ordinary words into key words.
MIN_LENGTH = 5


def max_distance(length: int) -> int:
    """Edits allowed for a word of `length` letters: 1 up to 6 letters, 2 up to 9, then 3."""
    return 1 if length <= 6 else 2 if length <= 9 else 3


def domain_keywords(content: Content) -> set[str]:
    """The words the domain turns on: the topics' names (and two-word names as phrases: "side effects"),
    the sites, the synonym table's words."""
    names = [name.split("_") for name in (*catalog.KNOWLEDGE_INTENTS, *catalog.SYMPTOM_INTENTS)]
    words = {part for name in names for part in name} | {" ".join(name) for name in names if len(name) == 2}
    words |= set(content.lookups.get("site", catalog.SITES)) | set(catalog.SITES)
    words |= {w for pair in content.synonyms.items() for w in pair}
    joined = {w.lower(): w.lower().replace(" ", "") for w in words}
    return {w for w, letters in joined.items() if len(letters) >= MIN_LENGTH and letters.isalpha()}


class KeywordSpeller:
    """The key word (or key phrase, written without its spaces) a misspelled word stands for."""

    def __init__(self, keywords: Iterable[str]) -> None:
        keywords = list(keywords)
        self.keywords = sorted(keywords)  # what a model trained on mended text depends on
        self._phrases = {phrase.replace(" ", ""): phrase for phrase in keywords}
        # A misspelling rarely gets the first letter wrong, and comparing within it is 20 times fewer.
        self._by_letter: dict[str, list[str]] = defaultdict(list)
        for joined in sorted(self._phrases):
            self._by_letter[joined[0]].append(joined)

    def __call__(self, word: str) -> str | None:
        """The key word `word` is a misspelling of, or None."""
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        choices = self._by_letter.get(word[0], [])
        match = process.extractOne(word, choices, scorer=Levenshtein.distance,
                                   score_cutoff=max_distance(len(word)))
        return self._phrases[match[0]] if match else None
