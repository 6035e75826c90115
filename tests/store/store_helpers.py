"""Claim records built by hand, and a look at the store's tables, for the store tests."""

from __future__ import annotations

from sqlalchemy import func, select

from claimgraph.model import (
    Article,
    Claim,
    ClaimRecord,
    Cue,
    Entity,
    Hop,
    Quantity,
    Source,
    Span,
    TimeSpan,
)
from claimgraph.store import Store
from claimgraph.store.schema import ARTICLES, CLAIMS, HOPS, SOURCES, SPANS

TEXT = (
    "North Korean soldiers were withdrawn from the front lines in Kursk after heavy losses, "
    "The New York Times writes, citing American and Ukrainian officials. "
    "Kyiv said about 300 soldiers were killed in November, a figure Pyongyang denies. "
    "The region was quiet on Friday."
)


def at(phrase: str, text: str = TEXT, after: int = 0) -> tuple[int, int]:
    """The span of the first ``phrase`` in ``text`` at or after ``after``."""
    start = text.index(phrase, after)
    return (start, start + len(phrase))


def span(phrase: str, text: str = TEXT) -> Span:
    return Span(phrase, (at(phrase, text),))


def build_record() -> ClaimRecord:
    """The founding example, cut short: four claims, two hops, a discontinuous source."""
    article = Article(
        text=TEXT,
        source="examples/nk-troops-withdrawn.txt",
        outlet="Reuters",
        title="North Korean soldiers were withdrawn",
        published="2025-01-31",
        language="en",
        credits=("KCNA", "Reuters"),
        authors=("Jane Doe",),
        url="https://example.org/nk",
        tag="war",
        title_span=(0, 36),
        lede_span=(0, 86),
        skip_spans=((86, 88), (150, 152)),
        warnings=("date line not read",),
    )
    aid = article.id
    withdrawn = span("North Korean soldiers were withdrawn from the front lines in Kursk after heavy losses")
    sentence1 = at(withdrawn.text + ", The New York Times writes, citing American and Ukrainian officials.")
    officials = at("officials")
    american = Source(
        "American officials",
        (at("American"), officials),
        kind="official",
        anonymous=True,
        affiliation="gpe/united-states",
        side="gpe/united-states",
    )
    ukrainian = Source(
        "Ukrainian officials",
        (at("Ukrainian officials"),),
        kind="official",
        anonymous=True,
        affiliation="gpe/ukraine",
        side="gpe/ukraine",
    )
    nyt = Source("The New York Times", (at("The New York Times"),), "org/the-new-york-times", "media")
    claim1 = Claim(
        id=Claim.make_id(aid, withdrawn.offsets),
        content=withdrawn,
        sentence=sentence1,
        chain=(
            Hop(Cue("writes", (at("writes"),), "write", "report"), (nyt,)),
            Hop(Cue("citing", (at("citing"),), "cite", "cite"), (american, ukrainian)),
        ),
        certainty="certain",
        polarity="positive",
        entities=(
            Entity("North Korean", (at("North Korean"),), "GPE", "gpe/north-korea"),
            Entity("Kursk", (at("Kursk"),), "GPE"),
        ),
        event="withdrawal",
    )
    killed = span("about 300 soldiers were killed in November")
    claim2 = Claim(
        id=Claim.make_id(aid, killed.offsets),
        content=killed,
        sentence=at("Kyiv said about 300 soldiers were killed in November, a figure Pyongyang denies."),
        chain=(
            Hop(
                Cue("said", (at("said"),), "say", "speech"),
                (
                    Source(
                        "Kyiv",
                        (at("Kyiv"),),
                        entity="gpe/ukraine",
                        kind="government",
                        role="government",
                        side="gpe/ukraine",
                        name="Government of Ukraine",
                    ),
                ),
            ),
        ),
        certainty="probable",
        hedges=(span("about"),),
        quantities=(
            Quantity("about 300", (at("about 300"),), 300.0, 250.0, 350.0, True, None, "soldiers", None),
        ),
        times=(TimeSpan("in November", (at("in November"),), "date", "2024-11", "2024-11-01", "2024-11-30"),),
        event="casualties",
    )
    # a hop with no cue, and a source named without a span of its own
    denied = Claim(
        id=Claim.make_id(aid, (at("soldiers were killed"),)),
        content=Span("soldiers were killed", (at("soldiers were killed"),)),
        sentence=claim2.sentence,
        chain=(Hop(None, (Source("Pyongyang", (), kind="government", rank="", name="North Korea"),)),),
        polarity="negative",
        certainty="certain",
    )
    # the outlet's own voice, with a discontinuous content span
    region, friday = at("The region was quiet"), at("on Friday")
    quiet = Claim(
        id=Claim.make_id(aid, (region, friday)),
        content=Span("The region was quiet on Friday", (region, friday)),
        sentence=at("The region was quiet on Friday."),
        direct_quote=False,
        certainty="certain",
        times=(TimeSpan("on Friday", (friday,), "date", "2025-01-31", approximate=False),),
    )
    return ClaimRecord(article=article, claims=(claim1, claim2, denied, quiet))


def simple_record(text: str, outlet: str | None = None, sources: tuple[str, ...] = ()) -> ClaimRecord:
    """An article whose whole text is one claim, said by ``sources`` (one hop) or the outlet."""
    article = Article(text=text, outlet=outlet)
    chain: tuple[Hop, ...] = ()
    if sources:
        chain = (Hop(Cue("said", ((0, 0),), "say"), tuple(Source(s, ((0, len(s)),)) for s in sources)),)
    claim = Claim(content=Span(text, ((0, len(text)),)), sentence=(0, len(text)), chain=chain)
    return ClaimRecord(article=article, claims=(claim,))


def table_counts(store: Store) -> dict[str, int]:
    """Rows in each table of the store."""
    with store.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (ARTICLES, CLAIMS, HOPS, SOURCES, SPANS)
        }
