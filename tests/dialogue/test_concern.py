"""An open concern: the story kept, what closes it, and the checklist's signs."""

from __future__ import annotations

from bot.content.model import Content
from bot.dialogue.concern import (
    CHECKLIST,
    MAX_STORY_CHARS,
    checklist_flag,
    named_sign,
    opens_with_none,
    tapped,
    with_message,
    with_subject,
)
from bot.understanding.triage import Triager


def test_the_story_grows_and_keeps_its_newest_words() -> None:
    assert with_message(None, "my leg is swollen.") == "my leg is swollen."
    assert with_message("my leg is swollen.", "now hot") == "my leg is swollen now hot"
    long = with_message("a" * MAX_STORY_CHARS, "and now it is hot")
    assert len(long) == MAX_STORY_CHARS and long.endswith("and now it is hot")


def test_what_closes_a_concern(content: Content) -> None:
    triager = Triager(content.triage, 101.0)
    for text in ("it's fine now", "it has gone", "much better now", "ya se me paso", "ya estoy bien"):
        assert triager.says_over(text), text
    for text in ("it is worse", "now it is hot", "still there"):
        assert not triager.says_over(text), text


def test_every_checklist_sign_names_a_red_flag_of_the_lexicon(content: Content) -> None:
    for sign in CHECKLIST:
        flag = checklist_flag(content.triage, sign)
        assert (flag is None) == (sign == "none"), sign
        if flag is not None:
            assert tapped(flag).level in ("urgent", "emergency")
    assert checklist_flag(content.triage, "forged") is None


def test_a_short_answer_names_a_checklist_sign_the_gravest_first() -> None:
    assert named_sign("the bleeding one") == "bleeding"
    assert named_sign("lo del sangrado") == "bleeding"
    assert named_sign("fever and trouble breathing") == "breathing"
    assert named_sign("la de la confusión") == "fainting"


def test_a_denied_sign_or_a_long_report_names_none() -> None:
    assert named_sign("no bleeding, just tired") is None
    assert named_sign("y ahora vi que tiene sangre con coágulos en la bolsa") is None


def test_none_of_those_typed_is_the_last_button() -> None:
    assert named_sign("ninguno") == "none" and named_sign("ninguna de esas") == "none"
    assert named_sign("none of those, thanks") == "none"
    assert named_sign("no bleeding") is None


def test_an_answer_that_opens_with_none_is_told_from_a_sign() -> None:
    assert opens_with_none("none, he's just sleepy")
    assert opens_with_none("Ninguna de esas, solo cansancio")
    assert opens_with_none("no, nothing like that")
    assert not opens_with_none("no puedo respirar")  # a bare "no" opens signs too
    assert not opens_with_none("nausea since lunch")


def test_a_follow_up_that_names_nothing_is_about_what_the_story_named_last() -> None:
    assert with_subject("pee's clear, no blood", "it's gone bright red") == "pee its gone bright red"
    assert with_subject("la sonda no saca mucho", "nada en 4 horas") == "la sonda nada en 4 horas"
    assert with_subject("my leg is sore", "my arm is hot now") == "my arm is hot now"  # it names its own
    assert with_subject("my son had eye cryo on friday", "puffy today") == "puffy today"  # the procedure's
    assert with_subject("hello", "it's red") == "it's red"
