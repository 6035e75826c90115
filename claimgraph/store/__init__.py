"""The store: claim records in a SQLite file (the default) or PostgreSQL.

Example::

    from claimgraph.store import Store

    with Store("sqlite:///claims.db") as store:
        store.save(record)
        for article, claim in store.claims(source="officials"):
            ...
"""

from claimgraph.store._engine import DEFAULT_URL
from claimgraph.store._migrate import head_revision
from claimgraph.store._store import SaveItem, SaveResult, Store

__all__ = ["DEFAULT_URL", "SaveItem", "SaveResult", "Store", "head_revision"]
