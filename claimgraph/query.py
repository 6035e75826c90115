"""The read side: what the CLI, the REST API and the web pages ask of the store.

Claims (filtered, ordered, a page at a time), articles, clusters as an analyst reads
them (members, independent origins, relay tree, circular reporting, contradictions),
the contradiction list, identities, timelines and the numbers reported about an
identity over time, search, and the views the evaluations compare with gold.
Everything here reads; nothing links or writes. The CLI, the REST API and the pages
call these functions and nothing else, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimgraph.config import Settings
from claimgraph.link.linker import LinkClaim
from claimgraph.link.origins import Node, is_circular, origins, relays
from claimgraph.model import Article, Claim, ClaimRecord

#: the most claims, articles or clusters one page holds (a request for more gets this many)
MAX_PAGE = 500


@dataclass
class ClusterReport:
    """A cluster as an analyst reads it: members, independent origins, relay tree, contradictions."""

    id: str
    members: list[LinkClaim]
    origins: list[Node] = field(default_factory=list)
    relays: list[tuple[Node, Node]] = field(default_factory=list)
    circular: list[str] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def independent_origins(self) -> int:
        return len(self.origins)

    @property
    def articles(self) -> int:
        return len({m.article.id for m in self.members})

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
            "articles": self.articles,
            "claims": claims,
            "origins": [{"id": n.key, "name": n.label} for n in self.origins],
            "independent_origins": self.independent_origins,
            "relays": [
                {"from": a.key, "from_name": a.label, "to": b.key, "to_name": b.label} for a, b in self.relays
            ],
            "circular": self.circular,
            "links": self.links,
            "contradictions": self.contradictions,
        }


@dataclass(frozen=True)
class ClaimQuery:
    """Which claims to list: every filter is optional and they combine (AND).

    source: a source in any hop of the chain (any alias of an identity, or part of its
    text); about: an identity the content names (any alias), else part of the content;
    entity: an identity named anywhere (source or content); certainty, polarity, event:
    exact values; since, until: the article's publication date (``YYYY[-MM[-DD]]``,
    inclusive); text: part of the content. order: "stored", "published" or "-published".
    """

    source: str | None = None
    about: str | None = None
    entity: str | None = None
    certainty: str | None = None
    polarity: str | None = None
    event: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    order: str = "stored"
    limit: int = 50
    offset: int = 0


@dataclass
class ClaimPage:
    """A page of claims with their articles, in the query's order; ``more`` where a next page exists."""

    rows: list[tuple[Article, Claim]]
    query: ClaimQuery
    more: bool = False

    def records(self) -> list[ClaimRecord]:
        """The page as claim records: one per article, its claims of the page in order."""
        grouped: dict[str, tuple[Article, list[Claim]]] = {}
        for article, claim in self.rows:
            grouped.setdefault(article.id, (article, []))[1].append(claim)
        return [ClaimRecord(article, tuple(cs)) for article, cs in grouped.values()]

    def to_json(self) -> dict[str, Any]:
        q = self.query
        return {
            "records": [r.to_json() for r in self.records()],
            "count": len(self.rows),
            "limit": q.limit,
            "offset": q.offset,
            "next_offset": q.offset + len(self.rows) if self.more else None,
        }


def claims(store: Any, query: ClaimQuery | None = None) -> ClaimPage:
    """A page of stored claims that pass the query's filters.

    RAISES ValueError: a filter value out of range (an unknown certainty, a bad order…).
    """
    q = query or ClaimQuery()
    limit = max(1, min(q.limit, MAX_PAGE))
    rows = store.claims(
        source=q.source, contains=q.text, about=q.about, entity=q.entity, certainty=q.certainty,
        polarity=q.polarity, event=q.event, since=q.since, until=q.until, order=q.order,
        offset=q.offset, limit=limit + 1,
    )  # fmt: skip
    return ClaimPage(rows[:limit], q, more=len(rows) > limit)


def all_claims(store: Any, query: ClaimQuery) -> list[tuple[Article, Claim]]:
    """Every claim that passes the query's filters (no page): what the CLI prints."""
    return list(
        store.claims(
            source=query.source, contains=query.text, about=query.about, entity=query.entity,
            certainty=query.certainty, polarity=query.polarity, event=query.event, since=query.since,
            until=query.until, order=query.order, offset=query.offset,
            limit=None if query.limit <= 0 else query.limit,
        )
    )  # fmt: skip


def article_summary(article: Article) -> dict[str, Any]:
    """An article as lists show it: everything but its text."""
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "source": article.source,
    }


