"""Making, changing, withdrawing and listing the caller's own picks."""

from __future__ import annotations

from typing import Annotated, Literal, NoReturn

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from pickvs.api.deps import CurrentUser, NowDep, PolicyDep, SessionDep
from pickvs.api.openapi import error_responses
from pickvs.api.schemas import MAX_BODY_BYTES, MAX_ID, MyPickOut, PickBatch, PickOut
from pickvs.config import settings
from pickvs.services import export, picks

router = APIRouter(
    prefix="/api/picks",
    tags=["picks"],
    max_body_size=MAX_BODY_BYTES,
)

# What a client (and schemathesis' stateful phase) can do next with the picks just made.
PICK_LINKS = {
    "WithdrawPick": {
        "operationId": "withdraw_pick",
        "parameters": {"pick_id": "$response.body#/0/id"},
        "description": "Withdraw the first pick made.",
    },
    "GamePicks": {
        "operationId": "game_picks",
        "parameters": {"game_id": "$response.body#/0/game_id"},
        "description": "Everyone's picks on its game (403 until the game locks).",
    },
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Make or change picks (all or nothing)",
    operation_id="submit_picks",
    responses={
        201: {"links": PICK_LINKS},
        **error_responses(
            {
                404: "A game named is unknown (`errors` names each item by `index`).",
                409: "A game has locked, has no line in that market yet, you already hold "
                "that pick, or the same game and market appear twice.",
            }
        ),
    },
)
def submit(
    body: PickBatch, user: CurrentUser, session: SessionDep, now: NowDep, policy: PolicyDep
) -> list[PickOut]:
    """Send a list of `{game_id, market, selection}`. Each pick is taken at the server's current
    reference line; a price or point in the request is ignored. Naming the other side of a pick
    you already hold changes it. If any item fails, nothing is saved and `errors` names each
    failing item by its index."""
    saved = picks.submit_picks(session, user, [item.request() for item in body], now, policy)
    return [PickOut.model_validate(pick) for pick in saved]


# Declared before `/{pick_id}`, whose path matches `/me` too: for a method neither route takes,
# the first route matching the path names the methods in the 405's `Allow` header (GET).
@router.get("/me", summary="Your picks, newest games first", operation_id="my_picks")
def mine(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    status_filter: Annotated[
        Literal["pending", "graded"] | None,
        Query(
            alias="status",
            description="pending, or graded (win, loss, push, void); all when omitted",
        ),
    ] = None,
) -> list[MyPickOut]:
    """Each pick with its game, the line taken (book, price, point), status and result."""
    pending = None if status_filter is None else status_filter == "pending"
    views = picks.my_picks(session, user, limit=limit, offset=offset, pending=pending)
    return [MyPickOut.of(view) for view in views]


@router.get(
    "/me.csv",
    summary="All your picks as CSV",
    operation_id="my_picks_csv",
    response_class=Response,
    responses={
        200: {
            "description": "RFC 4180 CSV with a header row (tip_off in league time, game_id, "
            "matchup, username, market, selection, bookmaker, price, point, status, "
            "result_units, clv in percentage points); a text cell starting with = + - @ gets a "
            "leading '.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def mine_csv(user: CurrentUser, session: SessionDep) -> Response:
    """Every pick you have made, pending ones too, oldest game first."""
    assert user.id is not None
    text = export.my_picks_csv(session, user.id, settings.tz)
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="pickvs-my-picks.csv"'},
    )


@router.delete("/me.csv", include_in_schema=False, response_model=None)
def not_a_pick_either() -> NoReturn:
    """As `/me`: DELETE on the CSV of your picks is 405, not a 422 about a pick id."""
    raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED, headers={"Allow": "GET"})


@router.delete("/me", include_in_schema=False, response_model=None)
def not_a_pick() -> NoReturn:
    """`/me` is the list of your picks, not a pick: DELETE there is 405 (only GET is allowed),
    not a 422 about an id that was never meant as one."""
    raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED, headers={"Allow": "GET"})


@router.delete(
    "/{pick_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw an open pick",
    operation_id="withdraw_pick",
    responses=error_responses(
        {
            404: "No such pick of yours.",
            409: "The pick's game has locked: it can no longer be withdrawn.",
        }
    ),
)
def withdraw(
    pick_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
) -> Response:
    """Only your own pick, and only until its game locks (409 after)."""
    picks.withdraw_pick(session, user, pick_id, now, policy.lock_minutes)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
