"""Set-based, idempotent grading: a handful of statements for any number of picks.

Picks on a settled game are (re)graded whenever their stored result differs from what the
game's current settlement gives (first grading, a corrected score, an admin's settlement or
void). Comparing results rather than timestamps means a correction is never missed because it
was stamped at the same instant as, or earlier than, the last grading.

Every pick this run changes is stamped `graded_at = now`, and the UPDATE returns the games they
belong to: that is how the rest of the run finds the work it made, without reading the freshly
rewritten pick table again. The roll-up rows (`user_tip`) of each tip-off with a changed pick are
then rebuilt from the picks, and the leaderboard columns of everyone who picked at those
tip-offs are summed from their roll-up rows: derived, never incremented, so running this twice
changes nothing, and a run that changed one game touches only that tip-off's players.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlmodel import Session

from pickvs.db import lock_league_writes
from pickvs.domain import grading as rules
from pickvs.models import Game, Pick, User, UserTipTotals

VALUES_PER_STATEMENT = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class GradeReport:
    picks_graded: int
    users_updated: int

    def describe(self) -> str:
        return f"{self.picks_graded} pick(s) graded, totals recomputed for {self.users_updated} player(s)"


def grade(session: Session, now: datetime) -> GradeReport:
    lock_league_writes(session)
    games = games_to_grade(session)
    if not games:
        return GradeReport(0, 0)
    picks, changed = 0, set()
    for chunk in _chunks(games):
        count, ids = _grade_picks(session, now, chunk)
        picks, changed = picks + count, changed | ids
        _record_graded(session, chunk)
    if not picks:
        return GradeReport(0, 0)
    tips = tips_of(session, changed)
    for chunk in _chunks(tips):
        refresh_roll_up(session, chunk)
    users = sum(recompute_user_totals(session, chunk) for chunk in _chunks(tips))
    return GradeReport(picks, users)


def _settlement():  # type: ignore[no-untyped-def]
    return rules.settlement_key(Game.status, Game.home_score, Game.away_score)


def games_to_grade(session: Session) -> list[str]:
    """Settled games whose settlement differs from the one their picks were graded against
    (never graded, a corrected score, an admin's settlement or void)."""
    stmt = select(Game.id).where(
        rules.is_settled(Game.status, Game.home_score, Game.away_score),
        Game.graded_result.is_distinct_from(_settlement()),
    )
    return sorted(session.execute(stmt).scalars())


def _grade_picks(session: Session, now: datetime, game_ids: Sequence[str]) -> tuple[int, set[str]]:
    """Regrade the picks of these games whose stored result differs from their game's
    settlement; returns how many changed and the ids of their games."""
    status = rules.outcome(
        Game.status, Pick.market, Pick.side, Pick.point, Game.home_score, Game.away_score
    )
    units = rules.result_units(status, Pick.to_win)
    stmt = (
        update(Pick)
        .where(
            Pick.game_id == Game.id,
            Game.id.in_(game_ids),
            rules.is_settled(Game.status, Game.home_score, Game.away_score),
            or_(
                Pick.graded_at.is_(None),
                Pick.status.is_distinct_from(status),
                Pick.result_units.is_distinct_from(units),
            ),
        )
        .values(status=status, result_units=units, graded_at=now)
        .returning(Pick.game_id)
        .execution_options(synchronize_session=False)
    )
    changed = session.execute(stmt).scalars().all()
    return len(changed), set(changed)


def _record_graded(session: Session, game_ids: Sequence[str]) -> None:
    session.execute(
        update(Game)
        .where(Game.id.in_(game_ids))
        .values(graded_result=_settlement())
        .execution_options(synchronize_session=False)
    )


def tips_of(session: Session, game_ids: set[str]) -> list[datetime]:
    """The tip-off instants of these games (a season has ~1,500), read as a short list so the
    statements after it are planned on real numbers: right after a large grading the planner's
    statistics still describe the picks as they were."""
    ids = sorted(game_ids)
    tips: set[datetime] = set()
    for chunk in _chunks(ids):
        stmt = select(Game.commence_time).where(Game.id.in_(chunk)).distinct()
        tips.update(session.execute(stmt).scalars())
    return sorted(tips)


def _chunks(values: Sequence[T]) -> list[Sequence[T]]:
    """Slices that stay under any driver's limit on bound parameters."""
    return [
        values[n : n + VALUES_PER_STATEMENT] for n in range(0, len(values), VALUES_PER_STATEMENT)
    ]


def _players_at(tips: Sequence[datetime]):  # type: ignore[no-untyped-def]
    """Everyone with a pick on a game of those tip-offs: whose totals may have moved."""
    return (
        select(Pick.user_id).join(Game, Game.id == Pick.game_id).where(Game.commence_time.in_(tips))
    )


def refresh_roll_up(session: Session, tips: Sequence[datetime]) -> None:
    """Rebuild the `user_tip` rows of every tip-off this run changed, from the picks.

    A tip-off is an instant a handful of games share, so a daily run rebuilds a day's rows;
    a full regrade rebuilds them all, in the same two statements.
    """
    session.execute(
        delete(UserTipTotals)
        .where(UserTipTotals.tip.in_(tips))
        .execution_options(synchronize_session=False)
    )
    rebuilt = (
        select(
            Pick.user_id,
            Game.commence_time,
            func.sum(rules.result_units(Pick.status, Pick.to_win)),
            func.sum(rules.wagered_units(Pick.status)),
            rules.count_if(Pick.status, rules.WIN),
            rules.count_if(Pick.status, rules.LOSS),
            rules.count_if(Pick.status, rules.PUSH),
        )
        .join(Game, Game.id == Pick.game_id)
        .where(Pick.status.in_(rules.WAGERED), Game.commence_time.in_(tips))
        .group_by(Pick.user_id, Game.commence_time)
    )
    columns = ("user_id", "tip", "units", "wagered", "wins", "losses", "pushes")
    session.execute(insert(UserTipTotals).from_select(columns, rebuilt))


def recompute_user_totals(session: Session, tips: Sequence[datetime]) -> int:
    """Derive the leaderboard columns of the players of the changed tip-offs from their
    roll-up rows (one UPDATE ... FROM, and one reset for players left with nothing wagered)."""
    players = _players_at(tips)
    totals = (
        select(
            UserTipTotals.user_id.label("user_id"),
            func.sum(UserTipTotals.units).label("units"),
            func.sum(UserTipTotals.wagered).label("wagered"),
            func.sum(UserTipTotals.wins).label("wins"),
            func.sum(UserTipTotals.losses).label("losses"),
            func.sum(UserTipTotals.pushes).label("pushes"),
        )
        .where(UserTipTotals.user_id.in_(players))
        .group_by(UserTipTotals.user_id)
        .subquery()
    )
    updated = session.execute(
        update(User)
        .where(User.id == totals.c.user_id)
        .values(
            total_units=totals.c.units,
            total_wagered=totals.c.wagered,
            roi=rules.roi(totals.c.units, totals.c.wagered),
            wins=totals.c.wins,
            losses=totals.c.losses,
            pushes=totals.c.pushes,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    has_wagers = exists().where(UserTipTotals.user_id == User.id)
    reset = session.execute(
        update(User)
        .where(User.id.in_(players), ~has_wagers)
        .values(total_units=0.0, total_wagered=0.0, roi=None, wins=0, losses=0, pushes=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(updated) + int(reset)  # type: ignore[arg-type]
