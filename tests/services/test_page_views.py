"""Read models of the slate, my-picks and leaderboard pages: others' picks only on locked
games, the next lock, ET day groups, a fixed number of queries, and counts that match lists."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pickvs.models import User
from pickvs.services import admin, leaderboard, picks, slate
from tests.services.builders import Book, make_game, make_picks, make_user, reload, utc
from tests.statements import statements

NY = ZoneInfo("America/New_York")
FETCHED = utc("2026-11-21T10:00")
PICKED = utc("2026-11-22T12:00")  # 7 am ET Nov 22
BOOKS = ("draftkings",)
TIPS = {
    "noon": utc("2026-11-22T17:00"),  # noon ET Nov 22
    "late": utc("2026-11-23T04:30"),  # 23:30 ET Nov 22 (UTC date Nov 23)
    "next": utc("2026-11-24T00:10"),  # 7:10 pm ET Nov 23
}


def slate_league(session: Session) -> dict[str, User]:
    for game_id, tip in TIPS.items():
        make_game(session, game_id, tip, Book(h2h=(-180, 150)), fetched_at=FETCHED)
    alice, bob = make_user(session, "alice", FETCHED), make_user(session, "bob", FETCHED)
    make_picks(
        session, alice, PICKED, ("noon", "h2h", "Milwaukee Bucks"), ("late", "totals", "Over")
    )
    make_picks(
        session,
        bob,
        PICKED,
        ("noon", "spreads", "Boston Celtics"),
        ("noon", "h2h", "Boston Celtics"),
        ("late", "h2h", "Boston Celtics"),
    )
    session.commit()
    return {"alice": alice, "bob": bob}


def page(session: Session, user: User | None, now, lock_minutes: int = 0) -> slate.SlatePage:  # type: ignore[no-untyped-def]
    return slate.slate_page(
        session, user, now, NY, lock_minutes=lock_minutes, bookmakers=BOOKS, days=3
    )


def shown(result: slate.SlatePage) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    return {
        game_id: [(p.username, p.pick.market, p.pick.selection, p.pick.price) for p in rows]
        for game_id, rows in result.locked_picks.items()
    }


def test_others_picks_show_only_once_a_game_locks(session: Session) -> None:
    players = slate_league(session)
    before = page(session, players["alice"], PICKED)
    assert before.locked_picks == {}  # nothing has locked: bob's picks stay hidden
    assert {m: p.selection for m, p in before.cards[0].my_picks.items()} == {
        "h2h": "Milwaukee Bucks"
    }
    # At tip-off the noon game locks (still "scheduled" in the database); 23:30 ET stays open.
    at_noon = page(session, players["alice"], TIPS["noon"])
    assert [(c.game.id, c.is_open) for c in at_noon.cards] == [
        ("noon", False),
        ("late", True),
        ("next", True),
    ]
    assert shown(at_noon) == {
        "noon": [  # by market, then username; the viewer's own pick is among them
            ("alice", "h2h", "Milwaukee Bucks", 150),
            ("bob", "h2h", "Boston Celtics", -180),
            ("bob", "spreads", "Boston Celtics", -110),
        ]
    }
    # Logged out sees the same locked picks, and none of the open game's.
    assert shown(page(session, None, TIPS["noon"])) == shown(at_noon)
    # A 10-minute lock offset locks the game 10 minutes early, and its picks show then.
    early = page(session, None, TIPS["noon"] - timedelta(minutes=10), lock_minutes=10)
    assert list(early.locked_picks) == ["noon"]
    assert (
        page(session, None, TIPS["noon"] - timedelta(minutes=11), lock_minutes=10).locked_picks
        == {}
    )


def test_locked_picks_applies_the_lock_rule_itself(session: Session) -> None:
    """A caller that passes an open game's id still gets nothing for it."""
    slate_league(session)
    got = slate.locked_picks(session, ["noon", "late", "unknown", "x\x00"], TIPS["noon"], 0)
    assert list(got) == ["noon"]
    assert slate.locked_picks(session, [], TIPS["noon"], 0) == {}
    # Settled games are locked for good.
    admin.settle(session, "noon", 110, 100, by="ref", now=TIPS["noon"] + timedelta(hours=3))
    reload(session)
    later = slate.locked_picks(session, ["noon"], TIPS["noon"] + timedelta(hours=4), 0)
    assert [(p.username, p.pick.status) for p in later["noon"]] == [
        ("alice", "loss"),
        ("bob", "win"),
        ("bob", "win"),  # spread -4.5: 110 - 4.5 > 100
    ]


def test_next_lock_and_day_groups(session: Session) -> None:
    slate_league(session)
    assert slate.next_lock(session, PICKED, 0) == TIPS["noon"]
    assert slate.next_lock(session, PICKED, 10) == TIPS["noon"] - timedelta(minutes=10)
    # Once noon has locked, the countdown moves to the 23:30 ET game.
    assert slate.next_lock(session, TIPS["noon"], 0) == TIPS["late"]
    assert slate.next_lock(session, TIPS["next"], 0) is None
    result = page(session, None, TIPS["noon"])
    assert result.next_lock == TIPS["late"]
    assert [(d.day, [c.game.id for c in d.cards]) for d in result.days] == [
        (date(2026, 11, 22), ["noon", "late"]),  # 23:30 ET belongs to Nov 22, not the UTC date
        (date(2026, 11, 23), ["next"]),
    ]
    assert slate.group_by_day([]) == []


