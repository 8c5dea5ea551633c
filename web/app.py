"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from bot import comeback, daily_agenda, retention
from bot.booking_jobs import HOLD_EXPIRY, NO_SHOW_CHECK, BookingJobs
from bot.channels.runtime import ChannelRuntime
from bot.channels.setup import start_channels, start_polling
from bot.clock import SystemClock
from bot.comeback import Comeback
from bot.customer_rights import FORGET_CHAT, ChatForgetter
from bot.daily_agenda import DailyAgenda
from bot.dispatcher import Dispatcher
from bot.jobs import HANDLERS
from bot.log_setup import keep_libraries_quiet
from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.outbox import OutboxWorker
from bot.payments.desk import NOTIFIED as PAYMENT_NOTIFIED
from bot.payments.desk import REFUND as PAYMENT_REFUND
from bot.payments.desk import PaymentDesk
from bot.payments.mercadopago import MercadoPagoGateway
from bot.reminders import KIND as reminder_kind
from bot.reminders import Reminders
from bot.retention import Retention
from bot.scheduler import Handler, JobLoop
from bot.settings import Settings, get_settings
from bot.waitlist import EXPIRY as offer_expiry_kind
from bot.waitlist import OFFER as waitlist_offer_kind
from bot.waitlist import Waitlist
from domain.ports import Clock
from domain.storage.channels import release_outbox_claims
from domain.storage.engine import make_engine
from domain.storage.jobs import release_claims
from domain.storage.uow import UnitOfWorkFactory
from web import api_docs, dashboard, metrics, payment_return, sandbox, throttle, webhooks
from web.api.v1 import (
    agenda,
    audit,
    bookings,
    customers,
    days,
    hours,
    inbox,
    keys,
    payments,
    payouts,
    professionals,
    services,
    shops,
    staff,
)
from web.errors import install_error_handlers
from web.health import router as health_router
from web.limits import BodySizeLimit
from web.request_id import RequestIdMiddleware
from web.security_headers import SecurityHeaders

log = logging.getLogger(__name__)

