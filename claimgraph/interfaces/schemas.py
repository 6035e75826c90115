"""The REST API's request and response shapes, as pydantic models: what ``/openapi.json`` shows.

The responses are the claim record of DESIGN.md (``model.ClaimRecord.to_json``) and the
read side's JSON (``claimgraph.query``), field for field. Models forbid fields they do not
declare, so a schema test (schemathesis, tests/interfaces/test_api_schema.py) fails the day
``to_json`` and these models part.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: a span: ``[start, end]``, or ``[[start, end], …]`` where it is discontinuous (a content's
#: span is always the list)
Offsets = list[int] | list[list[int]]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanOut(_Out):
    text: str
    span: Offsets


class CueOut(_Out):
    text: str
    span: Offsets
    lemma: str
    kind: str


class SourceOut(_Out):
    text: str
    span: Offsets | None = None
    entity: str | None = None
    kind: str | None = None
    anonymous: bool | None = None
    role: str | None = None
    rank: str | None = None
    affiliation: str | None = None
    side: str | None = None
    name: str | None = None


class HopOut(_Out):
    cue: CueOut | None
    sources: list[SourceOut]


class QuantityOut(_Out):
    text: str
    span: Offsets
    value: float | None
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    counted: str | None
    change: float | None


class TimeSpanOut(_Out):
    text: str
    span: Offsets
    kind: str
    value: str | None
    start: str | None
    end: str | None
    approximate: bool


class EntityOut(_Out):
    text: str
    span: Offsets
    entity: str | None = None
    type: str


class ArgumentOut(_Out):
    role: str
    text: str
    span: Offsets
    entity: str | None = None


class FrameQuantityOut(_Out):
    text: str
    counted: str | None
    value: float | None
    low: float | None
    high: float | None
    approximate: bool
    kind: str


class FrameTimeOut(_Out):
    start: str | None
    end: str | None


class FrameOut(_Out):
    text: str
    predicate: str | None
    arguments: list[ArgumentOut]
    quantities: list[FrameQuantityOut]
    time: FrameTimeOut | None
    polarity: str
    modality: str


class ClaimOut(_Out):
    id: str
    content: SpanOut
    sentence: list[int]
    chain: list[HopOut] = Field(description="Reporter first, origin last; empty for the outlet's own voice.")
    direct_quote: bool
    certainty: Literal["certain", "probable", "possible", "unknown"]
    polarity: Literal["positive", "negative"]
    hedges: list[SpanOut]
    quantities: list[QuantityOut]
    times: list[TimeSpanOut]
    entities: list[EntityOut]
    event: str | None
    frame: FrameOut | None


class ArticleOut(_Out):
    id: str
    source: str | None
    outlet: str | None
    title: str | None
    published: str | None
    language: str
    credits: list[str]
    authors: list[str]
    url: str | None
    tag: str | None
    outlet_entity: str | None
    title_span: list[int] | None
    lede_span: list[int] | None
    skip_spans: list[list[int]]
    warnings: list[str]
    text: str


class ClaimRecordOut(_Out):
    """DESIGN.md's claim record: an article and its claims, spans indexing ``article.text``."""

    article: ArticleOut
    claims: list[ClaimOut]


class ArticleViewOut(ClaimRecordOut):
    clusters: dict[str, str] = Field(
        description="Claim id -> cluster id, for each claim reported in other claims too."
    )


class ClaimPageOut(_Out):
    records: list[ClaimRecordOut] = Field(description="The page's claims as claim records, one per article.")
    count: int = Field(description="Claims on this page.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last.")


class ArticleSummaryOut(_Out):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    source: str | None


class ArticleListItemOut(ArticleSummaryOut):
    claims: int


class ArticleListOut(_Out):
    articles: list[ArticleListItemOut]
    limit: int
    offset: int


class ClusterArticleOut(_Out):
    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    source: str | None


class ClusterClaimOut(ClaimOut):
    article: ClusterArticleOut
    origins: list[str]


class OriginOut(_Out):
    id: str
    name: str


class RelayOut(_Out):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    from_name: str
    to: str
    to_name: str


