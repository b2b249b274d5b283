"""The two daily jobs and on-demand grading. A paid call is made only when it can bring
something, and only after the month's budget allows it.

fetch-odds asks the free schedule look-up (`/events`, 0 credits) whether any game tips in the
odds window before spending credits on odds; process-results asks the database whether any
started game awaits a result. A day with nothing to fetch therefore makes no paid call. A
refused call (budget) is ledgered with its reason; the rest of the job still runs and the run
is recorded as refused, with the reason and what was done.
"""

from __future__ import annotations

import functools

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import budget
from pickvs.domain import results as result_rules
from pickvs.jobs import calls
from pickvs.jobs.runner import JobContext
from pickvs.jobs.source import make_client
from pickvs.odds.client import ProviderError
from pickvs.odds.parse import parse_events
from pickvs.odds.records import MalformedResponse
from pickvs.services import clv, grading, results

FETCH_ODDS, PROCESS_RESULTS, GRADE = "fetch-odds", "process-results", "grade"


def fetch_odds(ctx: JobContext) -> str:
    """Per sport, one odds call if a game tips in the window; each sport is written all at once."""
    return calls.outcome(*calls.each_sport(ctx, _odds_for))


def _odds_for(ctx: JobContext, sport: str) -> str:
    window = budget.odds_window(ctx.now(), settings.tz)
    needed, look_up = _schedule_look_up(ctx, sport, window)
    if not needed:
        return f"{sport}: {look_up}, no odds call made"
    report, _ = calls.odds_call(ctx, sport, window.start, window.end)
    return f"{sport}: {look_up}; {report.describe()}"


def _schedule_look_up(ctx: JobContext, sport: str, window: budget.Window) -> tuple[bool, str]:
    """Whether the odds call is needed, from the free events call, and what the look-up saw.

    The look-up only ever saves credits: if it fails, the odds call goes ahead (budget
    permitting) rather than leaving players without lines.
    """
    try:
        with make_client(ctx.clock, ctx.recorder(budget.FREE_CALL_COST)) as client:
            parsed = parse_events(client.get_events(sport, window.start, window.end))
    except (ProviderError, MalformedResponse) as exc:
        return True, f"schedule look-up failed ({exc}), odds fetched anyway"
    times = [event.commence_time for event in parsed.events]
    in_window = sum(moment in window for moment in times)
    unreadable = f", {len(parsed.issues)} unreadable" if parsed.issues else ""
    note = (
        f"{in_window} game(s) to tip on today's or the next {budget.ODDS_WINDOW_DAYS - 1} "
        f"slate days{unreadable} (free look-up)"
    )
    return budget.odds_call_needed(times, window, len(parsed.issues)), note


def process_results(ctx: JobContext) -> str:
    """Scores for games that started and lack a result, then grading. No call if none needs one.

    Grading costs nothing, so it runs even when the budget refuses the scores call (an admin's
    settlements still count).
    """
    notes, refusals = calls.each_sport(ctx, _results_for)
    notes.append(grade(ctx))
    return calls.outcome(notes, refusals)


def _results_for(ctx: JobContext, sport: str) -> str:
    now = ctx.now()
    with session_scope() as session:
        oldest = results.oldest_unsettled_start(session, sport, now)
        stranded = results.unreachable_games(session, sport, now)
    note = (
        f" ({len(stranded)} game(s) older than the 3-day scores window need `pickvs settle`)"
        if stranded
        else ""
    )
    days_from = result_rules.days_from_for(oldest, now)
    if days_from is None:
        return f"{sport}: no started game awaits a result, no call made{note}"
    write = functools.partial(results.apply_scores, days_from=days_from)
    report = calls.scores_call(ctx, sport, days_from, write)
    return f"{sport}: {report.describe()}{note}"


def grade(ctx: JobContext) -> str:
    """Grade, then refresh closing-line value (both cheap when there is nothing to do)."""
    with session_scope() as session:
        report = grading.grade(session, ctx.now()).describe()
        clv.update_clv(session, ctx.now(), settings.lock_minutes)
        return report


JOBS = {FETCH_ODDS: fetch_odds, PROCESS_RESULTS: process_results, GRADE: grade}
