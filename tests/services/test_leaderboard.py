"""The leaderboard: shared ranks, players without ROI last, ET months and weeks, paging."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, update
from sqlmodel import Session

from pickvs.domain import standings
from pickvs.models import Board, User
from pickvs.services import admin, leaderboard
from pickvs.services.errors import InvalidInput
from pickvs.services.seasons import season_start
from pickvs.services.users import get_by_username
from tests.services.builders import Book, make_game, make_picks, make_user, utc

NY = ZoneInfo("America/New_York")
NOW = utc("2026-11-22T12:00")  # Sunday Nov 22, 7 am EST
H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def ranked_from_the_first_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    """These boards rank a player from their first graded pick (PICKVS_MIN_RANKED_PICKS=1);
    the threshold's own tests pass `min_ranked` explicitly."""
    from pickvs.config import settings

    monkeypatch.setattr(settings, "min_ranked_picks", 1)


def play(
    session: Session,
    game_id: str,
    tip,
    home_price: int,
    picks: list,
    home_score: int,
    away_score: int,
) -> None:  # type: ignore[no-untyped-def]
    """A game with one moneyline (home_price / -110 away), the players' picks, then the final."""
    make_game(
        session,
        game_id,
        tip,
        Book(h2h=(home_price, -110)),
        home=f"{game_id} Home",
        away=f"{game_id} Away",
    )
    for player, side in picks:
        make_picks(session, player, tip - H, (game_id, "h2h", side))
    admin.settle(session, game_id, home_score, away_score, by="ref", now=tip + 3 * H)


def rows(board: list[leaderboard.BoardRow]) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (
            r.rank,
            r.username,
            round(r.total_units, 6),
            r.total_wagered,
            None if r.roi is None else round(r.roi, 6),
            (r.wins, r.losses, r.pushes),
        )
        for r in board
    ]


def test_ties_share_a_rank_and_players_without_roi_come_last(session: Session) -> None:
    """alice and bob have the same three results, made in a different order:
        win @-110 (+0.909091), win @-180 (+0.555556), loss (-1)  => 0.464646 each.
    The sums differ in the last bit depending on the order they are added in; the ranks must not.
    erin pushes once: 0 units, but wagered, ROI 0. dave never picks: nothing wagered, no ROI,
    ranked after everyone who wagered (DESIGN: "shown as -, sorted last").
    """
    start = NOW - timedelta(days=3)
    alice, bob = make_user(session, "alice", start), make_user(session, "bob", start)
    erin = make_user(session, "erin", start)
    make_user(session, "dave", start)
    carol = make_user(session, "carol", start)
    tips = {g: start + timedelta(hours=n) for n, g in enumerate(("w110", "w180", "lose", "tie"), 1)}
    for game_id, price in (("w110", -110), ("w180", -180), ("lose", -110), ("tie", -110)):
        make_game(
            session,
            game_id,
            tips[game_id],
            Book(h2h=(price, -110)),
            home=f"{game_id} H",
            away=f"{game_id} A",
            sport="americanfootball_nfl" if game_id == "tie" else "basketball_nba",  # may tie
        )
    # alice picks in game order, bob in reverse (his loss row is stored first).
    make_picks(
        session,
        alice,
        start,
        ("w110", "h2h", "home"),
        ("w180", "h2h", "home"),
        ("lose", "h2h", "home"),
    )
    make_picks(
        session,
        bob,
        start,
        ("lose", "h2h", "home"),
        ("w180", "h2h", "home"),
        ("w110", "h2h", "home"),
    )
    make_picks(session, carol, start, ("w110", "h2h", "home"))
    make_picks(session, erin, start, ("tie", "h2h", "home"))
    for game_id, (home, away) in {
        "w110": (100, 90),
        "w180": (100, 90),
        "lose": (90, 100),
        "tie": (95, 95),
    }.items():
        admin.settle(session, game_id, home, away, by="ref", now=NOW)
    session.commit()
    board = leaderboard.leaderboard(session, "all", NOW, NY)
    assert rows(board) == [
        (1, "carol", 0.909091, 1.0, 0.909091, (1, 0, 0)),
        (2, "alice", 0.464646, 3.0, 0.154882, (2, 1, 0)),
        (2, "bob", 0.464646, 3.0, 0.154882, (2, 1, 0)),
        (4, "erin", 0.0, 1.0, 0.0, (0, 0, 1)),
        (None, "dave", 0.0, 0.0, None, (0, 0, 0)),  # not ranked
    ]


