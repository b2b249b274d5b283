"""The navigation bar's own state: how many of today's games the player has not picked yet.

Private (a count of the player's picks): reset with everything else when the player changes.
Pages refresh it on load, and the slate after each pick.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from pickvs import db
from pickvs.config import settings
from pickvs.services import slate
from pickvs.state import clock
from pickvs.state.auth import AuthState


def unpicked_text(count: int) -> str:
    """`1 game left to pick today`, `3 games left to pick today`, "" for none."""
    if count <= 0:
        return ""
    return f"{count} game{'' if count == 1 else 's'} left to pick today"


class NavState(AuthState):
    unpicked: int = 0  # today's open games the player has not picked at all

    @rx.var
    def unpicked_label(self) -> str:
        return unpicked_text(self.unpicked)

    @rx.event
    async def refresh(self) -> None:
        await asyncio.to_thread(self._refresh)

    def _refresh(self) -> None:
        if not self.token:
            self.unpicked = 0
            return
        with db.session_scope() as session:
            player = self._player(session)
            if player is None:  # the page's guard (if any) sends the visitor to log in
                return
            count = slate.unpicked_today(
                session, player, clock.now(), settings.tz, lock_minutes=settings.lock_minutes
            )
        if count != self.unpicked:
            self.unpicked = count
