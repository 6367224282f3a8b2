"""Replies as Telegram messages: escaping, splitting at 4096 UTF-16 units, keyboards, callback data."""

from __future__ import annotations

import pytest

from bot.content.model import Button
from bot.dialogue.respond import Reply
from bot.telegram.render import (
    ACK,
    BUTTON,
    FORGET,
    Callback,
    callback_data,
    escape,
    messages,
    parse_callback,
    split,
)
from tests.telegram.botapi import utf16_length, visible_text


def test_short_text_is_one_escaped_message() -> None:
    assert split("Fever <101> & chills") == ["Fever &lt;101&gt; &amp; chills"]


def test_long_text_is_cut_between_paragraphs_and_loses_nothing() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split(text)
    assert len(chunks) > 1
    assert all(utf16_length(chunk) <= 4096 for chunk in chunks)
    assert all(chunk.startswith("Paragraph") for chunk in chunks)
    assert "\n\n".join(visible_text(c, "HTML") for c in chunks) == text


def test_escaping_and_wide_characters_count_against_the_limit() -> None:
    for text in ("&" * 5000, "\N{THERMOMETER}" * 3000, "x" * 10000):
        chunks = split(text)
        assert all(utf16_length(chunk) <= 4096 for chunk in chunks)
        assert "".join(visible_text(c, "HTML") for c in chunks) == text


def test_buttons_go_under_the_last_part_only() -> None:
    reply = Reply("a " * 3000, (Button("Side effects", "/side_effects"),))
    first, last = messages(reply)
    assert first.keyboard is None
    assert last.keyboard is not None
    (row,) = last.keyboard.inline_keyboard
    assert (row[0].text, row[0].callback_data) == ("Side effects", "/side_effects")


def test_namespaced_callback_data_and_its_limit() -> None:
    assert callback_data("/affirm", FORGET) == "forget:/affirm"
    with pytest.raises(ValueError, match="64 bytes"):
        callback_data("/" + "é" * 32)


@pytest.mark.parametrize(("data", "expected"), [
    ("ack:12", Callback(ACK, "12")),
    ("ack:12x", Callback(BUTTON, "ack:12x")),
    ("forget:/deny", Callback(FORGET, "/deny")),
    ("forget:", Callback(BUTTON, "forget:")),
    ('/inform_procedure{"site":"liver"}', Callback(BUTTON, '/inform_procedure{"site":"liver"}')),
    (None, Callback(BUTTON, "")),
])
def test_callback_data_is_read_strictly(data: str | None, expected: Callback) -> None:
    assert parse_callback(data) == expected


def test_escape_leaves_quotes_alone() -> None:
    assert escape('"ok" <b>') == '"ok" &lt;b&gt;'
