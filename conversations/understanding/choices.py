"""Which item of a dated list a message points at ("el del martes", "el de mañana")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from conversations.understanding.model import Understanding


def pick_day(understood: Understanding, days: Sequence[date]) -> int | None:
    """The index of the one listed day the message names, or None (none, or several).

    A weekday on its own matches that weekday anywhere in the list: "el del martes" is the
    booking on a Tuesday, this week's or the next. Otherwise the days said must hold it.
    """
    if understood.weekday is not None:
        found = [i for i, day in enumerate(days) if day.weekday() == understood.weekday]
    elif understood.first_day is not None:
        first, last = understood.first_day, understood.last_day or understood.first_day
        found = [i for i, day in enumerate(days) if first <= day <= last]
    else:
        return None
    return found[0] if len(found) == 1 else None
