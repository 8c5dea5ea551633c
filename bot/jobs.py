"""The registry of job handlers by kind; modules add theirs with `@register("kind")`.

The app's job loop runs every pending job with the handler registered for its kind (a job of
an unknown kind is failed). A handler must be idempotent: it may run more than once.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.scheduler import Handler

HANDLERS: dict[str, Handler] = {}
KIND_MAX_LENGTH = 30  # jobs.kind is a String(30)


def register(kind: str) -> Callable[[Handler], Handler]:
    """Decorator: make the function the handler of jobs of `kind` (one handler per kind)."""

    if not 0 < len(kind) <= KIND_MAX_LENGTH:
        raise ValueError(f"a job kind has 1 to {KIND_MAX_LENGTH} characters: {kind!r}")

    def add(handler: Handler) -> Handler:
        existing = HANDLERS.get(kind)
        if existing is not None and existing is not handler:
            raise ValueError(f"a handler for job kind {kind!r} is registered already")
        HANDLERS[kind] = handler
        return handler

    return add
