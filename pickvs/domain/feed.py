"""Which feed rows are fit to store. A bad row is skipped with a reason, never a crash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pickvs.domain.markets import AWAY, H2H, HOME, MARKETS, OVER, TOTALS, UNDER
from pickvs.domain.odds import is_valid_price

EARLIEST_SANE = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
FUTURE_TOLERANCE = timedelta(hours=1)


@dataclass(frozen=True)
class Quote:
    """One outcome of one market at one book, already mapped to a side."""

    side: str
    name: str
    price: object
    point: object


def market_problem(market: str, quotes: list[Quote]) -> str | None:
    """Why this book's market cannot be stored, or None when both sides are sound."""
    if market not in MARKETS:
        return f"unsupported market {market}"
    expected = {OVER, UNDER} if market == TOTALS else {HOME, AWAY}
    if len(quotes) != 2 or {q.side for q in quotes} != expected:
        return "both sides of the market are not present"
    for q in quotes:
        if not is_valid_price(q.price):
            return f"implausible price {q.price!r} for {q.name}"
        if market != H2H and not _is_number(q.point):
            return f"missing point for {q.name}"
    if market == TOTALS and quotes[0].point != quotes[1].point:
        return "Over and Under quote different totals"
    if market not in (H2H, TOTALS) and float(quotes[0].point) != -float(quotes[1].point):  # type: ignore[arg-type]
        return "the two spreads do not mirror each other"
    return None


def timestamp_problem(moment: datetime | None, fetched_at: datetime) -> str | None:
    if moment is None:
        return None
    if moment < EARLIEST_SANE or moment > fetched_at + FUTURE_TOLERANCE:
        return f"implausible timestamp {moment.isoformat()}"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value
