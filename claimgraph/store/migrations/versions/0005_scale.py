"""Stores at scale: indexes for the queries by identity, trigram indexes, full-text search.

Both backends:

- ``ix_mentions_identity_id_role_claim_id`` replaces ``ix_mentions_identity_id``: the
  claims an identity made (``claims(source=…)``, roles origin/relay) or is named in
  (``claims(about=…)``) come from the index alone; it also serves the mention counts
  of ``entities`` and of an alias that names several identities;
- ``ix_merges_into_id``: deleting an identity cascades to the merges into it.

SQLite: full-text search with FTS5 (``porter unicode61`` tokenizer), kept in step with
the tables by triggers: ``claims_fts`` over ``claims.content`` (external content, keyed by
``claims.id``), ``articles_fts`` over ``articles.title`` and ``articles.text`` (external
content through the view ``articles_fts_content``, keyed by ``articles_fts_keys``: an
article's rowid may change under VACUUM, a key of its own does not).

PostgreSQL: ``search_vector`` tsvector columns (generated, stored) on ``claims`` and
``articles`` with GIN indexes; and, where the ``pg_trgm`` extension can be had, trigram
GIN indexes over the lowercased texts that ``claims(source=…, contains=…, about=…)``
match by substring. The extension goes into the ``public`` schema (where it is not
installed already) so that stores in other schemas of the database share it; a
downgrade leaves it installed.

Upgrading a populated store fills the indexes (FTS5 ``rebuild``; PostgreSQL computes
the generated columns while it rewrites the tables).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12

"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

_TOKENIZE = "porter unicode61 remove_diacritics 2"

#: characters of a text that the PostgreSQL tsvector covers: a tsvector holds at most 1 MB
_PG_FTS_PREFIX = 200_000

SQLITE_UP = [
    # claims: external content over claims.content, keyed by claims.id (INTEGER PRIMARY KEY)
    f"CREATE VIRTUAL TABLE claims_fts USING fts5(content, content='claims', content_rowid='id', "
    f"tokenize='{_TOKENIZE}')",
    "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER claims_fts_update AFTER UPDATE OF id, content ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, content) VALUES ('delete', old.id, old.content); "
    "INSERT INTO claims_fts(rowid, content) VALUES (new.id, new.content); END",
    "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')",
    # articles: a key of their own (the rowid of a table without INTEGER PRIMARY KEY may change)
    "CREATE TABLE articles_fts_keys (fts_rowid INTEGER PRIMARY KEY, article_id VARCHAR(80) NOT NULL UNIQUE)",
    "CREATE VIEW articles_fts_content AS SELECT k.fts_rowid AS fts_rowid, a.title AS title, "
    "a.text AS text FROM articles_fts_keys AS k JOIN articles AS a ON a.id = k.article_id",
    f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles_fts_content', "
    f"content_rowid='fts_rowid', tokenize='{_TOKENIZE}')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts_keys(article_id) VALUES (new.id); "
    "INSERT INTO articles_fts(rowid, title, text) SELECT fts_rowid, new.title, new.text "
    "FROM articles_fts_keys WHERE article_id = new.id; END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) SELECT 'delete', fts_rowid, old.title, "
    "old.text FROM articles_fts_keys WHERE article_id = old.id; "
    "DELETE FROM articles_fts_keys WHERE article_id = old.id; END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) SELECT 'delete', fts_rowid, old.title, "
    "old.text FROM articles_fts_keys WHERE article_id = old.id; "
    "UPDATE articles_fts_keys SET article_id = new.id WHERE article_id = old.id; "
    "INSERT INTO articles_fts(rowid, title, text) SELECT fts_rowid, new.title, new.text "
    "FROM articles_fts_keys WHERE article_id = new.id; END",
    "INSERT INTO articles_fts_keys(article_id) SELECT id FROM articles ORDER BY created_at, id",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER articles_fts_update",
    "DROP TRIGGER articles_fts_delete",
    "DROP TRIGGER articles_fts_insert",
    "DROP TABLE articles_fts",
    "DROP VIEW articles_fts_content",
    "DROP TABLE articles_fts_keys",
    "DROP TRIGGER claims_fts_update",
    "DROP TRIGGER claims_fts_delete",
    "DROP TRIGGER claims_fts_insert",
    "DROP TABLE claims_fts",
]

PG_UP = [
    "ALTER TABLE claims ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('english'::regconfig, left(content, {_PG_FTS_PREFIX}))) STORED",
    "CREATE INDEX ix_claims_search_vector ON claims USING gin (search_vector)",
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('english'::regconfig, left(text, {_PG_FTS_PREFIX})), 'B')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]

PG_DOWN = [
    "DROP INDEX ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN search_vector",
    "DROP INDEX ix_claims_search_vector",
    "ALTER TABLE claims DROP COLUMN search_vector",
]

#: (index, table, lowercased column) of the trigram indexes: what substring matches use
PG_TRIGRAM = [
    ("ix_sources_text_trgm", "sources", "text"),
    ("ix_sources_name_trgm", "sources", "name"),
    ("ix_sources_entity_trgm", "sources", "entity"),
    ("ix_articles_outlet_trgm", "articles", "outlet"),
    ("ix_claims_content_trgm", "claims", "content"),
]


def _pg_trigram_schema() -> str | None:
    """The schema of the pg_trgm extension, installing it where it is not; None where it
    cannot be had (the trigram indexes are then left out: substring matches scan)."""
    if op.get_context().as_sql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return None
    bind = op.get_bind()
    find = sa.text(
        "SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = bind.execute(find).scalar()
    if schema is not None:
        return str(schema)
    if bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first() is None:
        log.warning("pg_trgm is not available on this server: substring matches will not use an index")
        return None
    for statement in (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ):
        try:
            with bind.begin_nested():
                bind.execute(sa.text(statement))
        except DBAPIError as e:
            log.warning("could not install pg_trgm (%s)", str(e.orig).strip().splitlines()[0])
            continue
        return str(bind.execute(find).scalar())
    return None


def upgrade() -> None:
    op.drop_index("ix_mentions_identity_id", table_name="mentions")
    op.create_index("ix_mentions_identity_id_role_claim_id", "mentions", ["identity_id", "role", "claim_id"])
    op.create_index("ix_merges_into_id", "merges", ["into_id"])
    if op.get_context().dialect.name == "postgresql":
        for statement in PG_UP:
            op.execute(statement)
        schema = _pg_trigram_schema()
        ops = f'"{schema}".gin_trgm_ops' if schema else "gin_trgm_ops"
        if schema or op.get_context().as_sql:
            for name, table, column in PG_TRIGRAM:
                op.execute(f"CREATE INDEX {name} ON {table} USING gin (lower({column}) {ops})")
    else:
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for name, _, _ in PG_TRIGRAM:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        for statement in PG_DOWN:
            op.execute(statement)
    else:
        for statement in SQLITE_DOWN:
            op.execute(statement)
    op.drop_index("ix_merges_into_id", table_name="merges")
    op.drop_index("ix_mentions_identity_id_role_claim_id", table_name="mentions")
    op.create_index("ix_mentions_identity_id", "mentions", ["identity_id"])
