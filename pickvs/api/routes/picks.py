"""Making, changing, withdrawing and listing the caller's own picks."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from pickvs.api.deps import CurrentUser, NowDep, PolicyDep, SessionDep
from pickvs.api.schemas import MAX_BODY_BYTES, MAX_ID, ErrorOut, MyPickOut, PickIn, PickOut
from pickvs.services import picks

router = APIRouter(
    prefix="/api/picks",
    tags=["picks"],
    responses={401: {"model": ErrorOut}},
    max_body_size=MAX_BODY_BYTES,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Make or change picks (all or nothing)",
    responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def submit(
    body: list[PickIn], user: CurrentUser, session: SessionDep, now: NowDep, policy: PolicyDep
) -> list[PickOut]:
    """Send a list of `{game_id, market, selection}`. Each pick is taken at the server's current
    reference line; a price or point in the request is ignored. Naming the other side of a pick
    you already hold changes it. If any item fails, nothing is saved and `errors` names each
    failing item by its index."""
    saved = picks.submit_picks(session, user, [item.request() for item in body], now, policy)
    return [PickOut.model_validate(pick) for pick in saved]


@router.delete(
    "/{pick_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw an open pick",
    responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
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


@router.get("/me", summary="Your picks, newest games first")
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
