"""Reminder settings over the real services, on SQLite and PostgreSQL: the league's owner only,
the instance's admin only, bad values refused with the field named and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from pickvs.domain.reminders import ReminderSettings
from pickvs.models import AppSetting, League
from pickvs.services import leagues, reminders
from pickvs.services.errors import Forbidden, InvalidInput, NotFound
from tests.services.builders import make_user, utc

NOW = utc("2026-11-22T12:00")
HOOK = "https://discord.com/api/webhooks/1/secret"


@pytest.fixture
def office(session: Session) -> dict[str, int]:
    ann, bob, cyd = (make_user(session, name, NOW) for name in ("ann", "bob", "cyd"))
    made = leagues.create_league(session, ann.id, "Office", now=NOW)
    leagues.join_league(session, bob.id, made.invite_code, NOW)
    return {"league": made.id, "ann": ann.id, "bob": bob.id, "cyd": cyd.id}


def test_off_by_default_then_set_and_cleared_by_the_owner(
    session: Session, office: dict[str, int]
) -> None:
    league, ann = office["league"], office["ann"]
    assert leagues.league_reminder(session, league, ann) is None
    saved = leagues.set_league_reminder(session, league, ann, f" {HOOK} ", "ntfy", 30, now=NOW)
    assert saved == ReminderSettings(HOOK, "ntfy", 30)
    assert leagues.league_reminder(session, league, ann) == saved
    stored = session.get(League, league)
    assert stored is not None
    assert (stored.reminder_url, stored.reminder_format, stored.reminder_minutes) == (
        HOOK,
        "ntfy",
        30,
    )
    assert leagues.set_league_reminder(session, league, ann, "", now=NOW) is None
    assert (stored.reminder_url, stored.reminder_format, stored.reminder_minutes) == (
        None,
        None,
        None,
    )
    # Defaults: json, an hour before the first lock.
    assert leagues.set_league_reminder(session, league, ann, HOOK, now=NOW) == ReminderSettings(
        HOOK, "json", 60
    )


def test_only_the_owner_reads_or_changes_it(session: Session, office: dict[str, int]) -> None:
    league = office["league"]
    leagues.set_league_reminder(session, league, office["ann"], HOOK, now=NOW)
    with pytest.raises(Forbidden):
        leagues.league_reminder(session, league, office["bob"])  # a member
    with pytest.raises(Forbidden):
        leagues.set_league_reminder(session, league, office["bob"], "", now=NOW)
    with pytest.raises(Forbidden):
        leagues.league_reminder(session, league, office["cyd"])  # not a member
    with pytest.raises(NotFound):
        leagues.league_reminder(session, league + 1, office["ann"])
    assert leagues.league_reminder(session, league, office["ann"]) == ReminderSettings(HOOK)


def test_a_bad_value_names_its_field_and_writes_nothing(
    session: Session, office: dict[str, int]
) -> None:
    league, ann = office["league"], office["ann"]
    leagues.set_league_reminder(session, league, ann, HOOK, now=NOW)
    cases = (
        ("ftp://example.com/x", "json", 60, "reminder_url", "must start with https://"),
        ("not a url", "json", 60, "reminder_url", "full address"),
        (HOOK, "xml", 60, "reminder_format", "json (Discord, Slack) or ntfy"),
        (HOOK, "json", 9999, "reminder_minutes", "from 0 to 720"),
    )
    for url, fmt, minutes, field, says in cases:
        with pytest.raises(InvalidInput) as refused:
            leagues.set_league_reminder(session, league, ann, url, fmt, minutes, now=NOW)
        assert refused.value.field == field and says in refused.value.message
    assert leagues.league_reminder(session, league, ann) == ReminderSettings(HOOK)


def test_the_instance_reminder_is_an_admins(session: Session, office: dict[str, int]) -> None:
    ann = session.get(leagues.User, office["ann"])
    assert ann is not None
    with pytest.raises(Forbidden):
        reminders.set_instance_reminder(session, office["ann"], HOOK, "json", 60, NOW)
    ann.is_admin = True
    session.flush()
    assert reminders.instance_reminder(session) is None
    saved = reminders.set_instance_reminder(session, office["ann"], HOOK, "ntfy", 45, NOW)
    assert saved == ReminderSettings(HOOK, "ntfy", 45)
    assert reminders.instance_reminder(session) == saved
    rows = session.execute(select(AppSetting.key, AppSetting.value).order_by(AppSetting.key)).all()
    assert [tuple(row) for row in rows] == [
        ("reminder.format", "ntfy"),
        ("reminder.minutes", "45"),
        ("reminder.url", HOOK),
    ]
    with pytest.raises(InvalidInput) as refused:
        reminders.set_instance_reminder(session, office["ann"], "gopher://x", "json", 60, NOW)
    assert refused.value.field == "url"
    assert reminders.instance_reminder(session) == saved
    assert reminders.set_instance_reminder(session, office["ann"], "", None, None, NOW) is None
    assert reminders.instance_reminder(session) is None
    assert session.execute(select(AppSetting)).first() is None
