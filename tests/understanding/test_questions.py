"""Every question in a message, in order; what only accompanies a question never swallows it."""

from __future__ import annotations

import pytest

from bot.understanding.nlu import Classifier
from bot.understanding.questions import MAX_QUESTIONS, read


@pytest.mark.parametrize(("text", "intents"), [
    ("how long does it take and will i be asleep?", ["duration", "anesthesia_pain"]),
    ("what are the side effects? how long does the catheter stay? when can I drive?",
     ["side_effects", "catheter", "recovery"]),
    ("side effects and recovery time?", ["side_effects", "recovery"]),
    ("side effects, recovery time, cost?", ["side_effects", "recovery", "insurance_cost"]),
    ("my mum, who is 80, can she have it", ["candidacy"]),  # commas that name no topic cut nothing
    ("im peeing blood. is that a side effect?", ["report_symptom", "side_effects"]),
])
def test_every_question_is_read_in_order(classifier: Classifier, text: str, intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize(("text", "intents"), [
    ("how long does it take will i be asleep", ["duration", "anesthesia_pain"]),
    ("cuanto dura cuando puedo volver al trabajo", ["duration", "recovery"]),
    ("what are the risks how long is recovery", ["side_effects", "recovery"]),
    ("are you a bot what gas do they use", ["bot_challenge", "how_it_works"]),
    ("cuales son los efectos secundarios cubre el seguro", ["side_effects", "insurance_cost"]),
    ("I'd like to understand how the probe is placed for a liver tumor, and what the risks are for it.",
     ["procedure_internal", "side_effects"]),
])
def test_a_question_that_runs_on_into_the_next_is_read_as_two(classifier: Classifier, text: str,
                                                               intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize("text", [
    "how long after the procedure can i shower",  # "can i" is the verb its question word waits for
    "i want to know how long it takes",  # what is told before a question asks nothing
    "whats recovery like when can i drive",  # two wordings of one topic
])
def test_one_question_with_a_question_word_inside_stays_one(classifier: Classifier, text: str) -> None:
    assert len(read(classifier, text).intents) == 1


@pytest.mark.parametrize(("text", "intent"), [
    ("I had my liver done last week, what are the side effects", "side_effects"),
    ("had prostate cryo on monday. how long will the catheter be in?", "catheter"),
    ("thanks for that. how much will it cost me?", "insurance_cost"),
    ("hi! is cryo painful?", "anesthesia_pain"),
])
def test_a_procedure_or_a_greeting_never_swallows_the_question(classifier: Classifier, text: str,
                                                               intent: str) -> None:
    reading = read(classifier, text)
    assert reading.intents == [intent]
    assert reading.main.text == text  # triage still reads all of it


def test_the_procedure_told_in_passing_is_taken_as_the_site(classifier: Classifier) -> None:
    (question,) = read(classifier, "I had my liver done last week, what are the side effects").questions
    assert question.entity("site") == "liver"


def test_the_procedure_alone_is_an_inform_procedure(classifier: Classifier) -> None:
    assert read(classifier, "I had prostate cryo last week").intents == ["inform_procedure"]


def test_a_question_asked_twice_is_answered_once(classifier: Classifier) -> None:
    assert read(classifier, "how long does it take? how long will it take?").intents == ["duration"]


def test_many_questions_answer_the_first_few_and_count_the_rest(classifier: Classifier) -> None:
    asked = ["what is cryotherapy", "how long does it take", "will it hurt", "what are the side effects",
             "how long is recovery", "does insurance cover it"]
    reading = read(classifier, "? ".join(asked * 9))  # 54 questions, 6 different
    assert reading.intents == ["what_is_cryotherapy", "duration", "anesthesia_pain"][:MAX_QUESTIONS]
    assert reading.skipped == 3


def test_a_one_question_message_reads_as_before(classifier: Classifier) -> None:
    reading = read(classifier, "what are the side effects of prostate cryo")
    assert reading.questions == (reading.whole,) and reading.skipped == 0
    assert reading.main == reading.whole


@pytest.mark.parametrize(("text", "intents"), [
    ("aftercare and when can i drive?", ["aftercare", "recovery"]),              # a topic named first
    ("what's the success rate and the downsides and the price", ["effectiveness", "drawbacks",
                                                                  "insurance_cost"]),
    ("the benefits and the cons", ["benefits", "drawbacks"]),                   # a word alone names a topic
    ("los riesgos y la recuperación", ["side_effects", "recovery"]),
])
def test_topics_named_in_one_breath_are_each_answered(classifier: Classifier, text: str,
                                                      intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize("text", [
    "any trials for cryo and mesothelioma",                          # a site named alone
    "is there research on cryo and surgery",                         # a treatment named alone
    "my wife has kidney cancer and is too frail for an operation could they freeze it",  # told
])
def test_things_named_together_are_one_question(classifier: Classifier, text: str) -> None:
    assert len(read(classifier, text).intents) == 1


def test_a_request_for_a_person_told_before_a_question_is_answered_too(classifier: Classifier) -> None:
    reading = read(classifier, "i want a real person to ring me, and when should i phone the ward")
    assert reading.intents == ["talk_to_nurse", "when_to_call"]


def test_a_question_asked_twice_keeps_its_fullest_wording(classifier: Classifier) -> None:
    (question,) = read(classifier, "cuanto cuesta? lo paga el seguro medico?").questions
    assert question.intent == "insurance_cost" and question.text == "lo paga el seguro medico"


@pytest.mark.parametrize(("text", "intents"), [
    ("what side effects are there? how long do those last?", ["side_effects"]),
    ("what are the downsides and are they serious", ["drawbacks"]),
    # "they" doing something is the care team, not the topic before
    ("what happens to the tumour and how do they check it has gone", ["tumor_after", "effectiveness"]),
])
def test_a_question_pointing_back_is_about_the_topic_before_it(classifier: Classifier, text: str,
                                                               intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize(("text", "intent"), [
    ("my heart is too weak for surgery so the team suggested freezing the tumour. "
     "how long is the hospital stay?", "recovery"),
    ("my dermatologist is freezing a spot on my nose next week. does it sting?", "anesthesia_pain"),
])
def test_a_story_told_first_does_not_pull_a_sure_question_elsewhere(classifier: Classifier, text: str,
                                                                    intent: str) -> None:
    assert read(classifier, text).intents == [intent]


@pytest.mark.parametrize("text", [
    "i found a lump in my armpit, what is it",                        # "it" is the lump
    "i had cryoablation for my afib last month. how long is recovery?",  # the story says: not ours
])
def test_a_question_that_needs_its_story_keeps_it(classifier: Classifier, text: str) -> None:
    assert read(classifier, text).intents == ["out_of_scope"]


def test_a_question_opening_with_si_is_no_yes(classifier: Classifier) -> None:
    assert read(classifier, "cuánto cuesta y si duele").intents == ["insurance_cost", "anesthesia_pain"]
    assert read(classifier, "si").intents == ["affirm"]  # alone, it answers the bot


def test_a_question_asked_after_a_symptom_is_answered_beside_it(classifier: Classifier) -> None:
    assert read(classifier, "the site is oozing a bit since yesterday, how do i clean it").intents == [
        "report_symptom", "aftercare"]
    assert read(classifier, "my leg hurts and it is swollen").intents == ["report_symptom"]


@pytest.mark.parametrize(("text", "intents"), [
    ("what can you help with how long does it take", ["help", "duration"]),
    ("r u a bot lol and wat can u help me with", ["bot_challenge", "help"]),
    ("can you help me? how long does it take", ["duration"]),  # a plea for help only opens the question
    ("help! how long does it take", ["duration"]),
    ("menu please. also how do they do it for tumors inside the body", ["help", "procedure_internal"]),
    ("me muestras el menu? quiero saber de la preparacion", ["help", "preparation"]),
    ("info about side effects and how long it takes", ["side_effects", "duration"]),  # a request asks
])
def test_what_the_bot_can_do_asked_with_a_question_word_is_answered_beside_the_rest(
        classifier: Classifier, text: str, intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize(("text", "intents"), [
    ("my mum is 84 can she have it and will it hurt her", ["candidacy", "anesthesia_pain"]),
    ("i am 88 can i still get it and is it safe at my age", ["candidacy"]),
    ("the catheter came out when I rolled over in bed", ["catheter"]),
])
def test_what_is_told_before_a_question_is_its_context_not_a_question(
        classifier: Classifier, text: str, intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


@pytest.mark.parametrize(("text", "intents"), [
    ("how long does it take/does it hurt/is it covered", ["duration", "anesthesia_pain", "insurance_cost"]),
    ("pros n cons + cost", ["benefits", "drawbacks", "insurance_cost"]),
])
def test_questions_joined_by_a_slash_a_plus_or_n_are_read_each(classifier: Classifier, text: str,
                                                               intents: list[str]) -> None:
    assert read(classifier, text).intents == intents


def test_what_the_bot_can_do_asked_in_spanish_is_answered_beside_the_rest(classifier: Classifier) -> None:
    assert read(classifier, "¿qué puedes hacer? ¿me puedes decir cuánto cuesta?").intents == [
        "help", "insurance_cost"]


def test_a_request_for_a_nurse_told_first_leaves_the_question_after_it(classifier: Classifier) -> None:
    text = "I'd like to speak to a nurse, and could you also tell me how to prepare for the day?"
    assert read(classifier, text).intents == ["talk_to_nurse", "preparation"]


def test_the_menu_asked_after_a_remark_is_answered(classifier: Classifier) -> None:
    assert "help" in read(classifier, "Like a human. Also what topics can you cover").intents


@pytest.mark.parametrize(("text", "intents"), [
    ("¿Qué pasa con las células muertas? ¿Y el precio?", ["tumor_after", "insurance_cost"]),
    ("oye cuanto tarda en caerse la costra, y me puede quedar mancha?", ["aftercare", "side_effects"]),
])
def test_short_spanish_questions_beside_another_are_understood(classifier: Classifier, text: str,
                                                                intents: list[str]) -> None:
    assert read(classifier, text).intents == intents
