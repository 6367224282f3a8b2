"""`python -m bot eval`: the classifier and a plain baseline, on cross-validation and held-out text."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from bot.content import catalog
from bot.content.model import Content
from bot.understanding.nlu import Classifier, training_data
from bot.understanding.questions import read
from bot.understanding.text import CHAR_NGRAMS, WORD_NGRAMS

logger = logging.getLogger(__name__)

Predict = Callable[[Sequence[str]], list[str]]
Train = Callable[[Sequence[str], Sequence[str]], Predict]


@dataclass(frozen=True)
class Scores:
    """How one model did on one set of labelled messages."""

    truth: tuple[str, ...]
    predicted: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return sum(t == p for t, p in zip(self.truth, self.predicted, strict=True)) / len(self.truth)

    @property
    def out_of_scope_caught(self) -> float:
        pairs = [(t, p) for t, p in zip(self.truth, self.predicted, strict=True)
                 if t == catalog.FALLBACK_INTENT]
        return sum(p == t for t, p in pairs) / len(pairs) if pairs else float("nan")

    def per_intent(self) -> dict[str, tuple[float, float, int]]:
        """Precision, recall and support of each intent."""
        labels = sorted(set(self.truth))
        precision, recall, _, support = precision_recall_fscore_support(
            self.truth, self.predicted, labels=labels, zero_division=0)
        return {label: (float(p), float(r), int(s))
                for label, p, r, s in zip(labels, precision, recall, support, strict=True)}

    def confusions(self, top: int) -> list[tuple[str, str, int]]:
        """The most frequent (true, predicted) mistakes."""
        counts = Counter((t, p) for t, p in zip(self.truth, self.predicted, strict=True) if t != p)
        return [(t, p, n) for (t, p), n in counts.most_common(top)]


def ours(content: Content, threshold: float) -> Train:
    """Our classifier: normalization, the model, the out-of-scope fallback, and the message read as its
    questions (the first one counts)."""

    def train(texts: Sequence[str], labels: Sequence[str]) -> Predict:
        classifier = Classifier(content, threshold, training=(texts, labels))
        return lambda batch: [read(classifier, text).main.intent for text in batch]

    return train


def features() -> FeatureUnion:
    """TF-IDF word and character n-grams: the baseline's features, and the ones linear.py computes."""
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)),
    ])


def baseline(texts: Sequence[str], labels: Sequence[str]) -> Predict:
    """TF-IDF word and character n-grams with a linear SVM, on the raw text."""
    model = Pipeline([("features", features()), ("svm", LinearSVC())])
    model.fit(list(texts), list(labels))
    return lambda batch: [str(label) for label in model.predict(list(batch))]


def cross_validate(train: Train, texts: Sequence[str], labels: Sequence[str],
                   folds: int, seed: int = 0) -> Scores:
    """Each example predicted by a model that did not see it."""
    predicted = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(texts, labels):
        predict = train([texts[i] for i in train_index], [labels[i] for i in train_index])
        for i, label in zip(test_index, predict([texts[i] for i in test_index]), strict=True):
            predicted[i] = label
    return Scores(tuple(labels), tuple(predicted))


def held_out(train: Train, content: Content, messages: Sequence[dict[str, str]]) -> Scores:
    """Trained on all of intents/, scored on messages written apart from it."""
    predict = train(*training_data(content))
    return Scores(tuple(m["intent"] for m in messages),
                  tuple(predict([m["text"] for m in messages])))


def load_held_out(path: Path) -> list[dict[str, str]]:
    """The held-out messages: a YAML list of {text, intent}."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def report(name: str, results: dict[str, Scores], top: int = 8) -> str:
    """A plain-text table of one evaluation: both models side by side, then our details."""
    lines = [f"== {name}", f"{'model':<10}{'accuracy':>10}{'out_of_scope caught':>22}"]
    lines += [f"{model:<10}{s.accuracy:>10.1%}{s.out_of_scope_caught:>22.1%}"
              for model, s in results.items()]
    scores = results["ours"]
    lines.append(f"-- ours, per intent{'precision':>21}{'recall':>9}{'n':>5}")
    lines += [f"   {intent:<28}{p:>9.2f}{r:>9.2f}{n:>5}"
              for intent, (p, r, n) in scores.per_intent().items()]
    lines.append("-- ours, worst confusions (true -> predicted: count)")
    lines += [f"   {t} -> {p}: {n}" for t, p, n in scores.confusions(top)]
    return "\n".join(lines)


def main(content: Content, threshold: float, held_out_paths: Sequence[Path], folds: int) -> int:
    """Print both evaluations; exit 0 (the figures are for people and the resolving note)."""
    texts, labels = training_data(content)
    models: dict[str, Train] = {"ours": ours(content, threshold), "baseline": baseline}
    cv = {name: cross_validate(train, texts, labels, folds) for name, train in models.items()}
    print(report(f"{folds}-fold cross-validation over intents/ ({len(texts)} examples)", cv))
    sets = {path.name: load_held_out(path) for path in held_out_paths}
    if len(sets) > 1:
        sets["all held-out sets"] = [message for messages in sets.values() for message in messages]
    for name, messages in sets.items():
        held = {model: held_out(train, content, messages) for model, train in models.items()}
        print()
        print(report(f"held-out {name} ({len(messages)} messages)", held))
    return 0
