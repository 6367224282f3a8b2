"""The Telegram channel: a PTB Application wired to the engine, run by long polling or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from telegram import Bot, LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.alerts import AlertSender
from bot.checkins.digest import Digest
from bot.checkins.reminders import AlertReminders
from bot.checkins.runner import CheckinRunner
from bot.config import Settings, SettingsError
from bot.engine import Engine
from bot.metrics import metrics_handler
from bot.store.connect import connect_store
from bot.telegram.checkins import RESUME, STOP_WORDS, CheckinDesk, TelegramBoard, TelegramCheckins
from bot.telegram.flood import FloodGuard
from bot.telegram.limits import TelegramLimiter
from bot.telegram.nurses import AlertBell, NurseDesk, TelegramNurses
from bot.telegram.patients import SAID, PatientDesk
from bot.telegram.render import ACK, CHECKIN, parse_callback
from bot.telegram.request import AiohttpRequest
from bot.telegram.updates import Dispatcher, Poller, forget_old_updates
from bot.telegram.webhook import metrics_app, webhook_app, webhook_path
from bot.understanding.nlu import load_understanding

logger = logging.getLogger(__name__)

# Connections for the bot's calls (getUpdates has its own): PTB's default for its own pool.
CONNECTIONS = 256


def api_urls(settings: Settings) -> tuple[str, str]:
    """The Bot API base URL (PTB appends the token) and the one for files."""
    base = settings.telegram_api_base_url.rstrip("/")
    return base, f"{base.removesuffix('/bot')}/file/bot"


def api_bot(settings: Settings) -> Bot:
    """A plain Bot for one-off calls (getMe), on the configured Bot API server."""
    base, files = api_urls(settings)
    return Bot(settings.telegram_bot_token, base_url=base, base_file_url=files,
               request=AiohttpRequest(), get_updates_request=AiohttpRequest())


@dataclass
class TelegramChannel:
    """The assembled channel: the Application, the update dispatcher and the alert sender."""

    settings: Settings
    application: Application
    dispatcher: Dispatcher
    sender: AlertSender
    follow_up: Callable[[asyncio.Event], Awaitable[None]]

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set: webhook when WEBHOOK_URL is set, else long polling."""
        async with self.application:
            await self.application.start()
            dispatcher = self.dispatcher
            chores = [asyncio.create_task(self.sender.run(stop)), asyncio.create_task(self.follow_up(stop)),
                      asyncio.create_task(forget_old_updates(dispatcher.store, dispatcher.clock, stop))]
            if self.settings.metrics_port:
                chores.append(asyncio.create_task(self._serve_metrics(stop)))
            try:
                if self.settings.webhook_url:
                    await self._serve_webhook(stop)
                else:
                    await Poller(self.application.bot, dispatcher.dispatch).run(stop)
            finally:
                stop.set()
                await asyncio.gather(*chores)
                await self.application.stop()

    async def _serve_webhook(self, stop: asyncio.Event) -> None:
        settings, bot = self.settings, self.application.bot
        guarded = metrics_handler(self.dispatcher.store, settings.metrics_token) \
            if settings.metrics_token else None
        app = webhook_app(bot, self.dispatcher.dispatch, settings.webhook_secret,
                          webhook_path(settings.webhook_url), guarded)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
            await bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                  allowed_updates=Update.ALL_TYPES)
            logger.info("webhook listening on %s:%d", settings.webhook_listen, settings.webhook_port)
            await stop.wait()
        finally:
            await runner.cleanup()


    async def _serve_metrics(self, stop: asyncio.Event) -> None:
        """METRICS_PORT: /metrics on a port of its own (still behind METRICS_TOKEN if set)."""
        settings = self.settings
        handler = metrics_handler(self.dispatcher.store, settings.metrics_token)
        runner = web.AppRunner(metrics_app(handler), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.webhook_listen, settings.metrics_port).start()
            logger.info("metrics on %s:%d", settings.webhook_listen, settings.metrics_port)
            await stop.wait()
        finally:
            await runner.cleanup()


