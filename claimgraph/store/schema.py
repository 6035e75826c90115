"""The tables of the store, as typed SQLAlchemy declarative classes.

One claim record becomes one ``articles`` row, one ``claims`` row per claim, one
``hops`` row per link of its chain, one ``sources`` row per source a hop names and
one ``spans`` row per ``[start, end]`` of a content, cue or source (a discontinuous
span is several rows). Hedges, quantities, times and entities of a claim are kept
in ``claims.extra`` exactly as ``Claim.to_json`` writes them.

The migrations in ``migrations/versions`` create these tables; a test checks that
the two agree. Change both together, with a new revision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from claimgraph.model import CERTAINTIES, POLARITIES

#: role of a ``mentions`` row: the claim's origin, a relay of it, or what it is about
MENTION_ROLES = ("origin", "relay", "about")

#: what a fetched URL was
FETCH_KINDS = ("page", "feed")

#: owner_type of a ``spans`` row: whose offsets it holds
SPAN_OWNERS = ("content", "cue", "source")

#: characters of a text that the lowercased lookup indexes cover; a whole text could
#: exceed the size of a PostgreSQL b-tree entry (about 2,700 bytes)
INDEX_PREFIX = 200

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def lower_prefix(column: Any) -> ColumnElement[str]:
    """``lower(substr(column, 1, INDEX_PREFIX))``: the expression the lookup indexes hold.

    A query that compares this expression (e.g. for equality) can use the index.
    """
    return func.lower(func.substr(column, 1, INDEX_PREFIX))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    """An article: its text and what is known about it."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    source: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String)
    language: Mapped[str] = mapped_column(String)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    #: credits, authors, tag, title_span, lede_span, skip_spans, warnings
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    __table_args__ = (
        Index("ix_articles_outlet", "outlet"),
        Index("ix_articles_published", "published"),
        Index("ix_articles_created_at_id", "created_at", "id"),
    )


class ClaimRow(Base):
    """A claim of an article, in the article's order (``position``)."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: ``Claim.id`` ("claim:…"); not unique, as a record may leave it empty
    uid: Mapped[str] = mapped_column(String)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    direct_quote: Mapped[bool] = mapped_column(Boolean)
    certainty: Mapped[str] = mapped_column(String)
    polarity: Mapped[str] = mapped_column(String)
    event: Mapped[str | None] = mapped_column(String)
    #: hedges, quantities, times, entities as ``Claim.to_json`` gives them
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)

    # the unique (article_id, position) index also serves lookups by article
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        CheckConstraint(_in("certainty", CERTAINTIES), name="certainty"),
        CheckConstraint(_in("polarity", POLARITIES), name="polarity"),
        Index("ix_claims_uid", "uid"),
    )


class HopRow(Base):
    """A link of a claim's chain, from the reporter (position 0) to the origin."""

    __tablename__ = "hops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    #: all three NULL when the hop has no cue
    cue_text: Mapped[str | None] = mapped_column(Text)
    cue_lemma: Mapped[str | None] = mapped_column(String)
    cue_kind: Mapped[str | None] = mapped_column(String)

    # the unique (claim_id, position) index also serves lookups and cascades by claim
    __table_args__ = (UniqueConstraint("claim_id", "position"),)


class SourceRow(Base):
    """A source that a hop names."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hop_id: Mapped[int] = mapped_column(ForeignKey("hops.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    role: Mapped[str | None] = mapped_column(Text)
    rank: Mapped[str | None] = mapped_column(String)
    affiliation: Mapped[str | None] = mapped_column(String)
    side: Mapped[str | None] = mapped_column(String)
    name: Mapped[str | None] = mapped_column(Text)

    # the unique (hop_id, position) index also serves lookups and cascades by hop
    __table_args__ = (
        UniqueConstraint("hop_id", "position"),
        Index("ix_sources_entity", "entity"),
    )


class SpanRow(Base):
    """One ``[start, end]`` of the offsets of a claim content, a cue or a source.

    ``owner_id`` is ``claims.id`` for 'content', ``hops.id`` for 'cue' and
    ``sources.id`` for 'source'. ``article_id`` lets deleting an article cascade here.
    """

    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    owner_type: Mapped[str] = mapped_column(String(8))
    owner_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("owner_type", "owner_id", "position"),
        CheckConstraint(_in("owner_type", SPAN_OWNERS), name="owner_type"),
        Index("ix_spans_article_id", "article_id"),
    )


class IdentityRow(Base):
    """A canonical identity: from the gazetteer, or found in the articles (a person it lacks)."""

    __tablename__ = "identities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    side: Mapped[str | None] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    __table_args__ = (Index("ix_identities_kind", "kind"),)


class AliasRow(Base):
    """A name an identity goes by; ``key`` is the normalized form lookups use."""

    __tablename__ = "aliases"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    identity_id: Mapped[str] = mapped_column(
        ForeignKey("identities.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_aliases_identity_id", "identity_id"),)


class MergeRow(Base):
    """'A is B': a recorded merge of two identities; undoing it sets ``undone_at``."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_id: Mapped[str] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    into_id: Mapped[str] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_merges_from_id", "from_id"), Index("ix_merges_into_id", "into_id"))


class MentionRow(Base):
    """An identity in a claim: as its origin, a relay of it, or what it is about."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    identity_id: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_in("role", MENTION_ROLES), name="role"),
        # claims by who made them or whom they are about: from the index alone
        Index("ix_mentions_identity_id_role_claim_id", "identity_id", "role", "claim_id"),
        Index("ix_mentions_claim_id", "claim_id"),
        Index("ix_mentions_article_id", "article_id"),
    )


class VectorRow(Base):
    """A claim's sentence embedding (float16), the basis of linking."""

    __tablename__ = "claim_vectors"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class LinkRow(Base):
    """Two claims that assert the same proposition (a < b by claim id)."""

    __tablename__ = "claim_links"

    a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    #: why the two are one claim, one reason a line (judge score, cosine, shared frame)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_claim_links_b_id", "b_id"),)


class MemberRow(Base):
    """The cluster a linked claim belongs to, named by its smallest member's claim uid."""

    __tablename__ = "cluster_members"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    cluster: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_cluster_members_cluster", "cluster"),)


class ContradictionRow(Base):
    """Two claims that cannot both hold, and why."""

    __tablename__ = "contradictions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("a_id", "b_id", "kind"),
        Index("ix_contradictions_b_id", "b_id"),
    )


class QuantityKeyRow(Base):
    """What a claim's number counts ("troops|persons"), to find other values of the same quantity."""

    __tablename__ = "quantity_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_quantity_keys_key", "key"), Index("ix_quantity_keys_claim_id", "claim_id"))


class FetchRow(Base):
    """What the last fetch of a URL (a page or a feed) gave: the validators to send next time
    (ETag, Last-Modified), and the article it was read into."""

    __tablename__ = "fetches"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String(80))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    __table_args__ = (CheckConstraint(_in("kind", FETCH_KINDS), name="kind"),)


class VersionRow(Base):
    """A version of the page at a URL: the article it was read into, and which claims (by their
    content) appeared and disappeared since the version before. Only the latest version's
    article stays stored with its claims; earlier ones live on here."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer)
    article_id: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(Text)
    #: the claims' contents of this version, and the difference from the one before
    claims: Mapped[list[str]] = mapped_column(JSON)
    appeared: Mapped[list[str]] = mapped_column(JSON)
    disappeared: Mapped[list[str]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    __table_args__ = (UniqueConstraint("url", "version"),)


Index("ix_claims_content_lower", lower_prefix(ClaimRow.content))
Index("ix_sources_text_lower", lower_prefix(SourceRow.text))

#: what migration 0005 makes for full-text search and substring matches, on one backend only,
#: outside the models: SQLite FTS5 tables (with their shadow tables), their key table, view and
#: triggers; PostgreSQL ``search_vector`` columns and GIN indexes (trigram ones where
#: ``pg_trgm`` can be had). Autogenerate and the schema test leave these names alone.
SEARCH_TABLES = ("claims_fts", "articles_fts", "articles_fts_keys")
SEARCH_COLUMNS = ("search_vector",)
SEARCH_INDEXES = (
    "ix_claims_search_vector",
    "ix_articles_search_vector",
    "ix_sources_text_trgm",
    "ix_sources_name_trgm",
    "ix_sources_entity_trgm",
    "ix_articles_outlet_trgm",
    "ix_claims_content_trgm",
)


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected name is one of the search objects of migration 0005."""
    if name is None:
        return False
    if type_ == "table":
        return name in SEARCH_TABLES or any(name.startswith(f"{t}_") for t in SEARCH_TABLES[:2])
    if type_ == "column":
        return name in SEARCH_COLUMNS
    if type_ == "index":
        return name in SEARCH_INDEXES
    return False


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: every name but those of the search objects."""
    return not is_search_object(name, type_)


#: the tables, for Core statements; a column's key is its name (``metadata``, not ``meta``)
ARTICLES = cast(Table, ArticleRow.__table__)
CLAIMS = cast(Table, ClaimRow.__table__)
HOPS = cast(Table, HopRow.__table__)
SOURCES = cast(Table, SourceRow.__table__)
IDENTITIES = cast(Table, IdentityRow.__table__)
ALIASES = cast(Table, AliasRow.__table__)
MERGES = cast(Table, MergeRow.__table__)
MENTIONS = cast(Table, MentionRow.__table__)
VECTORS = cast(Table, VectorRow.__table__)
LINKS = cast(Table, LinkRow.__table__)
MEMBERS = cast(Table, MemberRow.__table__)
CONTRADICTIONS = cast(Table, ContradictionRow.__table__)
QUANTITY_KEYS = cast(Table, QuantityKeyRow.__table__)
SPANS = cast(Table, SpanRow.__table__)
FETCHES = cast(Table, FetchRow.__table__)
VERSIONS = cast(Table, VersionRow.__table__)
