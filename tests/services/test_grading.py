"""Grading a hand-worked league: every market, push and void, corrections, and bounded SQL.

The league (all four games tip at 00:10Z on Nov 21, picks made the afternoon before):

  g1 Boston Celtics (home) v Milwaukee Bucks    h2h -180/+150, spread -4.5 (-110/-110),
                                                total 227.5 (Over -108 / Under -112)
     final 113-115: Bucks win by 2, total 228
  g2 Los Angeles Lakers v Phoenix Suns          h2h -120/+100, spread -3 (-105/-115),
                                                total 220 (-110/-110)
     final 110-107: Lakers by exactly 3, total 217
  g3 New York Knicks v Miami Heat               never reported: postponed, picks void
  g4 Denver Broncos v Kansas City Chiefs        an NFL game, which can end tied (basketball
                                                cannot): h2h -150/+130; final 20-20 (a tie)

  alice  g1 h2h Bucks +150          win   +1.5          (115 > 113)
         g1 spread Celtics -4.5     loss  -1            (113 - 4.5 - 115 = -6.5)
         g2 total Under 220 @-110   win   +0.909091     (217 < 220; 100/110)
         g3 h2h Knicks              void   0
         => units 1.409091, wagered 3, 2-1-0, ROI 1.409091/3 = 0.469697
  bob    g1 total Over 227.5 @-108  win   +0.925926     (228 > 227.5; 100/108)
         g2 spread Lakers -3 @-105  push   0            (110 - 3 - 107 = 0)
         g2 h2h Suns +100           loss  -1
         g4 h2h Broncos -150        push   0            (tie)
         => units -0.074074, wagered 4, 1-1-2, ROI -0.074074/4 = -0.018519
  carol  g2 h2h Lakers -120         win   +0.833333     (100/120)
         g3 spread Heat +4.5        void   0
         => units 0.833333, wagered 1, 1-0-0, ROI 0.833333
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.models import Game, Pick, User, UserTipTotals
from pickvs.services import admin, grading
from tests.services.builders import (
    Book,
    ingest_events,
    make_picks,
    make_user,
    reload,
    report_scores,
    score,
    utc,
)
from tests.services.builders import (
    event as odds_event,
)
from tests.statements import statements

TIP = utc("2026-11-21T00:10")
NFL = "americanfootball_nfl"
PICKED_AT = TIP - timedelta(hours=6)
RESULTS_AT = TIP + timedelta(hours=14)  # 9 am Eastern the next morning


def build_league(session: Session) -> None:
    ingest_events(
        session,
        TIP - timedelta(days=1),
        odds_event("g1", TIP, Book()),
        odds_event(
            "g2",
            TIP,
            Book(h2h=(-120, 100), spreads=(-3.0, -105, -115), totals=(220.0, -110, -110)),
            home="Los Angeles Lakers",
            away="Phoenix Suns",
        ),
        odds_event("g3", TIP, Book(), home="New York Knicks", away="Miami Heat"),
        odds_event(
            "g4",
            TIP,
            Book(h2h=(-150, 130)),
            home="Denver Broncos",
            away="Kansas City Chiefs",
            sport=NFL,
        ),
    )
    alice = make_user(session, "alice", PICKED_AT)
    bob = make_user(session, "bob", PICKED_AT)
    carol = make_user(session, "carol", PICKED_AT)
    make_picks(
        session,
        alice,
        PICKED_AT,
        ("g1", "h2h", "Milwaukee Bucks"),
        ("g1", "spreads", "Boston Celtics"),
        ("g2", "totals", "Under"),
        ("g3", "h2h", "New York Knicks"),
    )
    make_picks(
        session,
        bob,
        PICKED_AT,
        ("g1", "totals", "Over"),
        ("g2", "spreads", "Los Angeles Lakers"),
        ("g2", "h2h", "Phoenix Suns"),
        ("g4", "h2h", "Denver Broncos"),
    )
    make_picks(
        session,
        carol,
        PICKED_AT,
        ("g2", "h2h", "Los Angeles Lakers"),
        ("g3", "spreads", "Miami Heat"),
    )
    games = {g: session.get(Game, g) for g in ("g1", "g2", "g4")}
    # g3 is missing from the scores reply 14 h after tip-off: postponed.
    report = report_scores(
        session,
        RESULTS_AT,
        score(games["g1"], 113, 115),
        score(games["g2"], 110, 107),
        days_from=1,
    )
    assert (report.finals, report.postponed) == (2, 1)
    report = report_scores(session, RESULTS_AT, score(games["g4"], 20, 20), sport=NFL)
    assert (report.finals, report.postponed) == (1, 0)
    session.commit()


def totals(session: Session) -> dict[str, tuple[Any, ...]]:
    reload(session)
    rows = session.execute(select(User).order_by(User.username_key)).scalars()
    return {
        u.username: (
            pytest.approx(u.total_units, abs=1e-6),
            u.total_wagered,
            None if u.roi is None else pytest.approx(u.roi, abs=1e-6),
            (u.wins, u.losses, u.pushes),
        )
        for u in rows
    }


def expected(
    units: float, wagered: float, roi: float | None, wlp: tuple[int, int, int]
) -> tuple[Any, ...]:
    return (units, wagered, roi, wlp)


def pick_results(session: Session) -> dict[tuple[str, str, str], tuple[str, float | None]]:
    reload(session)
    rows = session.execute(
        select(User.username, Pick).join(User, User.id == Pick.user_id).order_by(Pick.id)
    ).all()
    return {
        (name, p.game_id, p.market): (
            p.status,
            None if p.result_units is None else round(p.result_units, 6),
        )
        for name, p in rows
    }


def test_the_hand_worked_league(session: Session) -> None:
    build_league(session)
    report = grading.grade(session, RESULTS_AT)
    session.commit()
    assert report.picks_graded == 10
    assert pick_results(session) == {
        ("alice", "g1", "h2h"): ("win", 1.5),
        ("alice", "g1", "spreads"): ("loss", -1.0),
        ("alice", "g2", "totals"): ("win", 0.909091),
        ("alice", "g3", "h2h"): ("void", 0.0),
        ("bob", "g1", "totals"): ("win", 0.925926),
        ("bob", "g2", "spreads"): ("push", 0.0),
        ("bob", "g2", "h2h"): ("loss", -1.0),
        ("bob", "g4", "h2h"): ("push", 0.0),
        ("carol", "g2", "h2h"): ("win", 0.833333),
        ("carol", "g3", "spreads"): ("void", 0.0),
    }
    assert totals(session) == {
        "alice": expected(1.409091, 3.0, 0.469697, (2, 1, 0)),
        "bob": expected(-0.074074, 4.0, -0.018519, (1, 1, 2)),
        "carol": expected(0.833333, 1.0, 0.833333, (1, 0, 0)),
    }


def snapshot(session: Session) -> tuple[Any, ...]:
    reload(session)
    users = session.execute(
        select(
            User.username,
            User.total_units,
            User.total_wagered,
            User.roi,
            User.wins,
            User.losses,
            User.pushes,
        ).order_by(User.id)
    ).all()
    picks = session.execute(
        select(Pick.id, Pick.status, Pick.result_units, Pick.graded_at).order_by(Pick.id)
    ).all()
    return tuple(map(tuple, users)), tuple(map(tuple, picks))


def test_grading_twice_changes_nothing(session: Session) -> None:
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    first = snapshot(session)
    report = grading.grade(session, RESULTS_AT + timedelta(hours=1))
    session.commit()
    assert report.picks_graded == 0
    assert snapshot(session) == first  # graded_at included: nothing was rewritten


def test_grading_before_any_result_grades_nothing(session: Session) -> None:
    ingest_events(session, TIP - timedelta(days=1), odds_event("g1", TIP))
    alice = make_user(session, "alice", PICKED_AT)
    make_picks(session, alice, PICKED_AT, ("g1", "h2h", "home"))
    assert grading.grade(session, TIP + timedelta(hours=1)).picks_graded == 0
    assert pick_results(session) == {("alice", "g1", "h2h"): ("pending", None)}
    assert totals(session)["alice"] == expected(0.0, 0.0, None, (0, 0, 0))


def test_a_corrected_score_fixes_everyone(session: Session) -> None:
    """g2 was reported with home and away swapped: 107-110, the Suns won by 3.

    alice  g2 Under 217: still a win                    => unchanged 1.409091, 2-1-0
    bob    g2 spread Lakers -3: 107 - 3 - 110 = -6 loss; g2 h2h Suns +100 now a win (+1)
           => 0.925926 - 1 + 1 + 0 = 0.925926, wagered 4, 2-1-1, ROI 0.231481
    carol  g2 h2h Lakers now a loss => -1, wagered 1, 0-1-0, ROI -1
    """
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    g2 = session.get(Game, "g2")
    corrected_at = RESULTS_AT + timedelta(days=1)
    assert report_scores(session, corrected_at, score(g2, 107, 110), days_from=2).finals == 1  # type: ignore[arg-type]
    report = grading.grade(session, corrected_at)
    session.commit()
    assert report.picks_graded == 3  # bob's two g2 picks and carol's
    assert totals(session) == {
        "alice": expected(1.409091, 3.0, 0.469697, (2, 1, 0)),
        "bob": expected(0.925926, 4.0, 0.231481, (2, 1, 1)),
        "carol": expected(-1.0, 1.0, -1.0, (0, 1, 0)),
    }


def test_a_correction_regrades_only_the_corrected_game(session: Session) -> None:
    """Each game records the settlement its picks were graded against; after g2's correction
    to 107-110 only g2 is graded again, and g1's picks keep the stamp of the first run."""
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    g2 = session.get(Game, "g2")
    assert g2 is not None
    assert g2.graded_result == "final:110:107"
    first = {p.id: p.graded_at for p in session.execute(select(Pick)).scalars()}
    corrected_at = RESULTS_AT + timedelta(days=1)
    report_scores(session, corrected_at, score(g2, 107, 110), days_from=2)
    assert grading.games_to_grade(session) == ["g2"]
    grading.grade(session, corrected_at)
    session.commit()
    session.expire_all()
    assert session.get(Game, "g2").graded_result == "final:107:110"  # type: ignore[union-attr]
    assert grading.games_to_grade(session) == []
    for pick in session.execute(select(Pick)).scalars():
        if pick.game_id != "g2":
            assert pick.graded_at == first[pick.id]


