"""Failures a player or operator can act on. Routes map them to HTTP codes; the CLI prints them."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: `message` is shown to people as it is, so it must say what to fix."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    status_code = 422


class NotAuthenticated(ServiceError):
    status_code = 401


class Forbidden(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Throttled(ServiceError):
    status_code = 429


class BatchRejected(ServiceError):
    """All-or-nothing batch refused; `errors` names each failing item by its index."""

    def __init__(self, errors: list[tuple[int, ServiceError]]) -> None:
        self.errors = errors
        codes = {error.status_code for _, error in errors}
        self.status_code = codes.pop() if len(codes) == 1 else 422
        details = "; ".join(f"pick {index + 1}: {error.message}" for index, error in errors)
        super().__init__(f"No picks were saved. {details}")
