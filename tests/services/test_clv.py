"""services.clv.update_clv on SQLite and PostgreSQL: closing lines found, CLV stored once at the
lock and again on a later closing fetch, the pick's book else the reference book, void picks
cleared, league boards' cache key moved, and nothing done (cheaply) when nothing is new."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.models import Game, Pick, User
from pickvs.services import admin, clv
from tests.services.builders import (
    AWAY_TEAM,
    HOME_TEAM,
    POLICY,
    Book,
    add_lines,
    make_game,
    make_picks,
    make_user,
    picked_game,
    reload,
    utc,
)

TIP = utc("2026-11-23T00:10")
OPEN = TIP - timedelta(days=1)  # the first fetch
PICKED = TIP - timedelta(hours=20)
LATE = TIP - timedelta(hours=1)  # the last fetch before tip-off: the closing line
AFTER = TIP + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def book_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "bookmakers", list(POLICY.bookmakers))


def _spread_closing_two_points_lower(session: Session) -> tuple[Game, User, list[Pick]]:
    """The issue's example: Ann takes the Bucks +4.5 at -110; the spread closes +2.5."""
    return picked_game(
        session,
        TIP,
        Book(spreads=(-4.5, -110, -110)),
        ("spreads", AWAY_TEAM),
        closing=Book(spreads=(-2.5, -110, -110)),
    )


def _pick(session: Session, pick_id: int | None) -> Pick:
    reload(session)
    pick = session.get(Pick, pick_id)
    assert pick is not None
    return pick


def test_the_issues_example_plus_four_and_a_half_closing_plus_two_and_a_half(
    session: Session,
) -> None:
    _, _, (pick,) = _spread_closing_two_points_lower(session)
    session.commit()

    assert clv.update_clv(session, TIP - timedelta(minutes=5)) == 0  # not locked yet
    assert clv.update_clv(session, AFTER) == 1
    stored = _pick(session, pick.id)
    # Phi(2/12) = 0.566184 against -110's 0.523810: +4.2374 pp
    assert stored.clv == pytest.approx(4.2374, abs=1e-4)
    assert (stored.close_bookmaker, stored.close_price, stored.close_point) == (
        "draftkings",
        -110,
        2.5,
    )
    assert stored.close_fetched_at == LATE
    assert stored.clv_at == AFTER


def test_nothing_new_changes_nothing_and_a_later_closing_fetch_recomputes(
    session: Session,
) -> None:
    game, _, (pick,) = _spread_closing_two_points_lower(session)
    assert clv.update_clv(session, AFTER) == 1
    assert clv.update_clv(session, AFTER + timedelta(minutes=1)) == 0

    # A fetch taken 10 minutes before tip-off, committed after the first computation.
    add_lines(session, game, TIP - timedelta(minutes=10), Book(spreads=(-3.5, -110, -110)))
    assert clv.update_clv(session, AFTER + timedelta(minutes=2)) == 1
    stored = _pick(session, pick.id)
    # +4.5 against a +3.5 close: Phi(1/12) = 0.533206; 53.3206 - 52.3810 = +0.9396
    assert stored.clv == pytest.approx(0.9396, abs=1e-4)
    assert stored.close_point == 3.5
    assert clv.update_clv(session, AFTER + timedelta(minutes=3)) == 0


def test_a_fetch_after_the_lock_is_not_the_closing_line(session: Session) -> None:
    game, _, (pick,) = picked_game(
        session, TIP, Book(h2h=(-180, 150)), ("h2h", HOME_TEAM), policy=_lock(30)
    )
    add_lines(session, game, TIP - timedelta(minutes=40), Book(h2h=(-130, 110)))
    add_lines(session, game, TIP - timedelta(minutes=20), Book(h2h=(-300, 250)))  # after lock
    assert clv.update_clv(session, TIP - timedelta(minutes=29), lock_minutes=30) == 1
    stored = _pick(session, pick.id)
    # Closed -130/+110: fair 0.542744; taken -180 (0.642857): 54.2744 - 64.2857 = -10.0113
    assert stored.close_price == -130
    assert stored.clv == pytest.approx(-10.0113, abs=1e-4)


def _lock(minutes: int):  # type: ignore[no-untyped-def]
    from pickvs.services.picks import PickPolicy

    return PickPolicy(lock_minutes=minutes, bookmakers=POLICY.bookmakers)


