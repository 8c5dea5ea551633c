"""The `barberpro` command line."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import typer
import uvicorn
from pydantic import ValidationError

from bot.clock import OffsetClock, SystemClock
from bot.log_setup import LogFormat, configure_logging, log_config
from bot.settings import Settings, get_settings
from bot.users_cli import user_app
from domain.access import Scope
from domain.model import DEFAULT_TIMEZONE, Shop, Vertical
from domain.ports import Clock
from domain.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from domain.shops import NewShop
    from domain.storage.apikeys import IssuedKey

app = typer.Typer(
    help="BarberPro: chat-first booking for Argentine barbershops.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a crash's locals hold phones and passwords
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo shop.", no_args_is_help=True)
apikey_app = typer.Typer(help="REST API keys.", no_args_is_help=True)
telegram_app = typer.Typer(help="The Telegram bot.", no_args_is_help=True)
whatsapp_app = typer.Typer(help="WhatsApp through Twilio.", no_args_is_help=True)
staff_app = typer.Typer(help="Professionals and owners on chat.", no_args_is_help=True)
shop_app = typer.Typer(help="A shop's settings.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(apikey_app, name="apikey")
app.add_typer(telegram_app, name="telegram")
app.add_typer(whatsapp_app, name="whatsapp")
app.add_typer(shop_app, name="shop")
app.add_typer(staff_app, name="staff")
app.add_typer(user_app, name="user")
customer_app = typer.Typer(
    help="Customers' rights (Ley 25.326): what a shop holds on one, erasing it.",
    no_args_is_help=True,
)
app.add_typer(customer_app, name="customer")

DEMO_KEY_NAME = "demo"
_T = TypeVar("_T")


class ShopScope(StrEnum):
    """The scopes a shop's key can have (the CLI's choices)."""

    READ = "read"
    BOOK = "book"
    ADMIN = "admin"


START_AT_FORMAT = "%Y-%m-%d %H:%M"


@app.callback()
def _set_up_logging() -> None:
    """Every command logs the way `serve` does: BARBERPRO_LOG_FORMAT, personal data masked."""
    try:
        log_format = get_settings().log_format
    except ValidationError:
        log_format = "text"  # the command reports the bad setting when it reads the settings
    configure_logging(log_format)


def _buenos_aires_time(value: str) -> datetime:
    """'2026-12-01 10:00' as that local time in the demo shop's zone (Buenos Aires)."""
    try:
        local = datetime.strptime(value.strip(), START_AT_FORMAT)  # noqa: DTZ007 zone set below
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date and time like '2026-12-01 10:00' (YYYY-MM-DD HH:MM)"
        ) from None
    return local.replace(tzinfo=ZoneInfo(DEFAULT_TIMEZONE))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Migrate, seed the demo shop, sandbox on.")] = False,
    telegram_polling: Annotated[
        bool, typer.Option(help="Development: fetch Telegram updates instead of the webhook.")
    ] = False,
    start_at: Annotated[
        datetime | None,
        typer.Option(
            parser=_buenos_aires_time,
            metavar="'YYYY-MM-DD HH:MM'",
            help="With --demo: pretend it is this Buenos Aires time at start-up, then run on.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Processes serving the whole app side by side (PostgreSQL only)."),
    ] = 1,
) -> None:
    """Run the web app (REST API, webhooks, sandbox, channels)."""
    if start_at is not None and not demo:
        raise typer.BadParameter(
            "only works with --demo (it sets the demo shop's clock)", param_hint="'--start-at'"
        )
    settings = get_settings()
    if workers > 1:
        _check_workers(settings, start_at, telegram_polling)
    clock: Clock = SystemClock() if start_at is None else OffsetClock(start_at)
    if telegram_polling:
        settings = settings.model_copy(update={"telegram_polling": True})
    if demo:
        settings = settings.model_copy(update={"sandbox": True})
        # Migrations and the seed run here, once, before any worker starts.
        access = asyncio.run(_prepare_demo(settings, clock))
        _print_demo_banner(settings, host, port, access, start_at)
    if workers > 1:
        if demo:
            os.environ["BARBERPRO_SANDBOX"] = "1"  # the workers read their settings anew
        # Each worker builds the whole app (webhooks, sandbox, API, dashboard, job loop,
        # outbox) from the environment; the database keeps them from doing anything twice.
        uvicorn.run(
            "web.app:create_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            log_config=_worker_log_config(settings.log_format),
            server_header=False,  # no "server: uvicorn" banner
        )
        return
    from web.app import create_app

    uvicorn.run(
        create_app(settings, clock=clock),
        host=host,
        port=port,
        log_level="info",
        log_config=_worker_log_config(settings.log_format),
        server_header=False,  # no "server: uvicorn" banner
    )


