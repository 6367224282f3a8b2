"""The evaluation: a held-out set kept apart from training, and the scores it reports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from bot.config import PROJECT_ROOT
from bot.content import catalog
from bot.content.model import Content, normalize_example
from bot.understanding.evaluate import Scores, baseline, cross_validate, load_held_out, main, report
from bot.understanding.nlu import training_data

HELD_OUT = [message for path in sorted((PROJECT_ROOT / "tests" / "data").glob("heldout*.yml"))
            for message in load_held_out(path)]
# Two messages this alike are one message with a typo or a word added: a copy, not new wording.
COPY_SIMILARITY = 90


def test_the_held_out_set_is_big_and_labelled_with_known_intents(content: Content) -> None:
    assert len(HELD_OUT) >= 300
    assert {m["intent"] for m in HELD_OUT} <= set(content.intents)
    assert sum(m["intent"] == catalog.FALLBACK_INTENT for m in HELD_OUT) >= 30


def test_no_held_out_message_is_a_copy_of_a_training_example(content: Content) -> None:
    training = [normalize_example(text) for text in training_data(content)[0]]
    copies = [
        (message["text"], match[0]) for message in HELD_OUT
        if (match := process.extractOne(normalize_example(message["text"]), training,
                                        scorer=fuzz.ratio, score_cutoff=COPY_SIMILARITY))
    ]
    assert copies == []


def test_scores_count_accuracy_out_of_scope_and_confusions() -> None:
    scores = Scores(("a", "a", "b", "out_of_scope", "out_of_scope"),
                    ("a", "b", "b", "out_of_scope", "a"))
    assert scores.accuracy == 3 / 5
    assert scores.out_of_scope_caught == 1 / 2
    assert scores.per_intent()["a"] == (1 / 2, 1 / 2, 2)  # "a" predicted twice, right once
    assert sorted(scores.confusions(top=5)) == [("a", "b", 1), ("out_of_scope", "a", 1)]


def test_cross_validation_predicts_each_example_with_a_model_that_never_saw_it() -> None:
    texts = [f"ice {i} freeze" for i in range(10)] + [f"hello {i} there" for i in range(10)]
    labels = ["cold"] * 10 + ["greet"] * 10
    seen: list[set[str]] = []

    def train(fold_texts, fold_labels):  # type: ignore[no-untyped-def]
        seen.append(set(fold_texts))
        return baseline(fold_texts, fold_labels)

    scores = cross_validate(train, texts, labels, folds=5)
    assert scores.accuracy == 1.0
    assert len(seen) == 5
    assert Counter(text for fold in seen for text in fold) == Counter({t: 4 for t in texts})


def test_the_report_puts_ours_beside_the_baseline() -> None:
    scores = Scores(("a", "b"), ("a", "a"))
    text = report("held-out", {"ours": scores, "baseline": scores})
    assert "ours" in text and "baseline" in text and "b -> a: 1" in text


def test_eval_reports_each_held_out_set_and_all_of_them(content: Content, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "one.yml", tmp_path / "two.yml"
    first.write_text('- {text: "what does cryo cost", intent: insurance_cost}\n')
    second.write_text('- {text: "whats the weather like", intent: out_of_scope}\n'
                      '- {text: "does it hurt", intent: anesthesia_pain}\n')
    assert main(content, 0.3, [first, second], folds=2) == 0
    printed = capsys.readouterr().out
    for title in ("2-fold cross-validation", "held-out one.yml (1 messages)",
                  "held-out two.yml (2 messages)", "held-out all held-out sets (3 messages)"):
        assert f"== {title}" in printed
