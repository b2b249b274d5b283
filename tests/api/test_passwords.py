"""Sign-up's password rule over HTTP: the minimum counts characters, whitespace alone is refused,
bcrypt's maximum is said in bytes; a refused sign-up creates no account."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error, bearer


def _sign_up(client, password: str):
    return client.post(
        "/auth/register",
        json={"email": "ann@example.com", "username": "ann", "password": password},
    )


@pytest.mark.parametrize(
    ("password", "detail"),
    [
        ("€€€", "Password must be at least 8 characters."),  # 9 bytes, 3 characters
        ("é" * 7, "Password must be at least 8 characters."),  # 14 bytes, 7 characters
        (" " * 8, "Password cannot be only spaces."),
        ("\t" * 4 + " " * 4, "Password cannot be only spaces."),
        ("é" * 37, "Password must be at most 72 bytes."),  # 37 characters, 74 bytes
    ],
)
def test_sign_up_refuses_the_password_and_creates_nobody(client, password, detail) -> None:
    body = assert_error(_sign_up(client, password), 422)
    assert (body["field"], body["detail"]) == ("password", detail)
    # Nothing was created: the same name and email sign up with a good password afterwards.
    assert _sign_up(client, "correct-horse-battery").status_code == 201


@pytest.mark.parametrize("password", ["é" * 8, "€" * 24, "  two words  "])
def test_sign_up_accepts_eight_characters_in_any_script(client, password) -> None:
    response = _sign_up(client, password)
    assert response.status_code == 201, response.text
    login = client.post("/auth/login", json={"username": "ann", "password": password})
    assert login.status_code == 200, login.text
    assert client.get("/api/picks/me", headers=bearer(login.json()["token"])).status_code == 200
