"""The benchmark's private leagues keep the rules a real instance keeps: 3-60 members, no
player in more than five leagues, an owner who is a member, unique invite codes and settings
the leagues service would accept; and they load into both databases as generated."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import dataset
from bench.__main__ import main
from pickvs.domain import leagues as rules
from pickvs.models import League, LeagueMember

NOW = datetime(2027, 5, 1, 13, tzinfo=UTC)


def assert_invariants(rows: list[dataset.LeagueRow], n_users: int) -> None:
    assert rows
    per_player: Counter[int] = Counter()
    for row in rows:
        assert dataset.MIN_MEMBERS <= row.size <= dataset.MAX_MEMBERS, row
        assert len(set(row.members)) == row.size, row
        assert all(1 <= user <= n_users for user in row.members), row
        assert row.owner_id == row.members[0], row
        assert row.joined_at[0] == row.created_at <= min(row.joined_at), row
        assert max(row.joined_at) <= NOW, row
        settings = rules.check_settings(
            {
                "markets": list(row.markets),
                "shortest_price": row.shortest_price,
                "longest_price": row.longest_price,
                "daily_cap": row.daily_cap,
                "min_ranked": row.min_ranked,
                "ranking": row.ranking,
            }
        )
        assert settings.daily_cap in (None, 1, 2, 3, 4, 5)
        assert len(row.invite_code) == rules.INVITE_LENGTH
        assert set(row.invite_code) <= set(rules.INVITE_ALPHABET)
        per_player.update(row.members)
    assert max(per_player.values()) <= dataset.MAX_LEAGUES_PER_PLAYER
    assert len({row.invite_code for row in rows}) == len(rows)
    assert [row.id for row in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(("scale", "n_users"), [(0.002, 20), (0.01, 100), (0.05, 500)])
def test_leagues_keep_their_invariants_at_small_scales(scale: float, n_users: int) -> None:
    rows = dataset.league_rows(n_users, scale, seed=7, now=NOW)
    assert_invariants(rows, n_users)
    assert len(rows) == max(3, int(dataset.LEAGUES * scale))


def test_full_scale_has_the_issue_s_shape() -> None:
    """2,000 leagues, some full at 60, players in every count from 0 to 5, mostly small."""
    rows = dataset.league_rows(dataset.USERS, 1.0, seed=20261202, now=NOW)
    assert_invariants(rows, dataset.USERS)
    assert len(rows) == 2000
    sizes = Counter(row.size for row in rows)
    assert sizes[60] >= 10 and min(sizes) == 3
    assert sum(n for size, n in sizes.items() if size <= 8) > len(rows) / 2
    per = dataset.Leagues(rows).leagues_per_player(dataset.USERS)
    assert all(per[n] > 0 for n in range(6)) and sum(per.values()) == dataset.USERS


def test_same_seed_same_leagues_and_the_rest_of_the_data_untouched() -> None:
    first = dataset.league_rows(100, 0.01, seed=7, now=NOW)
    assert first == dataset.league_rows(100, 0.01, seed=7, now=NOW)
    assert first != dataset.league_rows(100, 0.01, seed=8, now=NOW)


def test_leagues_load_as_generated(engine: Engine) -> None:
    league = dataset.build(engine, scale=0.002, seed=7, leagues=True)
    assert league.leagues is not None
    rows = league.leagues.rows
    with engine.connect() as conn:
        loaded = conn.execute(select(League.id, League.owner_id).order_by(League.id)).all()
        members = conn.execute(select(func.count()).select_from(LeagueMember)).scalar_one()
        owners_in = conn.execute(
            select(func.count())
            .select_from(League)
            .join(
                LeagueMember,
                (LeagueMember.league_id == League.id) & (LeagueMember.user_id == League.owner_id),
            )
        ).scalar_one()
        most = conn.execute(
            select(func.count()).select_from(LeagueMember).group_by(LeagueMember.user_id)
        ).scalars()
        assert max(most) <= dataset.MAX_LEAGUES_PER_PLAYER
    assert [(row.id, row.owner_id) for row in rows] == [tuple(r) for r in loaded]
    assert members == league.leagues.memberships
    assert owners_in == len(rows)
    with Session(engine) as session:  # the id sequence moved past the loaded ids
        created = League(
            name="After the bench", invite_code="AFTERBENCH", created_at=NOW, updated_at=NOW
        )
        session.add(created)
        session.commit()
        # Past every loaded id (SQLite's AUTOINCREMENT also remembers ids of earlier tests'
        # leagues in this database, so the next id may be higher still).
        assert created.id is not None and created.id > max(row.id for row in rows)


def test_the_leagues_suite_runs_at_a_tiny_scale(capsys: pytest.CaptureFixture[str]) -> None:
    """Every measure prints its line on both backends (timings at this scale mean nothing)."""
    main(["leagues", "--scale", "0.002", "--seed", "7"])
    out = capsys.readouterr().out
    for backend in ("sqlite", "postgresql"):
        mine = [line for line in out.splitlines() if f"[{backend}]" in line]
        for measure in (
            "league data",
            "grade the season with leagues loaded v without",
            "league board top 50, any period",
            "league board top 50, the 19-member leagues alone",
            "slate page, 2 days, a player in 4 leagues",
            "my leagues with my all-time rank in each",
        ):
            assert any(line.startswith(measure) for line in mine), (backend, measure, out)
        assert not any("GRADED DIFFERENT PICKS" in line for line in mine), out
    assert "# leagues took" in out
