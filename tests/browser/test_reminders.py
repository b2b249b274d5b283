"""The daily reminder forms in a real browser, on the production build: a league's owner sets an
ntfy reminder, sees a bad URL refused beside the field, and turns it off; an admin sets the
instance's. What the forms save is read back from the database."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlmodel import Session

from pickvs import db
from pickvs.models import AppSetting, League, User
from tests.browser.conftest import RunningApp, register
from tests.browser.test_leagues import log_in

pytestmark = pytest.mark.browser

HOOK = "https://ntfy.sh/pickvs-office-test"


def league_row(app: RunningApp, league_id: int) -> League:
    engine = db.make_engine(app.database_url)
    try:
        with Session(engine) as session:
            league = session.get(League, league_id)
            assert league is not None
            return league
    finally:
        engine.dispose()


def test_the_owner_sets_and_turns_off_the_league_reminder(new_page, pickvs_app: RunningApp) -> None:
    name = f"rem{uuid.uuid4().hex[:6]}"
    page: Page = new_page()
    token = register(page, name)
    made = page.request.post(
        "/api/leagues", data={"name": "Reminded"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert made.status == 201, made.text()
    league_id = int(made.json()["id"])
    log_in(page, name)
    page.goto(f"/leagues/{league_id}")
    box = page.locator("#league-reminder")
    expect(box.locator("#league-reminder-summary")).to_contain_text("Off.")

    box.get_by_label("Webhook URL").fill("ftp://ntfy.sh/x")
    box.get_by_role("button", name="Save reminder").click()
    expect(box.locator("#reminder_url-error")).to_contain_text("must start with https://")
    assert league_row(pickvs_app, league_id).reminder_url is None

    box.get_by_label("Webhook URL").fill(HOOK)
    box.get_by_label("Format").select_option("ntfy")
    box.get_by_label("Minutes before the first lock").fill("30")
    box.get_by_role("button", name="Save reminder").click()
    expect(box.locator("#league-reminder-summary")).to_have_text(
        "On: a ntfy post 30 minutes before the day's first lock, naming who has not picked."
    )
    saved = league_row(pickvs_app, league_id)
    assert (saved.reminder_url, saved.reminder_format, saved.reminder_minutes) == (HOOK, "ntfy", 30)

    box.get_by_role("button", name="Turn off").click()
    expect(box.locator("#league-reminder-summary")).to_contain_text("Off.")
    expect(box.get_by_label("Webhook URL")).to_have_value("")
    assert league_row(pickvs_app, league_id).reminder_url is None


def test_an_admin_sets_the_instance_reminder(new_page, pickvs_app: RunningApp) -> None:
    name = f"adm{uuid.uuid4().hex[:6]}"
    page: Page = new_page()
    register(page, name)
    engine = db.make_engine(pickvs_app.database_url)
    try:
        with Session(engine) as session:
            user = session.execute(select(User).where(User.username == name)).scalar_one()
            user.is_admin = True
            session.commit()
        log_in(page, name)
        page.goto("/admin")
        box = page.locator("#instance-reminder")
        expect(box.locator("#instance-reminder-summary")).to_contain_text("Off.")
        box.get_by_label("Webhook URL").fill("https://hooks.slack.com/services/T0/B0/X")
        box.get_by_role("button", name="Save reminder").click()
        expect(box.locator("#instance-reminder-summary")).to_contain_text("On: a Discord / Slack")
        with Session(engine) as session:
            stored = dict(session.execute(select(AppSetting.key, AppSetting.value)).all())
        assert stored == {
            "reminder.url": "https://hooks.slack.com/services/T0/B0/X",
            "reminder.format": "json",
            "reminder.minutes": "60",
        }
    finally:
        engine.dispose()