def _check_workers(settings: Settings, start_at: datetime | None, polling: bool) -> None:
    """Exit with one line when several workers cannot serve this configuration."""
    from domain.storage.engine import is_sqlite

    problem = None
    if is_sqlite(settings.database_url):
        problem = (
            "--workers needs PostgreSQL (BARBERPRO_DATABASE_URL=postgresql+asyncpg://...): "
            "SQLite is served by one process"
        )
    elif start_at is not None:
        problem = "--start-at sets one process's clock: run the demo with one worker"
    elif polling:
        problem = "--telegram-polling takes Telegram's updates from one process: use one worker"
    if problem is not None:
        typer.echo(f"barberpro serve: {problem}", err=True)
        raise typer.Exit(2)


def _worker_log_config(log_format: LogFormat) -> dict[str, Any]:
    """uvicorn's logging, plus ours as `serve` sets it up (each worker applies it at start)."""
    return log_config(log_format)


@app.command()
def chat(
    chat_id: Annotated[
        str | None, typer.Option(help="Which chat to continue (default: terminal[-SHOP]).")
    ] = None,
    shop: Annotated[
        str | None, typer.Option(help="The shop to talk to (default: the only or demo shop).")
    ] = None,
) -> None:
    """Talk to the bot in the terminal (the sandbox channel), choices numbered."""
    chat_id = chat_id or ("terminal" if shop is None else f"terminal-{shop}")
    asyncio.run(_chat(get_settings(), chat_id, shop))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations up to the newest."""
    from domain.storage.migrate import upgrade

    asyncio.run(upgrade(get_settings().database_url))
    typer.echo("Database is up to date.")


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="The file to write (replaced if it exists).")],
) -> None:
    """Save a consistent copy of the database to PATH, even while the server runs."""
    from domain.storage.backup import BackupError, backup, describe

    url = get_settings().database_url
    try:
        revision = asyncio.run(backup(url, path))
    except BackupError as error:
        typer.echo(f"barberpro db backup: {error}", err=True)
        raise typer.Exit(1) from None
    size = path.stat().st_size / 1_000_000
    typer.echo(f"Backed up {describe(url)} (schema {revision}) to {path} ({size:.1f} MB).")


@db_app.command("restore")
def db_restore(
    path: Annotated[Path, typer.Argument(help="A file made by `barberpro db backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Restore even while another process uses the database.")
    ] = False,
) -> None:
    """Replace the database with the backup at PATH."""
    from domain.storage.backup import BackupError, describe, restore

    url = get_settings().database_url
    try:
        restored = asyncio.run(restore(url, path, in_use_ok=yes))
    except BackupError as error:
        typer.echo(f"barberpro db restore: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Restored {path} into {describe(url)}.")
    if restored.at_head:
        typer.echo(f"Schema at the newest revision ({restored.revision}): ready to serve.")
    else:
        typer.echo(
            f"Schema at revision {restored.revision}; this version of BarberPro runs on "
            f"{restored.head}: run `barberpro db upgrade` before `barberpro serve`."
        )
    if yes:
        typer.echo("A server that was running on it: restart it, so it reads the restored data.")


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo shop (does nothing if it is already there)."""
    created = asyncio.run(_seed(get_settings()))
    typer.echo("Demo shop created." if created else "Demo shop already there.")


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Argument(help="Who the key is for, e.g. 'agenda web'.")],
    shop: Annotated[str | None, typer.Option(help="The shop (slug) the key acts on.")] = None,
    scope: Annotated[
        ShopScope, typer.Option(help="read: look; book: also book, cancel, move; admin: all.")
    ] = ShopScope.READ,
    expires: Annotated[
        int | None, typer.Option(min=1, max=3650, help="Days until the key stops working.")
    ] = None,
    platform: Annotated[
        bool, typer.Option(help="The operator's key: creates shops, acts on every shop.")
    ] = False,
) -> None:
    """Print a new REST API key (stored hashed: copy it now, it is not shown again)."""
    if platform == (shop is not None):
        raise typer.BadParameter("give either --shop SLUG or --platform")
    issued = asyncio.run(
        _create_key(get_settings(), name, shop, Scope(scope.value), expires_days=expires)
    )
    typer.echo(issued.secret)


