"""The real clock, the only place the shell reads the time for the domain."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC)


class OffsetClock:
    """Starts at a given instant and runs on in real time from there (`serve --demo --start-at`)."""

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("OffsetClock needs an aware start")
        self.start = start.astimezone(UTC)
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> datetime:
        """The start plus the real (monotonic) time elapsed since this clock was made, in UTC."""
        return self.start + timedelta(seconds=self._monotonic() - self._origin)
