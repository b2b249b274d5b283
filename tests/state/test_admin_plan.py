"""Today's plan on the admin page: each planned call in league time, its kind, cost, state and
why, and the month's projected spend.

One game tips at 7:10 pm EST on Sunday Nov 22 2026; the clock reads 07:00 EST. Hand-worked:
9 slate days left in November, the seed's jobs may still spend 9 x 5 = 45, so 500 - 45 - 20 =
435 are spare and 48 today. The whole plan at 1 h spacing fits: the closing refresh at 7:07 pm
and tiles every hour back to 5:07 am (15 odds calls, 45 credits), then live scores at 8:10,
9:10 and 10:10 pm (3). Projected: 45 + min(435, 48 x 9) = 477.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pickvs import db
from pickvs.config import settings
from pickvs.services import admin, auth
from pickvs.services.users import get_by_username
from pickvs.state.admin import AdminState
from tests.services.builders import make_game, make_user, utc
from tests.state.conftest import run

MakeState = Callable[..., Any]
NOW = utc("2026-11-22T12:00")
TIP = utc("2026-11-23T00:10")  # 7:10 pm EST on the 22nd


def test_the_admin_page_shows_todays_plan(
    make_state: MakeState, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "monthly_credits", 500)
    with db.session_scope() as session:
        make_user(session, "boss", NOW - timedelta(days=1))
        admin.make_admin(session, "boss")
        make_game(session, "g1", TIP, fetched_at=NOW - timedelta(hours=2))
    state = make_state(AdminState, url="/admin")
    with db.session_scope() as session:
        boss = get_by_username(session, "boss")
        assert boss is not None
        state.token = auth.create_token(session, boss, NOW)

    run(state.load())

    assert state.plan_summary == (
        "18 planned call(s) today, 48 credit(s): today's share of the month's 435 spare "
        "credits is 48."
    )
    assert state.plan_projected == "Projected spend this month: 477 of 500 credits."
    assert state.plan[0] == {
        "at": "5:07 AM",
        "kind": "odds",
        "cost": "3",
        "status": "planned",
        "reason": "fresh lines for picks (1 h spacing)",
    }
    assert [(row["at"], row["kind"]) for row in state.plan[-4:]] == [
        ("7:07 PM", "odds"),
        ("8:10 PM", "live-scores"),
        ("9:10 PM", "live-scores"),
        ("10:10 PM", "live-scores"),
    ]
    assert state.plan[-4]["reason"] == "closing lines for 1 game"
