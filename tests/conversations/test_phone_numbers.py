"""Phone numbers in a message are taken out before it is read: never a time, a day or a choice;
dates typed with dashes or dots, and times, stay."""

from __future__ import annotations

from datetime import date, time

import pytest

from conversations.understanding import understand
from conversations.understanding.phones import without_phone_numbers
from tests.conversations.corpus import TODAY, VOCABULARY


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Juana Pérez, mi cel es 11 5555-3333", "Juana Pérez"),
        ("soy Ana, +54 9 11 5555-3333", "soy Ana"),
        ("Marta - tel: (011) 4555-3333", "Marta"),
        ("Ana 11-15-5874-9895", "Ana"),  # dashes, but no date
        ("Juana, whatsapp 1155553333 gracias", "Juana  gracias"),
        ("1155553333", "1155553333"),  # only a number: read as it came
        ("el 15-12-2026 a las 10", "el 15-12-2026 a las 10"),
        ("2026-12-15", "2026-12-15"),
        ("corte el 15 a las 11 30", "corte el 15 a las 11 30"),
        ("mañana 10 11 12", "mañana 10 11 12"),
    ],
)
def test_only_phone_numbers_are_taken_out(text: str, left: str) -> None:
    assert without_phone_numbers(text) == left


def test_a_number_beside_a_name_is_no_time_and_the_name_is_read() -> None:
    understood = understand("Diego Sosa, mi celu 11 5555-3333", VOCABULARY, TODAY)
    assert understood.name == "Diego Sosa"
    assert understood.at is None
    assert understood.first_day is None


def test_a_date_with_dashes_is_still_a_day() -> None:
    understood = understand("corte el 15-12-2026 a las 10", VOCABULARY, TODAY)
    assert understood.first_day == date(2026, 12, 15)
    assert understood.at == time(10)
