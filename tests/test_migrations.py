"""The migrated schema is exactly what the models declare, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from pickvs import db, migrations
from tests.conftest import PostgresDatabases


@contextmanager
def _database_at(
    backend: str, tmp_path: Path, pg_databases: PostgresDatabases, revision: str
) -> Iterator[Engine]:
    """A scratch database of `backend` migrated up to `revision` (an older schema with data to
    upgrade), disposed of afterwards."""
    url = f"sqlite:///{tmp_path}/old.db" if backend == "sqlite" else pg_databases.create()
    engine = db.make_engine(url)
    try:
        migrations.upgrade(engine, revision)
        yield engine
    finally:
        engine.dispose()


def _raw_time(backend: str) -> str:
    """2026-11-21 00:10 UTC as raw SQL writes a timestamp on `backend`."""
    return "2026-11-21 00:10:00.000000" if backend == "sqlite" else "2026-11-21 00:10:00+00"


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_at_head_and_idempotent(engine: Engine) -> None:
    migrations.upgrade(engine)
    assert migrations.current_revision(engine) == migrations.head_revision()


def test_indexes_the_queries_need(engine: Engine) -> None:
    inspector = inspect(engine)
    pick_indexes = {i["name"] for i in inspector.get_indexes("pick")}
    assert "ix_pick_game" in pick_indexes
    # Nothing grading writes is indexed; a player's picks are found through the unique key.
    assert not [i for i in inspector.get_indexes("pick") if "status" in i["column_names"]]
    # ix_user_board is an expression index, which SQLite cannot reflect: the leaderboard's
    # tests check that both databases plan the all-time board through it.
    assert "ix_user_tip_board" in {i["name"] for i in inspector.get_indexes("user_tip")}
    assert "ix_odds_game_fetched" in {i["name"] for i in inspector.get_indexes("odds")}


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    for raw in (
        "postgresql://u:p@h/db",
        "postgres://u:p@h/db",
        "postgresql://u:p@ep-cool-name-123-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require",
    ):
        url = db.normalize_url(raw)
        assert url.drivername == "postgresql+psycopg"
    neon = db.make_engine(
        "postgresql://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/neondb?sslmode=require"
    )
    assert neon.url.query["sslmode"] == "require"
    assert neon.pool._pre_ping  # type: ignore[attr-defined]
    neon.dispose()


def test_0002_fills_the_roll_up_from_picks_already_graded(
    backend: str, tmp_path, pg_databases
) -> None:  # type: ignore[no-untyped-def]
    """An existing league upgraded to 0002 gets its period boards from the new roll-up at once.

    alice, one tip-off: a win at +150 (1.5) and a loss (-1) => 0.5, 2 wagered, 1-1-0; her void
    and her pending pick count nowhere. bob: a push => 0, 1 wagered, 0-0-1.
    """
    with _database_at(backend, tmp_path, pg_databases, "0001") as engine:
        tip = _raw_time(backend)
        with engine.begin() as conn:
            for n, name in ((1, "alice"), (2, "bob")):
                conn.execute(
                    text(
                        'INSERT INTO "user" (id, email, username, username_key, password_hash, '
                        "is_admin, created_at, total_units, total_wagered, wins, losses, pushes) "
                        "VALUES (:id, :email, :name, :name, 'x', false, :at, 0, 0, 0, 0, 0)"
                    ),
                    {"id": n, "email": f"{name}@example.com", "name": name, "at": tip},
                )
            for game in ("g1", "g2", "g3", "g4"):
                conn.execute(
                    text(
                        "INSERT INTO game (id, sport, home_team, away_team, commence_time, "
                        "status, created_at, updated_at) "
                        "VALUES (:id, 'nba', :home, :away, :at, 'final', :at, :at)"
                    ),
                    {"id": game, "home": f"{game} h", "away": f"{game} a", "at": tip},
                )
            for user_id, game, status, units in (
                (1, "g1", "win", 1.5),
                (1, "g2", "loss", -1.0),
                (1, "g3", "void", 0.0),
                (1, "g4", "pending", None),
                (2, "g1", "push", 0.0),
            ):
                conn.execute(
                    text(
                        "INSERT INTO pick (user_id, game_id, market, side, selection, bookmaker, "
                        "price, point, to_win, status, result_units, created_at, updated_at) "
                        "VALUES (:u, :g, 'h2h', 'home', 'x', 'draftkings', 150, NULL, 1.5, "
                        ":status, :units, :at, :at)"
                    ),
                    {"u": user_id, "g": game, "status": status, "units": units, "at": tip},
                )
        migrations.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT user_id, units, wagered, wins, losses, pushes FROM user_tip "
                    "ORDER BY user_id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [(1, 0.5, 2.0, 1, 1, 0), (2, 0.0, 1.0, 0, 0, 1)]


def test_postgres_leaves_room_on_pick_pages_for_heap_only_grading(engine: Engine) -> None:
    """fillfactor 50 (migration 0004): a graded copy of each pick fits on its own page."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        options = conn.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'pick'"))
        assert options.scalar_one() == ["fillfactor=50"]