def test_month_and_week_are_league_time_periods(session: Session) -> None:
    """Month = since Nov 1 00:00 EDT (04:00Z); week = since Monday Nov 16 00:00 EST (05:00Z).

        oct31  tips 03:30Z Nov 1 = 23:30 EDT Oct 31  home +200  alice win +2.0
        nov1   tips 04:30Z Nov 1 = 00:30 EDT Nov 1   home +150  alice win +1.5
        sun15  tips 04:30Z Nov 16 = 23:30 EST Nov 15 home -200  alice win +0.5
        mon16  tips 05:30Z Nov 16 = 00:30 EST Nov 16 home +100  alice win +1.0, bob loss -1
    all:   alice 5.0 (4-0-0), bob -1
    month: alice 1.5 + 0.5 + 1.0 = 3.0 (3-0-0), bob -1
    week:  alice 1.0, bob -1;   carol never picked: last on the all-time board, absent from
           the periods.
    """
    early = utc("2026-10-25T12:00")
    alice, bob = make_user(session, "alice", early), make_user(session, "bob", early)
    make_user(session, "carol", early)
    play(session, "oct31", utc("2026-11-01T03:30"), 200, [(alice, "home")], 100, 90)
    play(session, "nov1", utc("2026-11-01T04:30"), 150, [(alice, "home")], 100, 90)
    play(session, "sun15", utc("2026-11-16T04:30"), -200, [(alice, "home")], 100, 90)
    play(session, "mon16", utc("2026-11-16T05:30"), 100, [(alice, "home"), (bob, "away")], 100, 90)
    session.commit()
    assert leaderboard.period_start("month", NOW, NY) == utc("2026-11-01T04:00")
    assert leaderboard.period_start("week", NOW, NY) == utc("2026-11-16T05:00")
    assert leaderboard.period_start("all", NOW, NY) is None
    assert rows(leaderboard.leaderboard(session, "all", NOW, NY)) == [
        (1, "alice", 5.0, 4.0, 1.25, (4, 0, 0)),
        (2, "bob", -1.0, 1.0, -1.0, (0, 1, 0)),
        (
            None,
            "carol",
            0.0,
            0.0,
            None,
            (0, 0, 0),
        ),  # nothing wagered: not ranked: after a losing player
    ]
    assert rows(leaderboard.leaderboard(session, "month", NOW, NY)) == [
        (1, "alice", 3.0, 3.0, 1.0, (3, 0, 0)),
        (2, "bob", -1.0, 1.0, -1.0, (0, 1, 0)),
    ]
    assert rows(leaderboard.leaderboard(session, "week", NOW, NY)) == [
        (1, "alice", 1.0, 1.0, 1.0, (1, 0, 0)),
        (2, "bob", -1.0, 1.0, -1.0, (0, 1, 0)),
    ]
    # Late Sunday evening in New York is still the same week, though Monday in UTC.
    sunday_night = utc("2026-11-23T04:30")
    assert leaderboard.period_start("week", sunday_night, NY) == utc("2026-11-16T05:00")


