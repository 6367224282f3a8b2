"""A local Bot API server: Telegram's HTTP API over real HTTP, in memory, with faults on demand.

The bot under test reaches it through TELEGRAM_API_BASE_URL (`server.base_url`). Tests play the
users (`message`, `press`, `media`, `edit`), read what the bot did (`calls`, `sent`, `wait_for`)
and break the network (`fail` for 429/5xx, `hold` for a request held until released).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
UPDATE_TYPES = ("message", "edited_message", "callback_query", "my_chat_member", "chat_member")
_JSON_FIELDS = frozenset({"reply_markup", "allowed_updates", "entities", "commands",
                          "link_preview_options", "reply_parameters", "scope"})
_INT_FIELDS = frozenset({"offset", "limit", "timeout", "chat_id", "message_id", "user_id",
                         "max_connections", "cache_time", "from_chat_id"})
_BOOL_FIELDS = frozenset({"drop_pending_updates", "show_alert", "disable_notification",
                          "protect_content"})
_HTML_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                        "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"})
_BAD_LT = re.compile(r"<(?!/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>)")
_BAD_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# What each kind of non-text message carries, as Telegram sends it.
MEDIA: Mapping[str, dict[str, Any]] = {
    "photo": {"photo": [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "vo1", "file_unique_id": "u2", "duration": 3}},
    "sticker": {"sticker": {"file_id": "st1", "file_unique_id": "u3", "type": "regular",
                            "width": 512, "height": 512, "is_animated": False,
                            "is_video": False}},
    "document": {"document": {"file_id": "do1", "file_unique_id": "u4", "file_name": "a.pdf"}},
    "location": {"location": {"latitude": 40.7, "longitude": -74.0}},
    "contact": {"contact": {"phone_number": "+15550100", "first_name": "Pat"}},
    "video_note": {"video_note": {"file_id": "vn1", "file_unique_id": "u5", "length": 240,
                                  "duration": 2}},
}
_ADMIN_RIGHTS = dict.fromkeys(
    ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
     "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
     "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories"), False)


class ApiError(Exception):
    """An error answer of the Bot API: status code, description, optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    """One request the bot made, as the server understood it."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Fault:
    """Answer `times` matching requests with an error instead of doing them."""

    method: str
    chat_id: int | None
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class Hold:
    """Matching requests wait here until `release()`; `arrived` is set when the first one does."""

    method: str
    chat_id: int | None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    count: int = 0
    deliver: bool = True
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self, deliver: bool = True) -> None:
        """Let the held requests go on; with deliver=False they fail as if never received."""
        self.deliver = deliver
        self._released.set()

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Requests arriving after the release go through untouched."""
        return (not self._released.is_set() and method == self.method
                and self.chat_id in (None, chat_id))


@dataclass
class Chat:
    """A chat the server knows: private (with one user) or a group with members."""

    id: int
    type: str
    title: str = ""
    user: dict[str, Any] | None = None
    members: dict[int, str] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: bool = False
    next_message_id: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def as_json(self) -> dict[str, Any]:
        if self.type == "private" and self.user:
            names = {k: v for k, v in self.user.items() if k in ("first_name", "last_name", "username")}
            return {"id": self.id, "type": "private", **names}
        return {"id": self.id, "type": self.type, "title": self.title}


class _TelegramHtml(HTMLParser):
    """Checks markup the way Telegram does and keeps the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag \"{tag}\"")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise ApiError(400, f"Bad Request: can't parse entities: Unexpected end tag \"{tag}\"")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see, or the Bot API's error for bad markup."""
    if (parse_mode or "").upper() != "HTML":
        return text
    if _BAD_LT.search(text) or _BAD_AMP.search(text):
        raise ApiError(400, "Bad Request: can't parse entities: unescaped '<' or '&'")
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag "
                            f"corresponding to start tag \"{parser.open[-1]}\"")
    return "".join(parser.text)


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        return json.loads(value)
    if name in _INT_FIELDS:
        with contextlib.suppress(ValueError):
            return int(value)
    if name in _BOOL_FIELDS:
        return value.lower() == "true"
    return value


def _check_keyboard(markup: Any) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


