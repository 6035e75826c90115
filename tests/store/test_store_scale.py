"""Stores at scale: one statement a table per article, save_many, full-text search, the
migration that adds the search indexes, and both plans of ``claims(source=…)``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from alembic import command
from sqlalchemy import event, inspect, text
from store_helpers import build_record, simple_record, table_counts

from claimgraph.model import Article, Claim, ClaimRecord, Span
from claimgraph.store import Store
from claimgraph.store._migrate import alembic_config
from claimgraph.store._store import SaveItem
from claimgraph.store.schema import SEARCH_INDEXES


def _statements(store: Store) -> tuple[list[str], Any]:
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", before)
    return seen, before


def test_store_save_writes_each_table_in_one_statement(store: Store, record: ClaimRecord) -> None:
    many = replace(record, claims=record.claims * 30)  # 120 claims, same rows repeated
    seen, hook = _statements(store)
    try:
        assert store.save(many)
    finally:
        event.remove(store.engine, "before_cursor_execute", hook)
    inserts = [s.split()[2] for s in seen if s.startswith("INSERT INTO")]
    assert sorted(inserts) == sorted(["articles", "claims", "hops", "sources", "spans", "mentions"])


def _bad_vectors(record: ClaimRecord) -> SaveItem:
    # one vector short: fails after the article, claims, chains, spans and mentions are written
    return SaveItem(record, vectors=np.ones((len(record.claims) - 1, 384), dtype=np.float32))


def _bad_certainty(record: ClaimRecord) -> ClaimRecord:
    claims = (*record.claims[:-1], replace(record.claims[-1], certainty="sure"))
    return ClaimRecord(record.article, claims)


@pytest.mark.parametrize("failing", [_bad_vectors, _bad_certainty], ids=["python", "database"])
def test_store_save_many_rolls_back_a_failing_article_alone(store: Store, failing: Any) -> None:
    first = simple_record("The first article says one thing.", outlet="Reuters", sources=("officials",))
    bad = build_record()
    last = simple_record("The last article says another thing.", outlet="AP")
    results = store.save_many([first, failing(bad), SaveItem(last)])
    assert [r.article_id for r in results] == [first.article.id, bad.article.id, last.article.id]
    assert [r.saved for r in results] == [True, False, True]
    assert results[0].ok and results[2].ok and not results[1].ok
    assert results[1].error
    assert not store.has_article(bad.article.id)
    assert store.get_record(first.article.id) == first
    assert store.get_record(last.article.id) == last
    counts = table_counts(store)
    assert counts["articles"] == 2 and counts["claims"] == 2
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mentions")).scalar_one() == 0
    # the failed one saves on its own afterwards
    assert store.save(bad)


def test_store_save_many_reports_articles_stored_already(store: Store, record: ClaimRecord) -> None:
    assert store.save(record)
    results = store.save_many([record, SaveItem(record, replace=True)])
    assert [(r.saved, r.error) for r in results] == [(False, None), (True, None)]
    assert store.count_articles() == 1
    assert store.get_record(record.article.id) == record


def _article(text_: str, title: str, outlet: str = "Reuters") -> ClaimRecord:
    article = Article(text=text_, outlet=outlet, title=title)
    claims = []
    for sentence in text_.split(". "):
        start = text_.index(sentence)
        claims.append(
            Claim(
                content=Span(sentence, ((start, start + len(sentence)),)),
                sentence=(start, start + len(sentence)),
            )
        )
    return ClaimRecord(article, tuple(claims))


def _search_store(store: Store) -> tuple[ClaimRecord, ClaimRecord]:
    a = _article("Troops withdrew from Kursk. The weather was cold", "Soldiers leave the front")
    b = _article("Parliament voted on the budget. Troops were not mentioned", "Budget vote")
    assert store.save(a) and store.save(b)
    return a, b


def test_store_search_finds_claims_and_articles_best_first(store: Store) -> None:
    a, b = _search_store(store)
    hits = store.search("troop")  # stemmed: "troops"
    claims = [h for h in hits if h.kind == "claim"]
    articles = [h for h in hits if h.kind == "article"]
    assert {h.claim.content.text for h in claims if h.claim} == {
        "Troops withdrew from Kursk",
        "Troops were not mentioned",
    }
    assert {h.article.id for h in articles} == {a.article.id, b.article.id}
    assert all(h.article.id in (a.article.id, b.article.id) for h in claims)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # every word must be there
    both = store.search("troops Kursk")
    assert {h.claim.content.text for h in both if h.claim} == {"Troops withdrew from Kursk"}
    assert {h.article.id for h in both if h.kind == "article"} == {a.article.id}
    # a title word finds its article
    assert [h.article.id for h in store.search("soldiers") if h.kind == "article"] == [a.article.id]
    assert store.search("nothing-like-this-anywhere") == []
    assert store.search("troops")[0].to_json()["kind"] in ("claim", "article")


def test_store_search_pages(store: Store) -> None:
    _search_store(store)
    everything = store.search("troops", limit=10)
    assert len(everything) == 4
    assert store.search("troops", limit=2) == everything[:2]
    assert store.search("troops", limit=2, offset=2) == everything[2:]
    assert store.search("troops", limit=2, offset=10) == []


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "!!! ??? ---", '""'])
def test_store_search_refuses_an_empty_query(store: Store, query: str) -> None:
    with pytest.raises(ValueError, match="search query is empty"):
        store.search(query)


@pytest.mark.parametrize(
    "limit,offset", [(0, 0), (-1, 0), (501, 0), (10, -1), (10, 10_001), (1.5, 0), (True, 0)]
)
def test_store_search_enforces_its_limits(store: Store, limit: Any, offset: Any) -> None:
    with pytest.raises(ValueError, match="limit|offset"):
        store.search("troops", limit=limit, offset=offset)


def test_store_search_refuses_a_query_too_long(store: Store) -> None:
    with pytest.raises(ValueError, match="at most"):
        store.search("troops " * 200)
    with pytest.raises(ValueError, match="words"):
        store.search(" ".join(["troops"] * 40))


@pytest.mark.parametrize(
    "query",
    [
        'troops"', '"troops', "troops OR budget", "troops AND NOT kursk", "NEAR(troops kursk)",
        "troops*", "content:troops", "title:soldiers", "^troops", "troops -kursk", "(troops",
        "troops & budget | x", "troops:*", "'; DROP TABLE claims; --", "troops\x00", "tr\\oops",
    ],
)  # fmt: skip
def test_store_search_reads_no_syntax_from_the_query(store: Store, query: str) -> None:
    _search_store(store)
    hits = store.search(query)  # never an error; words only, all of them required
    for hit in hits:
        words = (hit.claim.content.text if hit.claim else f"{hit.article.title} {hit.article.text}").lower()
        assert "troop" in words
    assert store.count_claims() == 4


def test_store_search_follows_deletes_and_replaces(store: Store) -> None:
    a, _ = _search_store(store)
    assert store.delete_article(a.article.id)
    assert {h.claim.content.text for h in store.search("troops") if h.claim} == {"Troops were not mentioned"}
    assert [h for h in store.search("kursk")] == []
    assert store.save(a)
    store.save(a, replace=True)
    assert len([h for h in store.search("kursk") if h.kind == "claim"]) == 1
    assert len([h for h in store.search("kursk") if h.kind == "article"]) == 1


def test_store_upgrade_to_0005_indexes_a_populated_store(store_url: str) -> None:
    """Claims and articles stored before 0005 are found by search after the upgrade; a
    downgrade takes the search objects away and an upgrade brings them back."""
    cfg = alembic_config(url=store_url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "0004")
    with Store(store_url, migrate=False) as old:
        with old.engine.begin() as conn:
            names = set(inspect(conn).get_table_names())
            assert not {"claims_fts", "articles_fts", "articles_fts_keys"} & names
        a, _ = _search_store(old)
    command.upgrade(cfg, "head")
    with Store(store_url) as store:
        assert {h.claim.content.text for h in store.search("kursk") if h.claim} == {
            "Troops withdrew from Kursk"
        }
        assert [h.article.id for h in store.search("kursk") if h.kind == "article"] == [a.article.id]
        # and the triggers keep it in step from then on
        c = _article("Kursk was quiet on Friday", "Quiet")
        assert store.save(c)
        assert len(store.search("kursk")) == 4
    command.downgrade(cfg, "0004")
    command.upgrade(cfg, "head")
    with Store(store_url) as store:
        assert len(store.search("kursk")) == 4


def test_store_has_the_search_indexes(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
            assert {"claims_fts", "articles_fts", "articles_fts_keys", "articles_fts_content"} <= names
            assert {
                f"{t}_fts_{op}" for t in ("claims", "articles") for op in ("insert", "delete", "update")
            } <= names
            return
        present = set(
            conn.execute(
                text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            ).scalars()
        )
        trigram = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    wanted = set(SEARCH_INDEXES) if trigram else {"ix_claims_search_vector", "ix_articles_search_vector"}
    assert wanted <= present


def test_store_claims_by_source_the_same_by_either_plan(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """claims(source=…) walks the claims in order or sorts the keys indexes give: the same claims."""
    record = build_record()
    others = [
        simple_record("Officials said nothing.", outlet="Reuters", sources=("officials",)),
        simple_record("Reuters says the region is quiet.", outlet="Reuters"),
        simple_record("Kyiv officials said more.", outlet="AP", sources=("Kyiv officials",)),
    ]
    assert all(r.ok for r in store.save_many([record, *others]))
    queries = ["officials", "Reuters", "new york", "kyiv", "pyongyang", "nobody at all", "north korea"]
    for query in queries:
        for about in (None, "Kursk"):
            monkeypatch.setattr(Store, "_few", lambda self, conn, keys: True)
            by_keys = store.claims(source=query, about=about)
            limited = store.claims(source=query, about=about, limit=1)
            monkeypatch.setattr(Store, "_few", lambda self, conn, keys: False)
            walked = store.claims(source=query, about=about)
            assert by_keys == walked, query
            assert limited == walked[:1]
            monkeypatch.undo()
            assert store.claims(source=query, about=about) == walked
