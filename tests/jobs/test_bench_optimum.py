"""The credits bench's ceiling: exact optimum over slots, checked on hand-worked days and by brute
force on small random ones."""

from __future__ import annotations

from itertools import combinations
from random import Random

import pytest

from bench.optimum import best_fetches, covered

QUARTERS = list(range(0, 24 * 60, 15))


def test_one_call_covers_the_cluster_it_can_reach() -> None:
    # Picks at 1:00, 1:10 and 3:20 (minutes of the day); 2 h window. A call at 0:00 prices the
    # first two (60 and 70 minutes old), no single call reaches 1:00 and 3:20 both.
    choice = best_fetches([60, 70, 200], QUARTERS, calls=1, window=120)
    assert choice.covered == 2
    assert covered([60, 70, 200], choice.slots, 120) == 2


def test_a_second_call_takes_the_late_pick_too() -> None:
    choice = best_fetches([60, 70, 200], QUARTERS, calls=2, window=120)
    assert choice.covered == 3 and len(choice.slots) == 2


def test_a_later_call_supersedes_an_earlier_one() -> None:
    # Picks at 100 and 130, 30-minute window. A call at 90 prices 100 (10 min) but not 130
    # (40 min); a call at 105 would price 130, but 100 comes before it. Two calls: 90 and 120.
    assert best_fetches([100, 130], QUARTERS, calls=1, window=30).covered == 1
    two = best_fetches([100, 130], QUARTERS, calls=2, window=30)
    assert two.covered == 2
    assert covered([100, 130], two.slots, 30) == 2
    # A third call in the wrong place can spoil coverage: 110 after 90 leaves 100 on 90's line,
    # 130 on 110's (20 min): still 2. The rule is the latest call at or before each pick.
    assert covered([100, 130], [90, 110], 30) == 2
    assert covered([100, 130], [90, 95, 96], 30) == 1  # 130 is 34 min after 96


def test_more_picks_in_one_place_win_the_only_call() -> None:
    assert best_fetches([0, 0, 0, 200], QUARTERS, calls=1, window=120).covered == 3
    assert best_fetches([0, 0, 0, 200], QUARTERS, calls=2, window=120).covered == 4


def test_no_call_covers_nothing() -> None:
    assert best_fetches([10, 20], QUARTERS, calls=0, window=120).covered == 0
    assert best_fetches([], QUARTERS, calls=3, window=120).covered == 0


def test_closing_lines_need_a_call_strictly_before_the_lock() -> None:
    # Lock at 19:00 (1140): a call at 19:00 is too late (the game has started), 18:45 is fine,
    # 18:15 is 45 minutes early.
    assert best_fetches([1140], [1140], calls=1, window=30, before=True).covered == 0
    assert best_fetches([1140], [1125, 1140], calls=1, window=30, before=True).slots == (1125,)
    assert best_fetches([1140], [1095], calls=1, window=30, before=True).covered == 0
    # Locks at 7:00 (two games), 7:30 and 10:00 pm. 7:00 needs a call in [6:30, 7:00), 7:30 one
    # in [7:00, 7:30): no single call serves both, so one call takes the two 7:00 games, two
    # calls three games, three calls all four.
    locks = [1140, 1140, 1170, 1320]
    assert best_fetches(locks, QUARTERS, calls=1, window=30, before=True).covered == 2
    assert best_fetches(locks, QUARTERS, calls=2, window=30, before=True).covered == 3
    assert best_fetches(locks, QUARTERS, calls=3, window=30, before=True).covered == 4


@pytest.mark.parametrize("before", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_agrees_with_brute_force_on_small_days(seed: int, before: bool) -> None:
    rng = Random(seed)
    slots = sorted(rng.sample(range(0, 600, 15), rng.randint(1, 9)))
    times = [rng.randrange(0, 660) for _ in range(rng.randint(0, 12))]
    window = rng.choice((30, 60, 120))
    for calls in range(0, 4):
        brute = max(
            (
                covered(times, chosen, window, before=before)
                for k in range(0, min(calls, len(slots)) + 1)
                for chosen in combinations(slots, k)
            ),
            default=0,
        )
        choice = best_fetches(times, slots, calls, window, before=before)
        assert choice.covered == brute
        assert covered(times, choice.slots, window, before=before) == brute
        assert len(choice.slots) <= calls
