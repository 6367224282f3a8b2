"""The engine: nlu -> triage -> dialogue -> respond for one message, returning what to say."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import Settings
from bot.content import catalog
from bot.content.model import Button, Content, button_intent
from bot.dialogue.actions import SLOTS, Services, actions
from bot.dialogue.concern import CHECKLIST
from bot.dialogue.context import bare_fragments_only, resolve
from bot.dialogue.respond import Reply, Responder
from bot.metrics import TRIAGE
from bot.store.connect import Alert, Store
from bot.store.model import FORGET_AFTER_ACK
from bot.understanding.language import OTHER, detect, from_locale
from bot.understanding.nlu import Classifier, Parse
from bot.understanding.normalize import for_matching, passages, readable
from bot.understanding.questions import Reading, read, settle
from bot.understanding.reports import SymptomDetector
from bot.understanding.severity import SeverityModel
from bot.understanding.text import simplify
from bot.understanding.triage import Triager

logger = logging.getLogger(__name__)

# The intent is read from this many letters at most (the answer is about them); triage reads it all.
MAX_CHARS = 2000


@dataclass(frozen=True)
class Incoming:
    """A patient's message as a channel hands it over."""

    chat_id: str
    text: str | None = None
    button: str | None = None
    patient: str = ""
    unsupported: bool = False
    # The patient's Telegram `language_code` ("es-MX"): the chat's language until they show theirs.
    locale: str = ""


@dataclass(frozen=True)
class Outcome:
    """What to say and whom to alert, for a channel to send."""

    replies: tuple[Reply, ...]
    alerts: tuple[Alert, ...] = ()
    parse: Parse | None = None
    triage_level: str = "none"
    slots: Mapping[str, Any] = field(default_factory=dict)
    # Every question answered, in order (the first is `parse`).
    questions: tuple[Parse, ...] = ()


