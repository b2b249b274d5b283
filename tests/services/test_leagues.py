"""Leagues over the real services, on SQLite and PostgreSQL: boards worked out by hand under a
league's rules, who sees which picks, owner rules, invite codes, CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.models import League, Pick, User
from pickvs.services import admin, leagues
from pickvs.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from pickvs.services.seasons import season_start
from tests.services.builders import Book, make_game, make_picks, make_user, utc

NY = ZoneInfo("America/New_York")
NOW = utc("2026-11-22T12:00")  # Sunday Nov 22, 7 am EST: the week began Mon Nov 16
H = timedelta(hours=1)
W110 = 100 / 110  # 0.909091
RULES = {
    "markets": ["h2h", "spreads"],
    "shortest_price": -300,
    "longest_price": 400,
    "daily_cap": 2,
    "min_ranked": 3,
}

# Tip-offs. g0 is last season (April: over 45 days before g1); g1 opens this season in
# October; g2 is this month but last week; g3, g4 and g5 are one New York slate day
# (Wednesday Nov 18: 19:30, 22:00 and 20:00 EST, though g3/g4 are the 19th in UTC); g6 is this
# week; g7 tips tonight, after NOW, so it has not locked.
TIPS = {
    "g0": utc("2026-04-10T23:00"),
    "g1": utc("2026-10-25T00:00"),
    "g2": utc("2026-11-11T00:30"),
    "g3": utc("2026-11-19T00:30"),
    "g4": utc("2026-11-19T03:00"),
    "g5": utc("2026-11-19T01:00"),
    "g6": utc("2026-11-21T00:30"),
    "g7": utc("2026-11-23T00:30"),
}
BOOKS = {
    "g0": Book(h2h=(-150, 130)),
    "g1": Book(h2h=(-110, -110)),
    "g2": Book(h2h=(-350, 280)),  # the home side is shorter than -300: out of the window
    "g3": Book(h2h=(150, -180)),
    "g4": Book(),  # h2h -180/+150, spread -4.5 at -110, total 227.5 (over -108)
    "g5": Book(h2h=(-110, -110)),
    "g6": Book(h2h=None, spreads=(-4.0, -110, -110), totals=None),
    "g7": Book(),
}


@pytest.fixture
def league(session: Session) -> dict:  # type: ignore[type-arg]
    """ann (owner), bob, cy, eve (never picks) in "Office" under RULES; dee picked, then left.

    ann: g0 home -150 win (+0.666667, last season); g1 home win (+0.909091); g2 home -350 win
      (not counted: price); on Nov 18 (cap 2), in the order made: g5 home (void: takes no
      place), g3 home +150 win (+1.5), g4 h2h home -180 win (+0.555556), g4 spread home win
      (third of the day: not counted, daily_cap), g4 total Over win (not counted: market);
      g7 home, pending (not locked).
    bob: g1 away loss (-1); g2 away +280 loss (-1); g3 home +150 win (+1.5); g6 spread home -4
      push (0); g7 away, pending (not locked).
    cyd: g3 away -180 loss (-1).  dee: g3 home win (+1.5), then leaves.
    """
    start = TIPS["g0"] - 48 * H
    ann, bob, cy, dee, eve = (
        make_user(session, n, start) for n in ("ann", "bob", "cyd", "dee", "eve")
    )
    made = leagues.create_league(session, ann.id, "Office", "Work pool", dict(RULES), now=NOW)
    for player in (bob, cy, dee, eve):
        leagues.join_league(session, player.id, made.invite_code, NOW)

    def bet(player: User, game_id: str, market: str, side: str, before: float = 6) -> None:
        make_picks(session, player, TIPS[game_id] - before * H, (game_id, market, side))

    def games(*ids: str) -> None:
        """Lines arrive a day before each tip-off (a fetch marks earlier games started, so the
        games come in the order they tip, each one's picks before the next)."""
        for game_id in ids:
            make_game(session, game_id, TIPS[game_id], BOOKS[game_id])

    games("g0")
    bet(ann, "g0", "h2h", "home")
    games("g1")
    bet(ann, "g1", "h2h", "home")
    bet(bob, "g1", "h2h", "away")
    games("g2")
    bet(ann, "g2", "h2h", "home")
    bet(bob, "g2", "h2h", "away")
    games("g3", "g5", "g4")
    bet(ann, "g5", "h2h", "home", before=6.5)  # 18:30 UTC Nov 18
    bet(ann, "g3", "h2h", "home", before=5)  # 19:30
    bet(ann, "g4", "h2h", "home", before=7)  # 20:00
    bet(ann, "g4", "spreads", "home", before=6)  # 21:00
    bet(ann, "g4", "totals", "over", before=5)  # 22:00
    bet(bob, "g3", "h2h", "home")
    bet(cy, "g3", "h2h", "away")
    bet(dee, "g3", "h2h", "home")
    games("g6")
    bet(bob, "g6", "spreads", "home")
    games("g7")
    bet(ann, "g7", "h2h", "home", before=20)
    bet(bob, "g7", "h2h", "away", before=20)
    for game_id, home, away in (
        ("g0", 110, 100),
        ("g1", 110, 100),
        ("g2", 110, 100),
        ("g3", 110, 100),
        ("g4", 120, 110),  # home by 10 (covers -4.5), 230 total (over 227.5)
        ("g6", 104, 100),  # home by 4 on a -4 spread: push
    ):
        admin.settle(session, game_id, home, away, by="ref", now=TIPS[game_id] + 3 * H)
    admin.void(session, "g5", by="ref", now=TIPS["g5"] + 3 * H)
    leagues.leave_league(session, made.id, dee.id)
    return {"id": made.id, "ann": ann, "bob": bob, "cyd": cy, "dee": dee, "eve": eve}


def figures(board: list[leagues.LeagueBoardRow]) -> list[tuple]:  # type: ignore[type-arg]
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 6)

    return [
        (
            row.rank,
            row.ranked,
            row.username,
            r(row.total_units),
            row.total_wagered,
            r(row.roi),
            r(row.adjusted_roi),
            (row.wins, row.losses, row.pushes),
            row.streak,
            row.last10,
        )
        for row in board
    ]


