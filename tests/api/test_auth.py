"""Sign-up, log-in, throttling and bearer tokens (the throttle's policy: tests/api/test_throttle.py)."""

from __future__ import annotations

import jwt
import pytest

from pickvs.domain.clock import FixedClock
from pickvs.domain.throttle import POLICY
from tests.api.helpers import PASSWORD, assert_error, bearer, login, register


def test_register_logs_the_player_in(client) -> None:
    response = client.post(
        "/auth/register",
        json={"email": "Ann@Example.com", "username": "Ann", "password": PASSWORD},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "token_type"} and body["token_type"] == "bearer"
    mine = client.get("/api/picks/me", headers=bearer(body["token"]))
    assert mine.status_code == 200 and mine.json() == []


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"email": "not-an-email", "username": "ann", "password": PASSWORD}, "email", "email"),
        ({"email": "ann@example.com", "username": "ab", "password": PASSWORD}, "username", "3-20"),
        ({"email": "ann@example.com", "username": "a b c", "password": PASSWORD}, "username", ""),
        ({"email": "ann@example.com", "username": "ann", "password": "short"}, "password", "8"),
        # 36 two-byte letters and one more: 37 characters but 73 bytes, one over bcrypt's limit.
        (
            {"email": "ann@example.com", "username": "ann", "password": "é" * 36 + "a"},
            "password",
            "72",
        ),
        ({"email": "ann@example.com", "username": "ann"}, "password", "required"),
        ({"email": "ann@example.com", "username": 123, "password": PASSWORD}, "username", "string"),
        ({"email": "ann\x00@example.com", "username": "ann", "password": PASSWORD}, "email", "NUL"),
    ],
)
def test_register_rejects_bad_fields_by_name(client, payload, field, words) -> None:
    body = assert_error(client.post("/auth/register", json=payload), 422)
    assert body["field"] == field
    assert words.lower() in body["detail"].lower()


def test_register_refuses_taken_username_in_any_case_and_taken_email(client) -> None:
    register(client, "Ann")
    again = {"email": "other@example.com", "username": "aNN", "password": PASSWORD}
    assert assert_error(client.post("/auth/register", json=again), 409)["field"] == "username"
    same_email = {"email": "ANN@example.COM", "username": "bob", "password": PASSWORD}
    assert assert_error(client.post("/auth/register", json=same_email), 409)["field"] == "email"


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "ann"},
        {"username": "ANN"},
        {"email": "ann@example.com"},
        {"email": "Ann@Example.COM"},
        {"login": "ann@example.com"},
        {"login": "Ann"},
    ],
)
def test_login_by_username_or_email(client, credentials) -> None:
    register(client, "Ann")
    response = client.post("/auth/login", json={**credentials, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/api/picks/me", headers=bearer(response.json()["token"])).status_code == 200


def test_wrong_password_and_unknown_account_are_the_same_401(client) -> None:
    register(client, "ann")
    wrong = client.post("/auth/login", json={"username": "ann", "password": "wrong-password"})
    nobody = client.post("/auth/login", json={"username": "nobody", "password": PASSWORD})
    for response in (wrong, nobody):
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.json()["detail"] == nobody.json()["detail"]


def test_login_without_a_name_is_422(client) -> None:
    body = assert_error(client.post("/auth/login", json={"password": PASSWORD}), 422)
    assert body["field"] == "username"


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "a" * 300, "password": PASSWORD},
        {"email": "ann\x00@example.com", "password": PASSWORD},
        {"username": ["ann"], "password": PASSWORD},
        {"username": "ann", "password": 12345678},
        {"username": "ann", "password": "p" * 2000},
    ],
)
def test_hostile_login_bodies_are_422_not_500(client, payload) -> None:
    assert_error(client.post("/auth/login", json=payload), 422)


def test_sixth_attempt_is_throttled_even_with_the_right_password(
    client, other_client, clock: FixedClock
) -> None:
    register(client, "ann")
    for _ in range(5):
        bad = client.post("/auth/login", json={"username": "ann", "password": "wrong-password"})
        assert_error(bad, 401)
    right = {"username": "ann", "password": PASSWORD}
    throttled = client.post("/auth/login", json=right)
    assert "wait 1 minute" in assert_error(throttled, 429)["detail"]
    assert throttled.headers["Retry-After"] == "60"
    # Only the client that failed waits: ann from another address is let in.
    assert other_client.post("/auth/login", json=right).status_code == 200
    clock.advance(minutes=1)
    assert client.post("/auth/login", json=right).status_code == 200