def slate_statements(engine: Engine, games: int) -> int:
    """Half the games locked at noon ET, half open tonight; two players pick every game."""
    with Session(engine, expire_on_commit=False) as session:
        for n in range(games):
            tip = (TIPS["noon"] if n % 2 == 0 else utc("2026-11-23T00:00")) + timedelta(minutes=n)
            make_game(session, f"s{games}-{n}", tip, fetched_at=FETCHED)
        for name in (f"ann{games}", f"ben{games}"):
            player = make_user(session, name, FETCHED)
            wanted = [(f"s{games}-{n}", "h2h", "Boston Celtics") for n in range(games)]
            make_picks(session, player, PICKED, *wanted)
        session.commit()
        user_id = player.id
    now = utc("2026-11-22T20:00")  # 3 pm ET: the noon games locked, the evening ones open
    with Session(engine) as session:
        user = session.get(User, user_id)
        with statements(engine) as seen:
            result = page(session, user, now)
            # Everything the page renders is loaded: touching it runs no further SQL.
            for card in result.cards:
                _ = (card.game.home_team, [p.selection for p in card.my_picks.values()])
            for rows in result.locked_picks.values():
                _ = [(p.username, p.pick.selection, p.pick.price) for p in rows]
    locked = sum(1 for c in result.cards if not c.is_open and c.game.id.startswith(f"s{games}-"))
    assert locked == (games + 1) // 2
    assert sum(len(rows) for rows in result.locked_picks.values()) >= 2 * locked
    return len(seen)


def test_slate_page_runs_a_fixed_number_of_statements(engine: Engine) -> None:
    few = slate_statements(engine, 2)
    many = slate_statements(engine, 12)
    # games, current lines, fetch times, my picks, locked games' picks, next lock (one fetch
    # each: no first-fetch boards to read for moves)
    assert few == many == 6


def test_my_pick_counts_match_the_lists(session: Session) -> None:
    players = slate_league(session)
    alice, bob = players["alice"], players["bob"]
    admin.settle(session, "noon", 110, 100, by="ref", now=TIPS["noon"] + timedelta(hours=3))
    for user, pending in ((alice, None), (alice, True), (alice, False), (bob, None), (bob, True)):
        rows = picks.my_pick_rows(session, user, limit=200, pending=pending)
        assert picks.count_my_picks(session, user, pending) == len(rows)
    assert [r.game.id for r in picks.my_pick_rows(session, bob)] == ["late", "noon", "noon"]
    assert picks.count_my_picks(session, bob, pending=False) == 2
    # The existing list is unchanged and agrees on the order.
    assert [v.pick.id for v in picks.my_picks(session, bob)] == [
        r.pick.id for r in picks.my_pick_rows(session, bob)
    ]


def play(session: Session, game_id: str, tip, home_price: int, picks_: list, score: tuple) -> None:  # type: ignore[no-untyped-def,type-arg]
    make_game(
        session,
        game_id,
        tip,
        Book(h2h=(home_price, -110)),
        home=f"{game_id} H",
        away=f"{game_id} A",
        sport="americanfootball_nfl" if score[0] == score[1] else "basketball_nba",  # may tie
    )
    for player, side in picks_:
        make_picks(session, player, tip - timedelta(hours=1), (game_id, "h2h", side))
    admin.settle(session, game_id, *score, by="ref", now=tip + timedelta(hours=3))


@pytest.mark.parametrize("period", leaderboard.PERIODS)
def test_count_leaderboard_matches_its_rows(session: Session, period: str) -> None:
    """NOW is Sunday Nov 22 (ET): the week began Monday Nov 16, the month Nov 1.
    alice: a win on Oct 20 (all time only) and a win on Nov 18 (all periods);
    bob: a loss on Nov 5 (all time, month); carol: a push on Nov 20 (wagered: all periods);
    dave: a void pick on Nov 19 (counts nowhere); erin: never picks (all time only).
    all: 5 players; season (from the first game, Oct 21) and month: alice, bob, carol; week:
    alice, carol."""
    now = utc("2026-11-22T12:00")
    start = utc("2026-10-01T12:00")
    alice, bob, carol, dave = (
        make_user(session, n, start) for n in ("alice", "bob", "carol", "dave")
    )
    make_user(session, "erin", start)
    play(session, "oct", utc("2026-10-21T00:00"), -110, [(alice, "oct H")], (100, 90))
    play(session, "nov5", utc("2026-11-06T00:00"), -110, [(bob, "nov5 H")], (90, 100))
    play(session, "nov18", utc("2026-11-19T00:00"), -110, [(alice, "nov18 H")], (100, 90))
    play(session, "nov20", utc("2026-11-21T00:00"), -110, [(carol, "nov20 H")], (95, 95))
    make_game(session, "nov19", utc("2026-11-20T00:00"), home="v H", away="v A")
    make_picks(session, dave, utc("2026-11-19T12:00"), ("nov19", "h2h", "v H"))
    admin.void(session, "nov19", by="ref", now=utc("2026-11-20T03:00"))
    expected = {"all": 5, "season": 3, "month": 3, "week": 2}[period]
    rows = leaderboard.leaderboard(session, period, now, NY, limit=200)
    assert leaderboard.count_leaderboard(session, period, now, NY) == len(rows) == expected
    ranks = {r.username: r.rank for r in rows}
    for name in ("alice", "bob", "carol", "dave", "erin"):
        assert leaderboard.rank_of(session, name.upper(), period, now, NY) == ranks.get(name)
