"""The shop's activity: who changed what and when (the audit trail), for the owner, newest
first, 50 at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from domain.accounts import Area
from domain.audit import AuditEntry
from domain.errors import InvalidRequest
from domain.storage.audit import audit_page
from web.api.v1.audit import after_cursor
from web.api.v1.paging import encode_cursor
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Viewer
from web.deps import UowDep

router = APIRouter(prefix="/admin/audit", include_in_schema=False)
AuditViewer = Annotated[Viewer, Depends(Allowed(Area.AUDIT))]
PAGE = 50
# Each action's words on the page (msgids; the template translates them).
ACTIONS = {
    "auth.login": N_("Logged in"),
    "auth.login_failed": N_("Wrong password"),
    "auth.logout": N_("Logged out"),
    "auth.logout_everywhere": N_("Logged out everywhere"),
    "auth.password_failed": N_("Wrong password when changing where the money goes"),
    "auth.shop_entered": N_("A platform operator opened the shop"),
    "key.created": N_("API key created"),
    "key.revoked": N_("API key revoked"),
    "user.created": N_("Login created"),
    "user.invite": N_("Invitation sent"),
    "user.reset": N_("Password reset link made"),
    "user.invite_withdrawn": N_("Invitation withdrawn"),
    "user.disabled": N_("Login turned off"),
    "user.enabled": N_("Login turned on"),
    "user.password_set": N_("Password changed"),
    "payments.settings": N_("Payment settings changed"),
    "service.deposit": N_("Seña changed"),
    "service.created": N_("Service added"),
    "service.changed": N_("Service changed"),
    "professional.created": N_("Professional added"),
    "professional.changed": N_("Professional changed"),
    "hours.replaced": N_("Weekly hours changed"),
    "time_off.added": N_("Time off added"),
    "time_off.removed": N_("Time off removed"),
    "day.set": N_("Day opened or closed"),
    "day.cleared": N_("Day back to the calendar"),
    "shop.profile": N_("Shop details changed"),
    "shop.comeback": N_("Comeback nudges turned on or off"),
    "transfer.confirmed": N_("Transfer confirmed by hand"),
    "transfer.rejected": N_("Transfer marked as not arrived"),
    "booking.booked": N_("Turno booked"),
    "booking.held": N_("Turno held for payment"),
    "booking.cancelled": N_("Turno cancelled"),
    "booking.moved": N_("Turno moved"),
    "booking.confirmed": N_("Turno confirmed"),
    "booking.released": N_("Held turno let go"),
    "booking.completed": N_("Turno marked as done"),
    "booking.no_show": N_("Turno marked as a no-show"),
    "message.read": N_("Message read"),
    "message.replied": N_("Message answered"),
    "link_code.created": N_("Staff link code made"),
    "staff.linked": N_("Staff chat linked"),
    "staff.unlinked": N_("Staff chat unlinked"),
    "customer.erased": N_("Customer's data erased"),
    "customer.exported": N_("Customer's data exported"),
    "customer.notes": N_("Notes on a customer changed"),
    "shop.created": N_("Shop created"),
    "payment.cash": N_("Cash noted"),
    "payment.refunded": N_("Payment refunded"),
}
# The fields most changes touch, in words (msgids); any other shows its stored name.
FIELDS = {
    "name": N_("Name"),
    "nickname": N_("Nickname"),
    "active": N_("Offered"),
    "duration_minutes": N_("Minutes"),
    "price_cents": N_("Price"),
    "transfer_account": N_("CBU/CVU"),
    "transfer_alias": N_("Alias"),
    "cuit": N_("CUIT"),
    "hours": N_("Hours"),
    "is_open": N_("Open that day"),
    "note": N_("Note"),
    "email": N_("Email"),
    "role": N_("Role"),
    "scope": N_("Scope"),
    "status": N_("Status"),
    "comeback_nudges": N_("Comeback nudges"),
}
SOURCES = {
    "dashboard": N_("from the dashboard"),
    "api": N_("through the API"),
    "cli": N_("from the command line"),
    "chat": N_("from a staff chat"),
    "system": N_("automatically, by BarberPro"),
}


@router.get("")
async def activity(
    request: Request,
    who: AuditViewer,
    uow_factory: UowDep,
    older: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    """The latest changes and logins of the shop; `older` (the link's cursor) goes back."""
    try:
        after = after_cursor(older)
    except InvalidRequest:
        after = None  # a cursor we did not make: the newest page
    rows = await audit_page(uow_factory, who.shop.id, limit=PAGE + 1, after=after)
    shown, more = rows[:PAGE], len(rows) > PAGE
    last = shown[-1] if shown else None
    return await page(
        request,
        who,
        "audit.html",
        active=Area.AUDIT,
        title=N_("Activity"),
        entries=[_line(e) for e in shown],
        older=encode_cursor(last.at.isoformat(), last.id) if more and last else None,
    )


def _line(entry: AuditEntry) -> dict[str, Any]:
    """What one row shows: when, what, by whom from where, and each field's before → after."""
    fields = sorted({*(entry.before or {}), *(entry.after or {})})
    return {
        "entry": entry,
        "action": ACTIONS.get(entry.action, entry.action),
        "source": SOURCES.get(entry.source, entry.source),
        "who": entry.actor.partition(" ")[2] or entry.actor,
        "changes": [
            (
                FIELDS.get(name, name),
                _shown((entry.before or {}).get(name)),
                _shown((entry.after or {}).get(name)),
                name.endswith("_cents"),
            )
            for name in fields
        ],
    }


def _shown(value: object) -> object:
    """A value as the page shows it (centavos stay numbers: the template formats them)."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)
