"""CLV as the pages' states format it: the profile's average and share beating the close and its
picks' CLV, and each board line's CLV (public and league) and a league pick's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.services import clv
from pickvs.services.leaderboard import BoardRow
from pickvs.services.leagues import LeagueBoardRow, LeaguePickRow
from pickvs.state.leaderboard import board_line
from pickvs.state.leagues import pick_line, standing_line
from pickvs.state.profile import ProfileState
from tests.services.builders import (
    AWAY_TEAM,
    HOME_TEAM,
    POLICY,
    Book,
    make_user,
    picked_game,
    utc,
)
from tests.state.conftest import run

MakeState = Callable[..., Any]
TIP = utc("2026-11-23T00:10")


@pytest.fixture
def priced(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ann: Bucks +4.5 (-110) closing +2.5 (+4.2374 pp) and Celtics -180 closing -200/+170
    (0.0000 pp); a third pick, the Over, has no closing line (the total left the board)."""
    monkeypatch.setattr(settings, "bookmakers", list(POLICY.bookmakers))
    with db.session_scope() as session:
        picked_game(
            session,
            TIP,
            Book(),
            ("spreads", AWAY_TEAM),
            ("h2h", HOME_TEAM),
            ("totals", "Over"),
            closing=Book(h2h=(-200, 170), spreads=(-2.5, -110, -110), totals=None),
        )
        assert clv.update_clv(session, TIP + timedelta(minutes=1)) == 3


@pytest.mark.usefixtures("priced")
def test_profile_shows_average_clv_share_beating_the_close_and_each_picks(
    make_state: MakeState, clock: FixedClock
) -> None:
    clock.set(TIP + timedelta(hours=1))  # locked: a visitor sees the picks
    state = make_state(ProfileState, url="/u/ann")
    assert run(state.load()) is None
    # (4.2374 + 0.0) / 2 = +2.1187 -> "+2.1 pp"; one of the two priced picks beat the close.
    assert (state.clv_average, state.clv_beat, state.clv_tone) == (
        "+2.1 pp",
        "50% of 2 picks",
        "up",
    )
    assert sorted((p.market, p.clv, p.clv_tone) for p in state.picks) == [
        ("Moneyline", "0.0 pp", "level"),
        ("Spread", "+4.2 pp", "up"),
        ("Total", "—", "level"),
    ]


def test_a_profile_with_no_priced_pick_shows_dashes(make_state: MakeState, engine: Engine) -> None:
    with db.session_scope() as session:
        make_user(session, "bob", TIP)
    state = make_state(ProfileState, url="/u/bob")
    run(state.load())
    assert (state.clv_average, state.clv_beat) == ("—", "—")


def test_board_lines_format_the_average_clv() -> None:
    row = BoardRow(1, "ann", 1.0, 2.0, 0.5, 1, 1, 0, 0.1, "W1", "1-1-0", True, clv=-1.26)
    assert (board_line(row).clv, board_line(row).clv_tone) == ("-1.3 pp", "down")
    none = BoardRow(1, "ann", 1.0, 2.0, 0.5, 1, 1, 0, 0.1, "W1", "1-1-0", True)
    assert (board_line(none).clv, board_line(none).clv_tone) == ("—", "level")
    league_row = LeagueBoardRow(
        1, True, "ann", 1.0, 2.0, 0.5, 0.1, 1, 1, 0, "W1", "1-1-0", clv=2.35
    )
    assert standing_line(league_row, 1, "ann").clv == "+2.4 pp"


def test_a_league_picks_line_shows_its_clv() -> None:
    tip = datetime(2026, 11, 23, 0, 10, tzinfo=UTC)
    row = LeaguePickRow(
        1, "ann", "g1", "Bucks @ Celtics", tip, "spreads", "Milwaukee Bucks", "draftkings",
        -110, 4.5, "pending", None, True, None, "draftkings", -110, 2.5, 4.2374,
    )  # fmt: skip
    assert (pick_line(row).clv, pick_line(row).clv_tone) == ("+4.2 pp", "up")
