"""The custom logic as rasa-sdk Actions: triage with its alert, and answers fitted to the chat.

The engine runs these in-process; `python -m bot actions` serves the same instances to a
Rasa server. They only collect messages in the dispatcher and return slot events.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.config import Settings
from bot.content import catalog
from bot.content.catalog import rank
from bot.content.model import Content
from bot.dialogue import concern
from bot.dialogue.clarify import CLARIFY_RESPONSE, choice_buttons, close_call
from bot.dialogue.context import FOLLOW_UP_ENTITY, TOPIC_SLOT
from bot.dialogue.escalation import escalation, follow_up, labels
from bot.dialogue.respond import Responder
from bot.store.connect import Store
from bot.understanding.language import OTHER
from bot.understanding.reports import SymptomDetector
from bot.understanding.severity import LEARNED_LABELS, SeverityModel, learned_only
from bot.understanding.triage import Triage, Triager

logger = logging.getLogger(__name__)

EventList = list[dict[str, Any]]

# The slots the actions read and set, with their types in a Rasa domain.
SLOTS: Mapping[str, str] = {
    "site": "text",
    "procedure_date": "text",
    "patient_name": "text",
    "awaiting": "text",
    "triage_level": "text",
    "triage_answered": "bool",
    "alert_id": "any",
    "sign_mentioned": "text",
    "concern": "text",
    # The patient's last message that named what a symptom is about ("pee's clear"), for a follow-up that
    # names nothing ("it's gone bright red with clots").
    "said_before": "text",
    "lang": "text",
    "topic": "text",
    # The language of this message ("en", "es" or "other"), for the nurses' alert; not kept.
    "written_in": "text",
}
# What the nurses' alert says of the language the patient wrote in (they read English).
_WRITTEN_IN = {"es": " [written in Spanish]", OTHER: " [written in a language the bot cannot read]"}


@dataclass(frozen=True)
class Services:
    """What the actions need, shared by the engine and the action server."""

    content: Content
    settings: Settings
    triager: Triager
    responder: Responder
    store: Store
    clock: Callable[[], datetime]
    # Mends typos in patient text (the classifier's normalizer). The engine hands the actions
    # the mended text; a Rasa tracker does not have it, so the action server mends it here.
    normalize: Callable[[str], str] | None = None
    # Says whether a message reports a symptom now: the safety net asks the checklist then.
    detector: SymptomDetector | None = None
    # Raises what the lexicon has no words for, and doubts a match it reads as calm.
    severity: SeverityModel | None = None

    def assess(self, text: str, mended: str, awaiting_temperature: bool = False) -> Triage:
        """Every triage layer's verdict on one text: the lexicon's, weighed by the severity model."""
        if self.severity is None:
            return self.triager.assess(text, mended, awaiting_temperature)
        return self.severity.assess(self.triager, text, mended, awaiting_temperature)

    def mended(self, message: dict[str, Any], text: str) -> str:
        """The patient's text with typos mended: the engine's, or mended here for a Rasa tracker."""
        if "normalized" in message or self.normalize is None:
            return str(message.get("normalized") or "")
        return self.normalize(text)


class _ServiceAction(Action):
    """An action built with the services it needs (rasa-sdk accepts instances)."""

    action_name: ClassVar[str]

    def __init__(self, services: Services) -> None:
        self.services = services

    def name(self) -> str:
        return self.action_name


class ActionTriage(_ServiceAction):
    """Red-flag triage of the latest message; escalates and stores the alert first."""

    action_name = "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventList:
        message = tracker.latest_message or {}
        awaiting = tracker.get_slot("awaiting") == "temperature"
        if _entity(message, "thermometer") == "none":
            dispatcher.utter_message(response="utter_no_thermometer")
            return [SlotSet("triage_level", "check"), SlotSet("awaiting", None),
                    SlotSet("triage_answered", True)]
        sign = _entity(message, "sign")
        if sign is not None:
            return await self._checklist_tap(dispatcher, tracker, str(sign))
        text = _patient_text(message)
        mended = self.services.mended(message, text)
        read_in_context = _entity(message, FOLLOW_UP_ENTITY) is not None  # "and after?", not a symptom
        verdict = (self.services.triager.assess(text, mended, awaiting) if read_in_context
                   else self.services.assess(text, mended, awaiting))
        answered = self._checklist_answer(tracker, text, verdict)
        if answered is not None:
            return await self._checklist_tap(dispatcher, tracker, answered, _written(message))
        # Asked once, and only where it decides something: a calm verdict, not a follow-up in context.
        reported = verdict.level == "none" and not read_in_context and (
            bool(verdict.doubted) or self._reports(mended) or bool(self.services.triager.unwell_words(text)))
        opened, said = tracker.get_slot("concern"), tracker.get_slot("said_before")
        story, verdict, told = self._with_open_concern(opened, text, reported, verdict, said)
        if told == text:  # this message alone: the nurses read it as written, not as matched
            told = _written(message)
        if concern.names_a_subject(text):
            said = text[-concern.MAX_STORY_CHARS:]
        events = [SlotSet("triage_level", verdict.level), SlotSet("awaiting", None),
                  SlotSet("triage_answered", False), SlotSet("concern", story), SlotSet("said_before", said),
                  SlotSet("sign_mentioned", ", ".join(verdict.mentioned) or None)]
        if verdict.alerts:
            # The story stays open: a later message that makes it graver ("yes, soaked" after an urgent
            # "a lot of blood") is judged with it and alerts anew; one that adds nothing does not.
            return [*events, *await self._escalate(dispatcher, tracker, verdict, told)]
        asked_next = follow_up(verdict)
        if asked_next is None and story and reported and (verdict.doubted or not verdict.mentioned):
            # The safety net: a symptom that matches no known flag is never met with a plain answer.
            if concern.any_emergency(self.services.content.triage, verdict.doubted):
                # Doubted, an emergency sign's words still bring the emergency number, before the buttons.
                dispatcher.utter_message(response="utter_call_if_now")
            dispatcher.utter_message(response="utter_emergency_checklist")
            return [*events, SlotSet("awaiting", "checklist"), SlotSet("triage_answered", True)]
        if asked_next is None:
            return events
        response, awaiting_next = asked_next
        shown = verdict.reading.display() if verdict.reading else ""
        dispatcher.utter_message(response=response, temperature=shown)
        return [*events, SlotSet("awaiting", awaiting_next), SlotSet("triage_answered", True)]

    def _reports(self, mended: str) -> bool:
        detector = self.services.detector
        return detector is not None and bool(mended) and detector.reports(mended)

    def _with_open_concern(
        self, story: str | None, text: str, reported: bool, verdict: Triage, before: str | None
    ) -> tuple[str | None, Triage, str]:
        """The chat's story after this message, the verdict (on the whole story when that is worse)
        and what the nurses read: this message, or the whole story that made it worse. `before`: the last
        message that named something, what a report that names nothing is about when no story is open."""
        if not text:
            return story, verdict, text
        if story is None:
            if reported and before and concern.with_subject(before, text) != text:
                together = concern.read_together(self.services.triager, before, text, reported)
                if together.alerts and self._adds_to(before, together):
                    whole = concern.with_message(before, text)
                    return whole, together, whole
            opens = verdict.level != "none" or reported
            return (text if opens else None), verdict, text
        if not verdict.alerts and self.services.triager.says_over(text):
            return None, verdict, text
        whole = concern.with_message(story, text)
        together = concern.read_together(self.services.triager, story, text, reported)
        if together.alerts and rank(together.level) > rank(verdict.level) and (
                reported or verdict.alerts or self._adds_to(story, together)):
            logger.info("an open concern worsened: %s", ",".join(together.red_flags))
            return whole, together, whole
        # Alerting on its own, the message is still part of the story the nurses should read, unless an
        # earlier alert told them that story (judged by its words: one the model alone raised is told again).
        told_before = verdict.alerts and self.services.triager.assess(story).alerts
        return whole, verdict, whole if verdict.alerts and not told_before else text

    def _adds_to(self, story: str, together: Triage) -> bool:
        """The story with the new message holds a sign or level the story alone did not (a sign doubted
        or calmed before does not alert because the patient wrote again about something else)."""
        before = self.services.triager.assess(story)
        new_signs = set(together.red_flags) - set(before.red_flags)
        return bool(new_signs) or rank(together.level) > rank(before.level)

    def _checklist_answer(self, tracker: Tracker, text: str, verdict: Triage) -> str | None:
        """The sign a free-text answer to the checklist names ("the bleeding one"), when the checklist
        was asked and that sign is graver than what the words alone say (its bleeding is heavy)."""
        if tracker.get_slot("awaiting") != "checklist" or not text or verdict.reading is not None:
            return None  # "36,7": the reading answers it
        nothing_graver = verdict.level == "none" or learned_only(verdict)  # but what the model reads in
        if concern.opens_with_none(text) and nothing_graver:
            return "none"  # "none, he's just sleepy and grumpy": the last button, and more told
        if verdict.mentioned or self.services.triager.calm(text):
            return None  # "todo bien, no sangra": the words answer it themselves
        sign = concern.named_sign(text)
        if sign == "none":  # "ninguno": the last button typed
            return sign if nothing_graver else None
        flag = concern.checklist_flag(self.services.content.triage, sign) if sign else None
        return sign if flag is not None and rank(flag.level) > rank(verdict.level) else None

    async def _checklist_tap(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, sign: str, written: str = ""
    ) -> EventList:
        """A tap on the emergency checklist, or its sign named in words (`written`): escalate at the
        sign's level, or keep listening."""
        flag = concern.checklist_flag(self.services.content.triage, sign)
        story = tracker.get_slot("concern")
        if written:
            story = concern.with_message(story, written)
        logger.info("checklist tap in chat %s: %s (asked: %s)", tracker.sender_id, sign,
                    tracker.get_slot("awaiting") == "checklist")
        events = [SlotSet("awaiting", None), SlotSet("triage_answered", True), SlotSet("concern", story)]
        if flag is None:
            dispatcher.utter_message(response="utter_checklist_none")
            return [*events, SlotSet("triage_level", "none")]
        verdict = concern.tapped(flag)
        told = f"{story} (checklist: {flag.label})" if story else f"(checklist: {flag.label})"
        return [*events, SlotSet("triage_level", verdict.level),
                *await self._escalate(dispatcher, tracker, verdict, told), SlotSet("concern", None)]

    async def _escalate(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, verdict: Triage, told: str
    ) -> EventList:
        """Store the alert first, then tell the patient to call."""
        alert_id = await self._raise_alert(tracker, verdict, told)
        told_patient = [label for name, label in zip(verdict.red_flags, labels(verdict), strict=True)
                        if name not in LEARNED_LABELS]
        for response in escalation(verdict):
            dispatcher.utter_message(response=response, red_flags=", ".join(told_patient))
        return [SlotSet("alert_id", alert_id), SlotSet("triage_answered", True)]

    async def _raise_alert(self, tracker: Tracker, verdict: Triage, told: str) -> int:
        services = self.services
        alert = await services.store.record_alert(
            chat_id=tracker.sender_id,
            patient=tracker.get_slot("patient_name") or f"chat {tracker.sender_id}",
            level=verdict.level,
            red_flags=labels(verdict),
            # The nurses read English: the patient's words as written, and in which language.
            message=told + _WRITTEN_IN.get(tracker.get_slot("written_in") or tracker.get_slot("lang"), ""),
            now=services.clock(),
            merge_window=timedelta(minutes=services.settings.alert_merge_minutes),
        )
        logger.info("alert %d stored: %s %s", alert.id, verdict.level, ",".join(verdict.red_flags))
        return alert.id


