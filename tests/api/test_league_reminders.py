"""The league's daily reminder over the JSON API (additive fields on the league settings
routes), on SQLite and PostgreSQL: the owner sets, changes and clears it; members never see
the URL; a bad value is a 422 naming the field, with nothing changed."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import assert_error, bearer, register

HOOK = "https://discord.com/api/webhooks/1/secret"


def setup(client: Any) -> tuple[str, str, int]:
    ann, bob = register(client, "ann"), register(client, "bob")
    made = client.post("/api/leagues", json={"name": "Office"}, headers=bearer(ann))
    assert made.status_code == 201, made.text
    league = made.json()
    assert league["reminder"] is None  # off by default
    joined = client.post(
        "/api/leagues/join", json={"code": league["invite_code"]}, headers=bearer(bob)
    )
    assert joined.status_code == 200 and joined.json()["reminder"] is None
    return ann, bob, int(league["id"])


def patch(client: Any, token: str, league_id: int, **body: Any) -> Any:
    return client.patch(f"/api/leagues/{league_id}", json=body, headers=bearer(token))


def test_the_owner_sets_changes_and_clears_the_reminder(client) -> None:
    ann, bob, league_id = setup(client)
    response = patch(client, ann, league_id, reminder_url=HOOK)
    assert response.status_code == 200, response.text
    assert response.json()["reminder"] == {"url": HOOK, "format": "json", "minutes": 60}
    response = patch(client, ann, league_id, reminder_format="ntfy", reminder_minutes=30)
    assert response.json()["reminder"] == {"url": HOOK, "format": "ntfy", "minutes": 30}
    # Other settings in the same request change too, and the reminder stays as it was.
    response = patch(client, ann, league_id, daily_cap=3)
    assert response.json()["settings"]["daily_cap"] == 3
    assert response.json()["reminder"] == {"url": HOOK, "format": "ntfy", "minutes": 30}
    got = client.get(f"/api/leagues/{league_id}", headers=bearer(ann)).json()
    assert got["reminder"] == {"url": HOOK, "format": "ntfy", "minutes": 30}
    # A member sees the league, never the webhook.
    seen = client.get(f"/api/leagues/{league_id}", headers=bearer(bob)).json()
    assert seen["reminder"] is None and seen["invite_code"] is None
    cleared = patch(client, ann, league_id, reminder_url=None)
    assert cleared.status_code == 200 and cleared.json()["reminder"] is None
    assert patch(client, ann, league_id, reminder_url=HOOK).json()["reminder"]["minutes"] == 60
    assert patch(client, ann, league_id, reminder_url="").json()["reminder"] is None


def test_a_member_cannot_set_it(client) -> None:
    ann, bob, league_id = setup(client)
    assert_error(patch(client, bob, league_id, reminder_url=HOOK), 403)
    stranger = register(client, "cyd")
    assert_error(patch(client, stranger, league_id, reminder_url=HOOK), 403)
    assert client.get(f"/api/leagues/{league_id}", headers=bearer(ann)).json()["reminder"] is None


def test_bad_values_are_422_naming_the_field_and_change_nothing(client) -> None:
    ann, _, league_id = setup(client)
    assert patch(client, ann, league_id, reminder_url=HOOK).status_code == 200
    cases = (
        ({"reminder_url": "ftp://example.com/hook"}, "reminder_url", "https://"),
        ({"reminder_url": "example.com/hook"}, "reminder_url", "full address"),
        ({"reminder_url": " " + HOOK}, "reminder_url", "spaces"),
        ({"reminder_format": "xml"}, "reminder_format", ""),
        ({"reminder_minutes": 721}, "reminder_minutes", ""),
        ({"reminder_minutes": "60"}, "reminder_minutes", ""),
        # All or nothing: a good setting beside a bad URL is not saved either.
        ({"daily_cap": 2, "reminder_url": "javascript:alert(1)"}, "reminder_url", "https://"),
    )
    for body, field, says in cases:
        error = assert_error(patch(client, ann, league_id, **body), 422)
        assert error["field"] == field, error
        assert says in error["detail"], error
    got = client.get(f"/api/leagues/{league_id}", headers=bearer(ann)).json()
    assert got["reminder"] == {"url": HOOK, "format": "json", "minutes": 60}
    assert got["settings"]["daily_cap"] is None


def test_format_or_minutes_alone_need_a_url_first(client) -> None:
    ann, _, league_id = setup(client)
    error = assert_error(patch(client, ann, league_id, reminder_minutes=30), 422)
    assert error["field"] == "reminder_url" and "reminder_url" in error["detail"]