def test_voiding_a_game_refunds_its_picks_and_counts_them_nowhere(session: Session) -> None:
    """An admin voids g1 after it was graded.

    alice  g1 h2h and spread refunded; only g2 Under remains
           => +0.909091, wagered 1, 1-0-0, ROI 0.909091
    bob    g1 Over (+0.925926) refunded; g2 spread push 0, g2 h2h loss -1, g4 push 0
           => -1, wagered 3, 0-1-2, ROI -1/3 = -0.333333
    carol  no g1 pick: unchanged 0.833333, 1-0-0
    """
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    admin.void(session, "g1", by="ref", now=RESULTS_AT + timedelta(hours=2))
    session.commit()
    results = pick_results(session)
    assert {k: v for k, v in results.items() if k[1] == "g1"} == {
        ("alice", "g1", "h2h"): ("void", 0.0),
        ("alice", "g1", "spreads"): ("void", 0.0),
        ("bob", "g1", "totals"): ("void", 0.0),
    }
    assert totals(session) == {
        "alice": expected(0.909091, 1.0, 0.909091, (1, 0, 0)),
        "bob": expected(-1.0, 3.0, -0.333333, (0, 1, 2)),
        "carol": expected(0.833333, 1.0, 0.833333, (1, 0, 0)),
    }


