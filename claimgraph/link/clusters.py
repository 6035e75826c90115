"""Claims that assert the same proposition, across articles: links, clusters and what they report.

Linking is a pure function of a pair of claims: the cosine of their sentence
embeddings, raised by the canonical entities they share and lowered by event
types that differ. Two claims are linked when the score passes a threshold
(tuned on the first half of the PolNeAR cluster gold set, checked on the second).
A cluster is a connected component of links, named by its smallest claim id.
Because every decision is about one pair, and the candidate search is
symmetric (``index.CandidateIndex``), the clusters do not depend on the order in
which articles arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from claimgraph.link.contradictions import Contradiction, compare_numbers, compare_same_claim
from claimgraph.link.origins import Node, is_circular, origins, relays
from claimgraph.model import Article, Claim

#: score at or above which two claims of different articles are one claim (tuned on split a
#: of the PolNeAR cluster gold: the best F1 there; see the issue notes for the figures)
THRESHOLD = 0.75
#: two claims of one article are one claim only when one restates the other
SAME_ARTICLE_THRESHOLD = 0.95
ENTITY_WEIGHT = 0.0
LEXICAL_WEIGHT = 0.5
EVENT_PENALTY = 0.08
SAME_ARTICLE_PENALTY = 0.0
GENERIC_EVENTS = {"other", "statement"}
#: content words a claim needs before it is matched with others
MIN_WORDS = 3
STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as that this these those is are was were be been "
    "has have had it its their his her they he she we you i not no said says say will would could may "
    "about after before over into than then there which who whom what when where while also more most".split()
)


#: the largest word overlap (Jaccard) a candidate search allows for: two wordings of one claim
#: share far less (0.11 on average in the PolNeAR gold), and higher overlap means a high cosine
LEXICAL_CAP = 0.4


def cosine_floor() -> float:
    """The cosine below which no bonus can lift a pair to the threshold: candidates start there.

    On the PolNeAR gold, starting at 0.35 instead links exactly the same pairs.
    """
    return THRESHOLD - ENTITY_WEIGHT - LEXICAL_WEIGHT * LEXICAL_CAP


def content_words(text: str) -> frozenset[str]:
    """The content words of a text, lowercased: what two wordings of one claim share."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOPWORDS)


@dataclass(frozen=True)
class LinkClaim:
    """What linking needs of a claim: the claim, its article and its embedding."""

    claim: Claim
    article: Article
    vector: np.ndarray

    @property
    def id(self) -> str:
        return self.claim.id

    @cached_property
    def entities_(self) -> frozenset[str]:
        return frozenset(e.entity for e in self.claim.entities if e.entity)

    @cached_property
    def words_(self) -> frozenset[str]:
        return content_words(self.claim.content.text)

    def entity_ids(self) -> frozenset[str]:
        return self.entities_

    def words(self) -> frozenset[str]:
        return self.words_


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    score: float


def score(a: LinkClaim, b: LinkClaim) -> float:
    """How surely two claims assert the same proposition (about 0 to 1.2)."""
    cos = float(np.dot(a.vector, b.vector))
    ea, eb = a.entity_ids(), b.entity_ids()
    overlap = len(ea & eb) / len(ea | eb) if ea and eb else 0.0
    s = cos + ENTITY_WEIGHT * overlap
    if ea and eb and not (ea & eb):
        s -= ENTITY_WEIGHT
    if LEXICAL_WEIGHT:
        wa, wb = a.words(), b.words()
        s += LEXICAL_WEIGHT * (len(wa & wb) / len(wa | wb) if wa and wb else 0.0)
    if SAME_ARTICLE_PENALTY and a.article.id == b.article.id:
        s -= SAME_ARTICLE_PENALTY
    ev_a, ev_b = a.claim.event, b.claim.event
    if ev_a and ev_b and ev_a != ev_b and ev_a not in GENERIC_EVENTS and ev_b not in GENERIC_EVENTS:
        s -= EVENT_PENALTY
    return s


