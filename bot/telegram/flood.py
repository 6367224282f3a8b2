"""Per-chat flood guard: past a rate, ordinary answers collapse into one notice (triage still runs)."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from enum import Enum

logger = logging.getLogger(__name__)

# Beyond this many tracked chats, the ones quiet for a whole window are forgotten.
_KEEP_CHATS = 4096


class Pace(Enum):
    """How to answer the latest message of a chat."""

    ANSWER = "answer"
    NOTICE = "notice"  # the first message over the rate: say "slow down" once
    QUIET = "quiet"  # later ones: only what triage says must be said


class FloodGuard:
    """Counts each chat's messages in a sliding window."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._noticed: set[str] = set()

    def pace(self, chat_id: str) -> Pace:
        """Record a message from the chat and say how to answer it."""
        now = self.clock()
        if len(self._seen) > _KEEP_CHATS:
            self._forget_quiet(now)
        times = self._seen.setdefault(chat_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            self._noticed.discard(chat_id)
            return Pace.ANSWER
        if chat_id in self._noticed:
            return Pace.QUIET
        self._noticed.add(chat_id)
        logger.info("chat %s is sending over %d messages in %gs", chat_id, self.limit, self.window)
        return Pace.NOTICE

    def _forget_quiet(self, now: float) -> None:
        quiet = [c for c, times in self._seen.items() if not times or times[-1] <= now - self.window]
        for chat_id in quiet:
            del self._seen[chat_id]
            self._noticed.discard(chat_id)