def test_a_client_guessing_across_accounts_is_throttled(client, other_client) -> None:
    register(client, "ann")
    for n in range(POLICY.client_budget):
        wrong = {"username": f"name{n}", "password": "x" * 8}
        assert_error(client.post("/auth/login", json=wrong), 401)
    right = {"username": "ann", "password": PASSWORD}
    assert_error(client.post("/auth/login", json=right), 429)
    assert other_client.post("/auth/login", json=right).status_code == 200


def test_token_expires_after_a_week_of_the_injected_clock(client, clock: FixedClock) -> None:
    token = register(client, "ann")
    clock.advance(days=6)
    assert client.get("/api/picks/me", headers=bearer(token)).status_code == 200
    clock.advance(days=2)
    expired = client.get("/api/picks/me", headers=bearer(token))
    assert "expired" in assert_error(expired, 401)["detail"]
    assert expired.headers["WWW-Authenticate"] == "Bearer"


def test_forged_malformed_and_missing_tokens_are_401(client, clock: FixedClock) -> None:
    register(client, "ann")
    now = int(clock.now().timestamp())
    forged = jwt.encode({"sub": "1", "exp": now + 3600}, "not-the-server-key-" * 3, "HS256")
    unsigned = jwt.encode({"sub": "1", "exp": now + 3600}, None, "none")
    for headers in (
        bearer(forged),
        bearer(unsigned),
        bearer("garbage"),
        {"Authorization": "Basic YW5uOnB3"},
        {},
    ):
        response = client.get("/api/picks/me", headers=headers)
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_token_of_a_removed_account_is_401(client, clock: FixedClock) -> None:
    token = register(client, "ann")
    stranger = jwt.decode(token, options={"verify_signature": False})
    from pickvs.config import settings

    ghost = jwt.encode({**stranger, "sub": "999999"}, settings.secret_key, "HS256")
    assert_error(client.get("/api/picks/me", headers=bearer(ghost)), 401)


# --- sessions: log-out ends a token on the server -------------------------------------------


def test_logout_ends_that_token_everywhere_it_was_copied(client) -> None:
    token = register(client, "ann")
    other = login(client, "ann")  # a second log-in, e.g. on a phone

    response = client.post("/auth/logout", headers=bearer(token))

    assert response.status_code == 204 and response.content == b""
    refused = client.get("/api/picks/me", headers=bearer(token))
    assert "logged out" in assert_error(refused, 401)["detail"]
    assert client.get("/api/picks/me", headers=bearer(other)).status_code == 200
    assert_error(client.post("/auth/logout", headers=bearer(token)), 401)  # already ended
    assert_error(client.post("/auth/logout"), 401)


def test_logout_all_ends_every_session_of_the_player(client) -> None:
    first, second = register(client, "ann"), login(client, "ann")
    bobs = register(client, "bob")

    assert client.post("/auth/logout-all", headers=bearer(second)).status_code == 204

    for token in (first, second):
        assert_error(client.get("/api/picks/me", headers=bearer(token)), 401)
    assert client.get("/api/picks/me", headers=bearer(bobs)).status_code == 200
    assert client.get("/api/picks/me", headers=bearer(login(client, "ann"))).status_code == 200
    assert_error(client.post("/auth/logout-all", headers=bearer(first)), 401)


@pytest.mark.parametrize("subject", ["abc", "-1", str(10**30), 10**30, ["1"], {"id": 1}, None])
def test_a_signed_token_with_an_absurd_subject_is_401_not_500(client, subject) -> None:
    from pickvs.config import settings

    claims = jwt.decode(register(client, "ann"), options={"verify_signature": False})
    odd = jwt.encode({**claims, "sub": subject}, settings.secret_key, "HS256")
    for request in (
        lambda: client.get("/api/picks/me", headers=bearer(odd)),
        lambda: client.get("/api/games/upcoming", headers=bearer(odd)),
        lambda: client.post("/auth/logout", headers=bearer(odd)),
    ):
        response = request()
        assert_error(response, 401)


def test_a_token_from_before_sessions_is_refused(client) -> None:
    """Tokens issued before migration 0005 name no session: their players log in again."""
    from pickvs.config import settings

    claims = jwt.decode(register(client, "ann"), options={"verify_signature": False})
    legacy = jwt.encode({k: v for k, v in claims.items() if k != "sid"}, settings.secret_key)
    assert_error(client.get("/api/picks/me", headers=bearer(legacy)), 401)
