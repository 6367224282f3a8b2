"""Replies as Telegram messages: escaped HTML, split at Telegram's length limit, inline keyboards."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.content.model import TELEGRAM_CALLBACK_LIMIT, TELEGRAM_MESSAGE_LIMIT, Button, telegram_length
from bot.dialogue.respond import Reply

logger = logging.getLogger(__name__)

# Callback data is a button payload (`/intent{...}`) or one of ours, `kind:value`.
ACK = "ack"
FORGET = "forget"
CHECKIN = "checkin"
BUTTON = "button"
# Split where a reader would: between paragraphs, then lines, then words.
_SEPARATORS = ("\n\n", "\n", " ")
# ASCII digits only ("²".isdigit() is true, and int() fails on it), and few enough for a 64-bit integer.
_ALERT_NUMBER = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Message:
    """One Telegram message: HTML text and the keyboard under it, if any."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Callback:
    """What a button press asks for: an acknowledgement, a forget or check-in answer, a patient button."""

    kind: str
    value: str


def messages(reply: Reply, namespace: str = "") -> list[Message]:
    """A reply as one or more messages; the buttons go under the last one."""
    chunks = split(reply.text)
    keyboard = inline_keyboard(reply.buttons, namespace)
    last = len(chunks) - 1
    return [Message(chunk, keyboard if index == last else None) for index, chunk in enumerate(chunks)]


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def split(text: str, limit: int = TELEGRAM_MESSAGE_LIMIT) -> list[str]:
    """Escaped chunks of at most `limit` UTF-16 units, cut between paragraphs where possible."""
    chunks: list[str] = []
    current, size = "", 0
    for piece in _pieces(text, limit, 0):
        piece_size = telegram_length(piece)
        if current and size + piece_size > limit:
            chunks.append(current)
            current, size = "", 0
        current, size = current + piece, size + piece_size
    chunks.append(current)
    return [escape(chunk.strip()) for chunk in chunks if chunk.strip()]


def _pieces(text: str, limit: int, level: int) -> Iterator[str]:
    if telegram_length(text) <= limit:
        yield text
    elif level == len(_SEPARATORS):
        yield from _hard_cut(text, limit)
    else:
        separator = _SEPARATORS[level]
        parts = text.split(separator)
        for index, part in enumerate(parts):
            tail = separator if index < len(parts) - 1 else ""
            yield from _pieces(part + tail, limit, level + 1)


def _hard_cut(text: str, limit: int) -> Iterator[str]:
    start, size = 0, 0
    for index, char in enumerate(text):
        if size + telegram_length(char) > limit:
            yield text[start:index]
            start, size = index, 0
        size += telegram_length(char)
    yield text[start:]


def callback_data(payload: str, namespace: str = "") -> str:
    """The data a button carries; ValueError if over Telegram's 64 bytes."""
    data = f"{namespace}:{payload}" if namespace else payload
    if len(data.encode()) > TELEGRAM_CALLBACK_LIMIT:
        raise ValueError(f"callback data {data!r} is over {TELEGRAM_CALLBACK_LIMIT} bytes")
    return data


def parse_callback(data: str | None) -> Callback:
    """What a press asks for; anything unknown is a patient button, which the engine checks."""
    kind, _, value = (data or "").partition(":")
    if kind == ACK and alert_number(value) is not None:
        return Callback(ACK, value)
    if kind in (FORGET, CHECKIN) and value:
        return Callback(kind, value)
    return Callback(BUTTON, data or "")


def alert_number(text: str) -> int | None:
    """An alert id typed or carried by a button: plain digits that fit the store's integers, else None."""
    return int(text) if _ALERT_NUMBER.fullmatch(text) else None


def inline_keyboard(buttons: Sequence[Button], namespace: str = "") -> InlineKeyboardMarkup | None:
    """One button per row: titles stay readable on a phone."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=callback_data(b.payload, namespace))]
         for b in buttons])
