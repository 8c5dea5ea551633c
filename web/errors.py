"""One error shape everywhere: `{"error": code, "detail": text}`, never an HTML page or a 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    Conflict,
    CustomerBusy,
    DomainError,
    InvalidRequest,
    InvalidTransition,
    NotFound,
    SlotTaken,
)
from web.security_headers import error_headers

log = logging.getLogger(__name__)

_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (SlotTaken, 409),
    (CustomerBusy, 409),
    (Conflict, 409),
    (InvalidTransition, 409),
    (InvalidRequest, 422),
]
_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


def error_response(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    """The JSON error every endpoint answers with."""
    return JSONResponse({"error": code, "detail": detail, **extra}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, HTTP errors, validation errors and surprises to JSON."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, error: DomainError) -> JSONResponse:
        status = next((s for cls, s in _STATUS_BY_ERROR if isinstance(error, cls)), 400)
        extra: dict[str, Any] = {}
        if isinstance(error, CustomerBusy):
            extra["conflicting_booking_id"] = error.conflicting_booking_id
        if isinstance(error, InvalidRequest) and error.field is not None:
            extra["field"] = error.field
        return error_response(status, error.code, str(error), **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _CODE_BY_STATUS.get(error.status_code, "error")
        response = error_response(error.status_code, code, str(error.detail))
        if error.headers:
            response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        return error_response(422, "invalid_request", "the request is not valid", problems=problems)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        response = error_response(500, "internal_error", "something went wrong on our side")
        https = request.app.state.settings.public_url.lower().startswith("https://")
        response.headers.update(error_headers(https))
        return response
