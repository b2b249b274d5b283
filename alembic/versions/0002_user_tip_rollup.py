"""user_tip roll-up for the period leaderboards; one unused pick index fewer for grading to keep

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

The roll-up is filled from the picks already graded, so the month and week boards of an
existing league read the same figures the pick-scanning query gave before the upgrade.
ix_pick_status_graded served no query, and every index costs grading a write per pick.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a migration must not change when the app's code does later.
BACKFILL = """
INSERT INTO user_tip (user_id, tip, units, wagered, wins, losses, pushes)
SELECT pick.user_id, game.commence_time,
       SUM(CASE WHEN pick.status = 'win' THEN pick.to_win
                WHEN pick.status = 'loss' THEN -1.0 ELSE 0.0 END),
       COUNT(*) * 1.0,
       SUM(CASE WHEN pick.status = 'win' THEN 1 ELSE 0 END),
       SUM(CASE WHEN pick.status = 'loss' THEN 1 ELSE 0 END),
       SUM(CASE WHEN pick.status = 'push' THEN 1 ELSE 0 END)
FROM pick JOIN game ON game.id = pick.game_id
WHERE pick.status IN ('win', 'loss', 'push')
GROUP BY pick.user_id, game.commence_time
"""


def upgrade() -> None:
    op.create_table(
        "user_tip",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("wagered", sa.Float(), nullable=False),
        sa.Column("wins", sa.Integer(), nullable=False),
        sa.Column("losses", sa.Integer(), nullable=False),
        sa.Column("pushes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tip"),
    )
    with op.batch_alter_table("user_tip", schema=None) as batch_op:
        batch_op.create_index("ix_user_tip_tip", ["tip"], unique=False)
    with op.batch_alter_table("pick", schema=None) as batch_op:
        batch_op.drop_index("ix_pick_status_graded")
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("pick", schema=None) as batch_op:
        batch_op.create_index("ix_pick_status_graded", ["status", "graded_at"], unique=False)
    with op.batch_alter_table("user_tip", schema=None) as batch_op:
        batch_op.drop_index("ix_user_tip_tip")
    op.drop_table("user_tip")
