"""The app as a whole: OpenAPI docs, unknown routes, and what it leaves to Reflex (CORS and\nsecurity headers: tests/api/test_security_headers.py)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from pickvs.api.deps import get_clock
from pickvs.domain.clock import FixedClock
from tests.api.helpers import assert_error, bearer, register

ROUTES = {
    ("post", "/auth/register"),
    ("post", "/auth/login"),
    ("post", "/auth/logout"),
    ("post", "/auth/logout-all"),
    ("get", "/api/games/upcoming"),
    ("get", "/api/games/{game_id}/picks"),
    ("post", "/api/picks"),
    ("delete", "/api/picks/{pick_id}"),
    ("get", "/api/picks/me"),
    ("get", "/api/leaderboard"),
    ("get", "/health"),
    ("get", "/api/picks/me.csv"),
    ("post", "/api/leagues"),
    ("get", "/api/leagues"),
    ("post", "/api/leagues/join"),
    ("get", "/api/leagues/{league_id}"),
    ("patch", "/api/leagues/{league_id}"),
    ("post", "/api/leagues/{league_id}/join"),
    ("post", "/api/leagues/{league_id}/leave"),
    ("delete", "/api/leagues/{league_id}/members/{username}"),
    ("post", "/api/leagues/{league_id}/code"),
    ("post", "/api/leagues/{league_id}/owner"),
    ("get", "/api/leagues/{league_id}/members"),
    ("get", "/api/leagues/{league_id}/board"),
    ("get", "/api/leagues/{league_id}/picks"),
    ("get", "/api/leagues/{league_id}/picks.csv"),
}


def test_openapi_documents_every_route_with_tags(client) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "PickVs API"
    documented = {(m, path) for path, ops in spec["paths"].items() for m in ops}
    assert documented == ROUTES
    assert {t["name"] for t in spec["tags"]} == {
        *("auth", "games", "picks", "leaderboard", "leagues", "health"),
    }
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op["tags"] and op["summary"], path
    assert "Bearer" in spec["components"]["securitySchemes"]
    # No response model can carry a password hash or an email.
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        if name.endswith("Out"):
            assert not {"password_hash", "email", "password"} & set(schema.get("properties", {}))
    # Swagger UI is off unless PICKVS_API_DOCS: tests/api/test_security_headers.py.


def test_unknown_routes_and_methods_are_json(client) -> None:
    assert assert_error(client.get("/api/nothing-here"), 404)["detail"] == "Not Found"
    assert_error(client.get("/"), 404)
    assert_error(client.put("/api/leaderboard"), 405)
    assert_error(client.get("/api/picks"), 405)


def test_the_module_level_app_is_importable() -> None:
    from pickvs.api import app

    assert isinstance(app, FastAPI)
    assert {(m, path) for path, ops in app.openapi()["paths"].items() for m in ops} == ROUTES


def test_the_clock_can_be_overridden_as_a_dependency(app, client, clock) -> None:
    token = register(client, "ann")
    app.dependency_overrides[get_clock] = lambda: FixedClock(clock.now() + timedelta(days=8))
    assert_error(client.get("/api/picks/me", headers=bearer(token)), 401)
    app.dependency_overrides.clear()
    assert client.get("/api/picks/me", headers=bearer(token)).status_code == 200
