"""Opening a store: which URLs it takes, and what it says when it cannot open one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import simple_record

import claimgraph.store
from claimgraph.config import Settings
from claimgraph.errors import StoreError
from claimgraph.model import ClaimRecord
from claimgraph.store import DEFAULT_URL, Store
from claimgraph.store._engine import parse_url


def test_store_exports() -> None:
    assert claimgraph.store.__all__ == ["DEFAULT_URL", "SaveItem", "SaveResult", "Store", "head_revision"]
    assert DEFAULT_URL == Settings().db_url


@pytest.mark.parametrize(
    "url,drivername",
    [
        ("sqlite:///claims.db", "sqlite"),
        ("sqlite://", "sqlite"),
        ("sqlite+pysqlite:///claims.db", "sqlite+pysqlite"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u:pw@h/db?sslmode=require", "postgresql+psycopg"),
    ],
)
def test_store_urls_accepted(url: str, drivername: str) -> None:
    parsed = parse_url(url)
    assert parsed.drivername == drivername
    assert parsed.database == parse_url(url.replace("postgres://", "postgresql://")).database


@pytest.mark.parametrize(
    "url,says",
    [
        ("claims.db", "not a database URL"),
        ("", "not a database URL"),
        ("sqlite:/claims.db", "not a database URL"),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("http://example.org/", "unsupported database 'http'"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg://"),
        ("sqlite+aiosqlite:///claims.db", "sqlite:///path/to/file.db"),
    ],
)
def test_store_bad_url_is_a_clear_error(url: str, says: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store(url)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message


def test_store_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as caught:
        Store("postgresql://postgres:s3cret@127.0.0.1:1/test")
    message = str(caught.value)
    assert message.startswith("cannot connect to postgresql+psycopg://postgres:***@127.0.0.1:1/test: ")
    assert "check that the server is running" in message
    assert "s3cret" not in message
    assert "\n" not in message


def test_store_sqlite_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="check that its folder exists") as caught:
        Store(f"sqlite:///{tmp_path}/no/such/folder/claims.db")
    assert "\n" not in str(caught.value)


def test_store_sqlite_settings(sqlite_url: str) -> None:
    with Store(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_store_in_memory(record: ClaimRecord) -> None:
    with Store("sqlite://") as store:
        assert store.save(record)
        assert store.get_record(record.article.id) == record


@pytest.mark.slow
def test_store_postgresql_cannot_hold_nul(pg_url: str) -> None:
    with Store(pg_url) as store:
        with pytest.raises(StoreError, match="NUL"):
            store.save(simple_record("a\x00b"))
        assert store.count_articles() == 0


def test_store_sqlite_holds_nul(sqlite_url: str) -> None:
    record = simple_record("a\x00b", "out\x00let", ("so\x00urce",))
    with Store(sqlite_url) as store:
        assert store.save(record)
        assert store.get_record(record.article.id) == record
        assert len(store.claims(source="O\x00U")) == 1


def test_store_opens_a_read_only_sqlite_file(sqlite_url: str, record: ClaimRecord) -> None:
    with Store(sqlite_url) as store:
        store.save(record)
    path = sqlite_url.removeprefix("sqlite:///")
    with Store(f"sqlite:///file:{path}?mode=ro&uri=true") as read_only:
        assert read_only.get_record(record.article.id) == record
        with pytest.raises(StoreError, match="readonly"):
            read_only.delete_article(record.article.id)
