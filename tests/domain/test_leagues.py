"""League rules, table-driven with hand-worked cases: market, price window, daily cap, settings
and invite codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain import leagues
from pickvs.domain.leagues import CountablePick, LeagueRules, Settings, SettingsError

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("price", "shortest", "longest", "counted"),
    [
        # -300 pays 100/300 = 0.333, +400 pays 4.0: both ends are in.
        (-300, -300, 400, True),
        (400, -300, 400, True),
        (-350, -300, 400, False),  # pays 0.286 < 0.333
        (450, -300, 400, False),  # pays 4.5 > 4.0
        (-110, -300, 400, True),
        (100, -300, 400, True),
        (-100, -300, 400, True),  # even money both ways: pays 1.0
        (-10000, None, None, True),  # no window
        (10000, None, 400, False),
        (-10000, -300, None, False),
        (10000, -300, None, True),
        (-150, -150, -150, True),  # a window of one price
        (-149, -150, -150, False),
        # Both ends on the same side of even money: -200 (0.5) .. -120 (0.833).
        (-200, -200, -120, True),
        (-150, -200, -120, True),
        (-110, -200, -120, False),
        (150, 120, 200, True),
        (110, 120, 200, False),
    ],
)
def test_price_window_compares_what_the_price_pays_ends_included(
    price: int, shortest: int | None, longest: int | None, counted: bool
) -> None:
    assert leagues.price_in_window(price, shortest, longest) is counted


T0 = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # noon in New York


def pick(
    pick_id: int,
    *,
    user: int = 1,
    market: str = "h2h",
    price: int = -110,
    status: str = "pending",
    made: int = 0,
    tip: datetime = T0,
) -> CountablePick:
    """A pick made `made` minutes after T0 - 1 day, on a game tipping at `tip`."""
    return CountablePick(
        id=pick_id,
        user_id=user,
        market=market,
        price=price,
        status=status,
        created_at=T0 - timedelta(days=1) + timedelta(minutes=made),
        commence_time=tip,
    )


def test_market_then_price_then_cap_first_failing_rule_wins() -> None:
    rules = LeagueRules(
        markets=("h2h", "spreads"), shortest_price=-300, longest_price=400, daily_cap=1
    )
    picks = [
        pick(1, market="totals", price=500),  # fails market and price: market is first
        pick(2, price=500, made=1),  # price
        pick(3, made=2),  # first eligible of the day: counted
        pick(4, made=3),  # second: daily cap
    ]
    assert leagues.count_picks(picks, rules, NY) == {
        1: "market",
        2: "price",
        3: None,
        4: "daily_cap",
    }


def test_daily_cap_orders_by_created_at_then_id_not_by_list_order() -> None:
    rules = LeagueRules(daily_cap=2)
    picks = [
        pick(9, made=5),
        pick(7, made=5),  # same instant as 9: the lower id comes first
        pick(3, made=10),
        pick(1, made=0),  # made first
    ]
    assert leagues.count_picks(picks, rules, NY) == {
        1: None,
        7: None,
        9: "daily_cap",
        3: "daily_cap",
    }


def test_void_and_ineligible_picks_take_no_place_under_the_cap() -> None:
    rules = LeagueRules(markets=("h2h", "spreads"), shortest_price=-300, daily_cap=2)
    picks = [
        pick(1, status="void", made=0),  # void: refunded, takes no place
        pick(2, market="totals", made=1),  # not counted (market): takes no place
        pick(3, price=-500, made=2),  # not counted (price): takes no place
        pick(4, status="win", made=3),
        pick(5, status="loss", made=4),
        pick(6, made=5),  # third eligible: over the cap
    ]
    assert leagues.count_picks(picks, rules, NY) == {
        1: None,
        2: "market",
        3: "price",
        4: None,
        5: None,
        6: "daily_cap",
    }


def test_daily_cap_is_per_player_and_per_slate_day_in_new_york_not_utc() -> None:
    # 2026-11-23 00:30 UTC is 19:30 on the 22nd in New York: the same slate day as a noon game
    # on the 22nd, though the UTC date is the 23rd. 2026-11-23 05:30 UTC is 00:30 on the 23rd.
    noon_22 = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    evening_22 = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    late_23 = datetime(2026, 11, 23, 5, 30, tzinfo=UTC)
    rules = LeagueRules(daily_cap=1)
    picks = [
        pick(1, tip=noon_22, made=0),
        pick(2, tip=evening_22, made=1),  # same New York day as pick 1: capped
        pick(3, tip=late_23, made=2),  # the 23rd in New York: its own day
        pick(4, user=2, tip=noon_22, made=3),  # another player: their own cap
    ]
    assert leagues.count_picks(picks, rules, NY) == {1: None, 2: "daily_cap", 3: None, 4: None}
    # In UTC the days would split differently (1 alone; 2 and 3 together).
    assert leagues.count_picks(picks, rules, ZoneInfo("UTC")) == {
        1: None,
        2: None,
        3: "daily_cap",
        4: None,
    }


def test_no_cap_and_default_rules_count_everything() -> None:
    picks = [pick(n, made=n, market=m) for n, m in enumerate(("h2h", "spreads", "totals"), 1)]
    assert leagues.count_picks(picks, LeagueRules(), NY) == {1: None, 2: None, 3: None}
    assert leagues.count_picks([], LeagueRules(daily_cap=1), NY) == {}


# --- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("  Office pool  ", "Office pool"),
        ("x", "x"),
        ("a" * 60, "a" * 60),
        ("Zoë's 🏀", "Zoë's 🏀"),
    ],
)
def test_names_are_stripped(name: str, stored: str) -> None:
    assert leagues.clean_name(name) == stored


@pytest.mark.parametrize(
    "name", ["", "   ", "a" * 61, "tab\there", "nul\x00", "bell\x07", "c1\x85x", None]
)
def test_bad_names_name_the_field(name: object) -> None:
    with pytest.raises(SettingsError) as caught:
        leagues.clean_name(name)
    assert caught.value.field == "name" and "Name" in caught.value.message


def test_descriptions() -> None:
    assert leagues.clean_description(None) == ""
    assert leagues.clean_description("  two\nlines\twith tab ") == "two\nlines\twith tab"
    assert leagues.clean_description("d" * 500) == "d" * 500
    for bad in ("d" * 501, "nul\x00"):
        with pytest.raises(SettingsError) as caught:
            leagues.clean_description(bad)
        assert caught.value.field == "description"


def test_defaults() -> None:
    settings = leagues.check_settings({})
    assert settings == Settings(
        markets=("h2h", "spreads", "totals"),
        shortest_price=None,
        longest_price=None,
        daily_cap=None,
        min_ranked=20,
        ranking="units",
    )
    assert settings.rules() == LeagueRules()


def test_good_settings_and_market_order() -> None:
    settings = leagues.check_settings(
        {
            "markets": ["totals", "h2h", "h2h"],
            "shortest_price": -300,
            "longest_price": 400,
            "daily_cap": 50,
            "min_ranked": 0,
            "ranking": "adjusted_roi",
        }
    )
    assert settings.markets == ("h2h", "totals")
    assert (settings.shortest_price, settings.longest_price, settings.daily_cap) == (-300, 400, 50)
    assert leagues.check_settings({"markets": "spreads, h2h"}).markets == ("h2h", "spreads")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"markets": []}, "markets"),
        ({"markets": ["moneyline"]}, "markets"),
        ({"markets": 3}, "markets"),
        ({"shortest_price": -99}, "shortest_price"),
        ({"shortest_price": 50}, "shortest_price"),
        ({"longest_price": 10001}, "longest_price"),
        ({"longest_price": True}, "longest_price"),
        ({"longest_price": 150.0}, "longest_price"),
        ({"shortest_price": 400, "longest_price": -300}, "longest_price"),  # pays 4 > 0.333
        ({"daily_cap": 0}, "daily_cap"),
        ({"daily_cap": 51}, "daily_cap"),
        ({"min_ranked": -1}, "min_ranked"),
        ({"min_ranked": 1001}, "min_ranked"),
        ({"min_ranked": None}, "min_ranked"),
        ({"ranking": "wins"}, "ranking"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_settings_name_the_field(values: dict[str, object], field: str) -> None:
    with pytest.raises(SettingsError) as caught:
        leagues.check_settings(values)
    assert caught.value.field == field
    assert field in caught.value.message or field == "markets"


def test_a_change_is_checked_against_the_settings_it_changes() -> None:
    base = leagues.check_settings({"shortest_price": -300, "longest_price": 400})
    with pytest.raises(SettingsError) as caught:
        leagues.check_settings({"shortest_price": 500}, base)  # pays 5 > 4
    assert caught.value.field == "shortest_price"
    widened = leagues.check_settings({"longest_price": None}, base)
    assert (widened.shortest_price, widened.longest_price) == (-300, None)


# --- invite codes -------------------------------------------------------------------------


def test_invite_codes_use_the_unambiguous_alphabet() -> None:
    codes = {leagues.new_invite_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 10 and set(code) <= set(leagues.INVITE_ALPHABET)
    assert not set("01IO") & set(leagues.INVITE_ALPHABET)
    assert leagues.new_invite_code(lambda alphabet: alphabet[0]) == "A" * 10


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abcde-fgh23", "ABCDEFGH23"), (" ABCD EFGH 23 ", "ABCDEFGH23"), ("ABCDEFGH23", "ABCDEFGH23")],
)
def test_codes_are_compared_ignoring_case_spaces_and_dashes(typed: str, code: str) -> None:
    assert leagues.normalise_code(typed) == code
