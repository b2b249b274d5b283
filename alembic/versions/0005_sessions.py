"""Server-side sessions; player ids never reused on SQLite

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

A token now names a row of user_session (by the SHA-256 of the random secret it carries), so
log-out can end it and a player's sessions are deleted with the player. Tokens issued before
this revision name no session and stop working: players log in again.

On SQLite the user table is rebuilt with AUTOINCREMENT, so a deleted player's id is never
handed to the next one (without it SQLite reuses the highest id once its row is gone). The
rebuild runs with foreign keys off (`pickvs.migrations.upgrade`), so dropping the old table
does not cascade to picks; SQLite cannot reflect the expression index ix_user_board, so it is
created again here, spelled exactly as 0004 spelled it.
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOARD_ORDER = (  # frozen copy of 0004's
    "(total_wagered <= 0)",
    "round(CAST(total_units AS NUMERIC), 6) DESC",
    "(roi IS NULL)",
    "round(CAST(roi AS NUMERIC), 6) DESC",
    "username_key",
)


def _rebuild_user_table(autoincrement: bool) -> None:
    """SQLite only: recreate `user` with or without AUTOINCREMENT, keeping every row."""
    if op.get_bind().dialect.name != "sqlite":
        return
    with (
        warnings.catch_warnings(),  # the index it cannot reflect is created again just below
        op.batch_alter_table(
            "user", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ),
    ):
        warnings.filterwarnings("ignore", message=".*expression-based index ix_user_board")
    op.execute('DROP INDEX IF EXISTS "ix_user_board"')
    op.create_index("ix_user_board", "user", [sa.text(part) for part in BOARD_ORDER])


def upgrade() -> None:
    _rebuild_user_table(autoincrement=True)
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
    _rebuild_user_table(autoincrement=False)
