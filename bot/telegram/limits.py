"""Sending within Telegram's limits (per chat, group, overall); nurse alerts never queue behind patients."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

logger = logging.getLogger(__name__)

# Telegram's published limits: about one message a second in a chat (short bursts pass),
# twenty a minute in a group, thirty a second overall.
CHAT_RATE = 1.0
CHAT_BURST = 3
GROUP_PER_MINUTE = 20
OVERALL_PER_SECOND = 30.0
# Patient replies wait out a 429 this many times; nurse alerts go back to their outbox instead.
MAX_RETRIES = 2
# Beyond this many idle buckets, full ones are forgotten.
_KEEP_BUCKETS = 1024


def retry_seconds(error: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds (PTB 22 gives int or timedelta, with a warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Bucket:
    """A token bucket that books slots ahead: each caller learns how long to wait for its turn."""

    def __init__(self, rate: float, period: float, burst: float, clock: Callable[[], float]) -> None:
        self.fill = rate / period
        self.burst = burst
        self.tokens = burst
        self.clock = clock
        self.updated = clock()

    def book(self) -> float:
        """Take a slot; returns the seconds until it comes."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.fill)
        self.updated = now
        self.tokens -= 1
        return max(0.0, -self.tokens / self.fill)

    def idle(self) -> bool:
        return self.tokens + (self.clock() - self.updated) * self.fill >= self.burst


class TelegramLimiter(BaseRateLimiter[int]):
    """Paces sends per chat, per group and overall; `priority_chats` are charged, never queued.

    A 429 pauses only the chat it came for (PTB's AIORateLimiter would halt every chat, the
    nurses' included).
    """

    def __init__(self, priority_chats: Collection[int] = (),
                 overall_per_second: float = OVERALL_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.priority_chats = frozenset(priority_chats)
        self.clock = clock
        self.sleep = sleep
        self.overall = Bucket(overall_per_second, 1.0, overall_per_second, clock)
        self.chats: dict[int | str, Bucket] = {}
        self.paused_until: dict[int | str | None, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = _chat(data) if endpoint.startswith(("send", "edit", "copy", "forward")) else None
        priority = chat in self.priority_chats
        attempt = 0
        while True:
            await self._wait_turn(chat, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if priority:
                    raise  # the alert outbox waits it out, and keeps the alert safe meanwhile
                wait = retry_seconds(error)
                self.paused_until[chat] = max(self.paused_until.get(chat, 0.0), self.clock() + wait)
                logger.warning("429 for chat %s on %s: paused %.1fs", chat, endpoint, wait)
                attempt += 1
                if attempt > MAX_RETRIES:
                    raise

    async def _wait_turn(self, chat: int | str | None, priority: bool) -> None:
        if chat is None:
            return
        waits = [self.paused_until.get(chat, 0.0) - self.clock(), self._bucket(chat).book()]
        if priority:
            self.overall.book()  # counted, so patients slow down; never waited for
        else:
            waits.append(self.overall.book())
        wait = max(waits)
        if wait > 0:
            await self.sleep(wait)

    def _bucket(self, chat: int | str) -> Bucket:
        bucket = self.chats.get(chat)
        if bucket is None:
            if len(self.chats) > _KEEP_BUCKETS:
                self.chats = {k: b for k, b in self.chats.items() if not b.idle()}
            bucket = self.chats[chat] = _new_bucket(chat, self.clock)
        return bucket


def _new_bucket(chat: int | str, clock: Callable[[], float]) -> Bucket:
    # Groups, supergroups and channels have negative ids (or an @username).
    if isinstance(chat, str) or chat < 0:
        return Bucket(GROUP_PER_MINUTE, 60.0, GROUP_PER_MINUTE, clock)
    return Bucket(CHAT_RATE, 1.0, CHAT_BURST, clock)


def _chat(data: dict[str, Any]) -> int | str | None:
    chat = data.get("chat_id")
    if chat is None:
        return None
    try:
        return int(chat)
    except (TypeError, ValueError):
        return str(chat)
