"""Every question in a message: the parts split apart, each classified, and what only accompanies a
question (a greeting, thanks, the procedure told in passing) set aside when something is asked."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.content import catalog
from bot.understanding.nlu import Classifier, Parse
from bot.understanding.split import (
    asks_for_the_menu,
    asks_or_whether,
    asks_the_bot,
    follow_up,
    halves,
    pieces,
    split_questions,
)

logger = logging.getLogger(__name__)

# The questions answered from one message; the rest are counted and the patient is told.
MAX_QUESTIONS = 3
SYMPTOM = "report_symptom"
# How sure the classifier must be that what is told before a question is a symptom ("my mum is 82 and
# has a small tumour" is context, "im peeing blood" a symptom) or a request ("i need a nurse").
SURE_SYMPTOM = 0.95
# How sure the classifier must be of each half of "side effects and recovery time" to answer both.
TWO_IN_ONE = 0.6
# At most this many words name a topic ("cost", "side effects"); more tell something ("dad has meso").
_TOPIC_WORDS = 2
# Letters a word alone needs to name a topic ("cost", "cons"; not "any", "all").
_CONTENT_WORD = 4
# What a treatment's name alone reads as ("cryo", "chemo"): a thing asked about, not a question.
_TREATMENT_NAMED = frozenset({"what_is_cryotherapy", "combined_treatments"})
# What is said in its own right even when told before a question: a symptom, a request for a person.
_SAID_ON_ITS_OWN = frozenset({SYMPTOM, "talk_to_nurse", "bot_challenge"})
# Words that point back at what the question before was about ("how long do they last"), and the
# most words such a question has; one its own words read this surely is about its own topic.
_POINTING_BACK = frozenset({"they", "them", "those", "these"})
_POINTING_WORDS = 6
# What the care team does: "how do they know it's gone" is about the team, not the topic before.
_THEY_DO = frozenset({"know", "use", "put", "keep", "freeze", "check", "see", "give", "tell", "say", "take",
                      "send", "find", "decide", "remove", "call"})
SURE_OWN = 0.95
# Under this, a question read with the story told before it is in doubt; read alone it may be sure.
# Not "what is it": alone it always asks what cryotherapy is, whatever the story named ("i found a lump,
# what is it", "is cryo a thing for that").
UNSURE_WHOLE = 0.9
_READ_ALONE = frozenset(catalog.KNOWLEDGE_INTENTS) - {"what_is_cryotherapy"}
# What a half of a question joined to another may ask: a topic, for a person, or about the bot.
_ASKED_ABOUT = frozenset({*catalog.KNOWLEDGE_INTENTS, "talk_to_nurse", "bot_challenge", "help"})
# What answers the bot's own question; a part that asks is neither.
_ANSWERS = frozenset({"affirm", "deny"})
# Parts that only go with a question: answered only when nothing else is said.
ACCOMPANYING = frozenset({"greet", "thanks", "goodbye", "affirm", "deny", "help", "inform_procedure"})
HELP = "help"


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
    parsed = [whole] if len(parts) == 1 else [_asked(classifier.parse(part), classifier.threshold)
                                               for part in parts]
    parsed = [question for part in parsed for question in _unswallowed(classifier, part)]
    if parsed == [whole]:
        return Reading(whole, (whole,))
    site = whole.entity("site")
    parsed = _carried([_with_site(part, site) for part in parsed], classifier.keywords)
    questions = settle([p for p in parsed if _says_something(p, classifier.threshold)])
    if not questions:
        return Reading(whole, (whole,))
    return Reading(whole, questions[:limit], max(len(questions) - limit, 0))


def _asked(part: Parse, threshold: float) -> Parse:
    """A part that asks ("si duele", "and whether it hurts") is no yes or no, which only answer the bot:
    it is the topic read next to them, when that is sure enough."""
    second = part.runner_up
    if part.intent not in _ANSWERS or second is None or second[0] not in catalog.KNOWLEDGE_INTENTS \
            or second[1] < threshold or not asks_or_whether(part.text):
        return part
    return replace(part, intent=second[0], confidence=second[1], runner_up=None)


def settle(questions: Sequence[Parse]) -> tuple[Parse, ...]:
    """The questions to answer: each once, where it was first asked but in its fullest wording ("cuanto
    cuesta y lo cubre el seguro": a short "cuanto cuesta" alone would point back), and what only
    accompanies them set aside."""
    fullest: dict[tuple[str, str | None], Parse] = {}
    for q in questions:
        key = (q.intent, q.entity("site"))
        if key not in fullest or len(q.text) > len(fullest[key].text):
            fullest[key] = q  # keeps the place of the first
    once = list(fullest.values())
    asked = [q for q in once if q.intent not in ACCOMPANYING or _asks_what_i_do(q)]
    return tuple(asked if asked and len(once) > 1 else once)


def _asks_what_i_do(question: Parse) -> bool:
    """What the bot can do, asked with a question word ("what can you help with", "what topics can u
    answer") or by the menu's name ("menu please"), is a question of its own beside the others; "help!"
    or "can you help me" only opens them."""
    return question.intent == HELP and (asks_the_bot(question.text) or asks_for_the_menu(question.text))


def _unswallowed(classifier: Classifier, part: Parse) -> list[Parse]:
    """What a part read whole would swallow: a question after what only accompanies it ("thanks for
    that. how much is it?", "had my liver done, what are the side effects"), or a symptom told before a
    question ("im peeing blood. is that a side effect?")."""
    cut = pieces(part.text)
    if len(cut) < 2:
        return _two_in_one(classifier, part)
    if part.intent == SYMPTOM:
        return [part, *_asked_after(classifier, cut[-1])]
    sure = [p for p in map(classifier.parse, cut if part.intent in ACCOMPANYING else cut[:-1])
            if p.confidence >= classifier.threshold]
    if part.intent in ACCOMPANYING:
        # What is told before the last piece is its story ("my dermatologist is freezing a spot next
        # week. does it sting?"), unless it asks or is said in its own right.
        return [p for p in sure if (p.intent not in ACCOMPANYING or _asks_what_i_do(p))
                and (p is sure[-1] or p.intent in _SAID_ON_ITS_OWN or asks_or_whether(p.text))] or [part]
    told = [p for p in sure if p.intent in _SAID_ON_ITS_OWN and p.confidence >= SURE_SYMPTOM]
    if told:
        said = {t.text for t in told}
        return [*told, *_asked_besides(classifier, part, [c for c in cut if c not in said])]
    # A topic named before a question ("cost and where to get it") is a question of its own.
    named = len(cut[0].split()) <= _TOPIC_WORDS
    return _two_in_one(classifier, part) if named else [_over_story(classifier, part, cut)]


def _asked_besides(classifier: Classifier, part: Parse, rest: Sequence[str]) -> list[Parse]:
    """What is asked besides a request or symptom told in its own right ("i'd like to speak to a nurse,
    and could you also tell me how to prepare"): the rest read without it, when that is sure; the whole
    would read as the request again."""
    question = classifier.parse(" ".join(rest))
    return _two_in_one(classifier, question) if question.confidence >= classifier.threshold else [part]


def _over_story(classifier: Classifier, part: Parse, cut: Sequence[str]) -> Parse:
    """The question read alone, when it is sure of its topic and the story told before it left the
    whole in doubt ("the surgeon won't operate because of my heart. does it work as well as surgery?"
    reads half as candidacy)."""
    if part.confidence >= UNSURE_WHOLE and not _out_of_scope_mixed(classifier, part, cut):
        return part
    question = classifier.parse(cut[-1])
    if question.intent in _READ_ALONE and question.confidence >= SURE_OWN:
        return replace(part, intent=question.intent, confidence=question.confidence, runner_up=None)
    return part


def _out_of_scope_mixed(classifier: Classifier, part: Parse, cut: Sequence[str]) -> bool:
    """Read whole as out of scope though each piece alone is in scope ("my heart is too weak for surgery
    so they suggested freezing the tumour. how long is the hospital stay?"): the mix misleads, not the
    topic. A piece out of scope alone ("my cardiologist wants to freeze my AFib") keeps the whole so."""
    return part.intent == catalog.FALLBACK_INTENT and all(
        classifier.parse(piece).intent != catalog.FALLBACK_INTENT for piece in cut)


def _asked_after(classifier: Classifier, question: str) -> list[Parse]:
    """The question asked after a symptom, when it is surely about a topic of its own ("my leg is sore,
    when should i call?"); "is that normal?" is the symptom's own."""
    parse = classifier.parse(question)
    sure = parse.intent in catalog.KNOWLEDGE_INTENTS and parse.confidence >= SURE_OWN
    return [parse] if sure and asks_or_whether(question) else []


def _two_in_one(classifier: Classifier, part: Parse) -> list[Parse]:
    """A question that is two (or three) joined by "and", or run on, each half surely about a topic of
    its own: "side effects and recovery time?", "cost and where to get it", "are you a bot what gas do
    they use"."""
    if part.intent not in _ASKED_ABOUT | {catalog.FALLBACK_INTENT}:
        return [part]
    for left, right in halves(part.text):
        first = classifier.parse(left)
        if not _a_topic(first, classifier.threshold):
            continue  # the right half is read only when the left one asks (most do not)
        second = classifier.parse(right)
        # Each half sure of a topic of its own, and the whole read as one of them, or as out of scope:
        # two questions run together may read as neither ("what are the risks how long is recovery").
        if _a_topic(second, classifier.threshold) and first.intent != second.intent \
                and part.intent in (first.intent, second.intent, catalog.FALLBACK_INTENT):
            return [first, *_two_in_one(classifier, second)]
    return [part]


def _a_topic(half: Parse, threshold: float) -> bool:
    """A half that asks about a topic, or asks the bot itself. A word alone may ("cost", "cons"), but not
    a treatment or a site named alone ("cryo and surgery", "trials for cryo and mesothelioma": one
    question about two things), nor a short function word ("any plus points")."""
    if half.intent not in _ASKED_ABOUT or half.confidence < max(TWO_IN_ONE, threshold):
        return False
    words = half.normalized.split()
    return len(words) > 1 or (len(words[0]) >= _CONTENT_WORD and half.intent not in _TREATMENT_NAMED
                              and half.entity("site") is None)


def _carried(parsed: Sequence[Parse], keywords: frozenset[str]) -> list[Parse]:
    """Each question that points back at the one before it ("what are the side effects and how long do
    they last?", "are they permanent?") read as about its topic, unless it is surely about its own."""
    carried = list(parsed[:1])
    for before, question in itertools.pairwise(parsed):
        words = set(question.normalized.split())
        # Out of scope alone, a short question pointing back is still about the topic before it.
        own = question.confidence >= SURE_OWN and question.intent != catalog.FALLBACK_INTENT
        if before.intent in catalog.KNOWLEDGE_INTENTS and not own \
                and words & _POINTING_BACK and not words & (keywords | _THEY_DO) \
                and len(words) <= _POINTING_WORDS:
            question = replace(question, intent=before.intent, confidence=before.confidence, runner_up=None)
        carried.append(question)
    return carried


def _says_something(parse: Parse, threshold: float) -> bool:
    """A part the classifier is sure of, or the start of a follow-up ("and after?") to resolve."""
    return parse.confidence >= threshold or bool(follow_up(parse.normalized))


def _with_site(question: Parse, site: str | None) -> Parse:
    """The site named anywhere in the message goes with a question that names none."""
    if site is None or question.entity("site"):
        return question
    return replace(question, entities=(*question.entities, {"entity": "site", "value": site}))
