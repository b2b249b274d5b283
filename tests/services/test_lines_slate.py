"""Current lines (reference book, best price, latest fetch) and the slate grouped by ET day."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from pickvs.models import Game
from pickvs.services import slate
from pickvs.services.lines import current_boards
from tests.services.builders import Book, add_lines, make_game, make_picks, make_user, utc

NY = ZoneInfo("America/New_York")
TIP = utc("2026-11-23T00:40")
FETCH = utc("2026-11-22T10:00")


def boards(session: Session, game: Game):  # type: ignore[no-untyped-def]
    return current_boards(session, [game])[game.id]


def test_reference_book_follows_the_priority_list(session: Session) -> None:
    game = make_game(
        session,
        "g1",
        TIP,
        Book("draftkings", h2h=(-180, 150)),
        Book("fanduel", h2h=(-175, 155)),
        Book("betmgm", h2h=(-190, 160)),
        fetched_at=FETCH,
    )
    board = boards(session, game)["h2h"]
    assert board.reference(["fanduel", "draftkings"])["away"].bookmaker == "fanduel"  # type: ignore[index]
    assert board.reference(["draftkings", "fanduel"])["away"].price == 150  # type: ignore[index]
    assert board.reference(["unknownbook", "betmgm"])["home"].price == -190  # type: ignore[index]
    # No listed book offers it: the first other book by name (betmgm < draftkings < fanduel).
    assert board.reference(["pinnacle"])["home"].bookmaker == "betmgm"  # type: ignore[index]
    assert board.reference([])["home"].bookmaker == "betmgm"  # type: ignore[index]


def test_reference_falls_back_when_the_first_book_lacks_the_market(session: Session) -> None:
    game = make_game(
        session,
        "g1",
        TIP,
        Book("fanduel", spreads=None),
        Book("draftkings", spreads=(-5.5, -105, -115)),
        fetched_at=FETCH,
    )
    market = boards(session, game)
    priority = ["fanduel", "draftkings"]
    assert market["h2h"].reference(priority)["home"].bookmaker == "fanduel"  # type: ignore[index]
    spread = market["spreads"].reference(priority)
    assert spread is not None
    assert {side: (q.bookmaker, q.price, q.point) for side, q in spread.items()} == {
        "home": ("draftkings", -105, -5.5),
        "away": ("draftkings", -115, 5.5),
    }


def test_best_price_across_books(session: Session) -> None:
    game = make_game(
        session,
        "g1",
        TIP,
        Book("draftkings", h2h=(-180, 150), totals=(227.5, -108, -112)),
        Book("fanduel", h2h=(-170, 145), totals=(227.5, -115, -105)),
        Book("betmgm", h2h=(-185, 160), totals=(228.5, -110, -110)),
        fetched_at=FETCH,
    )
    market = boards(session, game)
    best = {
        side: (q.bookmaker, q.price) for side in ("home", "away") if (q := market["h2h"].best(side))
    }
    assert best == {"home": ("fanduel", -170), "away": ("betmgm", 160)}
    assert market["totals"].best("over").bookmaker == "draftkings"  # type: ignore[union-attr]
    assert market["totals"].best("under").price == -105  # type: ignore[union-attr]
    assert market["h2h"].best("over") is None


def test_only_the_latest_fetch_counts(session: Session) -> None:
    game = make_game(session, "g1", TIP, Book("fanduel"), Book("draftkings"), fetched_at=FETCH)
    # The next fetch has only draftkings, without totals: fanduel and the total are gone.
    add_lines(
        session, game, utc("2026-11-22T16:00"), Book("draftkings", h2h=(-200, 170), totals=None)
    )
    market = boards(session, game)
    assert set(market) == {"h2h", "spreads"}
    assert set(market["h2h"].by_book) == {"draftkings"}
    assert market["h2h"].reference(["fanduel", "draftkings"])["away"].price == 170  # type: ignore[index]


def test_boards_of_some_markets_only(session: Session) -> None:
    game = make_game(session, "g1", TIP, Book("fanduel"), Book("draftkings"), fetched_at=FETCH)
    # The later fetch drops totals: asking for totals alone still finds nothing, not the
    # older fetch's total.
    add_lines(session, game, utc("2026-11-22T16:00"), Book("draftkings", totals=None))
    spreads = current_boards(session, [game], {"spreads"})[game.id]
    assert set(spreads) == {"spreads"}
    assert set(spreads["spreads"].by_book) == {"draftkings"}
    assert spreads["spreads"].by_book["draftkings"]["home"].point == -4.5
    assert current_boards(session, [game], {"totals"}) == {}
    assert set(current_boards(session, [game], {"h2h", "spreads"})[game.id]) == {"h2h", "spreads"}


def test_boards_for_many_games_and_none(session: Session) -> None:
    g1 = make_game(session, "g1", TIP, fetched_at=FETCH)
    g2 = make_game(
        session,
        "g2",
        TIP,
        Book(h2h=(-120, 100)),
        fetched_at=utc("2026-11-22T11:00"),
        home="Los Angeles Lakers",
        away="Phoenix Suns",
    )
    all_boards = current_boards(session, [g1, g2])
    assert all_boards["g1"]["h2h"].by_book["draftkings"]["home"].name == "Boston Celtics"
    assert all_boards["g2"]["h2h"].by_book["draftkings"]["home"].price == -120
    assert current_boards(session, []) == {}


def make_slate(session: Session) -> dict[str, Game]:
    fetched = utc("2026-11-21T10:00")
    tips = {
        "early": utc("2026-11-22T17:00"),  # noon ET Nov 22
        "late": utc("2026-11-23T04:30"),  # 23:30 ET Nov 22 (next UTC date)
        "next": utc("2026-11-24T00:10"),  # 7:10 pm ET Nov 23
        "third": utc("2026-11-25T04:59"),  # 23:59 ET Nov 24: last minute of the third day
        "fourth": utc("2026-11-25T05:00"),  # midnight ET Nov 25: outside the 3-day slate
        "past": utc("2026-11-22T11:00"),  # 6 am ET today, already tipped at 12:00Z
    }
    return {name: make_game(session, name, tip, fetched_at=fetched) for name, tip in tips.items()}


def test_slate_groups_by_et_day_and_hides_locked_games(session: Session) -> None:
    make_slate(session)
    now = utc("2026-11-22T12:00")  # 7 am ET on Nov 22
    cards = slate.slate_cards(session, None, now, NY, lock_minutes=0, bookmakers=["draftkings"])
    assert [(c.game.id, c.slate_day) for c in cards] == [
        ("early", date(2026, 11, 22)),
        ("late", date(2026, 11, 22)),
        ("next", date(2026, 11, 23)),
        ("third", date(2026, 11, 24)),
    ]
    assert all(c.is_open for c in cards)
    card = cards[0]
    assert set(card.lines) == {"h2h", "spreads", "totals"}
    assert card.lines["spreads"].reference["home"].point == -4.5
    assert card.lines["h2h"].best["away"].price == 150
    assert card.lock_at == utc("2026-11-22T17:00")


def test_slate_include_locked_and_lock_offset(session: Session) -> None:
    make_slate(session)
    now = utc("2026-11-22T16:55")  # five minutes before the noon game
    ids = lambda cards: [c.game.id for c in cards]  # noqa: E731
    assert ids(slate.slate_cards(session, None, now, NY, lock_minutes=0, bookmakers=[]))[:1] == [
        "early"
    ]
    # With a 10-minute lock offset the noon game closed at 11:50 ET.
    cards = slate.slate_cards(session, None, now, NY, lock_minutes=10, bookmakers=[])
    assert "early" not in ids(cards)
    cards = slate.slate_cards(
        session, None, now, NY, lock_minutes=10, bookmakers=[], include_locked=True
    )
    assert ids(cards)[:2] == ["past", "early"]
    assert [c.is_open for c in cards[:3]] == [False, False, True]
    assert cards[1].lock_at == utc("2026-11-22T16:50")


def test_slate_at_night_still_shows_the_et_day(session: Session) -> None:
    make_slate(session)
    now = utc("2026-11-23T04:00")  # 11 pm ET Nov 22: the UTC date has moved on, the slate has not
    cards = slate.slate_cards(session, None, now, NY, lock_minutes=0, bookmakers=[], days=1)
    assert [c.game.id for c in cards] == ["late"]


def test_slate_shows_the_players_own_picks(session: Session) -> None:
    games = make_slate(session)
    now = utc("2026-11-22T12:00")
    alice = make_user(session, "alice", now)
    bob = make_user(session, "bob", now)
    make_picks(session, alice, now, ("early", "h2h", "Milwaukee Bucks"), ("next", "totals", "Over"))
    make_picks(session, bob, now, ("early", "spreads", "Boston Celtics"))
    cards = {
        c.game.id: c
        for c in slate.slate_cards(
            session, alice, now, NY, lock_minutes=0, bookmakers=["draftkings"]
        )
    }
    assert {m: p.selection for m, p in cards["early"].my_picks.items()} == {
        "h2h": "Milwaukee Bucks"
    }
    assert set(cards["next"].my_picks) == {"totals"}
    assert cards["late"].my_picks == {}
    anonymous = slate.slate_cards(session, None, now, NY, lock_minutes=0, bookmakers=[])
    assert all(c.my_picks == {} for c in anonymous)
    assert games["early"].id == "early"
    assert now + timedelta(hours=5) == games["early"].commence_time
