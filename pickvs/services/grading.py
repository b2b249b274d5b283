"""Set-based, idempotent grading: a handful of statements for any number of picks.

Picks on a settled game are (re)graded whenever their stored result differs from what the
game's current settlement gives (first grading, a corrected score, an admin's settlement or
void). Comparing results rather than timestamps means a correction is never missed because it
was stamped at the same instant as, or earlier than, the last grading.

Every pick this run changes is stamped `graded_at = now`, and the UPDATE returns the games they
belong to: that is how the rest of the run finds the work it made, without reading the freshly
rewritten pick table again. The roll-up rows (`user_tip`) of each tip-off with a changed pick are
then rebuilt from the picks, and the leaderboard columns of everyone who picked a game of those
tip-offs are summed from their roll-up rows: derived, never incremented, so running this twice
changes nothing, and a run that changed one game touches only that tip-off's players. The
board generation is raised, which makes the cached period boards stale, and those players'
current form (streak, last ten) is marked due at it, to be derived when next read
(`services.leaderboard`).
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
from pickvs.services import leaderboard

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
    players: set[int] = set()
    for tips, game_ids in tip_batches(games_at_tips(session, changed)):
        refresh_roll_up(session, tips, game_ids)
        players |= players_of(session, game_ids)
    generation = leaderboard.invalidate_boards(session)
    users = sum(
        recompute_user_totals(session, chunk, form_due=generation)
        for chunk in _chunks(sorted(players))
    )
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
            Pick.game_id.in_(game_ids),  # not only Game.id: lets the planner use the pick index
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


def games_at_tips(session: Session, game_ids: set[str]) -> dict[datetime, list[str]]:
    """Every game sharing a tip-off instant with these games, by tip-off (a season has ~1,500).

    The statements after it name the games by id: PostgreSQL plans `pick.game_id IN (...)`
    as an index scan from its statistics, where a join on the tip-off times made it read the
    whole pick table (and right after a large grading the statistics still describe the picks
    as they were, so the estimates of a join are the worse for it).
    """
    ids = sorted(game_ids)
    tips: set[datetime] = set()
    for chunk in _chunks(ids):
        stmt = select(Game.commence_time).where(Game.id.in_(chunk)).distinct()
        tips.update(session.execute(stmt).scalars())
    games: dict[datetime, list[str]] = {}
    for chunk in _chunks(sorted(tips)):
        stmt = select(Game.commence_time, Game.id).where(Game.commence_time.in_(chunk))
        for tip, game_id in session.execute(stmt):
            games.setdefault(tip, []).append(game_id)
    return games


def tip_batches(
    games: dict[datetime, list[str]],
) -> list[tuple[list[datetime], list[str]]]:
    """Whole tip-offs with their games, batched under the bound-parameter limit: a tip-off's
    roll-up rows are rebuilt from all of its games in one statement."""
    batches: list[tuple[list[datetime], list[str]]] = []
    tips: list[datetime] = []
    ids: list[str] = []
    for tip in sorted(games):
        if tips and len(ids) + len(games[tip]) > VALUES_PER_STATEMENT:
            batches.append((tips, ids))
            tips, ids = [], []
        tips.append(tip)
        ids.extend(games[tip])
    if tips:
        batches.append((tips, ids))
    return batches


def _chunks(values: Sequence[T]) -> list[Sequence[T]]:
    """Slices that stay under any driver's limit on bound parameters."""
    return [
        values[n : n + VALUES_PER_STATEMENT] for n in range(0, len(values), VALUES_PER_STATEMENT)
    ]


def players_of(session: Session, game_ids: Sequence[str]) -> set[int]:
    """Everyone with a pick on these games: whose totals may have moved."""
    stmt = select(Pick.user_id).where(Pick.game_id.in_(game_ids)).distinct()
    return set(session.execute(stmt).scalars())


def refresh_roll_up(session: Session, tips: Sequence[datetime], game_ids: Sequence[str]) -> None:
    """Rebuild the `user_tip` rows of these tip-offs (whose games are `game_ids`) from the picks.

    A tip-off is an instant a handful of games share, so a daily run rebuilds a day's rows;
    a full regrade rebuilds them all, in the same two statements per batch.
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
        .where(Pick.game_id.in_(game_ids))
        .group_by(Pick.user_id, Game.commence_time)
        # Kept as a HAVING rather than a filter on the status: right after a large grading the
        # planner's statistics still say every pick is pending, and estimating no wagered pick
        # at all made PostgreSQL choose a plan that took minutes instead of a second.
        .having(func.sum(rules.wagered_units(Pick.status)) > 0)
    )
    columns = ("user_id", "tip", "units", "wagered", "wins", "losses", "pushes")
    session.execute(insert(UserTipTotals).from_select(columns, rebuilt))


def recompute_user_totals(
    session: Session, user_ids: Sequence[int], form_due: int | None = None
) -> int:
    """Derive these players' leaderboard columns from their roll-up rows (one UPDATE ... FROM,
    and one reset for players left with nothing wagered). With `form_due` (the board
    generation this grading raised), their current form is marked due for derivation at that
    generation, in the same statements: form is derived when next read
    (`leaderboard.player_form` and every board row), so grading pays nothing per pick for it."""
    due = {} if form_due is None else {"form_due": form_due}
    totals = (
        select(
            UserTipTotals.user_id.label("user_id"),
            func.sum(UserTipTotals.units).label("units"),
            func.sum(UserTipTotals.wagered).label("wagered"),
            func.sum(UserTipTotals.wins).label("wins"),
            func.sum(UserTipTotals.losses).label("losses"),
            func.sum(UserTipTotals.pushes).label("pushes"),
        )
        .where(UserTipTotals.user_id.in_(user_ids))
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
            **due,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    has_wagers = exists().where(UserTipTotals.user_id == User.id)
    reset = session.execute(
        update(User)
        .where(User.id.in_(user_ids), ~has_wagers)
        .values(total_units=0.0, total_wagered=0.0, roi=None, wins=0, losses=0, pushes=0, **due)
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(updated) + int(reset)  # type: ignore[arg-type]