def test_the_picks_own_book_when_it_quoted_both_sides_else_the_reference(
    session: Session,
) -> None:
    # Only FanDuel is up when Ann picks, so her pick is at FanDuel; Bob's later one is at
    # DraftKings (first in priority).
    game = make_game(
        session, "g1", TIP, Book("fanduel", h2h=(-150, 130), spreads=None, totals=None),
        fetched_at=OPEN,
    )  # fmt: skip
    ann, bob = make_user(session, "ann", OPEN), make_user(session, "bob", OPEN)
    (ann_pick,) = make_picks(session, ann, PICKED, ("g1", "h2h", HOME_TEAM))
    add_lines(
        session, game, PICKED + timedelta(hours=1),
        Book("draftkings", h2h=(-160, 140), spreads=None, totals=None),
        Book("fanduel", h2h=(-150, 130), spreads=None, totals=None),
    )  # fmt: skip
    (bob_pick,) = make_picks(session, bob, PICKED + timedelta(hours=2), ("g1", "h2h", AWAY_TEAM))
    # The close: both books quote the moneyline; FanDuel for Ann, DraftKings for Bob.
    add_lines(
        session, game, LATE,
        Book("draftkings", h2h=(-180, 150), spreads=None, totals=None),
        Book("fanduel", h2h=(-170, 150), spreads=None, totals=None),
    )  # fmt: skip
    assert clv.update_clv(session, AFTER) == 2
    ann_stored, bob_stored = _pick(session, ann_pick.id), _pick(session, bob_pick.id)
    assert (ann_stored.bookmaker, ann_stored.close_bookmaker) == ("fanduel", "fanduel")
    # FanDuel -170/+150: 0.62963 / (0.62963 + 0.4) = 0.611511; taken -150 (0.6): +1.1511
    assert ann_stored.clv == pytest.approx(1.1511, abs=1e-4)
    assert (bob_stored.bookmaker, bob_stored.close_bookmaker) == ("draftkings", "draftkings")
    # DraftKings +150 side: fair 0.383562; taken +140 (0.416667): -3.3105
    assert bob_stored.clv == pytest.approx(-3.3105, abs=1e-4)


def test_a_book_that_left_the_market_closes_at_the_reference_book(session: Session) -> None:
    game, _, (pick,) = picked_game(
        session, TIP, Book(totals=(227.5, -110, -110)), ("totals", "Over")
    )
    add_lines(
        session, game, LATE,
        Book("draftkings", totals=None),  # DraftKings no longer quotes the total
        Book("fanduel", totals=(230.5, -110, -110)),
    )  # fmt: skip
    assert clv.update_clv(session, AFTER) == 1
    stored = _pick(session, pick.id)
    # Over 227.5 against a 230.5 close at FanDuel: Phi(3/17) = 0.570038: +4.6228
    assert (stored.close_bookmaker, stored.close_point) == ("fanduel", 230.5)
    assert stored.clv == pytest.approx(4.6228, abs=1e-4)


def test_a_market_missing_from_the_closing_fetch_has_no_clv_and_is_not_retried(
    session: Session,
) -> None:
    _, _, (pick,) = picked_game(
        session, TIP, Book(), ("spreads", HOME_TEAM), closing=Book(spreads=None)
    )
    assert clv.update_clv(session, AFTER) == 1
    stored = _pick(session, pick.id)
    assert stored.clv is None and stored.close_price is None
    assert stored.close_fetched_at == LATE
    assert clv.update_clv(session, AFTER + timedelta(minutes=1)) == 0


def test_void_picks_have_no_clv(session: Session) -> None:
    _, _, (pick,) = picked_game(
        session, TIP, Book(), ("h2h", HOME_TEAM), closing=Book(h2h=(-200, 170))
    )
    assert clv.update_clv(session, AFTER) == 1
    assert _pick(session, pick.id).clv is not None

    admin.void(session, "g1", "admin:root", AFTER + timedelta(hours=3))
    assert clv.update_clv(session, AFTER + timedelta(hours=3)) == 1
    stored = _pick(session, pick.id)
    assert stored.status == "void"
    assert stored.clv is None and stored.close_fetched_at is None
    assert clv.update_clv(session, AFTER + timedelta(hours=4)) == 0


def test_a_clv_change_gives_the_player_a_new_picks_version(session: Session) -> None:
    picked_game(session, TIP, Book(), ("h2h", HOME_TEAM), closing=Book(h2h=(-200, 170)))
    make_user(session, "bob", OPEN)  # no pick: his stamp stays
    session.commit()
    before = dict(session.execute(select(User.username, User.picks_version)).all())
    clv.update_clv(session, AFTER)
    reload(session)
    after = dict(session.execute(select(User.username, User.picks_version)).all())
    assert after["ann"] != before["ann"]
    assert after["bob"] == before["bob"]


