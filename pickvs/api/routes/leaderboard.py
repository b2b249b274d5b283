"""The public leaderboard (404 when the instance turned it off with PICKVS_PUBLIC_BOARD=false)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from pickvs.api.deps import NowDep, SessionDep
from pickvs.api.openapi import error_responses
from pickvs.api.schemas import LeaderboardRowOut
from pickvs.config import settings
from pickvs.services import leaderboard as board
from pickvs.services.errors import NotFound

router = APIRouter(prefix="/api", tags=["leaderboard"])

BOARD_OFF = "The public leaderboard is turned off on this instance."


@router.get(
    "/leaderboard",
    summary="Players ranked by units won",
    operation_id="leaderboard",
    responses=error_responses({404: BOARD_OFF + " (PICKVS_PUBLIC_BOARD=false)"}),
)
def leaderboard(
    session: SessionDep,
    now: NowDep,
    period: Annotated[
        Literal["all", "season", "month", "week"],
        Query(
            description="all time, this season (from its first game stored; all time before "
            "any game has tipped), this calendar month, or this week (Monday on)"
        ),
    ] = "all",
    limit: Annotated[int, Query(ge=1, le=board.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[LeaderboardRowOut]:
    """Ranked players first, by total units (players level on units share a rank), then the
    players not yet ranked (`rank` null, `ranked` false: fewer graded picks in the period than
    PICKVS_MIN_RANKED_PICKS), in the same order. ROI is null for a player with nothing
    wagered, who is never ranked. `streak` and `last10` are current form, all time."""
    if not settings.public_board:
        raise NotFound(BOARD_OFF)
    rows = board.leaderboard(session, period, now, settings.tz, limit=limit, offset=offset)
    return [LeaderboardRowOut.model_validate(row) for row in rows]
