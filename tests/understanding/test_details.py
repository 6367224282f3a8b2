"""The details that change a sign's verdict: vague wording asks, an amount makes bleeding heavy."""

from __future__ import annotations

import pytest

from bot.content.model import Content
from bot.understanding.details import heavier, vague
from bot.understanding.text import simplify


def flag(content: Content, name: str):  # type: ignore[no-untyped-def]
    return next(f for f in content.triage.red_flags if f.name == name)


@pytest.mark.parametrize("text", [
    "the bleeding has filled a pad every 30 min since lunch",
    "ya voy por la cuarta compresa",
    "clots the size of a grape in the bag",
    "el inodoro se pone todo rojo",
    "it's running down my leg",
])
def test_an_amount_makes_a_bleeding_sign_heavy(content: Content, text: str) -> None:
    found = {"bleeding": flag(content, "bleeding")}
    assert [f.name for f in heavier(found, content.triage.red_flags, simplify(text))] == ["heavy_bleeding"]


def test_no_amount_a_denied_one_or_no_bleeding_sign_leaves_it(content: Content) -> None:
    lexicon, bleeding = content.triage.red_flags, {"bleeding": flag(content, "bleeding")}
    assert heavier(bleeding, lexicon, "a little blood on the dressing") == []
    assert heavier(bleeding, lexicon, "pink on the pad, no big clots") == []
    assert heavier({"fever": flag(content, "fever")}, lexicon, "two towels in the wash") == []


def test_a_vague_word_asks_unless_a_detail_is_given(content: Content) -> None:
    bleeding = flag(content, "bleeding")
    assert vague(bleeding, "a few spots of blood on the dressing")
    assert not vague(bleeding, "a few spots of blood and it keeps coming")
    assert vague(bleeding, "a few spots of blood, not still going")


def test_weakness_that_came_on_all_at_once_is_a_stroke(content: Content) -> None:
    found = {"numbness_weakness": flag(content, "numbness_weakness")}
    sudden = heavier(found, content.triage.red_flags, simplify("se me durmio el brazo de golpe"))
    assert [f.name for f in sudden] == ["stroke"]
    slow = simplify("some numbness near the site since monday")
    assert heavier(found, content.triage.red_flags, slow) == []
