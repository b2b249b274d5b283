"""Odds ingestion: upsert games by provider id and append the fetched lines to the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlmodel import Session

from pickvs.db import lock_league_writes
from pickvs.domain.locks import SCHEDULED
from pickvs.models import DataIssue, Game, GameStatus, OddsLine
from pickvs.odds.records import EventRecord, IssueRecord, ParsedOdds
from pickvs.services import versions
from pickvs.services.games import move_tip_off


@dataclass(frozen=True)
class IngestReport:
    games_new: int
    games_updated: int
    lines: int
    issues: int
    in_play: int

    def describe(self) -> str:
        return (
            f"{self.games_new} new game(s), {self.games_updated} updated, {self.lines} line(s), "
            f"{self.issues} data issue(s), {self.in_play} in play"
        )


def apply_odds(
    session: Session,
    parsed: ParsedOdds,
    fetched_at: datetime,
    job_run_id: int | None = None,
    lock_minutes: int = 0,
) -> IngestReport:
    """Write one fetch in the caller's transaction: all of it or, on any error, none of it.

    `lock_minutes` is the league's lock offset: a game inside its lock window whose tip-off
    the feed moves later stays locked (`services.games.move_tip_off`).
    """
    lock_league_writes(session)
    existing = _games_by_id(session, [event.id for event in parsed.events])
    new = lines = in_play = 0
    changed: list[str] = []
    for event in parsed.events:
        game = existing.get(event.id)
        if game is None:
            session.add(_new_game(event, fetched_at))
            new += 1
        elif _refresh_game(game, event, fetched_at, lock_minutes):
            changed.append(game.id)
        if event.commence_time <= fetched_at:
            in_play += 1  # live lines are not pickable and would blur the closing line
            continue
        lines += _append_lines(session, event, fetched_at)
    session.flush()
    versions.games_moved(session, changed)
    _mark_started(session, fetched_at)
    record_issues(session, parsed.issues, fetched_at, job_run_id)
    return IngestReport(new, len(changed), lines, len(parsed.issues), in_play)


def record_issues(
    session: Session, issues: Iterable[IssueRecord], at: datetime, job_run_id: int | None
) -> None:
    rows = [
        {
            "job_run_id": job_run_id,
            "at": at,
            "game_id": issue.game_id,
            "bookmaker": issue.bookmaker,
            "market": issue.market,
            "reason": issue.reason[:2000],
        }
        for issue in issues
    ]
    if rows:
        session.execute(insert(DataIssue), rows)


def _games_by_id(session: Session, ids: list[str]) -> dict[str, Game]:
    if not ids:
        return {}
    games = session.execute(select(Game).where(Game.id.in_(ids))).scalars()
    return {game.id: game for game in games}


def _new_game(event: EventRecord, now: datetime) -> Game:
    return Game(
        id=event.id,
        sport=event.sport,
        home_team=event.home_team,
        away_team=event.away_team,
        commence_time=event.commence_time,
        status=GameStatus.SCHEDULED,
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )


def _refresh_game(game: Game, event: EventRecord, now: datetime, lock_minutes: int) -> bool:
    """Follow the feed's tip-off time and team spelling; report whether anything changed."""
    renamed = (game.home_team, game.away_team) != (event.home_team, event.away_team)
    moved = move_tip_off(game, event.commence_time, now, lock_minutes)
    game.home_team, game.away_team = event.home_team, event.away_team
    game.last_seen_at = now
    if renamed:
        game.updated_at = now
    return renamed or moved


def _append_lines(session: Session, event: EventRecord, fetched_at: datetime) -> int:
    rows = [
        {
            "game_id": event.id,
            "bookmaker": line.bookmaker,
            "market": line.market,
            "outcome": line.outcome,
            "price": line.price,
            "point": line.point,
            "last_update": line.last_update,
            "fetched_at": fetched_at,
        }
        for line in event.lines
    ]
    if rows:
        session.execute(insert(OddsLine), rows)
    return len(rows)


def _mark_started(session: Session, now: datetime) -> None:
    """Tip-off has passed: the game is in play until a score or postponement settles it."""
    session.execute(
        update(Game)
        .where(Game.status == SCHEDULED, Game.commence_time <= now)
        .values(status=GameStatus.IN_PROGRESS, updated_at=now)
    )
