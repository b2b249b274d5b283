"""Closing-line value, hand-worked.

Figures used below (worked by hand, Phi from a standard normal table):
  implied(-110) = 110/210 = 0.523810     implied(+150) = 100/250 = 0.400000
  implied(-130) = 130/230 = 0.565217     implied(+110) = 100/210 = 0.476190
  implied(-180) = 180/280 = 0.642857     implied(+170) = 100/270 = 0.370370
  implied(-150) = 150/250 = 0.600000     implied(-115) = 115/215 = 0.534884
  implied(-105) = 105/205 = 0.512195
  Phi(2/12) = Phi(0.1667) = 0.566184     Phi(-2/12) = 0.433816
  Phi(3/17) = Phi(0.1765) = 0.570038     Phi(1/17) = Phi(0.0588) = 0.523454
"""

from __future__ import annotations

import pytest

from pickvs.domain.clv import (
    NBA_MARGIN_SD,
    NBA_TOTAL_SD,
    Close,
    Taken,
    beats_close,
    clv,
    clv_tone,
    format_clv,
    implied_probability,
    no_vig,
    point_sd,
    probability_at_point,
)


@pytest.mark.parametrize(
    ("price", "expected"),
    [(-110, 110 / 210), (150, 0.4), (100, 0.5), (-100, 0.5), (-300, 0.75), (400, 0.2)],
)
def test_implied_probability(price: int, expected: float) -> None:
    assert implied_probability(price) == pytest.approx(expected)


@pytest.mark.parametrize("price", [0, 50, -99])
def test_implied_probability_refuses_non_american_prices(price: int) -> None:
    with pytest.raises(ValueError):
        implied_probability(price)


def test_no_vig_splits_a_level_market_in_half_and_sums_to_one() -> None:
    assert no_vig(-110, -110) == pytest.approx(0.5)
    # -180 / +150: 0.642857 / (0.642857 + 0.4) = 0.616438, and the dog gets the rest.
    assert no_vig(-180, 150) == pytest.approx(0.616438, abs=1e-6)
    assert no_vig(150, -180) == pytest.approx(0.383562, abs=1e-6)
    assert no_vig(-180, 150) + no_vig(150, -180) == pytest.approx(1.0)


def test_the_cited_nba_deviations() -> None:
    assert point_sd("basketball_nba", "spreads") == NBA_MARGIN_SD == 12.0
    assert point_sd("basketball_nba", "totals") == NBA_TOTAL_SD == 17.0
    assert point_sd("basketball_nba", "h2h") is None
    assert point_sd("americanfootball_nfl", "spreads") is None


# (what was taken, the close at the book, sd) -> CLV in percentage points
CASES = [
    pytest.param(
        # Same point, the price moved toward the pick: close -130/+110 on the -4.5.
        # fair = 0.565217 / (0.565217 + 0.476190) = 0.542744; 54.2744 - 52.3810 = +1.8934
        Taken("spreads", "home", -110, -4.5),
        Close(-130, 110, -4.5),
        NBA_MARGIN_SD,
        1.8934,
        id="same-point-price-moved-our-way",
    ),
    pytest.param(
        # Same point, same price, level market: 50 - 52.3810 = -2.3810 (the vig you paid).
        Taken("spreads", "away", -110, 4.5),
        Close(-110, -110, 4.5),
        NBA_MARGIN_SD,
        -2.3810,
        id="same-line-costs-the-vig",
    ),
    pytest.param(
        # The example: +4.5 taken at -110, closed +2.5 at -110/-110.
        # fair at +2.5 = 0.5; at +4.5 = Phi(0 + 2/12) = 0.566184; 56.6184 - 52.3810 = +4.2374
        Taken("spreads", "away", -110, 4.5),
        Close(-110, -110, 2.5),
        NBA_MARGIN_SD,
        4.2374,
        id="moved-point-dog-got-two-more",
    ),
    pytest.param(
        # The other side of that game: -4.5 taken, closed -2.5 (laid two more points).
        # Phi(0 - 2/12) = 0.433816; 43.3816 - 52.3810 = -8.9994 (rounding: -8.9993)
        Taken("spreads", "home", -110, -4.5),
        Close(-110, -110, -2.5),
        NBA_MARGIN_SD,
        -8.9993,
        id="moved-point-favourite-laid-two-more",
    ),
    pytest.param(
        # Moneyline favourite: Celtics -150 taken, closed -180/+150.
        # fair = 0.616438; 61.6438 - 60.0000 = +1.6438
        Taken("h2h", "home", -150, None),
        Close(-180, 150, None),
        NBA_MARGIN_SD,
        1.6438,
        id="moneyline-favourite",
    ),
    pytest.param(
        # Moneyline dog: Bucks +170 taken, closed +150/-180.
        # fair = 0.383562; 38.3562 - 37.0370 = +1.3192 (unrounded 1.31913)
        Taken("h2h", "away", 170, None),
        Close(150, -180, None),
        NBA_MARGIN_SD,
        1.3191,
        id="moneyline-dog",
    ),
    pytest.param(
        # Moneyline dog the market moved against: +150 taken, closed +170/-200.
        # implied(-200) = 0.666667; fair = 0.370370 / 1.037037 = 0.357143
        # 35.7143 - 40.0000 = -4.2857
        Taken("h2h", "away", 150, None),
        Close(170, -200, None),
        NBA_MARGIN_SD,
        -4.2857,
        id="moneyline-dog-beaten-by-the-close",
    ),
    pytest.param(
        # Over 220.5 taken, total closed 223.5 at -110/-110: a lower total helps an Over.
        # Phi(0 + 3/17) = 0.570038; 57.0038 - 52.3810 = +4.6228
        Taken("totals", "over", -110, 220.5),
        Close(-110, -110, 223.5),
        NBA_TOTAL_SD,
        4.6228,
        id="over-moved-up",
    ),
    pytest.param(
        # Under 224.5 taken, closed 223.5: one point better for an Under.
        # Phi(1/17) = 0.523454; 52.3454 - 52.3810 = -0.0356
        Taken("totals", "under", -110, 224.5),
        Close(-110, -110, 223.5),
        NBA_TOTAL_SD,
        -0.0356,
        id="under-one-point-better",
    ),
    pytest.param(
        # Under 222.5 at -105, closed 223.5 with the Under at -105 and the Over at -115:
        # fair at 223.5 = 0.512195 / (0.512195 + 0.534884) = 0.489165
        # at 222.5: Phi(Phi^-1(0.489165) - 1/17) = Phi(-0.027161 - 0.058824) = Phi(-0.085985)
        #         = 0.465739; 46.5739 - 51.2195 = -4.6456
        Taken("totals", "under", -105, 222.5),
        Close(-105, -115, 223.5),
        NBA_TOTAL_SD,
        -4.6457,
        id="under-moved-against-with-vig",
    ),
]


