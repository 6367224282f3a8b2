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
# The largest integer both stores keep (64-bit signed).
MAX_UPDATE_ID = 2**63


def webhook_path(webhook_url: str) -> str:
    """Where Telegram POSTs: the path of the public WEBHOOK_URL."""
    return urlsplit(webhook_url).path or "/"


def webhook_app(bot: Bot, dispatch: Callable[[Update], Awaitable[Result]], secret: str,
                path: str, metrics: Handler | None = None) -> web.Application:
    """The web app: POST `path` with the secret header for updates, GET /healthz for probes,
    and GET /metrics for Prometheus if given (behind its token: this port faces Telegram)."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("webhook call without the right secret token from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            body = await request.json()
            update = Update.de_json(body, bot) if _update_like(body) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            update = None
        if update is None:
            logger.warning("webhook body that is not a Telegram update from %s", request.remote)
            return web.Response(status=400, text="not a Telegram update")
        result = await dispatch(update)
        return web.Response(status=_STATUS[result], text=result.value)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get(HEALTH_PATH, health)
    if metrics is not None:
        app.router.add_get(METRICS_PATH, metrics)
    return app


def metrics_app(metrics: Handler) -> web.Application:
    """GET /metrics alone, for a port of its own (METRICS_PORT) that only the monitoring reaches."""
    app = web.Application()
    app.router.add_get(METRICS_PATH, metrics)
    return app


def _update_like(body: object) -> bool:
    """An object with an update_id the store can keep (Telegram's are positive 32-bit numbers)."""
    update_id = body.get("update_id") if isinstance(body, dict) else None
    return type(update_id) is int and 0 <= update_id < MAX_UPDATE_ID