def test_a_player_whose_picks_are_all_voided_has_no_roi(session: Session) -> None:
    build_league(session)
    grading.grade(session, RESULTS_AT)
    admin.void(session, "g2", by="ref", now=RESULTS_AT)  # the same instant as the grading
    session.commit()
    # carol: g2 refunded, g3 void => nothing wagered: ROI is NULL, not 0.
    assert totals(session)["carol"] == expected(0.0, 0.0, None, (0, 0, 0))


def test_an_admin_settlement_regrades_a_feed_result(session: Session) -> None:
    build_league(session)
    grading.grade(session, RESULTS_AT)
    session.commit()
    # The feed had g4 as a tie; the admin enters the real score, Broncos by 2.
    report = admin.settle(session, "g4", 22, 20, by="ref", now=RESULTS_AT + timedelta(hours=1))
    session.commit()
    assert report.picks_graded == 1
    assert pick_results(session)[("bob", "g4", "h2h")] == ("win", round(100 / 150, 6))
    assert totals(session)["bob"][3] == (2, 1, 1)


def count_statements(engine: Engine, action: Callable[[], Any]) -> list[str]:
    with statements(engine) as seen:
        action()
    return seen


def graded_league(session: Session, users: int, games: int, tips: int = 1) -> int:
    """`users` players each pick the moneyline and the total of `games` games, which tip at
    `tips` instants an hour apart (game n at TIP + n % tips hours); all final."""
    ids = [f"g{n:03d}" for n in range(games)]
    ingest_events(
        session,
        TIP - timedelta(days=1),
        *(
            odds_event(
                i, TIP + timedelta(hours=n % tips), Book(), home=f"Home {i}", away=f"Away {i}"
            )
            for n, i in enumerate(ids)
        ),
    )
    for u in range(users):
        player = make_user(session, f"player{u:02d}", PICKED_AT)
        wanted = [(i, "h2h", "home" if (u + n) % 2 else "away") for n, i in enumerate(ids)]
        wanted += [(i, "totals", "Over" if (u + n) % 3 else "Under") for n, i in enumerate(ids)]
        make_picks(session, player, PICKED_AT, *wanted)
    rows = session.execute(select(Game).where(Game.id.in_(ids))).scalars()
    report_scores(
        session,
        RESULTS_AT,
        # Even home and odd away scores: basketball games never end level.
        *(score(g, 100 + 2 * (n % 7), 95 + 2 * (n % 5)) for n, g in enumerate(rows)),
        days_from=1,
    )
    session.commit()
    return users * games * 2


