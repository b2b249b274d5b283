"""Apply a live scores call (scores without `daysFrom`): in-play scores for display, and any
final it shows recorded exactly as the results job records one.

The live call lists live and upcoming games only, so a game missing from it is not a sign of
anything (it finished, or has not started): nothing is ever postponed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from pickvs.models import Game
from pickvs.odds.records import ParsedScores
from pickvs.services import results


@dataclass(frozen=True)
class LiveReport:
    in_play: int
    results: results.ResultsReport

    def describe(self) -> str:
        return f"{self.in_play} game(s) in play; {self.results.describe()}"


def apply_live(
    session: Session,
    parsed: ParsedScores,
    sport: str,
    now: datetime,
    *,
    lock_minutes: int = 0,
    job_run_id: int | None = None,
) -> LiveReport:
    """In the caller's transaction: finals as process-results records them (never over an
    admin's settlement), then the in-play score of every started, unfinished game."""
    report = results.apply_scores(
        session, parsed, sport, now, None, lock_minutes=lock_minutes, job_run_id=job_run_id
    )
    playing = {
        record.id: record
        for record in parsed.scores
        if not record.completed and record.home_score is not None and record.away_score is not None
    }
    seen = 0
    if playing:
        games = session.execute(select(Game).where(Game.id.in_(list(playing)))).scalars()
        for game in games:
            record = playing[game.id]
            game.live_home_score, game.live_away_score = record.home_score, record.away_score
            game.live_at = now
            seen += 1
        session.flush()
    return LiveReport(seen, report)
