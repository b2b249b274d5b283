"""The OpenAPI document, made to say what the API does.

FastAPI's generated document declares its own 422 body (`HTTPValidationError`, `detail` a list)
and knows only the statuses a route names. This module rewrites it once, for every route
(new ones included), from what the app really does:

- every error body is `ErrorOut` (`errors.py` answers every error with it);
- each operation lists the statuses its dependencies can produce: 401 where a token is read,
  422 where there is input to validate, 400 and 413 where there is a body, 503 where the
  database is used; routes add their own (403, 404, 409, 429) with `error_responses`;
- error responses declare the headers they always carry (`WWW-Authenticate` on 401,
  `Retry-After` on 429 and 503);
- where a token is read but not required (`OptionalUser`, `/health`'s admin details), the
  security requirement says so (`{}`).

The contract test (tests/api/test_contract.py) runs schemathesis with every check against it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from pickvs.api.deps import bearer, bearer_token, get_current_user, get_optional_user, get_session
from pickvs.api.schemas import MAX_BODY_BYTES, ErrorOut

SCHEMAS_REF = "#/components/schemas/"
ERROR_SCHEMA = {"$ref": f"{SCHEMAS_REF}{ErrorOut.__name__}"}
FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")
FASTAPI_422_DESCRIPTION = "Validation Error"

# Descriptions of the statuses a route's dependencies imply.
IMPLIED = {
    400: "The body could not be read as JSON text (it is not UTF-8, for instance).",
    401: "Missing, invalid or expired token, or one whose player no longer exists.",
    413: f"The request body is over {MAX_BODY_BYTES // 1024} KiB.",
    422: "Invalid input: `detail` says what to fix, `field` names the field at fault, and "
    "`errors` lists each problem (by `index` in a list).",
    503: "The database is unavailable; try again after `Retry-After` seconds.",
}

_SECONDS = {"type": "string", "pattern": "^[0-9]+$"}
HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {
        "WWW-Authenticate": {
            "description": "Always `Bearer`.",
            "required": True,
            "schema": {"type": "string", "enum": ["Bearer"]},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": _SECONDS,
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": _SECONDS,
        }
    },
}


def error_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status it answers itself, with what it means there."""
    return {code: {"model": ErrorOut, "description": text} for code, text in described.items()}


def install(app: FastAPI) -> None:
    """Make `app.openapi()` (and `/openapi.json`) return the described document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            describe(app, generate())
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def describe(app: FastAPI, spec: dict[str, Any]) -> dict[str, Any]:
    """Rewrite FastAPI's document in place (see the module docstring); returns it."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    _add_error_model(schemas)
    for route, operation in _operations(app, spec):
        calls = set(_calls(route.dependant))
        responses = operation.setdefault("responses", {})
        for code in implied_statuses(route, calls):
            responses.setdefault(str(code), {"description": IMPLIED[code]})
        if responses.get("422", {}).get("description") == FASTAPI_422_DESCRIPTION:
            responses["422"]["description"] = IMPLIED[422]
        if token_is_optional(calls):
            security = operation.setdefault("security", [])
            if {} not in security:
                security.append({})  # anonymous callers are served too
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:
                _as_error(int(code), response)
    for name in FASTAPI_ERROR_SCHEMAS:  # HTTPValidationError first: it refers to the other
        if f'"{SCHEMAS_REF}{name}"' not in json.dumps(spec):
            schemas.pop(name, None)
    return spec


def token_is_optional(calls: set[Callable[..., Any]]) -> bool:
    """The route reads a bearer token (`bearer`) but nothing on its path demands one:
    `bearer_token` (and `get_current_user` through it) answers 401 without it."""
    return bearer in calls and not calls & {bearer_token, get_current_user}


def implied_statuses(route: RouteContext, calls: set[Callable[..., Any]]) -> list[int]:
    """The error statuses a route can answer whatever its own code does."""
    implied = []
    if calls & {get_current_user, get_optional_user}:
        implied.append(401)
    if route.body_field is not None:
        implied += [400, 413]
    if route.body_field is not None or _has_parameters(route.dependant):
        implied.append(422)
    if get_session in calls:
        implied.append(503)
    return implied


def _operations(
    app: FastAPI, spec: dict[str, Any]
) -> Iterator[tuple[RouteContext, dict[str, Any]]]:
    """Each API route as included (prefix and router dependencies applied) with its operation;
    FastAPI keeps included routers nested, so `app.routes` alone would not reach them."""
    paths = spec.get("paths", {})
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            for method in sorted(route.methods or ()):
                operation = paths.get(route.path_format, {}).get(method.lower())
                if operation is not None:
                    yield route, operation


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _has_parameters(dependant: Dependant) -> bool:
    own = (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
    )
    return bool(own) or any(_has_parameters(d) for d in dependant.dependencies)


def _as_error(code: int, response: dict[str, Any]) -> None:
    """An error response's body is ErrorOut unless the route named another model (`/health`'s
    503 answers with the health report), with the headers `errors.py` always sends."""
    media = response.setdefault("content", {}).setdefault("application/json", {})
    schema = media.get("schema")
    if schema is None or schema == {"$ref": f"{SCHEMAS_REF}HTTPValidationError"}:
        media["schema"] = schema = dict(ERROR_SCHEMA)
    if schema == ERROR_SCHEMA:
        for name, header in HEADERS.get(code, {}).items():
            response.setdefault("headers", {}).setdefault(name, header)


def _add_error_model(schemas: dict[str, Any]) -> None:
    if ErrorOut.__name__ in schemas:
        return
    schema = ErrorOut.model_json_schema(ref_template=SCHEMAS_REF + "{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[ErrorOut.__name__] = schema
