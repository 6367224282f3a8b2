"""TF-IDF n-grams and a linear SVM fitted by LIBLINEAR: scikit-learn's model, without scikit-learn.

scikit-learn's `LinearSVC` is LIBLINEAR underneath; importing scikit-learn costs about a second
and 100 MB, more than the whole bot needs. The features are scikit-learn's `TfidfVectorizer`'s
(sublinear tf, smoothed idf, l2 norm per feature set) and the solver and its settings are
`LinearSVC`'s defaults, so the model is the same: tests/test_linear.py holds it to scikit-learn's.
"""

from __future__ import annotations

import ctypes
import logging
import math
import operator
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from bot.understanding.text import char_ngrams, word_ngrams

if TYPE_CHECKING:
    from scipy import sparse

logger = logging.getLogger(__name__)

# Looked-up numbers that are there (0 is one): kept by a C-level test, as the rest of the loop.
_FOUND = partial(operator.is_not, None)
_NUMBERS, _GRAMS = operator.itemgetter(0), operator.itemgetter(1)  # of a word's (numbers, n-grams)
# scikit-learn's LinearSVC: squared hinge loss by dual coordinate descent (LIBLINEAR's solver 1),
# tolerance 1e-4, and the intercept learned as the weight of a constant feature of 1.
_SOLVER = "-s 1 -e 0.0001 -B 1 -q"


@dataclass(frozen=True)
class FeatureSet:
    """One TF-IDF feature set: its n-gram columns and their idf."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int  # where its columns start among all the features


@dataclass(frozen=True)
class LinearModel:
    """A fitted model as plain arrays: all that scoring needs."""

    classes: np.ndarray
    features: dict[str, FeatureSet]  # "words" and "chars"
    weights: np.ndarray  # one row per feature column, one column per class
    intercept: np.ndarray


class NgramCounter:
    """The word and character n-grams of a text, counted; each word's characters are cut once."""

    def __init__(self) -> None:
        self._chars_of_word = lru_cache(maxsize=10_000)(lambda word: tuple(char_ngrams(word)))

    def words(self, text: str) -> Counter[str]:
        return Counter(word_ngrams(text))

    def chars(self, text: str) -> Counter[str]:
        return Counter(gram for word in text.lower().split() for gram in self._chars_of_word(word))


def fit(texts: Sequence[str], labels: Sequence[str], cost: float) -> LinearModel:
    """TF-IDF features of the texts and a one-vs-rest linear SVM with the given C."""
    from scipy import sparse  # only to train: a start that reads its model from the cache never needs it

    counter = NgramCounter()
    words, word_matrix = _tfidf(map(counter.words, texts), offset=0)
    chars, char_matrix = _tfidf(map(counter.chars, texts), offset=len(words.vocabulary))
    matrix = sparse.hstack([word_matrix, char_matrix], format="csr")
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    weights = _train(y, matrix, cost, len(classes))
    logger.debug("fitted %d features for %d classes", matrix.shape[1], len(classes))
    return LinearModel(classes, {"words": words, "chars": chars},
                       np.ascontiguousarray(weights[:-1]), weights[-1].copy())


def _tfidf(counts: Iterable[Counter[str]], offset: int) -> tuple[FeatureSet, sparse.csr_matrix]:
    """The vocabulary, idf and l2-normalized rows of one feature set."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    found, counted, lengths = array("q"), array("d"), array("q")
    for count in counts:  # one text's counts at a time: the corpus's Counters are never all held at once
        found.extend(vocabulary.setdefault(gram, len(vocabulary)) for gram in count)
        counted.extend(count.values())
        lengths.append(len(count))
    columns, tf = np.frombuffer(found, dtype=np.int64), np.frombuffer(counted, dtype=float)
    sizes = np.frombuffer(lengths, dtype=np.int64)
    rows = np.repeat(np.arange(len(sizes)), sizes)
    document_frequency = np.bincount(columns, minlength=len(vocabulary))
    idf = np.log((1 + len(sizes)) / (1 + document_frequency)) + 1
    values = (1 + np.log(tf)) * idf[columns]
    values /= np.sqrt(np.bincount(rows, weights=values**2, minlength=len(sizes)))[rows]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    matrix = sparse.csr_matrix((values, columns, starts), shape=(len(sizes), len(vocabulary)))
    return FeatureSet(vocabulary, idf, offset), matrix


def _train(y: np.ndarray, matrix: sparse.csr_matrix, cost: float, classes: int) -> np.ndarray:
    """LIBLINEAR's weights, one column per class in `y`'s numbering, the intercept as the last row."""
    from liblinear import liblinearutil  # 0.1 s to import, with scipy: only to train

    # LIBLINEAR shuffles with C's rand(), whose state the whole process shares: seeded as a fresh
    # process has it, a fit depends on its data alone, not on the fits before it (what a cache needs).
    ctypes.CDLL(None).srand(1)
    model = liblinearutil.train(y.astype(float), matrix, f"{_SOLVER} -c {cost}")
    rows = model.get_nr_feature() + 1
    stored = model.get_nr_class() if classes > 2 else 1  # two classes share one weight vector
    weights = np.ctypeslib.as_array(model.w, shape=(rows * stored,)).reshape(rows, stored).copy()
    if classes == 2:
        weights = np.hstack([weights, -weights])  # the first label seen is the positive one
    # LIBLINEAR numbers the classes in the order it met them; put them back in y's order.
    return weights[:, np.argsort(model.get_labels())]


class Counted(NamedTuple):  # a tuple: made for every message, and a dataclass takes longer to make
    """A text's known n-grams, numbered, and how often each is there: the words' first, then the
    characters', each in the order first met."""

    numbers: np.ndarray
    tf: np.ndarray
    words: int  # how many of them are words
    chars: int  # how many character n-grams the text has, known or not


