"""The classifier: intents, the out-of-scope fallback, and entities."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.understanding.nlu import Classifier

SCORED = ["what are the side effects", "cnat pee since the cryo!!", "zxqv", "",
          "how long does the procdure take for a kidney tumour", "fièvre 39,5 et frissons", "ok ok ok ok",
          "İSTANBUL Straße\tTWO  spaces", "pain 😣 pain pain"]


@pytest.mark.parametrize(("text", "intent"), [
    ("hi", "greet"),
    ("what is cryoablation", "what_is_cryotherapy"),
    ("WHAT ARE THE SIDE EFFECTS", "side_effects"),
    ("how long does the procdure take", "duration"),
    ("are you a robot", "bot_challenge"),
    ("how much does it cost", "insurance_cost"),
    ("i want to speak to a nurse", "talk_to_nurse"),
    ("when does the foley come out", "catheter"),  # the catheter by its brand name, and "cath"
    ("is the cath in for 3 wks", "catheter"),
])
def test_common_questions(classifier: Classifier, text: str, intent: str) -> None:
    assert classifier.parse(text).intent == intent


@pytest.mark.parametrize("text", ["whats the weather tomorrow", "zxqv blorp",
                                  "cryoablation for afib heart rhythm"])
def test_out_of_scope_is_not_guessed(classifier: Classifier, text: str) -> None:
    assert classifier.parse(text).intent == "out_of_scope"


@pytest.mark.parametrize(("text", "intent"), [
    ("heyyyy", "greet"), ("hiiiiii", "greet"), ("nooooo", "deny"), ("goodniiight", "goodbye"),
    ("yeppers", "affirm"), ("qwfp zxcv", "out_of_scope"), ("zzzz", "out_of_scope"),
])
def test_stretched_words_are_understood_and_gibberish_is_not(classifier: Classifier, text: str,
                                                              intent: str) -> None:
    assert classifier.parse(text).intent == intent


def test_confidence_is_a_probability(classifier: Classifier) -> None:
    parse = classifier.parse("what are the side effects")
    assert 0.0 < parse.confidence <= 1.0


def test_site_temperature_and_time_entities(classifier: Classifier) -> None:
    parse = classifier.parse("my prostrate was frozen 3 days ago and temp is 38.9C")
    assert parse.entity("site") == "prostate"
    temperature = next(e for e in parse.entities if e["entity"] == "temperature")
    assert (temperature["value"], temperature["unit"]) == (38.9, "C")
    time = next(e for e in parse.entities if e["entity"] == "time")
    assert time["days_ago"] == 3


def test_site_words_need_whole_words(classifier: Classifier) -> None:
    assert classifier.parse("did liverpool win").entity("site") is None


def test_normalizer_mends_typos_and_synonyms(classifier: Classifier) -> None:
    assert classifier.normalize("Can't PEE after cryoablaton") == "cant urine after cryotherapy"


def test_training_and_serving_never_load_scikit_learn(classifier: Classifier) -> None:
    script = ("import sys; from bot.config import PROJECT_ROOT; from bot.content.loader import load_content; "
              "from bot.understanding.nlu import Classifier; "
              "parse = Classifier(load_content(PROJECT_ROOT), 0.3).parse(sys.argv[1]); "
              "print(parse.intent, parse.confidence, 'sklearn' in sys.modules)")
    text = "how long does the procdure take"
    result = subprocess.run([sys.executable, "-c", script, text], capture_output=True, text=True, check=True)
    intent, confidence, loaded = result.stdout.split()
    here = classifier.parse(text)
    assert (intent, loaded) == (here.intent, "False")
    assert float(confidence) == pytest.approx(here.confidence, abs=1e-3)
