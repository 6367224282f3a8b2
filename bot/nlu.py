"""Text to intent, confidence and entities: a classifier trained at start from intents/."""

from __future__ import annotations

import logging
import os
import pickle
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot import catalog
from bot.content import Content, load_content
from bot.temperature import find_readings
from bot.text import (
    CHAR_NGRAMS,
    WORD_NGRAMS,
    Normalizer,
    char_ngrams,
    simplify,
    tokens,
    vocabulary_of,
    word_ngrams,
)

if TYPE_CHECKING:
    from sklearn.pipeline import FeatureUnion, Pipeline

logger = logging.getLogger(__name__)

# The SVM's margins become probabilities through a softmax; this sharpness was chosen
# on cross-validation so that the threshold separates right from wrong answers.
_SOFTMAX_SCALE = 8.0

_TIME = re.compile(
    r"\b(?:(?P<count>\d+|a|an|one|two|three|four|five|six|seven|few|couple of)\s+"
    r"(?P<unit>hours?|days?|weeks?|months?)\s+ago"
    r"|(?P<word>yesterday|today|tonight|this morning|this afternoon|this evening|last night"
    r"|last week|day before yesterday)"
    r"|(?:on |last |this )?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "few": 3, "couple of": 2}
_DAYS_PER = {"hour": 0, "day": 1, "week": 7, "month": 30}
_DAYS_AGO = {"yesterday": 1, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
             "this evening": 0, "last night": 1, "last week": 7, "day before yesterday": 2}


@dataclass(frozen=True)
class Parse:
    """What a message means: its intent with a confidence, and the entities in it."""

    text: str
    intent: str
    confidence: float
    entities: tuple[dict[str, Any], ...]
    normalized: str = ""

    def entity(self, name: str) -> Any:
        """The first value of an entity, or None."""
        return next((e["value"] for e in self.entities if e["entity"] == name), None)


@dataclass(frozen=True)
class FeatureSet:
    """One fitted TF-IDF vectorizer as plain data: its n-gram columns and their idf."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int  # where its columns start among all the features


@dataclass(frozen=True)
class LinearModel:
    """The fitted pipeline as plain arrays: all that scoring needs."""

    classes: np.ndarray
    features: dict[str, FeatureSet]  # by name, as in features()
    weights: np.ndarray  # one row per feature column, one column per class
    intercept: np.ndarray


def features() -> FeatureUnion:
    """Word and character n-grams, the features both our model and the baseline use."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)),
    ])


def new_pipeline() -> Pipeline:
    """Our model, unfitted: TF-IDF features and a linear SVM."""
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    # A fixed seed: the same examples give the same model, and the same figures, every time.
    return Pipeline([("features", features()), ("svm", LinearSVC(C=2.0, random_state=0))])


def fit_pipeline(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """Our model fitted on normalized texts."""
    return new_pipeline().fit(list(texts), list(labels))


def plain_model(pipeline: Pipeline) -> LinearModel:
    """The arrays of a fitted pipeline."""
    sets: dict[str, FeatureSet] = {}
    offset = 0
    for name, vectorizer in pipeline.named_steps["features"].transformer_list:
        vocabulary = {gram: int(column) for gram, column in vectorizer.vocabulary_.items()}
        sets[name] = FeatureSet(vocabulary, vectorizer.idf_, offset)
        offset += len(vocabulary)
    svm = pipeline.named_steps["svm"]
    return LinearModel(svm.classes_, sets, np.ascontiguousarray(svm.coef_.T), svm.intercept_)


class Fitter:
    """Fits our model in a short-lived child process, so that scikit-learn (over 100 MB) never loads here.

    The child loads scikit-learn as soon as it starts: made before the content is loaded, it is
    ready when the examples are. A context manager; it fits once.
    """

    def __init__(self) -> None:
        # A plain child rather than multiprocessing, whose "spawn" runs the caller's main script again.
        command = [sys.executable, "-c", "from bot.nlu import fit_piped; fit_piped()"]
        self._child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=_child_environment())

    def __enter__(self) -> Fitter:
        return self

    def __exit__(self, *_: object) -> None:
        if self._child.returncode is None:  # never given the examples
            self._child.kill()
            self._child.communicate()

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> LinearModel:
        """The model fitted on normalized texts, as plain arrays."""
        output, _ = self._child.communicate(pickle.dumps((list(texts), list(labels))))
        if self._child.returncode != 0:
            raise subprocess.CalledProcessError(self._child.returncode, self._child.args)
        model: LinearModel = pickle.loads(output)
        return model


def fit_piped() -> None:
    """The child's side of a Fitter: the examples in on stdin, the fitted arrays out on stdout."""
    output = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not mix with the model
    pipeline = new_pipeline()  # loads scikit-learn while the parent gets the examples ready
    try:
        texts, labels = pickle.load(sys.stdin.buffer)
    except EOFError:
        return  # the parent went away, or did not need a model after all
    output.write(pickle.dumps(plain_model(pipeline.fit(texts, labels))))


def _child_environment() -> dict[str, str]:
    """This environment, with the directory this package was loaded from first on the import path."""
    paths = [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}


def training_data(content: Content) -> tuple[list[str], list[str]]:
    """The examples and their intents, straight from intents/."""
    texts, labels = [], []
    for intent in content.intents.values():
        for example in intent.examples:
            texts.append(example.text)
            labels.append(intent.name)
    return texts, labels


def normalizer(content: Content, texts: Sequence[str] | None = None) -> Normalizer:
    """Mends typos against the words of the examples (`texts`, or all of intents/) and the synonyms."""
    return Normalizer(content.synonyms, vocabulary_of(texts or training_data(content)[0]))


