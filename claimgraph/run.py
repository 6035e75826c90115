"""The one place that strings the stages together: read -> analyse -> store.

For one article, or for many: ``analyze_articles`` runs the spaCy pipeline in
batches, in several worker processes when ``settings.processes > 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest import iter_files, read_path
from claimgraph.link import clusters as _clusters
from claimgraph.link.clusters import ClusterReport, LinkClaim, links, report
from claimgraph.link.contradictions import compare_numbers, compare_same_claim, quantity_key
from claimgraph.link.gazetteer import Gazetteer, default_gazetteer
from claimgraph.link.identities import Resolver
from claimgraph.link.index import CandidateIndex
from claimgraph.link.origins import origins
from claimgraph.model import Article, Claim, ClaimRecord
from claimgraph.nlp.pipeline import Extractor


def read_articles(
    paths: Sequence[Path],
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Iterator[Article | InputError]:
    """Every article in the files and folders given, and an error for each thing not read."""
    for path in iter_files(paths):
        yield from read_path(path, settings, outlet=outlet, published=published)


_worker: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Extractor(settings)


def _analyze_batch(articles: list[Article]) -> list[ClaimRecord]:
    assert _worker is not None
    return list(_worker.analyze_many(articles))


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def gazetteer(settings: Settings) -> Gazetteer:
    """The shipped gazetteer, extended by the user's files (settings.gazetteers)."""
    if not settings.gazetteers:
        return default_gazetteer()
    return Gazetteer.load([Path(p) for p in settings.gazetteers])


def analyze_articles(
    articles: Iterable[Article],
    settings: Settings,
    extractor: Extractor | None = None,
    resolver: Resolver | None = None,
) -> Iterator[ClaimRecord]:
    """Claim records for articles, in the order given, with canonical identities."""
    res = resolver or Resolver(gazetteer(settings))
    for record in _extract(articles, settings, extractor):
        yield res.resolve(record)[0]


