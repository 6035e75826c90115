"""Store.claims: claims by source (any hop of the chain, or the outlet) and by content."""

from __future__ import annotations

import pytest
from store_helpers import build_record, simple_record

from claimgraph.model import Article, Claim, ClaimRecord
from claimgraph.store import Store

WITHDRAWN = "North Korean soldiers were withdrawn from the front lines in Kursk after heavy losses"


@pytest.fixture
def filled(store: Store) -> Store:
    store.save(build_record())
    store.save(simple_record("Troops crossed the border über Nacht.", "Kyiv Independent", ("Zelensky",)))
    store.save(simple_record("Prices rose 5% in 100_000 shops.", "AP"))
    return store


def contents(found: list[tuple[Article, Claim]]) -> list[str]:
    return [claim.content.text for _, claim in found]


@pytest.mark.parametrize(
    "source,expected",
    [
        # the first hop (the reporter)
        ("new york times", [WITHDRAWN]),
        # a later hop, through the text of a discontinuous source
        ("AMERICAN OFFICIALS", [WITHDRAWN]),
        # a source's entity id, and its resolved name
        ("gpe/ukraine", ["about 300 soldiers were killed in November"]),
        ("north korea", ["soldiers were killed"]),
        ("government of", ["about 300 soldiers were killed in November"]),
        # the outlet, for the claim in its own voice only
        ("reuters", ["The region was quiet on Friday"]),
        ("ap", ["Prices rose 5% in 100_000 shops."]),
        # 'kyiv' is a source of a claim, and an outlet whose claim has a chain
        ("kyiv", ["about 300 soldiers were killed in November"]),
        ("zelensky", ["Troops crossed the border über Nacht."]),
        ("nobody", []),
    ],
)
def test_store_claims_by_source(filled: Store, source: str, expected: list[str]) -> None:
    assert contents(filled.claims(source=source)) == expected


@pytest.mark.parametrize(
    "contains,expected",
    [
        ("SOLDIERS WERE KILLED", ["about 300 soldiers were killed in November", "soldiers were killed"]),
        ("ÜBER", ["Troops crossed the border über Nacht."]),
        # LIKE's wildcards are plain characters
        ("5%", ["Prices rose 5% in 100_000 shops."]),
        ("0_0", ["Prices rose 5% in 100_000 shops."]),
        ("r%s", []),
        ("e_w", []),
        ("/", []),
    ],
)
def test_store_claims_containing(filled: Store, contains: str, expected: list[str]) -> None:
    assert contents(filled.claims(contains=contains)) == expected


def test_store_claims_filters_combine(filled: Store) -> None:
    assert contents(filled.claims(source="kyiv", contains="killed")) == [
        "about 300 soldiers were killed in November"
    ]
    assert filled.claims(source="reuters", contains="killed") == []


def test_store_claims_in_order_with_limit(filled: Store, record: ClaimRecord) -> None:
    everything = filled.claims()
    assert len(everything) == len(record.claims) + 2
    assert [claim for _, claim in everything[:4]] == list(record.claims)
    assert all(article == record.article for article, _ in everything[:4])
    assert filled.claims(limit=2) == everything[:2]
    assert filled.claims(limit=0) == []
    with pytest.raises(ValueError):
        filled.claims(limit=-1)


def test_store_claims_are_whole(filled: Store, record: ClaimRecord) -> None:
    """A claim found by a filter comes back with its whole chain and article."""
    [(article, claim)] = filled.claims(source="ukrainian")
    assert article == record.article
    assert claim == record.claims[0]


def _dated(text: str, published: str | None) -> ClaimRecord:
    from dataclasses import replace

    record = simple_record(text, "AP")
    return replace(record, article=replace(record.article, published=published))


@pytest.fixture
def dated(store: Store) -> Store:
    store.save(build_record())  # 2025-01-31: probable casualties, a negative claim, …
    store.save(_dated("Talks resumed in Geneva.", "2024-11-20"))
    store.save(_dated("The port reopened.", "2025-02-03"))
    store.save(_dated("A ceasefire held.", None))
    return store


def test_store_claims_by_certainty_polarity_and_event(dated: Store) -> None:
    assert contents(dated.claims(certainty="probable")) == ["about 300 soldiers were killed in November"]
    assert contents(dated.claims(polarity="negative")) == ["soldiers were killed"]
    assert contents(dated.claims(event="casualties")) == ["about 300 soldiers were killed in November"]
    with pytest.raises(ValueError, match="certainty"):
        dated.claims(certainty="sure")
    with pytest.raises(ValueError, match="polarity"):
        dated.claims(polarity="neutral")


def test_store_claims_by_publication_dates_inclusive(dated: Store) -> None:
    assert contents(dated.claims(since="2025-02")) == ["The port reopened."]
    assert contents(dated.claims(until="2024-11")) == ["Talks resumed in Geneva."]  # all of November
    january = dated.claims(since="2025-01-31", until="2025-01-31")
    assert len(january) == 4 and {a.published for a, _ in january} == {"2025-01-31"}
    assert "A ceasefire held." not in contents(dated.claims(since="1900"))  # no date: left out


def test_store_claims_ordered_and_paged(dated: Store) -> None:
    newest = [a.published for a, _ in dated.claims(order="-published")]
    assert newest[0] == "2025-02-03" and newest[-1] is None  # undated last either way
    oldest = [a.published for a, _ in dated.claims(order="published")]
    assert oldest[0] == "2024-11-20" and oldest[-1] is None
    everything = contents(dated.claims())
    pages = [contents(dated.claims(limit=3, offset=k)) for k in range(0, len(everything), 3)]
    assert [c for page in pages for c in page] == everything
    with pytest.raises(ValueError, match="order"):
        dated.claims(order="random")
    with pytest.raises(ValueError, match="offset"):
        dated.claims(offset=-1)


def test_store_articles_newest_stored_first_with_claim_counts(dated: Store) -> None:
    listed = dated.articles(limit=10)
    assert [n for _, n in listed] == [1, 1, 1, 4]
    assert listed[-1][0].title == "North Korean soldiers were withdrawn"
    assert [a.id for a, _ in dated.articles(limit=2, offset=2)] == [a.id for a, _ in listed[2:4]]
    with pytest.raises(ValueError):
        dated.articles(limit=0)