def test_head_is_0009_game_day() -> None:
    assert migrations.head_revision() == "0009"


def test_0005_keeps_every_player_and_pick_and_never_reuses_ids(
    backend: str, tmp_path, pg_databases
) -> None:  # type: ignore[no-untyped-def]
    """SQLite rebuilds `user` with AUTOINCREMENT: its picks must survive the old table's drop
    (foreign keys cascade), and a deleted player's id is not handed to the next one."""
    with _database_at(backend, tmp_path, pg_databases, "0004") as engine:
        at = _raw_time(backend)
        with engine.begin() as conn:
            for name in ("alice", "bob"):
                conn.execute(
                    text(
                        'INSERT INTO "user" (email, username, username_key, password_hash, '
                        "is_admin, created_at, total_units, total_wagered, wins, losses, pushes) "
                        "VALUES (:email, :name, :name, 'x', false, :at, 0, 0, 0, 0, 0)"
                    ),
                    {"email": f"{name}@example.com", "name": name, "at": at},
                )
            bob_id = conn.execute(text('SELECT max(id) FROM "user"')).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO game (id, sport, home_team, away_team, commence_time, status, "
                    "created_at, updated_at) VALUES ('g1', 'nba', 'h', 'a', :at, 'final', :at, :at)"
                ),
                {"at": at},
            )
            conn.execute(
                text(
                    "INSERT INTO pick (user_id, game_id, market, side, selection, bookmaker, "
                    "price, point, to_win, status, result_units, created_at, updated_at) "
                    "VALUES (:bob, 'g1', 'h2h', 'home', 'h', 'draftkings', 150, NULL, 1.5, "
                    "'pending', NULL, :at, :at)"
                ),
                {"at": at, "bob": bob_id},
            )

        migrations.upgrade(engine)

        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM pick")).scalar_one() == 1
            assert conn.execute(text('SELECT count(*) FROM "user"')).scalar_one() == 2
            conn.execute(text('DELETE FROM "user" WHERE id = :bob'), {"bob": bob_id})
            conn.execute(
                text(
                    'INSERT INTO "user" (email, username, username_key, password_hash, '
                    "is_admin, created_at, total_units, total_wagered, wins, losses, pushes) "
                    "VALUES ('cy@example.com', 'cy', 'cy', 'x', false, :at, 0, 0, 0, 0, 0)"
                ),
                {"at": at},
            )
            new_id = conn.execute(text("SELECT id FROM \"user\" WHERE username = 'cy'")).scalar()
            assert conn.execute(text("SELECT count(*) FROM pick")).scalar_one() == 0  # cascaded
        assert new_id > bob_id  # not bob's
        if backend == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                board = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'ix_user_board'")
                ).scalar()
                assert board is not None and "round(CAST(total_units" in board
        assert "user_session" in inspect(engine).get_table_names()


def test_0007_adds_leagues_and_downgrades_cleanly(backend: str, tmp_path, pg_databases) -> None:  # type: ignore[no-untyped-def]
    """From 0006 up to 0007 and back: a league and its member are stored with the defaults the
    migration declares; a deleted owner leaves the league ownerless (SET NULL); removing a
    member never touches picks; the downgrade drops both tables and nothing else."""
    with _database_at(backend, tmp_path, pg_databases, "0006") as engine:
        migrations.upgrade(engine, "0007")
        assert migrations.current_revision(engine) == "0007"
        at = _raw_time(backend)
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (email, username, username_key, password_hash, '
                    "is_admin, created_at, total_units, total_wagered, wins, losses, pushes) "
                    "VALUES ('ann@example.com', 'ann', 'ann', 'x', false, :at, 0, 0, 0, 0, 0)"
                ),
                {"at": at},
            )
            ann = conn.execute(text('SELECT id FROM "user"')).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO league (name, owner_id, invite_code, created_at, updated_at) "
                    "VALUES ('Office', :ann, 'ABCDEFGH23', :at, :at)"
                ),
                {"ann": ann, "at": at},
            )
            league = conn.execute(text("SELECT id FROM league")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO league_member (league_id, user_id, joined_at) VALUES (:l, :u, :at)"
                ),
                {"l": league, "u": ann, "at": at},
            )
            defaults = conn.execute(
                text(
                    "SELECT description, markets, shortest_price, longest_price, daily_cap, "
                    "min_ranked, ranking FROM league"
                )
            ).one()
            assert tuple(defaults) == ("", "h2h,spreads,totals", None, None, None, 20, "units")
            conn.execute(text('DELETE FROM "user" WHERE id = :ann'), {"ann": ann})
            assert conn.execute(text("SELECT owner_id FROM league")).scalar_one() is None
            assert conn.execute(text("SELECT count(*) FROM league_member")).scalar_one() == 0
        indexes = {i["name"] for i in inspect(engine).get_indexes("league_member")}
        assert "ix_league_member_user" in indexes

        config = migrations.alembic_config()
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
            conn.commit()
        assert migrations.current_revision(engine) == "0006"
        tables = set(inspect(engine).get_table_names())
        assert not tables & {"league", "league_member"}
        assert {"user", "pick", "login_throttle"} <= tables
        migrations.upgrade(engine)  # and up again
        assert {"league", "league_member"} <= set(inspect(engine).get_table_names())


