"""Indexes for the leaderboards; picks graded without rewriting their indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

ix_user_board holds the all-time board's exact order (pickvs.domain.standings), so its first
page is read from the index instead of computing and sorting every player's rounded units.
ix_user_tip_board lets a month or week board sum the roll-up from the index alone.
ix_pick_user_status served nothing the unique key (user_id, game_id, market) does not, and
ix_pick_game_status is now ix_pick_game (game_id): with no index holding the status, grading a
pick changes no indexed column, so SQLite rewrites no index entry, and PostgreSQL, given room
on the page (fillfactor 50), makes it a heap-only update. The fillfactor applies to pages
written from now on; `VACUUM FULL pick` repacks an existing table to it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose, spelled as the board's queries spell it (tests/test_migrations.py
# checks that both databases read the all-time board through it).
BOARD_ORDER = (
    "(total_wagered <= 0)",
    "round(CAST(total_units AS NUMERIC), 6) DESC",
    "(roi IS NULL)",
    "round(CAST(roi AS NUMERIC), 6) DESC",
    "username_key",
)


def upgrade() -> None:
    op.drop_index("ix_user_total_units", table_name="user")
    op.create_index("ix_user_board", "user", [sa.text(part) for part in BOARD_ORDER])
    op.drop_index("ix_user_tip_tip", table_name="user_tip")
    op.create_index("ix_user_tip_board", "user_tip", ["tip", "user_id", "units", "wagered"])
    op.drop_index("ix_pick_user_status", table_name="pick")
    op.create_index("ix_pick_game", "pick", ["game_id"])
    op.drop_index("ix_pick_game_status", table_name="pick")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE pick SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE pick RESET (fillfactor)")
    op.create_index("ix_pick_game_status", "pick", ["game_id", "status"])
    op.drop_index("ix_pick_game", table_name="pick")
    op.create_index("ix_pick_user_status", "pick", ["user_id", "status"])
    op.drop_index("ix_user_tip_board", table_name="user_tip")
    op.create_index("ix_user_tip_tip", "user_tip", ["tip"])
    op.drop_index("ix_user_board", table_name="user")
    op.create_index("ix_user_total_units", "user", ["total_units"])