@apikey_app.command("list")
def apikey_list(
    shop: Annotated[str | None, typer.Option(help="Only this shop's keys (slug).")] = None,
) -> None:
    """The keys (never the secrets): prefix, name, shop, scope, created, last used, expiry."""
    rows = asyncio.run(_list_keys(get_settings(), shop))
    if not rows:
        typer.echo("No keys.")
        return
    header = ("PREFIX", "NAME", "SHOP", "SCOPE", "CREATED", "LAST USED", "EXPIRES", "STATE")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        typer.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@apikey_app.command("revoke")
def apikey_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (bp_ and 7 more), or the key.")],
) -> None:
    """Revoke a key at once: requests with it get 401 from now on."""
    from domain.audit import Acting, Actor
    from domain.errors import DomainError
    from domain.storage.apikeys import revoke_api_key

    async def revoke(uow_factory: UnitOfWorkFactory) -> str:
        now = SystemClock().now()
        acting = Acting(Actor.cli(), now)  # audited
        key = await revoke_api_key(uow_factory.engine, prefix, now, acting=acting)
        return f"Revoked {key.prefix}… ({key.name})."

    try:
        typer.echo(asyncio.run(_with_database(get_settings(), revoke)))
    except DomainError as error:
        raise typer.BadParameter(str(error)) from None


@telegram_app.command("set-webhook")
def telegram_set_webhook() -> None:
    """Tell Telegram to post updates to BARBERPRO_PUBLIC_URL/webhooks/telegram, with the secret."""
    settings = get_settings()
    if not settings.telegram_token:
        raise typer.BadParameter("set BARBERPRO_TELEGRAM_TOKEN first")
    secret = settings.telegram_webhook_secret or ""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise typer.BadParameter(
            "set BARBERPRO_TELEGRAM_WEBHOOK_SECRET to 1-256 characters of A-Z a-z 0-9 _ - "
            "(Telegram allows no others)"
        )
    from telegram.error import TelegramError

    from bot.channels.telegram import TelegramChannel

    try:
        url = asyncio.run(TelegramChannel(settings).set_webhook())
    except TelegramError as error:
        typer.echo(f"Telegram refused the webhook: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Telegram will post updates to {url}")


@staff_app.command("link-code")
def staff_link_code(
    shop: Annotated[str, typer.Argument(help="The shop's slug, e.g. don-julio.")],
    professional: Annotated[
        str | None,
        typer.Option(help="The professional's name, nickname or id; leave out for the owner."),
    ] = None,
) -> None:
    """Print a one-time code that links a professional's (or the owner's) chat."""
    code = asyncio.run(_link_code(get_settings(), shop, professional))
    typer.echo(f"Code: {code}")
    typer.echo(f'Send "vincular {code}" to the bot on Telegram or WhatsApp (valid 24 hours).')


@whatsapp_app.command("template")
def whatsapp_template(
    shop: Annotated[str, typer.Argument(help="The shop's slug.")],
    key: Annotated[
        str,
        typer.Argument(
            help="outside_window, quick_reply_1..3 or list_picker_4..10 (how many choices)."
        ),
    ],
    content_sid: Annotated[
        str | None, typer.Argument(help="The Twilio Content SID (HX…); leave out to remove.")
    ] = None,
) -> None:
    """Use one of the shop's Twilio Content templates (approved ones for outside 24 hours)."""
    from bot.channels.whatsapp_format import template_key

    valid = {"outside_window"} | {k for n in range(1, 11) if (k := template_key(n))}
    if key not in valid:
        raise typer.BadParameter(f"key must be one of: {', '.join(sorted(valid))}")
    from domain.storage.channels import set_whatsapp_template

    asyncio.run(
        _on_shop(
            get_settings(),
            shop,
            lambda uow_factory, shop_id: set_whatsapp_template(
                uow_factory, shop_id, key, content_sid
            ),
        )
    )
    typer.echo(f"{shop}: {key} = {content_sid}" if content_sid else f"{shop}: {key} removed")


@whatsapp_app.command("number")
def whatsapp_number(
    shop: Annotated[str, typer.Argument(help="The shop's slug.")],
    number: Annotated[str, typer.Argument(help="The WhatsApp number customers write to.")],
) -> None:
    """Say which WhatsApp number reaches this shop (for deployments with several shops)."""
    from domain.phone import normalize_phone

    e164 = normalize_phone(number)
    from domain.storage.channels import set_shop_whatsapp_number

    asyncio.run(
        _on_shop(
            get_settings(),
            shop,
            lambda uow_factory, shop_id: set_shop_whatsapp_number(uow_factory, shop_id, e164),
        )
    )
    typer.echo(f"{shop} is reached on WhatsApp at {e164}")