def test_period_boards_follow_an_admins_void_and_settlement(session: Session) -> None:
    """The league of the test above, then the admin steps in (the boards now come from the
    roll-up that grading rebuilds):

    void mon16 (alice +1.0, bob -1 refunded): week is empty; month alice 1.5 + 0.5 = 2.0, 2-0-0;
        bob has nothing wagered at all, so he drops off the month and sits last all time.
    settle sun15 90-100 (alice's home -200 now loses): month alice 1.5 - 1 = 0.5, 1-1-0;
        all time alice 2.0 + 1.5 - 1 = 2.5 over 3, 2-1-0, ROI 0.833333.
    sun15 tipped at 23:30 EST Nov 15, before the week began: the week stays empty.
    """
    early = utc("2026-10-25T12:00")
    alice, bob = make_user(session, "alice", early), make_user(session, "bob", early)
    play(session, "oct31", utc("2026-11-01T03:30"), 200, [(alice, "home")], 100, 90)
    play(session, "nov1", utc("2026-11-01T04:30"), 150, [(alice, "home")], 100, 90)
    play(session, "sun15", utc("2026-11-16T04:30"), -200, [(alice, "home")], 100, 90)
    play(session, "mon16", utc("2026-11-16T05:30"), 100, [(alice, "home"), (bob, "away")], 100, 90)
    admin.void(session, "mon16", by="ref", now=NOW)
    session.commit()
    assert leaderboard.leaderboard(session, "week", NOW, NY) == []
    assert rows(leaderboard.leaderboard(session, "month", NOW, NY)) == [
        (1, "alice", 2.0, 2.0, 1.0, (2, 0, 0)),
    ]
    admin.settle(session, "sun15", 90, 100, by="ref", now=NOW + H)
    session.commit()
    assert rows(leaderboard.leaderboard(session, "month", NOW, NY)) == [
        (1, "alice", 0.5, 2.0, 0.25, (1, 1, 0)),
    ]
    assert leaderboard.leaderboard(session, "week", NOW, NY) == []
    assert rows(leaderboard.leaderboard(session, "all", NOW, NY)) == [
        (1, "alice", 2.5, 3.0, 0.833333, (2, 1, 0)),
        (None, "bob", 0.0, 0.0, None, (0, 0, 0)),
    ]


def test_void_picks_count_in_no_period(session: Session) -> None:
    alice = make_user(session, "alice", NOW - timedelta(days=2))
    make_game(session, "g1", NOW - timedelta(days=1), Book(h2h=(150, -180)))
    make_picks(session, alice, NOW - timedelta(days=2), ("g1", "h2h", "home"))
    admin.void(session, "g1", by="ref", now=NOW)
    for period in ("month", "week"):
        assert leaderboard.leaderboard(session, period, NOW, NY) == []
    assert rows(leaderboard.leaderboard(session, "all", NOW, NY)) == [
        (None, "alice", 0.0, 0.0, None, (0, 0, 0))
    ]


def test_paging_keeps_the_global_rank(session: Session) -> None:
    start = NOW - timedelta(days=2)
    players = [make_user(session, f"player{n}", start) for n in range(5)]
    make_game(session, "g1", NOW - timedelta(days=1), Book(h2h=(100, -110)))
    make_game(
        session,
        "g2",
        NOW - timedelta(days=1),
        Book(h2h=(100, -110)),
        home="Other Home",
        away="Other Away",
    )
    # player0 and 1 win twice (+2), player2 wins one, loses one (0), player3 loses twice, player4 no picks.
    for player, sides in zip(
        players,
        (("home", "home"), ("home", "home"), ("home", "away"), ("away", "away")),
        strict=False,
    ):
        make_picks(session, player, start, ("g1", "h2h", sides[0]), ("g2", "h2h", sides[1]))
    admin.settle(session, "g1", 100, 90, by="ref", now=NOW)
    admin.settle(session, "g2", 100, 90, by="ref", now=NOW)
    session.commit()
    everyone = leaderboard.leaderboard(session, "all", NOW, NY)
    assert [(r.rank, r.username) for r in everyone] == [
        (1, "player0"),
        (1, "player1"),
        (3, "player2"),
        (4, "player3"),
        (None, "player4"),  # nothing wagered: not ranked
    ]
    page = leaderboard.leaderboard(session, "all", NOW, NY, limit=2, offset=2)
    assert [(r.rank, r.username) for r in page] == [(3, "player2"), (4, "player3")]
    assert leaderboard.leaderboard(session, "all", NOW, NY, limit=2, offset=10) == []
    assert len(leaderboard.leaderboard(session, "all", NOW, NY, limit=0)) == 1  # at least one row
    assert len(leaderboard.leaderboard(session, "all", NOW, NY, limit=10_000)) == 5
    assert len(leaderboard.leaderboard(session, "all", NOW, NY, offset=-5)) == 5


def test_unknown_period(session: Session) -> None:
    with pytest.raises(InvalidInput, match="period"):
        leaderboard.leaderboard(session, "year", NOW, NY)