class BotApiServer:
    """The Bot API for one bot token, in memory; start() it and point the bot at base_url."""

    def __init__(self, token: str = "123456:TEST-TOKEN", username: str = "cryo_test_bot",
                 webhook_retry_delay: float = 0.05) -> None:
        self.token = token
        self.me = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Cryo companion",
                   "username": username, "can_join_groups": True,
                   "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.webhook_retry_delay = webhook_retry_delay
        self.calls: list[Call] = []
        self.chats: dict[int, Chat] = {}
        self.pending: list[dict[str, Any]] = []
        self.history: dict[int, dict[str, Any]] = {}
        self.delivered = 0  # messages the bot has sent, all chats together
        self.injected_at: dict[int, float] = {}
        self.webhook: dict[str, Any] = {}
        self.webhook_deliveries: list[tuple[int, int]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.holds: list[Hold] = []
        self.allowed_updates: list[str] = []
        self.queries: dict[str, dict[str, Any]] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._tick = asyncio.Event()
        self._closing = False
        self._poller: asyncio.Future[None] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- running -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL is set to (PTB appends the token)."""
        return f"{self.url}/bot"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> BotApiServer:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()  # type: ignore[union-attr]
        self.url = f"http://{bound[0]}:{bound[1]}"
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        for hold in self.holds:
            hold.release(deliver=False)
        if self._webhook_task:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> BotApiServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- the world: users, groups, what they send --------------------------------------------------

    def add_user(self, user_id: int, first_name: str, last_name: str = "",
                 username: str | None = None, language_code: str | None = None) -> dict[str, Any]:
        """A Telegram user and their private chat with the bot (chat id = user id); `language_code` is
        the language of their Telegram app, which Telegram sends with each of their updates."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        user.update({k: v for k, v in (("last_name", last_name), ("username", username),
                                       ("language_code", language_code)) if v})
        self.chats.setdefault(user_id, Chat(user_id, "private", user=user))
        return user

    def add_group(self, chat_id: int, title: str, members: Mapping[int, str]) -> Chat:
        """A group with the bot in it; members map user id to status (member, administrator...)."""
        chat = Chat(chat_id, "supergroup", title=title, members=dict(members))
        self.chats[chat_id] = chat
        return chat

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them fail with 403."""
        self.chats[user_id].blocked = True

    def message(self, user_id: int, text: str | None = None, chat_id: int | None = None,
                **fields: Any) -> int:
        """The user sends a message (text and/or other fields); returns the update id."""
        chat = self.chats[chat_id if chat_id is not None else user_id]
        body = self._user_message(chat, user_id, fields)
        if text is not None:
            body["text"] = text
            if text.startswith("/"):
                command = text.split()[0] if text.split() else text
                body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": body})

    def media(self, user_id: int, kind: str, caption: str | None = None) -> int:
        """The user sends a photo, voice note, sticker, document, location... (see MEDIA)."""
        extra = {"caption": caption} if caption else {}
        return self.message(user_id, **MEDIA[kind], **extra)

    def edit(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits a message they sent before."""
        chat = self.chats[user_id]
        if chat.messages[message_id]["from"]["id"] != user_id:
            raise ValueError(f"message {message_id} is not one the user sent")
        body = dict(chat.messages[message_id], text=text, edit_date=int(time.time()))
        chat.messages[message_id] = body
        return self.push({"edited_message": body})

    def press(self, user_id: int, message: Mapping[str, Any], data: str) -> int:
        """The user taps an inline button (or sends any callback data) under a bot message."""
        user = self._user(user_id)
        query = {"id": str(next(self._query_ids)), "from": user, "message": _public(message),
                 "chat_instance": f"ci{message['chat']['id']}", "data": data}
        self.queries[query["id"]] = query
        return self.push({"callback_query": query})

    def push(self, update: dict[str, Any]) -> int:
        """Queue a raw update (for getUpdates or the webhook); returns its update id."""
        update_id = next(self._update_ids)
        self.history[update_id] = {"update_id": update_id, **update}
        self.pending.append(self.history[update_id])
        self.injected_at[update_id] = time.monotonic()
        self._notify()
        return update_id

    def redeliver(self, update_id: int) -> None:
        """Queue an update again, as Telegram does when it never saw the confirmation."""
        self.pending = sorted([*self.pending, self.history[update_id]], key=lambda u: u["update_id"])
        self._notify()

    def _user(self, user_id: int) -> dict[str, Any]:
        chat = self.chats.get(user_id)
        if chat and chat.user:
            return chat.user
        return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def _user_message(self, chat: Chat, user_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        message_id = next(chat.next_message_id)
        body = {"message_id": message_id, "from": self._user(user_id), "chat": chat.as_json(),
                "date": int(time.time()), **fields}
        chat.messages[message_id] = body
        return body

    # --- what the bot did ----------------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they stand now (after edits), oldest first."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m["from"]["id"] == self.me["id"]]

    def texts(self, chat_id: int) -> list[str]:
        """The visible text of the bot's messages in a chat."""
        return [m["text"] for m in self.sent(chat_id)]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float | None = 15.0) -> None:
        """Wait until the predicate holds (re-checked after every request); fail after timeout."""
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._tick.wait()

    def confirmed(self, update_id: int) -> bool:
        """Whether the bot has confirmed the update (offset past it, or a 200 from its webhook)."""
        return all(u["update_id"] != update_id for u in self.pending)

    async def wait_confirmed(self, *update_ids: int, timeout: float = 15.0) -> None:
        """Wait until the bot has confirmed every one of the updates."""
        await self.wait_for(lambda: all(self.confirmed(i) for i in update_ids), timeout)

    async def wait_for_messages(self, chat_id: int, count: int,
                                timeout: float = 15.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent `count` messages to the chat; returns them."""
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)

    # --- faults ------------------------------------------------------------------------------------

    def fail(self, method: str, chat_id: int | None = None, status: int = 429,
             retry_after: int | None = None, times: int = 1, description: str | None = None) -> Fault:
        """The next `times` calls of `method` (to `chat_id`, if given) fail with `status`."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or {429: f"Too Many Requests: retry after {retry_after}",
                               500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Error")
        fault = Fault(method, chat_id, status, text, retry_after, times)
        self.faults.append(fault)
        return fault

    def hold(self, method: str, chat_id: int | None = None) -> Hold:
        """Matching calls wait until the returned hold is released (a hang until then)."""
        held = Hold(method, chat_id)
        self.holds.append(held)
        return held

    # --- HTTP --------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        self._notify()
        try:
            result = await self._answer(method, params, request)
        except ApiError as error:
            call.status = error.code
            body: dict[str, Any] = {"ok": False, "error_code": error.code,
                                    "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            self._notify()
            return web.json_response(body, status=error.code)
        self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            raw.update(await request.json())
        elif request.can_read_body:
            raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        return {name: _coerce(name, value) for name, value in raw.items()}

    async def _answer(self, method: str, params: dict[str, Any], request: web.Request) -> Any:
        chat_id = params.get("chat_id")
        await self._wait_if_held(method, chat_id)
        if request.transport is None or request.transport.is_closing():
            # Its sender died while it was held: the request never got through.
            raise ApiError(499, "Client Closed Request")
        self._raise_fault(method, chat_id)
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return await handler(params)

    async def _wait_if_held(self, method: str, chat_id: Any) -> None:
        for held in [h for h in self.holds if h.matches(method, chat_id)]:
            held.count += 1
            held.arrived.set()
            self._notify()
            await held._released.wait()
            if not held.deliver:
                raise ApiError(502, "Bad Gateway")

    def _raise_fault(self, method: str, chat_id: Any) -> None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and fault.chat_id in (None, chat_id):
                fault.times -= 1
                extra = {"retry_after": fault.retry_after} if fault.retry_after else None
                raise ApiError(fault.status, fault.description, extra)

    def _notify(self) -> None:
        """Wake everything waiting for a change: each waiter re-checks its own condition."""
        self._tick.set()
        self._tick = asyncio.Event()

    # --- the methods ---------------------------------------------------------------------------------

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.me

    async def _api_logout(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"] or [])
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        ready = self._deliverable()[:limit]
        timeout = float(params.get("timeout") or 0)
        if ready or timeout <= 0:
            return ready
        return await self._long_poll(limit, timeout)

    async def _long_poll(self, limit: int, timeout: float) -> list[dict[str, Any]]:
        if self._poller and not self._poller.done():
            # Telegram ends the older of two concurrent getUpdates calls.
            self._poller.set_exception(ApiError(
                409, "Conflict: terminated by other getUpdates request; make sure that only one "
                     "bot instance is running"))
            self._notify()
        self._poller = asyncio.get_running_loop().create_future()
        waiter = self._poller
        with contextlib.suppress(TimeoutError):
            await self.wait_for(
                lambda: waiter.done() or self._has_deliverable() or self._closing, timeout)
        if waiter.done():
            waiter.result()  # raises the conflict for the older caller
        waiter.cancel()
        return self._deliverable()[:limit]

    def _has_deliverable(self) -> bool:
        # Checked on every request while a poll waits: cheap when nothing is filtered.
        return bool(self.pending) if not self.allowed_updates else bool(self._deliverable())

    def _deliverable(self) -> list[dict[str, Any]]:
        if not self.allowed_updates:
            return list(self.pending)
        return [u for u in self.pending if any(kind in u for kind in self.allowed_updates)]

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.pending.clear()
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"] or [])
        self.webhook = {"url": str(params.get("url") or ""), "secret_token": secret,
                        "max_connections": int(params.get("max_connections") or 40)}
        if self.webhook["url"] and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhook())
        return True

    async def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook = {}
        return True

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info = {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.pending)}
        if self.webhook.get("last_error_message"):
            info.update(last_error_date=self.webhook["last_error_date"],
                        last_error_message=self.webhook["last_error_message"])
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook["max_connections"]
        return info

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        text = self._checked_text(params)
        markup = params.get("reply_markup")
        _check_keyboard(markup)
        message = {"message_id": next(chat.next_message_id), "from": self._bot_user(),
                   "chat": chat.as_json(), "date": int(time.time()), "text": text,
                   "html": str(params.get("text")), "sent_at": time.monotonic()}
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        chat.messages[message["message_id"]] = message
        self.delivered += 1
        return _public(message)

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._own_message(params)
        text = self._checked_text(params)
        markup = params.get("reply_markup")
        _check_keyboard(markup)
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        message.update(text=text, html=str(params.get("text")), edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return _public(message)

    async def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._own_message(params)
        markup = params.get("reply_markup")
        _check_keyboard(markup)
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return _public(message)

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.queries:
            raise ApiError(400, "Bad Request: query ID is invalid")
        if query_id in self.callback_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or "
                                "query ID is invalid")
        if len(str(params.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = params
        return True

    async def _api_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        user_id = int(params.get("user_id") or 0)
        status = chat.members.get(user_id, "left")
        member: dict[str, Any] = {"status": status, "user": self._user(user_id)}
        if status == "administrator":
            member.update(_ADMIN_RIGHTS)
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        return member

    async def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._chat(params.get("chat_id"))
        return True

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        self.commands = params.get("commands") or []
        return True

    async def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        return True

    # --- helpers -------------------------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {k: self.me[k] for k in ("id", "is_bot", "first_name", "username")}

    def _chat(self, chat_id: Any) -> Chat:
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _own_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        message = chat.messages.get(int(params.get("message_id") or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.me["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _checked_text(self, params: dict[str, Any]) -> str:
        text = visible_text(str(params.get("text") or ""), params.get("parse_mode")).strip()
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(text) > MESSAGE_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    # --- webhook delivery ------------------------------------------------------------------------

    async def _deliver_webhook(self) -> None:
        """POST pending updates to the webhook: in order per chat, retried until a 200."""
        in_flight: dict[int, asyncio.Task[bool]] = {}
        async with ClientSession(timeout=ClientTimeout(total=60)) as session:
            while self.webhook.get("url"):
                busy_chats = {_chat_of(u) for u in self.pending if u["update_id"] in in_flight}
                for update in self._deliverable():
                    if len(in_flight) >= self.webhook["max_connections"]:
                        break
                    chat = _chat_of(update)
                    if update["update_id"] in in_flight or chat in busy_chats:
                        continue
                    busy_chats.add(chat)
                    in_flight[update["update_id"]] = asyncio.create_task(
                        self._post_update(session, update))
                await self._settle(in_flight)

    async def _settle(self, in_flight: dict[int, asyncio.Task[bool]]) -> None:
        if not in_flight:
            await self.wait_for(lambda: self._has_deliverable() or not self.webhook, timeout=None)
            return
        done, _ = await asyncio.wait(in_flight.values(), return_when=asyncio.FIRST_COMPLETED)
        for update_id, task in list(in_flight.items()):
            if task not in done:
                continue
            del in_flight[update_id]
            if task.result():
                self.pending = [u for u in self.pending if u["update_id"] != update_id]
                self._notify()

    async def _post_update(self, session: ClientSession, update: dict[str, Any]) -> bool:
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        try:
            async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                status = response.status
        except (ClientError, TimeoutError) as error:
            status = 0
            self.webhook["last_error_message"] = f"Connection failed: {error}"
        self.webhook_deliveries.append((update["update_id"], status))
        if status == 200:
            return True
        if status:
            self.webhook["last_error_message"] = f"Wrong response from the webhook: {status}"
        self.webhook["last_error_date"] = int(time.time())
        await asyncio.sleep(self.webhook_retry_delay)
        return False


def _chat_of(update: Mapping[str, Any]) -> int | None:
    for kind in UPDATE_TYPES:
        body = update.get(kind)
        if isinstance(body, dict):
            message = body.get("message", body) if kind == "callback_query" else body
            chat = message.get("chat") if isinstance(message, dict) else None
            return chat.get("id") if chat else None
    return None


def _public(message: Mapping[str, Any]) -> dict[str, Any]:
    """A message as the Bot API returns it (without the server's own bookkeeping)."""
    return {k: v for k, v in message.items() if k not in ("html", "sent_at")}
