"""The upcoming slate, and everyone's picks on a game once it has locked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from pickvs.api.deps import NowDep, OptionalUser, PolicyDep, SessionDep
from pickvs.api.openapi import error_responses
from pickvs.api.schemas import EXAMPLE_GAME_ID, GameCardOut, GameId, GamePickOut
from pickvs.config import settings
from pickvs.services import picks, slate

router = APIRouter(prefix="/api/games", tags=["games"])


@router.get(
    "/upcoming",
    summary="Open games of the next three slate days",
    operation_id="upcoming_games",
)
def upcoming(
    session: SessionDep, user: OptionalUser, now: NowDep, policy: PolicyDep
) -> list[GameCardOut]:
    """Today's and the next two slate days' games that have not locked, soonest first, each
    with the reference book's line per market, the best price per side, and (with a token) the
    caller's own picks. A token that is sent must be valid."""
    cards = slate.slate_cards(
        session,
        user,
        now,
        settings.tz,
        lock_minutes=policy.lock_minutes,
        bookmakers=policy.bookmakers,
        days=3,
        include_locked=False,
    )
    return [GameCardOut.of(card) for card in cards]


@router.get(
    "/{game_id}/picks",
    summary="Everyone's picks on a game (after lock)",
    operation_id="game_picks",
    responses=error_responses(
        {
            403: "The game has not locked yet: picks stay hidden until then.",
            404: "No game with that id.",
        }
    ),
)
def game_picks(
    game_id: Annotated[
        GameId, Path(description="The provider's event id.", examples=[EXAMPLE_GAME_ID])
    ],
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
) -> list[GamePickOut]:
    """Hidden (403) until the game locks, so nobody can copy a pick before tip-off."""
    rows = picks.game_picks(session, game_id, now, policy.lock_minutes)
    return [GamePickOut.of(row) for row in rows]