def test_units_equal_to_six_places_share_a_rank(session: Session) -> None:
    """The same three results summed in two orders: (w110 + w180) - 1 and (-1 + w180) + w110
    differ in the last bit (0.46464646464646453 v ...464). Which order a database adds rows in
    is its own business, so the rank must not depend on it."""
    w110, w180 = 100 / 110, 100 / 180
    first, second = (w110 + w180) - 1, (-1 + w180) + w110
    assert first != second and round(first, 6) == round(second, 6)
    for name, units in (("alice", second), ("bob", first), ("carol", first + 0.001)):
        user = make_user(session, name, NOW)
        user.total_units, user.total_wagered, user.wins, user.losses = units, 3.0, 2, 1
        user.roi = units / 3.0
    session.commit()
    board = leaderboard.leaderboard(session, "all", NOW, NY)
    assert [(r.rank, r.username) for r in board] == [(1, "carol"), (2, "alice"), (2, "bob")]


def _board_plan(session: Session, period: str) -> str:
    """The database's plan for the very statement `leaderboard` runs, with its parameters."""
    seen: list[tuple[str, object]] = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        leaderboard.leaderboard(session, period, NOW, NY)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = next(s for s in seen if "rank() OVER" in s[0])
    conn = session.connection()
    if engine.dialect.name == "sqlite":
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(str(row[-1]) for row in plan)
    # Ten players is a table PostgreSQL would rather sort than read through an index: take
    # the alternatives away to see whether the index can serve the statement at all.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    plan = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    return "\n".join(str(row[0]) for row in plan)


def test_the_all_time_board_is_read_in_order_from_its_index(session: Session) -> None:
    """ix_user_board (migration 0004) serves the board only while its expressions are the
    query's own: a change to `domain.standings` must come with a new index."""
    for n in range(10):
        make_user(session, f"player{n}", NOW - timedelta(days=1))
    session.commit()
    assert "ix_user_board" in _board_plan(session, "all")


def test_period_boards_sum_the_roll_up_from_its_covering_index(session: Session) -> None:
    for n in range(10):
        make_user(session, f"player{n}", NOW - timedelta(days=1))
    session.commit()
    assert "ix_user_tip_board" in _board_plan(session, "month")


# --- issue 11: ranked and not yet ranked, season, form, the cached period boards ---------------

TEN_TIPS = [utc("2026-11-20T00:00") + n * H for n in range(10)]  # this week, month and season


def ten_games(session: Session) -> None:
    """g0..g9, one an hour from Nov 20 00:00Z, even money both sides (a win pays +1.0)."""
    for n, tip in enumerate(TEN_TIPS):
        make_game(session, f"g{n}", tip, Book(h2h=(100, 100)), home=f"H{n}", away=f"A{n}")


def settle_ten(session: Session) -> None:
    """Every home side wins 100-90."""
    for n, tip in enumerate(TEN_TIPS):
        admin.settle(session, f"g{n}", 100, 90, by="ref", now=tip + 3 * H)


def threshold_league(session: Session) -> None:
    """ann 10 graded: home g0-g5 (6 wins), away g6-g9 (4 losses): +2.0, 6-4-0, form L4, 6-4-0;
    dan 10 graded: home g0-g1, away g2-g9: 2 - 8 = -6.0, 2-8-0, form L8, 2-8-0;
    bob 9 graded: home g0-g8: +9.0, 9-0-0, form W9, 9-0-0; carol never picks.
    adjusted ROI = (units + 30 x -0.045) / (n + 30): ann 0.65 / 40 = 0.01625,
    dan -7.35 / 40 = -0.18375, bob 7.65 / 39 = 0.196154, carol None (nothing wagered)."""
    ten_games(session)
    early = utc("2026-11-19T00:00")
    ann, dan = make_user(session, "ann", early), make_user(session, "dan", early)
    bob = make_user(session, "bob", early)
    make_user(session, "carol", early)
    make_picks(
        session, ann, early, *[(f"g{n}", "h2h", "home" if n < 6 else "away") for n in range(10)]
    )
    make_picks(
        session, dan, early, *[(f"g{n}", "h2h", "home" if n < 2 else "away") for n in range(10)]
    )
    make_picks(session, bob, early, *[(f"g{n}", "h2h", "home") for n in range(9)])
    settle_ten(session)
    session.commit()


def lines(board: list[leaderboard.BoardRow]) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (
            r.rank,
            r.ranked,
            r.username,
            round(r.total_units, 6),
            None if r.adjusted_roi is None else round(r.adjusted_roi, 6),
            (r.wins, r.losses, r.pushes),
            r.streak,
            r.last10,
        )
        for r in board
    ]


