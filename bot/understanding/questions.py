"""Every question in a message: the parts split apart, each classified, and what only accompanies a
question (a greeting, thanks, the procedure told in passing) set aside when something is asked."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.content import catalog
from bot.understanding.nlu import Classifier, Parse
from bot.understanding.split import follow_up, halves, pieces, split_questions

logger = logging.getLogger(__name__)

# The questions answered from one message; the rest are counted and the patient is told.
MAX_QUESTIONS = 3
SYMPTOM = "report_symptom"
# How sure the classifier must be that what is told before a question is a symptom ("my mum is 82 and
# has a small tumour" is context, "im peeing blood" a symptom).
SURE_SYMPTOM = 0.95
# How sure the classifier must be of each half of "side effects and recovery time" to answer both.
TWO_IN_ONE = 0.6
# Parts that only go with a question: answered only when nothing else is said.
ACCOMPANYING = frozenset({"greet", "thanks", "goodbye", "affirm", "deny", "help", "inform_procedure"})


@dataclass(frozen=True)
class Reading:
    """A message read whole (for triage) and as its questions, in order."""

    whole: Parse
    questions: tuple[Parse, ...]
    skipped: int = 0

    @property
    def main(self) -> Parse:
        """The message's main question, carrying the whole text (what triage reads and what is logged):
        the one the message read whole is about, when it is among them, else the first."""
        main = next((q for q in self.questions if q.intent == self.whole.intent), self.questions[0])
        return replace(self.whole, intent=main.intent, confidence=main.confidence,
                       entities=main.entities, runner_up=main.runner_up)

    @property
    def intents(self) -> list[str]:
        """Every question's intent, in order."""
        return [question.intent for question in self.questions]


def read(classifier: Classifier, text: str, limit: int = MAX_QUESTIONS) -> Reading:
    """The message's questions, at most `limit` of them, and how many more there were."""
    parts = split_questions(text)
    whole = classifier.parse(text)
    parsed = [whole] if len(parts) == 1 else [classifier.parse(part) for part in parts]
    parsed = [question for part in parsed for question in _unswallowed(classifier, part)]
    if parsed == [whole]:
        return Reading(whole, (whole,))
    site = whole.entity("site")
    parsed = [_with_site(part, site) for part in parsed]
    questions = settle([p for p in parsed if _says_something(p, classifier.threshold)])
    if not questions:
        return Reading(whole, (whole,))
    return Reading(whole, questions[:limit], max(len(questions) - limit, 0))


def settle(questions: Sequence[Parse]) -> tuple[Parse, ...]:
    """The questions to answer: each once, and what only accompanies them set aside."""
    unique = {(q.intent, q.entity("site")): q for q in reversed(questions)}
    once = [q for q in questions if unique[(q.intent, q.entity("site"))] is q]
    asked = [q for q in once if q.intent not in ACCOMPANYING]
    return tuple(asked if asked and len(once) > 1 else once)


def _unswallowed(classifier: Classifier, part: Parse) -> list[Parse]:
    """What a part read whole would swallow: a question after what only accompanies it ("thanks for
    that. how much is it?", "had my liver done, what are the side effects"), or a symptom told before a
    question ("im peeing blood. is that a side effect?")."""
    cut = pieces(part.text)
    if part.intent in catalog.KNOWLEDGE_INTENTS and len(cut) < 2:
        return _two_in_one(classifier, part)
    if len(cut) < 2 or part.intent == SYMPTOM:
        return [part]
    sure = [p for p in map(classifier.parse, cut if part.intent in ACCOMPANYING else cut[:-1])
            if p.confidence >= classifier.threshold]
    if part.intent in ACCOMPANYING:
        return [p for p in sure if p.intent not in ACCOMPANYING] or [part]
    return [*[p for p in sure if p.intent == SYMPTOM and p.confidence >= SURE_SYMPTOM][:1], part]


def _two_in_one(classifier: Classifier, part: Parse) -> list[Parse]:
    """A question that is two joined by "and", each half surely about a topic of its own."""
    for left, right in halves(part.text):
        if min(len(left.split()), len(right.split())) < 2:
            continue  # "cryo and surgery": one thing and another, not two questions
        first = classifier.parse(left)
        if not _surely_a_topic(first):
            continue  # the right half cannot make it two questions: not worth reading
        both = [first, classifier.parse(right)]
        intents = [p.intent for p in both]
        # Each half sure of a topic of its own, and the whole read as one of them.
        if _surely_a_topic(both[1]) and intents[0] != intents[1] and part.intent in intents:
            return both
    return [part]


def _surely_a_topic(parse: Parse) -> bool:
    return parse.intent in catalog.KNOWLEDGE_INTENTS and parse.confidence >= TWO_IN_ONE


def _says_something(parse: Parse, threshold: float) -> bool:
    """A part the classifier is sure of, or the start of a follow-up ("and after?") to resolve."""
    return parse.confidence >= threshold or bool(follow_up(parse.normalized))


def _with_site(question: Parse, site: str | None) -> Parse:
    """The site named anywhere in the message goes with a question that names none."""
    if site is None or question.entity("site"):
        return question
    return replace(question, entities=(*question.entities, {"entity": "site", "value": site}))
