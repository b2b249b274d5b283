"""Season boundaries taken from the games stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pickvs.domain.seasons import season_start


def _tips(*days: str) -> list[datetime]:
    stamps = [datetime.fromisoformat(day).replace(hour=23, tzinfo=UTC) for day in days]
    return sorted(stamps, reverse=True)


def test_no_games_no_season() -> None:
    assert season_start([]) is None


def test_the_summer_splits_two_seasons_and_the_all_star_break_does_not() -> None:
    tips = _tips(
        "2025-10-21",
        "2025-11-20",
        "2025-12-20",
        "2026-01-20",
        "2026-02-12",
        "2026-02-19",  # a week's All-Star break inside a season
        "2026-03-20",
        "2026-04-20",
        "2026-05-20",
        "2026-06-19",  # last game of the Finals
        "2026-10-20",
        "2026-11-03",
        "2026-12-01",  # the new season
    )
    assert season_start(tips) == datetime(2026, 10, 20, 23, tzinfo=UTC)
    # Seen from the Finals, the season is the one that began in October 2025.
    finals = [tip for tip in tips if tip <= datetime(2026, 6, 20, tzinfo=UTC)]
    assert season_start(finals) == datetime(2025, 10, 21, 23, tzinfo=UTC)


def test_a_gap_just_over_the_limit_starts_a_new_season() -> None:
    first = datetime(2026, 1, 1, tzinfo=UTC)
    assert season_start([first + timedelta(days=45), first]) == first
    assert season_start([first + timedelta(days=46), first]) == first + timedelta(days=46)