def test_0008_derives_every_players_form_from_their_graded_picks(
    backend: str, tmp_path, pg_databases
) -> None:  # type: ignore[no-untyped-def]
    """alice, in tip-off order: g1 win, g2 loss, g3 void, g4 win, g5 win => W2 (the void is
    skipped), last ten 3-1-0; bob: g1 push => no streak, 0-0-1; carol never picked."""
    with _database_at(backend, tmp_path, pg_databases, "0006") as engine:
        fmt = "2026-11-2{} 00:10:00.000000" if backend == "sqlite" else "2026-11-2{} 00:10:00+00"
        with engine.begin() as conn:
            for n, name in ((1, "alice"), (2, "bob"), (3, "carol")):
                conn.execute(
                    text(
                        'INSERT INTO "user" (id, email, username, username_key, password_hash, '
                        "is_admin, created_at, total_units, total_wagered, wins, losses, pushes) "
                        "VALUES (:id, :email, :name, :name, 'x', false, :at, 0, 0, 0, 0, 0)"
                    ),
                    {"id": n, "email": f"{name}@example.com", "name": name, "at": fmt.format(0)},
                )
            for day, game in enumerate(("g5", "g4", "g3", "g2", "g1")):  # stored newest first
                conn.execute(
                    text(
                        "INSERT INTO game (id, sport, home_team, away_team, commence_time, "
                        "status, created_at, updated_at) "
                        "VALUES (:id, 'nba', :home, :away, :at, 'final', :at, :at)"
                    ),
                    {
                        "id": game,
                        "home": f"{game} h",
                        "away": f"{game} a",
                        "at": fmt.format(9 - day),
                    },
                )
            for user_id, game, status in (
                (1, "g5", "win"),
                (1, "g4", "win"),
                (1, "g3", "void"),
                (1, "g2", "loss"),
                (1, "g1", "win"),
                (2, "g1", "push"),
            ):
                conn.execute(
                    text(
                        "INSERT INTO pick (user_id, game_id, market, side, selection, bookmaker, "
                        "price, point, to_win, status, result_units, created_at, updated_at) "
                        "VALUES (:u, :g, 'h2h', 'home', 'x', 'draftkings', 100, NULL, 1.0, "
                        ":status, 0, :at, :at)"
                    ),
                    {"u": user_id, "g": game, "status": status, "at": fmt.format(0)},
                )
        migrations.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text('SELECT id, streak, last10 FROM "user" ORDER BY id')).all()
        assert [tuple(r) for r in rows] == [(1, "W2", "3-1-0"), (2, "", "0-0-1"), (3, "", "0-0-0")]


def test_0009_adds_game_day_columns_and_downgrades_cleanly(
    backend: str, tmp_path, pg_databases
) -> None:  # type: ignore[no-untyped-def]
    """From 0008 up to 0009 and back: the new columns arrive empty on existing rows (a pick
    made before has no CLV until its game locks again with a closing line), the downgrade
    removes exactly them and app_setting, and the unique pick key and the game index survive
    SQLite's table rebuild."""
    with _database_at(backend, tmp_path, pg_databases, "0008") as engine:
        at = _raw_time(backend)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO game (id, sport, home_team, away_team, commence_time, status, "
                    "created_at, updated_at) VALUES ('g1', 'basketball_nba', 'A', 'B', :at, "
                    "'scheduled', :at, :at)"
                ),
                {"at": at},
            )
        migrations.upgrade(engine, "0009")
        with engine.begin() as conn:
            live = conn.execute(
                text("SELECT live_home_score, live_away_score, live_at FROM game")
            ).one()
            assert tuple(live) == (None, None, None)
        columns = {c["name"] for c in inspect(engine).get_columns("pick")}
        assert {"close_price", "close_point", "close_bookmaker", "clv", "clv_at"} <= columns
        assert "app_setting" in inspect(engine).get_table_names()

        config = migrations.alembic_config()
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0008")
            conn.commit()
        inspector = inspect(engine)
        assert "app_setting" not in inspector.get_table_names()
        assert "clv" not in {c["name"] for c in inspector.get_columns("pick")}
        assert "live_at" not in {c["name"] for c in inspector.get_columns("game")}
        assert "reminder_url" not in {c["name"] for c in inspector.get_columns("league")}
        uniques = {u["name"] for u in inspector.get_unique_constraints("pick")}
        assert "uq_pick_user_game_market" in uniques
        assert "ix_game_commence_time" in {i["name"] for i in inspector.get_indexes("game")}
        migrations.upgrade(engine)  # and up again
        assert migrations.current_revision(engine) == "0009"
