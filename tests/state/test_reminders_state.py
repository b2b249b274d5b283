"""The reminder forms' handlers, called directly on SQLite and PostgreSQL: the league's owner
and the instance's admin set and clear their reminder; nobody else ever receives the webhook
URL (it is a credential) or changes it, even by calling the handler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.domain.clock import FixedClock
from pickvs.domain.reminders import ReminderSettings
from pickvs.jobs import reminders as reminder_job
from pickvs.models import User
from pickvs.services import jobruns, leagues, reminders
from pickvs.state.reminders import InstanceReminderState, LeagueReminderState
from tests.services.builders import make_user, utc
from tests.state.conftest import events_named, focused, issue_token, run
from tests.webhook_receiver import WebhookReceiver

MakeState = Callable[..., Any]
HOOK = "https://discord.com/api/webhooks/1/secret"
NOW = utc("2026-11-22T12:00")


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    league_id: int


@pytest.fixture
def world(engine: Engine, clock: FixedClock) -> World:
    with db.session_scope() as session:
        users = {name: make_user(session, name, NOW) for name in ("alice", "bob", "root")}
        users["root"].is_admin = True
        made = leagues.create_league(session, users["alice"].id, "Office", now=NOW)
        assert made.invite_code is not None
        leagues.join_league(session, users["bob"].id, made.invite_code, NOW)
        return World(users, made.id)


def league_form(make_state: MakeState, world: World, name: str, clock: FixedClock) -> Any:
    state = make_state(LeagueReminderState, url=f"/leagues/{world.league_id}")
    state.token = issue_token(world.users[name], clock.now())
    assert run(state.load()) is None
    assert state.loaded
    return state


def stored(world: World) -> ReminderSettings | None:
    with db.session_scope() as session:
        return leagues.league_reminder(session, world.league_id, world.users["alice"].id)


def alice_saves_the_hook(world: World) -> None:
    """The owner's reminder is already set (through the service, not the form)."""
    with db.session_scope() as session:
        leagues.set_league_reminder(
            session, world.league_id, world.users["alice"].id, HOOK, now=NOW
        )


def test_the_owner_sets_and_turns_off_the_reminder(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    state = league_form(make_state, world, "alice", clock)
    assert state.allowed and state.url == "" and state.format == "json" and state.minutes == "60"
    assert state.summary == "Off. Add a webhook to post a daily reminder."
    form = {"reminder_url": HOOK, "reminder_format": "ntfy", "reminder_minutes": "30"}
    assert run(state.save(form)) is None
    assert state.notice == "Reminder saved." and state.error_message == ""
    assert (state.url, state.format, state.minutes) == (HOOK, "ntfy", "30")
    assert state.summary == (
        "On: a ntfy post 30 minutes before the day's first lock, naming who has not picked."
    )
    assert stored(world) == ReminderSettings(HOOK, "ntfy", 30)
    events = run(state.turn_off())
    assert events_named(events, "set_value") == [{"ref": "ref_reminder_url", "value": ""}]
    assert state.notice == "Reminder off." and state.url == ""
    assert stored(world) is None


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"reminder_url": "ftp://x.org/hook"}, "reminder_url", "must start with https://"),
        ({"reminder_url": "discord.com/x"}, "reminder_url", "full address"),
        ({"reminder_url": HOOK, "reminder_minutes": "soon"}, "reminder_minutes", "0 to 720"),
        ({"reminder_url": HOOK, "reminder_minutes": "721"}, "reminder_minutes", "0 to 720"),
        ({"reminder_url": HOOK, "reminder_format": "xml"}, "reminder_format", "ntfy"),
    ],
)
def test_a_bad_value_is_shown_beside_its_field_and_nothing_changes(
    make_state: MakeState,
    world: World,
    clock: FixedClock,
    form: dict[str, str],
    field: str,
    says: str,
) -> None:
    state = league_form(make_state, world, "alice", clock)
    events = run(state.save(form))
    assert state.error_field == field and says in state.error_message
    assert focused(events) == [field]
    assert state.notice == "" and stored(world) is None


