"""CLV as the boards, the league pages and the profile read it, on SQLite and PostgreSQL.

Scene: one game tipping 2026-11-23 00:10 UTC. Ann takes the Bucks +4.5 (-110) and the Celtics
-180; Bob the Bucks +150; Cyd picks nothing. The close at DraftKings is Celtics -2.5
(-110/-110) and -200/+170. Hand-worked CLVs:
  Ann spread  +4.5 vs +2.5 close: Phi(2/12) 0.566184 - 0.523810 = +4.2374 pp
  Ann h2h     -180 (0.642857) vs fair 0.666667/1.037037 = 0.642857: 0.0000 pp
  Bob h2h     +150 (0.4) vs fair 0.370370/1.037037 = 0.357143:    -4.2857 pp
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from pickvs.services import admin, clv, leaderboard, leagues, profile
from tests.services.builders import (
    AWAY_TEAM,
    HOME_TEAM,
    POLICY,
    Book,
    add_lines,
    make_picks,
    make_user,
    picked_game,
    utc,
)

NY = ZoneInfo("America/New_York")
TIP = utc("2026-11-23T00:10")
OPEN, PICKED, CLOSE = TIP - timedelta(days=1), TIP - timedelta(hours=20), TIP - timedelta(hours=1)
NOW = TIP + timedelta(minutes=5)
ANN_SPREAD, ANN_H2H, BOB_H2H = 4.2374, 0.0, -4.2857


@pytest.fixture(autouse=True)
def book_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    from pickvs.config import settings

    monkeypatch.setattr(settings, "bookmakers", list(POLICY.bookmakers))


@pytest.fixture
def scene(session: Session) -> dict:  # type: ignore[type-arg]
    game, ann, _ = picked_game(session, TIP, Book(), ("spreads", AWAY_TEAM), ("h2h", HOME_TEAM))
    bob, cy = (make_user(session, name, OPEN) for name in ("bob", "cyd"))
    make_picks(session, bob, PICKED, ("g1", "h2h", AWAY_TEAM))
    add_lines(session, game, CLOSE, Book(h2h=(-200, 170), spreads=(-2.5, -110, -110)))
    made = leagues.create_league(session, ann.id, "Office", settings={"min_ranked": 1}, now=OPEN)
    leagues.join_league(session, bob.id, leagues.league_detail(session, made.id, ann.id).invite_code or "", OPEN)  # fmt: skip
    leagues.join_league(session, cy.id, leagues.league_detail(session, made.id, ann.id).invite_code or "", OPEN)  # fmt: skip
    session.commit()
    return {"ann": ann, "bob": bob, "cyd": cy, "league": made}


def _league_clv(session: Session, scene: dict, period: str = "all") -> dict:  # type: ignore[type-arg]
    rows = leagues.league_board(session, scene["league"].id, scene["ann"].id, period, NOW, NY)
    return {row.username: row.clv for row in rows}


def test_league_board_shows_clv_as_soon_as_it_is_stored_despite_its_cache(
    session: Session, scene: dict
) -> None:  # type: ignore[type-arg]
    assert _league_clv(session, scene) == {"ann": None, "bob": None, "cyd": None}  # cached now
    clv.update_clv(session, NOW)
    session.commit()
    shown = _league_clv(session, scene)
    assert shown["ann"] == pytest.approx((ANN_SPREAD + ANN_H2H) / 2, abs=1e-4)
    assert shown["bob"] == pytest.approx(BOB_H2H, abs=1e-4)
    assert shown["cyd"] is None
    # Ungraded picks count too (CLV is known at the lock); the week's board has them.
    assert _league_clv(session, scene, "week")["bob"] == pytest.approx(BOB_H2H, abs=1e-4)


def test_league_board_leaves_out_picks_the_league_does_not_count(
    session: Session, scene: dict
) -> None:  # type: ignore[type-arg]
    clv.update_clv(session, NOW)
    leagues.update_league(session, scene["league"].id, scene["ann"].id, {"markets": ["h2h"]}, NOW)
    assert _league_clv(session, scene)["ann"] == pytest.approx(ANN_H2H, abs=1e-4)


def test_league_locked_picks_carry_clv(session: Session, scene: dict) -> None:  # type: ignore[type-arg]
    clv.update_clv(session, NOW)
    rows = leagues.league_picks(session, scene["league"].id, scene["bob"].id, NOW, tz=NY)
    by = {(r.username, r.market): r for r in rows}
    assert by[("ann", "spreads")].clv == pytest.approx(ANN_SPREAD, abs=1e-4)
    assert by[("ann", "spreads")].close_point == 2.5
    assert by[("bob", "h2h")].clv == pytest.approx(BOB_H2H, abs=1e-4)


def test_public_boards_all_time_and_period(session: Session, scene: dict) -> None:  # type: ignore[type-arg]
    clv.update_clv(session, NOW)
    admin.settle(session, "g1", 110, 100, by="ref", now=NOW + timedelta(hours=3))
    later = NOW + timedelta(hours=3)
    for period in ("all", "week"):
        rows = leaderboard.leaderboard(session, period, later, NY, min_ranked=1)
        by = {row.username: row.clv for row in rows}
        assert by["ann"] == pytest.approx((ANN_SPREAD + ANN_H2H) / 2, abs=1e-4), period
        assert by["bob"] == pytest.approx(BOB_H2H, abs=1e-4), period
        assert by.get("cyd") is None


def test_profile_average_and_share_beating_the_close(session: Session, scene: dict) -> None:  # type: ignore[type-arg]
    clv.update_clv(session, NOW)
    ann = profile.profile(session, "ann", NOW, NY).clv
    # Two priced picks: +4.2374 beats the close, 0.0000 does not (level is not beating it).
    assert (ann.picks, ann.beat, ann.beat_share) == (2, 1, 0.5)
    assert ann.average == pytest.approx((ANN_SPREAD + ANN_H2H) / 2, abs=1e-4)
    cy = profile.profile(session, "cyd", NOW, NY).clv
    assert (cy.picks, cy.average, cy.beat_share) == (0, None, None)


def test_void_picks_leave_every_view(session: Session, scene: dict) -> None:  # type: ignore[type-arg]
    clv.update_clv(session, NOW)
    admin.void(session, "g1", "admin:root", NOW + timedelta(hours=1))
    # Before the next CLV update clears them, void picks already show none.
    assert profile.clv_summary(session, scene["ann"].id).picks == 0
    rows = leagues.league_picks(session, scene["league"].id, scene["bob"].id, NOW, tz=NY)
    assert {r.clv for r in rows} == {None}
    assert clv.update_clv(session, NOW + timedelta(hours=1)) == 3
    assert _league_clv(session, scene) == {"ann": None, "bob": None, "cyd": None}
