"""The credit planner, with hand-worked plans.

Times are New York time on Wednesday March 3 2027 (weeknight) and Saturday March 6 (weekend),
both EST (UTC-5). A month of 500 credits with the seed's two daily jobs (3 + 2 credits a day,
155 over 31 days) leaves 500 - 155 - 20 (results reserve) = 325 spare: 325 // 31 = 10 a day.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pickvs.domain import planner
from pickvs.domain.planner import LIVE, ODDS, DayPlan, plan_day

ET = ZoneInfo("America/New_York")
SEED_A_DAY = 5


def at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    return datetime.combine(date(2027, 3, day), time(hour, minute), tzinfo=ET).astimezone(UTC)


def clock(moment: datetime) -> str:
    return moment.astimezone(ET).strftime("%H:%M")


def times(plan: DayPlan, kind: str) -> list[str]:
    return [clock(call.at) for call in plan.calls if call.kind == kind]


# A weeknight: 4 games at 7:00 pm, 3 at 7:30, 1 at 8:00, 1 at 9:00, 2 at 10:00.
WEEKNIGHT = [at(19)] * 4 + [at(19, 30)] * 3 + [at(20)] + [at(21)] + [at(22)] * 2
# A weekend afternoon and evening: 2 games at 1:00 pm, 1 at 3:30, 3 at 7:00.
WEEKEND = [at(13, 0, 6)] * 2 + [at(15, 30, 6)] + [at(19, 0, 6)] * 3


def day_plan(
    tips: list[datetime],
    *,
    budget: int,
    used: int = 0,
    seed_committed: int = 0,
    days_left: int = 1,
    morning_fetch: datetime | None = None,
    lock_minutes: int = 0,
) -> DayPlan:
    """A day's plan after its seed fetch (by default 05:00 on March 3); by default the month's
    last day with nothing spent and the seed's runs done, so all of `budget` is today's."""
    return plan_day(
        tip_offs=tips,
        used=used,
        budget=budget,
        seed_committed=seed_committed,
        days_left=days_left,
        lock_minutes=lock_minutes,
        morning_fetch=morning_fetch or at(5),
    )


def month_plan(tips: list[datetime], day: int = 3, budget: int = 500) -> DayPlan:
    """The first day of a 31-day month, nothing spent yet, the seed's jobs still to run."""
    return day_plan(
        tips,
        budget=budget,
        seed_committed=SEED_A_DAY * 31,
        days_left=31,
        morning_fetch=at(5, 0, day),
    )


# ------------------------------------------------------------------------------ the credits


def test_spare_credits_and_todays_share() -> None:
    # 500 - 100 spent - 100 the seed will spend - 20 reserve = 280, over 20 days: 14 a day.
    spare = planner.spare_credits(budget=500, used=100, seed_committed=100, last_day=False)
    assert spare == 280
    assert planner.daily_allowance(spare, 20) == 14
    # On the month's last day the reserve is released: nothing is left for later.
    assert planner.spare_credits(budget=500, used=100, seed_committed=100, last_day=True) == 300
    # Overspent (the provider's count ran ahead): nothing spare, never negative.
    assert planner.spare_credits(budget=500, used=490, seed_committed=10, last_day=False) == 0


def test_may_spend_keeps_the_seed_jobs_and_the_reserve_covered() -> None:
    # Headroom: 500 - 20 seed - 20 reserve = 460.
    assert planner.may_spend(cost=3, used_now=457, budget=500, seed_committed=20, last_day=False)
    assert not planner.may_spend(
        cost=3, used_now=458, budget=500, seed_committed=20, last_day=False
    )
    # The last day: only the seed's own runs are held back (500 - 20 = 480).
    assert planner.may_spend(cost=3, used_now=477, budget=500, seed_committed=20, last_day=True)
    assert not planner.may_spend(cost=3, used_now=478, budget=500, seed_committed=20, last_day=True)


# ------------------------------------------------------------------------------ building blocks


def test_closing_refreshes_cover_the_locks_within_half_an_hour() -> None:
    locks = [at(19), at(19), at(19, 20), at(19, 30), at(22)]
    refreshes = planner.closing_refreshes(locks)
    # 18:57 serves 19:00, 19:00 and 19:20 (within 30 min); 19:30 needs its own at 19:27.
    assert [(clock(r.at), r.games) for r in refreshes] == [("18:57", 3), ("19:27", 1), ("21:57", 1)]
    assert refreshes[0].reason == "closing lines for 3 games"


def test_tiles_every_spacing_back_to_the_morning_fetch_and_through_wide_gaps() -> None:
    tiles = planner.tiles([at(18, 57), at(21, 57)], at(5), timedelta(hours=2))
    # Back from 18:57 to 05:00 every 2 h (06:57 is still after 05:00), then one in the 3 h gap
    # between the two closing refreshes; the first gap's nearest tile first.
    assert [clock(t.at) for t in tiles] == [
        "16:57",
        "14:57",
        "12:57",
        "10:57",
        "08:57",
        "06:57",
        "19:57",
    ]


