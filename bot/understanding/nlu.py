"""Text to intent, confidence and entities: a classifier trained at start from intents/."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.content import catalog
from bot.content.loader import load_content
from bot.content.model import Content
from bot.understanding import linear
from bot.understanding.linear import LinearModel, LinearScorer
from bot.understanding.modelcache import cached_model
from bot.understanding.spelling import KeywordSpeller, domain_keywords
from bot.understanding.temperature import find_readings
from bot.understanding.text import Normalizer, simplify, tokens, vocabulary_of

logger = logging.getLogger(__name__)

# The SVM's margins become probabilities through a softmax; this sharpness was chosen
# on cross-validation so that the threshold separates right from wrong answers.
_SOFTMAX_SCALE = 8.0
# The SVM's C, chosen on cross-validation (`python -m bot eval`).
SVM_COST = 2.0
# Below this share of known character n-grams a message is out of scope whatever the margins say.
# It keeps gibberish out and lets "hiiii", "yessir" or "goodnite" through; chosen on
# cross-validation (+0.6 points over asking for one known word).
MIN_KNOWN_SHARE = 0.5

_TIME = re.compile(
    r"\b(?:(?P<count>\d+|a|an|one|two|three|four|five|six|seven|few|couple of)\s+"
    r"(?P<unit>hours?|days?|weeks?|months?)\s+ago"
    r"|(?P<word>yesterday|today|tonight|this morning|this afternoon|this evening|last night"
    r"|last week|day before yesterday)"
    r"|(?:on |last |this )?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
# Every time _TIME finds has one of these in it ("ago", yesterday, monday, "last night"...): a text
# without them needs no search.
_TIME_WORDS = ("ago", "day", "night", "morning", "afternoon", "evening", "week")
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
    # The second-best intent and its confidence: a close second is worth asking about.
    runner_up: tuple[str, float] | None = None

    def entity(self, name: str) -> Any:
        """The first value of an entity, or None."""
        return next((e["value"] for e in self.entities if e["entity"] == name), None)


def training_data(content: Content) -> tuple[list[str], list[str]]:
    """The examples and their intents, straight from intents/."""
    texts, labels = [], []
    for intent in content.intents.values():
        for example in intent.examples:
            texts.append(example.text)
            labels.append(intent.name)
    return texts, labels


def normalizer(content: Content, texts: Sequence[str] | None = None) -> Normalizer:
    """Mends typos against the words of the examples (`texts`, or all of intents/), the synonyms and,
    further off, the domain's key words."""
    return Normalizer(content.synonyms, vocabulary_of(texts or training_data(content)[0]),
                      KeywordSpeller(domain_keywords(content)))


def load_understanding(root: Path, threshold: float) -> tuple[Content, Classifier]:
    """The content and a classifier trained on it."""
    content = load_content(root)
    return content, Classifier(content, threshold)


class Classifier:
    """Intent classifier with a confidence threshold, and entity extraction."""

    def __init__(self, content: Content, threshold: float,
                 training: tuple[Sequence[str], Sequence[str]] | None = None) -> None:
        # `training` replaces the examples of intents/ (evaluation trains on folds of them).
        texts, labels = training or training_data(content)
        self.threshold = threshold
        self.normalize = normalizer(content, texts)

        def train() -> LinearModel:
            logger.info("training on %d examples of %d intents", len(texts), len(set(labels)))
            return linear.fit([self.normalize(t) for t in texts], labels, SVM_COST)

        # Cross-validation's folds (`training`) are each fitted once: not worth keeping.
        inputs = [SVM_COST, texts, labels, self.normalize.inputs]
        self._model = train() if training else cached_model(content.root, "intents", inputs, train)
        self._margins = LinearScorer(self._model)
        self._classes: list[str] = self._model.classes.tolist()
        self._sites = _site_words(content)
        # The words that name a topic ("catheter", "recovery", "tumor"): a message without one may refer back.
        self.keywords = frozenset(word for phrase in domain_keywords(content) for word in phrase.split())

    def parse(self, text: str) -> Parse:
        """Intent, confidence and entities of one message."""
        normalized = self.normalize(text)
        (intent, confidence), runner_up = self.rank(normalized)
        if self._margins.known_share(normalized) < MIN_KNOWN_SHARE:
            confidence = 0.0  # mostly letters in orders the examples never use: any intent is a guess
        if confidence < self.threshold:
            intent, runner_up = catalog.FALLBACK_INTENT, None
        return Parse(text, intent, confidence, self.entities(text, normalized), normalized, runner_up)

    def rank(self, normalized: str) -> tuple[tuple[str, float], tuple[str, float]]:
        """The best two intents of a normalized text, with their confidences."""
        margins = self._margins(normalized)
        # The ufuncs' reductions themselves, without the methods' wrappers: the same sums, sooner.
        scaled = np.exp(_SOFTMAX_SCALE * (margins - np.maximum.reduce(margins)))
        probabilities = scaled / np.add.reduce(scaled)
        second, first = probabilities.argpartition(-2)[-2:].tolist()
        chances: list[float] = probabilities.tolist()  # Python floats: quicker to index and compare
        if chances[second] > chances[first]:
            first, second = second, first
        classes = self._classes
        return (classes[first], chances[first]), (classes[second], chances[second])

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


def _site_words(content: Content) -> dict[str, str]:
    sites = {site: site for site in content.lookups.get("site", catalog.SITES)}
    for variant, main in content.synonyms.items():
        if main in sites and len(tokens(variant)) == 1:
            sites[tokens(variant)[0]] = main
    return sites


def _times(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if not any(word in text for word in _TIME_WORDS):
        return found
    for match in _TIME.finditer(text):
        entity: dict[str, Any] = {"entity": "time", "value": match.group(0).strip()}
        if match["unit"]:
            count = _COUNTS.get(match["count"]) or int(match["count"])
            entity["days_ago"] = count * _DAYS_PER[match["unit"].rstrip("s")]
        elif match["word"]:
            entity["days_ago"] = _DAYS_AGO[match["word"]]
        found.append(entity)
    return found
