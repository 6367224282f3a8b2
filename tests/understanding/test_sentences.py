"""Sentences, clauses and turns: where triage reads a sign's context."""

from __future__ import annotations

from bot.understanding.sentences import after_last_turn, sentences


def test_a_message_is_cut_at_sentence_ends_and_a_contrast_carries_over() -> None:
    first, second = sentences("the site was red. but it cleared the same day")
    assert first.text == "the site was red" and first.contrast == "it cleared the same day"
    assert second.contrast == ""
    assert [s.text for s in sentences("my temp is 38.5 today")] == ["my temp is 38.5 today"]


def test_clauses_are_found_around_a_position() -> None:
    (sentence,) = sentences("my leg swelled, then it went down, and it is fine")
    assert sentence.text[sentence.clause_start(3):sentence.clause_end(3)] == "my leg swelled"
    assert [clause for clause in sentence.later_clauses(3) if clause] == ["went down", "is fine"]


def test_a_turn_splits_what_was_before_from_what_is_now() -> None:
    (sentence,) = sentences("my brother had sepsis years ago and now my wound is oozing pus")
    text = sentence.text
    assert sentence.turned(text.index("ago"), text.index("pus"))
    assert not sentence.turned(text.index("pus"), len(text))
    assert not sentence.turned(float("inf"), text.index("pus"))
    assert sentence.turn_of(text.index("pus")) == "and now my wound is oozing pus"
    # What comes after the turn is the newer news, of what came before it too.
    assert sentence.turn_of(text.index("sepsis")) == text
    (plain,) = sentences("no turn here")
    assert plain.turn_of(3) == "no turn here"


def test_a_comma_before_now_and_a_sign_called_new_are_turns() -> None:
    assert after_last_turn("it was pink, now it is red") == ", now it is red"
    assert after_last_turn("tuvo una parálisis hace años pero esto es nuevo: no mueve el brazo") == (
        "pero esto es nuevo: no mueve el brazo")
    assert after_last_turn("no turn here") == "no turn here"


def test_but_and_pero_turn_unless_they_go_on_denying() -> None:
    assert after_last_turn("dice que está bien, pero lleva una hora sobándose el pecho") == (
        "pero lleva una hora sobándose el pecho")
    assert after_last_turn("he says he's fine but he keeps rubbing his chest") == (
        "but he keeps rubbing his chest")
    assert after_last_turn("no quiero sangrar pero tampoco hacer un trombo") == (
        "no quiero sangrar pero tampoco hacer un trombo")


def test_a_turn_that_says_the_sign_is_back_makes_it_news() -> None:
    (sentence,) = sentences("de joven tosí sangre y ahora otra vez, como una cucharada")
    assert sentence.back_again(sentence.text.index("sangre"))
    (old,) = sentences("I coughed up blood once years ago and I have been fine")
    assert not old.back_again(old.text.index("blood"))
    assert after_last_turn("tuve depresión hace años y ha vuelto fuerte") == "y ha vuelto fuerte"


def test_a_sign_answered_no_is_read_as_a_list_answers_it() -> None:
    (listed,) = sentences("fever no, chest pain: no, bleeding a bit")
    assert listed.answered_no(len("fever"))
    assert listed.answered_no(len("fever no, chest pain"))
    assert not listed.answered_no(len("fever no, chest pain: no, bleeding"))
    (asked,) = sentences("tiene pus no?")
    assert asked.asked and not asked.answered_no(len("tiene pus"))
    (going_on,) = sentences("sangrado no para")
    assert not going_on.answered_no(len("sangrado"))


def test_a_sentence_reads_with_the_contrast_after_it() -> None:
    first, second = sentences("i thought i fainted but i had just dozed off")
    assert first.with_contrast == "i thought i fainted but i had just dozed off"
    assert second.with_contrast == "i had just dozed off"


def test_a_sign_asked_alone_is_answered_by_the_next_sentence() -> None:
    fever, no, chest = sentences("fever? no. chest? yes, tight and squeezing")
    assert fever.asked and fever.answered_no_next(no.text)
    assert chest.text == "chest yes tight and squeezing"  # asked and answered yes: told as one
    long_question, answer = sentences("is it normal to feel a bit of pain? no idea")
    assert not long_question.answered_no_next(answer.text)
