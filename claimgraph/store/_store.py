"""The store: claim records in a SQLite file or a PostgreSQL database."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import numpy as np
from alembic.util import CommandError
from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    String,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.sql import CompoundSelect, Select
from sqlalchemy.sql.functions import Function

from claimgraph.errors import StoreError
from claimgraph.link.gazetteer import Identity
from claimgraph.model import CERTAINTIES, POLARITIES, Article, Claim, ClaimRecord, Hop
from claimgraph.store import _convert, _identities, _links, _search
from claimgraph.store._engine import (
    DEFAULT_URL,
    IMMEDIATE,
    SQLITE_LOWER,
    first_line,
    json_dumps,
    make_engine,
    parse_url,
    safe_url,
)
from claimgraph.store._identities import IdentitySummary
from claimgraph.store._migrate import current_revision, head_revision, script_directory, upgrade
from claimgraph.store._search import SearchHit
from claimgraph.store.schema import (
    ARTICLES,
    CLAIMS,
    FETCHES,
    HOPS,
    MENTIONS,
    QUANTITY_KEYS,
    SOURCES,
    SPANS,
    VECTORS,
    VERSIONS,
)

#: most values bound in one IN (...): old SQLite builds allow 999 parameters
_CHUNK = 900

#: a source that the database expects fewer claims of is looked up by index and sorted;
#: one that more claims have is found by walking the claims in order (``Store._claims_query``)
_FEW = 5_000

#: the orders ``claims`` lists in
ORDERS = ("stored", "published", "-published")

#: articles read per query by ``Store.records``
_BATCH = 200

#: key of the PostgreSQL advisory lock that one writer (save and link) holds at a time
_PG_WRITER_KEY = 0x636C61696D77  # "claimw"

_CREATE = "create one with `claimgraph ingest`"

T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


@dataclass(frozen=True)
class SaveItem:
    """An article to save with ``Store.save_many``, and what ``Store.save`` takes beside it."""

    record: ClaimRecord
    replace: bool = False
    identities: Sequence[Identity] = ()
    vectors: np.ndarray | None = None
    quantity_keys: Sequence[tuple[int, str]] = ()


@dataclass(frozen=True)
class SaveResult:
    """What became of one article of ``Store.save_many``.

    saved: True where it was written; False where it was stored already or failed.
    error: why it failed (then nothing of it is stored); None otherwise.
    """

    article_id: str
    saved: bool
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Store:
    """Claim records in a SQLite file (the default) or a PostgreSQL database.

    Opening a store connects, and brings the schema to the newest migration.
    Every write of an article is one transaction; the same article saved twice is
    stored once.

    url (str): ``sqlite:///path/to/file.db``, ``sqlite://`` (in memory, for tests),
        or ``postgresql://user@host:5432/database`` (``postgresql+psycopg://`` too).
    migrate (bool): upgrade the schema on opening (the default).
    create (bool): create the store where there is none (the default). With False (what
        read-only commands use) a missing SQLite file, a database without claimgraph's
        schema or one at an older schema is a ``StoreError``, and nothing is created,
        migrated or written.

    ``engine`` is the SQLAlchemy engine, for queries this class does not offer; the
    tables are in ``claimgraph.store.schema``. A store may be shared by threads, not
    across a fork: open one in each process.
    """

    def __init__(self, url: str = DEFAULT_URL, *, migrate: bool = True, create: bool = True) -> None:
        self._url = parse_url(url)
        #: the URL, with any password hidden
        self.url = safe_url(self._url)
        database = self._url.database
        if not create and self._url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:"):
            if not os.path.isfile(database):
                raise StoreError(f"no claimgraph store at {database!r}: no such file; {_CREATE}")
        self.engine = make_engine(self._url, writer=create)
        self._closed = False
        self._lock_depth = 0
        self._thread_lock = threading.RLock()
        try:
            self._open(migrate and create)
            if not create:
                self._check_schema()
        except SQLAlchemyError as e:
            self.engine.dispose()
            raise StoreError(self._cannot_open(e)) from e
        except BaseException:
            self.engine.dispose()
            raise

    def _open(self, migrate: bool) -> None:
        """Connect (and migrate). SQLite refuses a second opener for a moment while the first
        switches the file to WAL mode, whatever the busy timeout: such an opener tries again."""
        for attempt in range(10):
            try:
                with self.engine.connect():
                    pass
                break
            except OperationalError as e:
                if "locked" not in str(e) or attempt == 9:
                    raise
                time.sleep(0.1 * (attempt + 1))
        if migrate:
            self.migrate()

    def _check_schema(self) -> None:
        """For a store opened without ``create``: the schema is there and up to date."""
        with self.engine.connect() as conn, conn.begin():
            current = current_revision(conn)
        where = self._url.database if self._url.get_backend_name() == "sqlite" else self.url
        if current is None:
            raise StoreError(f"no claimgraph store at {where!r}: no claimgraph schema in it; {_CREATE}")
        known = {rev.revision for rev in script_directory().walk_revisions()}
        if current not in known:
            raise StoreError(
                f"the claimgraph store at {where!r} was written by a newer claimgraph (schema {current}); "
                "upgrade claimgraph to read it"
            )
        if current != head_revision():
            raise StoreError(
                f"the claimgraph store at {where!r} has an older schema ({current}); "
                "upgrade it by running `claimgraph ingest` or `claimgraph relink` on it"
            )

    def _cannot_open(self, error: SQLAlchemyError) -> str:
        reason = first_line(error)
        if self._url.get_backend_name() == "sqlite":
            if "not a database" in reason or "malformed" in reason:
                return (
                    f"{self._url.database!r} is not a claimgraph store: {reason} "
                    "(it is another kind of file, or a damaged database); give another --db"
                )
            return (
                f"cannot open the SQLite database {self._url.database or ':memory:'!r}: {reason}; "
                "check that its folder exists and that you may write there"
            )
        return (
            f"cannot connect to {self.url}: {reason}; check that the server is running "
            "and that the host, port, user, password and database in the URL are right"
        )

    # -- life cycle ------------------------------------------------------------

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        self._closed = True
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def migrate(self) -> None:
        """Upgrade the schema to the newest migration (nothing to do when it is there)."""
        self._check_open()
        try:
            upgrade(self.engine)
        except CommandError as e:
            raise StoreError(f"could not migrate {self.url}: {e}") from e
        except SQLAlchemyError as e:
            raise StoreError(f"could not migrate {self.url}: {first_line(e)}") from e

    def revision(self) -> str | None:
        """The migration the database is at, or None before the first."""
        with self._reading("read the schema revision") as conn:
            return current_revision(conn)

    # -- transactions ----------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the store {self.url} is closed; open a new Store")

    @contextmanager
    def _writing(self, action: str) -> Iterator[Connection]:
        self._check_open()
        try:
            # SQLite: take the write lock at BEGIN, so that a busy store is waited for (a
            # deferred transaction that reads first fails at once when another wrote since)
            with self.engine.connect() as conn:
                conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as e:
            raise StoreError(f"could not {action} in {self.url}: {first_line(e)}") from e

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the store's writer lock: one process at a time saves an article and links it.

        Linking reads what is stored, decides and writes; two processes doing that at once
        would each miss the other's claims. Under this lock every article is linked
        against every article stored before it, as in a sequential run. Re-entrant.
        SQLite: an advisory lock on a file beside the database (``FILE-writer.lock``);
        PostgreSQL: a session advisory lock; an in-memory SQLite store: a thread lock.
        """
        self._check_open()
        with self._thread_lock:
            if self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            self._lock_depth = 1
            try:
                with self._process_lock():
                    yield
            finally:
                self._lock_depth = 0

    @contextmanager
    def _process_lock(self) -> Iterator[None]:
        if self._url.get_backend_name() == "postgresql":
            try:
                conn = self.engine.connect()
                conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_WRITER_KEY})
            except SQLAlchemyError as e:
                raise StoreError(f"could not lock {self.url} for writing: {first_line(e)}") from e
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_WRITER_KEY})
                except SQLAlchemyError:
                    conn.invalidate()  # never back to the pool still holding the lock
                finally:
                    conn.close()
            return
        database = self._url.database
        if not database or database == ":memory:":
            yield
            return
        try:
            import fcntl
        except ImportError:  # not POSIX: SQLite's own locking (BEGIN IMMEDIATE) is what serialises
            yield
            return
        try:
            fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"could not lock {self.url} for writing: {e.strerror or e}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    @contextmanager
    def _reading(self, action: str) -> Iterator[Connection]:
        self._check_open()
        try:
            with self.engine.connect() as conn:
                if conn.dialect.name == "postgresql":
                    # one snapshot for the several queries that rebuild a record
                    conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    yield conn
        except SQLAlchemyError as e:
            raise StoreError(f"could not {action} in {self.url}: {first_line(e)}") from e

    # -- writing ---------------------------------------------------------------

    def save(
        self,
        record: ClaimRecord,
        *,
        replace: bool = False,
        identities: Sequence[Identity] = (),
        vectors: np.ndarray | None = None,
        quantity_keys: Sequence[tuple[int, str]] = (),
    ) -> bool:
        """Store an article with all its claims, in one transaction.

        record (ClaimRecord): the article and its claims.
        replace (bool): where the article is stored already, replace it (and its claims).
        identities (Sequence[Identity]): the identities the record's sources and entities
            name, added to the store where it lacks them, in the same transaction.
        vectors (np.ndarray | None): one embedding per claim, in order, for linking.
        quantity_keys: (claim position, key) of the numbers the claims give.
        RETURNS (bool): True if it was written; False if an article with that id was
            stored already (then nothing changes).
        """
        item = SaveItem(record, replace, identities, vectors, quantity_keys)
        rows = _rows(record)
        with self._writing(f"save article {record.article.id}") as conn:
            return _save(conn, item, rows)

    def save_many(self, items: Iterable[SaveItem | ClaimRecord]) -> list[SaveResult]:
        """Store several articles in one transaction, each all or nothing.

        Each article is written under a SAVEPOINT of its own: one that fails (a row the
        database refuses, vectors that do not fit its claims, …) is rolled back alone and
        reported, and the others are committed together. Cheaper than ``save`` per article
        (one commit, one lock); the writes of each table are one statement an article.

        items: ``SaveItem`` (a record with what ``save`` takes beside it) or bare records.
        RETURNS (list[SaveResult]): one per item, in order: saved, already stored, or the error.
        RAISES StoreError: where the whole transaction fails (the connection is lost, the
            commit is refused): then nothing of the batch is stored.
        """
        todo = [item if isinstance(item, SaveItem) else SaveItem(item) for item in items]
        results: list[SaveResult] = []
        with self._writing(f"save {len(todo)} articles") as conn:
            for item in todo:
                article_id = item.record.article.id
                try:
                    rows = _rows(item.record)
                    with conn.begin_nested():
                        saved = _save(conn, item, rows)
                except Exception as e:  # noqa: BLE001 - reported per article, the batch goes on
                    if isinstance(e, DBAPIError) and e.connection_invalidated:
                        raise
                    reason = first_line(e) if isinstance(e, SQLAlchemyError) else str(e)
                    results.append(SaveResult(article_id, False, f"{type(e).__name__}: {reason}"))
                    continue
                results.append(SaveResult(article_id, saved))
        return results

    # -- links ------------------------------------------------------------------

    def claim_pks(self, uids: Sequence[str]) -> dict[str, int]:
        """Store keys of claims by their uid."""
        with self._reading("look up claims") as conn:
            return _links.pks_of(conn, uids)

    def article_claim_pks(self, article_id: str) -> list[tuple[int, str]]:
        with self._reading("look up claims") as conn:
            rows = conn.execute(
                select(CLAIMS.c.id, CLAIMS.c.uid)
                .where(CLAIMS.c.article_id == article_id)
                .order_by(CLAIMS.c.position)
            )
            return [(r.id, r.uid) for r in rows]

    def count_linked(self, upto: int) -> int:
        """How many claims with a store key up to ``upto`` are linked (a candidate index checks
        with it, once a process, that the file it loads still matches the store)."""
        with self._reading("count linked claims") as conn:
            return _links.count_linked(conn, upto)

    def linked_vectors(self, after: int = -1) -> tuple[list[int], np.ndarray]:
        """(store keys, vectors) of the linked claims with a store key above ``after``."""
        with self._reading("read claim vectors") as conn:
            return _links.linked_vectors(conn, after)

    def index_path(self) -> Path | None:
        """Where the candidate index of this store is kept: beside a SQLite file
        (``FILE.db-index``), in the user's cache folder for a server (one file per store
        address), nowhere for an in-memory store."""
        if self._url.get_backend_name() == "sqlite":
            database = self._url.database
            if database in (None, "", ":memory:"):
                return None
            return Path(f"{database}-index")
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimgraph"
        return cache / f"index-{hashlib.sha256(self.url.encode()).hexdigest()[:16]}"

    def link_claims(self, pks: Sequence[int]) -> dict[int, tuple[Article, Claim, np.ndarray]]:
        """Claims with their article and vector, by store key."""
        if not pks:
            return {}
        with self._reading("read claims") as conn:
            rows: list[Row[Any]] = []
            for chunk in _chunks(list(pks)):
                rows.extend(conn.execute(select(CLAIMS).where(CLAIMS.c.id.in_(chunk))).all())
            claims = _load_claims(conn, rows)
            ids = list({r.article_id for r in rows})
            articles: dict[str, Article] = {}
            for chunk in _chunks(ids):
                for row in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_(chunk))):
                    articles[row.id] = _convert.article_from_row(row)
            vectors = _links.vectors_of(conn, [r.id for r in rows])
        out = {}
        for row, claim in zip(rows, claims, strict=True):
            vec = vectors.get(row.id)
            if vec is not None:
                out[row.id] = (articles[row.article_id], claim, vec)
        return out

    def unlinked(self) -> list[int]:
        """Claims saved but not linked yet (an ingest stopped in between)."""
        with self._reading("find unlinked claims") as conn:
            return _links.unlinked(conn)

    def claims_without_vectors(self) -> list[tuple[int, str]]:
        """(store key, compared text) of claims stored without an embedding (ingested with
        linking off): the frame's text where the claim has a frame, else its content."""
        with self._reading("find claims to embed") as conn:
            rows = conn.execute(
                select(CLAIMS.c.id, CLAIMS.c.content, CLAIMS.c.extra)
                .outerjoin(VECTORS, VECTORS.c.claim_id == CLAIMS.c.id)
                .where(VECTORS.c.claim_id.is_(None))
                .order_by(CLAIMS.c.id)
            )
            return [(r.id, _compared(r.content, r.extra)) for r in rows]

    def add_vectors(self, pks: Sequence[int], vectors: np.ndarray) -> None:
        with self._writing("store claim vectors") as conn:
            _links.insert_vectors(conn, pks, vectors)

    def quantity_key_names(self) -> list[str]:
        """Every distinct quantity key stored."""
        with self._reading("read quantity keys") as conn:
            return [r[0] for r in conn.execute(select(QUANTITY_KEYS.c.key).distinct())]

    def quantity_matches(self, keys: Sequence[str]) -> list[int]:
        with self._reading("find quantities") as conn:
            return _links.quantity_matches(conn, keys)

    def apply_linking(
        self,
        links: Sequence[tuple[int, int, float, str | None]],
        memberships: dict[int, str],
        contradictions: Sequence[tuple[int, int, str, str]],
    ) -> None:
        """Store what the linker decided (links, clusters, contradictions), in one transaction."""
        with self._writing("store links") as conn:
            _links.insert_links(conn, links)
            _links.insert_contradictions(conn, contradictions)
            _links.set_memberships(conn, memberships)

    def components(self, pks: Sequence[int]) -> set[int]:
        """Every claim connected to these through stored links."""
        with self._reading("read linked claims") as conn:
            return _links.component(conn, set(pks))

    def links_among(self, pks: Sequence[int]) -> list[tuple[int, int, float, str | None]]:
        """The stored links (a, b, score, reasons) whose ends are both among these claims."""
        with self._reading("read links") as conn:
            return _links.links_among(conn, set(pks))

    def clear_links(self) -> None:
        """Forget every link, cluster and contradiction (before linking again from scratch)."""
        with self._writing("clear links") as conn:
            _links.clear_links(conn)

    def cluster_members(self) -> dict[str, list[int]]:
        """Every cluster, by name, with its claims' store keys."""
        with self._reading("read clusters") as conn:
            return _links.cluster_rows(conn)

    def cluster(self, name: str) -> list[int]:
        with self._reading("read a cluster") as conn:
            return _links.cluster_of(conn, name)

    def clusters_of(self, pks: Sequence[int]) -> set[str]:
        with self._reading("read clusters") as conn:
            return _links.clusters_of(conn, pks)

    def cluster_sizes_of(self, pks: Sequence[int]) -> dict[int, tuple[str, int]]:
        """Each claim's cluster and how many claims that cluster has (claims in none are left out)."""
        with self._reading("read clusters") as conn:
            return _links.cluster_sizes_of(conn, pks)

    def contradictions(self, pks: Sequence[int] | None = None) -> list[dict[str, Any]]:
        with self._reading("read contradictions") as conn:
            return _links.contradiction_rows(conn, pks)

    # -- identities -------------------------------------------------------------

    def find_identity(self, name: str) -> str | None:
        """The identity id a name or alias denotes (after merges), or None."""
        with self._reading("look up an identity") as conn:
            return _identities.find(conn, name)

    def identities(self, kind: str | None = None) -> list[IdentitySummary]:
        """Every identity with its aliases and how often claims name it."""
        with self._reading("list identities") as conn:
            return _identities.summaries(conn, kind=kind)

    def identity(self, name: str) -> dict[str, Any] | None:
        """One identity: its names, roles over time, the claims it made and the claims about it."""
        with self._reading("read an identity") as conn:
            ident = _identities.find(conn, name)
            if ident is None:
                return None
            group = _identities.members(conn, ident)
            summary = _identities.summaries(conn, ids=[ident])
            rows = conn.execute(
                select(
                    MENTIONS.c.role, MENTIONS.c.text, MENTIONS.c.detail, CLAIMS.c.uid, ARTICLES.c.published
                )
                .select_from(MENTIONS.join(CLAIMS, MENTIONS.c.claim_id == CLAIMS.c.id))
                .join(ARTICLES, MENTIONS.c.article_id == ARTICLES.c.id)
                .where(MENTIONS.c.identity_id.in_(group))
                .order_by(ARTICLES.c.published, ARTICLES.c.id, CLAIMS.c.position)
            ).all()
        roles: dict[str, list[str]] = {}
        for r in rows:
            if r.detail:
                roles.setdefault(r.detail, []).append(r.published or "")
        return {
            "identity": summary[0].to_json() if summary else {"id": ident},
            "roles": [
                {"role": role, "first": min(d for d in dates) or None, "last": max(dates) or None}
                for role, dates in roles.items()
            ],
            "claims_made": [r.uid for r in rows if r.role in {"origin", "relay"}],
            "claims_about": [r.uid for r in rows if r.role == "about"],
        }

    def _group_of(self, conn: Connection, name: str) -> set[str]:
        """The identity a name denotes and those merged into it; empty for no identity."""
        ident = _identities.find(conn, name)
        return _identities.members(conn, ident) if ident else set()

    def merge_identities(self, a: str, b: str) -> int:
        """Record that identity ``a`` is identity ``b``; RETURNS the merge id (for undo)."""
        with self._writing(f"merge {a} into {b}") as conn:
            return _identities.merge(conn, a, b)

    def undo_merge(self, merge_id: int) -> tuple[str, str]:
        """Undo a recorded merge; RETURNS the two identity ids it had joined."""
        with self._writing(f"undo merge {merge_id}") as conn:
            return _identities.undo_merge(conn, merge_id)

    def merges(self) -> list[dict[str, Any]]:
        with self._reading("list merges") as conn:
            return _identities.merge_log(conn)

    def delete_article(self, article_id: str) -> bool:
        """Delete an article with its claims.

        RETURNS (bool): False where no article had that id.
        """
        with self._writing(f"delete article {article_id}") as conn:
            result = conn.execute(delete(ARTICLES).where(ARTICLES.c.id == article_id))
            return bool(result.rowcount)

    # -- reading ---------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        with self._reading(f"look up article {article_id}") as conn:
            found = conn.execute(select(ARTICLES.c.id).where(ARTICLES.c.id == article_id)).first()
            return found is not None

    def get_record(self, article_id: str) -> ClaimRecord | None:
        """The stored article with its claims, exactly as it was saved; None if absent."""
        with self._reading(f"read article {article_id}") as conn:
            article_row = conn.execute(select(ARTICLES).where(ARTICLES.c.id == article_id)).first()
            if article_row is None:
                return None
            claim_rows = conn.execute(
                select(CLAIMS).where(CLAIMS.c.article_id == article_id).order_by(CLAIMS.c.position)
            ).all()
            claims = _load_claims(conn, claim_rows)
        return ClaimRecord(article=_convert.article_from_row(article_row), claims=tuple(claims))

    def records(self) -> Iterator[ClaimRecord]:
        """Every stored record, oldest first, read a batch at a time.

        No transaction stays open between batches: records saved meanwhile may or may
        not be seen, and none is seen twice.
        """
        after: tuple[Any, str] | None = None
        while True:
            with self._reading("read records") as conn:
                stmt = select(ARTICLES).order_by(ARTICLES.c.created_at, ARTICLES.c.id).limit(_BATCH)
                if after is not None:
                    stmt = stmt.where(
                        or_(
                            ARTICLES.c.created_at > after[0],
                            and_(ARTICLES.c.created_at == after[0], ARTICLES.c.id > after[1]),
                        )
                    )
                article_rows = conn.execute(stmt).all()
                if not article_rows:
                    return
                ids = [row.id for row in article_rows]
                claim_rows = conn.execute(
                    select(CLAIMS)
                    .where(CLAIMS.c.article_id.in_(ids))
                    .order_by(CLAIMS.c.article_id, CLAIMS.c.position)
                ).all()
                claims = _load_claims(conn, claim_rows)
            by_article: dict[str, list[Claim]] = defaultdict(list)
            for row, claim in zip(claim_rows, claims, strict=True):
                by_article[row.article_id].append(claim)
            for row in article_rows:
                yield ClaimRecord(_convert.article_from_row(row), tuple(by_article.get(row.id, ())))
            last = article_rows[-1]
            after = (last.created_at, last.id)

    def claims(
        self,
        source: str | None = None,
        contains: str | None = None,
        limit: int | None = None,
        about: str | None = None,
        *,
        entity: str | None = None,
        certainty: str | None = None,
        polarity: str | None = None,
        event: str | None = None,
        since: str | None = None,
        until: str | None = None,
        offset: int = 0,
        order: str = "stored",
    ) -> list[tuple[Article, Claim]]:
        """Stored claims with their articles, oldest article first, in article order.

        source (str | None): case-insensitive part of the text, name or entity of a
            source in any hop of the chain; for a claim in the outlet's own voice
            (empty chain), of the article's outlet.
            A name of a known identity matches every alias of it (and of identities
            merged into it).
        contains (str | None): case-insensitive part of the claim's content.
        about (str | None): an identity (any alias) the claim's content names; or,
            when no identity has that name, a case-insensitive part of the content.
        entity (str | None): an identity (any alias) named anywhere in the claim: as a
            source of its chain or in its content.
        certainty, polarity (str | None): only claims with this value (``model.CERTAINTIES``,
            ``model.POLARITIES``).
        event (str | None): only claims of this event type.
        since, until (str | None): only claims of articles published on or after, on or
            before, this date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; an article without a
            date is left out by either).
        limit (int | None): at most this many claims. offset (int): claims to skip first.
        order (str): "stored" (articles as stored, their claims in order), "published" or
            "-published" (by the articles' dates, oldest or newest first).
        RETURNS (list[tuple[Article, Claim]]): each claim with its article.
        RAISES ValueError: a limit, offset, order, certainty or polarity out of range.
        """
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be 0 or more, not {offset}")
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        if certainty is not None and certainty not in CERTAINTIES:
            raise ValueError(f"certainty must be one of {', '.join(CERTAINTIES)}, not {certainty!r}")
        if polarity is not None and polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
        with self._reading("query claims") as conn:
            stmt = self._claims_query(conn, source, contains, about, order=order)
            if entity is not None:
                group = self._group_of(conn, entity)
                stmt = stmt.where(
                    exists().where(
                        MENTIONS.c.claim_id == CLAIMS.c.id, MENTIONS.c.identity_id.in_(sorted(group))
                    )
                    if group
                    else false()
                )
            if certainty is not None:
                stmt = stmt.where(CLAIMS.c.certainty == certainty)
            if polarity is not None:
                stmt = stmt.where(CLAIMS.c.polarity == polarity)
            if event is not None:
                stmt = stmt.where(CLAIMS.c.event == event)
            if since is not None:
                stmt = stmt.where(ARTICLES.c.published >= since)
            if until is not None:
                # "2025-01" takes in every day of January: compare with what follows it
                stmt = stmt.where(ARTICLES.c.published < until + "\uffff")
            if offset:
                stmt = stmt.offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            # the page's keys first: the indexes alone answer that (articles by date or as
            # stored, their claims by position, no table row read); then those rows only
            keys = list(conn.execute(stmt.with_only_columns(CLAIMS.c.id)).scalars())
            by_key: dict[int, Row[Any]] = {}
            for chunk in _chunks(keys):
                for row in conn.execute(select(CLAIMS).where(CLAIMS.c.id.in_(chunk))):
                    by_key[row.id] = row
            claim_rows = [by_key[k] for k in keys if k in by_key]
            ids = list(dict.fromkeys(row.article_id for row in claim_rows))
            articles: dict[str, Article] = {}
            for chunk in _chunks(ids):
                for row in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_(chunk))):
                    articles[row.id] = _convert.article_from_row(row)
            claims = _load_claims(conn, claim_rows)
        return [(articles[row.article_id], claim) for row, claim in zip(claim_rows, claims, strict=True)]

    def _claims_query(
        self,
        conn: Connection,
        source: str | None,
        contains: str | None,
        about: str | None,
        order: str = "stored",
    ) -> Select[Any]:
        """The query of ``claims``, without its limit: the rows of ``claims`` in article order.

        The order comes from the indexes (articles by ``created_at, id``, their claims by
        position): with a limit, a query walks the claims in order until the page is full,
        which is quick for a filter that many claims pass. A source that few claims have is
        asked as a set of claim keys that indexes give (the mentions of an identity, the
        sources whose text matches: trigram indexes on PostgreSQL), which are then sorted:
        ``_few`` tells which, from the database's estimate.
        """
        stmt = select(CLAIMS).select_from(CLAIMS.join(ARTICLES, CLAIMS.c.article_id == ARTICLES.c.id))
        if contains is not None:
            stmt = stmt.where(self._contains(CLAIMS.c.content, contains))
        if source is not None:
            keys, test = self._said_by(conn, source)
            stmt = stmt.where(CLAIMS.c.id.in_(keys) if self._few(conn, keys) else test)
        if about is not None:
            group = self._group_of(conn, about)
            if group:
                named = select(MENTIONS.c.claim_id).where(
                    MENTIONS.c.identity_id.in_(sorted(group)), MENTIONS.c.role == "about"
                )
                if self._few(conn, named):
                    stmt = stmt.where(CLAIMS.c.id.in_(named))
                else:
                    stmt = stmt.where(
                        exists().where(
                            MENTIONS.c.claim_id == CLAIMS.c.id,
                            MENTIONS.c.identity_id.in_(sorted(group)),
                            MENTIONS.c.role == "about",
                        )
                    )
            else:
                stmt = stmt.where(self._contains(CLAIMS.c.content, about))
        if order == "published":
            return stmt.order_by(ARTICLES.c.published.asc().nulls_last(), ARTICLES.c.id, CLAIMS.c.position)
        if order == "-published":
            return stmt.order_by(ARTICLES.c.published.desc().nulls_last(), ARTICLES.c.id, CLAIMS.c.position)
        return stmt.order_by(ARTICLES.c.created_at, ARTICLES.c.id, CLAIMS.c.position)

    def _said_by(self, conn: Connection, source: str) -> tuple[CompoundSelect[Any], ColumnElement[bool]]:
        """Which claims a source said: named in a hop (its text, name or entity), the outlet's
        own voice (a claim without hops), or an identity of that name (any alias).

        RETURNS: the keys of those claims (a UNION ALL that indexes answer), and the same
        as a test of one ``claims`` row (for a walk in order).
        """
        text_matches = or_(
            self._contains(SOURCES.c.text, source),
            self._contains(SOURCES.c.name, source),
            self._contains(SOURCES.c.entity, source),
        )
        named = select(HOPS.c.claim_id).join(SOURCES, SOURCES.c.hop_id == HOPS.c.id).where(text_matches)
        own_claims, own_articles = CLAIMS.alias("own_claims"), ARTICLES.alias("own_articles")
        own_voice = (
            select(own_claims.c.id)
            .join(own_articles, own_claims.c.article_id == own_articles.c.id)
            .where(
                self._contains(own_articles.c.outlet, source),
                ~exists().where(HOPS.c.claim_id == own_claims.c.id),
            )
        )
        branches: list[Select[Any]] = [named, own_voice]
        tests: list[ColumnElement[bool]] = [
            exists().where(HOPS.c.claim_id == CLAIMS.c.id, SOURCES.c.hop_id == HOPS.c.id, text_matches),
            and_(
                ~exists().where(HOPS.c.claim_id == CLAIMS.c.id),
                self._contains(ARTICLES.c.outlet, source),
            ),
        ]
        group = self._group_of(conn, source)
        if group:
            by_identity = select(MENTIONS.c.claim_id).where(
                MENTIONS.c.identity_id.in_(sorted(group)), MENTIONS.c.role.in_(("origin", "relay"))
            )
            branches.append(by_identity)
            tests.append(
                exists().where(
                    MENTIONS.c.claim_id == CLAIMS.c.id,
                    MENTIONS.c.identity_id.in_(sorted(group)),
                    MENTIONS.c.role.in_(("origin", "relay")),
                )
            )
        return union_all(*branches), or_(*tests)

    def _few(self, conn: Connection, keys: Select[Any] | CompoundSelect[Any]) -> bool:
        """Whether the database expects few claim keys (under ``_FEW``) from this query.

        PostgreSQL: its planner's estimate (EXPLAIN, nothing run), which the trigram and
        mention indexes' statistics inform. SQLite has no index for a part of a text:
        finding the keys would read every source, so a walk in order is always better.
        """
        if conn.dialect.name != "postgresql":
            return False
        compiled = keys.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"]) < _FEW

    def articles(self, limit: int = 50, offset: int = 0) -> list[tuple[Article, int]]:
        """Stored articles, newest stored first, each with how many claims it has.

        RAISES ValueError: a limit below 1 or an offset below 0.
        """
        if limit < 1 or offset < 0:
            raise ValueError(f"limit must be 1 or more and offset 0 or more, not {limit} and {offset}")
        with self._reading("list articles") as conn:
            rows = conn.execute(
                select(ARTICLES)
                .order_by(ARTICLES.c.created_at.desc(), ARTICLES.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            counts: dict[str, int] = {}
            ids = [row.id for row in rows]
            if ids:
                for article_id, n in conn.execute(
                    select(CLAIMS.c.article_id, func.count())
                    .where(CLAIMS.c.article_id.in_(ids))
                    .group_by(CLAIMS.c.article_id)
                ):
                    counts[article_id] = int(n)
        return [(_convert.article_from_row(row), counts.get(row.id, 0)) for row in rows]

    # -- fetched URLs -------------------------------------------------------------------

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        """What the last fetch of a URL gave (kind, status, etag, last_modified, article_id,
        fetched_at), or None for a URL never fetched."""
        with self._reading("read a fetch") as conn:
            row = conn.execute(select(FETCHES).where(FETCHES.c.url == url)).first()
        return None if row is None else dict(row._mapping)

    def record_fetch(
        self,
        url: str,
        *,
        kind: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        article_id: str | None = None,
    ) -> None:
        """Remember a fetch of a URL: its validators for the next conditional request and the
        article it gave (an unchanged page keeps the article it had)."""
        values = {
            "url": url, "kind": kind, "status": status, "etag": etag, "last_modified": last_modified,
            "article_id": article_id, "fetched_at": datetime.now(UTC),
        }  # fmt: skip
        with self._writing(f"record a fetch of {url[:200]}") as conn:
            insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            changes = {k: v for k, v in values.items() if k != "url" and (k != "article_id" or v is not None)}
            conn.execute(
                insert_(FETCHES).values(**values).on_conflict_do_update(index_elements=["url"], set_=changes)
            )

    def versions(self, url: str) -> list[dict[str, Any]]:
        """The versions of the page at a URL, oldest first: version, article_id, title, claims
        (their contents), appeared, disappeared, fetched_at."""
        with self._reading("read versions") as conn:
            rows = conn.execute(
                select(VERSIONS).where(VERSIONS.c.url == url).order_by(VERSIONS.c.version)
            ).all()
        return [{k: v for k, v in row._mapping.items() if k not in ("id", "url")} for row in rows]

    def add_version(
        self,
        url: str,
        article_id: str,
        title: str | None,
        claims: Sequence[str],
        appeared: Sequence[str],
        disappeared: Sequence[str],
    ) -> int:
        """Record a new version of the page at a URL; RETURNS its number (1 for the first)."""
        with self._writing(f"record a version of {url[:200]}") as conn:
            last = conn.execute(select(func.max(VERSIONS.c.version)).where(VERSIONS.c.url == url)).scalar()
            number = int(last or 0) + 1
            conn.execute(
                insert(VERSIONS).values(
                    url=url, version=number, article_id=article_id, title=title, claims=list(claims),
                    appeared=list(appeared), disappeared=list(disappeared), fetched_at=datetime.now(UTC),
                )
            )  # fmt: skip
        return number

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._reading("count articles") as conn:
            return int(conn.execute(select(func.count()).select_from(ARTICLES)).scalar_one())

    def count_claims(self) -> int:
        """How many claims are stored, over all articles."""
        with self._reading("count claims") as conn:
            return int(conn.execute(select(func.count()).select_from(CLAIMS)).scalar_one())

    def search(self, q: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """Claims (with their articles) and articles whose words match a query, best first.

        Full text with the database's own index (SQLite FTS5 ranked by bm25, PostgreSQL
        tsvector ranked by ts_rank), English stemming: "troops" finds "troop". Every word
        of the query must be in a claim's content, or in an article's title or text.

        q (str): what the user typed; its words are searched for, never read as FTS syntax.
        limit (int): hits to return, 1 to ``MAX_LIMIT`` (500).
        offset (int): hits to skip first (paging), 0 to ``MAX_OFFSET`` (10,000).
        RETURNS (list[SearchHit]): claims and articles together, by score (higher first).
        RAISES ValueError: for an empty query (no word in it), one too long, or a limit or
            offset out of range.
        """
        words = _search.terms(q)
        _search.check_page(limit, offset)
        wanted = offset + limit
        with self._reading("search") as conn:
            claim_hits = _search.claim_ids(conn, words, wanted)
            article_hits = _search.article_ids(conn, words, wanted)
            ranked: list[tuple[float, int, str, int]] = [(-score, 0, "", pk) for pk, score in claim_hits] + [
                (-score, 1, aid, 0) for aid, score in article_hits
            ]
            ranked.sort()
            page = ranked[offset:wanted]
            pks = [pk for _, kind, _, pk in page if kind == 0]
            claim_rows: dict[int, Row[Any]] = {}
            for chunk in _chunks(pks):
                for row in conn.execute(select(CLAIMS).where(CLAIMS.c.id.in_(chunk))):
                    claim_rows[row.id] = row
            ordered = [claim_rows[pk] for pk in pks if pk in claim_rows]
            claims = dict(zip((r.id for r in ordered), _load_claims(conn, ordered), strict=True))
            ids = list(dict.fromkeys([r.article_id for r in ordered] + [a for _, k, a, _ in page if k == 1]))
            articles: dict[str, Article] = {}
            for chunk in _chunks(ids):
                for row in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_(chunk))):
                    articles[row.id] = _convert.article_from_row(row)
        hits: list[SearchHit] = []
        for neg, kind, aid, pk in page:
            if kind == 0 and pk in claims:
                hits.append(SearchHit("claim", -neg, articles[claim_rows[pk].article_id], claims[pk]))
            elif kind == 1 and aid in articles:
                hits.append(SearchHit("article", -neg, articles[aid]))
        return hits

    def _lower(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        if self._url.get_backend_name() == "sqlite":
            # SQLite's lower() folds ASCII only; ours is Python's str.lower
            return Function(SQLITE_LOWER, value, type_=String())
        return func.lower(value, type_=String())

    def _contains(self, column: ColumnElement[Any], needle: str) -> ColumnElement[bool]:
        """``column`` holds ``needle``, both lowercased by the same database function."""
        escaped = needle.replace("/", "//").replace("%", "/%").replace("_", "/_")
        pattern = bindparam(None, f"%{escaped}%", type_=String(), unique=True)
        return self._lower(column).like(self._lower(pattern), escape="/")


# -- writing, one step at a time (tests break in between) ----------------------


def _compared(content: str, extra: Any) -> str:
    """What linking compares of a stored claim (``link.linker.compared``): its frame's text, else
    its content."""
    frame = extra.get("frame") if isinstance(extra, dict) else None
    text = frame.get("text") if isinstance(frame, dict) else None
    return text if isinstance(text, str) and text else content


def _rows(record: ClaimRecord) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The rows of the article and of its claims, checked to fit in JSON columns."""
    article_id = record.article.id
    where = f"article {article_id}"
    try:
        article_row = _convert.article_row(record.article)
        json_dumps(article_row["metadata"])
        claim_rows = []
        for i, claim in enumerate(record.claims):
            where = f"claim {i} ({claim.id or 'no id'}) of article {article_id}"
            row = _convert.claim_row(article_id, i, claim)
            json_dumps(row["extra"])
            # what cannot be read back must not be written (e.g. a hedge with no offsets)
            _convert.extra_from_json(row["extra"])
            claim_rows.append(row)
    except (ValueError, TypeError, IndexError, KeyError) as e:
        raise StoreError(f"could not save {where}: {e}") from e
    return article_row, claim_rows


def _save(conn: Connection, item: SaveItem, rows: tuple[dict[str, Any], list[dict[str, Any]]]) -> bool:
    """Write one article with everything it carries: one statement a table.

    RETURNS (bool): False where the article was stored already (nothing is written).
    """
    record = item.record
    article_id = record.article.id
    article_row, claim_rows = rows
    if item.replace:
        conn.execute(delete(ARTICLES).where(ARTICLES.c.id == article_id))
    if not _insert_article(conn, article_row):
        return False
    claim_pks = _insert_claims(conn, claim_rows)
    hop_pks, source_pks = _insert_chains(conn, record.claims, claim_pks)
    _insert_spans(conn, article_id, record.claims, claim_pks, hop_pks, source_pks)
    if item.identities:
        _identities.insert_identities(conn, item.identities)
    mentions = _identities.mention_rows(record.article, record.claims, claim_pks)
    if mentions:
        conn.execute(MENTIONS.insert(), mentions)
    if item.vectors is not None:
        _links.insert_vectors(conn, claim_pks, item.vectors)
    _links.insert_quantity_keys(conn, [(claim_pks[i], key) for i, key in item.quantity_keys])
    return True


def _insert_article(conn: Connection, row: dict[str, Any]) -> bool:
    """Insert the article row unless its id is there; RETURNS whether it inserted."""
    insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert_(ARTICLES)
        .values(**row)
        .on_conflict_do_nothing(index_elements=[ARTICLES.c.id])
        .returning(ARTICLES.c.id)
    )
    return conn.execute(stmt).first() is not None


def _insert_returning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows; RETURNS their new ids, in the order of ``rows``."""
    if not rows:
        return []
    if conn.dialect.name == "sqlite":
        # SQLite's RETURNING cannot promise the order of many rows, and SQLAlchemy would
        # then insert them one statement a row: the writer holds the write lock (BEGIN
        # IMMEDIATE), so it gives the keys itself, after the largest, in one executemany
        last = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        conn.execute(insert(table), [{**row, "id": pk} for row, pk in zip(rows, ids, strict=True)])
        return ids
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(stmt, rows).scalars())


def _insert_claims(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    return _insert_returning_ids(conn, CLAIMS, rows)


def _insert_chains(
    conn: Connection, claims: Sequence[Claim], claim_pks: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Insert the hops and sources of every claim; RETURNS their ids in reading order."""
    hop_rows = [
        _convert.hop_row(pk, i, hop)
        for pk, claim in zip(claim_pks, claims, strict=True)
        for i, hop in enumerate(claim.chain)
    ]
    hop_pks = _insert_returning_ids(conn, HOPS, hop_rows)
    hops = [hop for claim in claims for hop in claim.chain]
    source_rows = [
        _convert.source_row(pk, i, source)
        for pk, hop in zip(hop_pks, hops, strict=True)
        for i, source in enumerate(hop.sources)
    ]
    return hop_pks, _insert_returning_ids(conn, SOURCES, source_rows)


def _insert_spans(
    conn: Connection,
    article_id: str,
    claims: Sequence[Claim],
    claim_pks: Sequence[int],
    hop_pks: Sequence[int],
    source_pks: Sequence[int],
) -> None:
    rows: list[dict[str, Any]] = []
    for pk, claim in zip(claim_pks, claims, strict=True):
        rows += _convert.span_rows(article_id, "content", pk, claim.content.offsets)
    hops = [hop for claim in claims for hop in claim.chain]
    for pk, hop in zip(hop_pks, hops, strict=True):
        if hop.cue is not None:
            rows += _convert.span_rows(article_id, "cue", pk, hop.cue.offsets)
    sources = [source for hop in hops for source in hop.sources]
    for pk, source in zip(source_pks, sources, strict=True):
        rows += _convert.span_rows(article_id, "source", pk, source.offsets)
    if rows:
        conn.execute(insert(SPANS), rows)


# -- reading ---------------------------------------------------------------------


def _spans(conn: Connection, owner_type: str, pks: Sequence[int]) -> dict[int, list[Any]]:
    """The ``spans`` rows (owner_id, start, end) of these owners, by owner id, in position order."""
    out: dict[int, list[Any]] = defaultdict(list)
    for chunk in _chunks(pks):
        rows = conn.execute(
            select(SPANS.c.owner_id, SPANS.c.start, SPANS.c.end)
            .where(SPANS.c.owner_type == owner_type, SPANS.c.owner_id.in_(chunk))
            .order_by(SPANS.c.owner_id, SPANS.c.position)
        )
        for row in rows:
            out[row.owner_id].append(row)
    return out


def _load_claims(conn: Connection, claim_rows: Sequence[Row[Any]]) -> list[Claim]:
    """The claims of these ``claims`` rows, with their chains, in the same order."""
    claim_pks = [row.id for row in claim_rows]
    hop_rows: dict[int, list[Row[Any]]] = defaultdict(list)
    source_rows: dict[int, list[Row[Any]]] = defaultdict(list)
    for chunk in _chunks(claim_pks):
        for row in conn.execute(
            select(HOPS).where(HOPS.c.claim_id.in_(chunk)).order_by(HOPS.c.claim_id, HOPS.c.position)
        ):
            hop_rows[row.claim_id].append(row)
        for row in conn.execute(
            select(SOURCES)
            .select_from(SOURCES.join(HOPS, SOURCES.c.hop_id == HOPS.c.id))
            .where(HOPS.c.claim_id.in_(chunk))
            .order_by(SOURCES.c.hop_id, SOURCES.c.position)
        ):
            source_rows[row.hop_id].append(row)
    hop_pks = [row.id for rows in hop_rows.values() for row in rows if row.cue_text is not None]
    source_pks = [row.id for rows in source_rows.values() for row in rows]
    content_spans = _spans(conn, "content", claim_pks)
    cue_spans = _spans(conn, "cue", hop_pks)
    source_spans = _spans(conn, "source", source_pks)

    claims = []
    for row in claim_rows:
        chain: list[Hop] = []
        for hop in hop_rows.get(row.id, ()):
            cue = _convert.cue_from_row(hop, _convert.offsets_from_rows(cue_spans.get(hop.id, ())))
            sources = tuple(
                _convert.source_from_row(s, _convert.offsets_from_rows(source_spans.get(s.id, ())))
                for s in source_rows.get(hop.id, ())
            )
            chain.append(Hop(cue=cue, sources=sources))
        content = _convert.offsets_from_rows(content_spans.get(row.id, ()))
        claims.append(_convert.claim_from_row(row, content, chain))
    return claims