class LinkOut(_Out):
    a: str
    b: str
    score: float
    reasons: list[str]


class ClusterContradictionOut(_Out):
    a: str
    b: str
    kind: str
    reason: str


class ClusterOut(_Out):
    id: str
    size: int
    articles: int
    claims: list[ClusterClaimOut]
    origins: list[OriginOut]
    independent_origins: int
    relays: list[RelayOut]
    circular: list[str]
    links: list[LinkOut]
    contradictions: list[ClusterContradictionOut]


class ClusterListOut(_Out):
    clusters: list[ClusterOut]
    total: int
    limit: int
    offset: int


class CountsOut(_Out):
    origin: int
    relay: int
    about: int


class IdentityOut(_Out):
    id: str
    kind: str | None = None
    name: str | None = None
    aliases: list[str] = []
    side: str | None = None
    parent: str | None = None
    counts: CountsOut | None = None
    merged: list[str] = []


class IdentityListOut(_Out):
    entities: list[IdentityOut]


class RoleOut(_Out):
    role: str
    first: str | None
    last: str | None


class BriefClaimOut(_Out):
    id: str
    text: str
    certainty: str
    polarity: str
    chain: str
    article: ArticleSummaryOut


class ChartPointOut(_Out):
    date: str
    value: float | None
    low: float | None
    high: float | None
    approximate: bool
    text: str | None
    counted: str | None
    claim: str
    claim_text: str
    article: str
    published: str | None
    derived: str | None


class ChartSeriesOut(_Out):
    unit: str
    points: list[ChartPointOut]


class EntityDetailOut(_Out):
    identity: IdentityOut
    roles: list[RoleOut]
    claims_made: list[str]
    claims_about: list[str]
    made: list[BriefClaimOut]
    about: list[BriefClaimOut]
    chart: list[ChartSeriesOut]


class SideArticleOut(_Out):
    id: str
    title: str | None
    outlet: str | None
    published: str | None


class ContradictionSideOut(_Out):
    claim: str
    text: str
    article: SideArticleOut
    origins: list[str]


class ContradictionOut(_Out):
    kind: str
    reason: str
    a: ContradictionSideOut
    b: ContradictionSideOut


class ContradictionListOut(_Out):
    contradictions: list[ContradictionOut]


class TimelineArticleOut(_Out):
    id: str
    title: str | None
    outlet: str | None


class TimelineEntryOut(_Out):
    published: str | None
    about: list[TimeSpanOut]
    claim: str
    text: str
    values: list[QuantityOut]
    certainty: str
    polarity: str
    origins: list[str]
    article: TimelineArticleOut


class TimelineOut(_Out):
    timeline: str
    entries: list[TimelineEntryOut]


class SearchArticleOut(_Out):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


class SearchHitOut(_Out):
    kind: Literal["claim", "article"]
    score: float
    article: SearchArticleOut
    claim: ClaimOut | None = None


class SearchOut(_Out):
    hits: list[SearchHitOut]
    limit: int
    offset: int


class FailureOut(_Out):
    where: str
    reason: str


class IngestOut(_Out):
    stored: int
    already: int
    claims: int
    links: int
    failed: list[FailureOut]
    articles: list[str] = Field(description="The ids of the articles sent, in order (stored or not).")


class ErrorBody(_Out):
    code: str = Field(description="A stable word: bad_request, unauthorized, not_found, …")
    message: str


class ErrorOut(_Out):
    """The one shape of every error: no stack trace, a code and a message for a person."""

    error: ErrorBody


# -- requests ---------------------------------------------------------------------

#: the most characters of an article's text the API reads
MAX_TEXT = 1_000_000
#: the most articles one POST /api/articles stores
MAX_BATCH = 100


class ArticleIn(BaseModel):
    """An article to analyse or store: its text and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: str | None = Field(default=None, max_length=2_000)
    published: str | None = Field(default=None, max_length=100, description="A date, e.g. 2025-01-31.")
    outlet: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=4_000)
    id: str | None = Field(default=None, max_length=500, description="Your id for it (kept in `source`).")

    def record(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class ArticleBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_BATCH)
