"""The symptom-report detector: reports of a symptom now, and everything else."""

from __future__ import annotations

import pytest

from bot.content.model import Content
from bot.understanding.nlu import Classifier
from bot.understanding.reports import SymptomDetector
from bot.understanding.severity import SeverityModel


@pytest.fixture(scope="module")
def detector(content: Content, classifier: Classifier) -> SymptomDetector:
    return SymptomDetector(SeverityModel(content, classifier.normalize))


# None of these is in its corpus or in intents/.
@pytest.mark.parametrize("text", [
    "my knee has been aching all afternoon", "my wife feels strange and shaky",
    "i have a weird pain in my hip", "mi papa se siente muy mal hoy", "im really dizzy right now"])
def test_reports_of_a_symptom_now(detector: SymptomDetector, classifier: Classifier, text: str) -> None:
    assert detector.reports(classifier.normalize(text))


@pytest.mark.parametrize("text", [
    "how long is the recovery after lung cryoablation", "what should I watch out for",
    "thank you so much", "can i shower tomorrow", "cuanto cuesta el tratamiento"])
def test_questions_and_thanks_are_not_reports(detector: SymptomDetector, classifier: Classifier,
                                             text: str) -> None:
    assert not detector.reports(classifier.normalize(text))