DESCRIPTION = """Chat-first booking for Argentine barbershops and service businesses.

Every `/api/v1` call needs `Authorization: Bearer <key>` (make one with
`barberpro apikey create NAME`). Errors are `{"error": code, "detail": text}`.
"""


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    job_handlers: Mapping[str, Handler] | None = None,
) -> FastAPI:
    """Build the app; the database engine opens in the lifespan and closes with it.

    `job_handlers` (tests) replaces the registry of job handlers (bot/jobs.py).
    """
    settings = settings or get_settings()
    handlers = HANDLERS if job_handlers is None else job_handlers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        uow_factory = app.state.uow_factory = UnitOfWorkFactory(engine)
        clock = app.state.clock
        dispatcher = app.state.dispatcher = Dispatcher(uow_factory, clock)
        dispatcher.metrics = app.state.metrics
        _log_channels(settings)
        channels = app.state.channels = await start_channels(settings, uow_factory, clock)
        payments = app.state.payments = PaymentDesk(
            uow_factory, clock, _mercadopago(settings), channels
        )
        dispatcher.payments = payments
        notifier = Notifier(uow_factory, clock, dispatcher.catalogs, channels)
        outbox = app.state.outbox = OutboxWorker(uow_factory, channels, clock, notifier.run_once)
        outbox.metrics = app.state.metrics
        runtime = app.state.runtime = ChannelRuntime(
            uow_factory, clock, dispatcher, channels, outbox
        )
        runtime.staff.payments = payments
        try:
            if engine.dialect.name == "sqlite":  # one process: its predecessor's claims are void
                await release_outbox_claims(uow_factory)
            await runtime.resume(starting=True)
        except SQLAlchemyError as error:  # not migrated yet: /readyz says so
            log.error("could not resume inbound messages: %s", type(error).__name__)
        outbox.start()  # after the release, so none of its own claims is voided
        runtime.start()
        reminders = Reminders(uow_factory, clock, dispatcher, channels)
        booking_jobs = BookingJobs(uow_factory, clock, channels)
        agenda = DailyAgenda(uow_factory, clock, channels)
        offers = Waitlist(uow_factory, clock, dispatcher, channels)
        comebacks = Comeback(uow_factory, clock, dispatcher, channels)
        purges = Retention(uow_factory, clock, settings.retention_days)
        forgetter = ChatForgetter(uow_factory, clock)
        try:
            if engine.dialect.name == "sqlite":  # one process: its predecessor's claims are void
                await release_claims(uow_factory)
            await daily_agenda.plan_all(uow_factory, clock)
            await comeback.plan_all(uow_factory, clock)
            await retention.plan(uow_factory, clock)
        except SQLAlchemyError as error:  # not migrated yet: /readyz says so
            log.error("could not plan the daily rounds: %s", type(error).__name__)
        jobs = app.state.jobs = JobLoop(
            uow_factory,
            clock,
            {
                reminder_kind: reminders.run,
                HOLD_EXPIRY: booking_jobs.expire_hold,
                NO_SHOW_CHECK: booking_jobs.check_no_show,
                daily_agenda.KIND: agenda.run,
                waitlist_offer_kind: offers.offer,
                offer_expiry_kind: offers.expire,
                comeback.KIND: comebacks.run,
                PAYMENT_NOTIFIED: payments.notified,
                PAYMENT_REFUND: payments.refund_if_owed,
                retention.KIND: purges.run,
                FORGET_CHAT: forgetter.run,
                **handlers,
            },
            settings.scheduler_interval_seconds,
            batch_handlers={reminder_kind: reminders.run_batch},
        )
        jobs.start()
        polling = start_polling(settings, channels, runtime)
        try:
            async with metrics.metrics_port(settings, app.state.metrics, uow_factory, clock):
                yield
        finally:
            if polling is not None:
                polling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await polling
            await jobs.stop()
            await runtime.stop()
            await outbox.stop()
            for channel in channels.values():
                await channel.stop()
            await engine.dispose()

    app = FastAPI(
        title="BarberPro",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from web/api_docs.py, with no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.metrics = Metrics()  # this app's own registry: tests build many apps
    install_error_handlers(app)
    throttle.install(app, settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # Around the body limit, so even a 413 carries the headers.
    app.add_middleware(SecurityHeaders, https=settings.public_url.lower().startswith("https://"))
    # Outermost: every request's log lines and answer carry its id, even a refused one.
    app.add_middleware(RequestIdMiddleware)
    # Libraries that log request bodies or SQL parameters stay at WARNING (no personal data).
    keep_libraries_quiet()
    app.include_router(health_router)
    app.include_router(metrics.router)
    # The chat's own paths first: every request walks the routes in order until one matches,
    # and a chat turn should not first be compared with every API and dashboard path.
    app.include_router(webhooks.router)
    if settings.sandbox:
        app.include_router(sandbox.router)
    for api in (
        shops,
        services,
        professionals,
        hours,
        days,
        bookings,
        agenda,
        customers,
        inbox,
        staff,
        payments,
        payouts,
        keys,
        audit,
    ):
        app.include_router(api.router, prefix="/api/v1")
    app.include_router(payment_return.router)
    dashboard.install(app)
    api_docs.install(app)
    return app


def _mercadopago(settings: Settings) -> MercadoPagoGateway | None:
    """The Mercado Pago gateway, when an access token is set."""
    if not settings.mercadopago_access_token:
        return None
    return MercadoPagoGateway(
        settings.mercadopago_access_token, settings.mercadopago_api_url, settings.public_url
    )


def _log_channels(settings: Settings) -> None:
    for name, enabled in [
        ("telegram", settings.telegram_enabled),
        ("whatsapp", settings.whatsapp_enabled),
        ("mercadopago", settings.mercadopago_enabled),
    ]:
        log.info("%s: %s", name, "configured" if enabled else "off (no credentials)")