class ActionAnswer(_ServiceAction):
    """Answers the intent, fitted to the treated site; stays quiet when triage said enough."""

    action_name = "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventList:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if intent not in self.services.content.intents:  # Rasa's nlu_fallback, or none at all
            intent = catalog.FALLBACK_INTENT
        if _triage_said_enough(tracker, intent):
            return []
        mentioned = _entity(message, "site")
        events: EventList = []
        if mentioned and (intent == "inform_procedure" or not tracker.get_slot("site")):
            events.append(SlotSet("site", mentioned))
        if intent == "inform_procedure" and not mentioned:
            intent = "help"
        site = mentioned or tracker.get_slot("site")
        pair = close_call(message) if tracker.get_slot("triage_level") in (None, "none") else None
        if pair:  # two topics about as likely: ask rather than guess (a follow-up goes on from the first)
            dispatcher.utter_message(response=CLARIFY_RESPONSE,
                                     buttons=choice_buttons(self.services.content, pair, mentioned,
                                                            {"lang": tracker.get_slot("lang")}))
            return [*events, SlotSet(TOPIC_SLOT, pair[0])]
        values: dict[str, Any] = {"site": site}
        if intent == "sources":
            values["sources"] = self.services.responder.sources_list(tracker.get_slot("lang") == "es")
        dispatcher.utter_message(response=catalog.utter_name(intent), **values)
        if intent in catalog.KNOWLEDGE_INTENTS:
            events.append(SlotSet(TOPIC_SLOT, intent))  # what a follow-up ("and after?") refers to
        signs = tracker.get_slot("sign_mentioned")
        if signs and intent not in _ANSWERS_SAYING_WHEN_TO_CALL:
            dispatcher.utter_message(response="utter_call_if_signs", red_flags=signs)
            events.append(SlotSet("sign_mentioned", None))  # said once, after the first answer
        return events