def links(candidates: Iterable[tuple[LinkClaim, LinkClaim]]) -> list[Link]:
    """The links among candidate pairs.

    Across articles, two claims link when their score passes the threshold and each is
    the other's best match in the other's article: an article that restates a claim
    links it once, which keeps one topic from chaining into one cluster. Inside one
    article only near-restatements link (a headline and the sentence it sums up). Each
    decision depends on the two articles alone, never on what else is stored.
    """
    scored: list[tuple[LinkClaim, LinkClaim, float]] = []
    best: dict[tuple[str, str], float] = {}
    for a, b in candidates:
        if a.id == b.id or len(a.words()) < MIN_WORDS or len(b.words()) < MIN_WORDS:
            continue  # "The deal" asserts too little to be matched with anything
        s = score(a, b)
        scored.append((a, b, s))
        if a.article.id != b.article.id:
            for one, other in ((a, b), (b, a)):
                key = (one.id, other.article.id)
                best[key] = max(best.get(key, -9.0), s)
    out: dict[tuple[str, str], Link] = {}
    for a, b, s in scored:
        if a.article.id == b.article.id:
            keep = s >= SAME_ARTICLE_THRESHOLD
        else:
            keep = s >= THRESHOLD and s >= best[(a.id, b.article.id)] and s >= best[(b.id, a.article.id)]
        if keep:
            x, y = sorted((a.id, b.id))
            out[(x, y)] = Link(x, y, round(s, 4))
    return list(out.values())


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller id is the root, so a component's name is its smallest member
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def components(members: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Connected components, each named by its smallest member."""
    uf = UnionFind()
    for m in members:
        uf.find(m)
    for a, b in edges:
        uf.union(a, b)
    groups: dict[str, list[str]] = {}
    for m in uf.parent:
        groups.setdefault(uf.find(m), []).append(m)
    return {k: sorted(v) for k, v in groups.items()}


@dataclass
class ClusterReport:
    """A cluster as an analyst reads it: members, independent origins, relay tree, contradictions."""

    id: str
    members: list[LinkClaim]
    origins: list[Node] = field(default_factory=list)
    relays: list[tuple[Node, Node]] = field(default_factory=list)
    circular: list[str] = field(default_factory=list)
    contradictions: list[tuple[str, str, Contradiction]] = field(default_factory=list)

    @property
    def independent_origins(self) -> int:
        return len(self.origins)

    def to_json(self) -> dict[str, Any]:
        claims = []
        for m in self.members:
            art = m.article
            claims.append(
                {
                    **m.claim.to_json(),
                    "article": {
                        "id": art.id,
                        "url": art.url,
                        "title": art.title,
                        "outlet": art.outlet,
                        "published": art.published,
                        "source": art.source,
                    },
                    "origins": [n.key for n in origins(art, m.claim)],
                }
            )
        return {
            "id": self.id,
            "size": len(self.members),
            "claims": claims,
            "origins": [{"id": n.key, "name": n.label} for n in self.origins],
            "independent_origins": self.independent_origins,
            "relays": [
                {"from": a.key, "from_name": a.label, "to": b.key, "to_name": b.label} for a, b in self.relays
            ],
            "circular": self.circular,
            "contradictions": [{"a": a, "b": b, **c.to_json()} for a, b, c in self.contradictions],
        }


def report(cluster_id: str, members: Sequence[LinkClaim]) -> ClusterReport:
    """What a cluster says: its independent origins, relay tree, circular reporting, contradictions."""
    rep = ClusterReport(cluster_id, sorted(members, key=lambda m: (m.article.published or "", m.id)))
    seen: dict[str, Node] = {}
    edges: dict[tuple[str, str], tuple[Node, Node]] = {}
    for m in rep.members:
        for node in origins(m.article, m.claim):
            seen.setdefault(node.key, node)
        for a, b in relays(m.article, m.claim):
            edges.setdefault((a.key, b.key), (a, b))
        if is_circular(m.article, m.claim):
            rep.circular.append(f"{m.id}: a party cites itself along the chain")
    rep.origins = sorted(seen.values(), key=lambda n: n.key)
    rep.relays = list(edges.values())
    # A cites B and B cites A: circular reporting across the cluster
    for (ka, kb), (na, nb) in edges.items():
        if (kb, ka) in edges and ka < kb:
            rep.circular.append(f"{na.label} and {nb.label} cite each other")
    if len({m.article.id for m in rep.members}) > 1 and len(rep.origins) == 1 and len(edges) > 0:
        outlets = {m.article.outlet_entity or m.article.outlet or m.article.id for m in rep.members}
        if len(outlets) > 1:
            rep.circular.append(
                f"{len(outlets)} outlets, one origin ({rep.origins[0].label}): repetition, not confirmation"
            )
    for i, x in enumerate(rep.members):
        for y in rep.members[i + 1 :]:
            sim = float(np.dot(x.vector, y.vector))
            for c in compare_same_claim(x.claim, y.claim, sim) + compare_numbers(x.claim, y.claim):
                rep.contradictions.append((x.id, y.id, c))
    return rep
