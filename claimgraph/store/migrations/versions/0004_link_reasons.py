"""Links carry their reasons; links made by the topic-level linker of 0003 are dropped.

The clusters of revision 0003 were connected components of cosine links (topics, not
claims). Upgrading clears links, cluster memberships and contradictions, so that
every stored claim counts as not yet linked and the next ``claimgraph ingest`` (or
``claimgraph relink``) links it again with the pair judge. Claims, vectors and
quantity keys are kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("claim_links", "cluster_members", "contradictions"):
        op.execute(sa.text(f"DELETE FROM {table}"))
    with op.batch_alter_table("claim_links") as batch:
        batch.add_column(sa.Column("reasons", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_links") as batch:
        batch.drop_column("reasons")