def test_the_all_time_board_under_the_leagues_rules(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    """ann: 0.666667 + 0.909091 + 1.5 + 0.555556 = 3.631313 over 4, 4-0-0; ROI 0.907828;
    adjusted (3.631313 - 1.35) / 34 = 0.067097. Her g2 win (price), g4 spread (daily cap) and
    g4 total (market) are not counted; her void g5 took no place under the cap.
    bob: -1 - 1 + 1.5 + 0 = -0.5 over 4, 1-2-1; ROI -0.125; adjusted -1.85 / 34 = -0.054412;
    streak W1 (the later push neither extends nor breaks it), last ten 1-2-1.
    cyd: one loss: not yet ranked (3 needed). eve: nothing. dee left: gone from the board."""
    board = leagues.league_board(session, league["id"], league["ann"].id, "all", NOW, NY)
    assert figures(board) == [
        (1, True, "ann", 3.631313, 4.0, 0.907828, 0.067097, (4, 0, 0), "W4", "4-0-0"),
        (2, True, "bob", -0.5, 4.0, -0.125, -0.054412, (1, 2, 1), "W1", "1-2-1"),
        (None, False, "cyd", -1.0, 1.0, -1.0, -0.075806, (0, 1, 0), "L1", "0-1-0"),
        (None, False, "eve", 0.0, 0.0, None, None, (0, 0, 0), "", "0-0-0"),
    ]
    assert leagues.count_league_board(session, league["id"], league["bob"].id, "all", NOW, NY) == 4
    # dee's picks stay hers.
    dee_picks = select(func.count()).select_from(Pick).where(Pick.user_id == league["dee"].id)
    assert session.execute(dee_picks).scalar_one() == 1


def test_periods_season_month_week(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    """season (from g1, Oct 25 UTC): ann 0.909091 + 1.5 + 0.555556 = 2.964646 over 3, ranked;
    ROI 0.988215, adjusted (2.964646 - 1.35) / 33 = 0.048929. month (from Nov 1 EDT): ann
    1.5 + 0.555556 = 2.055556 over 2 (not yet ranked; adjusted 0.705556 / 32 = 0.022049); bob
    -1 + 1.5 + 0 = 0.5 over 3, ranked (adjusted -0.85 / 33 = -0.025758). week (from Mon Nov 16 EST): ann 2.055556 over 2, bob
    1.5 + 0 over 2: nobody has 3. Form is over all time in every period."""
    assert season_start(session, NOW) == TIPS["g1"]
    args = (session, league["id"], league["cyd"].id)
    season = leagues.league_board(*args, "season", NOW, NY)
    assert [row[:8] for row in figures(season)] == [
        (1, True, "ann", 2.964646, 3.0, 0.988215, 0.048929, (3, 0, 0)),
        (2, True, "bob", -0.5, 4.0, -0.125, -0.054412, (1, 2, 1)),
        (None, False, "cyd", -1.0, 1.0, -1.0, -0.075806, (0, 1, 0)),
        (None, False, "eve", 0.0, 0.0, None, None, (0, 0, 0)),
    ]
    month = leagues.league_board(*args, "month", NOW, NY)
    assert [row[:8] for row in figures(month)] == [
        (1, True, "bob", 0.5, 3.0, 0.166667, -0.025758, (1, 1, 1)),
        (None, False, "ann", 2.055556, 2.0, 1.027778, 0.022049, (2, 0, 0)),
        (None, False, "cyd", -1.0, 1.0, -1.0, -0.075806, (0, 1, 0)),
        (None, False, "eve", 0.0, 0.0, None, None, (0, 0, 0)),
    ]
    week = leagues.league_board(*args, "week", NOW, NY)
    assert [(r[0], r[2], r[3], r[4], r[8], r[9]) for r in figures(week)] == [
        (None, "ann", 2.055556, 2.0, "W4", "4-0-0"),
        (None, "bob", 1.5, 2.0, "W1", "1-2-1"),
        (None, "cyd", -1.0, 1.0, "L1", "0-1-0"),
        (None, "eve", 0.0, 0.0, "", "0-0-0"),
    ]
    with pytest.raises(InvalidInput) as caught:
        leagues.league_board(*args, "year", NOW, NY)
    assert caught.value.field == "period"
    # Paging.
    page = leagues.league_board(*args, "all", NOW, NY, limit=2, offset=1)
    assert [row.username for row in page] == ["bob", "cyd"]


def test_ranking_by_roi_or_adjusted_roi_and_shared_ranks(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    ann, bob, cy = league["ann"], league["bob"], league["cyd"]
    leagues.update_league(session, league["id"], ann.id, {"min_ranked": 1, "ranking": "roi"}, NOW)
    board = leagues.league_board(session, league["id"], bob.id, "all", NOW, NY)
    # ROI: ann 0.907828, bob -0.125, cy -1.0; eve wagered nothing: not ranked.
    assert [(r.rank, r.username) for r in board] == [
        (1, "ann"),
        (2, "bob"),
        (3, "cyd"),
        (None, "eve"),
    ]
    # Adjusted ROI: ann 0.067097, bob -0.054412, cy -0.075806.
    leagues.update_league(session, league["id"], ann.id, {"ranking": "adjusted_roi"}, NOW)
    board = leagues.league_board(session, league["id"], cy.id, "all", NOW, NY)
    assert [(r.rank, r.username) for r in board] == [
        (1, "ann"),
        (2, "bob"),
        (3, "cyd"),
        (None, "eve"),
    ]
    # Counting moneylines only: bob's push goes, ann's g4 spread and total stay out. Week, units:
    # ann 1.5 + 0.555556 and bob 1.5 on g3... cap 1: each keeps the first pick of Nov 18
    # (ann g3 +1.5, bob g3 +1.5): level on units, so they share rank 1; cy is third.
    leagues.update_league(
        session, league["id"], ann.id, {"markets": ["h2h"], "daily_cap": 1, "ranking": "units"}, NOW
    )
    week = leagues.league_board(session, league["id"], ann.id, "week", NOW, NY)
    assert [(r.rank, r.username, round(r.total_units, 6)) for r in week] == [
        (1, "ann", 1.5),
        (1, "bob", 1.5),
        (3, "cyd", -1.0),
        (None, "eve", 0.0),
    ]


def test_league_picks_show_locked_games_and_the_callers_own(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    ann, bob = league["ann"], league["bob"]
    seen = leagues.league_picks(session, league["id"], ann.id, NOW, tz=NY, lock_minutes=0)
    # g7 has not locked: ann sees her own pick on it, never bob's. dee left: hers are gone.
    assert [(r.game_id, r.username, r.market) for r in seen if r.game_id == "g7"] == [
        ("g7", "ann", "h2h")
    ]
    assert "dee" not in {r.username for r in seen}
    marks = {(r.game_id, r.username, r.market): (r.counted, r.not_counted_reason) for r in seen}
    assert marks[("g2", "ann", "h2h")] == (False, "price")
    assert marks[("g4", "ann", "spreads")] == (False, "daily_cap")
    assert marks[("g4", "ann", "totals")] == (False, "market")
    assert marks[("g4", "ann", "h2h")] == (True, None)
    assert marks[("g5", "ann", "h2h")] == (False, None)  # void: refunded, counts nowhere
    assert marks[("g2", "bob", "h2h")] == (True, None)  # +280 is inside +400
    assert seen[0].game_id == "g7"  # newest tip first
    bobs = leagues.league_picks(session, league["id"], bob.id, NOW, tz=NY, lock_minutes=0)
    assert [(r.game_id, r.username) for r in bobs if r.game_id == "g7"] == [("g7", "bob")]
    # Members' picks: ann 9, bob 5, cy 1; each sees 14 (not the other's pick on g7).
    assert len(bobs) == len(seen) == 14
    assert (
        leagues.league_picks(session, league["id"], bob.id, NOW, limit=2, offset=1)[0].game_id
        == "g6"
    )
    # The lock offset: 30 minutes before g7's tip, it has locked.
    late = TIPS["g7"] - 20 * timedelta(minutes=1)
    at_lock = leagues.league_picks(session, league["id"], bob.id, late, tz=NY, lock_minutes=30)
    assert {r.username for r in at_lock if r.game_id == "g7"} == {"ann", "bob"}


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_league_csv_never_holds_anothers_pick_on_an_open_game(
    session: Session, league: dict
) -> None:  # type: ignore[type-arg]
    text = leagues.league_picks_csv(
        session, league["id"], league["bob"].id, NOW, NY, lock_minutes=0
    )
    assert text.startswith(
        "tip_off,game_id,matchup,username,market,selection,bookmaker,price,point,status,"
        "result_units,counted,not_counted_reason,clv\r\n"
    )
    rows = read_csv(text)
    assert [(r["game_id"], r["username"]) for r in rows if r["game_id"] == "g7"] == [("g7", "bob")]
    first = rows[0]  # oldest game first: ann's g0 pick, last season
    assert first == {
        "tip_off": "2026-04-10T19:00:00-04:00",
        "game_id": "g0",
        "matchup": "Milwaukee Bucks @ Boston Celtics",
        "username": "ann",
        "market": "h2h",
        "selection": "Boston Celtics",
        "bookmaker": "draftkings",
        "price": "-150",
        "point": "",
        "status": "win",
        "result_units": "0.666667",
        "counted": "true",
        "not_counted_reason": "",
        "clv": "",
    }
    price = next(r for r in rows if (r["game_id"], r["username"]) == ("g2", "ann"))
    assert (price["counted"], price["not_counted_reason"]) == ("false", "price")


def test_my_csv_holds_all_my_picks(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    rows = read_csv(leagues.my_picks_csv(session, league["bob"].id, NY))
    assert [(r["game_id"], r["status"], r["result_units"]) for r in rows] == [
        ("g1", "loss", "-1.0"),
        ("g2", "loss", "-1.0"),
        ("g3", "win", "1.5"),
        ("g6", "push", "0.0"),
        ("g7", "pending", ""),
    ]
    assert list(rows[0]) == [
        "tip_off",
        "game_id",
        "matchup",
        "username",
        "market",
        "selection",
        "bookmaker",
        "price",
        "point",
        "status",
        "result_units",
        "clv",
    ]
    assert rows[3]["point"] == "-4.0"


def test_my_leagues_with_my_rank(session: Session, league: dict) -> None:  # type: ignore[type-arg]
    ann, cy = league["ann"], league["cyd"]
    other = leagues.create_league(session, cy.id, "Family", now=NOW)
    assert [
        (s.name, s.is_owner, s.members, s.my_rank, s.my_ranked, s.owner)
        for s in leagues.my_leagues(session, cy.id, NOW, NY)
    ] == [
        ("Family", True, 1, None, False, "cyd"),  # one graded pick, 20 needed by default
        ("Office", False, 4, None, False, "ann"),
    ]
    assert [(s.name, s.my_rank) for s in leagues.my_leagues(session, ann.id, NOW, NY)] == [
        ("Office", 1)
    ]
    assert other.settings == leagues.LeagueSettings()
    assert leagues.my_leagues(session, league["dee"].id, NOW, NY) == []


# --- membership and owner rules ---------------------------------------------------------------


@pytest.fixture
def trio(session: Session) -> tuple[User, User, User]:
    return tuple(make_user(session, name, NOW) for name in ("ann", "bob", "cyd"))  # type: ignore[return-value]


def test_create_and_read(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann, bob, _ = trio
    made = leagues.create_league(session, ann.id, "  Office  ", now=NOW)
    assert (made.name, made.description, made.owner, made.members, made.is_owner) == (
        "Office",
        "",
        "ann",
        1,
        True,
    )
    assert made.invite_code and len(made.invite_code) == 10
    assert made.created_at == NOW
    with pytest.raises(Forbidden):
        leagues.league_detail(session, made.id, bob.id)
    with pytest.raises(NotFound):
        leagues.league_detail(session, made.id + 1000, ann.id)
    joined = leagues.join_league(session, bob.id, made.invite_code.lower(), NOW)
    assert (joined.is_owner, joined.invite_code, joined.members) == (False, None, 2)
    assert [(m.username, m.is_owner) for m in leagues.members(session, made.id, bob.id)] == [
        ("ann", True),
        ("bob", False),
    ]


@pytest.mark.parametrize(
    ("name", "settings", "field"),
    [
        ("", None, "name"),
        ("x" * 61, None, "name"),
        ("ok", {"markets": []}, "markets"),
        ("ok", {"shortest_price": 400, "longest_price": -300}, "longest_price"),
        ("ok", {"daily_cap": 0}, "daily_cap"),
        ("ok", {"min_ranked": 1001}, "min_ranked"),
        ("ok", {"ranking": "luck"}, "ranking"),
    ],
)
def test_bad_settings_are_422_naming_the_field(
    session: Session, trio, name, settings, field
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        leagues.create_league(session, trio[0].id, name, settings=settings, now=NOW)
    assert caught.value.field == field
    assert session.execute(select(func.count()).select_from(League)).scalar_one() == 0


def test_join_errors_and_code_rotation(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann, bob, cy = trio
    made = leagues.create_league(session, ann.id, "Office", now=NOW)
    old = made.invite_code
    spaced = f"{old[:5].lower()}-{old[5:]} "
    assert leagues.league_by_code(session, spaced) == (made.id, "Office")
    leagues.join_league(session, bob.id, spaced, NOW, league_id=made.id)
    with pytest.raises(Conflict):
        leagues.join_league(session, bob.id, old, NOW)
    with pytest.raises(Forbidden):
        leagues.rotate_code(session, made.id, bob.id, NOW)
    new = leagues.rotate_code(session, made.id, ann.id, NOW)
    assert new != old
    assert leagues.league_by_code(session, old) is None
    with pytest.raises(NotFound) as wrong_code:
        leagues.join_league(session, cy.id, old, NOW)
    with pytest.raises(NotFound) as unknown_league:
        leagues.join_league(session, cy.id, new, NOW, league_id=made.id + 1000)
    assert wrong_code.value.message == unknown_league.value.message
    for junk in ("", "   ", "x" * 300, "ABC\x00"):
        with pytest.raises(NotFound):
            leagues.join_league(session, cy.id, junk, NOW)
    assert leagues.join_league(session, cy.id, new, NOW, league_id=made.id).members == 3


def test_owner_rules(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann, bob, cy = trio
    made = leagues.create_league(session, ann.id, "Office", now=NOW)
    leagues.join_league(session, bob.id, made.invite_code, NOW)
    leagues.join_league(session, cy.id, made.invite_code, NOW)
    with pytest.raises(Conflict) as leaving:
        leagues.leave_league(session, made.id, ann.id)
    assert leaving.value.message == "Hand the league to another member first."
    with pytest.raises(InvalidInput):
        leagues.remove_member(session, made.id, ann.id, "ann")
    with pytest.raises(Forbidden):
        leagues.remove_member(session, made.id, bob.id, "cyd")
    with pytest.raises(NotFound):
        leagues.remove_member(session, made.id, ann.id, "nobody")
    with pytest.raises(NotFound) as not_member:
        leagues.transfer_ownership(session, made.id, ann.id, "zed", NOW)
    assert "not a member" in not_member.value.message
    leagues.remove_member(session, made.id, ann.id, "CYD")  # names ignore case
    with pytest.raises(Forbidden):
        leagues.league_detail(session, made.id, cy.id)
    handed = leagues.transfer_ownership(session, made.id, ann.id, "bob", NOW)
    assert (handed.owner, handed.is_owner, handed.invite_code) == ("bob", False, None)
    with pytest.raises(Forbidden):
        leagues.update_league(session, made.id, ann.id, {"name": "Mine"}, NOW)
    leagues.leave_league(session, made.id, ann.id)  # no longer the owner: free to go
    leagues.leave_league(session, made.id, bob.id)  # the last member: the league goes
    assert session.get(League, made.id) is None
    with pytest.raises(NotFound):
        leagues.league_detail(session, made.id, bob.id)


def test_update_is_all_or_nothing(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann = trio[0]
    made = leagues.create_league(session, ann.id, "Office", settings={"daily_cap": 3}, now=NOW)
    with pytest.raises(InvalidInput) as caught:
        leagues.update_league(session, made.id, ann.id, {"name": "New", "daily_cap": 99}, NOW)
    assert caught.value.field == "daily_cap"
    detail = leagues.league_detail(session, made.id, ann.id)
    assert (detail.name, detail.settings.daily_cap) == ("Office", 3)
    changed = leagues.update_league(
        session,
        made.id,
        ann.id,
        {"name": "New", "description": "d", "daily_cap": None, "markets": ["totals"]},
        NOW,
    )
    assert (changed.name, changed.description, changed.settings.daily_cap) == ("New", "d", None)
    assert changed.settings.markets == ("totals",)
    with pytest.raises(InvalidInput) as unknown:
        leagues.update_league(session, made.id, ann.id, {"owner_id": 5}, NOW)
    assert unknown.value.field == "owner_id"


def test_a_deleted_owners_league_goes_to_the_earliest_member(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann, bob, cy = trio
    made = leagues.create_league(session, ann.id, "Office", now=NOW)
    leagues.join_league(session, cy.id, made.invite_code, NOW + H)
    leagues.join_league(session, bob.id, made.invite_code, NOW + 2 * H)
    session.delete(ann)
    session.flush()
    session.expire_all()
    detail = leagues.league_detail(session, made.id, bob.id)
    assert (detail.owner, detail.members) == ("cyd", 2)


def test_before_any_game_the_season_board_is_the_all_time_board(session: Session, trio) -> None:  # type: ignore[no-untyped-def]
    ann = trio[0]
    assert season_start(session, NOW) is None
    make_game(session, "later", NOW + 5 * H)  # not started yet: no season has begun
    assert season_start(session, NOW) is None
    made = leagues.create_league(session, ann.id, "Office", now=NOW)
    season = leagues.league_board(session, made.id, ann.id, "season", NOW, NY)
    assert season == leagues.league_board(session, made.id, ann.id, "all", NOW, NY)
    assert leagues.league_by_code(session, "NOPE") is None