def test_clv_by_user_averages_picks_with_one(session: Session) -> None:
    # The close: moneyline -200/+170, spread unchanged (-4.5 at -110/-110), total gone.
    _, ann, _ = picked_game(
        session, TIP, Book(), ("h2h", HOME_TEAM), ("spreads", AWAY_TEAM), ("totals", "Over"),
        closing=Book(h2h=(-200, 170), totals=None),
    )  # fmt: skip
    clv.update_clv(session, AFTER)
    # h2h: taken -180 (0.642857); fair 0.666667/(0.666667+0.370370) = 0.642857: 0.0000
    # spread: level close, taken -110: -2.3810. Average of the two: -1.1905.
    assert ann.id is not None
    averages = clv.clv_by_user(session, [ann.id])
    assert averages[ann.id] == pytest.approx(-1.1905, abs=1e-4)
    assert clv.clv_by_user(session, [ann.id], since=AFTER) == {}


def test_cheap_on_a_few_thousand_picks(session: Session) -> None:
    """10 games, 100 players, 3 markets each: 3,000 picks on locked games: the first run
    prices them all; every later run with nothing new reads no pick."""
    books = (Book("draftkings"), Book("fanduel", h2h=(-175, 145)))
    games = [
        make_game(session, f"g{n:02d}", TIP + timedelta(minutes=n), *books, fetched_at=OPEN)
        for n in range(10)
    ]
    players = [make_user(session, f"p{n:03d}", OPEN) for n in range(100)]
    for player in players:
        make_picks(
            session, player, PICKED,
            *((g.id, m, HOME_TEAM) for g in games for m in ("h2h", "spreads")),
            *((g.id, "totals", "Under") for g in games),
        )  # fmt: skip
    for game in games:
        add_lines(session, game, LATE, Book(h2h=(-200, 170)), Book("fanduel"))
    session.commit()
    now = TIP + timedelta(hours=1)
    started = time.perf_counter()
    assert clv.update_clv(session, now) == 3000
    session.commit()
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(10):
        assert clv.update_clv(session, now) == 0
    idle = (time.perf_counter() - started) / 10
    print(
        f"\nupdate_clv: 3000 picks priced in {first * 1000:.0f} ms; idle run {idle * 1000:.1f} ms"
    )
    assert idle < 0.05


# --- picks older than update_clv's window (made before CLV existed, or the app was down) -----

LONG_AFTER = TIP + clv.RECHECK + timedelta(days=7)  # the game locked ten days ago


def test_backfill_prices_an_old_pick_that_update_clv_no_longer_looks_at(session: Session) -> None:
    _, _, (pick,) = _spread_closing_two_points_lower(session)
    session.commit()

    assert clv.update_clv(session, LONG_AFTER) == 0  # outside its three days
    assert _pick(session, pick.id).clv is None

    assert clv.backfill_clv(session, LONG_AFTER) == 1
    stored = _pick(session, pick.id)
    # The issue's example again: Phi(2/12) = 0.566184 against -110's 0.523810: +4.2374 pp
    assert stored.clv == pytest.approx(4.2374, abs=1e-4)
    assert (stored.close_point, stored.close_fetched_at) == (2.5, LATE)
    assert stored.clv_at == LONG_AFTER
    assert clv.backfill_clv(session, LONG_AFTER + timedelta(minutes=1)) == 0  # done once


def test_backfill_prices_only_games_before_update_clvs_window(session: Session) -> None:
    # g1 locked a minute ago: update_clv's game, not the backfill's.
    _, ann, (recent,) = _spread_closing_two_points_lower(session)
    # g2 tipped off ten days before: Ann took the Celtics at -150; it closed -200 / +170.
    old_tip = TIP - timedelta(days=10)
    old = make_game(
        session, "g2", old_tip, Book(h2h=(-150, 130)), fetched_at=old_tip - timedelta(days=1)
    )
    (early,) = make_picks(session, ann, old_tip - timedelta(hours=20), ("g2", "h2h", HOME_TEAM))
    add_lines(session, old, old_tip - timedelta(hours=1), Book(h2h=(-200, 170)))
    session.commit()

    assert clv.backfill_clv(session, AFTER) == 1
    # No-vig close: (200/300) / (200/300 + 100/270) = 0.642857 against -150's 0.6: +4.2857 pp
    assert _pick(session, early.id).clv == pytest.approx(4.2857, abs=1e-4)
    assert _pick(session, recent.id).close_fetched_at is None
    assert clv.update_clv(session, AFTER) == 1
    assert _pick(session, recent.id).clv == pytest.approx(4.2374, abs=1e-4)
    assert clv.backfill_clv(session, AFTER) == 0


def test_backfill_leaves_void_picks_alone(session: Session) -> None:
    _, _, (pick,) = _spread_closing_two_points_lower(session)
    admin.void(session, "g1", "admin:root", AFTER)
    session.commit()

    assert clv.backfill_clv(session, LONG_AFTER) == 0
    stored = _pick(session, pick.id)
    assert stored.status == "void" and stored.clv is None and stored.close_fetched_at is None
