"""Game day: live scores, closing lines and CLV per pick, reminders

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

game.live_* hold the latest in-play score seen by a live scores call (a final is still
recorded in home_score / away_score as before, so nothing that grades reads a live score).
pick.close_* and pick.clv are the pick's closing line (the last line fetched before its
game's lock, at the pick's book or else the reference book) and its closing-line value in
percentage points, computed when the game locks and again if a later closing line arrives.
league.reminder_* configure the owner's optional daily webhook; app_setting holds the
instance-wide settings an admin changes from the admin page (the instance reminder).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GAME = (
    ("live_home_score", sa.Integer()),
    ("live_away_score", sa.Integer()),
    ("live_at", sa.DateTime(timezone=True)),
)
PICK = (
    ("close_bookmaker", sa.String(length=64)),
    ("close_price", sa.Integer()),
    ("close_point", sa.Float()),
    ("close_fetched_at", sa.DateTime(timezone=True)),
    ("clv", sa.Float()),
    ("clv_at", sa.DateTime(timezone=True)),
)
LEAGUE = (
    ("reminder_url", sa.String(length=500)),
    ("reminder_format", sa.String(length=8)),
    ("reminder_minutes", sa.Integer()),
)


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) on both databases: no table rebuild, and on
    # PostgreSQL no rewrite of the pick table.
    for table, columns in (("game", GAME), ("pick", PICK), ("league", LEAGUE)):
        for name, type_ in columns:
            op.add_column(table, sa.Column(name, type_, nullable=True))
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("app_setting")
    for table, columns in (("league", LEAGUE), ("pick", PICK), ("game", GAME)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
