"""The patients' side: private-chat updates into engine calls, and the outcome back as messages."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot.content.model import button_intent
from bot.dialogue.respond import Reply
from bot.engine import Engine, Incoming, Outcome
from bot.enrollment.link import parse_payload
from bot.telegram.flood import FloodGuard, Pace
from bot.telegram.render import FORGET, Callback, messages

logger = logging.getLogger(__name__)

# Commands answered by a named response alone.
SAID = {"help": "utter_help", "topics": "utter_topics", "call": "utter_call"}


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply], namespace: str = "") -> None:
    """Each reply as one or more HTML messages; a chat that blocked the bot is let go."""
    for reply in replies:
        for message in messages(reply, namespace):
            try:
                await bot.send_message(chat_id, message.html, reply_markup=message.keyboard)
            except Forbidden:
                logger.info("chat %s has blocked the bot; reply dropped", chat_id)
                return


def _urgent(outcome: Outcome) -> bool:
    """What triage says must reach the patient, however fast they write."""
    return bool(outcome.alerts) or outcome.triage_level != "none"


class PatientDesk:
    """Handlers for private chats: translate, ask the engine, send what it says."""

    def __init__(self, engine: Engine, flood: FloodGuard, alerts_raised: Callable[[int], None],
                 heard: Callable[[str, Outcome], Awaitable[None]] | None = None) -> None:
        self.engine = engine
        self.flood = flood
        self.alerts_raised = alerts_raised
        # Told each text message's outcome (a check-in's answer, say).
        self.heard = heard

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start [payload]: enroll from a nurse's link; without a valid one, ask the procedure."""
        chat, patient = who(update)
        chosen = parse_payload(context.args[0]) if context.args else None
        if chosen is None and await self._red_flag_in_command(update, context):
            return
        outcome = await self.engine.enroll(
            chat, chosen.site if chosen else None,
            chosen.date.isoformat() if chosen and chosen.date else None, patient,
            chosen.lang if chosen else None, locale(update))
        outcomes = [outcome]
        if chosen is None and not outcome.slots.get("site"):
            outcomes.append(await self.engine.say(chat, "utter_ask_procedure"))
        await self._answer(update, context, outcomes)

    async def said(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help, /topics, /call."""
        if await self._red_flag_in_command(update, context):
            return
        command = (update.effective_message.text or "").split()[0].lstrip("/").split("@")[0]
        chat, _ = who(update)
        await self._answer(update, context, [await self.engine.say(chat, SAID[command], locale(update))])

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/sources: every source with its review date."""
        if await self._red_flag_in_command(update, context):
            return
        chat, _ = who(update)
        await self._answer(update, context, [await self.engine.sources(chat, locale(update))])

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/forget: ask first; the answer comes back as a FORGET button."""
        if await self._red_flag_in_command(update, context):
            return
        chat, _ = who(update)
        confirm = await self.engine.say(chat, "utter_forget_confirm", locale(update))
        await self._answer(update, context, [confirm], namespace=FORGET)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any text, new or edited: an edit is read again, as it may add a symptom."""
        chat, patient = who(update)
        incoming = Incoming(chat, text=update.effective_message.text or "", patient=patient,
                            locale=locale(update))
        outcome = await self.engine.handle(incoming)
        await self._answer(update, context, [outcome])
        if self.heard is not None:
            await self.heard(chat, outcome)

    async def other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, voice notes, stickers, files, locations...: the caption is still read."""
        chat, patient = who(update)
        caption = update.effective_message.caption
        outcomes = []
        if caption:
            outcomes.append(await self.engine.handle(Incoming(chat, text=caption, patient=patient,
                                                              locale=locale(update))))
        outcomes.append(await self.engine.handle(Incoming(chat, patient=patient, unsupported=True,
                                                          locale=locale(update))))
        await self._answer(update, context, outcomes)

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """"/sigh fever of 104": read as a message (the command's word too); else point to /help."""
        written = (update.effective_message.text or "").lstrip("/")
        if await self._red_flag_in_command(update, context, written.replace("@", " ", 1)):
            return
        chat, _ = who(update)
        pointer = await self.engine.say(chat, "utter_unknown_command", locale(update))
        await self._answer(update, context, [pointer])

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: Callback) -> None:
        """A patient's button: a topic or follow-up (the engine checks it), or a /forget answer."""
        await update.callback_query.answer()
        chat, patient = who(update)
        if pressed.kind == FORGET:
            outcome = await self._forget_answer(chat, pressed.value)
        else:
            outcome = await self.engine.handle(Incoming(chat, button=pressed.value, patient=patient,
                                                        locale=locale(update)))
        await self._answer(update, context, [outcome])

    async def _red_flag_in_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                                   text: str | None = None) -> bool:
        """Triage the words after a command (or `text`); a red flag's answer wins over the command's."""
        if text is None:
            text = _after_command(update.effective_message.text or "")
        if not text.strip():
            return False
        chat, patient = who(update)
        outcome = await self.engine.handle(Incoming(chat, text=text, patient=patient, locale=locale(update)))
        if not _urgent(outcome):
            return False
        await self._answer(update, context, [outcome])
        return True

    async def _forget_answer(self, chat: str, value: str) -> Outcome:
        intent = (button_intent(value) or ("", {}))[0]
        if intent == "affirm":
            return await self.engine.forget(chat)
        return await self.engine.say(chat, "utter_forget_kept" if intent == "deny" else "utter_stale_button")

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                      outcomes: list[Outcome], namespace: str = "") -> None:
        """Send the outcomes; in a flood only triage's answers, plus one notice."""
        chat, _ = who(update)
        if any(o.alerts for o in outcomes):
            self.alerts_raised(update.update_id)
        pace = self.flood.pace(chat)
        if pace is not Pace.ANSWER:
            outcomes = [o for o in outcomes if _urgent(o)]
        if pace is Pace.NOTICE:
            outcomes.append(await self.engine.say(chat, "utter_flood_notice"))
        replies = [reply for outcome in outcomes for reply in outcome.replies]
        await send_replies(context.bot, int(chat), replies, namespace)


def _after_command(text: str) -> str:
    """What follows "/command" in a message: "/help I cant breathe" -> "I cant breathe"."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def who(update: Update) -> tuple[str, str]:
    """The chat id as the engine keys it, and the patient's name for nurse alerts."""
    user = update.effective_user
    return str(update.effective_chat.id), user.full_name if user else ""


def locale(update: Update) -> str:
    """The patient's Telegram language ("es-MX"): the chat's language until they write in one."""
    user = update.effective_user
    return (user.language_code or "") if user else ""
