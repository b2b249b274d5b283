"""Cached public period boards, and each player's current form

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

board / board_row hold the week, month and season boards as last built, numbered in board
order, so a page is an index range; board_generation is the number grading raises when a
result changes, which makes a cached board stale. user.streak and user.last10 are the
player's current form, derived when read after grading marked it due (form_due) and kept with
the generation it was derived at (form_generation); existing players' are computed here from
their graded picks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a migration must not change when the app's code does later.
HISTORY = """
SELECT pick.user_id, pick.status FROM pick JOIN game ON game.id = pick.game_id
WHERE pick.status IN ('win', 'loss', 'push')
ORDER BY pick.user_id, game.commence_time, pick.created_at, pick.id
"""


def _form(results: list[str]) -> tuple[str, str]:
    last = results[-10:]
    last10 = f"{last.count('win')}-{last.count('loss')}-{last.count('push')}"
    decided = [r for r in results if r != "push"]
    if not decided:
        return "", last10
    length = 0
    for result in reversed(decided):
        if result != decided[-1]:
            break
        length += 1
    return f"{'W' if decided[-1] == 'win' else 'L'}{length}", last10


def _backfill_form() -> None:
    conn = op.get_bind()
    history: dict[int, list[str]] = {}
    for user_id, status in conn.execute(sa.text(HISTORY)):
        history.setdefault(user_id, []).append(status)
    update = sa.text('UPDATE "user" SET streak = :streak, last10 = :last10 WHERE id = :id')
    rows = [
        {"id": user_id, "streak": streak, "last10": last10}
        for user_id, results in history.items()
        for streak, last10 in [_form(results)]
    ]
    if rows:
        conn.execute(update, rows)


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: SQLite needs no table rebuild for it (a rebuild
    # would have to recreate the expression index ix_user_board by hand).
    op.add_column(
        "user", sa.Column("streak", sa.String(length=8), nullable=False, server_default="")
    )
    op.add_column(
        "user", sa.Column("last10", sa.String(length=8), nullable=False, server_default="0-0-0")
    )
    for name in ("form_generation", "form_due"):
        op.add_column("user", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "board_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "board",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_ranked", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("players", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period"),
    )
    op.create_table(
        "board_row",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("wagered", sa.Float(), nullable=False),
        sa.Column("roi", sa.Float(), nullable=True),
        sa.Column("wins", sa.Integer(), nullable=False),
        sa.Column("losses", sa.Integer(), nullable=False),
        sa.Column("pushes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period", "position"),
    )
    op.create_index("ix_board_row_user", "board_row", ["period", "user_id"], unique=True)
    _backfill_form()


def downgrade() -> None:
    op.drop_index("ix_board_row_user", table_name="board_row")
    op.drop_table("board_row")
    op.drop_table("board")
    op.drop_table("board_generation")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("form_due")
        batch_op.drop_column("form_generation")
        batch_op.drop_column("last10")
        batch_op.drop_column("streak")
