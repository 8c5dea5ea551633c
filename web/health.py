"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text

from bot.log_privacy import mask_text
from domain.access import Scope
from domain.storage.apikeys import authenticate
from domain.storage.channels import outbox_stats
from domain.storage.engine import reader
from domain.storage.jobs import job_stats
from domain.storage.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/", include_in_schema=False)
async def root(request: Request) -> RedirectResponse:
    """Newcomers opening the bare address land on the chat (with the sandbox on) or the docs."""
    return RedirectResponse("/sandbox" if request.app.state.settings.sandbox else "/docs")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


_NOT_READY = {
    "description": "Not ready: the same body says why",
    "content": {"application/json": {}},
}


@router.get("/readyz", responses={503: _NOT_READY})
async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers and its schema is at the newest migration.

    Anyone sees counts and states; error messages and the last delivery failure are for the
    platform's operators only (`Authorization: Bearer <platform key>`).
    """
    state = request.app.state
    database: dict[str, Any] = {"reachable": False, "revision": None, "head": head_revision()}
    try:
        async with reader(state.engine).connect() as connection:
            await connection.execute(text("SELECT 1"))
        database["reachable"] = True
        database["revision"] = await current_revision(state.engine)
    except Exception as error:  # readiness reports any database failure, it never raises
        database["error"] = type(error).__name__
    database["at_head"] = database["reachable"] and database["revision"] == database["head"]
    # database["error"] stays public: a class name, and no key can be checked without it.
    operator = database["reachable"] and await _from_an_operator(request)
    settings = state.settings
    running = getattr(state, "channels", {})
    channels = {
        "telegram": _status(running, "telegram", operator),
        "whatsapp": _status(running, "whatsapp", operator),
        "sandbox": "on" if settings.sandbox else "off",
    }
    delivery: dict[str, Any] = {}
    jobs: dict[str, int] = {}
    if database["at_head"]:
        pending, overdue, failed = await job_stats(state.uow_factory, state.clock.now())
        jobs = {"pending": pending, "overdue": overdue, "failed": failed}
        stats = await outbox_stats(state.uow_factory)
        delivery = {
            "pending": stats.pending,
            "failed": stats.failed,
            "oldest_pending": stats.oldest_pending.isoformat() if stats.oldest_pending else None,
        }
        if operator:  # a reason may quote the chat: never a whole phone number, even here
            delivery["last_failure"] = mask_text(stats.last_failure or "") or None
    payments = {"mercadopago": "configured" if settings.mercadopago_enabled else "off"}
    ready = bool(database["at_head"])
    body = {
        "status": "ready" if ready else "not_ready",
        "database": database,
        "channels": channels,
        "outbox": delivery,
        "jobs": jobs,
        "payments": payments,
    }
    return JSONResponse(body, status_code=200 if ready else 503)


async def _from_an_operator(request: Request) -> bool:
    """Whether the request carries a live platform key (a wrong or missing one: just no)."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return False
    state = request.app.state
    try:
        key = await authenticate(state.engine, secret.strip(), state.clock.now())
    except Exception:  # readiness never fails on a key it cannot check
        return False
    return key is not None and key.scope is Scope.PLATFORM


def _status(running: dict[str, Any], name: str, details: bool) -> str:
    """A channel's state; its error message ("unreachable: ...") only with `details`."""
    if name not in running:
        return "off"
    status = str(running[name].status)
    return status if details else status.split(":", 1)[0]
