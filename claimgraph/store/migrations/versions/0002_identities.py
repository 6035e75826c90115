"""Canonical identities: identities, their aliases, recorded merges, and mentions in claims.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("side", sa.String(length=200), nullable=True),
        sa.Column("parent", sa.String(length=200), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
    )
    op.create_index("ix_identities_kind", "identities", ["kind"], unique=False)

    op.create_table(
        "aliases",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("identity_id", sa.String(length=200), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_aliases_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "identity_id", name=op.f("pk_aliases")),
    )
    op.create_index("ix_aliases_identity_id", "aliases", ["identity_id"], unique=False)

    op.create_table(
        "merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_id", sa.String(length=200), nullable=False),
        sa.Column("into_id", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_id"], ["identities.id"], name=op.f("fk_merges_from_id_identities"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["into_id"], ["identities.id"], name=op.f("fk_merges_into_id_identities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merges")),
    )
    op.create_index("ix_merges_from_id", "merges", ["from_id"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=80), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.CheckConstraint("role IN ('origin', 'relay', 'about')", name=op.f("ck_mentions_role")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_mentions_article_id_articles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_mentions_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"], unique=False)
    op.create_index("ix_mentions_claim_id", "mentions", ["claim_id"], unique=False)
    op.create_index("ix_mentions_identity_id", "mentions", ["identity_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_mentions_identity_id", table_name="mentions")
    op.drop_index("ix_mentions_claim_id", table_name="mentions")
    op.drop_index("ix_mentions_article_id", table_name="mentions")

    op.drop_table("mentions")
    op.drop_index("ix_merges_from_id", table_name="merges")

    op.drop_table("merges")
    op.drop_index("ix_aliases_identity_id", table_name="aliases")

    op.drop_table("aliases")
    op.drop_index("ix_identities_kind", table_name="identities")

    op.drop_table("identities")
