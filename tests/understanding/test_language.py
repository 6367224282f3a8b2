"""Which language a message is in: English, Spanish, mixed, and messages with no marker words."""

from __future__ import annotations

import pytest

from bot.understanding.language import looks_spanish, spanish_share


@pytest.mark.parametrize("text", ["no puedo respirar bien desde la operacion", "mi papa tiene fever",
                                  "tengo calentura", "me duele mucho"])
def test_spanish_and_mixed_messages(text: str) -> None:
    assert looks_spanish(text)


@pytest.mark.parametrize("text", ["i cant breathe", "my dad has a fever", "what is cryoablation", "102"])
def test_english_and_unmarked_messages(text: str) -> None:
    assert not looks_spanish(text)


def test_a_message_with_no_marker_words_is_undecided() -> None:
    assert spanish_share("102 !!") == 0.5


def test_a_spanish_symptom_word_with_a_number_is_spanish() -> None:
    assert looks_spanish("39,2 y escalofrios")