# Answers that already list the signs and the number to call.
_ANSWERS_SAYING_WHEN_TO_CALL = frozenset({"when_to_call", "report_symptom"})


def _triage_said_enough(tracker: Tracker, intent: str) -> bool:
    level = tracker.get_slot("triage_level")
    if level == "emergency" or tracker.get_slot("awaiting") == "checklist":
        return True
    if level in catalog.ALERT_LEVELS and intent not in catalog.KNOWLEDGE_INTENTS:
        return True  # after "call your care team now", an "Okay, what would you like to know?" jars
    # "no" or "ninguno" to the checklist: its answer already says what to call for.
    return intent in ("report_symptom", "deny") and bool(tracker.get_slot("triage_answered"))


# A button's payload: "/intent" with its entities as JSON ('/report_symptom{"sign": "fever"}').
_PAYLOAD = re.compile(r"/\w+(?:\{.*\})?", re.DOTALL)


def _patient_text(message: dict[str, Any]) -> str:
    """What the patient wrote; a Rasa button press arrives as its payload (/intent), not words. Typed
    text that only opens with a slash ("/\nI have a fever of 104") is read: it is no payload."""
    text = str(message.get("text") or "")
    return "" if _PAYLOAD.fullmatch(text) else text


def _written(message: dict[str, Any]) -> str:
    """The message as the patient wrote it, for the nurses (the engine's text is folded for matching)."""
    return str(message.get("written") or message.get("text") or "")


def _entity(message: dict[str, Any], name: str) -> Any:
    return next((e.get("value") for e in message.get("entities") or [] if e.get("entity") == name),
                None)


# The order the engine runs them on every message, and a Rasa rule calls them in.
ACTIONS: tuple[type[_ServiceAction], ...] = (ActionTriage, ActionAnswer)


def actions(services: Services) -> list[Action]:
    """The actions, in the order the engine runs them on every message."""
    return [action(services) for action in ACTIONS]


def action_names() -> list[str]:
    """The names a Rasa domain lists and a Rasa rule calls, in order."""
    return [action.action_name for action in ACTIONS]
