"""Dashboard accounts: users, their browser sessions, one-time links and failed logins.

Secrets (session cookies, link tokens) are random and long, stored only as their SHA-256, as
API keys are; passwords are argon2id hashes made by bot/passwords.py.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import LAST_SEEN_RESOLUTION, THROTTLE_WINDOW, Role
from domain.errors import Conflict
from domain.storage.tables import LoginFailureRow, UserRow, UserSessionRow, UserTokenRow
from domain.storage.uow import UnitOfWorkFactory


class EmailTaken(Conflict):
    """Another login already has that email."""

    code = "email_taken"


@dataclass(frozen=True)
class User:
    """A dashboard login."""

    id: int
    shop_id: int | None
    email: str
    role: Role
    professional_id: int | None
    password_hash: str


@dataclass(frozen=True)
class Session:
    """A logged-in browser: who, which shop it looks at, its CSRF token and its times."""

    id: int
    user: User
    shop_id: int | None
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class OneTimeLink:
    """What an invitation or a reset link stands for."""

    kind: str
    email: str
    role: Role
    shop_id: int | None
    professional_id: int | None
    id: int | None = None  # the stored link's, once it is stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: UserRow) -> User:
    return User(
        row.id, row.shop_id, row.email, Role(row.role), row.professional_id, row.password_hash
    )


async def create_user(
    uow_factory: UnitOfWorkFactory,
    email: str,
    password_hash: str,
    role: Role,
    shop_id: int | None,
    now: datetime,
    professional_id: int | None = None,
) -> User:
    """A new login (email already clean); EmailTaken when another has that email."""
    row = UserRow(
        shop_id=shop_id,
        email=email,
        password_hash=password_hash,
        role=role.value,
        professional_id=professional_id,
        created_at=now,
    )
    async with uow_factory() as uow:
        uow.session.add(row)
        try:
            await uow.session.flush()
        except IntegrityError:
            raise EmailTaken(f"there is already a login for {email}") from None
        user = _user(row)  # read before leaving: the unit of work's exit expires the row
        after = {"email": email, "role": role.value, "professional_id": professional_id}
        uow.audit(shop_id, "user.created", f"user:{row.id}", None, after)
        await uow.commit()
    return user


async def user_by_email(uow_factory: UnitOfWorkFactory, email: str) -> User | None:
    """The live (not disabled) login with this email."""
    async with uow_factory.read_only() as uow:
        row = await uow.session.scalar(
            select(UserRow).where(UserRow.email == email, UserRow.disabled_at.is_(None))
        )
        return _user(row) if row else None


async def set_password(
    uow_factory: UnitOfWorkFactory, user_id: int, password_hash: str, now: datetime
) -> None:
    """A new password; every session of the user ends with the old one (audited, without
    the password, when someone acts)."""
    async with uow_factory() as uow:
        shop_id = await uow.session.scalar(select(UserRow.shop_id).where(UserRow.id == user_id))
        await uow.session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )
        await revoke_sessions(uow.session, user_id, now)
        uow.audit(shop_id, "user.password_set", f"user:{user_id}")
        await uow.commit()


async def open_session(
    uow_factory: UnitOfWorkFactory, user: User, now: datetime
) -> tuple[str, Session]:
    """A new session (a new id at every login) and its cookie secret, shown once."""
    secret = secrets.token_urlsafe(32)
    row = UserSessionRow(
        token_hash=_hash(secret),
        user_id=user.id,
        shop_id=user.shop_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    async with uow_factory() as uow:
        uow.session.add(row)
        await uow.session.flush()
        session = Session(row.id, user, row.shop_id, row.csrf_token, now, now)
        await uow.commit()
    return secret, session


async def session_by_secret(
    uow_factory: UnitOfWorkFactory, secret: str, now: datetime, touch: bool = True
) -> Session | None:
    """The live session of this cookie (expiry is the caller's rule), its last use noted at
    most once a minute so a busy page does not write on every request (and not at all when
    not `touch`: a page refreshing itself is not the user's activity)."""
    async with uow_factory.read_only() as uow:
        found = (
            await uow.session.execute(
                select(UserSessionRow, UserRow)
                .join(UserRow, UserRow.id == UserSessionRow.user_id)
                .where(
                    UserSessionRow.token_hash == _hash(secret),
                    UserSessionRow.revoked_at.is_(None),
                    UserRow.disabled_at.is_(None),
                )
            )
        ).first()
        if found is None:
            return None
        row, user = found
        session = Session(
            row.id, _user(user), row.shop_id, row.csrf_token, row.created_at, row.last_seen_at
        )
    if touch and now - session.last_seen_at >= LAST_SEEN_RESOLUTION:
        async with uow_factory() as uow:
            await uow.session.execute(
                update(UserSessionRow)
                .where(UserSessionRow.id == session.id)
                .values(last_seen_at=now)
            )
            await uow.commit()
    return session


async def end_session(uow_factory: UnitOfWorkFactory, session_id: int, now: datetime) -> None:
    """Log this browser out."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(UserSessionRow)
            .where(UserSessionRow.id == session_id, UserSessionRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await uow.commit()


async def end_all_sessions(uow_factory: UnitOfWorkFactory, user_id: int, now: datetime) -> None:
    """Log the user out everywhere."""
    async with uow_factory() as uow:
        await revoke_sessions(uow.session, user_id, now)
        await uow.commit()


async def revoke_sessions(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Inside a transaction: end every live session of the user."""
    await session.execute(
        update(UserSessionRow)
        .where(UserSessionRow.user_id == user_id, UserSessionRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def choose_shop(uow_factory: UnitOfWorkFactory, session_id: int, shop_id: int) -> None:
    """The shop an operator's session looks at (in that shop's audit trail: the platform's
    people looking at a shop's data is the shop's to know)."""
    async with uow_factory() as uow:
        await uow.session.execute(
            update(UserSessionRow).where(UserSessionRow.id == session_id).values(shop_id=shop_id)
        )
        uow.audit(shop_id, "auth.shop_entered", f"shop:{shop_id}")
        await uow.commit()


async def recent_failures(
    uow_factory: UnitOfWorkFactory, email: str, address: str, now: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Failed logins of the throttle's window: of this account, and from this address."""
    since = now - THROTTLE_WINDOW
    async with uow_factory.read_only() as uow:
        rows = (
            await uow.session.execute(
                select(LoginFailureRow.email, LoginFailureRow.address, LoginFailureRow.at).where(
                    LoginFailureRow.at > since,
                    (LoginFailureRow.email == email) | (LoginFailureRow.address == address),
                )
            )
        ).all()
    return [at for e, _, at in rows if e == email], [at for _, a, at in rows if a == address]


async def record_failure(
    uow_factory: UnitOfWorkFactory, email: str, address: str, now: datetime
) -> None:
    """A failed login; rows older than the window go at the same time."""
    async with uow_factory() as uow:
        await uow.session.execute(
            delete(LoginFailureRow).where(LoginFailureRow.at <= now - THROTTLE_WINDOW)
        )
        uow.session.add(LoginFailureRow(email=email[:254], address=address[:64], at=now))
        await uow.commit()


async def forget_failures(uow_factory: UnitOfWorkFactory, email: str) -> None:
    """A successful login clears the account's failures."""
    async with uow_factory() as uow:
        await uow.session.execute(delete(LoginFailureRow).where(LoginFailureRow.email == email))
        await uow.commit()


async def make_link(
    uow_factory: UnitOfWorkFactory, link: OneTimeLink, now: datetime, valid: timedelta
) -> str:
    """A one-time link's secret (stored hashed), valid for `valid`."""
    secret = secrets.token_urlsafe(32)
    async with uow_factory() as uow:
        row = UserTokenRow(
            token_hash=_hash(secret),
            kind=link.kind,
            shop_id=link.shop_id,
            email=link.email,
            role=link.role.value,
            professional_id=link.professional_id,
            created_at=now,
            expires_at=now + valid,
        )
        uow.session.add(row)
        await uow.session.flush()
        after = {"email": link.email, "role": link.role.value, "expires_at": now + valid}
        uow.audit(link.shop_id, f"user.{link.kind}", f"link:{row.id}", None, after)
        await uow.commit()
    return secret


async def peek_link(
    uow_factory: UnitOfWorkFactory, secret: str, now: datetime
) -> OneTimeLink | None:
    """What an unused, unexpired link stands for (without using it)."""
    async with uow_factory.read_only() as uow:
        row = await uow.session.scalar(_live_link(secret, now))
        return _link(row) if row else None


async def use_link(
    uow_factory: UnitOfWorkFactory, secret: str, now: datetime
) -> OneTimeLink | None:
    """Mark the link used and say what it stood for; None when used, expired or unknown."""
    async with uow_factory() as uow:
        row = await uow.session.scalar(_live_link(secret, now))
        if row is None:
            return None
        row.used_at = now
        link = _link(row)
        await uow.commit()
    return link


def _live_link(secret: str, now: datetime) -> Select[UserTokenRow]:
    return select(UserTokenRow).where(
        UserTokenRow.token_hash == _hash(secret),
        UserTokenRow.used_at.is_(None),
        UserTokenRow.expires_at > now,
    )


def _link(row: UserTokenRow) -> OneTimeLink:
    return OneTimeLink(
        row.kind, row.email, Role(row.role), row.shop_id, row.professional_id, row.id
    )
