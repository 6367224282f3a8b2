"""Check-ins on Telegram: sending them, the patient's answers and /stop, the nurses' /due and reminders."""

from __future__ import annotations

import logging
import re

from telegram import Bot, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.checkins.digest import due_listing
from bot.checkins.runner import CheckinRunner, PatientBlocked
from bot.content import catalog
from bot.content.model import Button, button_intent
from bot.dialogue.respond import Reply
from bot.engine import Engine, Outcome
from bot.store.connect import Alert
from bot.telegram.nurses import TelegramNurses, delivery_error
from bot.telegram.patients import send_replies, who
from bot.telegram.render import ACK, CHECKIN, messages

logger = logging.getLogger(__name__)

# A message that is only one of these words stops the check-ins ("para" is Spanish for stop).
STOP_WORDS = re.compile(r"(?i)^\s*(?:stop|para)(?:\s+check-?ins)?\s*[.!]*\s*$")
RESUME = re.compile(r"^/start(?:@\w+)?\s+checkins\s*$")
# The check-in buttons: which answer each records, and what the bot says to it.
ANSWERS = {"affirm": ("fine", "utter_checkin_fine"), "deny": ("not_good", "utter_checkin_not_good"),
           "help": ("question", "utter_checkin_question")}


class TelegramCheckins:
    """The CheckinChannel of patients' private chats: a block (403) is told apart from a failure."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_checkin(self, chat_id: str, reply: Reply) -> None:
        for message in messages(reply, CHECKIN):
            try:
                await self.bot.send_message(int(chat_id), message.html, reply_markup=message.keyboard)
            except Forbidden as error:
                raise PatientBlocked(str(error)) from error
            except TelegramError as error:
                raise delivery_error(error) from error


class TelegramBoard:
    """The NurseBoard: new messages to the nurses' group or the on-call chat, an alert's with its button."""

    def __init__(self, nurses: TelegramNurses, oncall_chat_id: int | None) -> None:
        self.nurses = nurses
        self.oncall_chat_id = oncall_chat_id

    async def post(self, text: str, alert: Alert | None = None, oncall: bool = False) -> None:
        chat = self.oncall_chat_id if oncall and self.oncall_chat_id is not None else self.nurses.chat_id
        buttons = (Button(self.nurses.button_title, str(alert.id)),) if alert else ()
        for message in messages(Reply(text, buttons), ACK):
            try:
                await self.nurses.bot.send_message(chat, message.html, reply_markup=message.keyboard)
            except TelegramError as error:
                raise delivery_error(error) from error


class CheckinDesk:
    """Handlers: enrollment plans the check-ins, the patient answers or stops them, nurses ask /due."""

    def __init__(self, engine: Engine, runner: CheckinRunner, nurse_chat: int) -> None:
        self.engine = engine
        self.runner = runner
        self.nurse_chat = nurse_chat

    async def enrolled(self, update: Update) -> None:
        """After /start PAYLOAD and its welcome: the check-ins, if the link had a date."""
        chat, patient = who(update)
        slots = await self.engine.store.load_slots(chat)
        await self.runner.enroll(chat, patient, slots.get("site"), slots.get("procedure_date"))

    async def stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/stop [checkins], or a message that says only "stop": no more check-ins."""
        chat, _ = who(update)
        stopped = await self.engine.store.pause_checkins(chat, True, self.engine.services.clock())
        logger.info("chat %s stopped its check-ins (%d planned)", chat, stopped)
        await self._say(context.bot, chat, "utter_checkins_stopped")

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start checkins: the stopped check-ins whose day has not passed come back."""
        chat, _ = who(update)
        resumed = await self.engine.store.pause_checkins(chat, False, self.engine.services.clock())
        response = "utter_checkins_resumed" if resumed else "utter_checkins_none_left"
        await self._say(context.bot, chat, response)

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE, value: str) -> None:
        """A check-in button: the answer is stored, and the bot says what fits it."""
        await update.callback_query.answer()
        chat, _ = who(update)
        intent = (button_intent(value) or ("", {}))[0]
        if intent not in ANSWERS:
            await self._say(context.bot, chat, "utter_stale_button")
            return
        answer, response = ANSWERS[intent]
        await self.engine.store.answer_checkin(chat, answer, False, self.engine.services.clock())
        await self._say(context.bot, chat, response)
        if answer == "not_good":  # the safety net's checklist, one tap from the emergency signs
            await send_replies(context.bot, int(chat), (await self.engine.ask_checklist(chat)).replies)

    async def heard(self, chat: str, outcome: Outcome) -> None:
        """A patient's own words answer their check-in of the last day; a red flag flags it."""
        flagged = outcome.triage_level in catalog.ALERT_LEVELS
        await self.engine.store.answer_checkin(chat, "text", flagged, self.engine.services.clock())

    async def due(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/due in the nurses' group: check-ins waiting for an answer, and open alerts."""
        listing = await due_listing(self.engine.store, self.engine.responder, self.engine.services.clock())
        await send_replies(context.bot, self.nurse_chat, [listing])

    async def _say(self, bot: Bot, chat: str, response: str) -> None:
        await send_replies(bot, int(chat), (await self.engine.say(chat, response)).replies)
