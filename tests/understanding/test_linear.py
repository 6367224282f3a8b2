"""The model fitted by LIBLINEAR is scikit-learn's: same features, same weights, same answers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from bot.content.model import Content
from bot.understanding import linear
from bot.understanding.evaluate import features
from bot.understanding.linear import LinearScorer
from bot.understanding.nlu import SVM_COST, Classifier, training_data

MESSAGES = ["what are the side effects", "cant urine since the cryotherapy", "zxqv", "", "ok ok ok ok",
            "how long does the procedure take for a kidney tumor", "fièvre 39,5 et frissons",
            "İSTANBUL Straße\tTWO  spaces", "pain 😣 pain pain"]


@pytest.fixture(scope="module")
def normalized(classifier: Classifier, content: Content) -> tuple[list[str], list[str]]:
    texts, labels = training_data(content)
    return [classifier.normalize(text) for text in texts], labels


@pytest.fixture(scope="module")
def theirs(normalized: tuple[list[str], list[str]]) -> Pipeline:
    pipeline = Pipeline([("features", features()), ("svm", LinearSVC(C=SVM_COST, random_state=0))])
    return pipeline.fit(*normalized)


def test_the_features_are_scikit_learns(normalized: tuple[list[str], list[str]], theirs: Pipeline) -> None:
    model = linear.fit(*normalized, SVM_COST)
    for name, vectorizer in theirs.named_steps["features"].transformer_list:
        ours = model.features[name]
        assert ours.vocabulary.keys() == vectorizer.vocabulary_.keys()
        grams = list(vectorizer.vocabulary_)
        assert np.allclose(ours.idf[[ours.vocabulary[g] for g in grams]],
                           vectorizer.idf_[[vectorizer.vocabulary_[g] for g in grams]])


def test_the_margins_and_answers_are_scikit_learns(normalized: tuple[list[str], list[str]],
                                                    theirs: Pipeline) -> None:
    model = linear.fit(*normalized, SVM_COST)
    assert list(model.classes) == list(theirs.classes_)
    texts = MESSAGES + normalized[0][::7]
    margins = np.vstack([LinearScorer(model)(text) for text in texts])
    expected = theirs.decision_function(texts)
    # Both solvers stop within the same tolerance, from different random orders.
    assert np.allclose(margins, expected, atol=1e-3)
    assert (margins.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_two_classes_score_both_ways() -> None:
    texts = ["it hurts a lot", "pain is bad", "sore and aching", "what does it cost", "price please",
             "is it covered by insurance"]
    labels = ["pain"] * 3 + ["cost"] * 3
    model = linear.fit(texts, labels, 1.0)
    scorer = LinearScorer(model)
    for text, label in [("the pain", "pain"), ("the cost", "cost"), ("aching", "pain")]:
        margins = scorer(text)
        assert model.classes[margins.argmax()] == label
        assert margins[0] == pytest.approx(-margins[1])


def test_a_text_with_no_known_ngram_scores_the_intercepts(normalized: tuple[list[str], list[str]]) -> None:
    model = linear.fit(*normalized, SVM_COST)
    assert np.array_equal(LinearScorer(model)(""), model.intercept)
    assert np.array_equal(LinearScorer(model)("  "), model.intercept)


def test_known_share_counts_character_ngrams_the_examples_have() -> None:
    model = linear.fit(["hello there", "goodbye now"], ["greet", "goodbye"], 1.0)
    scorer = LinearScorer(model)
    assert scorer.known_share("hello") == 1.0
    assert scorer.known_share("qxzj") == 0.0
    assert 0.0 < scorer.known_share("helloooo") < 1.0
    assert scorer.known_share("") == 0.0


def test_a_fit_depends_on_its_data_alone() -> None:
    # LIBLINEAR shuffles with C's rand(): a fit must not depend on the fits before it in the process.
    texts = ["my leg is swollen", "how long does it take", "is it painful", "the site is red and hot",
             "what does it cost", "i feel dizzy"] * 3
    labels = ["report", "other", "other", "report", "other", "report"] * 3
    first = linear.fit(texts, labels, 1.0)
    linear.fit(texts[::-1], labels[::-1], 2.0)
    again = linear.fit(texts, labels, 1.0)
    assert (first.weights == again.weights).all() and (first.intercept == again.intercept).all()
