"""The context layer: each calm kind keeps its example calm, and the same words in a report still alert."""

from __future__ import annotations

import re

import pytest

from bot.content.model import Content
from bot.understanding.context import CalmContext
from bot.understanding.nlu import Classifier
from bot.understanding.sentences import sentences
from bot.understanding.triage import Triager


@pytest.fixture(scope="module")
def level(content: Content, classifier: Classifier):  # type: ignore[no-untyped-def]
    triager = Triager(content.triage, fever_line_f=101.0)
    return lambda text: triager.assess(text, classifier.normalize(text)).level


CALM = {
    "not_body": ["it is 104 outside today, what a heat wave", "the bath water was 39 degrees",
                 "I set the oven to 400 for dinner", "how much is 38.5 in fahrenheit",
                 "hace 40 grados afuera", "el pronostico dice 39 grados para el finde",
                 "38,4 grados es lo mismo que 101 F?", "It hit 39 degrees in Madrid while we were visiting",
                 "aca en merida estamos a 40 y pico",
                 "the thermometer on our porch reads 104.7 in the afternoon"],
    "habit": ["I always faint at needles, will there be needles?", "siempre me desmayo con las agujas"],
    "improving": ["the swelling is getting better every day", "the redness is smaller than yesterday",
                  "la hinchazon esta mejorando"],
    "hot_flash": ["the hormone shots give me hot flashes and night sweats", "tengo sofocos por las hormonas"],
    "expected": ["the nurse said the bruising is normal", "the bruise is turning yellow",
                 "my side is sore but the painkillers help",
                 "the nurse looked at my scrotum swelling at the visit today and said its expected"
                 " and will go down"],
    "within_line": ["I marked the pink ring last night and today it's exactly inside the line",
                    "traced the red patch at 8, it hasn't moved past the pen line",
                    "marque lo rojo anoche y hoy sigue dentro de la raya"],
    "figure_of_speech": ["this paperwork is killing me", "I'm dying to know when I can swim",
                         "the parking fees are bleeding me dry"],
}


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in CALM.items() for t in texts])
def test_each_calm_kind_keeps_its_example_calm(level, kind: str, text: str) -> None:  # type: ignore[no-untyped-def]
    assert level(text) == "none", kind


@pytest.mark.parametrize(("text", "expected"), [
    ("my temp is 102.5 and it is hot outside", "urgent"),
    ("I fainted this morning when I stood up", "emergency"),
    ("the redness is spreading down my leg", "urgent"),
    ("had a hot flush so I checked: 102.6", "urgent"),
    ("the painkillers are not helping at all, the pain is unbearable", "urgent"),
    ("the red is inside the line but I have a fever of 39", "urgent"),  # the line is about the redness
    ("no paro de devolver, ya es solo agua y bilis", "urgent"),  # only water: not blood, still vomiting
    ("era solo agua, no sangre, pero no paro de vomitar", "urgent"),
])
def test_the_same_words_in_a_report_still_alert(level, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert level(text) == expected


def test_kinds_that_calm_less_never_hide_one_that_calms_the_turn() -> None:
    # Listed first, a figure of speech and a message-only kind are still tried after a habit.
    context = CalmContext({"worry": (re.compile("nervous"),),
                           "figure_of_speech": (re.compile("dying to know"),),
                           "habit": (re.compile("always faint"),)})
    sentence = sentences("so nervous and dying to know, i always faint at needles")[0]
    start = sentence.text.index("faint")
    assert context.calms(sentence, (start, start + len("faint")), False, True)
    lone = sentences("so nervous, i fainted")[0]
    start = lone.text.index("fainted")
    assert not context.calms(lone, (start, start + len("fainted")), False, True)  # worry calms no sign
