"""Services and prices: the list, adding one, changing it (price as the owner types it, who
offers it, the words customers use for it, its seña), archiving and offering it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from domain.catalog_rules import SERVICE_LIMITS, service_column
from domain.errors import Conflict, NotFound
from domain.formatting import format_amount, parse_amount
from domain.model import Service, Shop
from domain.money import Money
from domain.payments import Deposit, DepositKind, checked_deposit
from domain.storage.catalog_admin import add_service, change_service
from domain.storage.payments import save_service_deposit
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.setup.common import Catalog, Setup, catalog, done, missing, setup_page
from web.dashboard.setup.forms import Form
from web.deps import UowDep

router = APIRouter(prefix="/admin/setup/services", include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PRICE = N_("Write the price like 12000 or 12.000,50.")


@dataclass
class ServiceForm:
    """A service as the form gives it: its columns, who offers it, its seña."""

    columns: dict[str, Any] = field(default_factory=dict)
    professional_ids: set[int] = field(default_factory=set)
    deposit: Deposit = field(default_factory=Deposit)


@router.get("")
async def services(request: Request, who: Setup, uow_factory: UowDep) -> Response:
    """The services with their price, length, who offers them and their seña."""
    known = await catalog(uow_factory, who.shop.id)
    return await setup_page(request, who, "setup/services.html", N_("Services"), known=known)


@router.get("/new")
async def new_service(request: Request, who: Setup, uow_factory: UowDep) -> Response:
    """The form for a new service."""
    known = await catalog(uow_factory, who.shop.id)
    return await _form_page(request, who, known, None, Form.showing(**_blank(known)))


@router.post("/new")
async def add(request: Request, who: Setup, uow_factory: DashboardUow) -> Response:
    """Add the service; a form with a problem comes back with it, nothing saved."""
    known = await catalog(uow_factory, who.shop.id)
    form = Form(await request.form())
    given = read_service(form, who.shop, known)
    if form.ok:
        try:
            made = await add_service(uow_factory, who.shop, given.columns, given.professional_ids)
        except Conflict:
            form.fail("name", N_("Another service offered is already called that."))
        else:
            await save_service_deposit(uow_factory, who.shop.id, made.id, given.deposit)
            return done(request, "/admin/setup/services", "added")
    return await _form_page(request, who, known, None, form, 422)


@router.get("/{service_id}")
async def service(request: Request, who: Setup, uow_factory: UowDep, service_id: RowId) -> Response:
    """A service's form, as it stands."""
    known = await catalog(uow_factory, who.shop.id)
    found = known.services.get(service_id)
    if found is None:
        return await missing(request, who)
    form = Form.showing(**_stored(found, who.shop.locale))
    return await _form_page(request, who, known, found, form)


@router.post("/{service_id}")
async def change(
    request: Request, who: Setup, uow_factory: DashboardUow, service_id: RowId
) -> Response:
    """Save the service; turnos already made keep their time and price."""
    known = await catalog(uow_factory, who.shop.id)
    found = known.services.get(service_id)
    if found is None:
        return await missing(request, who)
    form = Form(await request.form())
    given = read_service(form, who.shop, known)
    if form.ok:
        try:
            await change_service(
                uow_factory, who.shop, service_id, given.columns, given.professional_ids
            )
        except Conflict:
            form.fail("name", N_("Another service offered is already called that."))
        else:
            await save_service_deposit(uow_factory, who.shop.id, service_id, given.deposit)
            return done(request, "/admin/setup/services")
    return await _form_page(request, who, known, found, form, 422)


@router.post("/{service_id}/archive")
async def archive(
    request: Request, who: Setup, uow_factory: DashboardUow, service_id: RowId
) -> Response:
    """No longer offered; kept, with its turnos."""
    return await _offer(request, who, uow_factory, service_id, False)


@router.post("/{service_id}/restore")
async def restore(
    request: Request, who: Setup, uow_factory: DashboardUow, service_id: RowId
) -> Response:
    """Offered again (refused while another one offered has its name)."""
    return await _offer(request, who, uow_factory, service_id, True)