def build(settings: Settings, engine: Engine) -> TelegramChannel:
    """The Application with its handlers, rate limiter and the nurses' alert sender."""
    if settings.nurse_chat_id is None:
        raise SettingsError("NURSE_CHAT_ID is not set: alerts need the nurses' Telegram group")
    if settings.webhook_url and not settings.webhook_secret:
        raise SettingsError("WEBHOOK_SECRET is not set: webhook mode needs a secret token")
    base, files = api_urls(settings)
    application = (
        ApplicationBuilder().token(settings.telegram_bot_token).base_url(base).base_file_url(files)
        .updater(None)
        .request(AiohttpRequest(connection_pool_size=CONNECTIONS)).get_updates_request(AiohttpRequest())
        .rate_limiter(TelegramLimiter({settings.nurse_chat_id, settings.oncall_chat_id} - {None},
                                      settings.telegram_messages_per_second))
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .build())
    title = engine.responder.render("utter_acknowledge_button", {}).text
    nurses = TelegramNurses(application.bot, settings.nurse_chat_id, title)
    sender = AlertSender(engine.store, nurses, engine.responder, engine.services.clock,
                         timedelta(seconds=settings.alert_lease_seconds))
    flood = FloodGuard(settings.flood_messages, settings.flood_window_seconds)
    bell = AlertBell(application, sender)
    runner = CheckinRunner(engine.store, TelegramCheckins(application.bot), engine.responder, settings,
                           engine.services.clock)
    checkins = CheckinDesk(engine, runner, settings.nurse_chat_id)
    patients = PatientDesk(engine, flood, bell.raised, checkins.heard)
    desk = NurseDesk(engine, sender, nurses, settings.oncall_chat_id)
    _add_handlers(application, patients, desk, checkins, settings.nurse_chat_id)
    lease = timedelta(seconds=settings.update_claim_seconds)
    dispatcher = Dispatcher(application, engine.store, lease, engine.services.clock,
                            on_finished=bell.finished)
    board = TelegramBoard(nurses, settings.oncall_chat_id)
    reminders = AlertReminders(engine.store, board, sender, timedelta(seconds=settings.alert_remind_after),
                               settings.oncall_chat_id is not None, engine.services.clock)
    digest = Digest(engine.store, board, engine.responder, settings, engine.services.clock)

    async def follow_up(stop: asyncio.Event) -> None:
        await runner.run(stop, (reminders.remind_due, digest.send_if_due))

    return TelegramChannel(settings, application, dispatcher, sender, follow_up)


def _add_handlers(application: Application, patients: PatientDesk, desk: NurseDesk, checkins: CheckinDesk,
                  nurse_chat: int) -> None:
    private = filters.ChatType.PRIVATE

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await patients.start(update, context)
        await checkins.enrolled(update)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        callback = parse_callback(update.callback_query.data)
        chat = update.effective_chat
        if callback.kind == ACK:
            await desk.acknowledge(update, context, int(callback.value))
        elif callback.kind == CHECKIN and chat is not None and chat.type == ChatType.PRIVATE:
            await checkins.pressed(update, context, callback.value)
        elif chat is not None and chat.type == ChatType.PRIVATE:
            await patients.button(update, context, callback)
        else:
            await update.callback_query.answer()

    # Patients talk in private chats only; in groups, only the nurses' /alerts and /due are heard.
    application.add_handlers([
        MessageHandler(private & filters.Regex(RESUME), checkins.resume),
        CommandHandler("start", start, private),
        CommandHandler("stop", checkins.stop, private),
        MessageHandler(private & filters.UpdateType.MESSAGE & filters.Regex(STOP_WORDS), checkins.stop),
        CommandHandler(list(SAID), patients.said, private),
        CommandHandler("sources", patients.sources, private),
        CommandHandler("forget", patients.forget, private),
        CommandHandler("alerts", desk.open_alerts, filters.Chat(nurse_chat)),
        CommandHandler("due", checkins.due, filters.Chat(nurse_chat)),
        CallbackQueryHandler(pressed),
        MessageHandler(private & filters.COMMAND, patients.unknown_command),
        MessageHandler(private & filters.TEXT, patients.text),
        MessageHandler(private, patients.other),
    ])


async def serve(settings: Settings) -> None:
    """`python -m bot run` with a token: until SIGINT or SIGTERM."""
    content, classifier = load_understanding(settings.content_dir, settings.nlu_threshold)
    store = await connect_store(settings.database_url)
    try:
        channel = build(settings, Engine(content, settings, store, classifier))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        await channel.run(stop)
    finally:
        await store.close()
