"""Leagues: create, join with a code, leave, members, owner's changes, the board, the locked
picks and their CSV. Thin: every rule is in `services.leagues` and `domain.leagues`."""

from __future__ import annotations

from typing import Annotated, Literal, NoReturn

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from pickvs.api.deps import CurrentUser, NowDep, PolicyDep, SessionDep
from pickvs.api.openapi import error_responses
from pickvs.api.schemas import MAX_BODY_BYTES, USERNAME_PATTERN
from pickvs.api.schemas_leagues import (
    InviteCodeOut,
    JoinIn,
    LeagueBoardRowOut,
    LeagueIn,
    LeagueOut,
    LeaguePatch,
    LeaguePickOut,
    LeagueSummaryOut,
    MemberOut,
    OwnerIn,
)
from pickvs.config import settings
from pickvs.services import leagues

router = APIRouter(prefix="/api/leagues", tags=["leagues"], max_body_size=MAX_BODY_BYTES)

# Any integer: one that names no league is a 404 like any unknown league, not a 422.
LeagueId = Annotated[int, Path(description="The league's id.")]
MemberName = Annotated[
    str,
    Path(min_length=3, max_length=20, pattern=USERNAME_PATTERN, description="A member's username."),
]

NOT_MEMBER = "You are not a member of this league."
UNKNOWN = "No such league."
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_RESPONSE = {
    200: {
        "description": "RFC 4180 CSV with a header row; a text cell starting with = + - @ "
        "gets a leading ' (numbers stay numbers).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}

# What a client (and schemathesis' stateful phase) can do next with a league it just got.
LEAGUE_LINKS = {
    name: {
        "operationId": operation,
        "parameters": {"league_id": "$response.body#/id"},
        "description": text,
    }
    for name, operation, text in (
        ("GetLeague", "get_league", "The league."),
        ("LeagueBoard", "league_board", "Its board."),
        ("LeagueMembers", "league_members", "Its members."),
        ("LeaguePicks", "league_picks", "The picks its members may see."),
        ("RotateCode", "rotate_invite_code", "A new invite code (owner)."),
        ("UpdateLeague", "update_league", "Change its settings (owner)."),
    )
}


def csv_download(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a league (you own it and are its first member)",
    operation_id="create_league",
    responses={
        201: {"links": LEAGUE_LINKS},
        **error_responses({422: "A setting is invalid: `field` names it."}),
    },
)
def create(body: LeagueIn, user: CurrentUser, session: SessionDep, now: NowDep) -> LeagueOut:
    """Settings left out take their defaults: every market, no price window, no daily cap,
    20 graded picks to be ranked, ranked by units. The answer carries the invite code."""
    assert user.id is not None
    made = leagues.create_league(
        session, user.id, body.name, body.description, body.settings(), now=now
    )
    return LeagueOut.of(made)


@router.get("", summary="Your leagues", operation_id="my_leagues")
def mine(user: CurrentUser, session: SessionDep, now: NowDep) -> list[LeagueSummaryOut]:
    """Each league you are in, by name, with your rank on its all-time board."""
    assert user.id is not None
    return [LeagueSummaryOut.of(s) for s in leagues.my_leagues(session, user.id, now, settings.tz)]


JOIN_ERRORS = error_responses(
    {
        404: "No league has that invite code (the same answer for an unknown league).",
        409: "You are already a member of this league.",
    }
)


@router.post(
    "/join",
    summary="Join a league with its invite code",
    operation_id="join_league",
    responses={200: {"links": LEAGUE_LINKS}, **JOIN_ERRORS},
)
def join(body: JoinIn, user: CurrentUser, session: SessionDep, now: NowDep) -> LeagueOut:
    assert user.id is not None
    return LeagueOut.of(leagues.join_league(session, user.id, body.code, now))


def only(path: str, *allowed: str) -> None:
    """Other methods on `path` are 405 with an `Allow` naming every method it takes.

    Starlette names only the first route whose path matches, so a path served by two routes
    (GET and POST) would otherwise claim one method; and `/join` would fall to `/{league_id}`,
    a 422 about an id that was never meant as one. Registered before `/{league_id}`.
    """
    others = sorted(ALL_METHODS - set(allowed))

    def method_not_allowed() -> NoReturn:
        raise HTTPException(
            status.HTTP_405_METHOD_NOT_ALLOWED, headers={"Allow": ", ".join(allowed)}
        )

    router.add_api_route(
        path, method_not_allowed, methods=others, include_in_schema=False, response_model=None
    )


ALL_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}
only("", "GET", "POST")
only("/join", "POST")
only("/{league_id}", "GET", "PATCH")


@router.get(
    "/{league_id}",
    summary="A league you are in",
    operation_id="get_league",
    responses=error_responses({403: NOT_MEMBER, 404: UNKNOWN}),
)
def get_league(league_id: LeagueId, user: CurrentUser, session: SessionDep) -> LeagueOut:
    """The invite code and the reminder are shown to the owner only (null for other members)."""
    assert user.id is not None
    return league_out(session, leagues.league_detail(session, league_id, user.id), user.id)


@router.patch(
    "/{league_id}",
    summary="Change a league's name, description or settings (owner)",
    operation_id="update_league",
    responses=error_responses(
        {
            403: "Not a member, or not the owner.",
            404: UNKNOWN,
            422: "A value is invalid: `field` names it. Nothing was changed.",
        }
    ),
)
def update(
    league_id: LeagueId, body: LeaguePatch, user: CurrentUser, session: SessionDep, now: NowDep
) -> LeagueOut:
    """Only the fields sent change; all or nothing. The `reminder_*` fields set or clear the
    daily reminder."""
    assert user.id is not None
    changes = body.changes()
    reminder = {key: changes.pop(key) for key in REMINDER_FIELDS if key in changes}
    if changes or not reminder:
        detail = leagues.update_league(session, league_id, user.id, changes, now)
    else:
        detail = leagues.league_detail(session, league_id, user.id)
    if reminder:
        leagues.change_league_reminder(session, league_id, user.id, reminder, now=now)
    return league_out(session, detail, user.id)


REMINDER_FIELDS = ("reminder_url", "reminder_format", "reminder_minutes")


def league_out(session: SessionDep, detail: leagues.LeagueDetail, user_id: int) -> LeagueOut:
    """A league as the API answers it: with its reminder for the owner."""
    if not detail.is_owner:
        return LeagueOut.of(detail)
    return LeagueOut.of(detail, leagues.league_reminder(session, detail.id, user_id))


@router.post(
    "/{league_id}/join",
    summary="Join this league with its invite code",
    operation_id="join_league_by_id",
    responses={200: {"links": LEAGUE_LINKS}, **JOIN_ERRORS},
)
def join_by_id(
    league_id: LeagueId, body: JoinIn, user: CurrentUser, session: SessionDep, now: NowDep
) -> LeagueOut:
    """An unknown league and a wrong code give the same 404."""
    assert user.id is not None
    return LeagueOut.of(leagues.join_league(session, user.id, body.code, now, league_id))


@router.post(
    "/{league_id}/leave",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Leave a league (your picks stay yours)",
    operation_id="leave_league",
    responses=error_responses(
        {
            403: NOT_MEMBER,
            404: UNKNOWN,
            409: "You own the league and others remain: hand it to another member first.",
        }
    ),
)
def leave(league_id: LeagueId, user: CurrentUser, session: SessionDep) -> Response:
    """The owner can leave only as the last member, and the league then goes."""
    assert user.id is not None
    leagues.leave_league(session, league_id, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{league_id}/members/{username}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member (owner)",
    operation_id="remove_member",
    responses=error_responses(
        {
            403: "Not a member, or not the owner.",
            404: "No such league, or no such member.",
            422: "The owner cannot remove themself (hand the league over, or leave).",
        }
    ),
)
def remove(
    league_id: LeagueId, username: MemberName, user: CurrentUser, session: SessionDep
) -> Response:
    """The member's picks stay in their own history."""
    assert user.id is not None
    leagues.remove_member(session, league_id, user.id, username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{league_id}/code",
    summary="A new invite code (owner); the old one stops working",
    operation_id="rotate_invite_code",
    responses=error_responses({403: "Not a member, or not the owner.", 404: UNKNOWN}),
)
def rotate(
    league_id: LeagueId, user: CurrentUser, session: SessionDep, now: NowDep
) -> InviteCodeOut:
    assert user.id is not None
    return InviteCodeOut(invite_code=leagues.rotate_code(session, league_id, user.id, now))


@router.post(
    "/{league_id}/owner",
    summary="Hand the league to another member (owner)",
    operation_id="transfer_league",
    responses=error_responses(
        {403: "Not a member, or not the owner.", 404: "No such league, or not a member."}
    ),
)
def transfer(
    league_id: LeagueId, body: OwnerIn, user: CurrentUser, session: SessionDep, now: NowDep
) -> LeagueOut:
    assert user.id is not None
    handed = leagues.transfer_ownership(session, league_id, user.id, body.username, now)
    return LeagueOut.of(handed)


@router.get(
    "/{league_id}/members",
    summary="The league's members",
    operation_id="league_members",
    responses=error_responses({403: NOT_MEMBER, 404: UNKNOWN}),
)
def league_members(league_id: LeagueId, user: CurrentUser, session: SessionDep) -> list[MemberOut]:
    assert user.id is not None
    return [MemberOut.of(row) for row in leagues.members(session, league_id, user.id)]


@router.get(
    "/{league_id}/board",
    summary="The league's board",
    operation_id="league_board",
    responses=error_responses({403: NOT_MEMBER, 404: UNKNOWN}),
)
def board(
    league_id: LeagueId,
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    period: Annotated[
        Literal["week", "month", "season", "all"],
        Query(description="this week (Monday on), this month, this season, or all time"),
    ] = "all",
    limit: Annotated[int, Query(ge=1, le=leagues.MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[LeagueBoardRowOut]:
    """Every member, from the picks that count under the league's rules: ranked members first
    (ties share a rank), then those not yet ranked (rank null)."""
    assert user.id is not None
    rows = leagues.league_board(
        session, league_id, user.id, period, now, settings.tz, limit=limit, offset=offset
    )
    return [LeagueBoardRowOut.of(row) for row in rows]


@router.get(
    "/{league_id}/picks",
    summary="The picks of the league's members on locked games, and yours",
    operation_id="league_picks",
    responses=error_responses({403: NOT_MEMBER, 404: UNKNOWN}),
)
def league_picks(
    league_id: LeagueId,
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    policy: PolicyDep,
    limit: Annotated[int, Query(ge=1, le=leagues.MAX_PICKS_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[LeaguePickOut]:
    """Newest game first. Others' picks appear once their game locks; each says whether it
    counts here and, if not, why (market, price or daily_cap)."""
    assert user.id is not None
    rows = leagues.league_picks(
        session,
        league_id,
        user.id,
        now,
        limit=limit,
        offset=offset,
        tz=settings.tz,
        lock_minutes=policy.lock_minutes,
    )
    return [LeaguePickOut.of(row) for row in rows]


@router.get(
    "/{league_id}/picks.csv",
    summary="The same picks as CSV",
    operation_id="league_picks_csv",
    response_class=Response,
    responses={**CSV_RESPONSE, **error_responses({403: NOT_MEMBER, 404: UNKNOWN})},
)
def league_picks_csv(
    league_id: LeagueId, user: CurrentUser, session: SessionDep, now: NowDep, policy: PolicyDep
) -> Response:
    """Columns: tip_off (league time), game_id, matchup, username, market, selection,
    bookmaker, price, point, status, result_units, counted, not_counted_reason."""
    assert user.id is not None
    text = leagues.league_picks_csv(
        session, league_id, user.id, now, settings.tz, lock_minutes=policy.lock_minutes
    )
    return csv_download(text, f"pickvs-league-{league_id}-picks.csv")
