"""Text forms: typo mending, and the n-gram analyzers the classifier scores with."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.content.model import Content
from bot.understanding.nlu import training_data
from bot.understanding.text import (
    CHAR_NGRAMS,
    WORD_NGRAMS,
    Normalizer,
    char_ngrams,
    tokens,
    vocabulary_of,
    word_ngrams,
)

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


def test_typos_are_mended_to_the_closest_known_word_that_opens_alike(content: Content) -> None:
    texts = training_data(content)[0]
    normalizer = Normalizer({}, vocabulary_of(texts))  # no synonyms: what it returns is the mended word
    known = sorted(w for w in normalizer.vocabulary if len(w) >= 3)
    rng = random.Random(5)
    words = [word for text in texts[::3] for word in tokens(text) if len(word) >= 4]
    typos = [_typo(word, rng) for word in words] + _random_texts(300)
    mended = 0
    for typo in typos:
        for word in tokens(typo.lower()):
            if word in normalizer.vocabulary or len(word) < 4 or not word.isalpha():
                continue
            alike = [w for w in known if _opens_alike(word, w)]
            best = process.extractOne(word, alike, scorer=fuzz.ratio, score_cutoff=84.0)
            assert normalizer(word) == (best[0] if best else word), word
            mended += best is not None
    assert mended > 100


def _opens_alike(typo: str, word: str) -> bool:
    """The same first letter, or a silent h dropped or added."""
    return typo[0] == word[0] or (word[0] == "h" and word[1] == typo[0]) or (
        typo[0] == "h" and word[0] == typo[1])


def test_a_word_is_not_mended_into_one_with_another_first_letter() -> None:
    normalizer = Normalizer({}, ["fainted", "soaking", "herida", "orina", "bleeding"])
    assert normalizer("my grandson painted my nails") == "my grandson painted my nails"
    assert normalizer("bleading") == "bleeding"  # a typo inside the word is mended
    assert normalizer("erida horina") == "herida orina"  # Spanish's silent h, dropped or added


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    return word[:at] + rng.choice(["", "x", word[at] * 2, "e"]) + word[at + 1:]
