"""Text forms: the n-gram analyzers the classifier scores with, equal to scikit-learn's."""

from __future__ import annotations

import random

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.text import CHAR_NGRAMS, WORD_NGRAMS, char_ngrams, word_ngrams

ODD_TEXTS = [
    "", " ", "a", "I", "ok", "hi!", "can't pee", "Can't  PEE\tafter\ncryoablaton",
    "temp 38.9C / 102°F, since yesterday...", "fièvre 39,5 — très mal", "ÄÖÜ straße İstanbul ǅ",
    "emoji 🙂 pain 😣", "under_score x2 3x", "word\u00a0nbsp\u2003em-space\u3000ideographic",
    "\x1cfile\x1dgroup\x1erecord\x1funit", "مرحبا ألم", "痛い 熱があります", "a b c d e f",
    "supercalifragilisticexpialidocious", "ﬁre ﬂow", "ǈ ǋ", "σοφός ΣΟΦΟΣ",
]
# Letters, digits, punctuation, spaces of several kinds and a few non-Latin characters.
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;'!?-_/°\t\n\u00a0éüß\u0130\u0131\u017f🙂ー字"


def _random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize(("ours", "theirs"), [
    (word_ngrams, TfidfVectorizer(ngram_range=WORD_NGRAMS)),
    (char_ngrams, TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS)),
], ids=["words", "chars"])
def test_analyzers_give_scikit_learns_ngrams_in_its_order(ours, theirs) -> None:  # type: ignore[no-untyped-def]
    analyze = theirs.build_analyzer()
    for text in ODD_TEXTS + _random_texts(2000):
        assert ours(text) == analyze(text), repr(text)


def test_other_sizes_follow_the_same_rules() -> None:
    for low, high in [(1, 1), (1, 3), (2, 2), (3, 6)]:
        words = TfidfVectorizer(ngram_range=(low, high)).build_analyzer()
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high)).build_analyzer()
        for text in ODD_TEXTS:
            assert word_ngrams(text, (low, high)) == words(text)
            assert char_ngrams(text, (low, high)) == chars(text)
