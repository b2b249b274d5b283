"""Sessions in a real browser: what the socket carries when the player changes in a tab, and
log-out everywhere.

Every frame the backend sends a tab is captured (Playwright's websocket events) and decoded; a
frame sent after the switch must carry none of the previous player's private values: alice's
pick ids in My picks' rows, or any admin row.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from pickvs import db
from pickvs.models import utcnow
from pickvs.services import admin
from pickvs.services.users import get_by_username
from pickvs.state.admin import AdminState
from pickvs.state.picks import MyPicksState
from tests.browser.conftest import RunningApp
from tests.services.builders import make_game, make_picks

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PICKS_KEY = MyPicksState.get_full_name()
ADMIN_KEY = AdminState.get_full_name()


def new_name() -> str:
    return f"s{uuid.uuid4().hex[:10]}"


@dataclass
class Frames:
    """Deltas received by one page over its sockets, in order."""

    deltas: list[dict[str, Any]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    def listen(self, page: Page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        text = payload.decode() if isinstance(payload, bytes) else payload
        self.raw.append(text)
        # socket.io: packet type and namespace, e.g. 42/_event,["event", {"delta": ...}]
        packet = re.match(r"^\d+(?:/[^,\[]*,)?(\[.*)$", text, re.DOTALL)
        if packet is None:
            return
        message = json.loads(packet.group(1))
        if len(message) > 1 and isinstance(message[1], dict) and "delta" in message[1]:
            self.deltas.append(message[1]["delta"])

    def mark(self) -> int:
        return len(self.deltas)


def private_values(delta: dict[str, Any], pick_ids: list[int]) -> list[str]:
    """What of alice's a delta carries: her pick ids in My picks, any admin row or credit."""
    found = []
    for row in delta.get(PICKS_KEY, {}).get("rows_rx_state_", []):
        if row.get("id") in pick_ids:
            found.append(f"my pick {row['id']}")
    admin_state = delta.get(ADMIN_KEY, {})
    for section, rows in (admin_state.get("rows_rx_state_") or {}).items():
        if rows:
            found.append(f"{len(rows)} admin {section} rows")
    if admin_state.get("credits_rx_state_"):
        found.append("admin credit figures")
    return found


@dataclass(frozen=True)
class League:
    alice: str
    bob: str
    pick_ids: list[int]


@pytest.fixture
def league(pickvs_app: RunningApp) -> Iterator[League]:
    """alice, an admin with two open picks on a game tonight; bob, a player."""
    alice, bob = new_name(), new_name()
    now = utcnow()
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            from pickvs.services import auth

            users = {
                name: auth.register(session, f"{name}@example.com", name, PASSWORD, now)
                for name in (alice, bob)
            }
            admin.make_admin(session, alice)
            game_id = f"sess-{alice}"
            make_game(session, game_id, now + timedelta(hours=6), fetched_at=now)
            picks = make_picks(
                session,
                users[alice],
                now,
                (game_id, "h2h", "Boston Celtics"),
                (game_id, "totals", "Over"),
            )
            session.commit()
            assert get_by_username(session, alice) is not None
            yield League(alice, bob, [pick.id for pick in picks if pick.id is not None])
    finally:
        engine.dispose()


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#nav-username")).to_have_text(username)


def open_alices_pages(page: Page, league: League) -> None:
    """alice sees her picks and the admin page's rows in this tab."""
    log_in(page, league.alice)
    page.goto("/picks")
    expect(page.locator(f"#pick-{league.pick_ids[0]}")).to_be_visible()
    page.goto("/admin")
    expect(page.locator("#games-table")).to_be_visible()


def test_signing_in_as_another_player_in_the_same_tab_sends_nothing_of_the_previous_one(
    new_page: Callable[..., Page], league: League
) -> None:
    page = new_page()
    frames = Frames()
    frames.listen(page)
    open_alices_pages(page, league)
    assert any(private_values(d, league.pick_ids) for d in frames.deltas), [  # the check sees
        r[:300] for r in frames.raw
    ]

    page.goto("/login")  # alice is still logged in
    # The new page's snapshot (alice's own values, hers to see) must be in before the mark: on
    # a loaded machine it can arrive after the form is filled in.
    expect(page.locator("#nav-username")).to_have_text(league.alice)
    page.get_by_label("Username or email").fill(league.bob)
    page.get_by_label("Password").fill(PASSWORD)
    switch = frames.mark()
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#nav-username")).to_have_text(league.bob)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My picks").click()
    expect(page.locator("#picks-empty")).to_be_visible()
    page.reload()  # a new socket: the full snapshot
    expect(page.locator("#picks-empty")).to_be_visible()
    page.goto("/admin")  # not an admin: the not-found page, after a full snapshot
    expect(page).to_have_url(re.compile(r"/404$"))

    leaked = [v for d in frames.deltas[switch:] for v in private_values(d, league.pick_ids)]
    assert leaked == []
    assert len(frames.deltas) > switch + 3


def test_log_out_in_another_tab_clears_the_admin_page_here(
    new_page: Callable[..., Page], league: League
) -> None:
    page = new_page()
    frames = Frames()
    frames.listen(page)
    open_alices_pages(page, league)
    expect(page.locator("#games-table tbody tr").first).to_be_visible()

    other = page.context.new_page()
    other.goto("/")
    expect(other.locator("#nav-username")).to_have_text(league.alice)
    switch = frames.mark()
    other.get_by_role("button", name="Log out").click()
    expect(other).to_have_url(re.compile(r"/login$"))

    expect(page.locator("#nav-username")).to_have_count(0)  # this tab follows at once
    expect(page.locator("#games-table tbody tr")).to_have_count(0)  # and holds no admin row
    # ...and says so, with the way back, rather than spinning until the next navigation.
    expect(page.locator("#logged-out")).to_be_visible()
    page.locator("#logged-out-login").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    after = frames.deltas[switch:]
    assert after, "the log-out never reached this tab"
    assert [v for d in after for v in private_values(d, league.pick_ids)] == []
    assert any(ADMIN_KEY in d for d in after)  # the admin values were reset, not left


def test_log_out_everywhere_ends_the_sessions_of_every_device(
    new_page: Callable[..., Page], league: League, pickvs_app: RunningApp
) -> None:
    phone, laptop = new_page("phone"), new_page()  # two devices: separate browser storage
    log_in(phone, league.bob)
    log_in(laptop, league.bob)
    phone_token = phone.evaluate("() => localStorage.getItem('pickvs_token')")
    assert phone.request.get("/api/picks/me", headers={"Authorization": f"Bearer {phone_token}"}).ok

    laptop.goto(f"/u/{league.alice}")  # someone else's profile offers no such button
    expect(laptop.locator("#profile")).to_be_visible()
    expect(laptop.locator("#logout-everywhere")).to_have_count(0)
    laptop.goto(f"/u/{league.bob}")
    laptop.locator("#logout-everywhere").click()
    expect(laptop).to_have_url(re.compile(r"/login$"))

    copied = phone.request.get("/api/picks/me", headers={"Authorization": f"Bearer {phone_token}"})
    assert copied.status == 401
    phone.goto("/picks")  # the phone still holds its token; the server no longer honours it
    expect(phone).to_have_url(re.compile(r"/login\?next=/picks/?$"))
    expect(phone.locator("#nav-username")).to_have_count(0)
