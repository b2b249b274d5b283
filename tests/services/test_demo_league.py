"""The demo league: its players signed up before they picked, as real players would have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import Game, OddsLine, Pick, User
from pickvs.services import demo_league, profile


def test_every_demo_player_joined_before_their_first_pick(
    session: Session, clock: FixedClock
) -> None:
    demo_league.seed(session, clock.now())
    session.commit()

    first_picks = {
        row.user_id: row.first
        for row in session.execute(
            select(Pick.user_id, func.min(Pick.created_at).label("first")).group_by(Pick.user_id)
        )
    }
    players = session.execute(select(User).order_by(User.id)).scalars().all()
    assert [p.username for p in players] == list(demo_league.DEMO_PLAYERS)
    assert set(first_picks) == {p.id for p in players}  # everyone picked something
    # The replay's first odds fetch is 05:00 New York time (10:00 UTC) four days before
    # 2026-11-22 12:00 UTC; the first player signed up two days before that, each next one a
    # day and three hours earlier still.
    assert settings.timezone == "America/New_York"
    first_morning = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    joined = [p.created_at for p in players]
    assert joined == [
        first_morning - timedelta(days=2 + i, hours=3 * i) for i in range(len(players))
    ]
    for player in players:
        first_pick = first_picks[player.id]
        assert player.created_at < first_pick, player.username
        # ... and so the profile's "Joined" date is not after the picks it lists.
        shown = profile.profile(session, player.username, clock.now(), settings.tz)
        assert shown.joined < first_pick


def test_the_demo_league_shows_line_moves_and_closing_lines(
    session: Session, clock: FixedClock
) -> None:
    """The replay fetches each day's lines in the morning, the afternoon and before each
    tip-off: for most finished games the last line before tip-off (the closing line) is not
    the first one, and the players picked at both refreshes, so at different lines."""
    demo_league.seed(session, clock.now())
    session.commit()
    finished = (
        session.execute(select(Game).where(Game.status == "final").order_by(Game.commence_time))
        .scalars()
        .all()
    )
    assert len(finished) >= 20
    moved = 0
    for game in finished:
        rows = session.execute(
            select(OddsLine.bookmaker, OddsLine.point)
            .where(
                OddsLine.game_id == game.id,
                OddsLine.market == "spreads",
                OddsLine.outcome == game.home_team,
            )
            .order_by(OddsLine.fetched_at, OddsLine.id)
        ).all()
        by_book: dict[str, list[float | None]] = {}
        for book, point in rows:
            by_book.setdefault(book, []).append(point)
        closing_fetch = session.execute(
            select(func.max(OddsLine.fetched_at)).where(OddsLine.game_id == game.id)
        ).scalar_one()
        assert game.commence_time - closing_fetch == demo_league.CLOSING
        moved += any(points[0] != points[-1] for points in by_book.values())
    assert moved >= 0.8 * len(finished)
    pick_hours = {
        created.astimezone(settings.tz).hour
        for created in session.execute(select(Pick.created_at)).scalars()
    }
    assert {5, 14} <= pick_hours  # the morning fetch and the afternoon refresh