@shop_app.command("create")
def shop_create(
    slug: Annotated[str, typer.Argument(help="Its address in links and the API: don-julio.")],
    name: Annotated[str, typer.Option(help="The name customers read.")],
    timezone: Annotated[str, typer.Option(help="IANA zone.")] = DEFAULT_TIMEZONE,
    vertical: Annotated[
        Vertical, typer.Option(help="The kind of business: its default policies.")
    ] = Vertical.BARBERIA,
) -> None:
    """Create an empty shop and print its first admin API key (shown once)."""
    from domain.errors import DomainError
    from domain.shops import NewShop

    try:
        new = NewShop(slug, name, timezone, vertical)
        shop, issued = asyncio.run(_create_shop(get_settings(), new))
    except DomainError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(f"Shop {shop.slug} created: {shop.name} ({shop.vertical}, {shop.timezone}).")
    typer.echo(f"Admin API key (shown once, copy it now): {issued.secret}")
    typer.echo(
        "Next: add services, professionals and their hours through the API "
        "(README: Setting up a shop)."
    )


@shop_app.command("comeback")
def shop_comeback(
    shop: Annotated[str, typer.Argument(help="The shop's slug.")],
    on: Annotated[bool, typer.Option("--on/--off", help="Offer regulars their next turno.")],
) -> None:
    """Turn comeback nudges on or off: regulars who said yes are offered times when due."""
    from domain.storage.comeback import set_shop_nudges

    asyncio.run(
        _on_shop(
            get_settings(),
            shop,
            lambda uow_factory, shop_id: set_shop_nudges(uow_factory, shop_id, on),
        )
    )
    state = "on: regulars who say yes get times when due" if on else "off"
    typer.echo(f"{shop}: comeback nudges {state}")


async def _on_shop(
    settings: Settings, slug: str, change: Callable[[UnitOfWorkFactory, int], Awaitable[None]]
) -> None:
    """Run `change` on the shop called `slug` (an unknown slug is a usage error)."""

    async def run(uow_factory: UnitOfWorkFactory) -> None:
        await change(uow_factory, await _shop_id(uow_factory, slug))

    await _with_database(settings, run)


async def _shop_id(uow_factory: UnitOfWorkFactory, slug: str) -> int:
    from domain.storage.channels import shop_id_by_slug

    shop_id = await shop_id_by_slug(uow_factory, slug)
    if shop_id is None:
        raise typer.BadParameter(f"no shop called {slug!r}")
    return shop_id


async def _link_code(settings: Settings, slug: str, professional: str | None) -> str:
    from domain.storage.channels import create_link_code

    async def make(uow_factory: UnitOfWorkFactory) -> str:
        shop_id = await _shop_id(uow_factory, slug)
        professional_id = None
        if professional is not None:
            professional_id = await _professional_id(uow_factory, shop_id, professional)
        return await create_link_code(uow_factory, shop_id, professional_id, SystemClock().now())

    return await _with_database(settings, make)


async def _professional_id(uow_factory: UnitOfWorkFactory, shop_id: int, wanted: str) -> int:
    """The shop's one professional called `wanted` (name, nickname or id); a usage error else."""
    async with uow_factory.read_only() as uow:
        people = await uow.catalog.professionals(shop_id)
    key = wanted.strip().lower()
    found = [p for p in people if key in (str(p.id), p.name.lower(), (p.nickname or "").lower())]
    if len(found) != 1:
        names = ", ".join(f"{p.id}: {p.name}" for p in people)
        raise typer.BadParameter(f"no single professional {wanted!r} ({names})")
    return found[0].id


async def _seed(settings: Settings, clock: Clock | None = None) -> bool:
    from bot.demo import seed_demo
    from domain.storage.engine import make_engine
    from domain.storage.migrate import upgrade
    from domain.storage.uow import UnitOfWorkFactory

    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        return await seed_demo(UnitOfWorkFactory(engine), clock or SystemClock(), today=True)
    finally:
        await engine.dispose()


async def _chat(settings: Settings, chat_id: str, slug: str | None) -> None:
    from bot.dispatcher import Dispatcher
    from bot.terminal_chat import run

    await _seed(settings)

    async def talk(uow_factory: UnitOfWorkFactory) -> None:
        shop_id = None if slug is None else await _shop_id(uow_factory, slug)
        await run(Dispatcher(uow_factory, SystemClock()), chat_id, shop_id=shop_id)

    await _with_database(settings, talk)


