"""Display formats, hand-checked."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain.display import (
    format_record,
    format_roi,
    format_units,
    league_time,
    matchup,
    score_line,
)


@pytest.mark.parametrize(
    ("units", "text"),
    [(100 / 180, "+0.56u"), (-1.0, "-1.00u"), (0.0, "0.00u"), (-0.001, "0.00u"), (None, "—")],
)
def test_units(units: float | None, text: str) -> None:
    assert format_units(units) == text


@pytest.mark.parametrize(
    ("roi", "text"),
    [(0.202381, "+20.2%"), (-1.0, "-100.0%"), (0.0, "0.0%"), (-0.0001, "0.0%"), (None, "—")],
)
def test_roi(roi: float | None, text: str) -> None:
    assert format_roi(roi) == text


def test_record() -> None:
    assert format_record(2, 1, 0) == "2-1-0"


def test_a_game_has_one_name_away_at_home() -> None:
    """The slate, My picks, the profile, the admin page and the CLI all name a game this way."""
    assert matchup(away="Detroit Pistons", home="Charlotte Hornets") == (
        "Detroit Pistons @ Charlotte Hornets"
    )
    assert score_line(away=104, home=112) == "104-112"  # in the name's order: away first


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 23, 0, 40, tzinfo=UTC), "Sun Nov 22, 7:40 PM EST"),
        (datetime(2026, 11, 1, 0, 0, tzinfo=UTC), "Sat Oct 31, 8:00 PM EDT"),  # daylight time
        (datetime(2027, 3, 1, 17, 5, tzinfo=UTC), "Mon Mar 1, 12:05 PM EST"),
    ],
)
def test_league_time_is_labelled_with_its_zone(moment: datetime, text: str) -> None:
    assert league_time(moment, ZoneInfo("America/New_York")) == text
