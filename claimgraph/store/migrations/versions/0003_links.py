"""Linking across articles: claim vectors, links, cluster memberships, contradictions, quantity keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_links",
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["a_id"], ["claims.id"], name=op.f("fk_claim_links_a_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["claims.id"], name=op.f("fk_claim_links_b_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("a_id", "b_id", name=op.f("pk_claim_links")),
    )
    op.create_index("ix_claim_links_b_id", "claim_links", ["b_id"], unique=False)

    op.create_table(
        "claim_vectors",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_vectors_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_vectors")),
    )
    op.create_table(
        "cluster_members",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("cluster", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_cluster_members_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_cluster_members")),
    )
    op.create_index("ix_cluster_members_cluster", "cluster_members", ["cluster"], unique=False)

    op.create_table(
        "contradictions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["a_id"], ["claims.id"], name=op.f("fk_contradictions_a_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["claims.id"], name=op.f("fk_contradictions_b_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contradictions")),
        sa.UniqueConstraint("a_id", "b_id", "kind", name=op.f("uq_contradictions_a_id_b_id_kind")),
    )
    op.create_index("ix_contradictions_b_id", "contradictions", ["b_id"], unique=False)

    op.create_table(
        "quantity_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_quantity_keys_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quantity_keys")),
    )
    op.create_index("ix_quantity_keys_claim_id", "quantity_keys", ["claim_id"], unique=False)
    op.create_index("ix_quantity_keys_key", "quantity_keys", ["key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_quantity_keys_key", table_name="quantity_keys")
    op.drop_index("ix_quantity_keys_claim_id", table_name="quantity_keys")

    op.drop_table("quantity_keys")
    op.drop_index("ix_contradictions_b_id", table_name="contradictions")

    op.drop_table("contradictions")
    op.drop_index("ix_cluster_members_cluster", table_name="cluster_members")

    op.drop_table("cluster_members")
    op.drop_table("claim_vectors")
    op.drop_index("ix_claim_links_b_id", table_name="claim_links")

    op.drop_table("claim_links")