def test_a_member_never_gets_the_url_nor_changes_it(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice_saves_the_hook(world)
    state = league_form(make_state, world, "bob", clock)
    assert not state.allowed and state.url == "" and state.summary == ""
    assert run(state.save({"reminder_url": "https://evil.example/hook"})) is None
    assert state.notice == "Only the league's owner can do that." and state.url == ""
    assert stored(world) == ReminderSettings(HOOK)


def test_a_change_of_player_drops_the_url(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    alice_saves_the_hook(world)
    state = league_form(make_state, world, "alice", clock)
    assert state.url == HOOK
    state.token = issue_token(world.users["bob"], clock.now())
    run(state.load())
    assert state.url == "" and not state.allowed


def test_the_last_post_is_reported(make_state: MakeState, world: World, clock: FixedClock) -> None:
    with db.session_scope() as session:
        run_row = jobruns.claim_run(
            session, reminders.league_job(world.league_id), "schedule", utc("2026-11-21T23:00")
        )
        assert run_row is not None
        jobruns.finish_run(
            session, run_row, "failed", utc("2026-11-21T23:00"), error="attempt 1: HTTP 500"
        )
        leagues.set_league_reminder(
            session, world.league_id, world.users["alice"].id, HOOK, now=NOW
        )
    state = league_form(make_state, world, "alice", clock)
    assert state.last_post == "Last reminder Sat Nov 21, 6:00 PM EST: failed (attempt 1: HTTP 500)."


def test_the_instance_reminder_is_an_admins(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    player = make_state(InstanceReminderState, url="/admin")
    player.token = issue_token(world.users["alice"], clock.now())
    run(player.load())
    assert player.loaded and not player.allowed
    run(player.save({"reminder_url": HOOK}))
    assert player.notice == reminders.NOT_ADMIN

    admin = make_state(InstanceReminderState, url="/admin")
    admin.token = issue_token(world.users["root"], clock.now())
    run(admin.load())
    assert admin.allowed and admin.url == ""
    run(admin.save({"reminder_url": "gopher://x"}))
    assert admin.error_field == "reminder_url"
    run(admin.save({"reminder_url": HOOK, "reminder_format": "json", "reminder_minutes": "45"}))
    assert admin.notice == "Reminder saved." and admin.minutes == "45"
    with db.session_scope() as session:
        assert reminders.instance_reminder(session) == ReminderSettings(HOOK, "json", 45)


def drain(events: AsyncIterator[Any]) -> list[Any]:
    """Run an async generator handler to the end; what it yielded."""

    async def collect() -> list[Any]:
        return [event async for event in events]

    return asyncio.run(collect())


def test_the_owner_sends_a_test_post(
    make_state: MakeState, world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminder_job, "LEAGUE_PRIVATE_ADDRESSES_ALLOWED", True)
    monkeypatch.setattr(reminder_job, "RETRY_PAUSE_SECONDS", 0.0)
    state = league_form(make_state, world, "alice", clock)
    drain(state.send_test())
    assert state.notice == "Save a webhook URL first."
    with WebhookReceiver() as hook:
        run(state.save({"reminder_url": hook.url("/t"), "reminder_format": "ntfy"}))
        drain(state.send_test())
        assert state.notice == "Test post sent (HTTP 204): check the channel."
        (post,) = hook.posts
        assert post.headers["Title"] == "PickVs: Office"
        assert post.text == "A test from PickVs: the daily reminder will be posted here."
        hook.script(500, 503)
        drain(state.send_test())
        assert state.notice == ("The test post failed: attempt 1: HTTP 500; attempt 2: HTTP 503.")
    # bob is a member, not the owner: nothing is posted for him.
    bob = league_form(make_state, world, "bob", clock)
    drain(bob.send_test())
    assert bob.notice == "Only the league's owner can do that."


def test_a_league_test_post_never_reaches_a_private_address(
    make_state: MakeState, world: World, clock: FixedClock
) -> None:
    state = league_form(make_state, world, "alice", clock)
    with WebhookReceiver() as hook:
        run(state.save({"reminder_url": hook.url()}))
        drain(state.send_test())
        assert hook.posts == []
    assert state.notice == (
        "The test post failed: 127.0.0.1 is a private address (127.0.0.1); not posted."
    )
