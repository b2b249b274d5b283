"""The league board reads from the database only the picks that can count (void picks, other
markets, prices outside the window and, with no daily cap, pending picks stay behind): what it
leaves out must be exactly what the rules would refuse. Worked by hand at the edges a filter on
whole prices could get wrong, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from pickvs.models import User
from pickvs.services import admin, leagues
from tests.services.builders import Book, make_game, make_picks, make_user, utc

NY = ZoneInfo("America/New_York")
NOW = utc("2026-11-22T12:00")
H = timedelta(hours=1)
TIP_A = utc("2026-11-19T00:00")  # Wednesday Nov 18, 19:00 in New York
TIP_B = utc("2026-11-19T01:00")  # the same slate day, 20:00


def record(board: list[leagues.LeagueBoardRow]) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {
        r.username: (r.ranked, r.wins, r.losses, r.pushes, round(r.total_units, 6)) for r in board
    }


def league_of(session: Session, players: list[User], settings: dict) -> int:  # type: ignore[type-arg]
    made = leagues.create_league(session, players[0].id, "Edges", "", settings, now=NOW)
    for player in players[1:]:
        leagues.join_league(session, player.id, made.invite_code, NOW)
    return made.id


def test_an_even_money_end_takes_in_both_even_prices(session: Session) -> None:
    """-100 and +100 both pay 1.0 unit, so "nothing shorter than +100" keeps a -100 pick and
    "nothing longer than -100" keeps a +100 one, though -100 < +100 as numbers.

    g1: ann home -100 (wins +1.0), bob away +100 (loses). g2: cyd home -110 (wins +0.909091),
    dee away +105 (loses)."""
    ann, bob, cyd, dee = (
        make_user(session, n, TIP_A - 48 * H) for n in ("ann", "bob", "cyd", "dee")
    )
    make_game(session, "g1", TIP_A, Book(h2h=(-100, 100)))
    make_game(session, "g2", TIP_B, Book(h2h=(-110, 105)))
    make_picks(session, ann, TIP_A - 6 * H, ("g1", "h2h", "home"))
    make_picks(session, bob, TIP_A - 6 * H, ("g1", "h2h", "away"))
    make_picks(session, cyd, TIP_A - 6 * H, ("g2", "h2h", "home"))
    make_picks(session, dee, TIP_A - 6 * H, ("g2", "h2h", "away"))
    admin.settle(session, "g1", 110, 100, by="ref", now=TIP_A + 3 * H)
    admin.settle(session, "g2", 110, 100, by="ref", now=TIP_B + 3 * H)
    players = [ann, bob, cyd, dee]
    no_shorter = league_of(session, players, {"shortest_price": 100, "min_ranked": 1})
    no_longer = league_of(session, players, {"longest_price": -100, "min_ranked": 1})
    both = league_of(
        session, players, {"shortest_price": -100, "longest_price": 100, "min_ranked": 1}
    )

    def board(league_id: int) -> dict[str, tuple]:  # type: ignore[type-arg]
        return record(leagues.league_board(session, league_id, ann.id, "all", NOW, NY))

    assert board(no_shorter) == {
        "ann": (True, 1, 0, 0, 1.0),  # -100 pays what +100 pays: in
        "bob": (True, 0, 1, 0, -1.0),
        "dee": (True, 0, 1, 0, -1.0),
        "cyd": (False, 0, 0, 0, 0.0),  # -110 pays 0.909: shorter than even, out
    }
    assert board(no_longer) == {
        "ann": (True, 1, 0, 0, 1.0),
        "cyd": (True, 1, 0, 0, 0.909091),
        "bob": (True, 0, 1, 0, -1.0),  # +100 pays what -100 pays: in
        "dee": (False, 0, 0, 0, 0.0),  # +105 is longer than even, out
    }
    assert board(both) == {
        "ann": (True, 1, 0, 0, 1.0),
        "bob": (True, 0, 1, 0, -1.0),
        "cyd": (False, 0, 0, 0, 0.0),
        "dee": (False, 0, 0, 0, 0.0),
    }


def test_a_pending_pick_takes_its_place_under_the_daily_cap(session: Session) -> None:
    """ann's first pick of Nov 18 is on gA, never settled (pending); her second, on gB, wins.
    Under a cap of one a day the pending pick holds the day's place, so the win does not count;
    with no cap it does. bob's void pick on gV, made first, holds no place: his gB win counts."""
    ann, bob = (make_user(session, n, TIP_A - 48 * H) for n in ("ann", "bob"))
    make_game(session, "gA", TIP_A, Book())
    make_game(session, "gV", TIP_A + H / 2, Book())
    make_game(session, "gB", TIP_B, Book())
    make_picks(session, ann, TIP_A - 7 * H, ("gA", "h2h", "home"))
    make_picks(session, bob, TIP_A - 7 * H, ("gV", "h2h", "home"))
    make_picks(session, ann, TIP_A - 6 * H, ("gB", "h2h", "home"))
    make_picks(session, bob, TIP_A - 6 * H, ("gB", "h2h", "home"))
    admin.void(session, "gV", by="ref", now=TIP_B + 3 * H)
    admin.settle(session, "gB", 110, 100, by="ref", now=TIP_B + 3 * H)
    capped = league_of(session, [ann, bob], {"daily_cap": 1, "min_ranked": 1})
    open_ended = league_of(session, [ann, bob], {"min_ranked": 1})
    win = round(100 / 180, 6)  # the home side at -180

    def board(league_id: int, period: str) -> dict[str, tuple]:  # type: ignore[type-arg]
        return record(leagues.league_board(session, league_id, bob.id, period, NOW, NY))

    for period in ("week", "all"):
        assert board(capped, period) == {
            "bob": (True, 1, 0, 0, win),
            "ann": (False, 0, 0, 0, 0.0),
        }
        assert board(open_ended, period) == {
            "ann": (True, 1, 0, 0, win),
            "bob": (True, 1, 0, 0, win),
        }
