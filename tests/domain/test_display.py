"""Display formats, hand-checked."""

from __future__ import annotations

import pytest

from pickvs.domain.display import format_record, format_roi, format_units


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
