"""The claim record's JSON form is lossless: record -> JSON -> record gives the same record."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    offsets_from_json,
)

text = st.text(min_size=1, max_size=30)
offset_pairs = st.tuples(st.integers(0, 500), st.integers(0, 50)).map(lambda p: (p[0], p[0] + p[1]))
offsets = st.lists(offset_pairs, min_size=1, max_size=3).map(tuple)
maybe = st.none() | text
num = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32)

sources = st.builds(
    Source,
    text=text,
    offsets=offsets,
    entity=maybe,
    kind=st.sampled_from(["media", "official", "unknown", "person"]),
    anonymous=st.booleans(),
    role=maybe,
    rank=maybe,
    affiliation=maybe,
    side=maybe,
    name=maybe,
)
cue_kinds = st.sampled_from(["speech", "report", "cite"])
cues = st.builds(Cue, text=text, offsets=offsets, lemma=text, kind=cue_kinds)
hops = st.builds(Hop, cue=st.none() | cues, sources=st.lists(sources, max_size=3).map(tuple))
spans = st.builds(Span, text=text, offsets=offsets)
quantities = st.builds(
    Quantity, text=text, offsets=offsets, value=num, low=num, high=num, approximate=st.booleans(),
    unit=maybe, counted=maybe, change=num,
)  # fmt: skip
times = st.builds(
    TimeSpan, text=text, offsets=offsets, kind=st.sampled_from(["date", "duration", "set"]), value=maybe,
    start=maybe, end=maybe, approximate=st.booleans(),
)  # fmt: skip
entities = st.builds(Entity, text=text, offsets=offsets, type=st.sampled_from(["GPE", "ORG"]), entity=maybe)
claims = st.builds(
    Claim,
    content=spans,
    sentence=offset_pairs,
    chain=st.lists(hops, max_size=3).map(tuple),
    direct_quote=st.booleans(),
    certainty=st.sampled_from(["certain", "probable", "possible", "unknown"]),
    polarity=st.sampled_from(["positive", "negative"]),
    hedges=st.lists(spans, max_size=2).map(tuple),
    quantities=st.lists(quantities, max_size=2).map(tuple),
    times=st.lists(times, max_size=2).map(tuple),
    entities=st.lists(entities, max_size=2).map(tuple),
    event=maybe,
    id=st.text(max_size=10),
)
articles = st.builds(
    Article,
    text=st.text(min_size=1, max_size=200),
    source=maybe,
    outlet=maybe,
    title=maybe,
    published=st.none() | st.dates().map(str),
    credits=st.lists(text, max_size=2).map(tuple),
    authors=st.lists(text, max_size=2).map(tuple),
    url=maybe,
    title_span=st.none() | offset_pairs,
    skip_spans=st.lists(offset_pairs, max_size=2).map(tuple),
    warnings=st.lists(text, max_size=2).map(tuple),
)


@given(articles, st.lists(claims, max_size=3))
def test_model_claim_record_round_trips_through_json(article: Article, cs: list[Claim]) -> None:
    record = ClaimRecord(article, tuple(cs))
    assert ClaimRecord.loads(record.dumps()) == record
    # and the JSON is plain JSON
    assert json.loads(record.dumps())["article"]["id"] == article.id


@pytest.mark.parametrize(
    ("value", "expected"),
    [([3, 7], ((3, 7),)), ([[3, 7]], ((3, 7),)), ([[1, 2], [4, 9]], ((1, 2), (4, 9)))],
)
def test_model_offsets_read_both_forms(value: list, expected: tuple) -> None:  # type: ignore[type-arg]
    assert offsets_from_json(value) == expected


@pytest.mark.parametrize("value", [[], [3], [5, 2], "x", [[1, 2], [3]], [-1, 4]])
def test_model_offsets_refuse_bad_spans(value: object) -> None:
    with pytest.raises(ValueError):
        offsets_from_json(value)


def test_model_article_id_depends_on_text_and_outlet() -> None:
    a = Article(text="Same text.", outlet="A")
    assert a.id == Article(text="Same text.", outlet="A", title="other title").id
    assert a.id != Article(text="Same text.", outlet="B").id
    with pytest.raises(ValueError, match="does not match"):
        Article.from_json({**a.to_json(), "text": "Changed."})
