"""The game page's read model and the slate card's additions, with hand-worked values: how old
the lines are (league time), how the reference line moved, the chart's points, everyone's picks
only after the lock, and the unpicked count on the league's slate day (not the UTC date)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from pickvs.domain import live
from pickvs.models import Game
from pickvs.services import game_page, lines, slate
from pickvs.services.errors import NotFound
from pickvs.services.game_page import HistoryPoint, MarketHistory, chart, lines_from_text
from pickvs.services.lines import Quote
from tests.services.builders import (
    POLICY,
    Book,
    add_lines,
    make_game,
    make_picks,
    make_user,
    utc,
)

NY = ZoneInfo("America/New_York")
BOOKS = POLICY.bookmakers
AWAY, HOME = "Milwaukee Bucks", "Boston Celtics"
M = "\N{MINUS SIGN}"
A = "\N{RIGHTWARDS ARROW}"


# --- line age ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fetched", "now", "text"),
    [
        # 23:42 UTC is 6:42 pm EST the same slate day (Nov 22), though 01:00 UTC is Nov 23
        ("2026-11-22T23:42", "2026-11-23T01:00", "lines from 6:42 pm"),
        ("2026-11-22T10:05", "2026-11-22T12:00", "lines from 5:05 am"),
        ("2026-11-22T17:00", "2026-11-22T18:00", "lines from 12:00 pm"),
        ("2026-11-22T05:00", "2026-11-22T12:00", "lines from 12:00 am"),
        # 04:05 UTC Nov 22 is 11:05 pm EST Saturday: another slate day names its day
        ("2026-11-22T04:05", "2026-11-22T12:00", "lines from Sat 11:05 pm"),
        # summer time: 22:42 UTC is 6:42 pm EDT
        ("2026-06-01T22:42", "2026-06-01T23:00", "lines from 6:42 pm"),
    ],
)
def test_lines_from_reads_in_league_time(fetched: str, now: str, text: str) -> None:
    assert lines_from_text(utc(fetched), utc(now), NY) == text


def test_no_fetch_no_line_age() -> None:
    assert lines_from_text(None, utc("2026-11-22T12:00"), NY) == ""


# --- moves -------------------------------------------------------------------------------------

OPEN = utc("2026-11-22T10:00")  # 5 am EST: the morning fetch
LATER = utc("2026-11-22T22:00")  # 5 pm EST
TIP = utc("2026-11-23T00:30")  # 7:30 pm EST
NOW = utc("2026-11-22T23:00")


def moved_game(session: Session, game_id: str = "g1") -> Game:
    """DraftKings opens Celtics -180 / -3.5 / 227.5 and moves to -200 / -5, total at the same
    point with new prices (not a move); FanDuel pays +175 on the Bucks later."""
    game = make_game(
        session, game_id, TIP, Book(h2h=(-180, 150), spreads=(-3.5, -110, -110)), fetched_at=OPEN
    )
    add_lines(
        session,
        game,
        LATER,
        Book(h2h=(-200, 165), spreads=(-5.0, -110, -110), totals=(227.5, -115, -105)),
        Book("fanduel", h2h=(-210, 175), spreads=(-5.5, -105, -115), totals=None),
    )
    return game


def test_a_slate_card_says_how_old_its_lines_are_and_how_the_reference_line_moved(
    session: Session,
) -> None:
    moved_game(session)
    make_game(session, "still", TIP + timedelta(hours=1), Book(), fetched_at=OPEN)
    cards = {
        c.game.id: c
        for c in slate.slate_cards(
            session, None, NOW, NY, lock_minutes=0, bookmakers=BOOKS, history=True
        )
    }

    card = cards["g1"]
    assert card.fetched is not None
    assert (card.fetched.first, card.fetched.latest) == (OPEN, LATER)
    assert lines_from_text(card.fetched.latest, NOW, NY) == "lines from 5:00 pm"
    assert [m.text(HOME) for m in card.moves] == [
        f"Moneyline Celtics {M}180 {A} {M}200",
        f"Spread Celtics {M}3.5 {A} {M}5",
    ]
    assert cards["still"].moves == []  # one fetch: nothing moved
    assert lines_from_text(cards["still"].fetched.latest, NOW, NY) == "lines from 5:00 am"


def test_a_total_moves_by_its_point_and_a_dog_by_its_price(session: Session) -> None:
    game = make_game(
        session, "g2", TIP, Book(h2h=(120, -140), totals=(221.0, -110, -110)), fetched_at=OPEN
    )
    add_lines(session, game, LATER, Book(h2h=(-105, -115), totals=(218.5, -110, -110)))
    (card,) = slate.slate_cards(
        session, None, NOW, NY, lock_minutes=0, bookmakers=BOOKS, history=True
    )
    assert [m.text(HOME) for m in card.moves] == [
        f"Moneyline Celtics +120 {A} {M}105",
        f"Total 221 {A} 218.5",
    ]


def test_a_move_falls_back_to_the_first_fetchs_own_reference_book(session: Session) -> None:
    """DraftKings, the reference book now, had no spread at the first fetch: the spread's move
    is told from FanDuel's opening -3, the first fetch's own reference book for spreads."""
    game = make_game(
        session,
        "g3",
        TIP,
        Book(h2h=(-180, 150), spreads=None, totals=None),
        Book("fanduel", h2h=(-175, 145), spreads=(-3.0, -110, -110), totals=None),
        fetched_at=OPEN,
    )
    add_lines(session, game, LATER, Book(h2h=(-180, 150), spreads=(-5.0, -110, -110), totals=None))
    (card,) = slate.slate_cards(
        session, None, NOW, NY, lock_minutes=0, bookmakers=BOOKS, history=True
    )
    assert [m.text(HOME) for m in card.moves] == [f"Spread Celtics {M}3 {A} {M}5"]


def test_the_opening_lines_read_narrowly_give_the_moves_of_the_whole_first_boards(
    session: Session,
) -> None:
    """`opening_boards` reads only the current reference books' opening quotes (and a whole
    board where it must): every move equals the one told from the whole first boards."""
    shapes = [
        (Book(), Book(h2h=(-200, 165), spreads=(-6.0, -110, -110))),
        (Book(spreads=None), Book(spreads=(-2.5, -110, -110))),  # fanduel opened the spread
        (Book(h2h=None, spreads=None, totals=None), Book(totals=(230.0, -110, -110))),
        (Book("betmgm"), Book("betmgm", h2h=(130, -150))),  # the reference is the 3rd book
    ]
    games = []
    for number, (opened, later) in enumerate(shapes):
        game = make_game(
            session,
            f"n{number}",
            TIP,
            opened,
            Book("fanduel", spreads=(-4.0, -105, -115)),
            Book("zbook", totals=(225.0, -110, -110)),
            fetched_at=OPEN,
        )
        add_lines(session, game, LATER, later, Book("zbook", totals=(226.0, -110, -110)))
        games.append(game)
    latest = lines.current_boards(session, games)
    whole = lines.first_boards(session, games)
    narrow = lines.opening_boards(session, games, latest, BOOKS)
    for game in games:
        for market in ("h2h", "spreads", "totals"):
            current = latest[game.id].get(market)
            told = lines.reference_move(market, whole[game.id].get(market), current, BOOKS)
            assert (
                lines.reference_move(market, narrow.get(game.id, {}).get(market), current, BOOKS)
                == told
            ), (game.id, market)
    assert sum(len(board.by_book) for board in narrow["n0"].values()) == 3  # one book a market


# --- the chart ---------------------------------------------------------------------------------


def test_the_chart_steps_from_the_first_fetch_to_now() -> None:
    """240 x 60 with 6 px of padding: x runs 6..234 over first fetch..now, y 6 (highest)..54."""
    start = utc("2026-11-22T10:00")

    def point(hours: int, spread: float) -> HistoryPoint:
        quote = Quote("draftkings", "home", HOME, -110, spread)
        return HistoryPoint(start + timedelta(hours=hours), quote)

    history = MarketHistory("spreads", "draftkings", "home", [point(0, -3.5), point(2, -5.0)])
    drawn = chart(history, start + timedelta(hours=4))
    assert drawn is not None
    # -3.5 is the highest value (top, y 6), -5 the lowest (y 54); the move comes at 2 h of 4
    assert drawn.points == "6,6 120,6 120,54 234,54"
    assert (drawn.first, drawn.last) == ((6, 6), (234, 54))
    assert (drawn.top, drawn.bottom) == (f"{M}3.5", f"{M}5")


def test_a_line_that_never_moved_is_drawn_level_and_a_moneyline_by_probability() -> None:
    start = utc("2026-11-22T10:00")
    quotes = [(0, -180), (1, -180), (3, 150)]  # 64.3 % -> 40 %: the dog end is lower
    history = MarketHistory(
        "h2h",
        "draftkings",
        "home",
        [
            HistoryPoint(start + timedelta(hours=h), Quote("draftkings", "home", HOME, p, None))
            for h, p in quotes
        ],
    )
    drawn = chart(history, start + timedelta(hours=3))
    assert drawn is not None
    assert drawn.points == "6,6 82,6 82,6 234,6 234,54 234,54"
    assert (drawn.top, drawn.bottom) == (f"{M}180", "+150")
    total = Quote("draftkings", "over", "Over", -110, 227.5)
    level = MarketHistory("totals", "draftkings", "over", [HistoryPoint(start, total)])
    flat = chart(level, start + timedelta(hours=1))
    assert flat is not None and flat.points == "6,30 234,30"
    assert (flat.top, flat.bottom) == ("227.5", "")  # one label for a level line
    assert chart(MarketHistory("totals", "draftkings", "over", []), start) is None


# --- the game page -----------------------------------------------------------------------------


def test_the_game_page_has_every_book_the_best_price_and_the_reference_history(
    session: Session,
) -> None:
    game = moved_game(session)
    alice, bob = make_user(session, "alice", OPEN), make_user(session, "bob", OPEN)
    make_picks(session, alice, OPEN, ("g1", "spreads", HOME))
    make_picks(session, bob, LATER, ("g1", "h2h", AWAY))

    page = game_page.game_page(session, alice, game.id, NOW, lock_minutes=0, bookmakers=BOOKS)

    assert (page.is_open, page.in_play) == (True, False)
    assert page.fetched is not None and (page.fetched.first, page.fetched.latest) == (OPEN, LATER)
    assert sorted(page.boards["h2h"].by_book) == ["draftkings", "fanduel"]
    assert sorted(page.boards["totals"].by_book) == ["draftkings"]  # FanDuel dropped it
    best_away = page.boards["h2h"].best("away")
    assert best_away is not None and (best_away.bookmaker, best_away.price) == ("fanduel", 175)
    assert page.references == {"h2h": "draftkings", "spreads": "draftkings", "totals": "draftkings"}
    spread = page.histories["spreads"]
    assert [(p.fetched_at, p.quote.point) for p in spread.points] == [(OPEN, -3.5), (LATER, -5.0)]
    assert [m.market for m in page.moves] == ["h2h", "spreads"]
    # Open: alice sees her own pick and nobody else's.
    assert [(p.market, p.selection) for p in page.my_picks] == [("spreads", HOME)]
    assert page.picks == []

    locked = game_page.game_page(
        session, alice, game.id, TIP + timedelta(minutes=30), lock_minutes=0, bookmakers=BOOKS
    )
    assert (locked.is_open, locked.in_play) == (False, True)
    assert sorted((p.username, p.pick.market) for p in locked.picks) == [
        ("alice", "spreads"),
        ("bob", "h2h"),
    ]


def test_an_unknown_game_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        game_page.game_page(session, None, "nope", NOW, lock_minutes=0, bookmakers=BOOKS)


def test_in_play_from_tip_off_until_settled_or_five_hours() -> None:
    assert not live.in_play("scheduled", TIP, TIP - timedelta(seconds=1))
    assert live.in_play("scheduled", TIP, TIP)  # the status lags: the clock decides
    assert live.in_play("in_progress", TIP, TIP + timedelta(hours=4, minutes=59))
    assert not live.in_play("in_progress", TIP, TIP + timedelta(hours=5))
    assert not live.in_play("final", TIP, TIP + timedelta(hours=1))
    assert not live.in_play("postponed", TIP, TIP + timedelta(hours=1))


def test_the_fingerprint_changes_with_a_live_score_a_fetch_and_a_lock(session: Session) -> None:
    game = moved_game(session)
    before = slate.fingerprint(session, [game.id], NOW, 0)
    assert slate.fingerprint(session, [game.id], NOW, 0) == before  # nothing changed
    locked = slate.fingerprint(session, [game.id], TIP, 0)
    assert locked != before  # the game locked
    game.live_home_score, game.live_away_score, game.live_at = 60, 54, TIP + timedelta(hours=1)
    session.flush()
    scored = slate.fingerprint(session, [game.id], TIP, 0)
    assert scored != locked
    game.live_home_score = 62  # a basket, same live_at (a writer that forgot to move it)
    session.flush()
    assert slate.fingerprint(session, [game.id], TIP, 0) != scored
    add_lines(session, game, TIP - timedelta(minutes=5), Book())
    assert slate.fingerprint(session, [game.id], TIP, 0) != scored
    assert slate.fingerprint(session, [], TIP, 0) == ""


# --- unpicked today ----------------------------------------------------------------------------


def test_unpicked_counts_todays_open_games_in_league_time_not_utc(session: Session) -> None:
    """At 10 pm EST on Sunday Nov 22 (03:00 UTC Monday Nov 23): today's slate is Nov 22 in New
    York. A game at noon EST Monday is on the same UTC date but tomorrow's slate."""
    now = utc("2026-11-23T03:00")
    tips = {
        "late": utc("2026-11-23T04:00"),  # 11 pm EST Sunday: today, open
        "monday": utc("2026-11-23T17:00"),  # noon EST Monday: tomorrow (same UTC date)
        "tipped": utc("2026-11-23T02:00"),  # 9 pm EST Sunday: locked
        "mine": utc("2026-11-23T04:30"),  # today, alice picked it
        "bobs": utc("2026-11-23T04:45"),  # today, only bob picked it
    }
    for game_id, tip in tips.items():
        make_game(session, game_id, tip, Book(), fetched_at=utc("2026-11-22T10:00"))
    alice, bob = make_user(session, "alice", now), make_user(session, "bob", now)
    make_picks(session, alice, now, ("mine", "totals", "Over"))
    make_picks(session, bob, now, ("bobs", "h2h", HOME), ("bobs", "spreads", HOME))

    def count(player) -> int:  # type: ignore[no-untyped-def]
        return slate.unpicked_today(session, player, now, NY, lock_minutes=0)

    assert count(alice) == 2  # late, bobs (by the UTC date it would be 3: + monday)
    assert count(bob) == 2  # late, mine
    # Picks closing 61 minutes before tip-off: "late" (an hour away) has locked, "mine"
    # (90 minutes away) has not.
    assert slate.unpicked_today(session, bob, now, NY, lock_minutes=61) == 1
    # At 11:59 pm EST every one of today's games has tipped: nothing left to pick today.
    assert slate.unpicked_today(session, alice, utc("2026-11-23T04:59"), NY, lock_minutes=0) == 0
