"""The admin page in a real browser: an admin sees the job runs and the credit ledger, runs
"grade" now and sees the new run, settles a started game through the result form (a bad score
is refused beside its field first), copies a game's id, is offered no Settle on a game to come,
and a player who is not an admin gets the not-found page.

The admin, the player and the game are written straight into the server's database through the
services (the server runs on the real clock, so the game tipped 30 hours ago by the wall clock:
older than any demo game still waiting for a result, so it heads the "waiting" list).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from pickvs import db
from pickvs.services import admin
from tests.browser.conftest import RunningApp
from tests.services.builders import PASSWORD, Book, make_game, make_picks, make_user

pytestmark = pytest.mark.browser

MATCHUP = "Milwaukee Bucks @ Boston Celtics"  # the one name of a game, away @ home


def seed(pickvs_app: RunningApp, boss: str, player: str, game_id: str) -> None:
    """An admin, a player with a moneyline pick on a game that has started, and the same
    teams' game two days from now (`<game_id>-next`), in the server's DB."""
    tip = datetime.now(UTC) - timedelta(hours=30)
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            make_user(session, boss, tip - timedelta(days=2))
            admin.make_admin(session, boss)  # what `pickvs make-admin` does
            someone = make_user(session, player, tip - timedelta(days=2))
            make_game(session, game_id, tip, Book(), fetched_at=tip - timedelta(hours=6))
            make_picks(
                session, someone, tip - timedelta(hours=1), (game_id, "h2h", "Boston Celtics")
            )
            later = tip + timedelta(hours=78)
            make_game(session, f"{game_id}-next", later, Book(), fetched_at=tip)
            session.commit()
    finally:
        engine.dispose()


def recent_row(page: Page, text: str) -> Locator:
    """The row of "Recent games" holding `text`, turning its pages until it shows."""
    pager = page.locator("#games-pager")
    for _ in range(40):
        row = page.locator("#games-table tbody tr", has_text=text)
        if row.count():
            return row
        where = pager.inner_text()
        page.get_by_role("button", name="Next page of recent games").click()
        expect(pager).not_to_have_text(where)
    raise AssertionError(f"no row with {text!r} in Recent games")


def log_in(page: Page, username: str, target: str = "/admin") -> None:
    page.goto(f"/login?next={target}")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_admin_runs_grade_settles_a_game_and_others_get_not_found(
    pickvs_app: RunningApp,
    new_page: Callable[..., Page],
    screenshot: Callable[[Page, str], Path],
) -> None:
    tag = uuid.uuid4().hex[:8]
    boss, player, game_id = f"boss{tag}", f"fan{tag}", f"adm-{tag}"
    seed(pickvs_app, boss, player, game_id)

    page = new_page()
    log_in(page, boss)
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admin")).to_have_attribute("aria-current", "page")

    # The ledger: this month's figures and the demo note.
    credits = page.locator("#admin-credits")
    expect(credits.get_by_role("heading", name="Credits")).to_be_visible()
    expect(credits.get_by_text("Left in the budget")).to_be_visible()
    expect(page.locator("#credits-demo")).to_contain_text("cost no credits")
    expect(credits.get_by_role("progressbar")).to_be_visible()

    # Run "grade" now: the buttons wait for it, then the new run heads the list.
    page.get_by_role("button", name="Grade now").click()
    expect(page.locator("#job-status")).to_contain_text("grade: ok.")
    expect(page.get_by_role("button", name="Fetch odds now")).to_be_enabled()
    newest = page.locator("#runs-table tbody tr").first
    expect(newest).to_contain_text("grade")
    expect(newest).to_contain_text("manual")
    expect(newest.locator(".rt-Badge")).to_have_text("ok")

    # Our game heads both lists (the oldest waiting for a result), with its id to copy.
    waiting = page.locator("#settle-table")
    expect(waiting.locator("tbody tr").first).to_contain_text(game_id)
    recent_first = page.locator("#games-table tbody tr").first
    expect(recent_first).to_contain_text(MATCHUP)
    expect(recent_first).to_contain_text(game_id)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=pickvs_app.url)
    waiting.get_by_role("button", name=f"Copy the id of {MATCHUP}").click()
    assert page.evaluate("navigator.clipboard.readText()") == game_id

    # Settle it: a tie is refused (basketball), a bad score beside its field, then it goes in.
    waiting.get_by_role("button", name=f"Settle {MATCHUP}").first.click()
    dialog = page.get_by_role("dialog", name=f"Settle {MATCHUP}")
    expect(dialog).to_be_visible()
    away, home = dialog.get_by_label("Away score"), dialog.get_by_label("Home score")
    expect(away).to_be_focused()  # the boxes follow the name: away first
    away.fill("110")
    home.fill("110")
    dialog.get_by_role("button", name="Settle game").click()
    expect(dialog.locator("#away_score-error")).to_have_text(
        "NBA games cannot end tied (110-110); enter the final score after overtime."
    )
    away.fill("-3")
    dialog.get_by_role("button", name="Settle game").click()
    expect(dialog.locator("#away_score-error")).to_have_text(
        "The away score must be a whole number from 0 to 400."
    )
    expect(away).to_have_attribute("aria-invalid", "true")
    expect(away).to_be_focused()
    screenshot(page, "admin-settle-form")
    away.fill("102")
    dialog.get_by_role("button", name="Settle game").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#settle-notice")).to_contain_text(
        re.compile(rf"Settled {re.escape(MATCHUP)} 102-110: \d+ picks? graded")
    )
    expect(waiting.get_by_role("button", name=f"Settle {MATCHUP}")).to_have_count(0)

    # The game to come offers Void only: page through "Recent games" to its row.
    later = recent_row(page, f"{game_id}-next")
    expect(later.get_by_role("button", name=f"Void {MATCHUP}")).to_be_visible()
    expect(later.get_by_role("button", name=re.compile(r"^Settle "))).to_have_count(0)

    # Void asks first; Escape cancels and gives the keyboard back to the Void button.
    void = page.locator("#games-table").get_by_role("button", name=re.compile(r"^Void ")).first
    void.click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm.get_by_role("button", name="Keep the game")).to_be_visible()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(void).to_be_focused()
    screenshot(page, "admin-desktop")

    phone = new_page(viewport="phone")
    log_in(phone, boss)
    expect(phone.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    expect(phone.locator("#settle-notice")).to_be_attached()
    expect(phone.locator("#runs-table")).to_be_visible()
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375, f"the page scrolls sideways at 375 px ({page_width} px wide)"
    screenshot(phone, "admin-phone")

    # A player who is not an admin: the not-found view, no admin link.
    other = new_page()
    log_in(other, player)
    expect(other).to_have_url(re.compile(r"/404$"))
    expect(other.locator("#not-found")).to_be_visible()
    expect(other.get_by_role("button", name="Grade now")).to_have_count(0)
    nav = other.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