# ------------------------------------------------------------------------------ thin days


def test_one_cluster_one_call_goes_half_an_hour_before_the_lock() -> None:
    """Two games at 7 pm, one odds call (3 credits on the month's last day, budget 3).

    Per game, by the pick model: a fetch at 17:00 serves the picks of 17:00-19:00,
    0.75 * (1 - (1/3)^2) = 0.667, and no closing line (2 h before lock). A fetch at 18:30 serves
    0.75 * (1 - (2.5/3)^2) = 0.229 and is a closing line, 0.8 * (1 - 0.1) = 0.72: 0.949. At
    18:57: 0.75 * (1 - (177/180)^2) = 0.025 + 0.8 * 0.99 = 0.817. So 18:30 wins.
    """
    plan = day_plan([at(19), at(19)], budget=3)
    assert [(clock(c.at), c.kind, c.cost) for c in plan.calls] == [("18:30", ODDS, 3)]
    assert plan.calls[0].reason == "closing lines for 2 games"
    assert (plan.allowance, plan.projected_spend, plan.fallback) == (3, 3, False)


def test_one_cluster_two_calls_cover_the_rush_and_close_it() -> None:
    """Seven credits: two odds calls. 16:30 + 18:30 serve every pick from 16:30 to the lock,
    0.75 * (1 - (0.5/3)^2) = 0.729 a game, with the closing line: any other pair leaves a gap
    or loses the closing line. The odd credit buys no live call: the odds plan is not whole
    (it would be 7 calls at 2 h spacing), so it rolls forward."""
    plan = day_plan([at(19), at(19)], budget=7)
    assert times(plan, ODDS) == ["16:30", "18:30"]
    assert times(plan, LIVE) == []
    assert plan.cost == 6


def test_credits_left_over_a_whole_plan_buy_live_scores_at_the_expected_finals() -> None:
    """22 credits: the whole 2 h plan for a 7 pm pair is 7 calls (18:57 and tiles back to
    06:57), 21 credits; the one left buys a live call at 7:00 pm + 2 h 30."""
    plan = day_plan([at(19), at(19)], budget=22)
    assert times(plan, ODDS) == ["06:57", "08:57", "10:57", "12:57", "14:57", "16:57", "18:57"]
    assert [(clock(c.at), c.reason) for c in plan.calls if c.kind == LIVE] == [
        ("21:30", "expected finals of the 2 games tipping at this cluster")
    ]


def test_weeknight_with_500_credits() -> None:
    """10 credits today: three odds calls. The rush before the first tip-offs (16:30, good for
    two hours of picks on every game), the closing lines of the two biggest clusters (7:00 pm,
    4 games, at 18:30; 7:30 pm, 3 games, at 19:27 - each also the freshest line for the picks
    of the two hours after it). The odd credit rolls forward."""
    plan = month_plan(WEEKNIGHT)
    assert (plan.allowance, plan.spare) == (10, 325)
    assert times(plan, ODDS) == ["16:30", "18:30", "19:27"]
    assert times(plan, LIVE) == []
    assert [c.reason for c in plan.calls if c.kind == ODDS][1:] == [
        "closing lines for 4 games",
        "closing lines for 3 games",
    ]
    # Spent before + the seed's 155 + 9 a day for 31 days (279, within the 325 spare).
    assert plan.projected_spend == 434


def test_weeknight_with_more_credits_closes_every_cluster() -> None:
    """15 credits (380 spare over 25 days): five odds calls, and the model spends them on the
    rush and a closing line for every cluster but 9:00 pm; picks stay on lines under 2 h old
    from 16:30 on. No live call: odds calls are still missing from the whole plan."""
    plan = day_plan(WEEKNIGHT, budget=500, seed_committed=100, days_left=25)
    assert plan.allowance == 15
    assert times(plan, ODDS) == ["16:30", "18:30", "19:27", "19:57", "21:57"]
    assert times(plan, LIVE) == []


def test_weekend_afternoon_with_500_credits() -> None:
    """Three calls, three clusters: each gets its closing line, placed to serve the most picks
    after it too - the 1:00 pm pair at 12:30 (picks to 14:30), the 3:30 pm game at 15:27
    (picks to 17:27), the 7:00 pm three at 18:30 (its last half hour, the densest)."""
    plan = month_plan(WEEKEND, day=6)
    assert times(plan, ODDS) == ["12:30", "15:27", "18:30"]
    assert times(plan, LIVE) == []


def test_thin_budget_falls_back_to_the_seed_calls() -> None:
    # 500 - 400 spent - 70 seed - 20 reserve = 10 spare over 5 days: 2 a day, no odds call.
    plan = day_plan(WEEKNIGHT, budget=500, used=400, seed_committed=70, days_left=5)
    assert plan.fallback
    assert plan.calls == ()
    assert plan.allowance == 2
    assert plan.projected_spend == 470
    assert "thin budget" in plan.note


