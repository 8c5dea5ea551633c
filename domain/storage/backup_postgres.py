"""PostgreSQL backups with the PostgreSQL client tools: `pg_dump --format=custom` (one consistent
snapshot, however busy the server) and `pg_restore --clean --if-exists --no-owner` in a single
transaction (a failed restore changes nothing)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from domain.storage.backup import BackupError, Restored, check_revision, check_target
from domain.storage.engine import make_engine
from domain.storage.migrate import current_revision, head_revision

TOOL_FOLDERS = "/usr/lib/postgresql/*/bin"  # Debian and Ubuntu keep every version's tools here


async def backup_postgres(url: str, target: Path) -> str:
    """Dump the database at `url` to `target` (beside it first, renamed when complete)."""
    check_target(target)
    partial = target.with_name(target.name + ".tmp")
    parsed = make_url(url)
    try:
        await _run("pg_dump", "--format=custom", f"--file={partial}", "--no-password", url=parsed)
        revision = await dump_revision(partial)
        if revision is None:
            raise BackupError(f"{parsed.database} is not a migrated BarberPro database")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return revision


async def restore_postgres(url: str, path: Path, *, in_use_ok: bool = False) -> Restored:
    """Restore the dump at `path` into the database at `url`, replacing what it holds."""
    check_revision(await dump_revision(path), path)
    parsed = make_url(url)
    others = await _other_sessions(url)
    if others and not in_use_ok:
        raise BackupError(
            f"{others} other connection(s) use database {parsed.database} (a running "
            "server?): stop it first, or pass --yes to restore under it"
        )
    await _run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={parsed.database}",
        str(path),
        url=parsed,
    )
    engine = make_engine(url)
    try:
        revision = await current_revision(engine)
    finally:
        await engine.dispose()
    return Restored(check_revision(revision, path), head_revision())


async def dump_revision(path: Path) -> str | None:
    """The schema revision a custom-format dump holds (None without one); BackupError when
    pg_restore cannot read the file."""
    listing = await _run(
        "pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)
    )
    rows = re.search(r"^COPY [\w.\"]*alembic_version .*?;\n(.*?)^\\\.$", listing, re.M | re.S)
    if rows is None or not rows.group(1).strip():
        return None
    return rows.group(1).split()[0]


async def _other_sessions(url: str) -> int:
    """How many other connections have the database open."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    except (DBAPIError, OSError) as error:
        raise BackupError(f"cannot reach the database: {_reason(error)}") from None
    except SQLAlchemyError as error:
        raise BackupError(f"cannot reach the database: {type(error).__name__}") from None
    finally:
        await engine.dispose()
    return int(found or 0)


async def _run(tool: str, *arguments: str, url: URL | None = None) -> str:
    """Run a PostgreSQL client tool, its connection from `url` through libpq's environment
    (the password never on a command line); its output, or a BackupError with its complaint."""
    process = await asyncio.create_subprocess_exec(
        find_tool(tool),
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(_libpq_environment(url) if url is not None else {})},
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        # libpq's complaint spans lines (the error, then a hint): one line of it, capped.
        complaint = " ".join(err.decode(errors="replace").split())[:400]
        raise BackupError(f"{tool} failed: {complaint or f'exit status {process.returncode}'}")
    return out.decode(errors="replace")


def find_tool(name: str) -> str:
    """The tool on PATH, else the newest in /usr/lib/postgresql/*/bin; BackupError if none."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/").glob(TOOL_FOLDERS.lstrip("/")),
        key=lambda folder: [int(p) for p in re.findall(r"\d+", folder.parent.name)],
    )
    for folder in reversed(versions):
        if (folder / name).is_file():
            return str(folder / name)
    raise BackupError(
        f"{name} not found: install the PostgreSQL client tools (Debian/Ubuntu: apt install "
        f"postgresql-client, the server's major version or newer) or put {name} on PATH"
    )


def _libpq_environment(url: URL) -> dict[str, str]:
    """PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE from a SQLAlchemy URL."""
    values = {
        "PGHOST": url.host,
        "PGPORT": None if url.port is None else str(url.port),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": _ssl_mode(url),
    }
    return {name: str(value) for name, value in values.items() if value}


def _ssl_mode(url: URL) -> str | None:
    mode = url.query.get("sslmode") or url.query.get("ssl")
    if isinstance(mode, tuple):
        mode = mode[0]
    return {"true": "require", "false": "disable"}.get(str(mode).lower(), mode) if mode else None


def _reason(error: BaseException) -> str:
    """The driver's own words, on one line."""
    cause = getattr(error, "orig", None) or error
    return " ".join(str(cause).split()) or type(cause).__name__
