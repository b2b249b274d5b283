"""The JSON API: `uvicorn pickvs.api:app` on its own, or mounted into the Reflex backend."""

from __future__ import annotations

from typing import Any

from pickvs.api.main import create_app

__all__ = ["app", "create_app"]

_built: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    """`pickvs.api.app`, built on first use rather than at import: building reads the settings,
    and the Reflex app module imports this package before it reports a bad setting in one
    line (`pickvs.pickvs`), which an eager build would pre-empt with a traceback."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if "app" not in _built:
        _built["app"] = create_app()
    return _built["app"]
