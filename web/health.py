"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text

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
    """Ready when the database answers and its schema is at the newest migration."""
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
    settings = state.settings
    running = getattr(state, "channels", {})
    channels = {
        "telegram": running["telegram"].status if "telegram" in running else "off",
        "whatsapp": running["whatsapp"].status if "whatsapp" in running else "off",
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
            "last_failure": stats.last_failure,
        }
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
