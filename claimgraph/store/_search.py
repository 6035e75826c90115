"""Full-text search over claims and articles with the database's own index.

SQLite: the FTS5 tables ``claims_fts`` and ``articles_fts`` of migration 0005, ranked by
bm25. PostgreSQL: the ``search_vector`` columns (GIN indexed), ranked by ``ts_rank``; where
more than ``RANKED`` claims (or articles) match, the first ``RANKED`` the index gives are
ranked, so that a common word costs what a rare one does.

The text a user types is never FTS syntax: its words are taken out (letters and digits)
and each is quoted, so that ``NEAR``, ``OR``, ``*``, ``:``, ``"`` or ``(`` match as words
or not at all, and every word must be there (AND). PostgreSQL reads the same words with
``plainto_tsquery``, which takes no operators either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, text

from claimgraph.model import Article, Claim

#: most hits one call returns, and how deep paging may go
MAX_LIMIT = 500
MAX_OFFSET = 10_000
#: most characters and words of a query
MAX_QUERY_CHARS = 1_000
MAX_TERMS = 32

#: PostgreSQL ranks at most this many matches of a table (those the index gives first): a
#: word in most claims would otherwise mean reading and ranking all of them
RANKED = 2_000

_WORD = re.compile(r"\w+", re.UNICODE)

#: weights of title and text in an article's rank (SQLite bm25; PostgreSQL setweight A and B)
_ARTICLE_WEIGHTS = (4.0, 1.0)


@dataclass(frozen=True)
class SearchHit:
    """A claim (with its article) or an article that matches a search, with its rank.

    kind: "claim" or "article". score: higher is better (bm25 negated on SQLite,
    ts_rank on PostgreSQL): it orders the hits of one search, nothing more.
    """

    kind: Literal["claim", "article"]
    score: float
    article: Article
    claim: Claim | None = None

    def to_json(self) -> dict[str, Any]:
        art = self.article
        out: dict[str, Any] = {
            "kind": self.kind,
            "score": self.score,
            "article": {
                "id": art.id,
                "title": art.title,
                "outlet": art.outlet,
                "published": art.published,
                "url": art.url,
            },
        }
        if self.claim is not None:
            out["claim"] = self.claim.to_json()
        return out


def terms(query: str) -> list[str]:
    """The words of a user's query, checked: what both backends search for.

    RAISES ValueError: for a query that is not text, is too long, or has no word in it.
    """
    if not isinstance(query, str):
        raise ValueError(f"a search query is text, not {type(query).__name__}")
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"the search query is {len(query)} characters long; at most {MAX_QUERY_CHARS}")
    words = _WORD.findall(query.replace("_", " "))
    if not words:
        raise ValueError("the search query is empty: give at least one word (letters or digits)")
    if len(words) > MAX_TERMS:
        raise ValueError(f"the search query has {len(words)} words; at most {MAX_TERMS}")
    return words


def check_page(limit: int, offset: int) -> None:
    for name, value, top in (("limit", limit, MAX_LIMIT), ("offset", offset, MAX_OFFSET)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        if value < (1 if name == "limit" else 0) or value > top:
            low = 1 if name == "limit" else 0
            raise ValueError(f"{name} must be between {low} and {top}, not {value}")


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, each a quoted string (no operator survives)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def claim_ids(conn: Connection, words: list[str], n: int) -> list[tuple[int, float]]:
    """(claims.id, score) of the best ``n`` claims, best first."""
    if conn.dialect.name == "postgresql":
        sql = text(
            "SELECT m.id, ts_rank(m.search_vector, q) AS score "
            "FROM (SELECT c.id, c.search_vector FROM claims AS c, plainto_tsquery('english', :q) AS q "
            "WHERE c.search_vector @@ q LIMIT :ranked) AS m, plainto_tsquery('english', :q) AS q "
            "ORDER BY score DESC, m.id LIMIT :n"
        )
        rows = conn.execute(sql, {"q": " ".join(words), "n": n, "ranked": max(RANKED, n)})
    else:
        sql = text(
            "SELECT rowid, -bm25(claims_fts) AS score FROM claims_fts "
            "WHERE claims_fts MATCH :q ORDER BY bm25(claims_fts), rowid LIMIT :n"
        )
        rows = conn.execute(sql, {"q": fts5_query(words), "n": n})
    return [(int(r[0]), float(r[1])) for r in rows]


def article_ids(conn: Connection, words: list[str], n: int) -> list[tuple[str, float]]:
    """(articles.id, score) of the best ``n`` articles (title or text), best first."""
    if conn.dialect.name == "postgresql":
        title, body = _ARTICLE_WEIGHTS
        # ts_rank's weights are {D, C, B, A}: the title is A, the text B
        weights = f"'{{0.1, 0.2, {body / title}, 1.0}}'::float4[]"
        sql = text(
            f"SELECT m.id, ts_rank({weights}, m.search_vector, q) AS score "
            "FROM (SELECT a.id, a.search_vector FROM articles AS a, plainto_tsquery('english', :q) AS q "
            "WHERE a.search_vector @@ q LIMIT :ranked) AS m, plainto_tsquery('english', :q) AS q "
            "ORDER BY score DESC, m.id LIMIT :n"
        )
        rows = conn.execute(sql, {"q": " ".join(words), "n": n, "ranked": max(RANKED, n)})
    else:
        title, body = _ARTICLE_WEIGHTS
        sql = text(
            f"SELECT k.article_id, -bm25(articles_fts, {title}, {body}) AS score "
            "FROM articles_fts JOIN articles_fts_keys AS k ON k.fts_rowid = articles_fts.rowid "
            f"WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts, {title}, {body}), k.article_id LIMIT :n"
        )
        rows = conn.execute(sql, {"q": fts5_query(words), "n": n})
    return [(str(r[0]), float(r[1])) for r in rows]
