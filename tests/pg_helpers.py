"""Fresh PostgreSQL databases for tests that drive the real command against the server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

PG_URL = os.environ.get("CLAIMGRAPH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_databases(count: int, prefix: str) -> Iterator[list[str]]:
    """``count`` new, empty databases (dropped after), as URLs. An unreachable server is a
    failure in CI (the PostgreSQL half must run there) and a skip elsewhere."""
    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as e:
        message = f"PostgreSQL not reachable at {PG_URL}: {e}; start it or set CLAIMGRAPH_TEST_PG"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    names = [f"{prefix}_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    with admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
