"""Database URLs and engines: which databases the store speaks and how it connects.

SQLite (a file, the default) and PostgreSQL through psycopg 3. Every other URL is a
``StoreError`` that says what to write instead.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from claimgraph.errors import StoreError

DEFAULT_URL = "sqlite:///claimgraph.db"

#: the SQLite function that lowercases like Python (SQLite's own lower() folds ASCII only)
SQLITE_LOWER = "claimgraph_lower"

#: execution option: open the transaction with BEGIN IMMEDIATE (SQLite's write lock)
IMMEDIATE = "claimgraph_immediate"

_URL_HELP = "use sqlite:///path/to/file.db or postgresql://user@host:5432/database"

#: strict JSON (PostgreSQL rejects NaN) and UTF-8 as is
json_dumps = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)


def parse_url(url: str) -> URL:
    """Read a store URL, rewriting ``postgresql://`` and ``postgres://`` to psycopg 3.

    url (str): ``sqlite:///file.db``, ``sqlite://`` (in memory) or a PostgreSQL URL.
    RETURNS (URL): the URL SQLAlchemy connects to.
    """
    if not isinstance(url, str) or "://" not in url:
        raise StoreError(f"{url!r} is not a database URL: {_URL_HELP}")
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(f"{url!r} is not a database URL ({e}): {_URL_HELP}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise StoreError(
                f"the PostgreSQL driver {driver!r} is not supported: "
                "write postgresql+psycopg:// (or postgresql://) to use psycopg 3"
            )
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise StoreError(
                f"the SQLite driver {driver!r} is not supported: write sqlite:///path/to/file.db"
            )
        return parsed
    raise StoreError(f"unsupported database {backend!r} in {safe_url(parsed)}: {_URL_HELP}")


def safe_url(url: URL) -> str:
    """The URL as text, with any password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def _python_lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _sqlite_on_connect(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    # take BEGIN away from the sqlite3 module (which never begins before DDL or SELECT)
    # and emit it ourselves in _sqlite_on_begin: migrations become transactional
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # in WAL mode NORMAL never corrupts; a power cut may lose the last commits
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
    dbapi_connection.create_function(SQLITE_LOWER, 1, _python_lower, deterministic=True)


def _sqlite_on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_on_connect_reader(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    # a reader writes nothing: the journal mode is the writer's to set (WAL persists in the file)
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function(SQLITE_LOWER, 1, _python_lower, deterministic=True)


def make_engine(url: URL, *, writer: bool = True) -> Engine:
    """An engine for a URL that ``parse_url`` accepted, set up for the store.

    writer (bool): False for a store opened only to read: SQLite then sets no pragma that
    writes to the file.
    """
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=json_dumps)
        event.listen(engine, "connect", _sqlite_on_connect if writer else _sqlite_on_connect_reader)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = 10
    return create_engine(url, connect_args=connect_args, json_serializer=json_dumps, pool_pre_ping=True)


def first_line(error: BaseException) -> str:
    """The first non-empty line of the message of the DBAPI error under ``error``."""
    orig = getattr(error, "orig", None) or error
    for line in str(orig).splitlines():
        if line.strip():
            return line.strip()
    return type(orig).__name__
