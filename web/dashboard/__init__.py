"""The owner's dashboard: server-rendered pages under /admin (Jinja2, htmx, no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from web.dashboard import (
    agenda,
    audit,
    customers,
    inbox,
    login,
    numbers,
    overview,
    payments,
    setup,
    takings,
)
from web.dashboard.login import DEFAULT_SPEECH
from web.dashboard.sessions import LoginRequired, Refused, ShopRequired, login_url
from web.dashboard.templating import render

STATIC = Path(__file__).parent / "static"
ROUTERS = (
    login.router,
    overview.router,
    *agenda.ROUTERS,
    inbox.router,
    customers.router,
    payments.router,
    takings.router,
    numbers.router,
    *setup.ROUTERS,
    audit.router,
)


def install(app: FastAPI) -> None:
    """Mount the dashboard: its pages, its assets, and its answers to the unauthorised."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/admin/static", StaticFiles(directory=STATIC), name="dashboard-static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        if request.headers.get("hx-request"):  # htmx swaps no login page into a panel
            return Response(status_code=401, headers={"HX-Redirect": login_url(error.next_path)})
        return RedirectResponse(login_url(error.next_path), 303)

    @app.exception_handler(ShopRequired)
    async def _shop(_: Request, __: ShopRequired) -> Response:
        return RedirectResponse("/admin/shops", 303)

    @app.exception_handler(Refused)
    async def _refused(_: Request, error: Refused) -> Response:
        return render("refused.html", DEFAULT_SPEECH, 403, reason=error.reason)
