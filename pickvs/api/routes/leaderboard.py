"""The public leaderboard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from pickvs.api.deps import NowDep, SessionDep
from pickvs.api.schemas import LeaderboardRowOut
from pickvs.config import settings
from pickvs.services import leaderboard as board

router = APIRouter(prefix="/api", tags=["leaderboard"])


@router.get("/leaderboard", summary="Players ranked by units won", operation_id="leaderboard")
def leaderboard(
    session: SessionDep,
    now: NowDep,
    period: Annotated[
        Literal["all", "month", "week"],
        Query(description="all time, this calendar month, or this week (Monday on)"),
    ] = "all",
    limit: Annotated[int, Query(ge=1, le=board.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[LeaderboardRowOut]:
    """Ranked by total units; players level on units share a rank. ROI is null for a player
    with nothing wagered, and those players come last among their rank."""
    rows = board.leaderboard(session, period, now, settings.tz, limit=limit, offset=offset)
    return [LeaderboardRowOut.model_validate(row) for row in rows]
