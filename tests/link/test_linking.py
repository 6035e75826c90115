"""Linking across articles on the founding example and its two companions: order, repeats, deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.config import Settings
from claimgraph.query import cluster_reports, contradiction_list
from claimgraph.run import Linker, ingest
from claimgraph.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = [
    EXAMPLES / "nk-troops-withdrawn.txt",
    EXAMPLES / "nk-troops-echo.txt",
    EXAMPLES / "nk-troops-12000.txt",
]


def _clusters(store: Store) -> set[frozenset[str]]:
    """Clusters as sets of claim uids (names aside)."""
    out = set()
    for pks in store.cluster_members().values():
        uids = {c.id for _, c, _ in store.link_claims(pks).values()}
        out.add(frozenset(uids))
    return out


def _contradictions(store: Store) -> set[tuple[frozenset[str], str]]:
    return {(frozenset((r["a"]["claim"], r["b"]["claim"])), r["kind"]) for r in contradiction_list(store)}


@pytest.fixture(scope="module")
def linker_encode():  # type: ignore[no-untyped-def]
    from claimgraph.link.embed import Encoder

    return Encoder.load().encode


def _store(tmp: Path, name: str, files: list[Path], extractor, encode) -> Store:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite:///{tmp / name}")
    for f in files:  # one article at a time, as they would arrive
        ingest([f], Settings(), store, extractor=extractor, linker=Linker(store, encode))
    return store


@pytest.mark.parametrize("order", [[2, 1, 0], [1, 0, 2]])
def test_linking_does_not_depend_on_arrival_order(
    tmp_path: Path, extractor, linker_encode, order: list[int]
) -> None:  # type: ignore[no-untyped-def]
    first = _store(tmp_path, "a.db", FILES, extractor, linker_encode)
    other = _store(tmp_path, "b.db", [FILES[i] for i in order], extractor, linker_encode)
    assert _clusters(first) == _clusters(other)
    assert _contradictions(first) == _contradictions(other)


def test_linking_reports_the_12000_troops_against_about_11000(  # type: ignore[no-untyped-def]
    tmp_path: Path, extractor, linker_encode
) -> None:
    store = _store(tmp_path, "c.db", FILES, extractor, linker_encode)
    found = contradiction_list(store)
    pairs = [r for r in found if "11,000" in r["reason"] and "12,000" in r["reason"]]
    assert pairs, found
    assert pairs[0]["kind"] == "tension"
    texts = {pairs[0]["a"]["text"], pairs[0]["b"]["text"]}
    assert any("about 11,000 North Korean military personnel" in t for t in texts)


def test_linking_twice_and_deleting(tmp_path: Path, extractor, linker_encode) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path, "d.db", FILES, extractor, linker_encode)
    before = _clusters(store)
    # the same article again changes nothing
    report = ingest([FILES[1]], Settings(), store, extractor=extractor, linker=Linker(store, linker_encode))
    assert (report.stored, report.already) == (0, 1)
    assert _clusters(store) == before
    # deleting an article takes its claims out of clusters; what depended on them is recomputed
    echo = next(r.article.id for r in store.records() if "echo" in (r.article.source or ""))
    gone = {uid for _, uid in store.article_claim_pks(echo)}
    assert Linker(store, linker_encode).delete_article(echo)
    after = _clusters(store)
    assert all(not (cluster & gone) for cluster in after)
    assert all(len(c) >= 1 for c in after)


def test_linking_keeps_its_candidate_index_beside_the_store(  # type: ignore[no-untyped-def]
    tmp_path: Path, extractor, linker_encode
) -> None:
    """The index is saved beside the store after an ingest and loaded by the next process; one
    that no longer matches the store (an article deleted by another process) is built again."""
    store = _store(tmp_path, "g.db", FILES, extractor, linker_encode)
    saved = tmp_path / "g.db-index"
    assert saved.exists() and (tmp_path / "g.db-index.json").exists()
    linked = sum(len(pks) for pks in store.cluster_members().values())
    fresh = Linker(store, linker_encode)
    assert len(fresh._index()) == linked
    before = saved.read_bytes()
    echo = next(r.article.id for r in store.records() if "echo" in (r.article.source or ""))
    gone = [pk for pk, _ in store.article_claim_pks(echo)]
    # another process deletes an article but cannot save its index (say, it was killed)
    store.delete_article(echo)
    assert saved.read_bytes() == before
    again = Linker(store, linker_encode)._index()
    assert len(again) == linked - len(gone)
    assert all(not again.contains(pk) for pk in gone)


def test_linking_cluster_report_names_origins_and_relays(tmp_path: Path, extractor, linker_encode) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path, "e.db", FILES, extractor, linker_encode)
    reports = list(cluster_reports(store, min_size=2))
    assert reports
    for rep in reports:
        data = rep.to_json()
        assert data["independent_origins"] == len(data["origins"]) >= 1
        for claim in data["claims"]:
            assert claim["article"]["id"].startswith("sha256:")


def test_linking_the_founding_example_one_claim_two_origins(  # type: ignore[no-untyped-def]
    tmp_path: Path, extractor, linker_encode
) -> None:
    """The NYT's claim and the echo's are one claim with the SOF's: two independent origins (US
    officials via the NYT; the SOF), and nothing about arrivals, numbers or losses with them."""
    store = _store(tmp_path, "f.db", FILES, extractor, linker_encode)
    withdrawal = None
    for rep in cluster_reports(store):
        texts = " | ".join(m.claim.content.text for m in rep.members)
        if "not been seen" in texts and "pulled from the front line" in texts:
            withdrawal = rep
    assert withdrawal is not None, [[m.claim.content.text for m in r.members] for r in cluster_reports(store)]
    texts = [m.claim.content.text for m in withdrawal.members]
    assert any("no presence of North Korean troops" in t for t in texts), texts
    for word in ("11,000", "12,000", "arrival", "losses", "casualties", "halved"):
        assert not any(word in t for t in texts), (word, texts)
    keys = {n.key for n in withdrawal.origins}
    assert withdrawal.independent_origins == 2, keys
    assert "media/the-new-york-times" in keys, keys