def load_understanding(root: Path, threshold: float) -> tuple[Content, Classifier]:
    """The content and a classifier trained on it; scikit-learn loads in the child meanwhile."""
    with Fitter() as fitter:
        content = load_content(root)
        return content, Classifier(content, threshold, fitter=fitter)


class Classifier:
    """Intent classifier with a confidence threshold, and entity extraction."""

    def __init__(self, content: Content, threshold: float,
                 training: tuple[Sequence[str], Sequence[str]] | None = None,
                 fitter: Fitter | None = None) -> None:
        # `training` replaces the examples of intents/ (evaluation trains on folds of them); a
        # `fitter` made before the content was loaded has scikit-learn ready by now.
        texts, labels = training or training_data(content)
        self.threshold = threshold
        self.normalize = normalizer(content, texts)
        model = _fit([self.normalize(t) for t in texts], labels, fitter)
        self._labels = model.classes
        self._margins = _LinearScorer(model)
        self._sites = _site_words(content)
        logger.info("trained on %d examples of %d intents", len(texts), len(set(labels)))

    def parse(self, text: str) -> Parse:
        """Intent, confidence and entities of one message."""
        normalized = self.normalize(text)
        intent, confidence = self.rank([normalized])[0]
        if not any(word in self.normalize.vocabulary for word in normalized.split()):
            confidence = 0.0  # not one word the examples use: any intent would be a guess
        if confidence < self.threshold:
            intent = catalog.FALLBACK_INTENT
        return Parse(text, intent, confidence, self.entities(text, normalized), normalized)

    def rank(self, normalized: Sequence[str]) -> list[tuple[str, float]]:
        """The best intent and its confidence for each normalized text."""
        margins = np.vstack([self._margins(text) for text in normalized])
        scaled = np.exp(_SOFTMAX_SCALE * (margins - margins.max(axis=1, keepdims=True)))
        probabilities = scaled / scaled.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        return [(str(self._labels[i]), float(p[i])) for i, p in zip(best, probabilities, strict=True)]

    def entities(self, text: str, normalized: str) -> tuple[dict[str, Any], ...]:
        """Treated site, temperatures with units, and times."""
        found: list[dict[str, Any]] = []
        for word in normalized.split():
            site = self._sites.get(word)
            if site and all(e["value"] != site for e in found):
                found.append({"entity": "site", "value": site})
        simple = simplify(text)
        found.extend(
            {"entity": "temperature", "value": r.value, "unit": r.unit,
             "fahrenheit": round(r.fahrenheit, 2), "unit_stated": r.explicit}
            for r in find_readings(simple) if r.unit and (r.explicit or r.decimal)
        )
        found.extend(_times(simple))
        return tuple(found)


class _LinearScorer:
    """The trained pipeline's decision function for one message at a time.

    Same numbers as `Pipeline.decision_function` (a test holds them equal): sklearn's per-call
    checks cost more than the sums themselves.
    """

    def __init__(self, model: LinearModel) -> None:
        words, chars = model.features["words"], model.features["chars"]
        self._parts = [(self._word_columns, words), (self._char_columns, chars)]
        self._word_vocabulary = words.vocabulary
        self._char_vocabulary = chars.vocabulary
        # Character n-grams never cross words, and words recur: each word is looked up once.
        self._columns_of_word = lru_cache(maxsize=10_000)(self._char_columns_of_word)
        self._weights = model.weights
        self._intercept = model.intercept

    def __call__(self, text: str) -> np.ndarray:
        margins = self._intercept.copy()
        for columns_of, part in self._parts:
            counts = Counter(columns_of(text))
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
            values = (1.0 + np.log(tf)) * part.idf[columns]  # sublinear tf, then idf, then l2
            values /= np.linalg.norm(values)
            margins += values @ self._weights[columns + part.offset]
        return margins

    def _word_columns(self, text: str) -> list[int]:
        vocabulary = self._word_vocabulary
        return [column for gram in word_ngrams(text) if (column := vocabulary.get(gram)) is not None]

    def _char_columns(self, text: str) -> list[int]:
        return [column for word in text.lower().split() for column in self._columns_of_word(word)]

    def _char_columns_of_word(self, word: str) -> tuple[int, ...]:
        vocabulary = self._char_vocabulary
        return tuple(column for gram in char_ngrams(word) if (column := vocabulary.get(gram)) is not None)


def _fit(texts: Sequence[str], labels: Sequence[str], fitter: Fitter | None) -> LinearModel:
    """By `fitter`, or here when scikit-learn is loaded here already (evaluation), or by a new Fitter."""
    if fitter is not None:
        return fitter.fit(texts, labels)
    if "sklearn" in sys.modules:
        return plain_model(fit_pipeline(texts, labels))
    with Fitter() as new_fitter:
        return new_fitter.fit(texts, labels)


def _site_words(content: Content) -> dict[str, str]:
    sites = {site: site for site in content.lookups.get("site", catalog.SITES)}
    for variant, main in content.synonyms.items():
        if main in sites and len(tokens(variant)) == 1:
            sites[tokens(variant)[0]] = main
    return sites


def _times(text: str) -> list[dict[str, Any]]:
    found = []
    for match in _TIME.finditer(text):
        entity: dict[str, Any] = {"entity": "time", "value": match.group(0).strip()}
        if match["unit"]:
            count = _COUNTS.get(match["count"]) or int(match["count"])
            entity["days_ago"] = count * _DAYS_PER[match["unit"].rstrip("s")]
        elif match["word"]:
            entity["days_ago"] = _DAYS_AGO[match["word"]]
        found.append(entity)
    return found
