"""Text at the edge: invisible and look-alike characters, lone surrogates, control characters."""

from __future__ import annotations

import pytest

from bot.understanding.normalize import for_matching, passages, readable


@pytest.mark.parametrize(("written", "matched"), [
    ("bre\u200bathe", "breathe"),
    ("10\u200b2.8", "102.8"),
    ("fe\u00advers", "fevers"),
    ("pu\u200ds and re\u200cdness", "pus and redness"),
    ("\ufefffever\u2060", "fever"),
    ("f\u0435ver", "fever"),            # Cyrillic e
    ("\u0441h\u0435st p\u0430in", "chest pain"),
    ("\u03bfxygen", "oxygen"),           # Greek o
    ("\uff46\uff45\uff56\uff45\uff52 \uff11\uff10\uff14", "fever 104"),  # full-width forms
    ("\u202ebleeding\u202c", "bleeding"),  # direction override
])
def test_invisible_and_look_alike_characters_are_read_as_latin(written: str, matched: str) -> None:
    assert for_matching(written) == matched


def test_what_is_kept_for_display_stays_as_written_but_storable() -> None:
    shown = readable("f\u0435ver \ud800 of 103\x00\r\nhelp")
    assert shown == "f\u0435ver \ufffd of 103\nhelp"
    shown.encode("utf-8")  # a lone surrogate would raise UnicodeEncodeError


def test_spanish_and_other_scripts_are_left_alone() -> None:
    spanish = "tengo fiebre de 39,5 y dolor en el pecho"
    assert for_matching(spanish) == spanish
    assert for_matching("痛い 🙂") == "痛い 🙂"


def test_a_long_text_is_read_in_short_passages_that_cut_no_sign_in_two() -> None:
    words = [f"w{n}" for n in range(1000)]
    run_on = " ".join(words)  # one sentence of 1,000 words, no break
    pieces = passages(f"First line. {run_on}. Last one!")
    assert pieces[0] == "First line." and pieces[-1].endswith("Last one!")
    assert all(len(piece.split()) <= 50 for piece in pieces[1:-1])
    for start in range(len(words) - 8):  # any 8 words in a row are read together somewhere
        assert any(" ".join(words[start:start + 8]) in piece for piece in pieces)


def test_short_sentences_are_grouped_up_to_a_passage() -> None:
    pieces = passages("I have a question. " * 100)
    assert all(len(piece) <= 300 for piece in pieces) and len(pieces) < 10
