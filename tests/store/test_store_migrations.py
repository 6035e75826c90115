"""Migrations: run from the package, on an empty store, an old one and an up-to-date one."""

from __future__ import annotations

import io
import sqlite3
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import SAWarning

from claimgraph.errors import StoreError
from claimgraph.model import ClaimRecord
from claimgraph.store import Store, head_revision
from claimgraph.store._migrate import alembic_config, script_directory
from claimgraph.store.schema import Base, include_name, is_search_object

TABLES = {
    "alembic_version", "articles", "claims", "hops", "sources", "spans",
    "identities", "aliases", "merges", "mentions",
    "claim_vectors", "claim_links", "cluster_members", "contradictions", "quantity_keys",
    "fetches", "article_versions",
}  # fmt: skip
#: the FTS5 tables of migration 0005 (SQLite only), each with its shadow tables
FTS_TABLES = {
    f"{name}{suffix}"
    for name in ("claims_fts", "articles_fts")
    for suffix in ("", "_data", "_idx", "_docsize", "_config")
} | {"articles_fts_keys"}
REVISIONS = [rev.revision for rev in reversed(list(script_directory().walk_revisions()))]


def versions(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def test_store_migrations_start_at_0001() -> None:
    assert REVISIONS[0] == "0001"
    assert head_revision() == REVISIONS[-1]


def tables(store: Store) -> set[str]:
    """The tables of the store, less the search tables of one backend (FTS5)."""
    names = set(inspect(store.engine).get_table_names())
    if store.engine.dialect.name == "sqlite":
        assert FTS_TABLES <= names
    return {name for name in names if not is_search_object(name, "table")}


def test_store_opening_upgrades_an_empty_database_to_head(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.revision() == head_revision()
        assert versions(store) == [head_revision()]
        assert tables(store) == TABLES


def test_store_migrate_by_hand(store_url: str) -> None:
    with Store(store_url, migrate=False) as store:
        assert store.revision() is None
        assert inspect(store.engine).get_table_names() == []
        store.migrate()
        assert versions(store) == [head_revision()]


def test_store_migrate_when_up_to_date_changes_nothing(store_url: str, record: ClaimRecord) -> None:
    with Store(store_url) as store:
        store.save(record)
        store.migrate()
        store.migrate()
        assert versions(store) == [head_revision()]
    with Store(store_url) as again:
        assert versions(again) == [head_revision()]
        assert again.get_record(record.article.id) == record


@pytest.mark.parametrize("revision", REVISIONS)
def test_store_opening_upgrades_an_older_store(store_url: str, revision: str) -> None:
    command.upgrade(alembic_config(url=store_url), revision)
    with Store(store_url, migrate=False) as old:
        assert old.revision() == revision
    with Store(store_url) as store:
        assert versions(store) == [head_revision()]


def test_store_downgrade_to_base_and_up_again(store_url: str) -> None:
    cfg = alembic_config(url=store_url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    with Store(store_url, migrate=False) as store:
        assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
        assert store.revision() is None
        store.migrate()
        assert tables(store) == TABLES


def test_store_schema_matches_the_models(store: Store) -> None:
    """The hand-written migrations create what schema.py declares."""
    with store.engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; SQLAlchemy and Alembic say so and skip them
        warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_store_has_every_index_of_the_models(store: Store) -> None:
    wanted = {index.name for table in Base.metadata.tables.values() for index in table.indexes}
    if store.engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    with store.engine.connect() as conn:
        present = set(conn.execute(text(query)).scalars())
    assert {"ix_claims_content_lower", "ix_sources_text_lower"} <= wanted
    assert wanted <= present


def test_store_opened_by_many_at_once(store_url: str) -> None:
    """Processes that open a new store together migrate it once (the others wait)."""

    def open_and_count(_: int) -> int:
        with Store(store_url) as store:
            return store.count_articles()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_and_count, range(4))) == [0, 0, 0, 0]


def test_store_refuses_a_store_from_a_newer_claimgraph(store_url: str) -> None:
    with Store(store_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreError, match="newer claimgraph"):
        Store(store_url)


def test_store_refuses_a_database_that_is_not_a_store(tmp_path: Path) -> None:
    path = f"{tmp_path}/other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE articles (x)")
    with pytest.raises(StoreError, match="not a claimgraph store"):
        Store(f"sqlite:///{path}")


@pytest.mark.parametrize(
    "url,dialect_sql",
    [("sqlite:///offline.db", "CREATE TABLE articles"), ("postgresql://u@h/db", "CREATE TABLE articles")],
)
def test_store_migrations_write_sql_offline(url: str, dialect_sql: str) -> None:
    cfg = alembic_config(url=url)
    cfg.output_buffer = io.StringIO()
    command.upgrade(cfg, "head", sql=True)
    sql = cfg.output_buffer.getvalue()
    assert dialect_sql in sql
    assert "lower(substr(text, 1, 200))" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql
    assert f"version_num='{head_revision()}'" in sql.replace(" = ", "=")


def test_store_upgrade_to_0004_drops_topic_links_so_claims_are_linked_again(
    store_url: str, record: ClaimRecord
) -> None:
    """Links of revision 0003 were topic-level: upgrading forgets them (claims, vectors stay),
    and every claim with a vector counts as not yet linked, for the next ingest to link."""
    import numpy as np

    cfg = alembic_config(url=store_url)
    command.upgrade(cfg, "head")
    with Store(store_url) as store:
        store.save(record, vectors=np.ones((len(record.claims), 384), dtype=np.float32))
        pks = [pk for pk, _ in store.article_claim_pks(record.article.id)]
        store.apply_linking([(pks[0], pks[1], 0.9, None)], {pk: "old" for pk in pks}, [])
        assert store.unlinked() == []
    command.downgrade(cfg, "0003")
    with Store(store_url) as store:  # opening upgrades
        assert store.revision() == head_revision()
        assert store.links_among(pks) == []
        assert store.cluster_members() == {}
        assert store.unlinked() == sorted(pks)
        assert store.get_record(record.article.id) == record
