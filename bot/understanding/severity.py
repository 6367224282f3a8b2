"""Triage's learned layer: red flags the lexicon has no words for, matches to doubt, symptom reports."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from bot.content.catalog import FALLBACK_INTENT
from bot.content.model import Content
from bot.understanding import linear
from bot.understanding.linear import LinearModel, LinearScorer
from bot.understanding.modelcache import cached_model
from bot.understanding.patterns import Cues
from bot.understanding.sentences import after_last_turn
from bot.understanding.text import Normalizer, simplify
from bot.understanding.triage import Triage, Triager

logger = logging.getLogger(__name__)

EMERGENCY, URGENT, CALM = "emergency", "urgent", "calm"
# A symptom with no red flag (the detector's reports): the checklist asks about it; the model leaves it.
SYMPTOM = "symptom"
# The intent whose examples are symptom reports; every other intent's examples are calm.
REPORT_INTENT = "report_symptom"
# The signs the model adds to a verdict; the nurses read their labels, the patient does not.
UNLISTED = "unlisted"
LEARNED_EMERGENCY = "learned_emergency"
LEARNED_LABELS = {
    UNLISTED: "a possible red flag the word list does not know: please read the message",
    LEARNED_EMERGENCY: "read as an emergency by the learned layer",
}
_COST = 1.0
# The thresholds were chosen by leave-one-corpus-out on the red-flag corpora, each held-out corpus
# met by the lexicon as it was before that corpus was read (the fresh-phrasing case): raising at 0.25
# took red flags alerted from 85% to 96% with no more false alarms than the lexicon alone (9.6% -> 9.4%);
# at the model's own boundary (0) 98%, for 2.5 more false alarms in 100.
_RAISE = 0.25
# Only a lexicon match the model is this sure is calm is doubted (the checklist is asked instead of an
# alert): at -1.0 rather than -1.5, false alarms 10.7% -> 9.4%, for 0.3% of red flags met by the
# checklist rather than an alert.
_DOUBT = -1.0
# An emergency match is doubted only when the model is surer still, and the patient is told to call the
# emergency number if it is happening now: leave-one-corpus-out on safety_blind9 and 10 (the model
# trained without the held-out corpus, the lexicon never mended on it), false alarms 9.9% -> 7.8% with
# no red flag or emergency lost (-1.0 would lose one emergency in 175 for 6.1%).
_DOUBT_EMERGENCY = -1.5
# Thoughts of self-harm are never doubted: indirect words are how they are often said.
_NEVER_DOUBTED = frozenset({"self_harm"})
# An urgent match the model reads as an emergency by this margin is one (and a raised message is one):
# emergencies met as emergencies went from 82% to 92%, while 0.4% of urgent reports were over-read.
_UPGRADE = 0.5
# Vomiting that is an emergency (blood, coffee grounds) is a sign of its own in the lexicon; the model, which
# learned those emergencies, reads any vomiting as one ("vomité tres veces"): the lexicon grades it.
_GRADED_BY_THE_LEXICON = frozenset({"vomiting"})
# A message this short that says only that the patient feels unwell is asked about, not raised.
_VAGUE_WORDS = 6


@dataclass(frozen=True)
class Severity:
    """The model's margins for one message."""

    alert: float  # a red flag now (emergency or urgent) over calm and a symptom without a flag
    emergency: float  # an emergency over all the other classes
    report: float  # any report now (a red flag or a symptom without one) over calm

    @property
    def level(self) -> str:
        """The level the model would alert at."""
        return EMERGENCY if self.emergency > _UPGRADE else URGENT


