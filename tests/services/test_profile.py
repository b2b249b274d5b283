"""Player profiles: record, rank, units by ET slate day, split by market, and which picks a
viewer may see. Figures are worked by hand in the comments."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from pickvs.models import User
from pickvs.services import admin, leaderboard, profile
from pickvs.services.errors import NotFound
from tests.services.builders import Book, make_game, make_picks, make_user, reload, utc

NY = ZoneInfo("America/New_York")
NOW = utc("2026-11-22T12:00")  # 7 am ET, Sunday Nov 22
FETCHED = utc("2026-11-18T12:00")
PICKED = utc("2026-11-19T12:00")  # before every tip below
H = timedelta(hours=1)

TIPS = {
    "g1": utc("2026-11-19T23:00"),  # 6 pm ET Nov 19 (UTC date Nov 19)
    "g2": utc("2026-11-20T04:30"),  # 23:30 ET Nov 19: UTC date Nov 20, slate day Nov 19
    "g3": utc("2026-11-21T00:30"),  # 7:30 pm ET Nov 20 (UTC date Nov 21)
    "g4": utc("2026-11-21T23:00"),  # 6 pm ET Nov 21: voided by an admin
    "g5": utc("2026-11-23T00:40"),  # 7:40 pm ET Nov 22: still open at NOW
}


def league(session: Session) -> dict[str, User]:
    """alice: -180 win, +150 loss, a total pushed, a void and a pending pick.

    alice  g1 h2h home @-180, 110-100          win   +100/180 = +0.555556
           g2 h2h away @+150, 105-99           loss  -1
           g3 totals Over 227 @-110, 114-113   push  0   (114 + 113 = 227 = the point)
           g4 h2h home, game voided            void  counts nowhere
           g5 spreads home, not played yet     pending
      units 0.555556 - 1 + 0 = -0.444444; wagered 3 (void excluded); ROI -0.444444/3 = -0.148148
      W-L-P 1-1-1.  Moneyline 1-1-0, -0.444444 on 2, ROI -0.222222; Total 0-0-1, 0 on 1, ROI 0.0;
      Spread: nothing graded, ROI None.
    bob    g2 h2h home @-180                   win   +0.555556 -> rank 1, alice rank 2
    carol  no picks: on the all-time board with nothing wagered -> rank 3 of 3

    alice makes her picks newest game first, so pick ids run against game order.
    """
    books = {
        "g1": Book(h2h=(-180, 150)),
        "g2": Book(h2h=(-180, 150)),
        "g3": Book(totals=(227.0, -110, -110)),
        "g4": Book(),
        "g5": Book(),
    }
    for game_id, tip in TIPS.items():
        make_game(session, game_id, tip, books[game_id], fetched_at=FETCHED)
    alice = make_user(session, "alice", FETCHED)
    bob = make_user(session, "bob", FETCHED)
    carol = make_user(session, "carol", FETCHED)
    for wanted in (
        ("g5", "spreads", "Boston Celtics"),
        ("g4", "h2h", "Boston Celtics"),
        ("g3", "totals", "Over"),
        ("g2", "h2h", "Milwaukee Bucks"),
        ("g1", "h2h", "Boston Celtics"),
    ):
        make_picks(session, alice, PICKED, wanted)
    make_picks(session, bob, PICKED, ("g2", "h2h", "Boston Celtics"))
    for game_id, home, away in (("g1", 110, 100), ("g2", 105, 99), ("g3", 114, 113)):
        admin.settle(session, game_id, home, away, by="ref", now=TIPS[game_id] + 3 * H)
    admin.void(session, "g4", by="ref", now=TIPS["g4"] + 3 * H)
    session.commit()
    reload(session)
    return {"alice": alice, "bob": bob, "carol": carol}


def figures(record: profile.Record) -> tuple:  # type: ignore[type-arg]
    roi = None if record.roi is None else round(record.roi, 6)
    return (record.wlp, round(record.units, 6), record.wagered, roi)


def test_profile_record_and_rank(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from pickvs.config import settings

    monkeypatch.setattr(settings, "min_ranked_picks", 1)  # ranked from the first graded pick
    players = league(session)
    alice = profile.profile(session, "ALICE", NOW, NY)  # usernames match in any case
    assert (alice.username, alice.user_id) == ("alice", players["alice"].id)
    assert figures(alice.record) == ("1-1-1", -0.444444, 3.0, -0.148148)
    assert (alice.rank, alice.players) == (2, 3)
    bob = profile.profile(session, "bob", NOW, NY)
    assert figures(bob.record) == ("1-0-0", 0.555556, 1.0, 0.555556)  # 0.555556 / 1
    assert bob.rank == 1
    carol = profile.profile(session, "Carol", NOW, NY)
    assert figures(carol.record) == ("0-0-0", 0.0, 0.0, None)  # no ROI, not 0
    assert carol.rank is None  # nothing wagered: never ranked
    # The profile and the leaderboard say the same thing.
    row = next(r for r in leaderboard.leaderboard(session, "all", NOW, NY) if r.username == "alice")
    assert (row.rank, row.wins, row.losses, row.pushes) == (2, 1, 1, 1)
    assert row.total_units == pytest.approx(alice.record.units)
    assert row.roi == pytest.approx(alice.record.roi)


@pytest.mark.parametrize("name", ["nobody", "", "al\x00ice", "x" * 300])
def test_unknown_profile_is_not_found(session: Session, name: str) -> None:
    make_user(session, "alice", NOW)
    with pytest.raises(NotFound):
        profile.profile(session, name, NOW, NY)


def test_split_by_market(session: Session) -> None:
    alice = league(session)["alice"]
    split = profile.split_by_market(session, alice.id)  # type: ignore[arg-type]
    assert [(m.market, m.label, figures(m.record)) for m in split] == [
        ("h2h", "Moneyline", ("1-1-0", -0.444444, 2.0, -0.222222)),  # (0.555556 - 1) / 2
        ("spreads", "Spread", ("0-0-0", 0.0, 0.0, None)),  # only a pending spread pick
        ("totals", "Total", ("0-0-1", 0.0, 1.0, 0.0)),  # a push is wagered: ROI 0, not None
    ]


def test_units_over_time_by_et_slate_day(session: Session) -> None:
    """Nov 19 ET holds g1 (6 pm) and g2 (23:30, already Nov 20 in UTC): 0.555556 - 1.
    Nov 20 ET: the push leaves -0.444444. Nov 21: only the void, so no point.
    Grouped by UTC date it would read Nov 19 +0.555556, Nov 20 -0.444444, Nov 21 -0.444444."""
    players = league(session)
    points = profile.units_over_time(session, players["alice"].id, NY)  # type: ignore[arg-type]
    assert [(p["day"], round(p["units"], 6)) for p in points] == [
        ("2026-11-19", -0.444444),
        ("2026-11-20", -0.444444),
    ]
    # The last point only, still cumulative over the days before it.
    last = profile.units_over_time(session, players["alice"].id, NY, limit=1)  # type: ignore[arg-type]
    assert [(p["day"], round(p["units"], 6)) for p in last] == [("2026-11-20", -0.444444)]
    bob = profile.units_over_time(session, players["bob"].id, NY)  # type: ignore[arg-type]
    assert [(p["day"], round(p["units"], 6)) for p in bob] == [("2026-11-19", 0.555556)]
    assert profile.units_over_time(session, players["carol"].id, NY) == []  # type: ignore[arg-type]


def test_units_over_time_keeps_the_latest_days(session: Session) -> None:
    """Five ET days, one +150 winner a day at 23:30 ET (04:30 UTC the next date): +1.5 a day.
    The last three points are days 3..5 with 4.5, 6.0, 7.5 units."""
    early = utc("2026-11-01T12:00")
    alice = make_user(session, "alice", early)
    for n in range(5):
        tip = utc("2026-11-10T04:30") + n * 24 * H  # 23:30 ET Nov 9 + n
        make_game(session, f"d{n}", tip, Book(h2h=(150, -180)), fetched_at=early)
        make_picks(session, alice, early, (f"d{n}", "h2h", "Boston Celtics"))
        admin.settle(session, f"d{n}", 100, 90, by="ref", now=tip + 3 * H)
    points = profile.units_over_time(session, alice.id, NY, limit=3)  # type: ignore[arg-type]
    assert [(p["day"], p["units"]) for p in points] == [
        ("2026-11-11", pytest.approx(4.5)),
        ("2026-11-12", pytest.approx(6.0)),
        ("2026-11-13", pytest.approx(7.5)),
    ]


def test_recent_picks_hide_open_games_from_everyone_but_the_owner(session: Session) -> None:
    players = league(session)
    alice, bob = players["alice"].id, players["bob"].id
    assert alice is not None and bob is not None

    def seen(viewer: int | None, now=NOW, lock_minutes: int = 0) -> list[str]:  # type: ignore[no-untyped-def]
        rows = profile.recent_picks(session, alice, viewer, now, lock_minutes, limit=50)
        count = profile.count_recent_picks(session, alice, viewer, now, lock_minutes)
        assert count == len(rows)
        return [f"{row.game.id}/{row.pick.market}" for row in rows]

    locked_games = ["g4/h2h", "g3/totals", "g2/h2h", "g1/h2h"]  # newest game first
    assert seen(alice) == ["g5/spreads", *locked_games]  # the owner sees the pending pick
    assert seen(bob) == locked_games  # g5 is open: hidden from bob
    assert seen(None) == locked_games  # and from anyone not logged in
    # g5 still says "scheduled" after tip-off (the results job has not run): time locks it.
    assert seen(bob, now=TIPS["g5"]) == ["g5/spreads", *locked_games]
    assert seen(bob, now=TIPS["g5"] - timedelta(seconds=1)) == locked_games
    # With a 10-minute lock offset it shows from 10 minutes before tip-off.
    assert seen(bob, now=TIPS["g5"] - timedelta(minutes=10), lock_minutes=10)[0] == "g5/spreads"
    page = profile.recent_picks(session, alice, bob, NOW, 0, limit=2, offset=1)
    assert [row.game.id for row in page] == ["g3", "g2"]


def test_my_picks_page_running_totals_in_game_order(session: Session) -> None:
    """Running units in game order (g1, g2, g3), though alice picked g3 before g1:
    g1 +0.555556 -> 0.555556; g2 -1 -> -0.444444; g3 push -> -0.444444.
    Pending (g5) and void (g4) picks carry no running total."""
    alice = league(session)["alice"]
    page = profile.my_picks_page(session, alice)
    got = [
        (
            row.game.id,
            row.pick.status,
            None if row.running_units is None else round(row.running_units, 6),
        )
        for row in page.rows
    ]
    assert got == [
        ("g5", "pending", None),
        ("g4", "void", None),
        ("g3", "push", -0.444444),
        ("g2", "loss", -0.444444),
        ("g1", "win", 0.555556),
    ]
    assert (page.total, page.pending) == (5, 1)
    assert figures(page.record) == ("1-1-1", -0.444444, 3.0, -0.148148)
    # The line taken is on each row.
    g1 = page.rows[-1].pick
    assert (g1.bookmaker, g1.price, g1.point, round(g1.result_units, 6)) == (  # type: ignore[arg-type]
        "draftkings",
        -180,
        None,
        0.555556,
    )
    # A page deep in the list keeps totals taken over the whole history.
    deep = profile.my_picks_page(session, alice, limit=2, offset=3)
    assert [(r.game.id, round(r.running_units or 0, 6)) for r in deep.rows] == [
        ("g2", -0.444444),
        ("g1", 0.555556),
    ]
    assert deep.total == 5
    graded = profile.my_picks_page(session, alice, pending=False)
    assert [r.game.id for r in graded.rows] == ["g4", "g3", "g2", "g1"]
    assert graded.total == 4 and graded.pending == 1
