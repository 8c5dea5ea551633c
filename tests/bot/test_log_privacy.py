"""The privacy filter under every log handler: numbers masked however they are written and
wherever they sit in a record; what is not personal left alone."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.log_privacy import PrivateDataFilter, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "message for don-julio from whatsapp:+5491155553333",
            "message for don-julio from whatsapp:+54 9 11 ****-3333",
        ),
        (
            "gave up on message 9 to whatsapp:+5491155553333: refused",
            "gave up on message 9 to whatsapp:+54 9 11 ****-3333: refused",
        ),
        ("+54 9 11 5555-3333", "+54 9 11 ****-3333"),
        ("5491155553333", "+54 9 11 ****-3333"),
        ("llamame al 011 15 5555-3333", "llamame al +54 9 11 ****-3333"),
        ("(011) 4555-3333", "+54 9 11 ****-3333"),
        ("11 5555 3333", "+54 9 11 ****-3333"),
        ("tel: +54 351 555-1234", "tel: +54 9 351 ****-1234"),
        ("from whatsapp:+14155238886", "from whatsapp:+1 415 ****-8886"),
        ("+447911123456", "+44 ****-3456"),
        ("fijo 4555-3333", "fijo ****3333"),
        ("chat 730194582 wrote", "chat ****4582 wrote"),
        ("{'chat_id': 730194582, 'text': 'x'}", "{'chat_id': ****4582, 'text': 'x'}"),
        ("login juan.perez@gmail.com", "login j***@gmail.com"),
    ],
)
def test_phone_numbers_chat_ids_and_emails_are_masked(text: str, masked: str) -> None:
    result = mask_text(text)

    assert result == masked
    assert mask_text(result) == result, "masking twice changes nothing"


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-03 10:00:00",
        "turno 2026-12-03T10:00:00-03:00",
        "127.0.0.1:54321 - GET /readyz HTTP/1.1 200",
        "booking 12 paid 12000.00, expected 12000.00",
        "job 1234567 failed (try 3)",
        "bot123456:TEST-token",
        "SM0000000000000000000000000000001",
        "a batch of 250 reminders in 0.5 s",
    ],
)
def test_what_is_not_personal_is_left_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.fixture
def output() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the filter to a string, as the app's handlers do."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PrivateDataFilter())
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("tests.privacy")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_numbers_in_arguments_of_any_type_are_masked(
    output: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = output

    logger.info("to %s", "whatsapp:+5491155553333")
    logger.info("chat %d", 5491155553333)
    logger.info("refused: %s", ValueError("The 'To' number +5491155553333 is not valid"))
    logger.info("%(who)s wrote", {"who": "+5491155553333"})

    lines = stream.getvalue().splitlines()
    assert lines == [
        "tests.privacy to whatsapp:+54 9 11 ****-3333",
        "tests.privacy chat +54 9 11 ****-3333",
        "tests.privacy refused: The 'To' number +54 9 11 ****-3333 is not valid",
        "tests.privacy +54 9 11 ****-3333 wrote",
    ]


def test_a_traceback_quoting_a_number_is_masked(
    output: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = output
    try:
        raise RuntimeError("could not reach whatsapp:+5491155553333")
    except RuntimeError:
        logger.exception("sending failed")

    text = stream.getvalue()
    assert "Traceback" in text
    assert "RuntimeError: could not reach whatsapp:+54 9 11 ****-3333" in text
    assert "55553333" not in text


def test_an_access_log_line_keeps_its_path_but_not_its_query() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:50000", "GET", "/admin/customers?q=Juan+1155553333", "1.1", 200),
        None,
    )

    PrivateDataFilter().filter(record)

    assert record.getMessage() == '127.0.0.1:50000 - "GET /admin/customers?… HTTP/1.1" 200'
    assert isinstance(record.args, tuple)
    assert len(record.args) == 5, "what uvicorn's formatter unpacks"
