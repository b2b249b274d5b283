"""Every error leaves the API as JSON `{"detail": "..."}`, with the status the contract names.

Services raise `ServiceError`s carrying their own status code; request validation, unknown
routes and database trouble are mapped here, so bad input is never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from pickvs.api.schemas import ErrorItem, ErrorOut
from pickvs.services.errors import BatchRejected, ServiceError
from pickvs.services.throttle import LoginThrottled

log = logging.getLogger("pickvs.api")

MAX_LISTED = 5
DATABASE_RETRY_AFTER_SECONDS = 5


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, service_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, database_unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, integrity_error)  # type: ignore[arg-type]
    app.add_exception_handler(DataError, data_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error)


def error_response(
    status_code: int, body: ErrorOut, headers: dict[str, str] | None = None
) -> JSONResponse:
    headers = dict(headers or {})
    if status_code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body.model_dump(exclude_none=True), status_code, headers=headers)


async def service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    body = ErrorOut(detail=exc.message, field=exc.field)
    if isinstance(exc, BatchRejected):
        body.errors = [
            ErrorItem(
                index=index, field=error.field, detail=error.message, status=error.status_code
            )
            for index, error in exc.errors
        ]
    headers = None
    if isinstance(exc, LoginThrottled):  # the same wait the message gives in words
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    return error_response(exc.status_code, body, headers)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    items = [_validation_item(error) for error in exc.errors()]
    lines = [item.detail for item in items] or ["Invalid request."]
    detail = "; ".join(lines[:MAX_LISTED])
    if len(lines) > MAX_LISTED:
        detail += f" (and {len(lines) - MAX_LISTED} more)"
    first_field = next((item.field for item in items if item.field), None)
    return error_response(422, ErrorOut(detail=detail, field=first_field, errors=items))


async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    return error_response(exc.status_code, ErrorOut(detail=detail), exc.headers)


async def database_unavailable(_request: Request, exc: OperationalError) -> JSONResponse:
    # Raised only once the engine's connect retries are spent (or a query lost its server):
    # say when to come back rather than leave clients to guess.
    log.error("database unavailable: %s", exc.orig)
    return error_response(
        503,
        ErrorOut(detail="The database is unavailable; try again soon."),
        {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def integrity_error(_request: Request, exc: IntegrityError) -> JSONResponse:
    # The services turn the races they expect into Conflicts; this is the safety net.
    log.warning("integrity error reached the API: %s", exc.orig)
    return error_response(
        409, ErrorOut(detail="That conflicts with a change made at the same time; try again.")
    )


async def data_error(_request: Request, exc: DataError) -> JSONResponse:
    log.warning("data error reached the API: %s", exc.orig)
    return error_response(422, ErrorOut(detail="A value in the request is out of range."))


async def unexpected_error(_request: Request, _exc: Exception) -> JSONResponse:
    # Starlette re-raises after this response, so the server logs the traceback once.
    return error_response(500, ErrorOut(detail="Something went wrong on our side."))


# --- request validation, made readable -------------------------------------------------------


def _validation_item(error: dict[str, Any]) -> ErrorItem:
    loc: Sequence[Any] = error.get("loc") or ()
    source, rest = (loc[0], list(loc[1:])) if loc else ("body", [])
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "JSON decode error")
        where = f" at character {rest[0]}" if rest else ""
        return ErrorItem(detail=f"The body is not valid JSON{where}: {reason}.", status=422)
    index = rest[0] if source == "body" and rest and isinstance(rest[0], int) else None
    names = [str(part) for part in rest if not isinstance(part, int)]
    raw = str(error.get("msg", "is invalid"))
    message = raw.removeprefix("Value error, ")
    # PickVs's own validators (the domain's rules) say a whole sentence that names the field
    # ("Password must be at least 8 characters."), as the services' errors do: no prefix.
    own_sentence = raw != message
    if source in ("query", "path", "header"):
        field = names[0] if names else source
        return ErrorItem(field=field, detail=f"{source} parameter {field}: {message}", status=422)
    field = names[-1] if names else None
    where = ".".join(names)
    if index is not None:
        where = f"item {index}" + (f", {where}" if where else "")
    if own_sentence and index is None:
        detail = message
    else:
        detail = f"{where}: {message}" if where else f"Request body: {message}"
    return ErrorItem(index=index, field=field, detail=detail, status=422)
