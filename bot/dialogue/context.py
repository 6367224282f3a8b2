"""Follow-ups in context: a fragment that names no topic ("and after?", "what about for the liver?",
"so no driving?") is read against the chat's last topic and procedure, kept in its slots."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.content import catalog
from bot.understanding.nlu import Classifier, Parse
from bot.understanding.split import asks, checks_the_answer, follow_up

logger = logging.getLogger(__name__)

# The slot that keeps the last topic answered (a knowledge intent).
TOPIC_SLOT = "topic"
# The entity that marks a question read as a follow-up, with the intent it was read as.
FOLLOW_UP_ENTITY = "follow_up"
# A fragment with nothing to go on gets the topics menu, never a guess.
NO_CONTEXT_INTENT = "help"
# A remainder classified this surely asks a question of its own ("and how long is recovery").
OWN_QUESTION = 0.8
# A short question read this surely names its topic, if nothing was asked before it ("any cons", "do ppl
# go home same day"): a question of its own, not a fragment with nothing to go on.
SURE_TOPIC = 0.95
# Fragments that ask about another time than the topic's: the topic they lead to.
_WHEN = {"after": "recovery", "afterwards": "recovery", "after that": "recovery", "later": "recovery",
         "later on": "recovery", "before": "preparation", "beforehand": "preparation",
         "before that": "preparation", "during": "procedure_internal", "on the day": "procedure_internal",
         "despues": "recovery", "luego": "recovery", "antes": "preparation", "durante": "procedure_internal"}
# "why?", "¿y por qué?", "why not always?": asked of the answer just given, so of its topic.
_WHY = re.compile(r"(?:(?:and|but|y|pero) )?(?:why(?: not| is that)?|how come|por que(?: no)?|como asi)"
                  r"(?: \w+)?")
# "for how long?" asks how long the topic's thing lasts (fasting, the catheter, a scab); after the
# procedure itself, how long it takes.
_HOW_LONG = re.compile(r"(?:(?:and|y) )?(?:for )?how long"
                       r"(?: (?:for|does it (?:last|stay)|it (?:lasts|stays)))?"
                       r"|(?:(?:y|por) )*cuanto tiempo(?: (?:dura|se queda))?")
_PROCEDURE_TOPICS = frozenset({"procedure_internal", "procedure_skin", "what_is_cryotherapy", "how_it_works"})
# After these topics, "and after?" means how to care for the treated spot.
_AFTER_CARE_TOPICS = frozenset({"recovery", "procedure_skin", "aftercare"})
_TOPICS = frozenset({*catalog.KNOWLEDGE_INTENTS, *catalog.SYMPTOM_INTENTS})
# Words that point back to what was said before.
_POINTERS = frozenset({"them", "those", "that", "same", "too", "either"})
_POINTING_WORDS = 6  # at most, in a question that points back
# "same" in "the same day" tells a time, not what was said before.
_SAME_TIME = re.compile(r"\bsame(?= (?:day|night|evening|morning|afternoon|week|time)\b)")
_COURTESY = frozenset({"greet", "thanks", "goodbye", "affirm", "deny"})
# What is said in its own right, whatever came before.
_STANDS_ALONE = _COURTESY | {"report_symptom", "talk_to_nurse", "bot_challenge", "help", "sources"}
# Said in its own right even after "and": a request or a report is never a fragment of the topic.
_REQUESTS = _STANDS_ALONE - _COURTESY
_FILLER = frozenset({"the", "my", "a", "for", "of", "in", "on", "with", "cancer", "tumor", "cryotherapy",
                     "one", "instead", "too", "then", "same",
                     "el", "la", "mi", "para", "de", "del", "tambien"})


def resolve(questions: Sequence[Parse], slots: Mapping[str, Any],
            classifier: Classifier) -> tuple[Parse, ...]:
    """Each question with its fragments read against the topic before it (the chat's, then the message's)."""
    topic = slots.get(TOPIC_SLOT)
    resolved = []
    for question in questions:
        question = _resolve_one(question, topic, classifier, alone=len(questions) == 1)
        if question.intent in catalog.KNOWLEDGE_INTENTS:
            topic = question.intent
        resolved.append(question)
    return tuple(resolved)


def _resolve_one(question: Parse, topic: str | None, classifier: Classifier, alone: bool) -> Parse:
    """The question as asked, or, when it is a fragment, re-read against the topic before it."""
    # Alone: within a message of several questions, "how long" is asked of its own.
    on_topic = _asked_of_the_answer(question.normalized, topic) if alone else None
    if on_topic is not None:
        return _read_as(question, on_topic, topic)
    rest = follow_up(question.normalized)
    unsure = question.confidence < classifier.threshold
    if topic is None and not alone and not unsure:
        return question  # "vale, gracias. ¿y cuánto tarda la costra? …": nothing before it to lean on
    # A short question alone points back ("can they do it again?"); one of a list ("¿Duele? ¿Cuánto
    # cuesta?") is asked in its own right.
    refers_back = alone and rest is None and _refers_back(question, classifier.keywords) and not (
        topic is None and question.intent in catalog.KNOWLEDGE_INTENTS and question.confidence >= SURE_TOPIC)
    if rest is None and not unsure and not refers_back:
        return question  # reads as a question of its own
    if rest is not None and topic is None and checks_the_answer(question.normalized):
        # "¿ni siquiera agua?" with nothing before it: the menu, and not marked as a follow-up, so that
        # triage still reads it whole ("ni siquiera puedo respirar" is a report).
        return replace(question, intent=NO_CONTEXT_INTENT, runner_up=None)
    intent = _by_time_or_site(rest or question.normalized, topic, question)
    if intent is None and rest:
        intent = _by_own_words(rest, topic, classifier)
    if intent is None and refers_back:
        intent = topic or NO_CONTEXT_INTENT
    if intent is None or intent == question.intent:
        return question
    return _read_as(question, intent, topic)


def bare_fragments_only(questions: Sequence[Parse], written: str) -> tuple[Parse, ...]:
    """The questions, each keeping its follow-up mark only when it is all the message says: a fragment
    read out of a longer message ("…me sale pus. ¿qué hago?") leaves the rest for triage to read whole."""
    return tuple(q if q.text.strip() == written.strip() else replace(
        q, entities=tuple(e for e in q.entities if e.get("entity") != FOLLOW_UP_ENTITY)) for q in questions)


def _read_as(question: Parse, intent: str, topic: str | None) -> Parse:
    """The question read as a follow-up meaning `intent`."""
    logger.info("follow-up read against topic %s as %s", topic, intent)
    # Marked, so that triage's learned net does not take a bare "and after?" for a symptom.
    marked = (*question.entities, {"entity": FOLLOW_UP_ENTITY, "value": intent})
    return replace(question, intent=intent, confidence=1.0, runner_up=None, entities=marked)


def _asked_of_the_answer(normalized: str, topic: str | None) -> str | None:
    """"why?" is asked of the topic; "for how long?" too, or of the procedure's duration (None: neither)."""
    text = normalized.strip()
    if _WHY.fullmatch(text):
        return topic or NO_CONTEXT_INTENT
    if _HOW_LONG.fullmatch(text):
        return "duration" if topic is None or topic in _PROCEDURE_TOPICS else topic
    return None


