"""The migrated schema is exactly what the models declare, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from pickvs import db, migrations


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
    assert {"ix_pick_game_status", "ix_pick_user_status"} <= pick_indexes
    assert "ix_user_total_units" in {i["name"] for i in inspector.get_indexes("user")}
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
