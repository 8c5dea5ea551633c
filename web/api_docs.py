"""The API docs (/docs with Swagger UI, /redoc with ReDoc) served from our own files, no CDN.

The scripts and styles ship inside the `fastapi-offline` package; we only mount its folder and
build the pages with FastAPI's own helpers pointed at it, so the docs work on a closed network.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from web.security_headers import nonce_of, page_policy, with_nonce

ASSETS = "/docs-static"
ASSETS_DIR = files("fastapi_offline") / "static"
# Swagger UI asks an outside validator for a badge by default: nobody outside is asked.
SWAGGER_PARAMETERS: dict[str, Any] = {"validatorUrl": None}
# ReDoc's styles are made in the browser (styled-components) as <style> elements that cannot
# carry our nonce, so its page allows inline styles; scripts stay nonce-only. Its search runs
# in a worker it builds from its own code as a blob: URL. Its menu's "Redocly" logo points at
# their CDN: the policy refuses that image (nothing leaves), and ReDoc then leaves it out.
REDOC_STYLES = "'self' 'unsafe-inline'"
REDOC_WORKERS = "'self' blob:"


def install(app: FastAPI) -> None:
    """Mount the assets and add /docs and /redoc (the app is built with docs_url=None)."""
    app.mount(ASSETS, StaticFiles(directory=str(ASSETS_DIR)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        """Swagger UI over /openapi.json; its inline start-up script carries the nonce."""
        nonce = nonce_of(request.state)
        page = get_swagger_ui_html(
            openapi_url=_openapi_url(app, request),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), **SWAGGER_PARAMETERS},
        )
        return HTMLResponse(with_nonce(bytes(page.body).decode(), nonce))

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        """ReDoc over /openapi.json, without Google's fonts."""
        page = get_redoc_html(
            openapi_url=_openapi_url(app, request),
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        policy = page_policy(nonce_of(request.state), REDOC_STYLES, REDOC_WORKERS)
        return HTMLResponse(bytes(page.body), headers={"Content-Security-Policy": policy})


def _openapi_url(app: FastAPI, request: Request) -> str:
    """/openapi.json under whatever root path a proxy serves us at."""
    return f"{request.scope.get('root_path', '')}{app.openapi_url}"