def _refers_back(question: Parse, keywords: frozenset[str]) -> bool:
    """A short question that names no topic and points back ("how long?", "is that the same for
    kidney?", "same for them?"); never a symptom told, nor a request for a person."""
    words = question.normalized.split()
    if len(words) > _POINTING_WORDS or question.intent in _STANDS_ALONE \
            or (keywords & set(words)) - set(catalog.SITES):  # a site alone names no topic
        return False
    return len(words) <= 2 or bool(_POINTERS & set(_SAME_TIME.sub("", " ".join(words)).split()))


def _by_time_or_site(rest: str, topic: str | None, question: Parse) -> str | None:
    """"and after?" leads on from the topic; "what about for the liver?" is the topic for the liver."""
    if rest in _WHEN:
        if topic is None:
            return NO_CONTEXT_INTENT
        return "aftercare" if _WHEN[rest] == "recovery" and topic in _AFTER_CARE_TOPICS else _WHEN[rest]
    site = question.entity("site")
    if site and set(rest.split()) - _FILLER <= {site, *catalog.SITES}:
        return topic or NO_CONTEXT_INTENT
    return None


def _by_own_words(rest: str, topic: str | None, classifier: Classifier) -> str:
    """What follows the opening, when it surely says something of its own; else the topic."""
    own = classifier.parse(rest)
    if own.confidence < OWN_QUESTION:
        return topic or NO_CONTEXT_INTENT
    if asks(rest) or own.intent in _TOPICS or own.intent in _REQUESTS or (
            own.intent in _COURTESY and len(rest.split()) == 1):
        return own.intent  # "and how long is recovery?", "and the catheter?", "y puedo hablar con…"
    # "so no driving?" is not a "no", nor "what about the gym?" out of scope: they are about the topic.
    return topic or NO_CONTEXT_INTENT