class Engine:
    """Runs the pipeline for one chat message at a time; the channels only translate."""

    def __init__(
        self, content: Content, settings: Settings, store: Store,
        classifier: Classifier | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.content = content
        self.settings = settings
        self.store = store
        self.classifier = classifier or Classifier(content, settings.nlu_threshold)
        self.responder = Responder(content, settings)
        self.triager = Triager(content.triage, settings.fever_line_f, content.root)
        severity = SeverityModel(content, self.classifier.normalize)
        self.services = Services(content, settings, self.triager, self.responder, store, clock,
                                 detector=SymptomDetector(severity), severity=severity)
        self.actions = actions(self.services)

    async def handle(self, message: Incoming) -> Outcome:
        """One message in, the replies and alerts out."""
        slots = await self.store.load_slots(message.chat_id)
        stored = dict(slots)
        _default_language(slots, message.locale)
        if message.patient:
            slots["patient_name"] = readable(message.patient)
        if message.unsupported:
            return self._say(slots, "utter_unsupported_message")
        if message.button is not None:
            return await self._button(message, slots, stored)
        written = readable(message.text or "").strip()
        text = for_matching(written).strip()
        if not text:
            return self._say(slots, "utter_empty_message")
        language = slots["written_in"] = detect(written, simplify(text), slots["lang"])
        reading = self._read(text, slots)
        if language == OTHER:
            return await self._unreadable(message.chat_id, reading, slots, stored, written)
        slots["lang"] = language
        outcome = await self._run(message.chat_id, reading, slots, stored, written)
        if reading.skipped:
            note = self.responder.render("utter_questions_skipped", slots, {"skipped": reading.skipped})
            outcome = _with_reply(outcome, note)
        if len(text) > MAX_CHARS:
            note = self.responder.render("utter_too_long", slots, {"max_chars": MAX_CHARS})
            outcome = _with_reply(outcome, note)
        return outcome

    async def enroll(self, chat_id: str, site: str | None, date: str | None,
                     patient: str = "", lang: str | None = None, locale: str = "") -> Outcome:
        """A patient arrives from a nurse's link: remember the procedure and the chat's language (the
        link's, else the one the chat has, else Telegram's `locale`), say hello."""
        slots = await self.store.load_slots(chat_id)
        _default_language(slots, locale)
        slots.update({k: v for k, v in {"site": site, "procedure_date": date, "lang": lang,
                                          "patient_name": patient or None}.items() if v})
        await self.store.save_slots(chat_id, slots)
        return self._say(slots, "utter_welcome")

    async def say(self, chat_id: str, response: str, locale: str = "", **values: Any) -> Outcome:
        """A named response for this chat, outside the conversation (commands)."""
        slots = await self.store.load_slots(chat_id)
        _default_language(slots, locale)
        return self._say(slots, response, **values)

    async def sources(self, chat_id: str, locale: str = "") -> Outcome:
        """/sources: every page the answers rest on, in the chat's language."""
        slots = await self.store.load_slots(chat_id)
        _default_language(slots, locale)
        listing = self.responder.sources_list(slots.get("lang") == "es")
        return self._say(slots, "utter_sources", sources=listing)

    async def ask_checklist(self, chat_id: str) -> Outcome:
        """The emergency checklist, asked outside the conversation (a check-in's "Not so good")."""
        slots = await self.store.load_slots(chat_id)
        slots["awaiting"] = "checklist"
        await self.store.save_slots(chat_id, _kept(slots))
        return self._say(slots, "utter_emergency_checklist")

    async def forget(self, chat_id: str) -> Outcome:
        """Delete what is stored about the chat; an alert the nurses have not seen goes once they have."""
        waiting = any(alert.chat_id == chat_id for alert in await self.store.open_alerts())
        await self.store.forget(chat_id)
        return self._say({}, "utter_forget_after_ack" if waiting else "utter_forget_done")

    def _say(self, slots: Mapping[str, Any], response: str, **values: Any) -> Outcome:
        return Outcome((self.responder.render(response, slots, values),), slots=dict(slots))

    async def _button(self, message: Incoming, slots: dict[str, Any], stored: Mapping[str, Any]) -> Outcome:
        target = button_intent(message.button or "")
        if target is None or not self._button_allowed(*target):
            logger.info("stale or forged button data from chat %s", message.chat_id)
            return self._say(slots, "utter_stale_button")
        intent, entities = target
        parse = Parse(message.button or "", intent, 1.0,
                      tuple({"entity": k, "value": v} for k, v in entities.items()))
        return await self._run(message.chat_id, Reading(parse, (parse,)), slots, stored)

    def _read(self, text: str, slots: Mapping[str, Any]) -> Reading:
        """The questions of the message's start, follow-up fragments read against the chat's last
        topic; the whole text, mended, in passages for triage."""
        reading = read(self.classifier, text[:MAX_CHARS])
        questions = bare_fragments_only(settle(resolve(reading.questions, slots, self.classifier)), text)
        whole = reading.whole
        if len(text) > MAX_CHARS:
            pieces = passages(text)
            whole = replace(whole, text="\n".join(pieces),
                            normalized="\n".join(self.classifier.normalize(piece) for piece in pieces))
        return replace(reading, whole=whole, questions=questions)

    def _button_allowed(self, intent: str, entities: Mapping[str, str]) -> bool:
        allowed = {"site": set(catalog.SITES), "thermometer": {"none"}, "sign": set(CHECKLIST)}
        return intent in self.content.intents and all(
            value in allowed.get(name, set()) for name, value in entities.items())

    async def _unreadable(self, chat_id: str, reading: Reading, slots: dict[str, Any],
                          stored: Mapping[str, Any], written: str) -> Outcome:
        """A language the bot cannot read: triage still reads it ("39.5", a red-flag word) and speaks
        first; then, never an answer guessed at, a note in every language the bot speaks, the chat's
        first, with the numbers to call."""
        outcome = await self._run(chat_id, reading, slots, stored, written, answering=False)
        first = slots.get("lang") or "en"
        notes = [self.responder.render("utter_other_language", {**slots, "lang": lang}).text
                 for lang in sorted(catalog.LANGUAGES, key=lambda lang: lang != first)]
        return _with_reply(outcome, Reply("\n\n".join(notes), response="utter_other_language"))

    async def _run(self, chat_id: str, reading: Reading, slots: dict[str, Any],
                   stored: Mapping[str, Any], written: str = "", answering: bool = True) -> Outcome:
        """The actions on one understood message; what lasts is written only if it changed.

        Triage reads the whole message once, first; then each question is answered in turn (unless
        not `answering`: triage alone). `written` is what the nurses see.
        """
        dispatcher = CollectingDispatcher()
        parse = reading.main
        steps = self.actions if answering else self.actions[:1]
        for index, question in enumerate(reading.questions if answering else reading.questions[:1]):
            latest = _latest(parse, question, written, ranked=len(reading.questions) == 1)
            # The first action is triage: it reads the whole message, with the first question.
            for action in steps if index == 0 else steps[1:]:
                tracker = _tracker(chat_id, slots, latest)
                for event in await action.run(dispatcher, tracker, {}):
                    if event.get("event") == "slot":
                        slots[event["name"]] = event["value"]
        if (kept := _kept(slots)) != stored:
            await self.store.save_slots(chat_id, kept)
        replies = tuple(self._reply(m, slots) for m in dispatcher.messages)
        alerts = await self._alerts(slots)
        level = slots.get("triage_level") or "none"
        if answering and parse.intent == catalog.FALLBACK_INTENT and parse.normalized and level == "none":
            await self._note_unanswered(parse, slots.get("patient_name"))
        TRIAGE.labels(level).inc()
        logger.info("chat %s: %s (%.2f), triage %s", chat_id,
                    ",".join(q.intent for q in reading.questions), parse.confidence, level)
        logger.debug("chat %s wrote %r", chat_id, parse.text)
        return Outcome(replies, alerts, parse, level, dict(slots), reading.questions)

    def _reply(self, message: Mapping[str, Any], slots: Mapping[str, Any]) -> Reply:
        values = {k: v for k, v in message.items() if k in catalog.PLACEHOLDERS}
        reply = self.responder.render(message["response"], slots, values)
        if message.get("buttons"):  # chosen by the action (a close call's two topics)
            buttons = tuple(Button(b["title"], b["payload"]) for b in message["buttons"])
            reply = replace(reply, buttons=buttons)
        return reply

    async def _note_unanswered(self, parse: Parse, patient: str | None) -> None:
        """Keep a question the bot could not answer for the content owners: no chat id, no name."""
        (closest, confidence), _ = self.classifier.rank(parse.normalized)
        await self.store.record_unanswered(_without_name(parse.text, patient), closest, confidence,
                                           self.services.clock())

    async def _alerts(self, slots: dict[str, Any]) -> tuple[Alert, ...]:
        alert_id = slots.pop("alert_id", None)
        alert = await self.store.get_alert(alert_id) if alert_id else None
        return (alert,) if alert else ()


def _default_language(slots: dict[str, Any], locale: str) -> None:
    """The chat's language: the one it has (the link's, or the last the patient wrote in), else
    Telegram's, else English."""
    slots["lang"] = slots.get("lang") or from_locale(locale) or "en"


def _tracker(chat_id: str, slots: Mapping[str, Any], latest: dict[str, Any]) -> Tracker:
    return Tracker(chat_id, {name: slots.get(name) for name in SLOTS}, latest, [], False,
                   None, {}, None)


def _latest(whole: Parse, question: Parse, written: str, ranked: bool) -> dict[str, Any]:
    """Rasa's latest message for one question: the whole text (for triage), the question's intent."""
    latest: dict[str, Any] = {
        # A button press carries no patient text to triage.
        "text": whole.text if whole.normalized else "", "normalized": whole.normalized,
        "written": written,
        "intent": {"name": question.intent, "confidence": question.confidence},
        "entities": list(question.entities)}
    if ranked and question.runner_up:  # a lone question may be a close call worth asking about
        name, confidence = question.runner_up
        latest["intent_ranking"] = [latest["intent"], {"name": name, "confidence": confidence}]
    return latest


def _kept(slots: Mapping[str, Any]) -> dict[str, Any]:
    """What lasts beyond this message: the procedure, the name, a pending question, an open concern,
    the language, the last topic, the last message (what a follow-up that names nothing is about)."""
    return {k: slots[k] for k in ("site", "procedure_date", "patient_name", "awaiting", "concern", "lang",
                                  FORGET_AFTER_ACK, "topic", "said_before")
            if slots.get(k) is not None}


def _without_name(text: str, patient: str | None) -> str:
    """The text with each part of the patient's name blanked out."""
    for part in (patient or "").split():
        if len(part) > 1:
            text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def _with_reply(outcome: Outcome, reply: Reply) -> Outcome:
    return replace(outcome, replies=(*outcome.replies, reply))