def test_a_day_without_games_plans_nothing_and_is_no_fallback() -> None:
    plan = month_plan([])
    assert (plan.calls, plan.fallback, plan.note) == ((), False, "no games today")


# ------------------------------------------------------------------------------ rich days


def test_weekend_whole_plan_at_two_hour_spacing_with_live_cadence() -> None:
    """30 credits on the last day. Closing refreshes 12:57 (2 games), 15:27, 18:57 (3); tiles
    back from 12:57 to the 05:00 fetch every 2 h (10:57, 08:57, 06:57) and through the gaps
    wider than 2 h (12:57-15:27: 13:27; 15:27-18:57: 16:57). 8 calls, 24 credits; 1 h spacing
    would need 15 calls. The 6 credits left buy live scores over the minutes a game may be in
    play, 3 h from each tip-off: 13:01-18:30 (330 minutes) and 19:01-22:00 (180), 510 in all,
    every 85th minute: 14:25, 15:50, 17:15, then 9 and 94 minutes into the evening, 22:00."""
    plan = day_plan(WEEKEND, budget=30, morning_fetch=at(5, 0, 6))
    assert times(plan, ODDS) == [
        "06:57",
        "08:57",
        "10:57",
        "12:57",
        "13:27",
        "15:27",
        "16:57",
        "18:57",
    ]
    assert times(plan, LIVE) == ["14:25", "15:50", "17:15", "19:10", "20:35", "22:00"]
    assert plan.cost == 30


def test_20000_credits_live_every_minute_and_odds_every_half_hour() -> None:
    """19825 spare over 31 days: 639 a day. At 30 min spacing: 5 closing refreshes (18:57,
    19:27, 19:57, 20:57, 21:57), 27 tiles from 05:27 to 18:27 and one in each hour-long gap
    (20:27, 21:27): 34 calls, 102 credits. The other 537 buy more than a call a minute over
    19:00-01:00 (360 minutes): 360 live calls, one a minute."""
    plan = month_plan(WEEKNIGHT, budget=20000)
    assert plan.allowance == 639
    odds = [c.at for c in plan.calls if c.kind == ODDS]
    live = [c.at for c in plan.calls if c.kind == LIVE]
    assert (len(odds), len(live), plan.cost) == (34, 360, 462)
    fetches = [at(5), *odds]
    assert max(b - a for a, b in itertools.pairwise(fetches)) <= timedelta(minutes=30)
    assert odds[-1] >= at(22) - timedelta(minutes=30)
    for lock in WEEKNIGHT:
        last = max(f for f in fetches if f < lock)
        assert lock - last <= timedelta(minutes=30)
    assert live[0] == at(19, 1) and live[-1] == at(1, 0, 4)
    assert all(b - a <= timedelta(seconds=60) for a, b in itertools.pairwise(live))


def test_lock_minutes_move_the_closing_refresh() -> None:
    plan = day_plan([at(19)], budget=30, lock_minutes=10)
    # Locks at 18:50: the closing refresh 3 minutes before it.
    assert "18:47" in times(plan, ODDS)


# ------------------------------------------------------------------------------ the month


@pytest.mark.parametrize("budget", [500, 200, 20000])
def test_a_month_of_plans_never_overspends_and_keeps_the_reserve(budget: int) -> None:
    """Day by day, the seed's 5 credits and the whole plan spent: never over the budget, and
    until the last day at least 20 credits beyond the seed's remaining runs stay unspent."""
    used = 0
    for day in range(31):
        days_left = 31 - day
        seed = SEED_A_DAY * days_left
        tips = WEEKEND if day % 7 in (5, 6) else WEEKNIGHT
        moment = at(5) + timedelta(days=day)
        shifted = [t + timedelta(days=day) for t in tips]
        plan = day_plan(
            shifted,
            budget=budget,
            used=used,
            seed_committed=seed,
            days_left=days_left,
            morning_fetch=moment,
        )
        used += plan.cost
        if days_left > 1:
            assert used + seed <= budget - planner.RESERVE, (day, used)
        used += SEED_A_DAY
        assert used <= budget
    if budget == 500:
        assert used >= 480  # the spare is spent, not hoarded


def test_20000_credits_a_long_weekend_day_stretches_its_share_for_live_scores() -> None:
    """Games at 1:00, 3:30, 7:00 and 10:00 pm may be in play over 13:01-18:30 and 19:01-01:00:
    690 minutes. Today's even share (639) less the odds calls would not buy a call a minute;
    with odds every 30 min the day may take 1.5 x its share (958), so it does: 690 live calls,
    none in the 18:30-19:00 gap when no game is on."""
    tips = [*WEEKEND, at(22, 0, 6)]
    plan = month_plan(tips, day=6, budget=20000)
    live = [c.at for c in plan.calls if c.kind == LIVE]
    assert len(live) == 690
    assert (clock(live[0]), clock(live[329]), clock(live[330]), clock(live[-1])) == (
        "13:01",
        "18:30",
        "19:01",
        "01:00",
    )
    assert plan.cost <= int(plan.allowance * planner.RICH_STRETCH)
