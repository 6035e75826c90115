"""The first schema: articles, claims, hops, sources, spans.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    op.create_index("ix_articles_created_at_id", "articles", ["created_at", "id"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("article_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("direct_quote", sa.Boolean(), nullable=False),
        sa.Column("certainty", sa.String(), nullable=False),
        sa.Column("polarity", sa.String(), nullable=False),
        sa.Column("event", sa.String(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "certainty IN ('certain', 'probable', 'possible', 'unknown')",
            name=op.f("ck_claims_certainty"),
        ),
        sa.CheckConstraint("polarity IN ('positive', 'negative')", name=op.f("ck_claims_polarity")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_claims_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("article_id", "position", name=op.f("uq_claims_article_id_position")),
    )
    op.create_index("ix_claims_uid", "claims", ["uid"])
    op.create_index("ix_claims_content_lower", "claims", [sa.text("lower(substr(content, 1, 200))")])

    op.create_table(
        "hops",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cue_text", sa.Text(), nullable=True),
        sa.Column("cue_lemma", sa.String(), nullable=True),
        sa.Column("cue_kind", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_hops_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hops")),
        sa.UniqueConstraint("claim_id", "position", name=op.f("uq_hops_claim_id_position")),
    )

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entity", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("rank", sa.String(), nullable=True),
        sa.Column("affiliation", sa.String(), nullable=True),
        sa.Column("side", sa.String(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hop_id"], ["hops.id"], name=op.f("fk_sources_hop_id_hops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("hop_id", "position", name=op.f("uq_sources_hop_id_position")),
    )
    op.create_index("ix_sources_entity", "sources", ["entity"])
    op.create_index("ix_sources_text_lower", "sources", [sa.text("lower(substr(text, 1, 200))")])

    op.create_table(
        "spans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=80), nullable=False),
        sa.Column("owner_type", sa.String(length=8), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "owner_type IN ('content', 'cue', 'source')", name=op.f("ck_spans_owner_type")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_spans_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spans")),
        sa.UniqueConstraint(
            "owner_type", "owner_id", "position", name=op.f("uq_spans_owner_type_owner_id_position")
        ),
    )
    op.create_index("ix_spans_article_id", "spans", ["article_id"])


def downgrade() -> None:
    op.drop_table("spans")
    op.drop_table("sources")
    op.drop_table("hops")
    op.drop_table("claims")
    op.drop_table("articles")
