"""Property tests: any claim record comes back from the store as it went in."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.model import (
    CERTAINTIES,
    CUE_KINDS,
    POLARITIES,
    SOURCE_KINDS,
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

# a store fixture serves every example: each example deletes its article first
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# PostgreSQL text cannot hold NUL; SQLite can (tested apart)
texts = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
maybe_texts = st.none() | texts
pairs = st.tuples(st.integers(0, 100_000), st.integers(0, 500)).map(lambda p: (p[0], p[0] + p[1]))
offsets = st.lists(pairs, min_size=1, max_size=3).map(tuple)
numbers = st.none() | st.floats(allow_nan=False, allow_infinity=False)
kinds = st.sampled_from(SOURCE_KINDS) | texts

articles = st.builds(
    Article,
    text=texts,
    source=maybe_texts,
    outlet=maybe_texts,
    title=maybe_texts,
    published=maybe_texts,
    language=st.sampled_from(["en", "de", "uk", "ru"]),
    credits=st.lists(texts, max_size=3).map(tuple),
    authors=st.lists(texts, max_size=2).map(tuple),
    url=maybe_texts,
    tag=maybe_texts,
    title_span=st.none() | pairs,
    lede_span=st.none() | pairs,
    skip_spans=st.lists(pairs, max_size=3).map(tuple),
    warnings=st.lists(texts, max_size=2).map(tuple),
)
sources = st.builds(
    Source,
    text=texts,
    offsets=st.just(()) | offsets,
    entity=maybe_texts,
    kind=kinds,
    anonymous=st.booleans(),
    role=maybe_texts,
    rank=maybe_texts,
    affiliation=maybe_texts,
    side=maybe_texts,
    name=maybe_texts,
)
cues = st.builds(Cue, text=texts, offsets=offsets, lemma=texts, kind=st.sampled_from(CUE_KINDS) | texts)
hops = st.builds(Hop, cue=st.none() | cues, sources=st.lists(sources, max_size=3).map(tuple))
quantities = st.builds(
    Quantity, texts, offsets, numbers, numbers, numbers, st.booleans(), maybe_texts, maybe_texts, numbers
)
claims = st.builds(
    Claim,
    content=st.builds(Span, texts, offsets),
    sentence=pairs,
    chain=st.lists(hops, max_size=3).map(tuple),
    direct_quote=st.booleans(),
    certainty=st.sampled_from(CERTAINTIES),
    polarity=st.sampled_from(POLARITIES),
    hedges=st.lists(st.builds(Span, texts, offsets), max_size=2).map(tuple),
    quantities=st.lists(quantities, max_size=2).map(tuple),
    times=st.lists(
        st.builds(TimeSpan, texts, offsets, texts, maybe_texts, maybe_texts, maybe_texts, st.booleans()),
        max_size=2,
    ).map(tuple),
    entities=st.lists(st.builds(Entity, texts, offsets, texts, maybe_texts), max_size=2).map(tuple),
    event=maybe_texts,
    id=texts,
)
records = st.builds(ClaimRecord, article=articles, claims=st.lists(claims, max_size=4).map(tuple))


@PROPERTY_SETTINGS
@given(record=records)
def test_store_round_trip_property(store: Store, record: ClaimRecord) -> None:
    store.delete_article(record.article.id)
    assert store.save(record) is True
    got = store.get_record(record.article.id)
    assert got == record
    assert got is not None and got.to_json() == record.to_json()
    assert store.save(record) is False


# for the filters: letters the databases lowercase as Python does, and LIKE's wildcards
plain = st.text(st.sampled_from(string.ascii_letters + "äÖéÉ %_/\\"), max_size=12)
filter_sources = st.builds(
    Source, text=plain, offsets=st.just(()), entity=st.none() | plain, name=st.none() | plain
)
filter_records = st.builds(
    ClaimRecord,
    article=st.builds(Article, text=plain, outlet=st.none() | plain),
    claims=st.lists(
        st.builds(
            Claim,
            content=st.builds(Span, plain, offsets),
            sentence=pairs,
            chain=st.lists(
                st.builds(Hop, cue=st.none(), sources=st.lists(filter_sources, max_size=2).map(tuple)),
                max_size=2,
            ).map(tuple),
        ),
        max_size=3,
    ).map(tuple),
)


def said_by(article: Article, claim: Claim, needle: str) -> bool:
    """What ``Store.claims(source=needle)`` means, in Python."""
    needle = needle.lower()
    if not claim.chain:
        return article.outlet is not None and needle in article.outlet.lower()
    return any(
        needle in value.lower()
        for hop in claim.chain
        for source in hop.sources
        for value in (source.text, source.name, source.entity)
        if value is not None
    )


@PROPERTY_SETTINGS
@given(batch=st.lists(filter_records, max_size=4), needle=plain, contains=st.none() | plain)
def test_store_claims_filter_property(
    store: Store, batch: list[ClaimRecord], needle: str, contains: str | None
) -> None:
    for record in store.records():
        store.delete_article(record.article.id)
    saved = [record for record in batch if store.save(record)]
    expected = [
        (record.article, claim)
        for record in saved
        for claim in record.claims
        if said_by(record.article, claim, needle)
        and (contains is None or contains.lower() in claim.content.text.lower())
    ]
    assert store.claims(source=needle, contains=contains) == expected
