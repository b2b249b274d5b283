"""American odds: what a winning 1-unit stake pays, and which prices are plausible."""

from __future__ import annotations

import pytest

from pickvs.domain.odds import format_point, format_price, is_valid_price, win_units


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        (150, 1.5),  # +150: 150/100
        (-180, 0.5556),  # -180: 100/180 = 0.5555...
        (100, 1.0),  # even money either way
        (-100, 1.0),
        (-110, 0.9091),  # the standard vig: 100/110
        (-200, 0.5),
        (250, 2.5),
        (10_000, 100.0),  # the plausible extremes
        (-10_000, 0.01),
    ],
)
def test_win_units(price: int, expected: float) -> None:
    assert win_units(price) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(
    "price", [50, -99, 99, 0, 20_000, -10_001, 10_001, True, False, 1.5, "150"]
)
def test_win_units_rejects_what_is_not_an_american_price(price: object) -> None:
    with pytest.raises(ValueError):
        win_units(price)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("price", "valid"),
    [
        (-100, True),
        (100, True),
        (-101, True),
        (101, True),
        (-99, False),  # strictly between -100 and +100: no such American price
        (99, False),
        (0, False),
        (10_000, True),
        (-10_000, True),
        (10_001, False),
        (-10_001, False),
        (-110.0, False),  # American prices are integers; a float means decimal odds
        (None, False),
        (True, False),  # bool is an int in Python, never a price
    ],
)
def test_is_valid_price(price: object, valid: bool) -> None:
    assert is_valid_price(price) is valid


@pytest.mark.parametrize(
    ("price", "text"), [(150, "+150"), (-110, "-110"), (100, "+100"), (-100, "-100")]
)
def test_format_price(price: int, text: str) -> None:
    assert format_price(price) == text


@pytest.mark.parametrize(
    ("point", "signed", "text"),
    [
        (-4.5, True, "-4.5"),
        (4.5, True, "+4.5"),
        (3.0, True, "+3"),
        (227.5, False, "227.5"),
        (0.0, True, "0"),
        (None, True, ""),
    ],
)
def test_format_point(point: float | None, signed: bool, text: str) -> None:
    assert format_point(point, signed) == text
