"""Final scores in: record results, follow tip-off changes, and postpone games that never finished.

A score from the feed never overwrites a settlement made by an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.db import lock_league_writes
from pickvs.domain import results as rules
from pickvs.models import Game, GameStatus
from pickvs.odds.records import IssueRecord, ParsedScores, ScoreRecord
from pickvs.services import versions
from pickvs.services.games import move_tip_off
from pickvs.services.ingest import record_issues

OPEN_STATUSES = (GameStatus.SCHEDULED, GameStatus.IN_PROGRESS)
FEED = "feed"


@dataclass(frozen=True)
class ResultsReport:
    finals: int
    postponed: int
    rescheduled: int
    kept_admin: int
    refused: int = 0  # finals the feed sent that cannot be right (a tie in basketball)

    def describe(self) -> str:
        refused = f", {self.refused} impossible final(s) refused" if self.refused else ""
        return (
            f"{self.finals} final(s), {self.postponed} postponed, {self.rescheduled} "
            f"rescheduled, {self.kept_admin} admin settlement(s) kept{refused}"
        )


def _unsettled_started(sport: str, now: datetime):  # type: ignore[no-untyped-def]
    return (Game.sport == sport) & Game.status.in_(OPEN_STATUSES) & (Game.commence_time < now)


def oldest_unsettled_start(session: Session, sport: str, now: datetime) -> datetime | None:
    """Oldest game still awaiting a result that a scores call can still reach (3 days back)."""
    reachable = now - timedelta(days=rules.MAX_DAYS_FROM)
    stmt = select(func.min(Game.commence_time)).where(
        _unsettled_started(sport, now), Game.commence_time >= reachable
    )
    value = session.execute(stmt).scalar_one_or_none()
    return _aware(value)


def unreachable_games(session: Session, sport: str, now: datetime) -> list[Game]:
    """Started, unsettled and older than the scores window: only `pickvs settle` can finish them."""
    reachable = now - timedelta(days=rules.MAX_DAYS_FROM)
    stmt = select(Game).where(_unsettled_started(sport, now), Game.commence_time < reachable)
    return list(session.execute(stmt.order_by(Game.commence_time)).scalars())


def apply_scores(
    session: Session,
    parsed: ParsedScores,
    sport: str,
    now: datetime,
    days_from: int | None,
    *,
    lock_minutes: int = 0,
    job_run_id: int | None = None,
) -> ResultsReport:
    """Apply one successful scores fetch, in the caller's transaction.

    `days_from` None is a live call (no `daysFrom`): it only shows live and upcoming games, so
    a game missing from it has simply finished (or not started) and is never postponed.

    A final that cannot be right (`rules.impossible_final`) is not recorded: it becomes a data
    issue, and the game waits for a corrected feed or an admin's settlement.
    """
    lock_league_writes(session)
    by_id = {record.id: record for record in parsed.scores}
    games = {
        game.id: game
        for game in session.execute(
            select(Game).where((Game.id.in_(list(by_id))) | _unsettled_started(sport, now))
        ).scalars()
    }
    finals = rescheduled = kept = 0
    issues: list[IssueRecord] = []
    for record in parsed.scores:
        game = games.get(record.id)
        if game is None:
            continue
        if game.status in OPEN_STATUSES and move_tip_off(
            game, record.commence_time, now, lock_minutes
        ):
            rescheduled += 1
            versions.games_moved(session, [game.id])
        game.last_seen_at = now
        final = _final_scores(record)
        if final is not None and not _is_admin_settled(game):
            problem = rules.impossible_final(game.sport, *final)
            if problem is not None:
                issues.append(IssueRecord(f"final not recorded: {problem}", game_id=game.id))
                final = None
        if final is not None:
            if _is_admin_settled(game):
                kept += 1
            elif _record_final(game, record, now):
                finals += 1
        elif record.home_score is not None and game.status == GameStatus.SCHEDULED:
            game.status, game.updated_at = GameStatus.IN_PROGRESS, now
    postponed = 0 if days_from is None else _postpone_missing(games.values(), by_id, now, days_from)
    session.flush()
    record_issues(session, issues, now, job_run_id)
    return ResultsReport(finals, postponed, rescheduled, kept, len(issues))


def _final_scores(record: ScoreRecord) -> tuple[int, int] | None:
    """(home, away) when the feed calls the game completed with both scores, else None."""
    if record.completed and record.home_score is not None and record.away_score is not None:
        return record.home_score, record.away_score
    return None


def _is_admin_settled(game: Game) -> bool:
    return bool(game.settled_by and game.settled_by != FEED)


def _record_final(game: Game, record: ScoreRecord, now: datetime) -> bool:
    """Store a final score; a changed score (a correction) re-settles so grading runs again."""
    scores = (record.home_score, record.away_score)
    if game.status == GameStatus.FINAL and (game.home_score, game.away_score) == scores:
        return False
    game.home_score, game.away_score = scores
    game.status, game.settled_at, game.settled_by, game.updated_at = (
        GameStatus.FINAL,
        now,
        FEED,
        now,
    )
    return True


def _postpone_missing(
    games,
    by_id: dict[str, ScoreRecord],
    now: datetime,
    days_from: int,  # type: ignore[no-untyped-def]
) -> int:
    window_from = rules.window_start(now, days_from)
    count = 0
    for game in games:
        if game.status not in OPEN_STATUSES or _is_admin_settled(game):
            continue
        record = by_id.get(game.id)
        if rules.should_postpone(
            game.commence_time,
            now,
            seen=record is not None,
            completed=bool(record and record.completed),
            window_from=window_from,
        ):
            game.status, game.settled_at, game.settled_by, game.updated_at = (
                GameStatus.POSTPONED,
                now,
                FEED,
                now,
            )
            count += 1
    return count


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite, so MIN() comes back naive."""
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
