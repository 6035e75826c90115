"""Alembic environment of the claimgraph store.

``claimgraph.store`` runs it with a connection in ``config.attributes`` (see
``_migrate.upgrade``); given only ``sqlalchemy.url`` it connects by itself, and in
offline mode (``--sql``) it writes the SQL out.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from claimgraph.store._engine import make_engine, parse_url
from claimgraph.store.schema import Base, include_name

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for later revisions
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # the search objects of 0005 (FTS5 tables, tsvector columns, GIN indexes) are not models
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = parse_url(config.get_main_option("sqlalchemy.url") or "")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.get_backend_name() == "sqlite",
        dialect_opts={"paramstyle": "named"},
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = parse_url(config.get_main_option("sqlalchemy.url") or "")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _configure(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
