"""Getting paid: how customers pay (methods, cuotas, cash, who pays a seña) for anyone who sets
the shop up; where the money goes (alias, CBU/CVU, CUIT) only for the owner, with their
password again, and a word to the owner's linked chat after every change."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.owner_chat import destination_notice, tell_owner
from bot.passwords import verify_password
from domain import payments
from domain.accounts import throttle
from domain.audit import Actor
from domain.errors import InvalidRequest
from domain.model import Shop
from domain.payments import (
    CUOTAS,
    DepositWhen,
    PaymentMethod,
    PaymentSettings,
    TransferNeedsAccount,
)
from domain.storage.accounts import forget_failures, recent_failures, record_failure
from domain.storage.payments import save_payment_settings
from domain.storage.uow import UnitOfWorkFactory
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.sessions import Viewer
from web.dashboard.setup.common import MoneyArea, Setup, catalog, done, setup_page
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/payments", include_in_schema=False)
NEEDS_ACCOUNT = N_("To take transfers the shop needs an alias or a CBU/CVU.")
DETAILS = {
    "transfer_alias": (
        payments.alias,
        N_("An alias has 6 to 20 letters, numbers, dots or hyphens."),
    ),
    "transfer_account": (
        payments.account_number,
        N_("That is not a CBU or CVU: check its 22 digits."),
    ),
    "cuit": (payments.cuit_number, N_("That is not a valid CUIT: check its 11 digits.")),
}


@router.get("")
async def payment_settings(request: Request, who: Setup, uow_factory: UowDep) -> Response:
    """How customers pay and where the money goes (read-only for a manager)."""
    return await _page(request, who, uow_factory, _ways(who.shop), _destination(who.shop))


@router.post("")
async def save_ways(request: Request, who: Setup, uow_factory: DashboardUow) -> Response:
    """Save how customers pay; the money's destination stays as it is."""
    form = Form(await request.form())
    current = who.shop.payments
    methods = tuple(PaymentMethod(v) for v in form.values("methods") if v in set(PaymentMethod))
    cuotas = form.whole("max_cuotas", (1, 12)) or 1
    try:
        when = DepositWhen(form.value("deposit_when"))
    except ValueError:
        when = current.deposit_when
    wanted = replace(
        current,
        methods=methods,
        max_cuotas=cuotas,
        cash_tickets=PaymentMethod.TICKET in methods,
        cash_confirms=form.value("cash_confirms") == "1",
        deposit_when=when,
    )
    if not methods:
        form.fail("methods", N_("Choose at least one way to pay."))
    settings = _checked(form, "methods", wanted)
    if settings is None:
        return await _page(request, who, uow_factory, form, _destination(who.shop), 422)
    await save_payment_settings(uow_factory, who.shop.id, settings)
    return done(request, "/admin/setup/payments")


@router.post("/destination")
async def save_destination(
    request: Request, who: MoneyArea, uow_factory: DashboardUow, clock: ClockDep
) -> Response:
    """Change where the money goes: the owner's password again, then a word to their chat."""
    form = Form(await request.form())
    current = who.shop.payments
    given = {n: form.text(n) or None for n in DETAILS}
    for name, (rule, msgid) in DETAILS.items():
        if given[name] is not None:
            form.check(name, msgid, rule, given[name])
    wanted = replace(
        current,
        transfer_alias=given["transfer_alias"],
        transfer_account=given["transfer_account"],
        cuit=given["cuit"],
    )
    settings = _checked(form, "transfer_alias", wanted)
    if settings is None:
        return await _page(request, who, uow_factory, _ways(who.shop), form, 422)
    if not payments.destination_changed(current, settings):
        return done(request, "/admin/setup/payments", "unchanged")
    if not await _password_ok(request, who, form, clock.now(), uow_factory):
        return await _page(request, who, uow_factory, _ways(who.shop), form, 422)
    await save_payment_settings(uow_factory, who.shop.id, settings)
    user = who.session.user
    notice = destination_notice(who.shop, current, settings, Actor.user(user.id, user.email))
    told = await tell_owner(uow_factory, request.app.state.channels, who.shop, notice, clock.now())
    return done(request, "/admin/setup/payments", "money_told" if told else "money_untold")


def _checked(form: Form, field: str, wanted: PaymentSettings) -> PaymentSettings | None:
    """The setup by the shared rules; a problem on `field` when it cannot be (or the form
    already has one)."""
    if not form.ok:
        return None
    try:
        return payments.checked_settings(wanted)
    except TransferNeedsAccount:
        form.fail(field, NEEDS_ACCOUNT)
    except InvalidRequest:
        form.fail("max_cuotas", N_("Choose one of the plans."))
    return None


async def _password_ok(
    request: Request, who: Viewer, form: Form, now: datetime, audited: UnitOfWorkFactory
) -> bool:
    """The user's own password, throttled like a login (per account and address); a wrong
    one is in the audit trail (`audited`: bound to the user), as a failed login is."""
    user, uow_factory = who.session.user, request.app.state.uow_factory
    address = request.client.host if request.client else "?"
    rule = throttle(*await recent_failures(uow_factory, user.email, address, now), now)
    if not rule.allowed:
        form.fail("password", N_("Too many wrong passwords. Try again in 15 minutes."))
        return False
    password = form.value("password")[:256]
    if not await asyncio.to_thread(verify_password, user.password_hash, password):
        await record_failure(uow_factory, user.email, address, now)
        subject, after = f"user:{user.id}", {"asked_for": "payments.destination"}
        await audited.audit_alone(who.shop.id, "auth.password_failed", subject, None, after)
        form.fail("password", N_("That is not your password. Nothing was changed."))
        return False
    await forget_failures(uow_factory, user.email)
    return True


def _ways(shop: Shop) -> Form:
    settings = shop.payments
    return Form.showing(
        methods=[m.value for m in settings.methods],
        max_cuotas=str(settings.max_cuotas),
        cash_confirms="1" if settings.cash_confirms else "0",
        deposit_when=settings.deposit_when.value,
    )


def _destination(shop: Shop) -> Form:
    settings = shop.payments
    return Form.showing(
        transfer_alias=settings.transfer_alias or "",
        transfer_account=settings.transfer_account or "",
        cuit=payments.cuit_label(settings.cuit) if settings.cuit else "",
    )


async def _page(
    request: Request, who: Viewer, uow_factory: UowDep, form: Form, where: Form, status: int = 200
) -> Response:
    known = await catalog(uow_factory, who.shop.id)
    return await setup_page(
        request,
        who,
        "setup/payments.html",
        N_("Getting paid"),
        status,
        form=form,
        where=where,
        services=known.active_services,
        methods=list(PaymentMethod),
        cuotas=CUOTAS,
        deposit_whens=list(DepositWhen),
    )