class SeverityModel:
    """One linear model over intents/severity.yml (red flags by level, look-alikes as calm), the intents'
    examples and the detector's corpus (symptom reports without a flag, and calm messages)."""

    def __init__(self, content: Content, normalize: Normalizer) -> None:
        examples = [*content.severity_examples, *_other_examples(content)]
        self.normalize = normalize
        texts, labels = [text for text, _ in examples], [label for _, label in examples]

        def train() -> LinearModel:
            logger.info("severity model: training on %d examples", len(examples))
            return linear.fit([normalize(text) for text in texts], labels, _COST)

        model = cached_model(content.root, "severity", [_COST, texts, labels, normalize.inputs], train)
        # Longer than any message it learned from, a message is one the model cannot judge calm.
        self._longest = max(len(text.split()) for text in texts)
        classes = list(model.classes)
        self._columns = np.array([classes.index(label) for label in (EMERGENCY, URGENT, CALM, SYMPTOM)])
        self._margins = LinearScorer(model)
        # The engine asks twice of a message (how severe, and is it a report): scored once.
        self.judge = lru_cache(maxsize=1024)(self._judge)
        self._playing_down = Cues(content.triage.playing_down)

    def _judge(self, normalized: str) -> Severity:
        """The margins of a normalized text."""
        emergency, urgent, calm, symptom = self._margins(normalized).take(self._columns).tolist()
        other = max(calm, symptom)
        return Severity(max(emergency, urgent) - other, emergency - max(urgent, other),
                        max(emergency, urgent, symptom) - calm)

    def assess(self, triager: Triager, text: str, mended: str = "",
               awaiting_temperature: bool = False) -> Triage:
        """Every triage layer's verdict on one text: the lexicon's (with its calm contexts), weighed."""
        verdict = triager.assess(text, mended, awaiting_temperature)
        # Only a calm verdict may be raised, and not for the words that play it down alone.
        calm = verdict.level == "none" and (triager.calm(text) or self._raised_for_playing_down(text))
        # "feel like crap": unwell and nothing more said is the rubric's check, not an alert; so is a longer
        # message the model would not raise without its words of feeling unwell ("my wife says she feels
        # awful today, she had the kidney cryo on tuesday").
        unwell = triager.unwell_words(text) if verdict.level == "none" else None
        vague = unwell is not None and (
            len(text.split()) <= _VAGUE_WORDS or self._raised_only_by(text, unwell))
        normalized = mended or self.normalize(text)
        # A sign told after a turn ("my mother-in-law had jaundice years ago, and today it's me with yellow
        # eyes"): doubted only if the model reads the words after the turn as calm too, not just the whole;
        # read only where the model would doubt the sign.
        doubts = verdict.alerts and bool(normalized) and self._doubts(verdict, self.judge(normalized))
        turned = self._told_after_a_turn(triager, text) if doubts else ""
        return self.weigh(verdict, normalized, calm, vague, turned)

    def _told_after_a_turn(self, triager: Triager, text: str) -> str:
        """The message from its last turn on, normalized, when a sign is told there ("" otherwise)."""
        whole = simplify(text)
        now = after_last_turn(whole)
        return self.normalize(now) if len(now) < len(whole) and triager.assess(now).alerts else ""

    def _raised_for_playing_down(self, text: str) -> bool:
        """"No quiero molestar, ¿cuándo me puedo bañar?": the model would not raise it without those words."""
        found = [match[0] for match in self._playing_down.finditer(simplify(text))]
        return bool(found) and self._raised_only_by(text, *found)  # "disculpe, seguro es una pregunta tonta"

    def _raised_only_by(self, text: str, *words: str) -> bool:
        """Without `words`, the model would not raise the message."""
        left = simplify(text)
        for said in words:
            left = left.replace(said, " ")
        return self.judge(self.normalize(left)).alert <= _RAISE

    def weigh(self, verdict: Triage, normalized: str, calm: bool = False, vague: bool = False,
              turned: str = "") -> Triage:
        """The lexicon's verdict with the model's view: raised, upgraded or doubted, else as it was.

        A temperature read from the message is a measurement: the model never overrules it. A message
        in a calm context (`calm`: a hot flash, the weather, getting better) or whose sign words the
        lexicon discounted is never raised; a short one that says only that the patient feels unwell
        (`vague`) is asked about with the checklist. `turned`: the message from its last turn on."""
        if not normalized or verdict.reading is not None or verdict.level not in ("none", URGENT, EMERGENCY):
            return verdict
        severity = self.judge(normalized)
        if verdict.level == "none":
            if severity.alert <= _RAISE or verdict.needs_temperature or calm or verdict.doubted:
                return verdict  # a doubted sign: the lexicon asks already
            if verdict.mentioned or vague:
                # Sign words the lexicon found negated, past, someone else's or asked about: the layers
                # disagree, so the checklist asks rather than either one deciding alone (not alerting
                # here: one false alarm fewer in 293, no red flag lost, leave-one-corpus-out on
                # safety_blind9 and 10 with the lexicon as it was before reading them).
                return replace(verdict, doubted=(UNLISTED,))
            logger.info("severity model raised a message to %s (margin %.2f)", severity.level, severity.alert)
            return replace(verdict, level=severity.level, red_flags=(UNLISTED,),
                           labels=(LEARNED_LABELS[UNLISTED],))
        if self._doubts(verdict, severity) and len(normalized.split()) <= self._longest and not (
                turned and not self._doubts(verdict, self.judge(turned))):
            logger.info("severity model doubts %s (margin %.2f)", ",".join(verdict.red_flags), severity.alert)
            return Triage("none", doubted=verdict.red_flags)
        if verdict.level == URGENT and severity.level == EMERGENCY and not _GRADED_BY_THE_LEXICON & set(
                verdict.red_flags):
            return replace(verdict, level=EMERGENCY, red_flags=(*verdict.red_flags, LEARNED_EMERGENCY),
                           labels=(*verdict.labels, LEARNED_LABELS[LEARNED_EMERGENCY]))
        return verdict

    @staticmethod
    def _doubts(verdict: Triage, severity: Severity) -> bool:
        """The model is sure enough that this lexicon match is calm to ask the checklist instead."""
        if _NEVER_DOUBTED & set(verdict.red_flags):
            return False
        return severity.alert <= (_DOUBT_EMERGENCY if verdict.level == EMERGENCY else _DOUBT)


def learned_only(verdict: Triage) -> bool:
    """True when only the model found the red flag (no sign of the lexicon is named)."""
    return verdict.red_flags == (UNLISTED,)


def _other_examples(content: Content) -> list[tuple[str, str]]:
    """What is not a red flag: the intents' examples and the detector's corpus, the symptom reports among
    them as symptoms, the rest as calm. Out-of-scope chat is left out: its jokes are "funny" and its
    AFib the "heart", the words patients use for symptoms."""
    intents = [(e.text, SYMPTOM if i.name == REPORT_INTENT else CALM)
               for i in content.intents.values() if i.name != FALLBACK_INTENT for e in i.examples]
    return intents + [(text, SYMPTOM if reports else CALM) for text, reports in content.symptom_reports]

