"""Prometheus metrics: updates handled, reply latency, triage levels, the alert outbox, check-ins."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from bot.store.connect import Store

UPDATES = Counter("cryo_updates_total", "Telegram updates dispatched, by result", ["result"])
REPLY_LATENCY = Histogram(
    "cryo_reply_latency_seconds", "From an update's arrival to its replies sent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
TRIAGE = Counter("cryo_triage_total", "Patient messages triaged, by level", ["level"])
ALERTS_SENT = Counter("cryo_alerts_sent_total", "Alerts delivered (or updated) to the nurses")
ALERTS_FAILED = Counter("cryo_alerts_failed_total", "Alert deliveries that failed and wait for a retry")
CHECKINS = Counter("cryo_checkins_total", "Check-ins sent, blocked by the patient, or failed (retried)",
                   ["result"])
ALERT_REMINDERS = Counter("cryo_alert_reminders_total", "Reminders of unacknowledged alerts, by where",
                          ["to"])
ALERTS_PENDING = Gauge("cryo_alerts_pending", "Alerts stored and not yet delivered to the nurses")


def metrics_handler(store: Store, token: str = "") -> Callable[[web.Request], Awaitable[web.Response]]:
    """GET /metrics: the figures above, the outbox read from the store at scrape time; with a
    `token`, only for `Authorization: Bearer TOKEN`."""
    expected = f"Bearer {token}".encode()

    async def metrics(request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").encode()
        if token and not hmac.compare_digest(given, expected):
            return web.Response(status=401, text="unauthorized", headers={"WWW-Authenticate": "Bearer"})
        ALERTS_PENDING.set(await store.pending_alert_count())
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics
