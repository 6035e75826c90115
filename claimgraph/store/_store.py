"""The store: claim records in a SQLite file or a PostgreSQL database."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.sql.functions import Function

from claimgraph.errors import StoreError
from claimgraph.link.gazetteer import Identity
from claimgraph.model import Article, Claim, ClaimRecord, Hop
from claimgraph.store import _convert, _identities, _links
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
from claimgraph.store.schema import (
    ARTICLES,
    CLAIMS,
    HOPS,
    MEMBERS,
    MENTIONS,
    QUANTITY_KEYS,
    SOURCES,
    SPANS,
    VECTORS,
)

#: most values bound in one IN (...): old SQLite builds allow 999 parameters
_CHUNK = 900

#: articles read per query by ``Store.records``
_BATCH = 200

#: key of the PostgreSQL advisory lock that one writer (save and link) holds at a time
_PG_WRITER_KEY = 0x636C61696D77  # "claimw"

_CREATE = "create one with `claimgraph ingest`"

T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


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
        article_id = record.article.id
        article_row, claim_rows = _rows(record)
        with self._writing(f"save article {article_id}") as conn:
            if replace:
                conn.execute(delete(ARTICLES).where(ARTICLES.c.id == article_id))
            if not _insert_article(conn, article_row):
                return False
            claim_pks = _insert_claims(conn, claim_rows)
            hop_pks, source_pks = _insert_chains(conn, record.claims, claim_pks)
            _insert_spans(conn, article_id, record.claims, claim_pks, hop_pks, source_pks)
            if identities:
                _identities.insert_identities(conn, identities)
            mentions = _identities.mention_rows(record.article, record.claims, claim_pks)
            if mentions:
                conn.execute(MENTIONS.insert(), mentions)
            if vectors is not None:
                _links.insert_vectors(conn, claim_pks, vectors)
            _links.insert_quantity_keys(conn, [(claim_pks[i], key) for i, key in quantity_keys])
        return True

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
        """How many claims with a store key up to ``upto`` are linked (have a cluster)."""
        with self._reading("count linked claims") as conn:
            return int(conn.execute(select(func.count()).where(MEMBERS.c.claim_id <= upto)).scalar_one())

    def linked_vectors(self, after: int = -1) -> tuple[list[int], list[str], np.ndarray]:
        """(store keys, uids, vectors) of the linked claims with a store key above ``after``."""
        with self._reading("read claim vectors") as conn:
            return _links.linked_vectors(conn, after)

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
        """(store key, content) of claims stored without an embedding (ingested with linking off)."""
        with self._reading("find claims to embed") as conn:
            rows = conn.execute(
                select(CLAIMS.c.id, CLAIMS.c.content)
                .outerjoin(VECTORS, VECTORS.c.claim_id == CLAIMS.c.id)
                .where(VECTORS.c.claim_id.is_(None))
                .order_by(CLAIMS.c.id)
            )
            return [(r.id, r.content) for r in rows]

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

    def _group_of(self, name: str) -> set[str]:
        with self._reading("look up an identity") as conn:
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
        limit (int | None): at most this many claims.
        RETURNS (list[tuple[Article, Claim]]): each claim with its article.
        """
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        stmt = select(CLAIMS).select_from(CLAIMS.join(ARTICLES, CLAIMS.c.article_id == ARTICLES.c.id))
        if contains is not None:
            stmt = stmt.where(self._contains(CLAIMS.c.content, contains))
        if source is not None:
            named = (
                exists()
                .where(HOPS.c.claim_id == CLAIMS.c.id, SOURCES.c.hop_id == HOPS.c.id)
                .where(
                    or_(
                        self._contains(SOURCES.c.text, source),
                        self._contains(SOURCES.c.name, source),
                        self._contains(SOURCES.c.entity, source),
                    )
                )
            )
            own_voice = and_(
                ~exists().where(HOPS.c.claim_id == CLAIMS.c.id),
                self._contains(ARTICLES.c.outlet, source),
            )
            group = self._group_of(source)
            if group:
                by_identity = exists().where(
                    MENTIONS.c.claim_id == CLAIMS.c.id,
                    MENTIONS.c.role.in_(("origin", "relay")),
                    MENTIONS.c.identity_id.in_(group),
                )
                stmt = stmt.where(or_(named, own_voice, by_identity))
            else:
                stmt = stmt.where(or_(named, own_voice))
        if about is not None:
            group = self._group_of(about)
            if group:
                stmt = stmt.where(
                    exists().where(
                        MENTIONS.c.claim_id == CLAIMS.c.id,
                        MENTIONS.c.role == "about",
                        MENTIONS.c.identity_id.in_(group),
                    )
                )
            else:
                stmt = stmt.where(self._contains(CLAIMS.c.content, about))
        stmt = stmt.order_by(ARTICLES.c.created_at, ARTICLES.c.id, CLAIMS.c.position)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._reading("query claims") as conn:
            claim_rows = conn.execute(stmt).all()
            ids = list(dict.fromkeys(row.article_id for row in claim_rows))
            articles: dict[str, Article] = {}
            for chunk in _chunks(ids):
                for row in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_(chunk))):
                    articles[row.id] = _convert.article_from_row(row)
            claims = _load_claims(conn, claim_rows)
        return [(articles[row.article_id], claim) for row, claim in zip(claim_rows, claims, strict=True)]

    def count_articles(self) -> int:
        """How many articles are stored."""
        with self._reading("count articles") as conn:
            return int(conn.execute(select(func.count()).select_from(ARTICLES)).scalar_one())

    def count_claims(self) -> int:
        """How many claims are stored, over all articles."""
        with self._reading("count claims") as conn:
            return int(conn.execute(select(func.count()).select_from(CLAIMS)).scalar_one())

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