def articles(store: Any, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stored articles, newest stored first, each with its number of claims."""
    limit = max(1, min(limit, MAX_PAGE))
    return [{**article_summary(a), "claims": n} for a, n in store.articles(limit=limit, offset=offset)]


@dataclass
class ArticleView:
    """A stored article with its claims, and the cluster of each claim reported elsewhere too
    (claim id -> cluster id; a claim alone in its cluster is left out)."""

    record: ClaimRecord
    clusters: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.record.to_json(), "clusters": self.clusters}


def article(store: Any, article_id: str) -> ArticleView | None:
    """One stored article with its claims and their clusters; None if no article has that id."""
    record = store.get_record(article_id)
    if record is None:
        return None
    pks = dict(store.article_claim_pks(article_id))
    uid_of = {pk: uid for pk, uid in pks.items()}
    clusters: dict[str, str] = {}
    for pk, (name, size) in store.cluster_sizes_of(list(pks)).items():
        if size > 1 and pk in uid_of:
            clusters[uid_of[pk]] = name
    return ArticleView(record, clusters)


def report(store: Any, cluster_id: str, pks: Sequence[int]) -> ClusterReport:
    """What a cluster says: its independent origins, relay tree, circular reporting, the links
    that hold it together and the stored contradictions among its members."""
    loaded = store.link_claims(list(pks))
    members = [LinkClaim(c, a, v) for a, c, v in loaded.values()]
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
    if rep.articles > 1 and len(rep.origins) == 1:
        outlets = {m.article.outlet_entity or m.article.outlet or m.article.id for m in rep.members}
        if len(outlets) > 1:
            rep.circular.append(
                f"{len(outlets)} outlets, one origin ({rep.origins[0].label}): repetition, not confirmation"
            )
    uid = {pk: c.id for pk, (_, c, _) in loaded.items()}
    for a, b, score, reasons in store.links_among(list(pks)):
        rep.links.append({"a": uid[a], "b": uid[b], "score": score, "reasons": _reasons(reasons)})
    inside = set(pks)
    for row in store.contradictions(list(pks)):
        if row["a_id"] in inside and row["b_id"] in inside:
            rep.contradictions.append(
                {"a": uid[row["a_id"]], "b": uid[row["b_id"]], "kind": row["kind"], "reason": row["reason"]}
            )
    return rep


def _reasons(raw: str | None) -> list[str]:
    import json

    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return [raw]
    return [str(x) for x in value] if isinstance(value, list) else [str(value)]


@dataclass(frozen=True)
class ClusterSummary:
    """What orders and filters clusters, without the rest of a report: its claims' keys, how
    many claims, articles and independent origins."""

    id: str
    pks: tuple[int, ...]
    size: int
    articles: int
    independent_origins: int


def cluster_summaries(store: Any, min_size: int = 2, min_origins: int = 1) -> list[ClusterSummary]:
    """Every cluster with at least ``min_size`` claims and ``min_origins`` independent origins,
    in the order of ``cluster_reports``: its claims read in one pass, not a report each."""
    wanted = {name: pks for name, pks in store.cluster_members().items() if len(pks) >= min_size}
    loaded = store.link_claims(sorted({pk for pks in wanted.values() for pk in pks}))
    out = []
    for name, pks in wanted.items():
        keys: set[str] = set()
        articles: set[str] = set()
        for pk in pks:
            if pk in loaded:
                art, claim, _ = loaded[pk]
                articles.add(art.id)
                keys.update(n.key for n in origins(art, claim))
        if len(keys) >= min_origins:
            out.append(ClusterSummary(name, tuple(pks), len(pks), len(articles), len(keys)))
    out.sort(key=lambda c: (-c.independent_origins, -c.articles, -c.size, c.id))
    return out


def cluster_reports(store: Any, min_size: int = 2, min_origins: int = 1) -> list[ClusterReport]:
    """Every cluster with at least ``min_size`` claims and ``min_origins`` independent origins:
    those with most independent origins first, then those reported by most articles."""
    return [report(store, c.id, c.pks) for c in cluster_summaries(store, min_size, min_origins)]


def clusters(
    store: Any, min_size: int = 2, min_origins: int = 1, limit: int = 50, offset: int = 0
) -> tuple[list[ClusterReport], int]:
    """A page of ``cluster_reports`` (a full report for the clusters of the page only), and how
    many clusters pass the filters in all."""
    summaries = cluster_summaries(store, min_size, min_origins)
    limit = max(1, min(limit, MAX_PAGE))
    page = summaries[offset : offset + limit]
    return [report(store, c.id, c.pks) for c in page], len(summaries)


def cluster_report(store: Any, name: str) -> ClusterReport | None:
    pks = store.cluster(name)
    if not pks:
        # a claim id names the cluster it is in
        found = store.claim_pks([name])
        if not found:
            return None
        clusters = store.clusters_of(list(found.values()))
        if not clusters:
            return None
        name = clusters.pop()
        pks = store.cluster(name)
    return report(store, name, pks)


def contradiction_list(store: Any) -> list[dict[str, Any]]:
    """Stored contradictions, each with its two claims, their sources and the reason."""
    rows = store.contradictions()
    pks = sorted({r["a_id"] for r in rows} | {r["b_id"] for r in rows})
    claims = store.link_claims(pks)
    out = []
    for r in rows:
        sides = []
        for pk in (r["a_id"], r["b_id"]):
            if pk not in claims:
                continue
            art, claim, _ = claims[pk]
            sides.append(
                {
                    "claim": claim.id,
                    "text": claim.content.text,
                    "article": {
                        "id": art.id,
                        "title": art.title,
                        "outlet": art.outlet,
                        "published": art.published,
                    },
                    "origins": [n.label for n in origins(art, claim)],
                }
            )
        if len(sides) == 2:
            out.append({"kind": r["kind"], "reason": r["reason"], "a": sides[0], "b": sides[1]})
    return out


def timeline(store: Any, what: str, settings: Settings | None = None) -> dict[str, Any] | None:
    """Reported values over time for a cluster (its id), an identity (any alias) or a quantity
    ("North Korean troops"): when each report appeared, the time it is about, its numbers, its origins."""
    rep = cluster_report(store, what)
    if rep is not None:
        pairs = [(m.article, m.claim) for m in rep.members]
        title = f"cluster {rep.id}"
    else:
        group = store.find_identity(what)
        if group is not None:
            pairs = store.claims(about=what)
            title = f"claims about {group}"
        else:
            pairs = _quantity_claims(store, what, settings or Settings())
            if not pairs:
                return None
            title = f"reported values of “{what}”"
    entries = []
    for art, claim in sorted(pairs, key=lambda p: (p[0].published or "", p[1].id)):
        entries.append(
            {
                "published": art.published,
                "about": [t.to_json() for t in claim.times if t.kind in {"date", "interval"}],
                "claim": claim.id,
                "text": claim.content.text,
                "values": [q.to_json() for q in claim.quantities],
                "certainty": claim.certainty,
                "polarity": claim.polarity,
                "origins": [n.label for n in origins(art, claim)],
                "article": {"id": art.id, "title": art.title, "outlet": art.outlet},
            }
        )
    return {"timeline": title, "entries": entries}


def entities(store: Any, kind: str | None = None) -> list[Any]:
    """Every canonical identity (of a kind) with its aliases and counts (``IdentitySummary``)."""
    return list(store.identities(kind=kind))


#: the most claims an entity view lists as made by it, and as about it
ENTITY_CLAIMS = 200


def entity(store: Any, name: str, settings: Settings | None = None) -> dict[str, Any] | None:
    """One identity (any alias): its names, roles over time, the claims it made and those about
    it (ids, as ``claimgraph entity --json`` lists them, and the first ``ENTITY_CLAIMS`` of each
    with their text and article), and ``chart``: the numbers reported about it over time
    (``chart_series``). None where no identity has that name."""
    detail = store.identity(name)
    if detail is None:
        return None
    wanted = list(
        dict.fromkeys(detail["claims_made"][:ENTITY_CLAIMS] + detail["claims_about"][:ENTITY_CLAIMS])
    )
    pks = store.claim_pks(wanted)
    loaded = {c.id: (a, c) for a, c, _ in store.link_claims(list(pks.values())).values()}

    def brief(uid: str) -> dict[str, Any] | None:
        if uid not in loaded:
            return None
        art, claim = loaded[uid]
        return {
            "id": claim.id,
            "text": claim.content.text,
            "certainty": claim.certainty,
            "polarity": claim.polarity,
            "chain": chain_text(art, claim),
            "article": article_summary(art),
        }

    made = [b for uid in dict.fromkeys(detail["claims_made"][:ENTITY_CLAIMS]) if (b := brief(uid))]
    about = [b for uid in dict.fromkeys(detail["claims_about"][:ENTITY_CLAIMS]) if (b := brief(uid))]
    line = timeline(store, detail["identity"]["id"], settings)
    return {
        **detail,
        "made": made,
        "about": about,
        "chart": chart_series(line["entries"] if line else []),
    }


def chain_text(article: Article, claim: Claim) -> str:
    """A claim's chain as one line, reporter first: "outlet → The New York Times → American
    officials, Ukrainian officials"; the outlet alone for its own voice."""
    outlet = article.outlet or "the outlet"
    hops = [", ".join(s.text for s in hop.sources) or "(unnamed)" for hop in claim.chain]
    return " → ".join([outlet, *hops])


def _point_date(entry: dict[str, Any]) -> str | None:
    """When a reported value holds: the date the claim is about, else when it was published."""
    for t in entry["about"]:
        value = t.get("value") or t.get("start")
        if isinstance(value, str) and value[:4].isdigit():
            return value
    return entry["published"]


def chart_series(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The numbers of timeline entries as series to chart, one per unit, most points first.

    A point is a reported value at the date it is about (else the report's date), with its
    claim and article. A change without a value ("halved") becomes a derived point: the
    change applied to the latest earlier value of the biggest series, from the same article
    where it has one, marked ``derived`` with the words that said it.
    """
    series: dict[str, list[dict[str, Any]]] = {}
    changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for e in entries:
        date = _point_date(e)
        if date is None:
            continue
        for q in e["values"]:
            point = {
                "date": date,
                "value": q.get("value"),
                "low": q.get("low"),
                "high": q.get("high"),
                "approximate": bool(q.get("approximate")),
                "text": q.get("text"),
                "counted": q.get("counted"),
                "claim": e["claim"],
                "claim_text": e["text"],
                "article": e["article"]["id"],
                "published": e["published"],
                "derived": None,
            }
            if q.get("value") is not None and q.get("unit"):
                series.setdefault(str(q["unit"]), []).append(point)
            elif q.get("value") is None and q.get("change") is not None:
                changes.append((point, q))
    ordered = sorted(series.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if ordered and changes:
        main = ordered[0][1]
        for point, q in changes:
            earlier = [p for p in main if p["date"] <= point["date"] and p["derived"] is None]
            if not earlier:
                continue
            same = [p for p in earlier if p["article"] == point["article"]]
            base = max(same or earlier, key=lambda p: (p["date"], p["value"]))
            point.update(
                value=base["value"] * float(q["change"]),
                approximate=True,
                counted=base["counted"],
                derived=f"{q.get('text')} (of {base['text']})",
            )
            main.append(point)
    return [
        {"unit": unit, "points": sorted(points, key=lambda p: (p["date"], p["claim"]))}
        for unit, points in ordered
    ]


def search(store: Any, q: str, limit: int = 50, offset: int = 0) -> list[Any]:
    """Claims and articles whose words match ``q``, best first (``SearchHit``); the database's
    own full-text index. RAISES ValueError: an empty or overlong query, a page out of range."""
    return list(store.search(q, limit=limit, offset=offset))


def _quantity_claims(store: Any, phrase: str, settings: Settings) -> list[tuple[Article, Claim]]:
    """Claims whose numbers count what the phrase names: the counted word and the places in it."""
    from claimgraph.link.contradictions import COUNTED_CLASSES

    words = [w.strip(".,").lower() for w in phrase.split()]
    cls = next((COUNTED_CLASSES[w] for w in reversed(words) if w in COUNTED_CLASSES), None)
    if cls is None:
        return []
    from claimgraph.run import gazetteer

    gaz = gazetteer(settings)
    entity_ids = set()
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            hit = gaz.lookup(" ".join(phrase.split()[i : i + n]))
            if hit is not None:
                entity_ids.add(hit.id)
    pks = store.quantity_matches([k for k in store.quantity_key_names() if k.startswith(cls + "|")])
    out = []
    for art, claim, _ in store.link_claims(pks).values():
        ents = {e.entity for e in claim.entities if e.entity}
        if entity_ids and not (entity_ids & ents):
            continue
        out.append((art, claim))
    return out


def gold_view(store: Any) -> dict[str, list[tuple[str, tuple[int, int], str | None, tuple[str, ...]]]]:
    """Per document stem, its claims as (uid, content span, cluster, origin keys): what the
    cluster evaluation compares with the gold."""
    members = store.cluster_members()
    cluster_of = {pk: name for name, pks in members.items() for pk in pks}
    out: dict[str, list[tuple[str, tuple[int, int], str | None, tuple[str, ...]]]] = {}
    for record in store.records():
        stem = Path(record.article.source or "").stem
        pks = dict(store.article_claim_pks(record.article.id))
        by_uid = {uid: pk for pk, uid in pks.items()}
        for claim in record.claims:
            pk = by_uid.get(claim.id)
            span = (claim.content.start, claim.content.end)
            keys = tuple(n.key for n in origins(record.article, claim))
            out.setdefault(stem, []).append((claim.id, span, cluster_of.get(pk) if pk else None, keys))
    return out


def article_view(store: Any) -> dict[str, list[tuple[tuple[int, int], str | None]]]:
    """Per article id as its record gave it (the part after '#' of the source, else the stem):
    its claims' content spans and clusters."""
    members = store.cluster_members()
    cluster_of = {pk: name for name, pks in members.items() for pk in pks}
    out: dict[str, list[tuple[tuple[int, int], str | None]]] = {}
    for record in store.records():
        source = record.article.source or ""
        key = source.split("#", 1)[1] if "#" in source else Path(source).stem
        by_uid = {uid: pk for pk, uid in store.article_claim_pks(record.article.id)}
        out[key] = [
            ((c.content.start, c.content.end), cluster_of.get(by_uid.get(c.id, -1))) for c in record.claims
        ]
    return out