@pytest.mark.parametrize(("taken", "close", "sd", "expected"), CASES)
def test_clv(taken: Taken, close: Close, sd: float, expected: float) -> None:
    assert clv(taken, close, sd) == pytest.approx(expected, abs=1e-4)


def test_both_sides_at_the_same_moved_line_share_the_fair_probability() -> None:
    """Fair chances at a point add up to 1 across the two sides, whatever the move: so the
    two sides' CLVs at -110/-110 add up to 100 - 2 * 52.381 = -4.762 (the vig, twice)."""
    dog = clv(Taken("spreads", "away", -110, 4.5), Close(-110, -110, 2.5), 12.0)
    fav = clv(Taken("spreads", "home", -110, -4.5), Close(-110, -110, -2.5), 12.0)
    assert dog is not None and fav is not None
    assert dog + fav == pytest.approx(100 - 2 * 100 * 110 / 210, abs=2e-4)


def test_the_model_is_continuous_no_push_at_whole_numbers() -> None:
    """A whole-number point gains exactly what the normal curve gives, no push mass: +3 vs +2.5
    is Phi(0.5/12) - 0.5 = 1.66 pp at a level close, the same as +2.5 vs +2."""
    at_three = probability_at_point("spreads", "away", 0.5, 2.5, 3.0, 12.0)
    at_two_and_a_half = probability_at_point("spreads", "away", 0.5, 2.0, 2.5, 12.0)
    assert at_three == pytest.approx(0.516618, abs=1e-6)
    assert at_three == pytest.approx(at_two_and_a_half)


def test_a_moved_point_without_a_deviation_has_no_clv() -> None:
    assert clv(Taken("spreads", "away", -110, 4.5), Close(-110, -110, 2.5), None) is None
    # ...but the same point needs none.
    assert clv(Taken("spreads", "away", -110, 2.5), Close(-110, -110, 2.5), None) == -2.381


def test_probability_at_point_refuses_impossible_inputs() -> None:
    with pytest.raises(ValueError):
        probability_at_point("spreads", "home", 1.0, 2.5, 3.5, 12.0)
    with pytest.raises(ValueError):
        probability_at_point("spreads", "home", 0.5, 2.5, 3.5, 0.0)


@pytest.mark.parametrize(
    ("value", "text", "tone", "beats"),
    [
        (2.345, "+2.3 pp", "up", True),
        (-0.8, "-0.8 pp", "down", False),
        (-0.04, "0.0 pp", "level", False),
        (0.0, "0.0 pp", "level", False),
        (None, "—", "level", False),
    ],
)
def test_format_tone_and_beating_the_close(
    value: float | None, text: str, tone: str, beats: bool
) -> None:
    assert format_clv(value) == text
    assert clv_tone(value) == tone
    assert beats_close(value) is beats
