"""Webhook mode: an aiohttp server that takes Telegram's POSTs (secret checked) and answers health checks."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from bot.telegram.updates import Result

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
Handler = Callable[[web.Request], Awaitable[web.Response]]
# Telegram delivers again on anything but 200: a busy or failed update is not lost.
_STATUS = {Result.DONE: 200, Result.BUSY: 503, Result.FAILED: 500}


def webhook_path(webhook_url: str) -> str:
    """Where Telegram POSTs: the path of the public WEBHOOK_URL."""
    return urlsplit(webhook_url).path or "/"


def webhook_app(bot: Bot, dispatch: Callable[[Update], Awaitable[Result]], secret: str,
                path: str, metrics: Handler) -> web.Application:
    """The web app: POST `path` with the secret header for updates, GET /healthz for probes,
    GET /metrics for Prometheus."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("webhook call without the right secret token from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(await request.json(), bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not a Telegram update")
        result = await dispatch(update)
        return web.Response(status=_STATUS[result], text=result.value)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get(HEALTH_PATH, health)
    app.router.add_get(METRICS_PATH, metrics)
    return app
