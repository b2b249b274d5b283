"""Which feed markets are fit to store: `market_problem` over hand-built quotes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pickvs.domain.feed import Quote, market_problem, timestamp_problem

HOME, AWAY = "Boston Celtics", "Milwaukee Bucks"


def h2h(home: object = -180, away: object = 150) -> list[Quote]:
    return [Quote("home", HOME, home, None), Quote("away", AWAY, away, None)]


def spread(
    home_point: object = -4.5, away_point: object = 4.5, price: object = -110
) -> list[Quote]:
    return [Quote("home", HOME, price, home_point), Quote("away", AWAY, price, away_point)]


def total(over: object = 227.5, under: object = 227.5) -> list[Quote]:
    return [Quote("over", "Over", -108, over), Quote("under", "Under", -112, under)]


@pytest.mark.parametrize(
    ("market", "quotes", "problem"),
    [
        ("h2h", h2h(), None),
        ("spreads", spread(), None),
        ("totals", total(), None),
        ("spreads", spread(0.0, 0.0), None),  # a pick'em spread mirrors itself
        ("spreads", spread(-3, 3), None),  # integer points are fine
        ("totals", total(227, 227.0), None),
        # Both sides must be there, once each.
        ("h2h", h2h()[:1], "both sides"),
        ("h2h", [], "both sides"),
        ("h2h", [h2h()[0], h2h()[0]], "both sides"),
        ("h2h", [*h2h(), h2h()[0]], "both sides"),
        ("totals", total()[1:], "both sides"),
        # ...and be the sides of that market.
        ("totals", h2h(), "both sides"),
        (
            "spreads",
            [Quote("over", "Over", -110, 4.5), Quote("under", "Under", -110, 4.5)],
            "both sides",
        ),
        # Prices: integers within +/-10000, never strictly between -100 and +100.
        ("h2h", h2h(-10_000, 10_000), None),
        ("h2h", h2h(-100, 100), None),
        ("h2h", h2h(-10_001, 150), "implausible price"),
        ("h2h", h2h(-180, 10_001), "implausible price"),
        ("h2h", h2h(-99, 150), "implausible price"),
        ("h2h", h2h(-180, 99), "implausible price"),
        ("h2h", h2h(0, 150), "implausible price"),
        ("h2h", h2h(1.85, 2.1), "implausible price"),  # decimal odds sneaking in
        ("h2h", h2h("-180", 150), "implausible price"),
        ("h2h", h2h(None, 150), "implausible price"),
        ("h2h", h2h(True, 150), "implausible price"),
        # Points.
        ("spreads", spread(None, 4.5), "missing point"),
        ("spreads", spread("-4.5", "4.5"), "missing point"),
        ("totals", total(None, 227.5), "missing point"),
        ("totals", total(float("nan"), float("nan")), "missing point"),
        ("totals", total(227.5, 228.5), "different totals"),
        ("spreads", spread(-4.5, 5.5), "do not mirror"),
        ("spreads", spread(-4.5, -4.5), "do not mirror"),
        # Only the three markets PickVs grades.
        ("player_points", h2h(), "unsupported market"),
        ("h2h_lay", h2h(), "unsupported market"),
    ],
)
def test_market_problem(market: str, quotes: list[Quote], problem: str | None) -> None:
    got = market_problem(market, quotes)
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


FETCHED = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "bad"),
    [
        (None, False),
        (FETCHED - timedelta(hours=2), False),
        (FETCHED + timedelta(minutes=59), False),  # a book's clock a little ahead is tolerated
        (FETCHED + timedelta(hours=2), True),
        (datetime(1999, 12, 31, tzinfo=UTC), True),
        (datetime(1970, 1, 1, tzinfo=UTC), True),  # a zero epoch
    ],
)
def test_timestamp_problem(moment: datetime | None, bad: bool) -> None:
    assert (timestamp_problem(moment, FETCHED) is not None) is bad
