"""The API does what its OpenAPI says: schemathesis fuzzes every operation in-process.

Each operation gets a bounded, derandomized run of generated requests (a valid platform key, the
demo shop seeded with a few turnos, the suite's fixed clock) against the real app on the test's
database, and every response is checked against the published schema: no 5xx, only documented
status codes and content types, bodies and headers as declared; in negative mode (invalid input)
also that the input is refused, e.g. `0` where a JSON boolean is asked for. Every failure is
collected, not only the first, so one run lists all the mismatches.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CheckFunction
from schemathesis.errors import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi

from bot.demo import DEMO_SLUG
from bot.settings import Settings
from tests.helpers import FixedClock
from web.app import create_app

# Examples per operation and mode (~45 operations, two modes). Dig deeper locally with e.g.
# SCHEMATHESIS_EXAMPLES=200; the suite's figure keeps the test around a minute on SQLite.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS: list[CheckFunction] = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]
NEGATIVE_CHECKS: list[CheckFunction] = [*CHECKS, schemathesis.checks.negative_data_rejection]
MISSING = 999_999  # an id no row has: its 404 is fuzzed too
Pins = dict[str, list[Any]]


@pytest.fixture
async def pins(demo: None, client: httpx.AsyncClient) -> Pins:
    """Path values that reach real rows: the demo shop, its services and professionals, and
    three turnos (confirmed, held, cancelled) of one customer, each list with a missing id."""
    shop = f"/api/v1/shops/{DEMO_SLUG}"
    services = [s["id"] for s in (await client.get(f"{shop}/services")).json()]
    professionals = [p["id"] for p in (await client.get(f"{shop}/professionals")).json()]
    customer = {"name": "Juan Pérez", "phone": "011 15 5874-9895"}
    bookings = []
    for start, hold in [("2026-12-02T16:00:00-03:00", False), ("2026-12-03T11:00:00-03:00", True)]:
        body = {"service_id": services[0], "start": start, "customer": customer, "hold": hold}
        made = await client.post(f"{shop}/bookings", json=body)
        assert made.status_code == 201, made.text
        bookings.append(made.json())
    body = {"service_id": services[0], "start": "2026-12-04T10:00:00-03:00", "customer": customer}
    cancelled = (await client.post(f"{shop}/bookings", json=body)).json()
    assert (await client.post(f"/api/v1/bookings/{cancelled['id']}/cancel")).status_code == 200
    bookings.append(cancelled)
    return {
        "slug": [DEMO_SLUG],
        "service_id": [*services, MISSING],
        "professional_id": [*professionals, MISSING],
        "booking_id": [*(b["id"] for b in bookings), MISSING],
        "customer_id": [bookings[0]["customer"]["id"], MISSING],
    }


@contextmanager
def _served(database_url: str, clock: FixedClock) -> Iterator[Any]:
    """The app as schemathesis drives it (in-process ASGI), its lifespan ended afterwards."""
    # Abuse limits, where the app has them (`rate_limit_*` settings), would answer the fuzzer's
    # burst of a thousand requests with 429s: they are tested on their own, and off here.
    limits_off = {name: "off" for name in Settings.model_fields if name.startswith("rate_limit_")}
    app_settings = Settings(  # type: ignore[call-arg]
        database_url=database_url,
        _env_file=None,
        # The job loop stays quiet between its first round and the end of the test.
        scheduler_interval_seconds=3600,
        **limits_off,
    )
    app = create_app(app_settings, clock)
    try:
        yield app
    finally:
        asgi.shutdown_lifespans()


def _cases(operation: Any, mode: GenerationMode, pins: Pins) -> st.SearchStrategy[Any]:
    """Generated requests, with path values drawn from the pinned ones where the path has them
    (a made-up slug or id stops at its 404 before the route reads the rest of the request)."""
    chosen = {name: st.sampled_from(values) for name, values in pins.items()}
    pinned = st.fixed_dictionaries(
        {name: values for name, values in chosen.items() if f"{{{name}}}" in operation.path}
    )
    return pinned.flatmap(
        lambda path: operation.as_strategy(generation_mode=mode, path_parameters=path or None)
    )


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], pins: Pins) -> list[str]:
    """Run one operation's bounded examples; returns one report per distinct failure."""
    checks = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else CHECKS
    failures: dict[str, str] = {}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(operation, mode, pins))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = f"{mode.value} {operation.label}: {failure.title}"
                failures.setdefault(key, f"{key}\n{_indented(str(group))}")

    try:
        run()
    except Unsatisfiable:  # nothing to get wrong: no parameters and no body (negative mode)
        assert mode is GenerationMode.NEGATIVE, operation.label
    return list(failures.values())


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines()[:30])


def test_every_operation_answers_as_its_openapi_says(
    database_url: str, clock: FixedClock, api_key: str, pins: Pins
) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}
    found: list[str] = []
    with _served(database_url, clock) as app:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        for result in schema.get_all_operations():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                found += _fuzz(result.ok(), mode, headers, pins)
    assert found == [], "\n".join(found)
