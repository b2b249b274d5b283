"""Run Alembic programmatically, so `pickvs db upgrade`, app start-up and tests share one path."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from pickvs import db

ROOT = Path(__file__).resolve().parent.parent
MIGRATION_LOCK_KEY = 7_205_517  # pg advisory lock: several workers may start at once


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("path_separator", "os")
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision`; serialised on PostgreSQL so replicas cannot race."""
    engine = engine or db.get_engine()
    config = alembic_config()
    with engine.connect() as connection:
        if db.is_postgres(engine):
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
        else:
            # A SQLite table rebuild drops the old table, which would cascade to the rows that
            # reference it (0005 rebuilds `user`); SQLite only honours this outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if db.is_postgres(engine):
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                connection.commit()
            else:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine | None = None) -> str | None:
    engine = engine or db.get_engine()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
