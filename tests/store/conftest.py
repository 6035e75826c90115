"""Fixtures of the store tests: hand-built claim records and stores to put them in.

PostgreSQL tests run against ``CLAIMGRAPH_TEST_PG`` (default: the local server,
user postgres, database test), each in a schema of its own that is dropped after;
they are skipped when the server cannot be reached.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from store_helpers import build_record

from claimgraph.model import ClaimRecord
from claimgraph.store import Store

PG_URL = os.environ.get("CLAIMGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def record() -> ClaimRecord:
    return build_record()


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL URL of the tests; skips them when the server cannot be reached."""
    try:
        with psycopg.connect(_libpq(PG_URL), connect_timeout=3):
            pass
    except psycopg.Error as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        message = f"PostgreSQL not reachable at {PG_URL} ({reason}); start it or set CLAIMGRAPH_TEST_PG"
        if os.environ.get("CI"):  # in CI the PostgreSQL half must run, not be skipped
            pytest.fail(message)
        pytest.skip(message)
    return PG_URL


@contextmanager
def _pg_schema(server: str) -> Iterator[str]:
    """A store URL on a fresh, empty PostgreSQL schema, dropped afterwards."""
    schema = f"claimgraph_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in server else "?"
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(_libpq(server), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A store URL on a fresh, empty PostgreSQL schema: no tables yet."""
    with _pg_schema(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def pg_store(pg_server: str) -> Iterator[Store]:
    """One migrated PostgreSQL store for the session; ``store`` empties it for each test."""
    with _pg_schema(pg_server) as url, Store(url) as opened:
        yield opened


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    return f"sqlite:///{os.path.join(tmp_path, 'claims.db')}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """The URL of a database with no store in it yet, on each backend."""
    if request.param == "sqlite":
        return sqlite_url
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Store]:
    """An empty, migrated store on each backend."""
    if request.param == "sqlite":
        with Store(sqlite_url) as opened:
            yield opened
        return
    shared: Store = request.getfixturevalue("pg_store")
    with shared.engine.begin() as conn:
        conn.execute(text("TRUNCATE articles, claims, hops, sources, spans RESTART IDENTITY CASCADE"))
    yield shared
