"""The OpenAPI document says what the API does: its error body, its statuses, optional auth, and
input rules that agree with the server value by value (the document's verdict on a request,
checked with a JSON Schema validator, is the server's). tests/api/test_contract.py runs
schemathesis against the whole of it; these pin each promise on its own."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from fastapi import APIRouter

from pickvs.api.deps import CurrentUser, OptionalUser, SessionDep
from pickvs.domain import accounts
from pickvs.domain.markets import MARKETS
from pickvs.services.picks import MAX_BATCH
from tests.api.helpers import PASSWORD, assert_error, bearer, celtics_game, register

# Every status each operation can answer (besides 500), worked out from the routes, their
# dependencies and services: 400/413 where a body is read, 401 where a token is, 503 where the
# database is used.
STATUSES = {
    ("post", "/auth/register"): {"201", "400", "409", "413", "422", "503"},
    ("post", "/auth/login"): {"200", "400", "401", "413", "422", "429", "503"},
    ("get", "/api/games/upcoming"): {"200", "401", "503"},
    ("get", "/api/games/{game_id}/picks"): {"200", "403", "404", "422", "503"},
    ("post", "/api/picks"): {"201", "400", "401", "404", "409", "413", "422", "503"},
    ("delete", "/api/picks/{pick_id}"): {"204", "401", "404", "409", "422", "503"},
    ("get", "/api/picks/me"): {"200", "401", "422", "503"},
    ("get", "/api/leaderboard"): {"200", "422", "503"},
    ("get", "/api/picks/me.csv"): {"200", "401", "503"},
    ("post", "/api/leagues"): {"201", "400", "401", "413", "422", "503"},
    ("get", "/api/leagues"): {"200", "401", "503"},
    ("post", "/api/leagues/join"): {"200", "400", "401", "404", "409", "413", "422", "503"},
    ("get", "/api/leagues/{league_id}"): {"200", "401", "403", "404", "422", "503"},
    ("patch", "/api/leagues/{league_id}"): {
        *("200", "400", "401", "403", "404", "413", "422", "503"),
    },
    ("post", "/api/leagues/{league_id}/join"): {
        *("200", "400", "401", "404", "409", "413", "422", "503"),
    },
    ("post", "/api/leagues/{league_id}/leave"): {"204", "401", "403", "404", "409", "422", "503"},
    ("delete", "/api/leagues/{league_id}/members/{username}"): {
        *("204", "401", "403", "404", "422", "503"),
    },
    ("post", "/api/leagues/{league_id}/code"): {"200", "401", "403", "404", "422", "503"},
    ("post", "/api/leagues/{league_id}/owner"): {
        *("200", "400", "401", "403", "404", "413", "422", "503"),
    },
    ("get", "/api/leagues/{league_id}/members"): {"200", "401", "403", "404", "422", "503"},
    ("get", "/api/leagues/{league_id}/board"): {"200", "401", "403", "404", "422", "503"},
    ("get", "/api/leagues/{league_id}/picks"): {"200", "401", "403", "404", "422", "503"},
    ("get", "/api/leagues/{league_id}/picks.csv"): {"200", "401", "403", "404", "422", "503"},
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def spec(client) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return spec["paths"][path][method]


def body_validator(spec: dict[str, Any], method: str, path: str) -> Any:
    """A JSON Schema validator for the operation's request body, as the document states it."""
    body = operation(spec, method, path)["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**body, "components": spec["components"]})


def error_validator(spec: dict[str, Any]) -> Any:
    return jsonschema_rs.validator_for({**ERROR_REF, "components": spec["components"]})


def test_every_error_is_documented_as_errorout_never_fastapis_default(spec) -> None:
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorOut"]["required"]) == {"detail"}
    assert schemas["ErrorOut"]["properties"]["detail"]["type"] == "string"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for code, response in op["responses"].items():
                if int(code) < 400 or (path, code) == ("/health", "503"):
                    continue  # /health's 503 answers with the health report itself
                schema = response["content"]["application/json"]["schema"]
                assert schema == ERROR_REF, (method, path, code)


def test_a_real_422_matches_the_documented_body(client, spec) -> None:
    """FastAPI's document said `detail` is a list; the app sends a string, and now says so."""
    response = client.get("/api/leaderboard?period=yesterday")
    body = assert_error(response, 422)
    assert error_validator(spec).is_valid(body), body
    assert body["field"] == "period" and body["errors"][0]["field"] == "period"


@pytest.mark.parametrize(("method", "path"), sorted(STATUSES))
def test_each_operation_lists_the_statuses_it_answers(spec, method, path) -> None:
    assert set(operation(spec, method, path)["responses"]) == STATUSES[(method, path)]


def test_error_headers_are_declared_where_they_are_always_sent(spec) -> None:
    login = operation(spec, "post", "/auth/login")["responses"]
    assert login["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert login["429"]["headers"]["Retry-After"]["required"] is True
    picks = operation(spec, "post", "/api/picks")["responses"]
    assert picks["401"]["headers"]["WWW-Authenticate"]["schema"]["enum"] == ["Bearer"]
    assert picks["503"]["headers"]["Retry-After"]["required"] is True


def test_the_slate_takes_a_token_but_does_not_need_one(client, spec, clock) -> None:
    celtics_game(clock)
    assert operation(spec, "get", "/api/games/upcoming")["security"] == [{"Bearer": []}, {}]
    anonymous = client.get("/api/games/upcoming")
    assert anonymous.status_code == 200 and anonymous.json()[0]["my_picks"] == []
    assert_error(client.get("/api/games/upcoming", headers=bearer("not-a-token")), 401)
    # Routes that need a player still say so, with no anonymous alternative.
    for method, path in [("post", "/api/picks"), ("get", "/api/picks/me")]:
        assert operation(spec, method, path)["security"] == [{"Bearer": []}]
    for method, path in [("post", "/auth/login"), ("get", "/api/leaderboard")]:
        assert "security" not in operation(spec, method, path)


def test_sign_up_rules_are_the_domains(spec) -> None:
    fields = spec["components"]["schemas"]["RegisterIn"]["properties"]
    assert fields["username"]["pattern"] == f"^{accounts.USERNAME_RE.pattern}$"
    assert (fields["username"]["minLength"], fields["username"]["maxLength"]) == (3, 20)
    assert fields["email"]["maxLength"] == 254
    password = fields["password"]
    assert (password["minLength"], password["maxLength"]) == (8, accounts.PASSWORD_MAX_BYTES)
    assert "72 bytes" in password["description"]
    # The document's minimum is the domain's: 7 characters refused, 8 accepted.
    assert accounts.password_problem("a" * 7) and not accounts.password_problem("a" * 8)


def test_pick_rules_enums_and_list_sizes(spec) -> None:
    body = operation(spec, "post", "/api/picks")["requestBody"]["content"]["application/json"]
    assert (body["schema"]["minItems"], body["schema"]["maxItems"]) == (1, MAX_BATCH)
    pick = spec["components"]["schemas"]["PickIn"]["properties"]
    assert pick["market"]["enum"] == list(MARKETS)
    assert pick["selection"]["minLength"] == 1
    period = operation(spec, "get", "/api/leaderboard")["parameters"][0]
    assert period["name"] == "period" and period["schema"]["enum"] == ["all", "month", "week"]


SIGN_UPS = [
    # (email, username, password): the document and the server must agree on each.
    ("ann@example.com", "ann", PASSWORD),
    ("ann@example.com", "ab", PASSWORD),
    ("ann@example.com", "a" * 21, PASSWORD),
    ("ann@example.com", " ann", PASSWORD),  # the API does not trim: refused, and said so
    ("ann@example.com", "ann\n", PASSWORD),
    ("ann@example.com", "Zoë", PASSWORD),
    ("ann@example", "ann", PASSWORD),
    ("ann\x85@example.com", "ann", PASSWORD),  # whitespace to Python, not to ECMA regexes
    ("ann\ufeff@example.com", "ann", PASSWORD),  # whitespace to ECMA regexes, not to Python
    ("a@" + "b" * 250 + ".com", "ann", PASSWORD),
    ("ann@example.com", "ann", "1234567"),
    ("ann@example.com", "ann", "12345678"),
    ("ann@example.com", "ann", "€€€"),  # 9 bytes but 3 characters
    ("ann@example.com", "ann", "€" * 8),
    ("ann@example.com", "ann", " " * 8),
    ("ann@example.com", "ann", "\u3000" * 8),  # ideographic spaces
    ("ann@example.com", "ann", "\ufeff" * 8),
    ("ann@example.com", "ann", "a" * 72),
    ("ann@example.com", "ann", "a" * 73),
]


@pytest.mark.parametrize(("email", "username", "password"), SIGN_UPS)
def test_the_document_and_the_server_agree_on_each_sign_up(
    client, spec, email, username, password
) -> None:
    payload = {"email": email, "username": username, "password": password}
    valid = body_validator(spec, "post", "/auth/register").is_valid(payload)
    response = client.post("/auth/register", json=payload)
    assert response.status_code == (201 if valid else 422), (valid, response.text)
    if not valid:
        assert error_validator(spec).is_valid(response.json())


def test_bcrypts_byte_limit_is_refused_though_the_schema_cannot_say_it(client, spec) -> None:
    """37 characters (within maxLength 72) but 73 bytes: the one rule left to the 422 and the
    field's description."""
    payload = {"email": "ann@example.com", "username": "ann", "password": "é" * 36 + "a"}
    assert body_validator(spec, "post", "/auth/register").is_valid(payload)
    body = assert_error(client.post("/auth/register", json=payload), 422)
    assert body["field"] == "password" and "72 bytes" in body["detail"]


LOG_INS = [
    ({"username": "ann"}, True),
    ({"email": "ann@example.com"}, True),
    ({"login": "", "username": "", "email": "ann@example.com"}, True),
    ({"username": None, "login": "ann"}, True),
    ({"login": "", "username": "", "email": ""}, False),
    ({"username": None}, False),
    ({}, False),
]


@pytest.mark.parametrize(("names", "valid"), LOG_INS)
def test_the_document_and_the_server_agree_on_each_log_in(client, spec, names, valid) -> None:
    register(client, "ann")
    payload = {**names, "password": PASSWORD}
    assert body_validator(spec, "post", "/auth/login").is_valid(payload) is valid
    assert client.post("/auth/login", json=payload).status_code == (200 if valid else 422)


@pytest.mark.parametrize(("count", "valid"), [(0, False), (1, True), (MAX_BATCH + 1, False)])
def test_the_document_and_the_server_agree_on_batch_sizes(
    client, spec, clock, count, valid
) -> None:
    celtics_game(clock)
    token = register(client, "ann")
    body = [{"game_id": "g-bos", "market": "h2h", "selection": "home"}] * count
    assert body_validator(spec, "post", "/api/picks").is_valid(body) is valid
    response = client.post("/api/picks", json=body, headers=bearer(token))
    assert response.status_code == (201 if valid else 422), response.text


def test_delete_on_the_list_of_my_picks_is_405_allowing_get(client) -> None:
    token = register(client, "ann")
    for method in ("DELETE", "OPTIONS", "POST"):
        response = client.request(method, "/api/picks/me", headers=bearer(token))
        assert_error(response, 405)
        assert response.headers["Allow"] == "GET"


def test_new_routes_are_described_too(app, spec) -> None:
    """The rewrite works from each route's dependencies, so a route added later is covered."""
    router = APIRouter()

    @router.post("/auth/example-needs-a-player")
    def needs(user: CurrentUser, session: SessionDep) -> None: ...

    @router.get("/api/example-takes-a-player")
    def takes(user: OptionalUser) -> None: ...

    app.include_router(router)
    app.openapi_schema = None
    fresh = app.openapi()
    needs_op = operation(fresh, "post", "/auth/example-needs-a-player")
    assert set(needs_op["responses"]) == {"200", "401", "503"}
    assert needs_op["security"] == [{"Bearer": []}]
    takes_op = operation(fresh, "get", "/api/example-takes-a-player")
    assert set(takes_op["responses"]) == {"200", "401", "503"}
    assert takes_op["security"] == [{"Bearer": []}, {}]
