"""Reading a setup form: each value as typed (a form with a problem is shown back with it)
and, per field, the problem in words the owner reads (msgids, translated by the template).

The rules themselves are the shared ones (domain.shops, domain.catalog_rules,
domain.payments): a form only turns text into values and names what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.datastructures import FormData

from domain.errors import InvalidRequest
from web.dashboard.pages import N_

T = TypeVar("T")
MAX_TEXT = 500  # no field of these forms needs more (ServiceRow.synonyms is the widest)


@dataclass(frozen=True)
class Problem:
    """What is wrong with a field: a msgid and its values (`%(low)d`)."""

    msgid: str
    values: dict[str, Any] = field(default_factory=dict)


class Form:
    """A posted form: its values as typed, and the problems found while reading them."""

    def __init__(
        self, data: FormData | None = None, defaults: dict[str, Any] | None = None
    ) -> None:
        self.data = data
        self.defaults = defaults or {}
        self.problems: dict[str, Problem] = {}

    @classmethod
    def showing(cls, **defaults: Any) -> Form:
        """A form not posted yet, showing what is stored (checkboxes as booleans, repeated
        fields as lists)."""
        return cls(None, defaults)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems

    def value(self, name: str, default: str = "") -> str:
        """The value as typed (the default before anything was posted)."""
        found = self.data.get(name) if self.data is not None else self.defaults.get(name)
        if found is None or isinstance(found, bool):
            return default
        return str(found)[:MAX_TEXT]

    def values(self, name: str) -> list[str]:
        """Every value of a repeated field (checkboxes, rows), as typed."""
        if self.data is None:
            return [str(v) for v in self.defaults.get(name, ())]
        return [v[:MAX_TEXT] for v in self.data.getlist(name) if isinstance(v, str)]

    def text(self, name: str) -> str:
        """The value trimmed."""
        return self.value(name).strip()

    def checked(self, name: str) -> bool:
        """Whether a checkbox was ticked."""
        if self.data is None:
            return bool(self.defaults.get(name))
        return name in self.data

    def whole(self, name: str, limits: tuple[int, int], blank_is_none: bool = False) -> int | None:
        """A whole number within `limits`; None (and a problem, unless blank may be None)."""
        typed = self.text(name)
        if not typed and blank_is_none:
            return None
        try:
            number = int(typed)
        except ValueError:
            number = None
        if number is None or not limits[0] <= number <= limits[1]:
            low, high = limits
            self.fail(
                name, N_("Write a whole number from %(low)d to %(high)d."), low=low, high=high
            )
            return None
        return number

    def check(self, name: str, msgid: str, rule: Callable[..., T], *args: Any) -> T | None:
        """`rule(*args)`; its InvalidRequest becomes this field's problem (`msgid`)."""
        try:
            return rule(*args)
        except InvalidRequest:
            self.fail(name, msgid)
            return None

    def fail(self, name: str, msgid: str, **values: Any) -> None:
        """Note a problem with a field (the first one found stays)."""
        self.problems.setdefault(name, Problem(msgid, values))
