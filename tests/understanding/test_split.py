"""A message into its questions: where it is cut, and what stays together."""

from __future__ import annotations

import pytest

from bot.understanding.split import follow_up, halves, pieces, split_questions


@pytest.mark.parametrize(("text", "parts"), [
    ("how long does it take and will i be asleep?", ["how long does it take", "will i be asleep"]),
    ("Will it hurt? How long will I be in hospital?", ["Will it hurt", "How long will I be in hospital"]),
    ("where can I get it\nis there a trial", ["where can I get it", "is there a trial"]),
    ("how much is it, and how long does it take", ["how much is it", "how long does it take"]),
    ("1. how long does it take 2. will it hurt", ["1. how long does it take 2", "will it hurt"]),
    ("Two questions: how do I prepare, and how long is it?", ["Two questions: how do I prepare",
                                                              "how long is it"]),
    ("does insurance pay - is it done in a hospital", ["does insurance pay", "is it done in a hospital"]),
    ("Tell me about the recovery. Also, will it hurt?", ["Tell me about the recovery", "Also, will it hurt"]),
    ("I'd like to know the cost. where is it done?", ["I'd like to know the cost", "where is it done"]),
])
def test_each_question_is_a_part_of_its_own(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize("text", [
    "my mum is on chemo. can they add cryo to that",        # what is told stays with its question
    "I had my liver done, what are the side effects",
    "my wound is red and is oozing",                        # one report, not two questions
    "temp 38.5. what now",                                  # a decimal is no sentence end
    "what about breast cancer? do they use cryo for that",  # a fragment leads into the question
    "??",
])
def test_one_question_stays_whole(text: str) -> None:
    assert len(split_questions(text)) == 1


def test_what_is_said_after_the_last_question_is_a_part_of_its_own() -> None:
    assert split_questions("how long does it take? and after?") == ["how long does it take", "and after?"]
    assert split_questions("how long does it take? thanks!") == ["how long does it take", "thanks!"]


@pytest.mark.parametrize(("normalized", "rest"), [
    ("and after", "after"),
    ("what about for the liver", "liver"),
    ("so no driving", "no driving"),
    ("and how long is recovery", "how long is recovery"),
    ("ok", ""),
    ("how long does it take", None),
    ("andrew is my husband", None),
    ("and how long is recovery for prostate cancer cryotherapy in men", None),  # too long for a fragment
])
def test_a_follow_up_is_known_by_its_opening(normalized: str, rest: str | None) -> None:
    assert follow_up(normalized) == rest


def test_a_question_may_be_cut_at_its_and() -> None:
    assert halves("side effects and also recovery time") == [("side effects", "recovery time")]
    assert halves("what is it") == []


def test_a_question_may_be_cut_where_it_runs_on_into_the_next() -> None:
    assert halves("how long does it take will i be asleep") == [("how long does it take", "will i be asleep")]
    assert halves("cuanto dura duele mucho") == [("cuanto dura", "duele mucho")]
    # Not where a question word still waits for its verb, nor inside one ("how long does it").
    assert halves("how long after the procedure can i shower") == []
    assert halves("how long does it take") == []


@pytest.mark.parametrize(("text", "parts"), [
    ("¿Qué es la crioterapia y cómo funciona?", ["¿Qué es la crioterapia", "cómo funciona"]),
    ("gracias! y donde la hacen y cuanto cuesta", ["gracias! y donde la hacen", "cuanto cuesta"]),
    ("cuanto tarda, ademas se puede repetir?", ["cuanto tarda", "se puede repetir"]),
    ("¿cuánto dura y hay que ir en ayunas?", ["¿cuánto dura", "hay que ir en ayunas"]),
    ("q es la crio y cuanto cuesta", ["q es la crio", "cuanto cuesta"]),  # "q" as typed on phones
    # A Spanish yes/no question opens with its verb, before a joint and a question word.
    ("sirve para lesiones del cuello uterino y que efectos secundarios da",
     ["sirve para lesiones del cuello uterino", "que efectos secundarios da"]),
    ("tengo que dejar el anticoagulante y quien decide si puedo hacerme esto",
     ["tengo que dejar el anticoagulante", "quien decide si puedo hacerme esto"]),
])
def test_spanish_questions_are_cut_at_their_joints(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_spanish_statement_with_a_verb_stays_whole() -> None:
    # "me van a…" or "es…" open a statement as often as a question: only after "y" do they start one.
    assert len(split_questions("me van a congelar una verruga, cómo es eso")) == 1


@pytest.mark.parametrize(("text", "parts"), [
    ("1) can it be repeated 2) is there a trial", ["1) can it be repeated", "is there a trial"]),
    ("my questions:\n- will it hurt\n- how much is it",
     ["my questions:\n- will it hurt", "- how much is it"]),
    ("hey, i would like to know the cost, tell me where it is done",
     ["hey, i would like to know the cost", "tell me where it is done"]),
])
def test_a_list_or_a_request_after_a_comma_is_a_question_each(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_question_asked_inside_what_is_told_is_a_question() -> None:
    told = "long week, my son told me to write. what i need to know is when i can drive"
    assert split_questions(f"{told} and whether it hurts") == [told, "whether it hurts"]
    # after an opening that would make a fragment of it ("also…")
    assert split_questions("also wondering where it is done and how much it costs") == [
        "also wondering where it is done", "how much it costs"]


@pytest.mark.parametrize(("text", "parts"), [
    ("Q1 is there a waiting list Q2 can it be repeated",
     ["Q1 is there a waiting list", "can it be repeated"]),
    ("hey bot where is it done and is there a trial", ["hey bot where is it done", "is there a trial"]),
    ("me pueden decir cuánto cuesta y si lo cubre el seguro", ["me pueden decir cuánto cuesta",
                                                               "si lo cubre el seguro"]),
])
def test_a_numbered_question_an_addressed_greeting_or_a_polite_request_is_a_question_each(
        text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts



def test_que_pasa_con_is_a_follow_up_only_after_a_joint() -> None:
    assert follow_up("y que pasa con el higado") == "higado"
    assert follow_up("que pasa con el tumor") is None
    assert split_questions("¿qué pasa con el tumor congelado? ¿se reabsorbe?") == [
        "¿qué pasa con el tumor congelado", "¿se reabsorbe"]


@pytest.mark.parametrize(("text", "parts"), [
    ("1. cuánto dura\n2. duele\n3. cuándo puedo manejar",
     ["1. cuánto dura", "2. duele", "3. cuándo puedo manejar"]),
    ("- recovery\n- cost", ["- recovery", "- cost"]),
])
def test_each_item_of_a_list_is_a_question_however_short(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize(("text", "parts"), [
    ("whos it for and where can i get it", ["whos it for", "where can i get it"]),
    ("cómo la cuido y va a dejar cicatriz", ["cómo la cuido", "va a dejar cicatriz"]),
])
def test_a_question_typed_without_its_apostrophe_or_in_the_spanish_future_is_cut_off(
        text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize(("text", "parts"), [
    ("mi esposo tiene cancer de riñon, sirve la crio para eso y cuanto tarda en recuperarse",
     ["mi esposo tiene cancer de riñon, sirve la crio para eso", "cuanto tarda en recuperarse"]),
    ("cryo for my kidney how does it work and how long does it take",
     ["cryo for my kidney how does it work", "how long does it take"]),
])
def test_a_question_opening_midway_through_what_is_told_is_a_question(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_question_word_without_its_verb_opens_no_question() -> None:
    assert len(split_questions("the doctor explained how it works and what are the side effects")) == 1


@pytest.mark.parametrize(("text", "parts"), [
    ("first, how do i prepare? second, how long is recovery?", ["first, how do i prepare",
                                                                "how long is recovery"]),
    ("Primero, ¿duele? Segundo, ¿cuánto cuesta?", ["Primero, ¿duele", "¿cuánto cuesta"]),
    ("what are the risks / how long is recovery", ["what are the risks", "how long is recovery"]),
    ("1- que es\n2- cuanto cuesta", ["1- que es", "2- cuanto cuesta"]),
    ("how long does it take/does it hurt", ["how long does it take", "does it hurt"]),
])
def test_a_count_in_words_a_slash_or_a_dashed_number_opens_a_question(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_count_inside_a_sentence_is_no_joint() -> None:
    assert len(split_questions("can it be done a second time if it comes back")) == 1


def test_an_age_in_brackets_is_no_list_number() -> None:
    assert split_questions("my wife (62) has a kidney tumour. which is better, cryo or surgery") == [
        "my wife (62) has a kidney tumour. which is better, cryo or surgery"]
    assert split_questions("(1) how long is it (2) does it hurt") == ["(1) how long is it", "does it hurt"]


def test_a_greeting_before_a_comma_is_a_piece_of_its_own() -> None:
    assert pieces("hola, tengo 80 años, me la pueden hacer") == ["hola", "tengo 80 años, me la pueden hacer"]
    assert pieces("hi there, how long is it") == ["hi there", "how long is it"]


def test_a_request_in_the_past_or_a_need_to_know_asks() -> None:
    told = "a mi mamá le van a hacer crioterapia"
    assert split_questions(f"{told}, quería saber si es doloroso y cuánto cuesta") == [
        f"{told}, quería saber si es doloroso", "cuánto cuesta"]


@pytest.mark.parametrize(("text", "parts"), [
    ("my mum is 84 can she have it and will it hurt her",
     ["my mum is 84 can she have it", "will it hurt her"]),
    ("skin cryo wat do they do exactly n does it hurt", ["skin cryo wat do they do exactly", "does it hurt"]),
    ("for my skin spot do they just spray it, when does the scab fall off",
     ["for my skin spot do they just spray it", "when does the scab fall off"]),
])
def test_a_verb_before_its_subject_or_a_texted_question_word_midway_opens_a_question(
        text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize("text", [
    "they did it last week and is it normal to be tired",  # "did it", "do it" tell what was done
    "we want to do it soon and is it covered",
    "the doctor said it is fine and will check again",     # a verb with no subject after it goes on
])
def test_a_verb_that_tells_opens_no_question(text: str) -> None:
    assert len(split_questions(text)) == 1


@pytest.mark.parametrize(("text", "parts"), [
    ("dnd lo hacen y es para cualquier tipo d cancer?", ["dnd lo hacen", "es para cualquier tipo d cancer"]),
    ("xq se usa nitrogeno y cuanto cuesta", ["xq se usa nitrogeno", "cuanto cuesta"]),
])
def test_a_spanish_question_word_shortened_as_texted_asks(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_run_on_question_is_cut_only_after_a_half_that_asks() -> None:
    assert halves("me van a dormir cuanto tiempo dura") == [("me van a dormir", "cuanto tiempo dura")]
    # What is told first asks nothing: "i am 88" is the question's context, not a question.
    assert halves("i am 88 can i still get it") == []
    assert halves("the catheter came out when I rolled over in bed") == []


def test_a_clause_of_a_question_is_no_question_run_on() -> None:
    # A question word before its subject opens a clause, and a Spanish one waits for its verb.
    assert halves("does it hurt when they put the probe in") == []
    assert halves("how do they know where the tumour is") == []
    assert halves("donde me pueden hacer la crio") == []
    # But one with its verb first runs on into a question of its own.
    assert halves("are there any trials near me what does it cost") == [
        ("are there any trials near me", "what does it cost")]
    assert halves("can i have chemo with it whats the success rate") == [
        ("can i have chemo with it", "whats the success rate")]


@pytest.mark.parametrize(("text", "parts"), [
    ("long story, i had a mole frozen last year. my question is what happens during the appointment. "
     "i am also curious how you find a trial",
     ["long story, i had a mole frozen last year. my question is what happens during the appointment",
      "i am also curious how you find a trial"]),
    ("tengo cita el lunes. mi pregunta es si duele y cuanto cuesta",
     ["tengo cita el lunes. mi pregunta es si duele", "cuanto cuesta"]),
])
def test_a_question_told_as_my_question_or_a_curiosity_asks(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


def test_a_question_about_a_topic_is_told_not_asked() -> None:
    # "my question is about…" names the topic of the question after it: one question.
    assert len(split_questions("My question is about the follow up, when do they want to see me again?")) == 1


def test_a_slash_between_words_that_ask_nothing_new_cuts_nothing() -> None:
    assert split_questions("is the pain and/or swelling normal") == ["is the pain and/or swelling normal"]


@pytest.mark.parametrize(("text", "parts"), [
    ("how long does it run, whether she'll be asleep", ["how long does it run", "whether she'll be asleep"]),
    ("how does it kill cells as well as how long I'll be off work",
     ["how does it kill cells", "how long I'll be off work"]),
])
def test_whether_after_a_comma_or_as_well_as_before_a_question_opens_one(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts
