"""game.graded_result: the settlement a game's picks were last graded against

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Grading compares it with each game's current settlement and regrades only the games where the
two differ. Existing games start with none, so the first run after the upgrade checks every
settled game's picks once (changing nothing that was right) and records it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("game", schema=None) as batch_op:
        batch_op.add_column(sa.Column("graded_result", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("game", schema=None) as batch_op:
        batch_op.drop_column("graded_result")
