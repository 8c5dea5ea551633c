"""`barberpro db backup PATH` and `db restore PATH`, on SQLite (here) and PostgreSQL.

SQLite: the online backup API copies the database page by page from one read transaction, so
the copy is the database as it was at one moment while a running server keeps writing (in WAL
readers never block the writer); it is written beside PATH and renamed into place. A restore
copies the backup into the target in one step, one transaction: anyone reading the target sees
the old database or the restored one, never half of each.
PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore` (backup_postgres.py).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from domain.storage.engine import is_sqlite
from domain.storage.migrate import head_revision, known_revisions

# Pages copied per step of the backup: between steps the source's writer is never waited for
# (WAL), and the read transaction held across steps keeps the copy one consistent snapshot.
PAGES_PER_STEP = 1024
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """An expected failure (missing file, not a backup, unreachable database), in one line."""


@dataclass(frozen=True)
class Restored:
    """What a restore left: the schema revision it holds, and the one this code expects."""

    revision: str
    head: str | None

    @property
    def at_head(self) -> bool:
        """The schema is the one this code runs on."""
        return self.revision == self.head


async def backup(url: str, path: Path) -> str:
    """Back up the database at `url` to `path`; returns the schema revision saved."""
    if is_sqlite(url):
        return backup_sqlite(sqlite_file(url), path)
    from domain.storage.backup_postgres import backup_postgres

    return await backup_postgres(url, path)


async def restore(url: str, path: Path, *, in_use_ok: bool = False) -> Restored:
    """Replace the database at `url` with the backup at `path`.

    Refused while another process (a server) has the database open, unless `in_use_ok`.
    """
    kind = backup_kind(path)
    if is_sqlite(url):
        if kind != "sqlite":
            raise BackupError(f"{path} is a PostgreSQL backup: restore it into a PostgreSQL URL")
        return restore_sqlite(path, sqlite_file(url), in_use_ok=in_use_ok)
    if kind != "postgresql":
        raise BackupError(f"{path} is a SQLite backup: restore it into a SQLite URL")
    from domain.storage.backup_postgres import restore_postgres

    return await restore_postgres(url, path, in_use_ok=in_use_ok)


def describe(url: str) -> str:
    """The database for a message, without its password."""
    if is_sqlite(url):
        return f"SQLite database {sqlite_file(url)}"
    parsed = make_url(url)
    return f"PostgreSQL database {parsed.database} on {parsed.host or 'localhost'}"


def sqlite_file(url: str) -> Path:
    """The file of a SQLite URL (an in-memory database has none to back up)."""
    try:
        database = make_url(url).database
    except ArgumentError as error:
        raise BackupError(f"BARBERPRO_DATABASE_URL is not a database URL: {error}") from None
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("BARBERPRO_DATABASE_URL names no SQLite file to back up or restore")
    return Path(database).resolve()


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes; a BackupError for anything else."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"no backup at {path}") from None
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if header == SQLITE_HEADER:
        return "sqlite"
    if header.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path} is not a BarberPro backup (neither SQLite nor pg_dump's format)")


def check_revision(revision: str | None, path: Path) -> str:
    """The backup's schema revision, if this code knows it; a BackupError otherwise."""
    if revision is None:
        raise BackupError(f"{path} is not a BarberPro backup (no schema revision in it)")
    if revision not in known_revisions():
        raise BackupError(
            f"{path} holds schema revision {revision}, unknown to this version of BarberPro "
            "(made by a newer one?): update BarberPro, then restore"
        )
    return revision


def backup_sqlite(
    source: Path, target: Path, on_step: Callable[[int, int], object] | None = None
) -> str:
    """Copy the live SQLite database `source` to `target` as one consistent snapshot;
    `on_step(remaining, total)` hears about each step's pages."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    check_target(target)
    partial = target.with_name(target.name + ".tmp")
    try:
        origin = _open(source, "rw")
        try:
            origin.execute("BEGIN")  # the snapshot: every step below reads from it
            revision = _revision(origin)
            if revision is None:
                raise BackupError(f"{source} is not a migrated BarberPro database")
            partial.unlink(missing_ok=True)
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                progress = None if on_step is None else _progress(on_step)
                origin.backup(copy, pages=PAGES_PER_STEP, progress=progress)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                _quick_check(copy, partial)
            finally:
                copy.close()
        finally:
            origin.close()
        _durable_rename(partial, target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {error}") from None
    return revision


def restore_sqlite(backup_file: Path, target: Path, *, in_use_ok: bool = False) -> Restored:
    """Put the backup in place of the SQLite database `target`, in one transaction."""
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent} for the database")
    try:
        source = _open(backup_file, "ro")
        try:
            _quick_check(source, backup_file)
            revision = check_revision(_revision(source), backup_file)
            if not in_use_ok and target.exists() and _in_use(target):
                raise BackupError(
                    f"{target} is open in another process (a running server?): stop it first, "
                    "or pass --yes to restore under it"
                )
            into = sqlite3.connect(target, isolation_level=None, timeout=30)
            try:
                source.backup(into)  # all pages in one step: one transaction on the target
                _quick_check(into, target)
            finally:
                into.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"restore into {target} failed: {error}") from None
    return Restored(revision, head_revision())


def _progress(on_step: Callable[[int, int], object]) -> Callable[[int, int, int], object]:
    """sqlite3's progress callback (status, remaining, total) as `on_step(remaining, total)`."""
    return lambda _status, remaining, total: on_step(remaining, total)


def _open(path: Path, mode: str) -> sqlite3.Connection:
    """A connection to an existing file (`mode` 'ro' or 'rw'; never creates one)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=30)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table: never migrated
        return None
    return None if row is None else str(row[0])


def _quick_check(connection: sqlite3.Connection, path: Path) -> None:
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable SQLite database: {error}") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")


def _in_use(path: Path) -> bool:
    """Whether another connection has the database open: in WAL each one holds a shared lock
    as long as it is open (idle included), so an exclusive lock cannot be had."""
    probe = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:  # "database is locked"
        return True
    finally:
        probe.close()
    return False


def check_target(target: Path) -> None:
    """A BackupError unless `target` can be a new file (not a folder, in an existing one)."""
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give a file name")
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent}")


def _durable_rename(partial: Path, target: Path) -> None:
    """Flush the finished copy, rename it into place, flush the rename."""
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
