"""The `user_tip` roll-up: grading keeps it equal to what scanning the picks gives, and
rebuilds only the tip-offs it changed.

The hand-worked league of test_grading (all four games tip at 00:10Z Nov 21), plus g5, a game
at a later tip-off (00:40Z Nov 22) that alice and carol pick, so the roll-up has two tip-offs:

  g5 Chicago Bulls (home) v Detroit Pistons     h2h +110 / -130; final 101-99, Bulls win
     alice  h2h Bulls +110     win  +1.1
     carol  h2h Pistons -130   loss -1
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.models import Game, Pick, User, UserTipTotals
from pickvs.services import admin, grading
from tests.services.builders import Book, make_game, make_picks, reload, utc
from tests.services.test_grading import RESULTS_AT, TIP, build_league

LATER = utc("2026-11-22T00:40")
Row = tuple[float, float, tuple[int, int, int]]


def add_g5(session: Session) -> None:
    make_game(
        session, "g5", LATER, Book(h2h=(110, -130)), home="Chicago Bulls", away="Detroit Pistons"
    )
    users = {u.username: u for u in session.execute(select(User)).scalars()}
    make_picks(session, users["alice"], LATER - timedelta(hours=2), ("g5", "h2h", "home"))
    make_picks(session, users["carol"], LATER - timedelta(hours=2), ("g5", "h2h", "away"))
    admin.settle(session, "g5", 101, 99, by="ref", now=LATER + timedelta(hours=3))
    session.commit()


def roll_up(session: Session) -> dict[tuple[str, datetime], Row]:
    reload(session)
    rows = session.execute(
        select(User.username, UserTipTotals).join(User, User.id == UserTipTotals.user_id)
    ).all()
    return {
        (name, r.tip): (round(r.units, 6), r.wagered, (r.wins, r.losses, r.pushes))
        for name, r in rows
    }


def scanned(session: Session) -> dict[tuple[str, datetime], Row]:
    """The same figures straight from the picks, as the period boards used to sum them."""
    stmt = (
        select(
            User.username,
            Game.commence_time,
            func.sum(rules.result_units(Pick.status, Pick.to_win)),
            func.sum(rules.wagered_units(Pick.status)),
            rules.count_if(Pick.status, rules.WIN),
            rules.count_if(Pick.status, rules.LOSS),
            rules.count_if(Pick.status, rules.PUSH),
        )
        .join(Pick, Pick.user_id == User.id)
        .join(Game, Game.id == Pick.game_id)
        .where(Pick.status.in_(rules.WAGERED))
        .group_by(User.username, Game.commence_time)
    )
    return {
        (name, tip): (round(units, 6), wagered, (w, lo, p))
        for name, tip, units, wagered, w, lo, p in session.execute(stmt)
    }


def graded(session: Session) -> None:
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    add_g5(session)


def test_one_row_per_player_and_tip_off_equal_to_the_picks(session: Session) -> None:
    """alice TIP: 1.5 - 1 + 0.909091 (g3 void) = 1.409091, 3 wagered, 2-1-0;  LATER: +1.1
    bob   TIP: 0.925926 + 0 - 1 + 0 = -0.074074, 4 wagered, 1-1-2
    carol TIP: 0.833333 (g3 void), 1-0-0;  LATER: -1, 0-1-0"""
    graded(session)
    assert roll_up(session) == {
        ("alice", TIP): (1.409091, 3.0, (2, 1, 0)),
        ("alice", LATER): (1.1, 1.0, (1, 0, 0)),
        ("bob", TIP): (-0.074074, 4.0, (1, 1, 2)),
        ("carol", TIP): (0.833333, 1.0, (1, 0, 0)),
        ("carol", LATER): (-1.0, 1.0, (0, 1, 0)),
    }
    assert roll_up(session) == scanned(session)
    alice = session.execute(select(User).where(User.username == "alice")).scalar_one()
    assert (round(alice.total_units, 6), alice.total_wagered) == (2.509091, 4.0)


def test_a_void_rebuilds_only_its_tip_off(session: Session) -> None:
    """The admin voids g1 (alice and bob picked it): the TIP rows of all three players are
    rebuilt (carol's comes out the same), the LATER rows are not touched.
    alice TIP: only g2 Under +0.909091 left, 1-0-0;  bob TIP: 0 - 1 + 0 = -1, 3 wagered, 0-1-2."""
    graded(session)
    before = roll_up(session)
    report = admin.void(session, "g1", by="ref", now=RESULTS_AT + timedelta(days=2))
    session.commit()
    assert (report.picks_graded, report.users_updated) == (3, 3)
    after = roll_up(session)
    assert after[("alice", TIP)] == (0.909091, 1.0, (1, 0, 0))
    assert after[("bob", TIP)] == (-1.0, 3.0, (0, 1, 2))
    unchanged = ("alice", LATER), ("carol", TIP), ("carol", LATER)
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert after == scanned(session)


def test_an_admin_settlement_regrades_the_roll_up(session: Session) -> None:
    """The feed had g4 as a 104-104 tie; the admin enters 106-104: bob's Nuggets -150 win
    +0.666667, so bob TIP = 0.925926 + 0 - 1 + 0.666667 = 0.592593, 2-1-1."""
    graded(session)
    admin.settle(session, "g4", 106, 104, by="ref", now=RESULTS_AT + timedelta(days=2))
    session.commit()
    assert roll_up(session)[("bob", TIP)] == (0.592593, 4.0, (2, 1, 1))
    assert roll_up(session) == scanned(session)


def test_a_tip_off_with_nothing_left_wagered_loses_its_row(session: Session) -> None:
    """Voiding g2 leaves carol nothing wagered at TIP (g3 was void already): the row goes,
    and her LATER loss is all that counts: -1, 1 wagered, ROI -1."""
    graded(session)
    admin.void(session, "g2", by="ref", now=RESULTS_AT + timedelta(days=2))
    session.commit()
    rows = roll_up(session)
    assert ("carol", TIP) not in rows
    assert rows[("carol", LATER)] == (-1.0, 1.0, (0, 1, 0))
    assert rows == scanned(session)
    carol = session.execute(select(User).where(User.username == "carol")).scalar_one()
    assert (carol.total_units, carol.total_wagered, carol.roi) == (-1.0, 1.0, -1.0)


def test_regrading_at_the_instant_of_the_last_run(session: Session) -> None:
    """A void stamped at the very instant grading ran is still applied everywhere."""
    build_league(session)
    grading.grade(session, RESULTS_AT)
    admin.void(session, "g4", by="ref", now=RESULTS_AT)
    session.commit()
    assert roll_up(session)[("bob", TIP)] == (-0.074074, 3.0, (1, 1, 1))
    assert roll_up(session) == scanned(session)


def test_grading_twice_leaves_the_roll_up_alone(session: Session) -> None:
    graded(session)
    before = roll_up(session)
    assert grading.grade(session, LATER + timedelta(days=1)) == grading.GradeReport(0, 0)
    assert roll_up(session) == before


@pytest.mark.parametrize("voided", ["g1", "g5"])
def test_all_time_totals_are_the_sum_of_the_roll_up(session: Session, voided: str) -> None:
    graded(session)
    admin.void(session, voided, by="ref", now=LATER + timedelta(days=1))
    session.commit()
    reload(session)
    sums = dict(
        session.execute(
            select(User.username, func.sum(UserTipTotals.units))
            .join(UserTipTotals, UserTipTotals.user_id == User.id)
            .group_by(User.username)
        ).all()
    )
    for user in session.execute(select(User)).scalars():
        assert user.total_units == pytest.approx(sums.get(user.username, 0.0), abs=1e-9)
