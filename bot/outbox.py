"""Delivers the outbox: in order per chat, within each channel's limits, retrying what can be.

The worker claims the first pending message of each chat (with a lease, so a second process
skips it and a crash only delays it), waits for the channel's rate limits, and sends through
the channel's sender. A 429 waits out `retry_after` (for the whole channel when the channel
says so); a 5xx or a network error backs off exponentially; a permanent refusal is recorded as
failed, counted on /readyz, and never retried. Messages survive restarts: they are rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.channels.base import GiveUp, Limits, RetryLater
from domain.ports import Clock
from domain.storage.channels import OutboxItem, claim_due, mark_failed, mark_retry, mark_sent
from domain.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.metrics import Metrics, SendFailure

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
POLL_SECONDS = 0.5
# A message is given up only after both: MAX_ATTEMPTS tries (backoff 1, 2, 4 … 300 s) and
# GIVE_UP_AFTER since it was queued. Counting alone would let a channel's flood control (a 429
# every few seconds, which says nothing about the message) use up a message's tries in a minute.
MAX_ATTEMPTS = 12
GIVE_UP_AFTER = timedelta(minutes=30)
MAX_BACKOFF_SECONDS = 300.0


class Sender(Protocol):
    """A channel's way out: sends one outbox message, or raises RetryLater / GiveUp."""

    name: str
    limits: Limits

    async def send(self, item: OutboxItem) -> str | None:
        """Deliver the message; return the channel's id for it."""
        ...


class TokenBucket:
    """`rate` tokens a second, up to `burst`; `wait()` takes one, sleeping if none is left."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def delay(self) -> float:
        """Seconds until a token is free (0 when one is free now); does not take it."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate

    def take(self) -> None:
        """Use one token (call when `delay()` said 0)."""
        self.tokens -= 1

    async def wait(self) -> None:
        """Take a token, sleeping until one is free."""
        # Several senders may wait on one bucket: each re-checks after its sleep.
        while (delay := self.delay()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)
        self.take()


class OutboxWorker:
    """The delivery loop of one process."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        senders: Mapping[str, Sender],
        clock: Clock,
        before_round: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.senders = dict(senders)
        self.before_round = before_round
        self.now = clock.now
        self._paused: dict[str, datetime] = {}  # a channel's 429 "retry after" for everyone
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._overall: dict[str, TokenBucket] = {}
        self._chats: dict[tuple[str, str], TokenBucket] = {}
        self.reset_limits()
        self._in_flight: set[int] = set()
        self._sends: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.metrics: Metrics | None = None  # set by the app: failed sends counted

    def reset_limits(self) -> None:
        """(Re)build the rate limiters from the senders' limits."""
        self._overall = {
            name: TokenBucket(s.limits.per_second, max(1.0, s.limits.per_second))
            for name, s in self.senders.items()
        }
        self._chats.clear()

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        """Run the loop in the background."""
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        """Stop looping; sends in flight finish (a message cut off is retried after the lease)."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._sends:
            await asyncio.wait(self._sends, timeout=5)

    async def _run(self) -> None:
        # The flag ends the loop even when the cancel is lost: on Python 3.11 `wait_for` swallows
        # a cancellation that arrives as the wake-up it waits for completes.
        while not self._stopping:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("outbox round failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
            self._wake.clear()

    async def run_once(self) -> int:
        """One round: claim what is due and start sending it; returns how many were started."""
        if self.before_round is not None:
            await self.before_round()
        if not self.senders:
            return 0
        now = self.now()
        open_channels = [c for c in self.senders if self._paused.get(c, now) <= now]
        if not open_channels:
            return 0
        items = await claim_due(self.uow_factory, open_channels, now, LEASE)
        started = 0
        for item in items:
            if item.id in self._in_flight:
                continue
            self._in_flight.add(item.id)
            task = asyncio.create_task(self._deliver(item))
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)
            started += 1
        return started

    async def drain(self) -> None:
        """Wait for the sends in flight (tests and shutdown)."""
        while self._sends:
            await asyncio.wait(set(self._sends))

    async def _deliver(self, item: OutboxItem) -> None:
        sender = self.senders[item.channel]
        try:
            await self._pace(sender, item)
            try:
                external_id = await sender.send(item)
            except RetryLater as later:
                await self._retry(sender, item, later)
            except GiveUp as refused:
                # The message's id, never its chat id (a phone on WhatsApp).
                log.warning("%s: gave up on message %s: %s", item.channel, item.id, refused)
                self._count_failure(item, "gave_up")
                await mark_failed(self.uow_factory, item.id, str(refused), self.now())
            except Exception as error:  # an unexpected failure is retried, never lost
                log.exception("%s: sending message %s failed", item.channel, item.id)
                await self._retry(sender, item, RetryLater(type(error).__name__))
            else:
                await mark_sent(self.uow_factory, item.id, external_id, self.now())
        finally:
            self._in_flight.discard(item.id)
            self.wake()  # the chat's next message may go now

    def _count_failure(self, item: OutboxItem, outcome: SendFailure) -> None:
        if self.metrics is not None:
            self.metrics.send_failed(item.channel, outcome)

    async def _pace(self, sender: Sender, item: OutboxItem) -> None:
        """Wait for a token of the chat and of the channel as a whole."""
        key = (item.channel, item.chat_id)
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) > 10_000:
                self._chats.clear()  # idle buckets are full anyway: forgetting them is free
            limits = sender.limits
            chat = self._chats[key] = TokenBucket(limits.chat_per_second, limits.chat_burst)
        await chat.wait()
        await self._overall[item.channel].wait()

    async def _retry(self, sender: Sender, item: OutboxItem, later: RetryLater) -> None:
        attempts = item.attempts + 1
        now = self.now()
        if attempts >= MAX_ATTEMPTS and now - item.created_at >= GIVE_UP_AFTER:
            log.warning("%s: gave up on message %s after %d tries", item.channel, item.id, attempts)
            self._count_failure(item, "gave_up")
            await mark_failed(self.uow_factory, item.id, f"gave up: {later}", now)
            return
        self._count_failure(item, "retry")
        delay = later.after
        if delay is None:
            delay = min(MAX_BACKOFF_SECONDS, 2.0 ** min(attempts - 1, 30))
        due = now + timedelta(seconds=delay)
        if later.whole_channel:
            self._paused[item.channel] = max(self._paused.get(item.channel, due), due)
        log.info("%s: message %s retried in %.1f s (%s)", item.channel, item.id, delay, later)
        await mark_retry(self.uow_factory, item.id, due, str(later))
