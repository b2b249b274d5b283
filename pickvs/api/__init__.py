"""The JSON API: `uvicorn pickvs.api:app` on its own, or mounted into the Reflex backend."""

from pickvs.api.main import create_app

app = create_app()

__all__ = ["app", "create_app"]
