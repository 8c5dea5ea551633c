"""Abuse limits: how often one client address, API key or sandbox chat may call (429 above).

Each budget is a moving window of the `limits` package, kept in this process's memory: exact
(a burst is refused right after the limit, never one request late), and small (a key holds at
most its limit's worth of timestamps). Several processes on PostgreSQL each keep their own
budgets, so a client may get up to one budget per process: the limits stop floods and brute
force, they are not quotas. Signed webhooks never meet a budget (web/webhooks.py).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from bot.settings import Settings
from web.api.v1.schemas import ErrorOut
from web.errors import error_response

# Sandbox chats this process knows exist, so only a chat's first message here costs a look-up.
KNOWN_CHATS_KEPT = 10_000


# What a limited route documents in its OpenAPI (`responses=`).
RATE_LIMITED: dict[int | str, dict[str, object]] = {
    429: {
        "model": ErrorOut,
        "description": "Too many requests (`rate_limited`): wait the seconds Retry-After says",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    },
}


class Budget:
    """One limit (say 10 per minute) kept separately for each key (an address, a key, a chat)."""

    def __init__(self, limiter: MovingWindowRateLimiter, name: str, limit: str) -> None:
        self.limiter = limiter
        self.name = name
        self.item: RateLimitItem | None = None if limit.lower() == "off" else parse(limit)

    def hit(self, key: str) -> int | None:
        """Spend one from `key`'s budget: None when allowed, else the seconds to wait."""
        if self.item is None or self.limiter.hit(self.item, self.name, key):
            return None
        return self.retry_after(key)

    def test(self, key: str) -> int | None:
        """Like `hit`, without spending: None while `key` has budget left."""
        if self.item is None or self.limiter.test(self.item, self.name, key):
            return None
        return self.retry_after(key)

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key`'s oldest spend leaves the window (at least 1)."""
        assert self.item is not None
        # The window's reset time is on the storage's clock (time.time), so is the wait.
        reset = self.limiter.get_window_stats(self.item, self.name, key).reset_time
        return max(1, math.ceil(reset - time.time()))


class FailureBudget(Budget):
    """A budget only failures spend, where an attempt still running counts as spent until it
    ends: a burst of guesses sent at once cannot all pass before the first one fails. Attempts
    past what is left wait for the running ones (a busy, honest client is slowed, not refused)."""

    def __init__(self, limiter: MovingWindowRateLimiter, name: str, limit: str) -> None:
        super().__init__(limiter, name, limit)
        self._running: Counter[str] = Counter()
        self._ended: dict[str, asyncio.Event] = {}  # set when an attempt of the key ends

    @asynccontextmanager
    async def attempt(self, key: str, refusal: str) -> AsyncIterator[Attempt]:
        """Run one attempt for `key`; `RateLimited(refusal)` when the failures fill the budget.
        Mark the attempt `succeeded`, or it is spent as a failure."""
        while self.item is not None:
            stats = self.limiter.get_window_stats(self.item, self.name, key)
            if stats.remaining - self._running[key] > 0:
                break
            if not self._running[key]:
                raise RateLimited(self.retry_after(key), refusal)
            await self._ended.setdefault(key, asyncio.Event()).wait()
        attempt = Attempt()
        self._running[key] += 1
        try:
            yield attempt
        finally:
            self._running[key] -= 1
            if not self._running[key]:
                del self._running[key]
            if not attempt.succeeded:
                self.hit(key)
            ended = self._ended.pop(key, None)
            if ended is not None:
                ended.set()


@dataclass
class Attempt:
    """How an attempt under a `FailureBudget` went."""

    succeeded: bool = False


class KnownChats:
    """The sandbox chats seen lately, newest last (a bounded memory, not the truth: a chat
    forgotten here is looked up in the database again)."""

    def __init__(self, kept: int = KNOWN_CHATS_KEPT) -> None:
        self.kept = kept
        self._chats: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._chats

    def add(self, chat_id: str) -> None:
        """Remember a chat, forgetting the least recently seen one when full."""
        self._chats[chat_id] = None
        self._chats.move_to_end(chat_id)
        if len(self._chats) > self.kept:
            self._chats.popitem(last=False)


class OneAtATime:
    """Per-key queues: attempts that must see each other's outcome (logins, whose failures
    the next attempt's throttle reads) run one at a time per account and per address."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @asynccontextmanager
    async def hold(self, *keys: str) -> AsyncIterator[None]:
        """Wait for every key's turn (taken in one order everywhere, so none waits forever)."""
        async with AsyncExitStack() as stack:
            for key in sorted(set(keys)):
                self._users[key] += 1
                stack.callback(self._leave, key)
                await stack.enter_async_context(self._locks.setdefault(key, asyncio.Lock()))
            yield

    def _leave(self, key: str) -> None:
        self._users[key] -= 1
        if not self._users[key]:  # nobody else waiting: forget the lock
            del self._users[key]
            self._locks.pop(key, None)


class RateLimits:
    """The app's budgets, as the settings say."""

    def __init__(self, settings: Settings) -> None:
        limiter = MovingWindowRateLimiter(MemoryStorage())
        self.api_key = Budget(limiter, "api-key", settings.rate_limit_api_key)
        self.api_address = Budget(limiter, "api-address", settings.rate_limit_api_address)
        self.api_auth_failures = FailureBudget(
            limiter, "api-auth-failures", settings.rate_limit_api_auth_failures
        )
        self.sandbox_new_chats = Budget(
            limiter, "sandbox-new-chats", settings.rate_limit_sandbox_new_chats
        )
        self.sandbox_chat = Budget(limiter, "sandbox-chat", settings.rate_limit_sandbox_chat)
        self.webhook_forged = Budget(limiter, "webhook-forged", settings.rate_limit_webhook_forged)
        self.known_chats = KnownChats()
        self.logins = OneAtATime()


class RateLimited(Exception):
    """Raised by a guard: answered 429 with Retry-After and the JSON error."""

    def __init__(self, retry_after: int, detail: str) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


def rate_limited_response(retry_after: int, detail: str) -> JSONResponse:
    """429 `{"error": "rate_limited", "detail": ...}` with Retry-After in seconds."""
    response = error_response(429, "rate_limited", detail)
    response.headers["Retry-After"] = str(retry_after)
    return response


def install(app: FastAPI, settings: Settings) -> None:
    """Give the app its budgets and the 429 answer of `RateLimited`."""
    app.state.rate_limits = RateLimits(settings)

    @app.exception_handler(RateLimited)
    async def _limited(_: Request, error: RateLimited) -> JSONResponse:
        return rate_limited_response(error.retry_after, error.detail)


def client_address(request: Request) -> str:
    """The caller's address as uvicorn saw it (its proxy-headers handling already applied:
    X-Forwarded-For is trusted only from the proxies uvicorn is told to trust, never here)."""
    return request.client.host if request.client else "unknown"


async def get_rate_limits(request: Request) -> RateLimits:
    """The app's budgets."""
    limits: RateLimits = request.app.state.rate_limits
    return limits


RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]
