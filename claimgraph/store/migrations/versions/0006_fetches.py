"""Pages and feeds fetched from URLs: the validators of the last fetch of each URL (for
conditional requests), and the versions of a page that changed, with the claims that
appeared and disappeared.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fetches",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("article_id", sa.String(length=80), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('page', 'feed')", name=op.f("ck_fetches_kind")),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_fetches")),
    )
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("appeared", sa.JSON(), nullable=False),
        sa.Column("disappeared", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_versions")),
        sa.UniqueConstraint("url", "version", name=op.f("uq_article_versions_url_version")),
    )


def downgrade() -> None:
    op.drop_table("article_versions")
    op.drop_table("fetches")
