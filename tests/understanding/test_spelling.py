"""Misspelled key words of the domain are understood; ordinary words are not turned into them."""

from __future__ import annotations

import pytest

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from bot.understanding.spelling import KeywordSpeller, domain_keywords, max_distance


@pytest.mark.parametrize(("text", "intent"), [
    ("what happens to the tumer after they freeze it", "tumor_after"),
    ("what is cryoablashun", "what_is_cryotherapy"),
    ("sideefects of cryo", "side_effects"),
    ("how long does the cathater stay in", "catheter"),
    ("will i need anestesia", "anesthesia_pain"),
])
def test_misspelled_key_words_are_understood(classifier: Classifier, text: str, intent: str) -> None:
    assert classifier.parse(text).intent == intent


def test_misspellings_are_mended_before_classification(classifier: Classifier) -> None:
    assert classifier.normalize("tumer cryoablashun sideefects") == "tumor cryotherapy side effects"


def test_a_word_too_far_from_any_key_word_is_left_alone(content: Content) -> None:
    speller = KeywordSpeller(domain_keywords(content))
    assert speller("tumer") == "tumor"
    assert speller("timer") is None      # two letters off a five-letter word
    assert speller("rumor") is None      # a different first letter
    assert speller("liv") is None        # too short to mend
    assert speller("sideefects") == "side effects"


def test_longer_words_may_be_further_off() -> None:
    assert [max_distance(n) for n in (5, 6, 7, 9, 10, 14)] == [1, 1, 2, 2, 3, 3]