class _Numbering:
    """One numbering of the n-grams that any scorer knows, words' and characters' apart (the same
    letters may be both): the classifier and the severity model score the same message in turn, and
    its n-grams are cut and counted once for both. Each scorer adds its model's n-grams (evaluation's
    folds too): the numbering only grows."""

    def __init__(self) -> None:
        self.words: dict[str, int] = {}
        self.chars: dict[str, int] = {}
        # Words recur: each word is cut once; a message is counted once for every scorer that reads it.
        self._of_word = lru_cache(maxsize=10_000)(self._of_word_uncached)
        self.counted = lru_cache(maxsize=64)(self._counted_uncached)

    def __len__(self) -> int:
        return len(self.words) + len(self.chars)

    def add(self, features: dict[str, FeatureSet]) -> None:
        """Number a model's n-grams not numbered yet."""
        before = len(self)
        for numbers, grams in ((self.words, features["words"].vocabulary),
                               (self.chars, features["chars"].vocabulary)):
            new = [gram for gram in grams if gram not in numbers]
            numbers.update(zip(new, range(len(self), len(self) + len(new)), strict=True))
        if len(self) != before:  # what was counted before the new n-grams would miss them
            self._of_word.cache_clear()
            self.counted.cache_clear()

    def _of_word_uncached(self, word: str) -> tuple[tuple[int, ...], int]:
        """The numbers of the word's known character n-grams, and how many n-grams it has."""
        grams, chars = char_ngrams(word), self.chars
        return tuple(number for gram in grams if (number := chars.get(gram)) is not None), len(grams)

    def _counted_uncached(self, text: str) -> Counted:
        """The text's known n-grams counted: what each scorer reads its own columns from."""
        found = list(map(self._of_word, text.lower().split()))
        counts = Counter(filter(_FOUND, map(self.words.get, word_ngrams(text))))
        words = len(counts)
        counts.update(chain.from_iterable(map(_NUMBERS, found)))
        # Whole numbers read as integers, then made floats at once: quicker than float by float.
        tf = np.fromiter(counts.values(), dtype=np.intp, count=len(counts)).astype(float)
        numbers = np.fromiter(counts, dtype=np.intp, count=len(counts))
        return Counted(numbers, tf, words, sum(map(_GRAMS, found)))


_NUMBERING = _Numbering()


class LinearScorer:
    """The model's decision function for one text at a time: a margin per class."""

    def __init__(self, model: LinearModel) -> None:
        self._features = model.features
        _NUMBERING.add(model.features)
        self._columns = self._columns_by_number()
        # Both feature sets' idf by column among all the features (words first, at offset 0): a known
        # n-gram's column then indexes the idf and the weights alike.
        self._idf = np.concatenate([model.features["words"].idf, model.features["chars"].idf])
        self._weights = model.weights
        self._intercept = model.intercept

    def __call__(self, text: str) -> np.ndarray:
        margins = self._intercept.copy()
        counted, columns, known = self._known(text)
        all_known, all_tf = columns[known], counted.tf[known]
        words = int(np.count_nonzero(known[:counted.words]))
        # Sublinear tf, then idf: value by value, so both sets at once; then l2, set by set.
        all_values = (1.0 + np.log(all_tf)) * self._idf.take(all_known)
        for part in (slice(0, words), slice(words, None)):
            values = all_values[part]
            if not len(values):
                continue
            # What np.linalg.norm computes, without its checks; math's square root is as exact as numpy's.
            values = values / math.sqrt(values.dot(values))
            margins += values @ self._weights.take(all_known[part], axis=0)
        return margins

    def known_share(self, text: str) -> float:
        """The share of the text's character n-grams that the training examples have (0 when none)."""
        counted, _, known = self._known(text)
        chars = counted.tf[counted.words:][known[counted.words:]]
        return float(chars.sum()) / counted.chars if counted.chars else 0.0

    def _known(self, text: str) -> tuple[Counted, np.ndarray, np.ndarray]:
        """The text's counts, the column of each counted n-gram in this model, and which it knows."""
        counted = _NUMBERING.counted(text)
        if len(self._columns) < len(_NUMBERING):  # numbered since, for another model: none is this one's
            self._columns = self._columns_by_number()
        columns = self._columns.take(counted.numbers)
        return counted, columns, columns >= 0

    def _columns_by_number(self) -> np.ndarray:
        """Each numbered n-gram's column among all the features (-1: not this model's)."""
        columns = np.full(len(_NUMBERING), -1, dtype=np.int32)  # int32: half the memory the look-ups walk
        for numbers, features in ((_NUMBERING.words, self._features["words"]),
                                  (_NUMBERING.chars, self._features["chars"])):
            vocabulary = features.vocabulary
            numbered = np.fromiter(map(numbers.__getitem__, vocabulary), dtype=np.intp, count=len(vocabulary))
            own = np.fromiter(vocabulary.values(), dtype=np.intp, count=len(vocabulary))
            columns[numbered] = own + features.offset
        return columns
