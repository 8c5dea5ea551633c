"""Text folded for search and order («Núñez» → «nunez»), the same in Python and in SQL.

PostgreSQL folds with translate() and lower(); SQLite has neither unaccent nor a lower() beyond
ASCII, so each SQLite connection gets `fold` itself as a function (see engine.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "barberpro_fold"
_ACCENTED = "áàâäãÁÀÂÄÃéèêëÉÈÊËíìîïÍÌÎÏóòôöõÓÒÔÖÕúùûüÚÙÛÜñÑçÇ"
_PLAIN = "aaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuunncc"
_TABLE = str.maketrans(_ACCENTED, _PLAIN)


def fold(text: str | None) -> str:
    """Without accents, in lower case; None folds to the empty text."""
    return (text or "").translate(_TABLE).lower()


class folded(FunctionElement[str]):
    """`fold` of a text column, computed by the database."""

    type = String()
    inherit_cache = True


@compiles(folded, "postgresql")
def _postgresql(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(element.clauses, **kw)
    return f"lower(translate(coalesce({text}, ''), '{_ACCENTED}', '{_PLAIN}'))"


@compiles(folded, "sqlite")
def _sqlite(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"
