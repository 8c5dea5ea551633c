"""A shop's logins as its owner manages them: who can get in, with what role; invitations
still waiting; turning a login off (and on again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update

from domain.accounts import Role
from domain.storage.accounts import revoke_sessions
from domain.storage.tables import UserRow, UserSessionRow, UserTokenRow
from domain.storage.uow import UnitOfWorkFactory

_ROLE_ORDER = case(
    {Role.OWNER.value: 0, Role.MANAGER.value: 1, Role.PROFESSIONAL.value: 2}, value=UserRow.role
)


@dataclass(frozen=True)
class Login:
    """A login of the shop, as its list shows it."""

    id: int
    email: str
    role: Role
    professional_id: int | None
    created_at: datetime
    disabled_at: datetime | None
    last_seen_at: datetime | None  # the latest use of any of its sessions


@dataclass(frozen=True)
class Invitation:
    """An invitation link not used yet, still valid."""

    id: int
    email: str
    role: Role
    professional_id: int | None
    expires_at: datetime


async def shop_logins(uow_factory: UnitOfWorkFactory, shop_id: int) -> list[Login]:
    """The shop's logins, turned off ones included: owners first, then by email."""
    last_seen = (
        select(func.max(UserSessionRow.last_seen_at))
        .where(UserSessionRow.user_id == UserRow.id)
        .scalar_subquery()
    )
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(UserRow, last_seen)
            .where(UserRow.shop_id == shop_id)
            .order_by(_ROLE_ORDER, UserRow.email)
        )
        return [_login(row, seen) for row, seen in rows]


async def shop_login(uow_factory: UnitOfWorkFactory, shop_id: int, user_id: int) -> Login | None:
    """One of the shop's logins (None for another shop's, or none)."""
    return next((u for u in await shop_logins(uow_factory, shop_id) if u.id == user_id), None)


async def turn_login(
    uow_factory: UnitOfWorkFactory, shop_id: int, user_id: int, on: bool, now: datetime
) -> bool:
    """Turn one of the shop's logins off (its sessions end at once) or on again; False when
    the shop has no such login."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(UserRow)
            .where(UserRow.id == user_id, UserRow.shop_id == shop_id)
            .values(disabled_at=None if on else now)
        )
        if not getattr(result, "rowcount", 0):
            return False
        action = "user.enabled" if on else "user.disabled"
        uow.audit(shop_id, action, f"user:{user_id}", {"active": not on}, {"active": on})
        if not on:
            await revoke_sessions(uow.session, user_id, now)
        await uow.commit()
    return True


async def email_in_use(uow_factory: UnitOfWorkFactory, email: str) -> bool:
    """Whether any login, of any shop and turned off or not, has this email."""
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalar(select(UserRow.id).where(UserRow.email == email))
    return found is not None


async def pending_invitations(
    uow_factory: UnitOfWorkFactory, shop_id: int, now: datetime
) -> list[Invitation]:
    """The shop's invitations not used yet and still valid, newest first."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.scalars(
            select(UserTokenRow)
            .where(
                UserTokenRow.shop_id == shop_id,
                UserTokenRow.kind == "invite",
                UserTokenRow.used_at.is_(None),
                UserTokenRow.expires_at > now,
            )
            .order_by(UserTokenRow.id.desc())
        )
        return [
            Invitation(r.id, r.email, Role(r.role), r.professional_id, r.expires_at) for r in rows
        ]


async def withdraw_invitation(
    uow_factory: UnitOfWorkFactory, shop_id: int, invitation_id: int, now: datetime
) -> bool:
    """The invitation's link stops working (marked used); False when there is no such one."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(UserTokenRow)
            .where(
                UserTokenRow.id == invitation_id,
                UserTokenRow.shop_id == shop_id,
                UserTokenRow.kind == "invite",
                UserTokenRow.used_at.is_(None),
            )
            .values(used_at=now)
        )
        if getattr(result, "rowcount", 0):
            subject = f"link:{invitation_id}"
            uow.audit(shop_id, "user.invite_withdrawn", subject, {"live": True}, {"live": False})
        await uow.commit()
    return bool(getattr(result, "rowcount", 0))


def _login(row: UserRow, last_seen: datetime | None) -> Login:
    return Login(
        row.id,
        row.email,
        Role(row.role),
        row.professional_id,
        row.created_at,
        row.disabled_at,
        last_seen,
    )
