"""Puts patient text in one form: lowercase, no apostrophes, synonyms and typos mended."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import chain

from rapidfuzz import fuzz, process

from bot.understanding.spelling import KeywordSpeller

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?|[°º]")
# Straight, curly and accent marks all serve as apostrophes on phones.
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_DECIMAL_APOSTROPHE = re.compile("(\\d)['\u2019](\\d)")
# Words shorter than this are left alone: a typo fix there is more often wrong than right.
_MIN_FIX_LENGTH = 4
_FIX_SCORE = 84.0
# The n-gram sizes of the classifier's two feature sets: words, and letters inside words.
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
# scikit-learn's default token pattern: runs of two or more word characters.
_WORD = re.compile(r"(?u)\b\w\w+\b")


# A message is simplified by each stage that reads it (classifier, entities, triage, calm context): once.
@lru_cache(maxsize=256)
def simplify(text: str) -> str:
    """Lowercase, unicode-normalized, accents and apostrophes dropped ("can't" -> "cant", "respiración"
    -> "respiracion": patients type Spanish with and without accents)."""
    # "38'6" is 38.6 in Spain; "39º" (the ordinal sign) is how many phones write degrees.
    text = _DECIMAL_APOSTROPHE.sub(r"\1.\2", text).replace("\u00ba", "\u00b0")
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _without_accents(text)
    return _APOSTROPHES.sub("", text)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def tokens(text: str) -> list[str]:
    """The words and numbers of simplified text."""
    return _TOKEN.findall(text)


class Normalizer:
    """Rewrites synonyms to their main word and mends typos against a known vocabulary."""

    def __init__(self, synonyms: Mapping[str, str], vocabulary: Iterable[str],
                 speller: KeywordSpeller | None = None) -> None:
        phrases = {tuple(tokens(simplify(k))): tuple(tokens(simplify(v))) for k, v in synonyms.items()}
        self._phrases = dict(sorted(phrases.items(), key=lambda item: -len(item[0])))
        self._longest = max((len(p) for p in self._phrases), default=1)
        self._first_words = frozenset(phrase[0] for phrase in self._phrases if phrase)
        known = {w for phrase in (*self._phrases, *self._phrases.values()) for w in phrase}
        self._vocabulary = frozenset(vocabulary) | known
        # The last resort for a word nothing matched: the domain's key words, at a looser distance.
        self._speller = speller
        self._choices = sorted(w for w in self._vocabulary if len(w) >= _MIN_FIX_LENGTH - 1)
        # A word's mended form, as the words it is now ("sideefects" -> "side", "effects"), once a word.
        self._fix = lru_cache(maxsize=50_000)(lambda word: tuple(self._closest(word).split()))
        self._choices_for = lru_cache(maxsize=256)(self._choices_for_length)
        self._choices_opening_as = lru_cache(maxsize=4096)(self._choices_opening)

    @property
    def vocabulary(self) -> frozenset[str]:
        """The words the normalizer knows."""
        return self._vocabulary

    @property
    def inputs(self) -> list[object]:
        """What the normalizer is built from, as plain data: a model trained on its output depends on it."""
        phrases = [[list(phrase), list(main)] for phrase, main in self._phrases.items()]
        return [phrases, sorted(self._vocabulary), self._speller.keywords if self._speller else []]

    def __call__(self, text: str) -> str:
        """The normalized form of `text`."""
        # A mended word may be a phrase ("sideefects" -> "side effects").
        words = list(chain.from_iterable(map(self._fix, tokens(simplify(text)))))
        return " ".join(self._rewrite_synonyms(words))

    def _rewrite_synonyms(self, words: list[str]) -> list[str]:
        if self._first_words.isdisjoint(words):
            return words  # most messages start no synonym: one look for them all
        result: list[str] = []
        index = 0
        while index < len(words):
            if words[index] not in self._first_words:  # most words start no synonym: one look
                result.append(words[index])
                index += 1
                continue
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
        # The second letter tells only after an h ("horina"): the rest share one list per first letter.
        choices = self._choices_opening_as(len(word), word[0], word[1] if word[0] == "h" else "")
        match = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_FIX_SCORE)
        if match:
            return match[0]
        return (self._speller and self._speller(word)) or word

    def _choices_opening(self, length: int, first: str, second: str) -> list[str]:
        """The known words a word of `length` letters opening with `first` and `second` may be a typo of:
        those opening as it does. A typo rarely changes the first letter, and a word that does is most
        often another word ("painted" is no "fainted", nor "smoking" "soaking"); a silent h dropped or
        added ("erida", "horina") is the exception."""
        return [w for w in self._choices_for(length)
                if w[0] == first or (w[0] == "h" and w[1] == first) or (first == "h" and w[0] == second)]

    def _choices_for_length(self, length: int) -> list[str]:
        """The known words whose length lets them reach the fix score against a word of `length`.

        fuzz.ratio is at most 2 * shorter length / both lengths; the rest cannot match, and leaving
        them out (in order, so that ties go the same way) makes mending three times faster.
        """
        return [w for w in self._choices if 200 * min(length, len(w)) >= _FIX_SCORE * (length + len(w))]


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Every token in `texts`, simplified."""
    return {word for text in texts for word in tokens(simplify(text))}


def word_ngrams(text: str, sizes: tuple[int, int] = WORD_NGRAMS) -> list[str]:
    """Runs of words, in scikit-learn's order: what TfidfVectorizer(analyzer="word") counts."""
    words = _WORD.findall(text.lower())
    low, high = sizes
    grams: list[str] = []
    for size in range(low, min(high, len(words)) + 1):
        # Each run of `size` words, in order: the words zipped with themselves shifted (the shorter
        # shifted lists end the runs).
        grams.extend(map(" ".join, zip(*(words[shift:] for shift in range(size)), strict=False)))
    return grams


def char_ngrams(text: str, sizes: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Runs of characters inside space-padded words: what TfidfVectorizer(analyzer="char_wb") counts."""
    grams: list[str] = []
    low, high = sizes
    for word in text.lower().split():
        padded = f" {word} "
        for size in range(low, high + 1):
            grams.extend(padded[start:start + size] for start in range(max(len(padded) - size, 0) + 1))
            if len(padded) <= size:
                break  # a word shorter than the size is counted once, whole
    return grams
