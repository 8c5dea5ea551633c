"""Every route's dependencies and endpoint are coroutines: FastAPI runs a plain `def` on a worker
thread, a hop to another thread and back for every request (the sandbox's chat turns made one
for their rate-limit lookup)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from bot.settings import Settings
from web.app import create_app


def _api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            yield from _api_routes(included.routes)


def _calls(dependant: Dependant) -> Iterator[Any]:
    """Every dependency's callable, sub-dependencies included."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _on_a_thread(call: Any) -> bool:
    """Whether FastAPI runs this callable (a function, or an instance's __call__) on a thread."""
    target = call if inspect.isroutine(call) else type(call).__call__
    return not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target))


def _app() -> FastAPI:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url="sqlite+aiosqlite:///unused.db", sandbox=True
    )
    return create_app(settings)


def test_no_route_runs_a_dependency_or_endpoint_on_a_thread() -> None:
    routes = list(_api_routes(_app().routes))
    assert len(routes) > 40  # the walk reaches the included routers' routes
    found = {
        f"{route.path}: {getattr(call, '__qualname__', call)}"
        for route in routes
        for call in [*_calls(route.dependant), route.endpoint]
        if _on_a_thread(call)
    }
    assert found == set()
