"""The two daily jobs and on-demand grading. Each provider call is budget-checked first."""

from __future__ import annotations

from pickvs.config import settings
from pickvs.db import session_scope
from pickvs.domain import budget
from pickvs.domain import results as result_rules
from pickvs.jobs.runner import JobContext
from pickvs.jobs.source import make_client
from pickvs.odds.parse import parse_odds, parse_scores
from pickvs.services import grading, ingest, results

FETCH_ODDS, PROCESS_RESULTS, GRADE = "fetch-odds", "process-results", "grade"


def fetch_odds(ctx: JobContext) -> str:
    """One odds call per sport; a sport's games and lines are written all at once or not at all."""
    reports = []
    for sport in settings.sports:
        cost = budget.odds_call_cost(len(settings.markets), len(settings.regions))
        ctx.check_budget(f"/v4/sports/{sport}/odds", cost, settings.monthly_credits)
        with make_client(ctx.clock, ctx.recorder(cost)) as client:
            payload = client.get_odds(sport, settings.markets, settings.regions)
        fetched_at = ctx.now()
        parsed = parse_odds(payload, fetched_at, settings.markets)
        with session_scope() as session:
            report = ingest.apply_odds(session, parsed, fetched_at, ctx.run_id)
        reports.append(f"{sport}: {report.describe()}")
    return "; ".join(reports)


def process_results(ctx: JobContext) -> str:
    """Scores for games that started and lack a result, then grading. No call if none needs one."""
    notes = [_results_for(ctx, sport) for sport in settings.sports]
    notes.append(grade(ctx))
    return "; ".join(notes)


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
    cost = budget.scores_call_cost(days_from)
    ctx.check_budget(f"/v4/sports/{sport}/scores", cost, settings.monthly_credits)
    with make_client(ctx.clock, ctx.recorder(cost)) as client:
        payload = client.get_scores(sport, days_from)
    parsed = parse_scores(payload)
    with session_scope() as session:
        report = results.apply_scores(session, parsed, sport, ctx.now(), days_from)
        ingest.record_issues(session, parsed.issues, ctx.now(), ctx.run_id)
    return f"{sport}: {report.describe()}{note}"


def grade(ctx: JobContext) -> str:
    with session_scope() as session:
        return grading.grade(session, ctx.now()).describe()


JOBS = {FETCH_ODDS: fetch_odds, PROCESS_RESULTS: process_results, GRADE: grade}
