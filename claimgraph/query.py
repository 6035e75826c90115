"""The read side: what the CLI, the REST API and the web pages ask of the store.

Clusters as an analyst reads them (members, independent origins, relay tree,
circular reporting, contradictions), the contradiction list, timelines, and the
views the evaluations compare with gold. Everything here reads; nothing links or
writes. Interfaces call these functions and nothing else, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimgraph.config import Settings
from claimgraph.link.linker import LinkClaim
from claimgraph.link.origins import Node, is_circular, origins, relays
from claimgraph.model import Article, Claim


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


def _link_claims(store: Any, pks: list[int]) -> list[LinkClaim]:
    return [LinkClaim(c, a, v) for a, c, v in store.link_claims(pks).values()]


def cluster_reports(store: Any, min_size: int = 2, min_origins: int = 1) -> list[ClusterReport]:
    """Every cluster with at least ``min_size`` claims and ``min_origins`` independent origins:
    those with most independent origins first, then those reported by most articles."""
    out = []
    for name, pks in sorted(store.cluster_members().items()):
        if len(pks) < min_size:
            continue
        rep = report(store, name, pks)
        if rep.independent_origins >= min_origins:
            out.append(rep)
    out.sort(key=lambda r: (-r.independent_origins, -r.articles, -len(r.members), r.id))
    return out


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
        members = rep.members
        title = f"cluster {rep.id}"
    else:
        group = store.find_identity(what)
        if group is not None:
            rows = store.claims(about=what)
            title = f"claims about {group}"
        else:
            rows = _quantity_claims(store, what, settings or Settings())
            if not rows:
                return None
            title = f"reported values of “{what}”"
        pks = store.claim_pks([c.id for _, c in rows])
        members = _link_claims(store, list(pks.values()))
    entries = []
    for m in sorted(members, key=lambda m: (m.article.published or "", m.id)):
        entries.append(
            {
                "published": m.article.published,
                "about": [t.to_json() for t in m.claim.times if t.kind in {"date", "interval"}],
                "claim": m.claim.id,
                "text": m.claim.content.text,
                "values": [q.to_json() for q in m.claim.quantities],
                "certainty": m.claim.certainty,
                "polarity": m.claim.polarity,
                "origins": [n.label for n in origins(m.article, m.claim)],
                "article": {"id": m.article.id, "title": m.article.title, "outlet": m.article.outlet},
            }
        )
    return {"timeline": title, "entries": entries}


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
