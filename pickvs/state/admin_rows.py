"""The admin page's lists and credit figures read from the services as rows of text, and the
settle form's input.

`AdminState` keeps only what the browser shows: each list is one page of `SECTIONS[name]` rows
of pre-formatted strings (times in league time), with the list's total beside it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain import display
from pickvs.domain import results as results_rules
from pickvs.models import ApiCall, DataIssue, Game, JobRun
from pickvs.services import admin_views as views
from pickvs.services import ledger, planning
from pickvs.services.errors import ServiceError

Row = dict[str, str]
# Page size of each list: job runs, provider calls, data issues, games to settle, recent games.
SECTIONS = {"runs": 10, "calls": 10, "issues": 5, "settle": 8, "games": 8}


def count(session: Session, name: str, now: datetime) -> int:
    if name == "settle":
        return views.count_games_to_settle(session, now)
    if name == "games":
        return views.count_recent_games(session, now)
    counts = {"runs": views.count_job_runs, "calls": views.count_api_calls}
    return counts.get(name, views.count_data_issues)(session)


def rows(session: Session, name: str, now: datetime, offset: int) -> list[Row]:
    limit = SECTIONS[name]
    if name == "runs":
        return [run_row(run) for run in views.recent_job_runs(session, limit, offset)]
    if name == "calls":
        return [call_row(call) for call in views.api_calls(session, limit, offset)]
    if name == "issues":
        return [issue_row(issue) for issue in views.recent_data_issues(session, limit, offset)]
    games = views.games_to_settle if name == "settle" else views.recent_games
    return [
        game_row(name, row.game, row.picks, row.pending, now)
        for row in games(session, now, limit=limit, offset=offset)
    ]


def credits(session: Session, now: datetime) -> tuple[Row, int, bool]:
    """This month's credit figures, the share of the budget spent (0-100), and whether the
    provider has said the quota is exhausted."""
    quota = ledger.summary(session, now, settings.monthly_credits, last=1)
    figures = {
        "used": str(quota.used),
        "remaining": str(quota.remaining),
        "budget": str(quota.budget),
        "provider": "—" if quota.provider_remaining is None else str(quota.provider_remaining),
        "month": f"{quota.month_start:%B %Y}",
    }
    percent = min(100, quota.used * 100 // quota.budget) if quota.budget else 100
    return figures, percent, quota.exhausted


def plan(session: Session, now: datetime) -> tuple[str, str, list[Row]]:
    """Today's plan: a summary line, the month's projected spend, and one row per call."""
    view = views.todays_plan(session, now, planning.current_settings(), settings.planner)
    rows = [
        {
            "at": clock_time(row.at),
            "kind": row.kind,
            "cost": str(row.cost),
            "status": row.status,
            "reason": row.reason,
        }
        for row in view.rows
    ]
    return view.summary, view.projected, rows


def clock_time(moment: datetime) -> str:
    """`7:30 PM` in league time."""
    local = moment.astimezone(settings.tz)
    return f"{local.hour % 12 or 12}:{local:%M} {local:%p}"


def run_row(run: JobRun) -> Row:
    took = "—" if run.finished_at is None else duration(run.finished_at - run.started_at)
    return {
        "id": str(run.id),
        "job": run.job,
        "trigger": run.trigger,
        "started": when(run.started_at),
        "duration": took,
        "outcome": run.outcome,
        "text": run.error or run.detail or "",
    }


def call_row(call: ApiCall) -> Row:
    return {
        "id": str(call.id),
        "at": when(call.at),
        "source": call.source,
        "endpoint": call.endpoint,
        "status": "—" if call.status_code is None else str(call.status_code),
        "credits": charged(call),
        "outcome": call.outcome,
        "error": " ".join(filter(None, (call.error_code, call.message))),
    }


def charged(call: ApiCall) -> str:
    """Credits as the month's budget counts them: none for demo calls, the provider's own
    charge, else (`~`) our estimate for a call that went through."""
    if call.source != ledger.LIVE:
        return "0"
    if call.credits_last is not None:
        return str(call.credits_last)
    return f"~{call.estimated_cost}" if call.outcome == "ok" else "—"


def issue_row(issue: DataIssue) -> Row:
    where = " · ".join(filter(None, (issue.game_id, issue.bookmaker, issue.market)))
    return {"id": str(issue.id), "at": when(issue.at), "where": where, "reason": issue.reason}


def game_row(section: str, game: Game, picks: int, pending: int, now: datetime) -> Row:
    """One game of a settle/void list. `settle` and `void` are "yes" when that action applies
    (`domain.results`), so the page offers only those; `id` is the provider's id the CLI takes."""
    return {
        "id": game.id,
        "key": f"{section}:{game.id}",  # which row's settle form is open
        "matchup": matchup(game),
        "home": game.home_team,
        "away": game.away_team,
        "tip": when(game.commence_time),
        "status": game.status.replace("_", " "),
        "picks": f"{picks} ({pending} pending)" if pending else str(picks),
        "score": final_score(game),
        "by": (game.settled_by or "").removeprefix("admin:"),
        "settle": _yes(results_rules.can_settle(game.status, game.commence_time, now)),
        "void": _yes(results_rules.can_void(game.status)),
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def matchup(game: Game) -> str:
    """The game's one name (`domain.display.matchup`), as every page writes it."""
    return display.matchup(away=game.away_team, home=game.home_team)


def final_score(game: Game) -> str:
    """`104-112`, in the order `matchup` names the teams; "" before there is one."""
    if game.home_score is None or game.away_score is None:
        return ""
    return display.score_line(away=game.away_score, home=game.home_score)


def when(moment: datetime) -> str:
    """`Nov 22, 7:30 PM` in league time."""
    local = moment.astimezone(settings.tz)
    return f"{local:%b} {local.day}, {local.hour % 12 or 12}:{local:%M} {local:%p}"


def duration(took: timedelta) -> str:
    seconds = took.total_seconds()
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {round(seconds % 60)} s"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- the settle form ---------------------------------------------------------------------------


def score_input(text: Any) -> int | str:
    """A whole number typed in a score box; anything else is passed on as typed, so the
    service's own message ("must be a whole number from 0 to 400") is what the admin reads."""
    raw = str(text or "").strip()
    try:
        return int(raw)
    except ValueError:
        return raw


def score_field(exc: ServiceError, fields: tuple[str, ...]) -> str:
    """The score box a settle error belongs beside: the one the service names, else the first."""
    return exc.field if exc.field in fields else fields[0]
