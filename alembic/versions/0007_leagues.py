"""Leagues: private groups with their own rules, and their members

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A league holds settings and members, never picks: a pick belongs to its player and counts in
each league the player is a member of now, under that league's rules (domain.leagues), so no
pick is copied and grading is untouched. The league table gets AUTOINCREMENT on SQLite, so a
deleted league's id (and its links) is never handed to a new one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "league",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("invite_code", sa.String(length=16), nullable=False),
        sa.Column(
            "markets", sa.String(length=40), server_default="h2h,spreads,totals", nullable=False
        ),
        sa.Column("shortest_price", sa.Integer(), nullable=True),
        sa.Column("longest_price", sa.Integer(), nullable=True),
        sa.Column("daily_cap", sa.Integer(), nullable=True),
        sa.Column("min_ranked", sa.Integer(), server_default="20", nullable=False),
        sa.Column("ranking", sa.String(length=16), server_default="units", nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invite_code"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "league_member",
        sa.Column("league_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["league_id"], ["league.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("league_id", "user_id"),
    )
    op.create_index("ix_league_member_user", "league_member", ["user_id"])
    op.add_column(
        "user", sa.Column("picks_version", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("picks_version")
    op.drop_index("ix_league_member_user", table_name="league_member")
    op.drop_table("league_member")
    op.drop_table("league")