async def _with_database(
    settings: Settings, work: Callable[[UnitOfWorkFactory], Awaitable[_T]]
) -> _T:
    """Run `work` on the configured database, the engine closed after."""
    from domain.storage.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        return await work(UnitOfWorkFactory(engine))
    finally:
        await engine.dispose()


async def _create_key(
    settings: Settings,
    name: str,
    slug: str | None,
    scope: Scope,
    *,
    expires_days: int | None = None,
    replace: bool = False,
) -> IssuedKey:
    """A new key of the shop `slug` (or, None, a platform key); `replace` revokes the shop's
    other keys of that name first."""
    from domain.audit import Acting, Actor
    from domain.storage.apikeys import create_api_key, revoke_api_keys

    async def create(uow_factory: UnitOfWorkFactory) -> IssuedKey:
        now = SystemClock().now()
        shop_id = None if slug is None else await _shop_id(uow_factory, slug)
        if replace and shop_id is not None:
            await revoke_api_keys(uow_factory.engine, name, shop_id, now)
        expires_at = None if expires_days is None else now + timedelta(days=expires_days)
        return await create_api_key(
            uow_factory.engine,
            name,
            now,
            shop_id=shop_id,
            scope=scope if shop_id is not None else Scope.PLATFORM,
            expires_at=expires_at,
            acting=Acting(Actor.cli(), now),  # audited
        )

    return await _with_database(settings, create)


async def _list_keys(settings: Settings, slug: str | None) -> list[tuple[str, ...]]:
    """One row of text per key, for `apikey list`."""
    from domain.storage.apikeys import list_api_keys

    async def rows(uow_factory: UnitOfWorkFactory) -> list[tuple[str, ...]]:
        shop_id = None if slug is None else await _shop_id(uow_factory, slug)
        async with uow_factory.read_only() as uow:
            slugs = {s.id: s.slug for s in await uow.catalog.list_shops()}
        now = SystemClock().now()
        return [
            (
                key.prefix + "…",
                key.name,
                "(platform)" if key.shop_id is None else slugs.get(key.shop_id, "?"),
                key.scope.value,
                _when(key.created_at),
                _when(key.last_used_at),
                _when(key.expires_at),
                "live" if key.live(now) else "revoked" if key.revoked_at else "expired",
            )
            for key in await list_api_keys(uow_factory.engine, shop_id)
        ]

    return await _with_database(settings, rows)


def _when(moment: datetime | None) -> str:
    """A UTC moment for a listing, to the minute; "-" for never."""
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


async def _create_shop(settings: Settings, new: NewShop) -> tuple[Shop, IssuedKey]:
    """Migrate, create the shop and its first admin key."""
    from domain.storage.migrate import upgrade
    from domain.storage.shops import create_shop

    await upgrade(settings.database_url)

    async def create(uow_factory: UnitOfWorkFactory) -> Shop:
        return await create_shop(uow_factory, new, SystemClock().now())

    shop = await _with_database(settings, create)
    issued = await _create_key(settings, "admin", shop.slug, Scope.ADMIN)
    return shop, issued


@dataclass(frozen=True)
class DemoAccess:
    """What the demo banner prints: the demo shop's API key and its owner's login."""

    key: str
    email: str
    password: str


async def _prepare_demo(settings: Settings, clock: Clock) -> DemoAccess:
    """Seed the demo shop, replace its demo key (admin of that shop only) and give its owner's
    dashboard login a new password."""
    from bot.demo import DEMO_SLUG
    from bot.users_cli import demo_login

    await _seed(settings, clock)
    issued = await _create_key(settings, DEMO_KEY_NAME, DEMO_SLUG, Scope.ADMIN, replace=True)
    assert issued.key.shop_id is not None  # a key of the demo shop
    email, password = await demo_login(settings, issued.key.shop_id)
    return DemoAccess(issued.secret, email, password)


