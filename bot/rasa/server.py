"""The rasa-sdk action server: our actions over HTTP for a Rasa server (`python -m bot actions`)."""

from __future__ import annotations

import json
import logging
import sys
import zlib
from datetime import UTC, datetime
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.model import Content
from bot.dialogue.actions import Services, actions
from bot.dialogue.respond import Responder
from bot.store.connect import connect_store
from bot.understanding.nlu import normalizer
from bot.understanding.reports import SymptomDetector
from bot.understanding.severity import SeverityModel
from bot.understanding.triage import Triager

logger = logging.getLogger(__name__)

DEFAULT_PORT = 5055
WEBHOOK_PATH = "/webhook"


class MalformedCall(ValueError):
    """An action call that is not what Rasa sends; `action_name` is set when it could be read."""

    def __init__(self, message: str, action_name: str | None = None) -> None:
        super().__init__(message)
        self.action_name = action_name


def build_app(content: Content, settings: Settings) -> Sanic:
    """rasa-sdk's app (/webhook, /health, /actions) running our actions on the configured store."""
    executor = ActionExecutor()
    app = create_app(executor, cors_origins="")
    # Rasa did the understanding, but triage also reads the text with typos mended, exactly
    # as the built-in engine mends it.
    mend = normalizer(content)
    severity = SeverityModel(content, mend)

    async def open_store(app: Sanic) -> None:
        app.ctx.store = await connect_store(settings.database_url)
        services = Services(
            content, settings, Triager(content.triage, settings.fever_line_f, content.root),
            Responder(content, settings), app.ctx.store, lambda: datetime.now(UTC),
            mend, SymptomDetector(severity), severity,
        )
        for action in actions(services):
            executor.register_action(action)
        logger.info("serving %s", ", ".join(a.name for a in executor.list_actions()))

    async def close_store(app: Sanic) -> None:
        await app.ctx.store.close()

    app.register_listener(open_store, "before_server_start")
    app.register_listener(close_store, "after_server_stop")
    app.on_request(_reject_malformed_calls)
    return app


def serve(settings: Settings, host: str = "0.0.0.0", port: int = DEFAULT_PORT) -> None:
    """Run the action server until it is stopped (SIGINT or SIGTERM)."""
    app = build_app(load_content(settings.content_dir), settings)
    print(f"action server on http://{host}:{port}{WEBHOOK_PATH}", file=sys.stderr)
    # One process: the store connection and the trained normalizer live in it.
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)


async def _reject_malformed_calls(request: Request) -> HTTPResponse | None:
    """Answers a malformed action call with 400 in rasa-sdk's error format, before it runs."""
    if request.path != WEBHOOK_PATH or request.method != "POST":
        return None
    try:
        check_action_call(_decoded(request))
    except MalformedCall as error:
        logger.warning("malformed action call: %s", error)
        return response.json({"error": str(error), "action_name": error.action_name}, status=400)
    return None


def _decoded(request: Request) -> Any:
    body = request.body
    try:
        # Rasa may compress the call, as rasa-sdk's webhook accepts.
        if request.headers.get("Content-Encoding") == "deflate":
            body = zlib.decompress(body)
        return json.loads(body)
    except (zlib.error, ValueError) as error:
        raise MalformedCall(f"the body is not JSON: {error}") from error


def check_action_call(call: Any) -> None:
    """Raise MalformedCall unless `call` has the shape of Rasa's action call."""
    if not isinstance(call, dict):
        raise MalformedCall("the body must be a JSON object with next_action and tracker")
    name = call.get("next_action")
    if not isinstance(name, str) or not name:
        raise MalformedCall("next_action must name the action to run")
    tracker = call.get("tracker")
    if not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str):
        raise MalformedCall("tracker must be an object with a sender_id string", name)
    _check_fields(tracker, _TRACKER_FIELDS, "tracker", name)
    message = tracker.get("latest_message") or {}
    _check_fields(message, _MESSAGE_FIELDS, "tracker.latest_message", name)
    _check_fields(message.get("intent") or {}, _INTENT_FIELDS, "tracker.latest_message.intent", name)
    if not all(isinstance(entity, dict) for entity in message.get("entities") or []):
        raise MalformedCall("tracker.latest_message.entities must be objects", name)


_OPTIONAL = type(None)
_TRACKER_FIELDS = {"slots": dict, "latest_message": (dict, _OPTIONAL), "events": list}
_MESSAGE_FIELDS = {"text": (str, _OPTIONAL), "intent": (dict, _OPTIONAL), "entities": (list, _OPTIONAL)}
_INTENT_FIELDS = {"name": (str, _OPTIONAL)}


def _check_fields(
    data: dict[str, Any], fields: dict[str, type | tuple[type, ...]], where: str, action_name: str
) -> None:
    for field, kind in fields.items():
        if field in data and not isinstance(data[field], kind):
            raise MalformedCall(
                f"{where}.{field} must not be {type(data[field]).__name__}", action_name)
