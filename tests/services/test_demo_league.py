"""The demo league: its players signed up before they picked, as real players would have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from pickvs.config import settings
from pickvs.domain.clock import FixedClock
from pickvs.models import Pick, User
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
