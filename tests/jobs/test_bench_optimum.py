"""The credits bench's ceiling: exact optimum over slots, checked on hand-worked days and by brute
force on small random ones."""

from __future__ import annotations

from itertools import combinations
from random import Random

import pytest

from bench.optimum import Day, best_fetches, best_mixed, covered, frontier, useful_minutes

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


# ------------------------------------------------------------------------------ both aims at once

MINUTES = list(range(0, 24 * 60))


def test_one_call_chooses_between_fresh_picks_and_a_closing_line() -> None:
    # Picks at 17:00 and 17:30 (1020, 1050), a game locking at 19:00 (1140). One call between
    # 15:30 and 17:00 prices both picks (2 h window) but is hours before the lock; one from
    # 18:30 closes the game and prices nothing. A closing line worth 1.5 picks loses; worth 2.5, it wins.
    picks, locks = [1020, 1050], [1140]
    cheap = best_mixed(picks, locks, MINUTES, 1, fresh=120, closing=30, weight=1.5)
    assert (cheap.fresh, cheap.closing) == (2, 0) and 930 <= cheap.slots[0] <= 1020
    dear = best_mixed(picks, locks, MINUTES, 1, fresh=120, closing=30, weight=2.5)
    assert (dear.fresh, dear.closing) == (0, 1) and 1110 <= dear.slots[0] <= 1139
    # Two calls do both.
    both = best_mixed(picks, locks, MINUTES, 2, fresh=120, closing=30, weight=1.0)
    assert (both.fresh, both.closing) == (2, 1)


def test_useful_minutes_are_the_picks_and_the_minute_before_each_lock() -> None:
    assert useful_minutes([600, 1020, 1020], [1140, 1170], earliest=700) == [1020, 1139, 1169]


def _brute(picks: list[int], locks: list[int], calls: int, weight: float) -> float:
    return max(
        covered(picks, chosen, 120) + weight * covered(locks, chosen, 30, before=True)
        for k in range(0, calls + 1)
        for chosen in combinations(range(0, 400, 5), k)
    )


@pytest.mark.parametrize("seed", range(12))
def test_mixed_over_useful_minutes_agrees_with_brute_force(seed: int) -> None:
    """Searching only the useful minutes loses nothing against every 5-minute schedule (the
    random picks and locks fall on 5-minute marks, so that grid holds every useful minute but
    the minute before a lock, which it can only do as well as or worse than)."""
    rng = Random(seed)
    picks = sorted(rng.randrange(0, 400, 5) for _ in range(rng.randint(0, 8)))
    locks = sorted(rng.randrange(5, 400, 5) for _ in range(rng.randint(0, 4)))
    weight = rng.choice((0.5, 1.0, 3.0))
    for calls in range(0, 3):
        found = best_mixed(
            picks, locks, useful_minutes(picks, locks), calls, fresh=120, closing=30, weight=weight
        )
        assert found.fresh == covered(picks, found.slots, 120)
        assert found.closing == covered(locks, found.slots, 30, before=True)
        assert found.fresh + weight * found.closing >= _brute(picks, locks, calls, weight) - 1e-9


def test_frontier_bounds_what_keeping_the_closing_lines_costs() -> None:
    # Day one: picks at 17:00 x3 and a game locking at 19:00, one call. Day two: the same, one
    # call. Closing lines for both games (share 1.0) leave no pick fresh: the bound is 0 and a
    # schedule reaching it exists. Closing one game (share 0.5) keeps one day's 3 picks fresh.
    day = Day((1020, 1020, 1020), (1140,), calls=1)
    both = frontier([day, day], 1.0, fresh=120, closing=30)
    assert both.needed == 2 and both.reached_closing == 2 and both.reached == 0
    assert both.bound is not None and both.bound < 1
    half = frontier([day, day], 0.5, fresh=120, closing=30)
    assert half.needed == 1 and half.reached == 3 and half.reached_closing >= 1
    assert half.bound is not None and 3 <= half.bound < 4
    # Nothing to keep: the bound is the fresh-only optimum (all six picks).
    free = frontier([day, day], 0.0, fresh=120, closing=30)
    assert free.reached == 6 and free.bound == 6
    # No call at all cannot close a game.
    assert frontier([Day((1020,), (1140,), calls=0)], 1.0, fresh=120, closing=30).bound is None
