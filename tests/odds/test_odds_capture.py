"""The parser against a real provider response, quirks and all (see tests/fixtures/README.md)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pickvs.domain.markets import AWAY, HOME, OVER, UNDER
from pickvs.domain.odds import is_valid_price
from pickvs.odds import LineRecord, parse_odds
from tests.odds.conftest import CAPTURE_FETCHED_AT

PHI_BKN = "63330b334dfcd7aa56e69624617bc273"
BOS_DAL = "e49999bc164cf34befc4a96c1b8fd641"
# Counted in the file: 156 spreads + 138 h2h + 133 totals markets, two sides each; and
# 10 betfair `h2h_lay` markets, the only thing the parser has to refuse.
CAPTURE_LINES = 2 * (156 + 138 + 133)


def lines_of(parsed_events: list[Any], game_id: str) -> list[LineRecord]:
    (event,) = [e for e in parsed_events if e.id == game_id]
    return list(event.lines)


def line(lines: list[LineRecord], book: str, market: str, side: str) -> LineRecord:
    (found,) = [x for x in lines if (x.bookmaker, x.market, x.side) == (book, market, side)]
    return found


def test_every_game_is_parsed_and_only_h2h_lay_is_refused(real_capture: list[Any]) -> None:
    parsed = parse_odds(real_capture, CAPTURE_FETCHED_AT)
    assert len(parsed.events) == 14
    assert sum(len(e.lines) for e in parsed.events) == CAPTURE_LINES
    assert Counter((i.bookmaker, i.market, i.reason) for i in parsed.issues) == {
        ("betfair", "h2h_lay", "unsupported market h2h_lay"): 10
    }
    assert all(i.game_id for i in parsed.issues)


def test_events_keep_provider_ids_times_and_teams(real_capture: list[Any]) -> None:
    parsed = parse_odds(real_capture, CAPTURE_FETCHED_AT)
    assert [e.id for e in parsed.events] == [raw["id"] for raw in real_capture]
    first = parsed.events[0]
    assert (first.id, first.sport, first.home_team, first.away_team) == (
        PHI_BKN,
        "basketball_nba",
        "Philadelphia 76ers",
        "Brooklyn Nets",
    )
    # Rewritten to the real tip time, seconds and all.
    assert first.commence_time == datetime(2022, 11, 23, 0, 32, 18, tzinfo=UTC)


def test_draftkings_boston_dallas_read_by_hand(real_capture: list[Any]) -> None:
    """From the file: Celtics -180 / Mavericks +155, Celtics -4 at -110, total 218 at -110."""
    lines = lines_of(parse_odds(real_capture, CAPTURE_FETCHED_AT).events, BOS_DAL)
    assert len(lines) == 40  # 10 books; FanDuel has no totals here; betfair's h2h_lay refused
    stamp = datetime(2022, 11, 23, 1, 5, 20, tzinfo=UTC)  # the book's; markets carry none
    assert line(lines, "draftkings", "spreads", HOME) == LineRecord(
        "draftkings", "spreads", HOME, "Boston Celtics", -110, -4.0, stamp
    )
    assert line(lines, "draftkings", "spreads", AWAY) == LineRecord(
        "draftkings", "spreads", AWAY, "Dallas Mavericks", -110, 4.0, stamp
    )
    celtics, mavericks = (line(lines, "draftkings", "h2h", side) for side in (HOME, AWAY))
    assert (celtics.price, mavericks.price, celtics.point) == (-180, 155, None)
    assert line(lines, "draftkings", "totals", OVER).point == 218.0
    assert line(lines, "draftkings", "totals", UNDER).price == -110
    assert not [x for x in lines if x.bookmaker == "fanduel" and x.market == "totals"]


def test_fanduel_philadelphia_brooklyn_and_the_both_negative_moneyline(
    real_capture: list[Any],
) -> None:
    lines = lines_of(parse_odds(real_capture, CAPTURE_FETCHED_AT).events, PHI_BKN)
    assert len(lines) == 84  # 15 books x 3 markets x 2 sides, less betfair's h2h_lay pair
    nets = line(lines, "fanduel", "spreads", AWAY)
    sixers = line(lines, "fanduel", "spreads", HOME)
    assert (nets.outcome, nets.price, nets.point) == ("Brooklyn Nets", -110, -2.5)
    assert (sixers.outcome, sixers.price, sixers.point) == ("Philadelphia 76ers", -118, 2.5)
    # Unibet quotes both sides of the moneyline negative (-118 / -106): a real, valid market.
    assert (
        line(lines, "unibet_us", "h2h", AWAY).price,
        line(lines, "unibet_us", "h2h", HOME).price,
    ) == (-118, -106)


def test_obsolete_bookmakers_are_kept_like_any_other(real_capture: list[Any]) -> None:
    """Their lines are sound; which book a pick uses is PICKVS_BOOKMAKERS' business."""
    parsed = parse_odds(real_capture, CAPTURE_FETCHED_AT)
    books = Counter(x.bookmaker for e in parsed.events for x in e.lines)
    for obsolete in ("barstool", "sugarhouse", "twinspires", "pointsbetus"):
        assert books[obsolete] > 0


def test_every_kept_line_is_sound(real_capture: list[Any]) -> None:
    for event in parse_odds(real_capture, CAPTURE_FETCHED_AT).events:
        for x in event.lines:
            assert is_valid_price(x.price)
            assert x.last_update is not None and x.last_update.tzinfo is not None
            assert (x.point is None) == (x.market == "h2h")
            expected_name = {
                HOME: event.home_team,
                AWAY: event.away_team,
                OVER: "Over",
                UNDER: "Under",
            }
            assert x.outcome == expected_name[x.side]


def test_markets_not_requested_are_skipped_with_a_record(real_capture: list[Any]) -> None:
    parsed = parse_odds(real_capture, CAPTURE_FETCHED_AT, markets=("h2h",))
    assert sum(len(e.lines) for e in parsed.events) == 2 * 138
    reasons = Counter((i.market, i.reason) for i in parsed.issues)
    assert reasons == {
        ("spreads", "market not requested"): 156,
        ("totals", "market not requested"): 133,
        ("h2h_lay", "unsupported market h2h_lay"): 10,
    }


def test_bookmaker_times_after_the_fetch_are_refused(real_capture: list[Any]) -> None:
    """Fetched two hours before every book's last_update: no line can be trusted."""
    parsed = parse_odds(real_capture, datetime(2022, 11, 22, 23, 0, tzinfo=UTC))
    book_entries = sum(len(raw["bookmakers"]) for raw in real_capture)
    assert len(parsed.events) == 14 and not any(e.lines for e in parsed.events)
    assert len(parsed.issues) == book_entries == 168
    assert all(i.reason.startswith("bookmaker last_update: implausible") for i in parsed.issues)
