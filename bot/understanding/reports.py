"""Triage's report layer: does a message report a symptom now, about the patient or someone cared for?"""

from __future__ import annotations

import logging

from bot.understanding.severity import SeverityModel

logger = logging.getLogger(__name__)

# Leans to asking: a checklist costs the patient one tap, a missed report much more. On the two
# held-out sets of tests/data (which the model never trains on), -0.75 finds 97% of the symptom
# reports and asks 0.9% of the other messages.
_THRESHOLD = -0.75


class SymptomDetector:
    """Reads the severity model's margin for any report (a red flag or a symptom without one) over calm."""

    def __init__(self, model: SeverityModel) -> None:
        self._model = model

    def margin(self, normalized: str) -> float:
        """The margin for "a report of a symptom now": the larger, the surer."""
        return self._model.judge(normalized).report

    def reports(self, normalized: str) -> bool:
        return self.margin(normalized) > _THRESHOLD