async def _offer(
    request: Request, who: Setup, uow_factory: UowDep, service_id: int, on: bool
) -> Response:
    try:
        await change_service(uow_factory, who.shop, service_id, {"active": on})
    except NotFound:
        return await missing(request, who)
    except Conflict:
        return done(request, "/admin/setup/services", "name_taken")
    return done(request, "/admin/setup/services", "restored" if on else "archived")


def read_service(form: Form, shop: Shop, known: Catalog) -> ServiceForm:
    """The service from the form, by the shared rules; problems noted on `form`."""
    given = ServiceForm()
    given.columns["name"] = _column(form, "name", N_("Write a name (up to 120 characters)."), shop)
    for name, limits in SERVICE_LIMITS.items():
        given.columns[name] = form.whole(name, limits)
    amount = form.check("price", PRICE, parse_amount, form.text("price"), shop.locale)
    if amount is not None:
        given.columns["price_cents"] = _column(form, "price", PRICE, shop, amount)
    words = [w for w in form.text("synonyms").split(",") if w.strip()]
    synonyms = N_("Up to 20 words or phrases of up to 60 letters, separated by commas.")
    given.columns["synonyms"] = _column(form, "synonyms", synonyms, shop, words)
    offered = {p.id for p in known.active_professionals}
    chosen = {int(v) for v in form.values("professionals") if v.isdigit()}
    given.professional_ids = chosen & offered
    given.deposit = read_deposit(form, shop) or Deposit()
    return given


def read_deposit(form: Form, shop: Shop) -> Deposit | None:
    """The seña from the form: none, a percent of the price, or a fixed amount."""
    try:
        kind = DepositKind(form.value("deposit_kind", "none"))
    except ValueError:
        kind = DepositKind.NONE
    value: int | None = None
    if kind is DepositKind.PERCENT:
        value = form.whole("deposit_percent", (1, 100))
    elif kind is DepositKind.FIXED:
        amount = form.check(
            "deposit_amount", PRICE, parse_amount, form.text("deposit_amount"), shop.locale
        )
        value = None if amount is None else _column(form, "deposit_amount", PRICE, shop, amount)
    if not form.ok:
        return None
    return form.check("deposit_kind", N_("Choose the seña."), checked_deposit, kind, value)


def _column(form: Form, name: str, msgid: str, shop: Shop, value: Any = None) -> Any:
    """A service field checked by the shared rule (`value`: the form's text by default)."""
    given = form.text(name) if value is None else value
    rule_name = "price" if name == "deposit_amount" else name
    found = form.check(name, msgid, service_column, rule_name, given, shop.currency)
    return None if found is None else found[1]


def _blank(known: Catalog) -> dict[str, Any]:
    """A new service: half an hour, one seat, offered by everybody."""
    return {
        "duration_minutes": "30",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "0",
        "seats": "1",
        "professionals": [str(p.id) for p in known.active_professionals],
        "deposit_kind": DepositKind.NONE.value,
    }


def _stored(service: Service, locale: str) -> dict[str, Any]:
    """The form as the service stands."""
    deposit = service.deposit
    return {
        "name": service.name,
        "duration_minutes": str(service.duration_minutes),
        "price": format_amount(service.price, locale),
        "buffer_before_minutes": str(service.buffer_before_minutes),
        "buffer_after_minutes": str(service.buffer_after_minutes),
        "seats": str(service.seats),
        "professionals": [str(p) for p in sorted(service.professional_ids)],
        "synonyms": ", ".join(service.synonyms),
        "deposit_kind": deposit.kind.value,
        "deposit_percent": str(deposit.value) if deposit.kind is DepositKind.PERCENT else "",
        "deposit_amount": (
            format_amount(Money(deposit.value, service.price.currency), locale)
            if deposit.kind is DepositKind.FIXED
            else ""
        ),
    }


async def _form_page(
    request: Request,
    who: Setup,
    known: Catalog,
    service: Service | None,
    form: Form,
    status: int = 200,
) -> Response:
    title = N_("New service") if service is None else N_("Service")
    return await setup_page(
        request,
        who,
        "setup/service.html",
        title,
        status,
        form=form,
        service=service,
        known=known,
        limits=SERVICE_LIMITS,
    )
