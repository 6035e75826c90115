"""Alembic migrations, run from the package: no alembic.ini is needed.

The scripts live in ``claimgraph/store/migrations``. To write a new revision after
changing ``schema.py``, point a Config at a database that is at head and let Alembic
compare::

    from alembic import command
    from claimgraph.store._migrate import alembic_config

    command.revision(alembic_config(url="sqlite:///dev.db"), "what changed", autogenerate=True)

then read and clean the generated file in ``migrations/versions``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from claimgraph.errors import StoreError
from claimgraph.store._engine import IMMEDIATE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: key of the PostgreSQL advisory lock that keeps two processes from migrating at once
_PG_LOCK_KEY = 0x636C61696D  # "claim"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config for the store's migrations.

    connection (Connection | None): run on this connection (and its transaction).
    url (str | None): or connect to this URL (for Alembic commands run by hand).
    RETURNS (Config): the configuration ``alembic.command`` functions take.
    """
    cfg = Config()
    # Config options go through configparser interpolation: a '%' must be doubled
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision that the newest migration brings a store to."""
    head = script_directory().get_current_head()
    assert head is not None, "claimgraph ships at least one migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at, or None where it has no store yet."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision, in one transaction where it can.

    Raises StoreError for a database that a newer claimgraph wrote or that holds
    tables of ours without Alembic's record of them.
    """
    head = head_revision()
    with engine.connect() as conn:
        # the usual case, without taking a lock: a reader of a read-only file opens it too
        with conn.begin():
            if current_revision(conn) == head:
                return
        conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # another process opening the same store waits here, then finds it at head
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            current = current_revision(conn)
            if current == head:
                return
            known = {rev.revision for rev in script_directory().walk_revisions()}
            if current is not None and current not in known:
                raise StoreError(
                    f"the database is at revision {current!r}, which this claimgraph does not know: "
                    "a newer claimgraph wrote it; upgrade claimgraph to open it"
                )
            if current is None and inspect(conn).has_table("articles"):
                raise StoreError(
                    "the database has an 'articles' table but no Alembic version: it is not a "
                    "claimgraph store (or one made by hand); use an empty database"
                )
            command.upgrade(alembic_config(connection=conn), "head")
