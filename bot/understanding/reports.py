"""Triage's learned layer: does a message report a symptom now, about the patient or someone cared for?"""

from __future__ import annotations

import logging

from bot.content.model import Content
from bot.understanding import linear
from bot.understanding.linear import LinearScorer
from bot.understanding.text import Normalizer

logger = logging.getLogger(__name__)

REPORT, OTHER = "report", "other"
# The intent whose examples are reports; every other intent's examples are not.
REPORT_INTENT = "report_symptom"
_COST = 1.0
# Leans to asking: a checklist costs the patient one tap, a missed report much more. On the two
# held-out sets of tests/data (which it never trains on), -0.75 finds 98% of the symptom reports
# and asks 0.7% of the other messages.
_THRESHOLD = -0.75


class SymptomDetector:
    """A linear model over the detector's own corpus and the intent examples of intents/."""

    def __init__(self, content: Content, normalize: Normalizer) -> None:
        texts, labels = [], []
        for text, reports in content.symptom_reports:
            texts.append(text)
            labels.append(REPORT if reports else OTHER)
        for intent in content.intents.values():
            for example in intent.examples:
                texts.append(example.text)
                labels.append(REPORT if intent.name == REPORT_INTENT else OTHER)
        self._normalize = normalize
        model = linear.fit([normalize(t) for t in texts], labels, _COST)
        self._report_column = list(model.classes).index(REPORT)
        self._margins = LinearScorer(model)
        logger.info("symptom-report detector trained on %d examples", len(texts))

    def margin(self, normalized: str) -> float:
        """The model's margin for "a report of a symptom now": the larger, the surer."""
        margins = self._margins(normalized)
        return float(margins[self._report_column] - margins[1 - self._report_column])

    def reports(self, normalized: str) -> bool:
        return self.margin(normalized) > _THRESHOLD
