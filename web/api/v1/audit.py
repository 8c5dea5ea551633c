"""A shop's audit trail: who changed what and when, newest first, a page at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from domain.audit import AuditEntry
from domain.errors import InvalidRequest
from domain.storage.audit import audit_page
from web.api.v1.access import ShopAdmin
from web.api.v1.paging import DEFAULT_LIMIT, Cursor, Limit, decode_cursor, encode_cursor
from web.api.v1.responses import ERRORS
from web.deps import UowDep

router = APIRouter(tags=["audit"])
FromDay = Annotated[date | None, Query(alias="from", description="First day (UTC), YYYY-MM-DD")]
ToDay = Annotated[date | None, Query(description="Last day (UTC), YYYY-MM-DD, included")]


class AuditEntryOut(BaseModel):
    """One change or security event (no secrets; accounts masked to their last 4)."""

    id: int
    at: datetime
    actor: str = Field(description="Who: «user:3 ana@…», «key:7 caja», «cli», «staff:owner»")
    source: str = Field(description="dashboard, api, cli or chat")
    action: str = Field(description="What kind of change, e.g. service.changed, auth.login")
    subject: str = Field(description="What it changed, e.g. «service:12»")
    before: dict[str, Any] | None = Field(description="The changed fields before; null: new")
    after: dict[str, Any] | None = Field(description="The changed fields after; null: removed")
    address: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            id=entry.id,
            at=entry.at,
            actor=entry.actor,
            source=entry.source,
            action=entry.action,
            subject=entry.subject,
            before=entry.before,
            after=entry.after,
            address=entry.address,
        )


class AuditPageOut(BaseModel):
    """A page of the trail, newest first."""

    items: list[AuditEntryOut]
    next: str | None = Field(description="Pass as `cursor` for the next page; null: no more")


@router.get("/shops/{slug}/audit", responses=ERRORS)
async def list_audit(
    access: ShopAdmin,
    uow_factory: UowDep,
    from_: FromDay = None,
    to: ToDay = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AuditPageOut:
    """The shop's audit trail (admin and platform keys only), newest first; `cursor` (a
    page's `next`) goes on to older rows."""
    if from_ is not None and to is not None and to < from_:
        raise InvalidRequest("`to` comes before `from`", field="to")
    since = None if from_ is None else datetime.combine(from_, time(), UTC)
    until = None if to is None else datetime.combine(to + timedelta(days=1), time(), UTC)
    rows = await audit_page(
        uow_factory,
        access.shop.id,
        since=since,
        until=until,
        limit=limit + 1,
        after=after_cursor(cursor),
    )
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return AuditPageOut(
        items=[AuditEntryOut.of(e) for e in page],
        next=encode_cursor(last.at.isoformat(), last.id) if more and last else None,
    )


def after_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The (at, id) of the last row shown, from a cursor this API (or the page) gave."""
    if cursor is None:
        return None
    at, row_id = decode_cursor(cursor)
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise InvalidRequest("not a cursor this API gave", field="cursor") from None
    if when.tzinfo is None:
        raise InvalidRequest("not a cursor this API gave", field="cursor")
    return when, row_id
