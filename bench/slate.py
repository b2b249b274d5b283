"""The slate page for one player: the games of two slate days, their current lines (every
book's latest fetch) and the player's own picks, through `services.slate.slate_page`.

The player is the one with the most picks on those games, so "own picks" is never empty.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import dataset
from bench.common import (
    Context,
    Measure,
    info,
    latency,
    on_each_backend,
    time_calls,
)
from pickvs.domain import slate as slate_days
from pickvs.models import Game, Pick, User
from pickvs.services import slate

DAYS = 2
CALLS = 200


def run(ctx: Context) -> Iterator[Measure]:
    return on_each_backend(ctx, _bench)


def _bench(engine: Engine, backend: str, ctx: Context) -> Iterator[Measure]:
    started = time.perf_counter()
    league = dataset.build(engine, ctx.scale, ctx.seed)
    user_id, own = _keenest_player(engine, league)
    with Session(engine) as session:
        cards = _page(session, session.get(User, user_id), league)
    yield info(
        "slate data",
        f"{len(cards.cards)} games over {DAYS} slate days, {own} own picks, "
        f"{league.odds} odds rows in all; loaded in {time.perf_counter() - started:.1f} s",
        backend,
    )

    def call() -> None:
        with Session(engine) as session:
            user = session.get(User, user_id)
            page = _page(session, user, league)
            assert page.cards and any(card.my_picks for card in page.cards)

    yield latency(
        f"slate page, {DAYS} days, one player", time_calls(call, CALLS), backend, median_ms=15
    )


def _page(session: Session, user: User | None, league: dataset.League) -> slate.SlatePage:
    return slate.slate_page(
        session, user, league.now, league.tz, lock_minutes=0, bookmakers=dataset.BOOKS, days=DAYS
    )


def _keenest_player(engine: Engine, league: dataset.League) -> tuple[int, int]:
    start, end = slate_days.slate_range(league.now, league.tz, DAYS)
    with engine.connect() as conn:
        row = conn.execute(
            select(Pick.user_id, func.count().label("n"))
            .join(Game, Game.id == Pick.game_id)
            .where(Game.commence_time >= start, Game.commence_time < end)
            .group_by(Pick.user_id)
            .order_by(func.count().desc(), Pick.user_id)
            .limit(1)
        ).one()
    return int(row.user_id), int(row.n)
