"""Saving and reading claim records: lossless, idempotent, all or nothing."""

from __future__ import annotations

import dataclasses

import pytest
from store_helpers import build_record, simple_record, table_counts

from claimgraph.errors import StoreError
from claimgraph.model import Claim, ClaimRecord, Quantity, Span
from claimgraph.store import Store, _store


def test_store_round_trip_is_lossless(store: Store, record: ClaimRecord) -> None:
    assert store.save(record) is True
    got = store.get_record(record.article.id)
    assert got == record
    assert got is not None
    assert got.to_json() == record.to_json()
    assert got.dumps() == record.dumps()
    assert ClaimRecord.from_json(got.to_json()) == record
    assert [Claim.from_json(c.to_json()) for c in got.claims] == list(record.claims)


def test_store_writes_one_row_per_part(store: Store, record: ClaimRecord) -> None:
    store.save(record)
    hops = [h for c in record.claims for h in c.chain]
    sources = [s for h in hops for s in h.sources]
    spans = (
        sum(len(c.content.offsets) for c in record.claims)
        + sum(len(h.cue.offsets) for h in hops if h.cue)
        + sum(len(s.offsets) for s in sources)
    )
    assert table_counts(store) == {
        "articles": 1,
        "claims": len(record.claims),
        "hops": len(hops),
        "sources": len(sources),
        "spans": spans,
    }


@pytest.mark.parametrize(
    "change",
    [
        {"claims": ()},
        {"article": dataclasses.replace(build_record().article, outlet=None, title=None, title_span=None)},
        {"article": dataclasses.replace(build_record().article, text="Ünïcödé 🙂 text\r\nwith\ttabs")},
    ],
    ids=["no-claims", "bare-article", "unicode"],
)
def test_store_round_trip_unusual_records(store: Store, change: dict[str, object]) -> None:
    record = dataclasses.replace(build_record(), **change)  # type: ignore[arg-type]
    assert store.save(record)
    assert store.get_record(record.article.id) == record


def test_store_get_record_of_unknown_article_is_none(store: Store) -> None:
    assert store.get_record("sha256:nothing") is None
    assert store.has_article("sha256:nothing") is False


def test_store_save_is_idempotent(store: Store, record: ClaimRecord) -> None:
    assert store.save(record) is True
    counts = table_counts(store)
    assert store.save(record) is False
    # the same article with other claims is the same article: the first one stays
    assert store.save(dataclasses.replace(record, claims=record.claims[:1])) is False
    assert table_counts(store) == counts
    assert store.get_record(record.article.id) == record
    assert store.count_articles() == 1
    assert store.count_claims() == len(record.claims)


def test_store_save_replace(store: Store, record: ClaimRecord) -> None:
    store.save(record)
    shorter = dataclasses.replace(record, claims=record.claims[1:2])
    assert store.save(shorter, replace=True) is True
    assert store.get_record(record.article.id) == shorter
    assert table_counts(store)["claims"] == 1
    assert store.save(record, replace=True) is True
    assert store.get_record(record.article.id) == record


@pytest.mark.parametrize("step", ["_insert_claims", "_insert_chains", "_insert_spans"])
def test_store_failure_mid_save_leaves_nothing(
    store: Store, record: ClaimRecord, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    original = getattr(_store, step)

    def crash(*args: object, **kwargs: object) -> object:
        original(*args, **kwargs)  # the rows are written in the transaction, then:
        raise RuntimeError("crash")

    monkeypatch.setattr(_store, step, crash)
    with pytest.raises(RuntimeError, match="crash"):
        store.save(record)
    assert store.has_article(record.article.id) is False
    assert set(table_counts(store).values()) == {0}
    monkeypatch.undo()
    assert store.save(record) is True
    assert store.get_record(record.article.id) == record


def test_store_database_error_is_store_error_and_rolls_back(store: Store, record: ClaimRecord) -> None:
    bad = dataclasses.replace(record.claims[0], certainty="sure")  # the CHECK constraint refuses it
    broken = dataclasses.replace(record, claims=(record.claims[1], bad))
    with pytest.raises(StoreError, match=f"could not save article {record.article.id}"):
        store.save(broken)
    assert set(table_counts(store).values()) == {0}


def test_store_delete_article_cascades(store: Store, record: ClaimRecord) -> None:
    other = simple_record("Officials said so.", "AP", ("Officials",))
    store.save(record)
    store.save(other)
    assert store.delete_article(record.article.id) is True
    assert store.delete_article(record.article.id) is False
    assert store.has_article(record.article.id) is False
    assert table_counts(store) == {"articles": 1, "claims": 1, "hops": 1, "sources": 1, "spans": 3}
    assert store.get_record(other.article.id) == other


def test_store_records_in_saving_order(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_store, "_BATCH", 2)  # several batches
    saved = [simple_record(f"Claim number {i}.", "AP", ("Someone",) if i % 2 else ()) for i in range(5)]
    saved.append(build_record())
    for rec in saved:
        store.save(rec)
    assert list(store.records()) == saved
    assert store.count_articles() == 6
    assert store.count_claims() == 5 + len(saved[-1].claims)


def test_store_reads_in_chunks(store: Store, record: ClaimRecord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads bind ids a chunk at a time (old SQLite builds take 999 parameters at most)."""
    monkeypatch.setattr(_store, "_CHUNK", 2)
    other = simple_record("Officials said so.", "AP", ("Officials", "Others"))
    store.save(record)
    store.save(other)
    assert store.get_record(record.article.id) == record
    assert list(store.records()) == [record, other]
    assert [claim for _, claim in store.claims()] == [*record.claims, *other.claims]


def test_store_records_of_empty_store(store: Store) -> None:
    assert list(store.records()) == []
    assert (store.count_articles(), store.count_claims()) == (0, 0)


def test_store_is_a_context_manager(store_url: str, record: ClaimRecord) -> None:
    with Store(store_url) as store:
        store.save(record)
    with pytest.raises(StoreError, match="closed"):
        store.has_article(record.article.id)
    with Store(store_url) as again:  # what was saved is there on reopening
        assert again.get_record(record.article.id) == record


@pytest.mark.parametrize(
    "change,says",
    [
        ({"quantities": (Quantity("many", ((0, 4),), value=float("nan")),)}, "not JSON compliant"),
        ({"hedges": (Span("maybe", ()),)}, "a span must be"),
    ],
    ids=["nan-quantity", "hedge-without-offsets"],
)
def test_store_refuses_a_claim_its_json_cannot_hold(
    store: Store, record: ClaimRecord, change: dict[str, object], says: str
) -> None:
    broken = dataclasses.replace(record.claims[1], **change)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=f"could not save claim 1 \\({broken.id}\\) of article .*{says}"):
        store.save(dataclasses.replace(record, claims=(record.claims[0], broken)))
    assert set(table_counts(store).values()) == {0}
