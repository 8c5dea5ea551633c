"""Phone numbers: Argentine habits to E.164, foreign numbers kept, nonsense refused."""

from __future__ import annotations

import pytest

from domain.errors import InvalidPhone, InvalidRequest
from domain.phone import format_phone, normalize_phone

BUENOS_AIRES_MOBILE = "+5491158749895"


@pytest.mark.parametrize(
    "raw",
    [
        "+54 9 11 5874-9895",  # international, with the mobile 9
        "+54 11 5874 9895",  # international, the 9 forgotten
        "011 15 5874-9895",  # national: trunk 0, area code, the mobile 15
        "(011) 15-5874-9895",
        "11-5874-9895",  # area code and number, as most people write it
        "54 9 11 5874 9895",  # international without the plus
        "5491158749895",
        "0054 9 11 5874 9895",  # 00 instead of +
        "0054 11 5874 9895",
        "  +54.9.11.5874.9895  ",
    ],
)
def test_every_way_of_writing_a_buenos_aires_mobile_gives_one_e164(raw: str) -> None:
    assert normalize_phone(raw) == BUENOS_AIRES_MOBILE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0351 15 555-1234", "+5493515551234"),  # Córdoba, 3-digit area code
        ("351 555-1234", "+5493515551234"),
        ("+54 9 351 555-1234", "+5493515551234"),
        ("0221 15 412-3456", "+5492214123456"),  # La Plata
        ("2966 15 12-3456", "+5492966123456"),  # Río Gallegos, 4-digit area code
        ("02966 15 123456", "+5492966123456"),
        ("+54 2966 12-3456", "+5492966123456"),
    ],
)
def test_numbers_from_other_provinces_keep_their_area_code(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 (415) 555-2671", "+14155552671"),
        ("+34 612 34 56 78", "+34612345678"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+598 94 123 456", "+59894123456"),
    ],
)
def test_foreign_numbers_are_kept_as_they_are(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_a_number_without_a_plus_takes_the_default_country() -> None:
    assert normalize_phone("94 123 456", default_country="598") == "+59894123456"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "hola",
        "+",
        "++5491158749895",
        "11-5874-98a5",
        "+54 9 11 5874-9895 int 2",
        "12345",  # too short
        "+54 11 1234",
        "+1 234",
        "011 15 5874-98955",  # one digit too many
        "+123456789012345678",  # longer than E.164 allows
        "0000000000",  # would read as "+00000000": no country code starts with 0
        "15 5874-9895",  # a mobile without its area code: 15 is not an area code
    ],
)
def test_garbage_empty_or_wrong_length_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_an_invalid_phone_is_an_invalid_request_with_its_own_code() -> None:
    with pytest.raises(InvalidRequest) as caught:
        normalize_phone("hola")
    assert caught.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        (BUENOS_AIRES_MOBILE, "+54 9 11 5874-9895"),
        ("+5493515551234", "+54 9 351 555-1234"),
        ("+14155552671", "+14155552671"),
    ],
)
def test_format_phone_shows_argentine_mobiles_the_way_people_write_them(
    e164: str, shown: str
) -> None:
    assert format_phone(e164) == shown


def test_formatting_then_normalizing_gives_the_same_number() -> None:
    assert normalize_phone(format_phone(BUENOS_AIRES_MOBILE)) == BUENOS_AIRES_MOBILE