ANN = ("ann", 2.0, 0.01625, (6, 4, 0), "L4", "6-4-0")
DAN = ("dan", -6.0, -0.18375, (2, 8, 0), "L8", "2-8-0")
BOB = ("bob", 9.0, 0.196154, (9, 0, 0), "W9", "9-0-0")
CAROL = ("carol", 0.0, None, (0, 0, 0), "", "0-0-0")


def test_ten_graded_picks_rank_nine_do_not(session: Session) -> None:
    """PICKVS_MIN_RANKED_PICKS=10: ann and dan (10 graded) are ranked, bob (9) is not, though
    he won the most; carol (nothing wagered) is listed unranked, never ranked below dan's -6."""
    threshold_league(session)
    assert lines(leaderboard.leaderboard(session, "all", NOW, NY, min_ranked=10)) == [
        (1, True, *ANN),
        (2, True, *DAN),
        (None, False, *BOB),
        (None, False, *CAROL),
    ]
    for period in ("season", "month", "week"):  # carol has nothing in any period
        assert lines(leaderboard.leaderboard(session, period, NOW, NY, min_ranked=10)) == [
            (1, True, *ANN),
            (2, True, *DAN),
            (None, False, *BOB),
        ], period
        assert leaderboard.count_leaderboard(session, period, NOW, NY, min_ranked=10) == 3
    # Nine is enough at a threshold of nine: bob leads.
    for period in ("all", "week"):
        assert [
            (r.rank, r.username)
            for r in leaderboard.leaderboard(session, period, NOW, NY, min_ranked=9)
        ][:3] == [(1, "bob"), (2, "ann"), (3, "dan")]
    # A threshold of 0 still needs one graded pick: carol is never ranked.
    board = leaderboard.leaderboard(session, "all", NOW, NY, min_ranked=0)
    assert [(r.rank, r.username) for r in board] == [
        (1, "bob"),
        (2, "ann"),
        (3, "dan"),
        (None, "carol"),
    ]
    assert leaderboard.count_leaderboard(session, "all", NOW, NY, min_ranked=10) == 4
    for period in ("all", "week"):
        ranks = {
            name: leaderboard.rank_of(session, name, period, NOW, NY, min_ranked=10)
            for name in ("ann", "DAN", "bob", "carol", "nobody")
        }
        assert ranks == {"ann": 1, "DAN": 2, "bob": None, "carol": None, "nobody": None}


def test_paging_crosses_from_ranked_to_unranked_rows(session: Session) -> None:
    threshold_league(session)
    for period in ("all", "week"):
        pages = [
            [
                (r.rank, r.username)
                for r in leaderboard.leaderboard(
                    session, period, NOW, NY, limit=1, offset=n, min_ranked=10
                )
            ]
            for n in range(5)
        ]
        expected = [[(1, "ann")], [(2, "dan")], [(None, "bob")]]
        expected += [[(None, "carol")], []] if period == "all" else [[], []]
        assert pages == expected, period
        page = leaderboard.leaderboard(session, period, NOW, NY, limit=2, offset=1, min_ranked=10)
        assert [(r.rank, r.username) for r in page] == [(2, "dan"), (None, "bob")]


