"""A league's board is cached by what it depends on, and every change to any of it shows at
once: a result graded, a pick withdrawn that moves a daily cap, a setting, a member.

Scene (New York, Wednesday Nov 18): game "late" tips at 22:00 EST, game "early" at 19:30 EST.
ann picks "late" first (10:00), then "early" (11:00); the league counts one pick a day, so
"late" counts and "early" does not, even once "early" is settled as a home win at -110.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from pickvs.models import League
from pickvs.services import admin, leagues, picks
from pickvs.services.leagues import LeagueBoardRow
from tests.services.builders import POLICY, Book, make_game, make_picks, make_user, utc

NY = ZoneInfo("America/New_York")
EARLY, LATE = utc("2026-11-19T00:30"), utc("2026-11-19T03:00")
NOW = utc("2026-11-19T02:00")  # 21:00 EST: "early" has finished, "late" has not tipped
W110 = 100 / 110  # +0.909091 for a win at -110


@pytest.fixture
def scene(session: Session) -> dict:  # type: ignore[type-arg]
    ann = make_user(session, "ann", utc("2026-11-18T12:00"))
    bob = make_user(session, "bob", utc("2026-11-18T12:00"))
    make_game(session, "late", LATE, Book(h2h=(-110, -110)))
    make_game(session, "early", EARLY, Book(h2h=(-110, -110)))
    (late,) = make_picks(session, ann, utc("2026-11-18T15:00"), ("late", "h2h", "home"))
    make_picks(session, ann, utc("2026-11-18T16:00"), ("early", "h2h", "home"))
    made = leagues.create_league(
        session, ann.id, "Office", settings={"daily_cap": 1, "min_ranked": 1}, now=NOW
    )
    admin.settle(session, "early", 110, 100, by="ref", now=NOW)
    return {"ann": ann, "bob": bob, "league": made, "late": late}


def _board(session: Session, scene: dict) -> list[tuple]:  # type: ignore[type-arg]
    rows = leagues.league_board(session, scene["league"].id, scene["ann"].id, "all", NOW, NY)
    return [_figures(row) for row in rows]


def _figures(row: LeagueBoardRow) -> tuple:  # type: ignore[type-arg]
    return (row.rank, row.username, round(row.total_units, 6), row.wins, row.losses, row.streak)


def test_a_second_read_is_served_from_the_cache(session: Session, scene, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = _board(session, scene)
    reads = []
    monkeypatch.setattr(
        leagues, "_board_picks", lambda *args: reads.append(args) or pytest.fail("recomputed")
    )
    assert _board(session, scene) == first
    assert reads == []


def test_withdrawing_the_pick_that_held_the_cap_counts_the_next_one(
    session: Session, scene
) -> None:  # type: ignore[no-untyped-def]
    # "late" (pending) holds the day's one place: ann's settled win on "early" does not count.
    assert _board(session, scene) == [(None, "ann", 0.0, 0, 0, "")]
    picks.withdraw_pick(session, scene["ann"], scene["late"].id, NOW, POLICY.lock_minutes)
    # Now "early" is the day's first pick: +0.909091, 1-0, ranked from one graded pick.
    assert _board(session, scene) == [(1, "ann", round(W110, 6), 1, 0, "W1")]


def test_a_new_result_a_setting_and_a_member_each_show_at_once(session: Session, scene) -> None:  # type: ignore[no-untyped-def]
    ann, bob, made = scene["ann"], scene["bob"], scene["league"]
    assert _board(session, scene) == [(None, "ann", 0.0, 0, 0, "")]
    # A setting: no cap, so both of ann's picks count; "early" is a graded win.
    leagues.update_league(session, made.id, ann.id, {"daily_cap": None}, NOW)
    assert _board(session, scene) == [(1, "ann", round(W110, 6), 1, 0, "W1")]
    # A result: "late" settles as a home loss (100-104): +0.909091 - 1 = -0.090909, streak L1.
    admin.settle(session, "late", 100, 104, by="ref", now=LATE + timedelta(hours=3))
    assert _board(session, scene) == [(1, "ann", round(W110 - 1, 6), 1, 1, "L1")]
    # A member: bob joins with nothing graded, listed not yet ranked after ann.
    leagues.join_league(session, bob.id, made.invite_code, NOW)
    assert _board(session, scene) == [
        (1, "ann", round(W110 - 1, 6), 1, 1, "L1"),
        (None, "bob", 0.0, 0, 0, ""),
    ]
    leagues.leave_league(session, made.id, bob.id)
    assert _board(session, scene) == [(1, "ann", round(W110 - 1, 6), 1, 1, "L1")]


def test_a_tip_off_moved_to_another_day_frees_the_cap_at_once(session: Session, scene) -> None:  # type: ignore[no-untyped-def]
    assert _board(session, scene) == [(None, "ann", 0.0, 0, 0, "")]
    # The feed moves "late" to Friday: its pick leaves Wednesday, where "early" now comes first.
    make_game(session, "late", LATE + timedelta(days=2), Book(h2h=(-110, -110)), fetched_at=NOW)
    assert _board(session, scene) == [(1, "ann", round(W110, 6), 1, 0, "W1")]


def test_a_change_rolled_back_never_stands_in_for_a_later_one(session: Session, scene) -> None:  # type: ignore[no-untyped-def]
    """A board read inside a transaction that is then rolled back stays cached under a version
    that never committed; the next real change must not be able to land on that version."""
    ann, made = scene["ann"], scene["league"]
    session.commit()
    before = _board(session, scene)
    leagues.update_league(session, made.id, ann.id, {"daily_cap": None}, NOW)
    assert _board(session, scene) == [(1, "ann", round(W110, 6), 1, 0, "W1")]
    session.rollback()
    assert _board(session, scene) == before
    # A committed change of another kind: "early" (ann's only graded pick) no longer counts.
    leagues.update_league(session, made.id, ann.id, {"markets": ["spreads", "totals"]}, NOW)
    session.commit()
    assert session.get(League, made.id).daily_cap == 1  # type: ignore[union-attr]
    assert _board(session, scene) == [(None, "ann", 0.0, 0, 0, "")]