def _extract(
    articles: Iterable[Article], settings: Settings, extractor: Extractor | None = None
) -> Iterator[ClaimRecord]:
    if settings.processes <= 1:
        ex = extractor or Extractor(settings)
        yield from ex.analyze_many(articles)
        return
    size = max(1, settings.batch_size)
    with ProcessPoolExecutor(
        max_workers=settings.processes, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        for records in pool.map(_analyze_batch, _batches(articles, size)):
            yield from records


class Linker:
    """Links stored claims across articles, a new article at a time, against what is stored.

    store: the Store. encode: texts -> unit vectors (the sentence encoder by default).
    """

    def __init__(self, store: Any, encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self.store = store
        self._encode = encode
        self.index: CandidateIndex | None = None

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._encode is None:
            from claimgraph.link.embed import Encoder

            self._encode = Encoder.load().encode
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self._encode(texts), dtype=np.float32)

    def _index(self) -> CandidateIndex:
        if self.index is None:
            self.index = CandidateIndex()
            uids, vectors = self.store.all_vectors()
            self.index.add(uids, vectors)
        return self.index

    def link(self, pks: list[int]) -> int:
        """Link these stored claims (saved with their vectors) to everything stored; RETURNS links made."""
        new = self.store.link_claims(pks)
        if not new:
            return 0
        order = [pk for pk in pks if pk in new]
        mine = {pk: LinkClaim(new[pk][1], new[pk][0], new[pk][2]) for pk in order}
        vecs = np.stack([mine[pk].vector for pk in order])
        index = self._index()
        floor = _clusters.cosine_floor()
        wanted: dict[str, float] = {}
        hits: dict[int, list[str]] = {}
        own = {mine[pk].id for pk in order}
        for i, found in index.similar(vecs, floor):
            hits[order[i]] = [uid for uid, _ in found if uid not in own]
            for uid, sim in found:
                wanted[uid] = sim
        uid_pk = self.store.claim_pks(list(wanted)) if wanted else {}
        others = self.store.link_claims(list(uid_pk.values())) if uid_pk else {}
        stored = {pk: LinkClaim(c, a, v) for pk, (a, c, v) in others.items()}
        by_uid = {lc.id: pk for pk, lc in {**stored, **mine}.items()}
        pairs: list[tuple[LinkClaim, LinkClaim]] = []
        for pk in order:
            for uid in hits.get(pk, []):
                other = by_uid.get(uid)
                if other is not None and other in stored:
                    pairs.append((mine[pk], stored[other]))
        for i, a in enumerate(order):
            for b in order[i + 1 :]:
                if float(np.dot(mine[a].vector, mine[b].vector)) >= floor:
                    pairs.append((mine[a], mine[b]))
        made = links(pairs)
        link_rows = [(by_uid[x.a], by_uid[x.b], x.score) for x in made]
        contradictions = self._contradictions(mine, order, link_rows, {**stored, **mine})
        self.store.apply_links(order, link_rows, contradictions)
        index.add([mine[pk].id for pk in order], vecs)
        return len(made)

    def _contradictions(
        self,
        mine: dict[int, LinkClaim],
        order: list[int],
        link_rows: list[tuple[int, int, float]],
        known: dict[int, LinkClaim],
    ) -> list[tuple[int, int, str, str]]:
        out: list[tuple[int, int, str, str]] = []
        # inside the clusters the new claims join: every pair with a new claim
        linked = {a for a, _, _ in link_rows} | {b for _, b, _ in link_rows}
        clusters = self.store.clusters_of(list(linked - set(order)))
        members = {pk for c in clusters for pk in self.store.cluster(c)}
        members |= linked
        # the same quantity in other clusters: "12,000 troops" against "about 11,000"
        keys = [k for pk in order for k in quantity_keys(mine[pk].claim)]
        numbers = set(self.store.quantity_matches(keys)) if keys else set()
        need = [pk for pk in (members | numbers) if pk not in known]
        for pk, (a, c, v) in self.store.link_claims(need).items():
            known[pk] = LinkClaim(c, a, v)
        for pk in order:
            x = mine[pk]
            for other in sorted(members | numbers):
                if other == pk or other not in known:
                    continue
                y = known[other]
                found = compare_numbers(x.claim, y.claim)
                if other in members:
                    found += compare_same_claim(x.claim, y.claim, float(np.dot(x.vector, y.vector)))
                for c in found:
                    out.append((pk, other, c.kind, c.reason))
        return out

    def link_unlinked(self) -> int:
        """Link whatever was saved but not linked (an interrupted ingest)."""
        pending = self.store.unlinked()
        total = 0
        for i in range(0, len(pending), 200):
            total += self.link(pending[i : i + 200])
        return total

    def relink(self) -> int:
        """Forget every link and link all stored claims again (after a merge of identities)."""
        missing = self.store.claims_without_vectors()
        for i in range(0, len(missing), 256):
            part = missing[i : i + 256]
            self.store.add_vectors([pk for pk, _ in part], self.encode([text for _, text in part]))
        self.store.clear_links()
        self.index = CandidateIndex()
        return self.link_unlinked()


def quantity_keys(claim: Claim) -> list[str]:
    """The keys under which a claim's numbers are compared with other claims' (see contradictions)."""
    out = []
    for q in claim.quantities:
        key = quantity_key(claim, q)
        if key is not None:
            out.append(f"{key[0]}|{key[1]}")
    return list(dict.fromkeys(out))


@dataclass
class IngestReport:
    stored: int = 0
    already: int = 0
    claims: int = 0
    links: int = 0
    failed: list[InputError] = field(default_factory=list)


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    store: object,
    *,
    outlet: str | None = None,
    published: str | None = None,
    extractor: Extractor | None = None,
    on_article: Callable[[Article | InputError], None] | None = None,
    linker: Linker | None = None,
    link: bool = True,
) -> IngestReport:
    """Read, analyse and store every article under ``paths``; one transaction per article.

    An article already stored is not analysed again, so running an interrupted ingest
    again completes it. ``link=False`` stores claims without linking them across articles
    (no embeddings); ``claimgraph relink`` can link them later.
    """
    from claimgraph.store import Store

    assert isinstance(store, Store)
    report = IngestReport()

    def fresh() -> Iterator[Article]:
        for item in read_articles(paths, settings, outlet=outlet, published=published):
            if on_article is not None:
                on_article(item)
            if isinstance(item, InputError):
                report.failed.append(item)
            elif store.has_article(item.id):
                report.already += 1
            else:
                yield item

    resolver = Resolver(gazetteer(settings), known=store.find_identity)
    linking = linker or Linker(store)
    if link:
        # what an earlier, interrupted run saved but did not link
        linking.link_unlinked()
    for extracted in _extract(fresh(), settings, extractor):
        record, identities = resolver.resolve(extracted)
        vectors = linking.encode([c.content.text for c in record.claims]) if link else None
        keys = [(i, k) for i, c in enumerate(record.claims) for k in quantity_keys(c)]
        if store.save(record, identities=identities, vectors=vectors, quantity_keys=keys):
            report.stored += 1
            report.claims += len(record.claims)
            if link:
                pks = [pk for pk, _ in store.article_claim_pks(record.article.id)]
                report.links += linking.link(pks)
        else:
            report.already += 1
    return report


# -- reading the links back -----------------------------------------------------------------------


def _link_claims(store: Any, pks: list[int]) -> list[LinkClaim]:
    return [LinkClaim(c, a, v) for a, c, v in store.link_claims(pks).values()]


def cluster_reports(store: Any, min_size: int = 2, min_origins: int = 1) -> Iterator[ClusterReport]:
    """Every cluster with at least ``min_size`` claims and ``min_origins`` independent origins."""
    for name, pks in sorted(store.cluster_members().items()):
        if len(pks) < min_size:
            continue
        rep = report(name, _link_claims(store, pks))
        if rep.independent_origins >= min_origins:
            yield rep


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
    return report(name, _link_claims(store, pks))


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
