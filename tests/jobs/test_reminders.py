"""The reminder job against a real HTTP receiver on loopback, on SQLite and PostgreSQL.

The day (Sunday Nov 22 2026, New York): g1 tips 7:00 pm EST (00:00Z), g2 9:30 pm; g3 is
tomorrow's. The league "Office": ann (owner) picked g1, dee picked g2, bob picked only
tomorrow's g3, cyd nothing: bob and cyd have not picked today. With 60 minutes the post is due
at 6:00 pm EST (23:00Z) and stays due until the first lock at 00:00Z.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.jobs import reminders as job
from pickvs.jobs.reminders import run_due_reminders
from pickvs.models import JobRun, User
from pickvs.services import leagues
from pickvs.services import reminders as service
from tests.services.builders import make_game, make_picks, make_user, utc
from tests.webhook_receiver import WebhookReceiver

DUE = utc("2026-11-22T23:00")
FIRST_LOCK = utc("2026-11-23T00:00")
TEXT = "2 games today, picks close at 7:00 PM EST. Not picked yet (2): bob, cyd."


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch, fast_bcrypt: None, signing_key: str) -> None:
    monkeypatch.setattr(job, "LEAGUE_PRIVATE_ADDRESSES_ALLOWED", True)
    monkeypatch.setattr(job, "RETRY_PAUSE_SECONDS", 0.0)
    monkeypatch.setattr(settings, "lock_minutes", 0)
    monkeypatch.setattr(settings, "timezone", "America/New_York")


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def day(session: Session) -> dict[str, User]:
    morning = utc("2026-11-22T14:00")
    names = ("ann", "bob", "cyd", "dee", "eve")
    players = {name: make_user(session, name, utc("2026-10-01T00:00")) for name in names}
    # eve picked three weeks ago: not active in the last 14 days.
    old = make_game(session, "old", utc("2026-11-02T00:00"))
    make_picks(session, players["eve"], utc("2026-11-01T12:00"), (old.id, "h2h", "home"))
    fetched = utc("2026-11-22T13:00")
    g1 = make_game(session, "g1", FIRST_LOCK, fetched_at=fetched)
    g2 = make_game(session, "g2", utc("2026-11-23T02:30"), fetched_at=fetched)
    g3 = make_game(session, "g3", utc("2026-11-24T00:00"), fetched_at=fetched)
    make_picks(session, players["ann"], morning, (g1.id, "h2h", "home"))
    make_picks(session, players["dee"], morning, (g2.id, "totals", "over"))
    make_picks(session, players["bob"], morning, (g3.id, "h2h", "away"))
    office = leagues.create_league(session, players["ann"].id, "Office", now=morning)
    for name in ("bob", "cyd", "dee"):
        leagues.join_league(session, players[name].id, office.invite_code, morning)
    session.commit()
    return players


def set_league_hook(session: Session, players: dict[str, User], url: str, fmt: str = "json") -> int:
    (league_id,) = session.execute(select(leagues.League.id)).scalars().all()
    leagues.set_league_reminder(
        session, league_id, players["ann"].id, url, fmt, 60, now=utc("2026-11-22T15:00")
    )
    session.commit()
    return int(league_id)


def runs(session: Session) -> list[JobRun]:
    session.expire_all()
    return list(session.execute(select(JobRun).order_by(JobRun.id)).scalars())


def test_not_due_yet_posts_nothing(session: Session, day: dict, hook: WebhookReceiver) -> None:
    set_league_hook(session, day, hook.url())
    assert run_due_reminders(FixedClock(DUE - timedelta(minutes=1))) == "no reminder due"
    assert hook.posts == [] and runs(session) == []


def test_json_post_names_who_has_not_picked_once_a_day(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    league_id = set_league_hook(session, day, hook.url("/discord"))
    clock = FixedClock(DUE)
    assert run_due_reminders(clock) == f"remind:league:{league_id}: ok"
    (post,) = hook.posts
    assert post.path == "/discord"
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {
        "content": "**PickVs: Office**\n" + TEXT,
        "text": "*PickVs: Office*\n" + TEXT,
        "allowed_mentions": {"parse": []},
    }
    (run,) = runs(session)
    assert (run.job, run.slot, run.outcome, run.error) == (
        f"remind:league:{league_id}",
        utc("2026-11-22T05:00"),  # the slate day's midnight, New York
        "ok",
        None,
    )
    assert run.detail == "json post to 127.0.0.1: HTTP 204; 2 player(s) not picked: bob, cyd"
    clock.advance(minutes=30)
    assert run_due_reminders(clock) == "no reminder due"
    assert len(hook.posts) == 1 and len(runs(session)) == 1


def test_ntfy_post_is_plain_text_with_a_title(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    set_league_hook(session, day, hook.url("/pickvs-office"), fmt="ntfy")
    run_due_reminders(FixedClock(DUE + timedelta(minutes=10)))
    (post,) = hook.posts
    assert post.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert post.headers["Title"] == "PickVs: Office"
    assert post.text == TEXT


def test_a_failing_webhook_is_retried_once(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    set_league_hook(session, day, hook.url())
    hook.script(500, 200)
    assert run_due_reminders(FixedClock(DUE)).endswith(": ok")
    assert [p.status for p in hook.posts] == [500, 200]
    assert hook.posts[0].body == hook.posts[1].body
    (run,) = runs(session)
    assert run.outcome == "ok" and "HTTP 200" in (run.detail or "")


def test_failing_twice_is_recorded_and_never_raises(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    set_league_hook(session, day, hook.url())
    hook.script(500, 500)
    clock = FixedClock(DUE)
    assert run_due_reminders(clock).endswith(": failed")
    assert [p.status for p in hook.posts] == [500, 500]
    (run,) = runs(session)
    assert run.outcome == "failed"
    assert run.error == "attempt 1: HTTP 500; attempt 2: HTTP 500"
    # The day's slot is used: no third try, no second post later in the day.
    clock.advance(minutes=5)
    assert run_due_reminders(clock) == "no reminder due" and len(hook.posts) == 2


def test_an_unreachable_webhook_fails_quietly(session: Session, day: dict) -> None:
    with WebhookReceiver() as gone:
        url = gone.url()
    set_league_hook(session, day, url)
    assert run_due_reminders(FixedClock(DUE)).endswith(": failed")
    (run,) = runs(session)
    assert run.outcome == "failed" and (run.error or "").startswith("attempt 1: ConnectError")


def test_two_workers_at_once_post_once(session: Session, day: dict, hook: WebhookReceiver) -> None:
    set_league_hook(session, day, hook.url())
    start = threading.Barrier(3)
    results: list[str] = []

    def worker() -> None:
        start.wait()
        results.append(run_due_reminders(FixedClock(DUE)))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(hook.posts) == 1
    assert len(runs(session)) == 1
    assert sum(r.endswith(": ok") for r in results) == 1


def test_nobody_missing_posts_nothing(session: Session, day: dict, hook: WebhookReceiver) -> None:
    set_league_hook(session, day, hook.url())
    for name in ("bob", "cyd"):
        make_picks(session, day[name], utc("2026-11-22T20:00"), ("g2", "h2h", "home"))
    session.commit()
    assert run_due_reminders(FixedClock(DUE)).endswith(": skipped")
    assert hook.posts == []
    (run,) = runs(session)
    assert run.outcome == "skipped" and run.detail == (
        "everyone has picked today's 2 game(s); nothing posted"
    )


def test_after_the_first_lock_it_is_too_late(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    set_league_hook(session, day, hook.url())
    assert run_due_reminders(FixedClock(FIRST_LOCK)) == "no reminder due"
    assert hook.posts == []


def test_instance_reminder_names_recently_active_players(
    session: Session, day: dict, hook: WebhookReceiver
) -> None:
    admin = day["ann"]
    admin.is_admin = True
    session.flush()
    service.set_instance_reminder(session, admin.id, hook.url("/all"), "ntfy", 30, DUE)
    session.commit()
    clock = FixedClock(DUE)
    assert run_due_reminders(clock) == "no reminder due"  # 30 minutes: due at 23:30Z
    clock.advance(minutes=30)
    assert run_due_reminders(clock) == "remind:instance: ok"
    (post,) = hook.posts
    # Active in the last 14 days: ann, bob, dee (eve's last pick is three weeks old; cyd has
    # never picked). Of them only bob has no pick today.
    assert post.text == ("2 games today, picks close at 7:00 PM EST. Not picked yet (1): bob.")
    assert post.headers["Title"] == "PickVs reminder"


def test_a_league_webhook_may_not_reach_private_addresses(
    session: Session, day: dict, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "LEAGUE_PRIVATE_ADDRESSES_ALLOWED", False)
    set_league_hook(session, day, hook.url())
    assert run_due_reminders(FixedClock(DUE)).endswith(": failed")
    assert hook.posts == []
    (run,) = runs(session)
    assert run.error == "127.0.0.1 is a private address (127.0.0.1); not posted"