@pytest.mark.parametrize(("users", "games"), [(1, 5), (10, 25)])
def test_grading_issues_a_bounded_number_of_statements(
    engine: Engine, session: Session, users: int, games: int, request: pytest.FixtureRequest
) -> None:
    pick_count = graded_league(session, users, games)
    lock = ["SELECT"] if engine.dialect.name == "postgresql" else []
    reports: list[grading.GradeReport] = []
    run_sql = count_statements(engine, lambda: reports.append(grading.grade(session, RESULTS_AT)))
    session.commit()
    assert reports[0].picks_graded == pick_count  # 10 or 500
    # PostgreSQL's league write lock; the settled games not yet graded against their
    # settlement; one UPDATE for their picks and one recording what they were graded against;
    # the changed tip-offs read, then every game at them; their roll-up rows deleted and
    # rebuilt; the players of those games read; the board generation raised (an UPDATE, and
    # the first time, with no row yet, an INSERT); one UPDATE for the players' totals (and
    # their form marked due) and one reset: whatever the count.
    verbs = [s.lstrip().split()[0].upper() for s in run_sql]
    expected = [
        *["SELECT", "UPDATE", "UPDATE", "SELECT", "SELECT", "DELETE", "INSERT", "SELECT"],
        *["UPDATE", "INSERT"],
        *["UPDATE", "UPDATE"],
    ]
    assert verbs == lock + expected, run_sql
    again = count_statements(engine, lambda: grading.grade(session, RESULTS_AT))
    # Nothing changed: the lock, then no game left to grade, and that is all.
    assert [s.lstrip().split()[0].upper() for s in again] == [*lock, "SELECT"], again


def test_tip_offs_are_batched_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tip-off's roll-up rows are rebuilt from all its games at once, so a batch closes
    before the tip-off that would take it over the limit, and a tip-off bigger than the limit
    goes alone rather than split."""
    a, b, c = TIP, TIP + timedelta(hours=1), TIP + timedelta(hours=2)
    games = {c: ["c1"], a: ["a1", "a2"], b: ["b1", "b2", "b3"]}
    monkeypatch.setattr(grading, "VALUES_PER_STATEMENT", 4)
    assert grading.tip_batches(games) == [([a], ["a1", "a2"]), ([b, c], ["b1", "b2", "b3", "c1"])]
    monkeypatch.setattr(grading, "VALUES_PER_STATEMENT", 2)
    assert grading.tip_batches(games) == [
        ([a], ["a1", "a2"]),
        ([b], ["b1", "b2", "b3"]),
        ([c], ["c1"]),
    ]


def test_grading_in_small_batches_gives_the_totals_of_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """4 players x 6 games at 3 tip-offs, graded with at most 2 values per statement (3 batches
    of tip-offs, 2 of players), must leave what one batch leaves: each player's totals equal
    to the sum of their own graded picks, and one roll-up row per player and tip-off."""
    picks = graded_league(session, users=4, games=6, tips=3)
    monkeypatch.setattr(grading, "VALUES_PER_STATEMENT", 2)
    report = grading.grade(session, RESULTS_AT)
    session.commit()
    assert (report.picks_graded, report.users_updated) == (picks, 4)
    from_picks = {
        name: (pytest.approx(units, abs=1e-6), float(wagered))
        for name, units, wagered in session.execute(
            select(User.username, func.sum(Pick.result_units), func.count())
            .join(Pick, Pick.user_id == User.id)
            .where(Pick.status.in_(("win", "loss", "push")))
            .group_by(User.username)
        )
    }
    assert {name: row[:2] for name, row in totals(session).items()} == from_picks
    assert session.execute(select(func.count()).select_from(UserTipTotals)).scalar_one() == 12
