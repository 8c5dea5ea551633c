"""The `barberpro` command line."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
import uvicorn

from bot.clock import SystemClock
from bot.settings import Settings, get_settings

app = typer.Typer(
    help="BarberPro: chat-first booking for Argentine barbershops.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo shop.", no_args_is_help=True)
apikey_app = typer.Typer(help="REST API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(apikey_app, name="apikey")

DEMO_KEY_NAME = "demo"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Migrate, seed the demo shop, sandbox on.")] = False,
) -> None:
    """Run the web app (REST API, webhooks, sandbox)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin chatter hides the banner
    settings = get_settings()
    if demo:
        settings = settings.model_copy(update={"sandbox": True})
        key = asyncio.run(_prepare_demo(settings))
        _print_demo_banner(settings, host, port, key)
    from web.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def chat(
    chat_id: Annotated[str, typer.Option(help="Which chat to continue.")] = "terminal",
) -> None:
    """Talk to the bot in the terminal (the sandbox channel), choices numbered."""
    asyncio.run(_chat(get_settings(), chat_id))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations up to the newest."""
    from domain.storage.migrate import upgrade

    asyncio.run(upgrade(get_settings().database_url))
    typer.echo("Database is up to date.")


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo shop (does nothing if it is already there)."""
    created = asyncio.run(_seed(get_settings()))
    typer.echo("Demo shop created." if created else "Demo shop already there.")


@apikey_app.command("create")
def apikey_create(name: Annotated[str, typer.Argument(help="Who the key is for.")]) -> None:
    """Print a new REST API key (stored hashed: copy it now, it is not shown again)."""
    typer.echo(asyncio.run(_create_key(get_settings(), name)))


async def _seed(settings: Settings) -> bool:
    from bot.demo import seed_demo
    from domain.storage.engine import make_engine
    from domain.storage.migrate import upgrade
    from domain.storage.uow import UnitOfWorkFactory

    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        return await seed_demo(UnitOfWorkFactory(engine), SystemClock())
    finally:
        await engine.dispose()


async def _chat(settings: Settings, chat_id: str) -> None:
    from bot.dispatcher import Dispatcher
    from bot.terminal_chat import run
    from domain.storage.engine import make_engine
    from domain.storage.uow import UnitOfWorkFactory

    await _seed(settings)
    engine = make_engine(settings.database_url)
    try:
        await run(Dispatcher(UnitOfWorkFactory(engine), SystemClock()), chat_id)
    finally:
        await engine.dispose()


async def _create_key(settings: Settings, name: str, replace: bool = False) -> str:
    from domain.storage.apikeys import create_api_key, revoke_api_keys
    from domain.storage.engine import make_engine

    engine = make_engine(settings.database_url)
    try:
        if replace:
            await revoke_api_keys(engine, name, SystemClock().now())
        return await create_api_key(engine, name, SystemClock().now())
    finally:
        await engine.dispose()


async def _prepare_demo(settings: Settings) -> str:
    await _seed(settings)
    return await _create_key(settings, DEMO_KEY_NAME, replace=True)


def _print_demo_banner(settings: Settings, host: str, port: int, key: str) -> None:
    base = f"http://{host}:{port}"
    typer.echo(
        "\n"
        "  BarberPro demo: Barbería Don Julio (Palermo), 3 barberos, 5 servicios\n"
        f"  Chat with it:  {base}/sandbox   (or, in another terminal: barberpro chat)\n"
        f"  Database:      {settings.database_url}\n"
        f"  API docs:      {base}/docs\n"
        f"  Health:        {base}/readyz\n"
        f"  Demo API key:  {key}\n"
        "  Try it:\n"
        f"    curl -H 'Authorization: Bearer {key}' {base}/api/v1/shops/don-julio/services\n"
    )


def main() -> None:
    """Entry point of the `barberpro` script."""
    app()


if __name__ == "__main__":
    main()
