"""American odds: what a price pays, and which prices are plausible."""

from __future__ import annotations

STAKE_UNITS = 1.0
MAX_ABS_PRICE = 10_000


def win_units(price: int) -> float:
    """Profit of a winning 1-unit stake: +150 pays 1.5, -200 pays 0.5."""
    if not is_valid_price(price):
        raise ValueError(f"not an American price: {price}")
    return price / 100.0 if price > 0 else 100.0 / -price


def is_valid_price(price: object) -> bool:
    """Within +/-10000 and never strictly between -100 and +100 (even money is +/-100)."""
    if isinstance(price, bool) or not isinstance(price, int):
        return False
    return abs(price) <= MAX_ABS_PRICE and abs(price) >= 100


def format_price(price: int) -> str:
    return f"+{price}" if price > 0 else str(price)


def format_point(point: float | None, signed: bool = True) -> str:
    if point is None:
        return ""
    text = f"{point:g}"
    return f"+{text}" if signed and point > 0 else text
