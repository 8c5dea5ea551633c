"""Prometheus metrics of one app: counted where things happen, the backlog read at scrape time.

Every app has its own registry (tests build many apps in one process). Labels are bounded
sets (channel, webhook source and outcome, booking state): never a chat, a phone or a shop.
Counters live in memory, per process; the gauges are read from the database on each scrape,
so every process reports the same backlog.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from domain.model import BookingStatus
from domain.storage.metrics import read_backlog
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

__all__ = ["CONTENT_TYPE", "Metrics"]

CHANNELS: Final = ("telegram", "whatsapp", "sandbox")
WEBHOOK_SOURCES: Final = ("telegram", "whatsapp", "mercadopago")
WebhookOutcome = Literal["accepted", "forged", "duplicate", "error"]
WEBHOOK_OUTCOMES: Final[tuple[WebhookOutcome, ...]] = ("accepted", "forged", "duplicate", "error")
SendFailure = Literal["retry", "gave_up"]
# The classic text format generate_latest writes, which every Prometheus version reads.
CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
# A chat turn is a few milliseconds of CPU plus the database: buckets from 5 ms to 10 s.
TURN_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The counters, histogram and gauges of one app, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.turns = Counter(
            "barberpro_chat_turns", "Customer messages handled.", ["channel"], registry=registry
        )
        self.turn_seconds = Histogram(
            "barberpro_chat_turn_seconds",
            "Time to handle one customer message, replies queued.",
            ["channel"],
            buckets=TURN_BUCKETS,
            registry=registry,
        )
        self.webhooks = Counter(
            "barberpro_webhooks",
            "Webhook requests by source and outcome.",
            ["source", "outcome"],
            registry=registry,
        )
        self.send_failures = Counter(
            "barberpro_outbox_send_failures",
            "Outbox sends that failed: retried later, or given up for good.",
            ["channel", "outcome"],
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "barberpro_outbox_pending", "Messages waiting to go out.", registry=registry
        )
        self.outbox_oldest_age = Gauge(
            "barberpro_outbox_oldest_pending_age_seconds",
            "Age of the oldest message waiting to go out (0 when none).",
            registry=registry,
        )
        self.job_lag = Gauge(
            "barberpro_jobs_lag_seconds",
            "How late the oldest due job is (0 when none is due).",
            registry=registry,
        )
        self.bookings = Gauge(
            "barberpro_bookings", "Bookings by state.", ["state"], registry=registry
        )
        for channel in CHANNELS:  # every series exists from the start, at 0
            self.turns.labels(channel)
            self.turn_seconds.labels(channel)
        for source in WEBHOOK_SOURCES:
            for outcome in WEBHOOK_OUTCOMES:
                self.webhooks.labels(source, outcome)

    def turn(self, channel: str, seconds: float) -> None:
        """One customer message was handled in `seconds`."""
        self.turns.labels(channel).inc()
        self.turn_seconds.labels(channel).observe(seconds)

    def webhook(self, source: str, outcome: WebhookOutcome) -> None:
        """A webhook request of `source` ended with `outcome`."""
        self.webhooks.labels(source, outcome).inc()

    def send_failed(self, channel: str, outcome: SendFailure) -> None:
        """An outbox send failed and was retried later or given up."""
        self.send_failures.labels(channel, outcome).inc()

    async def scrape(self, uow_factory: UnitOfWorkFactory, now: datetime) -> bytes:
        """The text exposition, the gauges read from the database first."""
        backlog = await read_backlog(uow_factory, now)
        self.outbox_pending.set(backlog.outbox_pending)
        self.outbox_oldest_age.set(_seconds_since(backlog.oldest_pending_message, now))
        self.job_lag.set(_seconds_since(backlog.oldest_due_job, now))
        for state in BookingStatus:
            self.bookings.labels(state.value).set(backlog.bookings_by_status.get(state.value, 0))
        return generate_latest(self.registry)


def _seconds_since(moment: datetime | None, now: datetime) -> float:
    """Seconds from `moment` to `now`, never negative; 0 for none."""
    return 0.0 if moment is None else max(0.0, (now - moment).total_seconds())
