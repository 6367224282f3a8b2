"""Updates in: each handled once, in order per chat; long polling that confirms only what is handled.

PTB's Updater confirms a batch to Telegram as soon as it is fetched, so a process killed while
handling it loses those messages. Here the getUpdates offset moves past an update only once it
is handled, and the store's claim tells a redelivered update from a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from enum import Enum

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext

from bot.metrics import REPLY_LATENCY, UPDATES
from bot.store.connect import Store
from bot.telegram.limits import retry_seconds

logger = logging.getLogger(__name__)

# Updates handled at once. A few overlap one's network wait with another's work; many only
# make the connection pool and the event loop slower (measured: benchmarks/telegram_bench.py).
MAX_CONCURRENT = 4
# Updates asked for at a time. Each batch is finished before the next is asked for, so its tail
# runs below MAX_CONCURRENT: 32 spends that less often than 16 did (+9% updates/s) and still
# keeps the offset close behind the handled updates.
BATCH = 32


# Telegram keeps an undelivered update for 24 hours at most: past that, no update is asked
# about again, and the store's record of it can go.
UPDATE_MEMORY = timedelta(days=2)


class Result(Enum):
    """Where an update stands after a dispatch."""

    DONE = "done"  # handled now or before: confirm it
    BUSY = "busy"  # claimed by a handler still within its lease: ask again later
    FAILED = "failed"  # handling raised: it is delivered again


class Dispatcher:
    """Runs updates through the PTB Application under the store's claim and chat lock."""

    def __init__(self, application: Application, store: Store, lease: timedelta,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 max_concurrent: int = MAX_CONCURRENT,
                 on_finished: Callable[[int], None] = lambda update_id: None) -> None:
        self.application = application
        self.store = store
        # Told each update id whose handling is over, handled or failed.
        self.on_finished = on_finished
        self._slots = asyncio.Semaphore(max_concurrent)
        # How long a claim keeps other handlers (another replica, or this one after a restart)
        # away from an update; past that, its redelivery is handled again.
        self.lease = lease
        self.clock = clock
        self._failed: set[int] = set()
        application.add_error_handler(self._on_error)

    async def dispatch(self, update: Update) -> Result:
        """Handle the update unless it was handled before; the replies are out when DONE."""
        with REPLY_LATENCY.time():
            result = await self._dispatch(update)
        UPDATES.labels(result.value).inc()
        return result

    async def _dispatch(self, update: Update) -> Result:
        chat = update.effective_chat
        lock = self.store.chat_lock(str(chat.id)) if chat else contextlib.nullcontext()
        # The chat's lock first: updates queued behind their chat do not take up a slot.
        async with lock, self._slots:
            if not await self.store.claim_update(update.update_id, self.clock(), self.lease):
                handled = await self.store.is_handled(update.update_id)
                return Result.DONE if handled else Result.BUSY
            await self.application.process_update(update)
            failed = update.update_id in self._failed
            self._failed.discard(update.update_id)
            if failed:
                await self.store.release_claim(update.update_id)
            else:
                await self.store.mark_handled(update.update_id)
        self.on_finished(update.update_id)
        return Result.FAILED if failed else Result.DONE

    async def _on_error(self, update: object, context: CallbackContext) -> None:  # type: ignore[type-arg]
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error("update %s not handled; it will be delivered again", update_id,
                     exc_info=context.error)
        if update_id is not None:
            self._failed.add(update_id)
        raise ApplicationHandlerStop


class Poller:
    """Long polling with the offset held at the oldest update not yet handled."""

    def __init__(self, bot: Bot, dispatch: Callable[[Update], Awaitable[Result]],
                 timeout: int = 30, patience: float = 0.5, attempts: int = 3) -> None:
        self.bot = bot
        self.dispatch = dispatch
        self.timeout = timeout
        # While an update is slow (a rate-limited reply), new ones are fetched this often.
        self.patience = patience
        self.attempts = attempts
        self.running: dict[int, asyncio.Task[None]] = {}
        self.unfinished: set[int] = set()
        self.finished: set[int] = set()
        self.failures: dict[int, int] = {}
        self.next_offset = 0

    @property
    def offset(self) -> int:
        """Confirms to Telegram every update below the oldest unfinished one."""
        return min(self.unfinished, default=self.next_offset)

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch and dispatch until `stop` is set, then finish what is running."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        while not stop.is_set():
            for update in await self._fetch(stop):
                self._start(update)
            await self._settle(stop)
        if self.running:
            await asyncio.wait(self.running.values())
        with contextlib.suppress(TelegramError):
            await self.bot.get_updates(offset=self.offset, timeout=0)

    async def _fetch(self, stop: asyncio.Event) -> tuple[Update, ...]:
        poll = asyncio.ensure_future(self.bot.get_updates(
            offset=self.offset or None, limit=BATCH, timeout=0 if self.unfinished else self.timeout,
            allowed_updates=Update.ALL_TYPES))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait((poll, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not poll.done():
            poll.cancel()
            return ()
        try:
            return poll.result()
        except InvalidToken:
            raise
        except RetryAfter as error:
            await _pause(stop, retry_seconds(error))
        except TimedOut:
            pass
        except TelegramError as error:  # Conflict (another poller), a 5xx, the network
            logger.warning("getUpdates failed (%s); trying again", error)
            await _pause(stop, 1.0)
        return ()

    def _start(self, update: Update) -> None:
        update_id = update.update_id
        if update_id in self.running or update_id in self.finished or update_id < self.offset:
            return
        self.unfinished.add(update_id)
        self.next_offset = max(self.next_offset, update_id + 1)
        self.running[update_id] = asyncio.create_task(self._handle(update))

    async def _handle(self, update: Update) -> None:
        update_id = update.update_id
        try:
            result = await self.dispatch(update)
        except Exception:  # the store or the network failed before the handlers ran
            logger.exception("update %d could not be dispatched", update_id)
            result = Result.FAILED
        del self.running[update_id]
        if result is Result.FAILED:
            self.failures[update_id] = self.failures.get(update_id, 0) + 1
            if self.failures[update_id] >= self.attempts:
                logger.error("update %d failed %d times; giving up on it", update_id, self.attempts)
                result = Result.DONE
        if result is Result.DONE:
            self.unfinished.discard(update_id)
            self.failures.pop(update_id, None)
            self.finished.add(update_id)
            self.finished = {i for i in self.finished if i >= self.offset}

    async def _settle(self, stop: asyncio.Event) -> None:
        """Wait for the batch (or `patience`); with only retries left, wait before asking again."""
        if self.running:
            await asyncio.wait(self.running.values(), timeout=self.patience)
        elif self.unfinished:
            await _pause(stop, 1.0)


async def forget_old_updates(store: Store, clock: Callable[[], datetime], stop: asyncio.Event,
                             every: float = 3600.0) -> None:
    """Until `stop`, now and every `every` seconds: prune the record of updates Telegram is done with."""
    while not stop.is_set():
        try:
            if pruned := await store.prune_updates(clock() - UPDATE_MEMORY):
                logger.info("forgot %d updates older than %s", pruned, UPDATE_MEMORY)
        except Exception:  # the database is away for now; the next round tries again
            logger.exception("old updates could not be pruned")
        await _pause(stop, every)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