def test_the_instance_setting_is_the_default_threshold(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pickvs.config import settings

    threshold_league(session)
    monkeypatch.setattr(settings, "min_ranked_picks", 10)
    assert [r.rank for r in leaderboard.leaderboard(session, "week", NOW, NY)] == [1, 2, None]
    monkeypatch.setattr(settings, "min_ranked_picks", 9)  # a new threshold rebuilds the board
    assert [r.rank for r in leaderboard.leaderboard(session, "week", NOW, NY)] == [1, 2, 3]


def test_form_is_all_time_in_tip_off_order_and_follows_a_void(session: Session) -> None:
    """ann's picks were made in one batch, but form follows the games' tip-offs. Voiding g9
    (her last loss) refunds it: L3 and 6-3-0 over nine; a void counts nowhere."""
    threshold_league(session)
    user = get_by_username(session, "ann")
    assert user is not None and user.id is not None
    assert leaderboard.player_form(session, user.id) == standings.Form("L4", "6-4-0")
    admin.void(session, "g9", by="ref", now=NOW)
    session.commit()
    assert leaderboard.player_form(session, user.id) == standings.Form("L3", "6-3-0")
    # ... and every board shows it (week is current form too, not the week's own record).
    week = {
        r.username: (r.streak, r.last10) for r in leaderboard.leaderboard(session, "week", NOW, NY)
    }
    assert week["ann"] == ("L3", "6-3-0") and week["bob"] == ("W9", "9-0-0")
    assert week["dan"] == ("L7", "2-7-0")


def test_the_season_starts_at_the_first_game_after_a_long_gap(session: Session) -> None:
    """Stored games: may1 and jun10 (40 days apart: one season), then oct21 (133 days later: a
    new season) and dec1 (40 days after oct21: the same season), and one in January to come.

        may1  alice win +1      jun10 alice win +1
        oct21 alice loss -1, bob loss -1      dec1 bob win +1
    This season (now Dec 2): bob 0.0 (1-1), alice -1.0; all time alice +1.0, bob 0.0.
    """
    now = utc("2026-12-02T12:00")
    tips = {
        "may1": utc("2026-05-01T23:00"),
        "jun10": utc("2026-06-10T00:30"),
        "oct21": utc("2026-10-21T23:30"),
        "dec1": utc("2026-12-01T00:30"),
        "jan": utc("2027-01-05T00:30"),
    }
    early = utc("2026-04-01T00:00")
    alice, bob = make_user(session, "alice", early), make_user(session, "bob", early)
    for game_id, players in (
        ("may1", [(alice, "home")]),
        ("jun10", [(alice, "home")]),
        ("oct21", [(alice, "away"), (bob, "away")]),
        ("dec1", [(bob, "home")]),
        ("jan", []),
    ):  # in time order, as the feed would bring them
        tip = tips[game_id]
        make_game(
            session, game_id, tip, Book(h2h=(100, 100)), home=f"{game_id} H", away=f"{game_id} A"
        )
        for player, side in players:
            make_picks(session, player, tip - H, (game_id, "h2h", side))
        if players:
            admin.settle(session, game_id, 100, 90, by="ref", now=tip + 3 * H)
    session.commit()
    assert season_start(session, now) == tips["oct21"]
    assert leaderboard.period_start("season", now, NY, session) == tips["oct21"]
    assert season_start(session, utc("2026-08-01T00:00")) == tips["may1"]  # the summer
    assert season_start(session, utc("2026-10-21T23:29")) == tips["may1"]  # not tipped yet
    assert season_start(session, utc("2026-04-01T00:00")) is None  # no game yet
    season = leaderboard.leaderboard(session, "season", now, NY, min_ranked=1)
    assert [(r.rank, r.username, r.total_units, (r.wins, r.losses)) for r in season] == [
        (1, "bob", 0.0, (1, 1)),
        (2, "alice", -1.0, (0, 1)),
    ]
    everything = leaderboard.leaderboard(session, "all", now, NY, min_ranked=1)
    assert [(r.rank, r.username, r.total_units) for r in everything] == [
        (1, "alice", 1.0),
        (2, "bob", 0.0),
    ]
    # Before any game has tipped, the season board is the all-time board.
    before = utc("2026-04-01T00:00")
    assert leaderboard.leaderboard(session, "season", before, NY) == leaderboard.leaderboard(
        session, "all", before, NY
    )


def test_the_cached_board_is_the_computed_board_after_grading_a_void_and_a_new_week(
    session: Session,
) -> None:
    """The week board is built by the first read after grading, and read as built until a
    result changes or the week rolls over; each time it is the board computed from scratch."""
    threshold_league(session)
    start = leaderboard.period_start("week", NOW, NY)
    assert start == utc("2026-11-16T05:00")
    ids = {name: get_by_username(session, name).id for name in ("ann", "dan", "bob")}  # type: ignore[union-attr]

    def cached(threshold: int) -> list[tuple]:  # type: ignore[type-arg]
        rows = leaderboard.cached_board(session, "week")
        assert rows == leaderboard.computed_board(session, "week", start, threshold)
        return [(p, u, r, units, w, round(roi, 6), wlp) for p, u, r, units, w, roi, *wlp in rows]

    assert leaderboard.cached_board(session, "week") == []  # nothing read yet: nothing built
    leaderboard.leaderboard(session, "week", NOW, NY, min_ranked=10)
    assert cached(10) == [
        (1, ids["ann"], 1, 2.0, 10.0, 0.2, [6, 4, 0]),
        (2, ids["dan"], 2, -6.0, 10.0, -0.6, [2, 8, 0]),
        (3, ids["bob"], None, 9.0, 9.0, 1.0, [9, 0, 0]),
    ]
    assert not leaderboard.ensure_board(session, "week", start, 10, NOW)  # fresh: no rebuild

    # An admin voids g0 (everyone's win there is refunded): ann 1.0 over 9, dan -7.0 over 9,
    # bob 8.0 over 8: nobody has ten graded picks any more.
    admin.void(session, "g0", by="ref", now=NOW)
    session.commit()
    board = leaderboard.leaderboard(session, "week", NOW, NY, min_ranked=10)
    assert [(r.rank, r.username) for r in board] == [(None, "bob"), (None, "ann"), (None, "dan")]
    assert cached(10) == [
        (1, ids["bob"], None, 8.0, 8.0, 1.0, [8, 0, 0]),
        (2, ids["ann"], None, 1.0, 9.0, 0.111111, [5, 4, 0]),
        (3, ids["dan"], None, -7.0, 9.0, -0.777778, [1, 8, 0]),
    ]

    # The admin corrects g1 to an away win: ann, dan and bob all picked the home side there.
    # ann 4 - 5 = -1.0, dan 0 - 9 = -9.0, bob 7 - 1 = 6.0.
    admin.settle(session, "g1", 90, 100, by="ref", now=NOW)
    session.commit()
    board = leaderboard.leaderboard(session, "week", NOW, NY, min_ranked=1)
    assert [(r.rank, r.username, r.total_units) for r in board] == [
        (1, "bob", 6.0),
        (2, "ann", -1.0),
        (3, "dan", -9.0),
    ]
    assert [row[:3] for row in cached(1)] == [
        (1, ids["bob"], 1),
        (2, ids["ann"], 2),
        (3, ids["dan"], 3),
    ]

    # Next Monday the week rolls over: an empty board, built for the new week's start.
    monday = utc("2026-11-23T12:00")
    assert leaderboard.leaderboard(session, "week", monday, NY, min_ranked=1) == []
    assert leaderboard.cached_board(session, "week") == []
    built = session.get(Board, "week")
    assert built is not None and built.start == utc("2026-11-23T05:00")
    # The month is still November, with everything above.
    month = leaderboard.leaderboard(session, "month", monday, NY, min_ranked=1)
    assert [(r.rank, r.username) for r in month] == [(1, "bob"), (2, "ann"), (3, "dan")]


def test_a_gap_of_exactly_45_days_stays_in_the_season(session: Session) -> None:
    """a; b 45 days after a (the same season); c 45 days and 1 second after b (a new one)."""
    a = utc("2026-10-01T23:00")
    b, c = a + timedelta(days=45), a + timedelta(days=90, seconds=1)
    for game_id, tip in (("a", a), ("b", b), ("c", c)):
        make_game(
            session, game_id, tip, Book(h2h=(100, 100)), home=f"{game_id} H", away=f"{game_id} A"
        )
    session.commit()
    assert season_start(session, a - H) is None
    assert season_start(session, a) == a  # tipping now: the season has started
    assert season_start(session, b + H) == a
    assert season_start(session, c - H) == a
    assert season_start(session, c) == c


def test_two_readers_of_a_stale_board_rebuild_it_once(session: Session, engine) -> None:  # type: ignore[no-untyped-def]
    """Reader A finds the week stale and rebuilds it, then holds its transaction open; reader
    B, finding it stale too (A has not committed), waits for the rebuild lock, then finds the
    board fresh and only reads it. Both see the board computed from scratch, and nothing
    fails on a duplicate row."""
    threshold_league(session)
    start = leaderboard.period_start("week", NOW, NY)
    assert start is not None
    a_built, rebuilt, pages = threading.Event(), {}, {}

    def reader(name: str) -> None:
        with Session(engine) as own:
            if name == "b":
                assert a_built.wait(10)
            rebuilt[name] = leaderboard.ensure_board(own, "week", start, 10, NOW)
            if name == "a":
                a_built.set()
                time.sleep(0.5)  # B is now waiting on the lock
            pages[name] = lines(leaderboard.leaderboard(own, "week", NOW, NY, min_ranked=10))
            own.commit()

    threads = [threading.Thread(target=reader, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert rebuilt == {"a": True, "b": False}
    expected = [(1, True, *ANN), (2, True, *DAN), (None, False, *BOB)]
    assert pages == {"a": expected, "b": expected}
    session.rollback()  # a fresh snapshot
    assert leaderboard.cached_board(session, "week") == leaderboard.computed_board(
        session, "week", start, 10
    )


def test_form_reads_a_tail_of_a_long_history(session: Session) -> None:
    """14 games an hour apart, even money, home wins. kim: home on g0-g3 and g6-g13, away on
    g4-g5: W W W W L L W W W W W W W W -> W8, last ten (g4-g13) 8-2-0. The roll-up's newest
    rows reach ten graded picks with a win and a loss at g4, so g0-g3 need not be read.
    lee: away on g0, home on g1-g13 -> W13, last ten 10-0-0 (no loss after g0: all read).
    max: away on g0-g12, home on g13 -> W1, last ten 1-9-0."""
    tips = [utc("2026-11-20T00:00") + n * H for n in range(14)]
    early = utc("2026-11-19T00:00")
    kim, lee = make_user(session, "kim", early), make_user(session, "lee", early)
    max_ = make_user(session, "max", early)
    for n, tip in enumerate(tips):
        make_game(session, f"g{n}", tip, Book(h2h=(100, 100)), home=f"H{n}", away=f"A{n}")
    make_picks(
        session,
        kim,
        early,
        *[(f"g{n}", "h2h", "away" if n in (4, 5) else "home") for n in range(14)],
    )
    make_picks(
        session, lee, early, *[(f"g{n}", "h2h", "away" if n == 0 else "home") for n in range(14)]
    )
    make_picks(
        session, max_, early, *[(f"g{n}", "h2h", "home" if n == 13 else "away") for n in range(14)]
    )
    for n, tip in enumerate(tips):
        admin.settle(session, f"g{n}", 100, 90, by="ref", now=tip + 3 * H)
    session.commit()
    forms = {u.username: leaderboard.player_form(session, u.id) for u in (kim, lee, max_)}  # type: ignore[arg-type]
    assert forms == {
        "kim": standings.Form("W8", "8-2-0"),
        "lee": standings.Form("W13", "10-0-0"),
        "max": standings.Form("W1", "1-9-0"),
    }
    # Derived when first read after grading, then stored: wipe it and make it stale again.
    session.execute(update(User).values(streak="", last10="0-0-0", form_generation=-1))
    assert {u.username: leaderboard.player_form(session, u.id) for u in (kim, lee, max_)} == forms  # type: ignore[arg-type]
    stored = session.execute(select(User.streak, User.last10).where(User.id == kim.id)).one()
    assert tuple(stored) == ("W8", "8-2-0")
    assert leaderboard.derive_forms(session, [kim.id, lee.id, max_.id]) == {  # type: ignore[list-item]
        kim.id: forms["kim"],
        lee.id: forms["lee"],
        max_.id: forms["max"],
    }


def test_grading_marks_form_due_and_the_first_read_derives_it(session: Session) -> None:
    """Grading only marks the players it changed (form_due = the new generation); a form
    derived from older results is never stored over a newer due mark."""
    threshold_league(session)
    generation = leaderboard.board_generation(session)
    ann = get_by_username(session, "ann")
    assert ann is not None and ann.id is not None
    leaderboard.player_form(session, ann.id)  # derived and stored
    session.commit()
    admin.void(session, "g9", by="ref", now=NOW)  # ann's last loss refunded
    session.commit()
    session.refresh(ann)
    assert (ann.form_due, ann.form_generation) == (generation + 1, generation)
    assert (ann.streak, ann.last10) == ("L4", "6-4-0")  # stored, but due
    # A reader that derived at the old generation (before the void) stores nothing.
    leaderboard.store_forms(session, {ann.id: standings.Form("L4", "6-4-0")}, generation)
    assert leaderboard.player_form(session, ann.id) == standings.Form("L3", "6-3-0")
    session.commit()
    session.refresh(ann)
    assert (ann.streak, ann.last10, ann.form_generation) == ("L3", "6-3-0", generation + 1)