def _print_demo_banner(
    settings: Settings, host: str, port: int, access: DemoAccess, start: datetime | None = None
) -> None:
    base = f"http://{host}:{port}"
    telegram = _channel_state(settings.telegram_enabled, "BARBERPRO_TELEGRAM_TOKEN")
    whatsapp = _channel_state(settings.whatsapp_enabled, "BARBERPRO_TWILIO_*")
    clock = "" if start is None else f"  Clock:         {_pretend(start)}\n"
    typer.echo(
        "\n"
        "  BarberPro demo: Barbería Don Julio (Palermo), 3 barberos, 5 servicios\n"
        f"  Chat with it:  {base}/sandbox   (or, in another terminal: barberpro chat)\n"
        f"  Dashboard:     {base}/admin   email {access.email}  password {access.password}\n"
        f"  Database:      {settings.database_url}\n"
        f"  API docs:      {base}/docs\n"
        f"  Health:        {base}/readyz\n"
        f"  Demo API key:  {access.key}  (admin of this shop only)\n"
        f"  Telegram:      {telegram}\n"
        f"  WhatsApp:      {whatsapp}\n"
        f"{clock}"
        "  Try it:\n"
        f"    curl -H 'Authorization: Bearer {access.key}' {base}/api/v1/shops/don-julio/services\n"
    )


def _pretend(start: datetime) -> str:
    from domain.formatting import format_day

    when = f"{format_day(start.date())} de {start:%Y}, {start:%H:%M}"  # start is local
    return f"pretending it is {when} in Buenos Aires (runs on from there)"


def _channel_state(enabled: bool, variable: str) -> str:
    if enabled:
        return "on (a barber links their chat: barberpro staff link-code don-julio)"
    return f"off (set {variable}; README: Telegram and WhatsApp)"


def main() -> None:
    """Entry point of the `barberpro` script."""
    app()


WhoArgument = Annotated[str, typer.Argument(help="The shop's customer number, or their phone.")]
ShopOption = Annotated[str, typer.Option("--shop", help="The shop's slug.")]


@customer_app.command("export")
def customer_export(shop: ShopOption, who: WhoArgument) -> None:
    """Print, as JSON, everything the shop holds on the customer (for the person who asked)."""
    import json

    from domain.audit import Acting, Actor
    from domain.storage.customer_export import export as export_customer

    async def export(uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
        shop_id = await _shop_id(uow_factory, shop)
        number = await _customer_number(uow_factory, shop_id, who)
        acting = Acting(Actor.cli(), SystemClock().now())  # audited
        return await export_customer(uow_factory.acting(acting), shop_id, number)

    data = asyncio.run(_with_database(get_settings(), export))
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@customer_app.command("erase")
def customer_erase(
    shop: ShopOption,
    who: WhoArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
) -> None:
    """Erase the customer at the shop: turnos ahead cancelled, chats, messages, notes and
    waitlists deleted; turnos and payments kept, anonymised, for the shop's accounts."""
    from bot.customer_rights import erase_customer
    from domain.audit import Acting, Actor
    from domain.errors import DomainError
    from domain.storage import customer_rights

    async def find(uow_factory: UnitOfWorkFactory) -> customer_rights.Person:
        shop_id = await _shop_id(uow_factory, shop)
        number = await _customer_number(uow_factory, shop_id, who)
        return await customer_rights.person(uow_factory, shop_id, number)

    settings = get_settings()
    found = asyncio.run(_with_database(settings, find))
    if not yes:
        typer.confirm(
            f"Erase customer #{found.shop_customer_id} ({found.name or 'no name'}) at {shop}?",
            abort=True,
        )

    async def erase(uow_factory: UnitOfWorkFactory) -> customer_rights.Erased:
        shop_id = await _shop_id(uow_factory, shop)
        clock = SystemClock()
        acting = uow_factory.acting(Acting(Actor.cli(), clock.now()))
        return await erase_customer(acting, clock, shop_id, found.shop_customer_id)

    try:
        erased = asyncio.run(_with_database(settings, erase))
    except DomainError as error:
        typer.echo(f"Not erased: {error}", err=True)
        raise typer.Exit(1) from None
    name = customer_rights.ERASED_NAME.format(id=erased.shop_customer_id)
    typer.echo(
        f"Erased: customer #{erased.shop_customer_id} is now «{name}»; "
        f"{erased.cancelled} turnos ahead cancelled, {erased.chats} chats and "
        f"{erased.messages} messages for the shop deleted."
    )


async def _customer_number(uow_factory: UnitOfWorkFactory, shop_id: int, who: str) -> int:
    """The shop's customer number from a number or a phone; a usage error when unknown."""
    from domain.errors import DomainError
    from domain.storage.customer_rights import find_customer

    try:
        return await find_customer(uow_factory, shop_id, who)
    except DomainError as error:
        raise typer.BadParameter(str(error)) from None


if __name__ == "__main__":  # last: every command above is registered by then
    main()
