"""Set-based, idempotent grading: a handful of statements for any number of picks.

Picks on a settled game are (re)graded whenever their stored result differs from what the
game's current settlement gives (first grading, a corrected score, an admin's settlement or
void). Comparing results rather than timestamps means a correction is never missed because it
was stamped at the same instant as, or earlier than, the last grading. User totals are then
recomputed from the picks, never incremented, so running this twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlmodel import Session

from pickvs.domain import grading as rules
from pickvs.models import Game, Pick, User


@dataclass(frozen=True)
class GradeReport:
    picks_graded: int
    users_updated: int

    def describe(self) -> str:
        return f"{self.picks_graded} pick(s) graded, totals recomputed for {self.users_updated} player(s)"


def grade(session: Session, now: datetime) -> GradeReport:
    picks = _grade_picks(session, now)
    users = recompute_user_totals(session)
    return GradeReport(picks, users)


def _grade_picks(session: Session, now: datetime) -> int:
    status = rules.outcome(
        Game.status, Pick.market, Pick.side, Pick.point, Game.home_score, Game.away_score
    )
    units = rules.result_units(status, Pick.to_win)
    stmt = (
        update(Pick)
        .where(
            Pick.game_id == Game.id,
            Game.status.in_(rules.SETTLED_GAME_STATUSES),
            or_(
                Game.status != "final",
                and_(Game.home_score.is_not(None), Game.away_score.is_not(None)),
            ),
            or_(
                Pick.graded_at.is_(None),
                Pick.status.is_distinct_from(status),
                Pick.result_units.is_distinct_from(units),
            ),
        )
        .values(status=status, result_units=units, graded_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount  # type: ignore[attr-defined,no-any-return]


def recompute_user_totals(session: Session) -> int:
    """Derive every user's columns from their graded picks (one UPDATE ... FROM, one reset)."""
    wagered = Pick.status.in_(rules.WAGERED)
    totals = (
        select(
            Pick.user_id.label("user_id"),
            func.coalesce(func.sum(rules.result_units(Pick.status, Pick.to_win)), 0.0).label(
                "units"
            ),
            func.sum(rules.wagered_units(Pick.status)).label("wagered"),
            rules.count_if(Pick.status, rules.WIN).label("wins"),
            rules.count_if(Pick.status, rules.LOSS).label("losses"),
            rules.count_if(Pick.status, rules.PUSH).label("pushes"),
        )
        .where(wagered)
        .group_by(Pick.user_id)
        .subquery()
    )
    changed = session.execute(
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
    has_wagers = exists().where(Pick.user_id == User.id, wagered)
    reset = session.execute(
        update(User)
        .where(
            ~has_wagers,
            or_(
                User.total_units != 0,
                User.total_wagered != 0,
                User.roi.is_not(None),
                User.wins + User.losses + User.pushes != 0,
            ),
        )
        .values(total_units=0.0, total_wagered=0.0, roi=None, wins=0, losses=0, pushes=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(changed) + int(reset)  # type: ignore[arg-type]
