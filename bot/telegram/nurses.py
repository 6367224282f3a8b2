"""The nurses' side: alerts into their group with an Acknowledge button, /alerts, acknowledgements."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot, ChatMember, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes

from bot.alerts import AlertSender, DeliveryError
from bot.content.model import TELEGRAM_MESSAGE_LIMIT, Button, telegram_length
from bot.dialogue.respond import Reply
from bot.engine import Engine
from bot.store.connect import Alert
from bot.telegram.limits import retry_seconds
from bot.telegram.patients import send_replies
from bot.telegram.render import ACK, alert_number, escape, inline_keyboard

logger = logging.getLogger(__name__)

NURSE_STATUSES = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})
# Telegram allows 100 buttons under a message.
MAX_BUTTONS = 100


def delivery_error(error: TelegramError) -> DeliveryError:
    """What the sender should do next: wait, shorten, send anew, mark a resend, or give up retrying fast."""
    wait = retry_seconds(error) if isinstance(error, RetryAfter) else None
    said = str(error).lower()
    return DeliveryError(
        f"Telegram: {error}", wait,
        too_long="too long" in said,
        gone=isinstance(error, BadRequest) and "message to edit not found" in said,
        # No answer came back (a timeout, a dropped connection): Telegram may have taken it.
        maybe_delivered=isinstance(error, TimedOut) or said.startswith("aiohttp."),
        permanent=isinstance(error, BadRequest | Forbidden))


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


class TelegramNurses:
    """The NurseChannel of the nurses' Telegram group; failures go back to the outbox."""

    def __init__(self, bot: Bot, chat_id: int, button_title: str) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.button_title = button_title

    async def send_alert(self, alert: Alert, text: str) -> int | None:
        try:
            sent = await self.bot.send_message(self.chat_id, escape(text), reply_markup=self.button(alert))
        except TelegramError as error:
            raise delivery_error(error) from error
        return sent.message_id

    def button(self, alert: Alert) -> InlineKeyboardMarkup | None:
        return inline_keyboard([Button(self.button_title, str(alert.id))], ACK)

    async def update_alert(self, alert: Alert, text: str) -> None:
        await self.edit(alert, text, with_button=True)

    async def edit(self, alert: Alert, text: str, with_button: bool) -> None:
        """Rewrite an alert's message in the group; already showing that text is fine."""
        if alert.nurse_message_id is None:
            return
        keyboard = self.button(alert) if with_button else None
        try:
            await self.bot.edit_message_text(escape(text), chat_id=self.chat_id,
                                             message_id=alert.nurse_message_id, reply_markup=keyboard)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise delivery_error(error) from error
        except TelegramError as error:
            raise delivery_error(error) from error


class AlertBell:
    """Sends an update's new alerts as soon as the update's handling is over.

    Not before: a process that dies while the alert is on its way then leaves one reply to the
    patient and one alert after its restart. The sender's own pass, every second, sends what is
    due anyway, so a patient's slow reply never holds an alert up for longer.
    """

    def __init__(self, application: Application, sender: AlertSender) -> None:
        self.application = application
        self.sender = sender
        self._raised: set[int] = set()

    def raised(self, update_id: int) -> None:
        self._raised.add(update_id)

    def finished(self, update_id: int) -> None:
        if update_id in self._raised:
            self._raised.discard(update_id)
            self.application.create_task(self.sender.deliver_due())


class NurseDesk:
    """Handlers for the nurses' group: /alerts, and the Acknowledge button."""

    def __init__(self, engine: Engine, sender: AlertSender, nurses: TelegramNurses,
                 oncall_chat_id: int | None = None) -> None:
        self.engine = engine
        self.sender = sender
        self.nurses = nurses
        # Reminders reach the on-call chat with their button: its members may acknowledge too.
        self.desks = {nurses.chat_id} | ({oncall_chat_id} if oncall_chat_id is not None else set())

    def _say(self, response: str, **values: str) -> str:
        return self.engine.responder.render(response, {}, values).text

    async def open_alerts(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/alerts: the alerts nobody has acknowledged, each with its button; /alerts N: all of alert N."""
        if context.args and (alert_id := alert_number(context.args[0])) is not None:
            await self._whole_alert(context.bot, alert_id)
            return
        alerts = await self.engine.store.open_alerts()
        if not alerts:
            listing = Reply(self._say("utter_no_open_alerts"))
        else:
            text = "\n\n".join([self._say("utter_open_alerts"), *(self.sender.text(a) for a in alerts)])
            title = self.nurses.button_title
            listing = Reply(text, tuple(Button(f"{title} #{a.id}", str(a.id)) for a in alerts[:MAX_BUTTONS]))
        await send_replies(context.bot, self.nurses.chat_id, [listing], ACK)

    async def _whole_alert(self, bot: Bot, alert_id: int) -> None:
        """Every report merged into the alert, over as many messages as it takes."""
        alert = await self.engine.store.get_alert(alert_id)
        if alert is None:
            await send_replies(bot, self.nurses.chat_id,
                               [Reply(self._say("utter_no_such_alert", alert_id=str(alert_id)))])
            return
        title = self.nurses.button_title
        buttons = () if alert.acknowledged_at else (Button(f"{title} #{alert.id}", str(alert.id)),)
        await send_replies(bot, self.nurses.chat_id, [Reply(self.sender.text(alert, None), buttons)], ACK)

    async def acknowledge(self, update: Update, context: ContextTypes.DEFAULT_TYPE, alert_id: int) -> None:
        """Only a member of the nurses' group, pressing in that group, can acknowledge."""
        query = update.callback_query
        if not await self._from_a_nurse(update, context.bot):
            logger.warning("acknowledgement of alert %d refused for user %s", alert_id, query.from_user.id)
            await query.answer(self._say("utter_ack_not_allowed"), show_alert=True)
            return
        nurse = query.from_user.full_name
        alert = await self.engine.store.acknowledge(alert_id, nurse, self.engine.services.clock())
        if alert is None or alert.acknowledged_at is None:
            await query.answer(self._say("utter_stale_button"))
            return
        seen = self._say("utter_alert_acknowledged", nurse=alert.acknowledged_by or nurse,
                         time=_when(alert.acknowledged_at))
        await query.answer(seen)
        # Pressed again, or redelivered after a failure: the one who acknowledged it finishes the job.
        if alert.acknowledged_by == nurse:
            await self._close(context.bot, alert, seen)

    async def _close(self, bot: Bot, alert: Alert, seen: str) -> None:
        room = TELEGRAM_MESSAGE_LIMIT - telegram_length(seen) - 2
        await self.nurses.edit(alert, f"{self.sender.text(alert, room)}\n\n{seen}", with_button=False)
        outcome = await self.engine.say(alert.chat_id, "utter_nurse_has_seen")
        await send_replies(bot, int(alert.chat_id), outcome.replies)

    async def _from_a_nurse(self, update: Update, bot: Bot) -> bool:
        chat = update.effective_chat
        if chat is None or chat.id not in self.desks:
            return False
        member = await bot.get_chat_member(chat.id, update.callback_query.from_user.id)
        return member.status in NURSE_STATUSES
