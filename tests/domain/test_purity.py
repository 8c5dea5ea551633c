"""The pure core stays pure: no I/O libraries and no clock reads in domain/ and conversations/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("conversations", "domain")
IMPURE_FOLDER = ROOT / "domain" / "storage"  # the only place SQLAlchemy may live
FORBIDDEN_MODULES = frozenset(
    {
        "sqlalchemy",
        "telegram",
        "twilio",
        "mercadopago",
        "fastapi",
        "asyncio",
        "aiosqlite",
        "asyncpg",
        "httpx",
    }
)
# Reads of the real clock, as dotted names after resolving imports; time comes from a Clock.
CLOCK_READS = (
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
)


def pure_files() -> list[Path]:
    """Every module of the pure core, domain/storage/ left out."""
    return sorted(
        path
        for package in PURE_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if not path.is_relative_to(IMPURE_FOLDER)
    )


def breaches(source: str, filename: str = "<source>") -> list[str]:
    """'file:line what' for every forbidden import or clock read in a module's source."""
    tree = ast.parse(source, filename)
    imported = _imported_names(tree)
    found = [
        f"{filename}:{node.lineno} imports {module}"
        for node, module in _imports(tree)
        if _is_forbidden(module)
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name):
            dotted = _dotted(node, imported)
            if dotted is not None and tuple(dotted.split(".")[-2:]) in CLOCK_READS:
                found.append(f"{filename}:{node.lineno} reads the clock with {dotted}")
    return found


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    """Every absolute import as a dotted name (`from a import b` gives 'a.b')."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield from ((node, f"{node.module}.{alias.name}") for alias in node.names)


def _is_forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN_MODULES or f"{module}.".startswith("domain.storage.")


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name → dotted origin: `from datetime import datetime as dt` gives dt."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                names[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    return names


def _dotted(node: ast.expr, imported: dict[str, str]) -> str | None:
    """`datetime.now` as 'datetime.datetime.now' (imports resolved), or None for other shapes."""
    if isinstance(node, ast.Name):
        return imported.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        owner = _dotted(node.value, imported)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def test_the_walker_finds_the_pure_modules_and_skips_storage() -> None:
    files = pure_files()
    assert ROOT / "domain" / "availability.py" in files
    assert any(IMPURE_FOLDER.rglob("*.py"))
    assert not [f for f in files if f.is_relative_to(IMPURE_FOLDER)]


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_pure_core_does_no_io_and_never_reads_the_clock(path: Path) -> None:
    assert breaches(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(
    "source",
    [
        "import sqlalchemy",
        "import asyncio.locks",
        "from sqlalchemy.ext.asyncio import AsyncSession",
        "from telegram import Bot",
        "import twilio.rest as tw",
        "from mercadopago import SDK",
        "from fastapi import APIRouter",
        "import aiosqlite",
        "import asyncpg",
        "import httpx",
        "from domain.storage.uow import SqlAlchemyUnitOfWork",  # SQLAlchemy one step away
        "from domain import storage",
        "from datetime import datetime\ndatetime.now()",
        "from datetime import datetime\nx = datetime.utcnow()",
        "import datetime\ndatetime.datetime.now(datetime.UTC)",
        "from datetime import date\ndate.today()",
        "import time\ntime.time()",
        "from time import time\ntime()",
        "from datetime import datetime as dt\ndt.now()",
        "from datetime import datetime\nfield(default_factory=datetime.now)",
    ],
)
def test_the_walker_catches_a_breach(source: str) -> None:
    assert len(breaches(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "from __future__ import annotations",
        "from domain.ports import Clock\ndef f(clock: Clock):\n    return clock.now()",
        "from datetime import UTC, datetime, time\nstart = datetime(2026, 6, 2, tzinfo=UTC)",
        "from datetime import time\nopening = time(9, 0)",
        "from zoneinfo import ZoneInfo\nZoneInfo('America/Argentina/Buenos_Aires')",
        "from collections.abc import AsyncIterator",  # a type, not asyncio
        "from domain.storage_notes import x",  # only domain.storage itself is off limits
    ],
)
def test_the_walker_lets_pure_code_through(source: str) -> None:
    assert breaches(source) == []
