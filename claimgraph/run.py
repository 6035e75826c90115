"""The one place that strings the stages together: read -> analyse -> store.

For one article, or for many: ``analyze_articles`` runs the spaCy pipeline in
batches, in several worker processes when ``settings.processes > 1``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, InputError, StoreError
from claimgraph.ingest import iter_files, read_path
from claimgraph.ingest.clean import clean_name
from claimgraph.link.contradictions import quantity_key
from claimgraph.link.gazetteer import Gazetteer, default_gazetteer
from claimgraph.link.identities import Resolver
from claimgraph.link.index import CandidateIndex
from claimgraph.link.linker import (
    JudgeFn,
    Link,
    LinkClaim,
    LinkSettings,
    asker,
    compared,
    plausible_neighbours,
    recluster,
)
from claimgraph.link.linker import link as link_stage
from claimgraph.model import Article, Claim, ClaimRecord
from claimgraph.nlp.pipeline import Extractor


def read_articles(
    paths: Sequence[Path],
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
    skipped: list[Path] | None = None,
) -> Iterator[Article | InputError]:
    """Every article in the files and folders given, and an error for each thing not read;
    what a folder walk leaves out is appended to ``skipped`` (see ``iter_files``)."""
    for path in iter_files(paths, skipped):
        try:
            yield from read_path(path, settings, outlet=outlet, published=published)
        except (Exception, RecursionError) as e:  # a reader's bug: that file's error, not the batch's
            if _fails_everything(e):
                raise  # a setting that cannot work fails every file: say it once
            yield failure(clean_name(str(path)) or "?", e, "read")


_worker: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Extractor(settings)


def _analyze_batch(articles: list[Article]) -> list[ClaimRecord | InputError]:
    assert _worker is not None
    return list(_analyze_guarded(_worker, articles))


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def failure(where: Article | str, error: BaseException, doing: str) -> InputError:
    """An unexpected error while working on one file or article, as the one line that reports it."""
    if isinstance(where, Article):
        where = where.source or where.id
    return InputError(
        where,
        f"could not {doing} it ({_detail(error)}); the rest of the batch went on — "
        "please report this with the file attached",
    )


def _fails_everything(error: BaseException) -> bool:
    """A missing model or an unusable setting: every input would fail alike, so it stops the run
    (an input's or a store write's error is that input's alone)."""
    return isinstance(error, ClaimgraphError) and not isinstance(error, InputError | StoreError)


def _detail(error: BaseException) -> str:
    """An exception in a few words: its type and the first line of its message."""
    reason = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    return f"{type(error).__name__}: {reason}" if reason else type(error).__name__


def _analyze_guarded(extractor: Extractor, batch: list[Article]) -> Iterator[ClaimRecord | InputError]:
    """Records for a batch; where the batch fails, each article alone, so that one article's
    error is that article's failure and not the batch's."""
    try:
        records: list[ClaimRecord | InputError] = list(extractor.analyze_many(batch))
    except (Exception, RecursionError):
        records = []
        for article in batch:
            try:
                records.append(extractor.analyze(article))
            except (Exception, RecursionError) as e:
                records.append(failure(article, e, "analyse"))
    yield from records


_pipelines: dict[tuple[Any, ...], tuple[Extractor, Resolver]] = {}
_loading = threading.Lock()


def pipeline(settings: Settings) -> tuple[Extractor, Resolver]:
    """The extractor and the identity resolver for these settings, loaded once per process and
    shared (the server, ``claimgraph.analyze`` and the spaCy component all take it from here)."""
    # what the pipeline and the gazetteer depend on (Settings itself holds a dict: no hash)
    key = (settings.spacy_model, settings.use_tagger, settings.gazetteers, settings.batch_size)
    with _loading:
        if key not in _pipelines:
            _pipelines[key] = (Extractor(settings), Resolver(gazetteer(settings)))
        return _pipelines[key]


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
    """Claim records for articles, in the order given, with canonical identities.

    RAISES (InputError): an article could not be analysed (``analyze_each`` goes on instead).
    """
    for record in analyze_each(articles, settings, extractor, resolver):
        if isinstance(record, InputError):
            raise record
        yield record


def analyze_each(
    articles: Iterable[Article],
    settings: Settings,
    extractor: Extractor | None = None,
    resolver: Resolver | None = None,
) -> Iterator[ClaimRecord | InputError]:
    """Like ``analyze_articles``, but an article that cannot be analysed is yielded as an
    InputError (naming it and why) and the rest go on."""
    res = resolver or Resolver(gazetteer(settings))
    for record in _extract(articles, settings, extractor):
        if isinstance(record, InputError):
            yield record
            continue
        try:
            yield res.resolve(record)[0]
        except (Exception, RecursionError) as e:
            yield failure(record.article, e, "resolve the identities in")


def _extract(
    articles: Iterable[Article], settings: Settings, extractor: Extractor | None = None
) -> Iterator[ClaimRecord | InputError]:
    size = max(1, settings.batch_size)
    if settings.processes <= 1:
        ex = extractor
        for batch in _batches(articles, size):
            ex = ex or Extractor(settings)  # loaded once there is something to analyse
            yield from _analyze_guarded(ex, batch)
        return
    with ProcessPoolExecutor(
        max_workers=settings.processes, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        for records in pool.map(_analyze_batch, _batches(articles, size)):
            yield from records


#: articles linked between two saves of the candidate index (a run that is killed loads the last
#: save and reads what was linked since from the store)
SAVE_EVERY = 500


class Linker:
    """Links stored claims across articles, a new article at a time, against what is stored.

    Orchestration only: the store finds candidates and persists, ``link.linker.link``
    decides. store: the Store. encode: texts -> unit vectors (the sentence encoder by
    default). judge: text pairs -> probabilities (the shipped pair judge by default).
    """

    def __init__(
        self,
        store: Any,
        encode: Callable[[list[str]], np.ndarray] | None = None,
        judge: JudgeFn | None = None,
        settings: LinkSettings | None = None,
    ) -> None:
        self.store = store
        self._encode = encode
        self._judge = judge
        self.settings = settings or LinkSettings()
        self.index: CandidateIndex | None = None
        self._pending: set[int] = set()  # the article being linked: added once it is linked
        self._unsaved = 0  # articles linked since the index was last saved

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._encode is None:
            from claimgraph.link.embed import Encoder

            self._encode = Encoder.load().encode
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # claims of one sentence share their compared text: each distinct text is encoded once
        distinct = list(dict.fromkeys(texts))
        vectors = np.asarray(self._encode(distinct), dtype=np.float32)
        row = {text: i for i, text in enumerate(distinct)}
        return vectors[[row[t] for t in texts]]

    def judge(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if self._judge is None:
            from claimgraph.link.judge import Judge

            self._judge = Judge.load().scores
        return self._judge(pairs)

    def _index(self) -> CandidateIndex:
        """The candidate index, brought up to what the store holds now.

        Loaded from the file beside the store when that matches it (checked once a process),
        else built from the store's vectors (and saved). Then, before each article, the claims
        stored since (by this or another process: keys above the highest the index holds) are
        added: a range read whose cost is what it returns, not the store's size. Claims deleted
        elsewhere are dropped when a search finds them gone (``link``)."""
        if self.index is None:
            path = self.store.index_path()
            loaded = CandidateIndex.load(path) if path is not None else None
            if loaded is not None:
                index, meta = loaded
                if meta.get("store") == self.store.url and self.store.count_linked(index.last) == len(index):
                    self.index = index
            if self.index is None:
                self.index = CandidateIndex()
        pks, vectors = self.store.linked_vectors(self.index.last)
        keep = [i for i, pk in enumerate(pks) if pk not in self._pending]
        if keep:
            self.index.add([pks[i] for i in keep], vectors[keep])
        return self.index

    def save_index(self) -> None:
        """Write the candidate index beside the store (the next run loads it instead of building it)."""
        path = self.store.index_path()
        if self.index is not None and path is not None and len(self.index):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.index.save(path, {"store": self.store.url})
                self._unsaved = 0
            except OSError:
                pass  # a cache: the next run builds it again

    def link(self, pks: list[int]) -> int:
        """Link these stored claims (saved with their vectors) to everything stored; RETURNS links made."""
        self._pending = set(pks)
        try:
            index = self._index()
        finally:
            self._pending = set()
        new = self.store.link_claims(pks)
        if not new:
            return 0
        order = [pk for pk in pks if pk in new]
        mine = {pk: LinkClaim(new[pk][1], new[pk][0], new[pk][2]) for pk in order}
        vecs = np.stack([mine[pk].vector for pk in order])
        cfg = self.settings
        found = index.search(vecs, cfg.neighbours, cfg.floor)
        wanted = sorted({key for near in found for key, _ in near} - set(order))
        loaded = self.store.link_claims(wanted)
        gone = [pk for pk in wanted if pk not in loaded]
        if gone:
            index.remove(gone)  # deleted by another process since the index read them
        # per new claim, its nearest stored claims that blocking lets through (shared canonical
        # entity, publication dates close enough)
        stored = {pk: LinkClaim(c, a, v) for pk, (a, c, v) in loaded.items()}
        allowed = dict(
            zip(order, plausible_neighbours([mine[pk] for pk in order], found, stored, cfg), strict=True)
        )
        plausible = set().union(*allowed.values())
        # the candidates' whole components: the clusters the new claims may join
        near_pks = self.store.components(sorted(plausible)) if plausible else set()
        keys = [k for pk in order for k in quantity_keys(mine[pk].claim)]
        counting = set(self.store.quantity_matches(keys)) if keys else set()
        more = sorted((near_pks | counting) - set(order) - set(loaded))
        stored.update((pk, LinkClaim(c, a, v)) for pk, (a, c, v) in self.store.link_claims(more).items())
        uid_of = {pk: lc.id for pk, lc in {**stored, **mine}.items()}
        pk_of = {uid: pk for pk, uid in uid_of.items()}
        nearest: dict[str, set[str]] = {}
        for own in order:
            nearest.setdefault(mine[own].id, set()).update(uid_of[key] for key in allowed[own])
        stored_links = [
            Link(uid_of[a], uid_of[b], s, tuple(json.loads(r)) if r else ())
            for a, b, s, r in self.store.links_among(sorted(near_pks))
            if a in uid_of and b in uid_of
        ]
        result = link_stage(
            [mine[pk] for pk in order],
            [stored[pk] for pk in sorted(near_pks) if pk in stored],
            stored_links,
            self.judge,
            cfg,
            numbers=[stored[pk] for pk in sorted(counting) if pk in stored],
            nearest=nearest,
        )
        self.store.apply_linking(
            [(pk_of[x.a], pk_of[x.b], x.score, json.dumps(list(x.reasons))) for x in result.links],
            # two claims with one content span share a uid: every one of them gets its cluster
            {pk: result.clusters[uid] for pk, uid in uid_of.items() if uid in result.clusters},
            [(pk_of[a], pk_of[b], c.kind, c.reason) for a, b, c in result.contradictions],
        )
        index.add(order, vecs)
        self._unsaved += 1
        if self._unsaved >= SAVE_EVERY:
            self.save_index()
        return len(result.links)

    def link_unlinked(self) -> int:
        """Link whatever was saved but not linked (an interrupted ingest, a migrated store)."""
        pending = self.store.unlinked()
        total = 0
        by_article: dict[str, list[int]] = {}
        for pk, (art, _, _) in self.store.link_claims(pending).items() if pending else []:
            by_article.setdefault(art.id, []).append(pk)
        for pks in by_article.values():
            total += self.link(sorted(pks))
        if by_article:
            self.save_index()
        return total

    def relink(self) -> int:
        """Forget every link and link all stored claims again (after a merge of identities),
        holding the store's writer lock throughout: an ingest running beside it waits."""
        with self.store.writer():
            return self._relink()

    def _relink(self) -> int:
        missing = self.store.claims_without_vectors()
        for i in range(0, len(missing), 256):
            part = missing[i : i + 256]
            self.store.add_vectors([pk for pk, _ in part], self.encode([text for _, text in part]))
        self.store.clear_links()
        self.index = CandidateIndex()  # nothing is linked: articles join it as they are linked again
        return self.link_unlinked()

    def delete_article(self, article_id: str) -> bool:
        """Delete an article; the clusters its claims were in are computed again without them."""
        with self.store.writer():
            deleted = self._delete_article(article_id)
            self.save_index()
            return deleted

    def _delete_article(self, article_id: str) -> bool:
        pks = [pk for pk, _ in self.store.article_claim_pks(article_id)]
        near = self.store.components(pks) - set(pks) if pks else set()
        if not self.store.delete_article(article_id):
            return False
        if self.index is not None:
            self.index.remove(pks)
        if near:
            loaded = self.store.link_claims(sorted(near))
            claims = {pk: LinkClaim(c, a, v) for pk, (a, c, v) in loaded.items()}
            uid_of = {pk: lc.id for pk, lc in claims.items()}
            stored_links = [
                Link(uid_of[a], uid_of[b], s) for a, b, s, _ in self.store.links_among(sorted(near))
            ]
            members = {lc.id: lc.article.id for lc in claims.values()}
            ask = asker({lc.id: lc for lc in claims.values()}, self.judge, self.settings)
            names = recluster(members, stored_links, self.settings, ask=ask)
            self.store.apply_linking([], {pk: names[uid] for pk, uid in uid_of.items() if uid in names}, [])
        return True


def link_records(
    records: Sequence[ClaimRecord],
    encode: Callable[[list[str]], np.ndarray],
    judge: JudgeFn,
    settings: LinkSettings | None = None,
) -> dict[str, str]:
    """Link records one after another in memory, as an ingest would, without a store: RETURNS
    claim uid -> cluster name. For small sets (every earlier claim is a candidate)."""
    known: list[LinkClaim] = []
    links: list[Link] = []
    clusters: dict[str, str] = {}
    for rec in records:
        if not rec.claims:
            continue
        vecs = np.asarray(encode([compared(c) for c in rec.claims]), dtype=np.float32)
        new = [LinkClaim(c, rec.article, v) for c, v in zip(rec.claims, vecs, strict=True)]
        result = link_stage(new, known, links, judge, settings)
        links += result.links
        clusters.update(result.clusters)
        known += new
    return clusters


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
    dask: str | None = None,
    on_partition: Callable[[Any], None] | None = None,
) -> IngestReport:
    """Read, analyse and store every article under ``paths``; one transaction per article.

    An article already stored is not analysed again, so running an interrupted ingest
    again completes it. ``link=False`` stores claims without linking them across articles
    (no embeddings); ``claimgraph relink`` can link them later.

    ``dask`` (``local:N`` or ``tcp://HOST:PORT``): read and analyse on that Dask cluster,
    partition by partition (see ``claimgraph.distributed``; ``on_partition`` hears of each
    partition done); this process alone resolves, stores and links, in input order.
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
        with store.writer():
            linking.link_unlinked()
    if dask is None:
        source = _extract(fresh(), settings, extractor)
    else:
        source = _dask_extract(
            dask, paths, settings, store, report, outlet=outlet, published=published,
            on_article=on_article, on_partition=on_partition,
        )  # fmt: skip
    _store_all(source, store, resolver, linking, report, link, on_article)
    return report


def ingest_articles(
    articles: Iterable[Article],
    settings: Settings,
    store: Any,
    *,
    extractor: Extractor | None = None,
    linker: Linker | None = None,
    link: bool = True,
) -> IngestReport:
    """Analyse and store articles already read (an API request's), as ``ingest`` does files:
    one transaction per article, an article stored before counted as ``already``, each linked
    against what is stored."""
    report = IngestReport()

    def fresh() -> Iterator[Article]:
        for article in articles:
            if store.has_article(article.id):
                report.already += 1
            else:
                yield article

    resolver = Resolver(gazetteer(settings), known=store.find_identity)
    linking = linker or Linker(store)
    _store_all(_extract(fresh(), settings, extractor), store, resolver, linking, report, link, None)
    return report


def _store_all(
    source: Iterable[ClaimRecord | InputError],
    store: Any,
    resolver: Resolver,
    linking: Linker,
    report: IngestReport,
    link: bool,
    on_article: Callable[[Article | InputError], None] | None,
) -> None:
    """Store (and link) each analysed article; an article's error is reported and the rest go on."""
    for extracted in source:
        if isinstance(extracted, InputError):
            report.failed.append(extracted)
            if on_article is not None:
                on_article(extracted)
            continue
        try:
            error = _store_one(extracted, store, resolver, linking, report, link)
        except (Exception, RecursionError) as e:
            if _fails_everything(e):
                raise  # a missing model or a bad setting fails every article: said once
            error = failure(extracted.article, e, "store")
            if isinstance(e, ClaimgraphError):
                error = InputError(error.where, f"could not store it: {e}")
        if error is not None:
            report.failed.append(error)
            if on_article is not None:
                on_article(error)
    if link:
        with store.writer():  # writers save and load it under the lock: never half of two saves
            linking.save_index()


@dataclass
class UrlReport(IngestReport):
    """``IngestReport`` of URLs: also the pages and feeds unchanged since their last fetch (a
    304, or the same article), and the pages stored as a new version of an article."""

    unchanged: int = 0
    versions: list[dict[str, Any]] = field(default_factory=list)


def fetcher(settings: Settings) -> Any:
    """The fetcher of a run: its caps, timeouts and address rule from the settings."""
    from claimgraph.ingest.fetch import Fetcher, any_address, is_public

    return Fetcher(
        allow=any_address if settings.allow_private else is_public,
        max_bytes=settings.max_bytes,
        timeout=settings.fetch_timeout,
        host_interval=settings.host_interval,
    )


def ingest_urls(
    urls: Sequence[str],
    settings: Settings,
    store: Any,
    fetcher: Any,
    *,
    outlet: str | None = None,
    extractor: Extractor | None = None,
    linker: Linker | None = None,
    link: bool = True,
    on_url: Callable[[str, str], None] | None = None,
) -> UrlReport:
    """Fetch, read, analyse and store the pages at ``urls``; a feed's URL stands for the pages
    its entries link to.

    Each fetch is conditional on the last one of the same URL (the store keeps its ETag and
    Last-Modified), so an unchanged page or feed is not fetched again. A page whose article
    changed since is stored as a new version: the new article is stored and linked, the
    earlier one removed from the store (clusters computed again without it), and the version
    recorded with the claims that appeared and disappeared (``Store.versions``). ``on_url``
    hears of each URL done: (url, what happened).
    """
    from claimgraph.ingest.urls import is_feed, read_feed, read_page

    report = UrlReport()
    resolver = Resolver(gazetteer(settings), known=store.find_identity)
    linking = linker or Linker(store)
    ex = extractor

    def tell(url: str, what: str) -> None:
        if on_url is not None:
            on_url(url, what)

    def fail(url: str, error: InputError) -> None:
        report.failed.append(error)
        tell(url, f"failed: {error.reason}")

    def page(url: str, published: str | None = None, fetched: Any = None) -> None:
        nonlocal ex
        state = store.fetch_state(url)
        try:
            if fetched is None:
                fetched = fetcher.get(
                    url, etag=state and state["etag"], last_modified=state and state["last_modified"]
                )
            if fetched.not_modified:
                report.unchanged += 1
                store.record_fetch(url, kind="page", status=304, etag=fetched.etag,
                                   last_modified=fetched.last_modified)  # fmt: skip
                tell(url, "unchanged (not modified)")
                return
            article = read_page(fetched, settings, outlet=outlet, published=published)
        except InputError as e:
            fail(url, e)
            return
        previous = state["article_id"] if state else None
        validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        if store.has_article(article.id):
            store.record_fetch(url, kind="page", status=fetched.status, article_id=article.id, **validators)
            if previous == article.id:
                report.unchanged += 1
                tell(url, "unchanged")
            else:
                report.already += 1
                tell(url, "already stored")
            return
        ex = ex or Extractor(settings)
        [extracted] = list(_analyze_guarded(ex, [article]))
        if isinstance(extracted, InputError):
            fail(url, extracted)
            return
        before = report.stored
        error = _store_one(extracted, store, resolver, linking, report, link)
        if error is not None:
            report.failed.append(error)
        if report.stored == before:
            return
        store.record_fetch(url, kind="page", status=fetched.status, article_id=article.id, **validators)
        contents = [c.content.text for c in extracted.claims]
        if previous is not None and previous != article.id:
            old = store.get_record(previous)
            old_contents = [c.content.text for c in old.claims] if old is not None else []
            if (
                not store.versions(url) and old is not None
            ):  # the first version, fetched before versions were kept
                store.add_version(url, previous, old.article.title, old_contents, old_contents, [])
            appeared = [c for c in contents if c not in set(old_contents)]
            disappeared = [c for c in old_contents if c not in set(contents)]
            number = store.add_version(url, article.id, article.title, contents, appeared, disappeared)
            if old is not None:
                linking.delete_article(previous)
            report.versions.append(
                {"url": url, "version": number, "appeared": appeared, "disappeared": disappeared}
            )
            tell(
                url, f"changed: version {number}, {len(appeared)} claim(s) appeared, {len(disappeared)} gone"
            )
        else:
            store.add_version(url, article.id, article.title, contents, contents, [])
            tell(url, f"stored, {len(contents)} claim(s)")

    for url in urls:
        state = store.fetch_state(url)
        try:
            fetched = fetcher.get(
                url,
                etag=state and state["etag"],
                last_modified=state and state["last_modified"],
                accept="application/rss+xml, application/atom+xml, text/html;q=0.9, */*;q=0.8",
            )
        except InputError as e:
            fail(url, e)
            continue
        if fetched.not_modified:
            report.unchanged += 1
            kind = state["kind"] if state else "page"
            store.record_fetch(
                url, kind=kind, status=304, etag=fetched.etag, last_modified=fetched.last_modified
            )
            tell(url, "unchanged (not modified)")
            continue
        if not is_feed(fetched):
            page(url, fetched=fetched)
            continue
        try:
            entries = read_feed(fetched)
        except InputError as e:
            fail(url, e)
            continue
        store.record_fetch(url, kind="feed", status=fetched.status, etag=fetched.etag,
                           last_modified=fetched.last_modified)  # fmt: skip
        tell(url, f"feed: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
        for entry in entries:
            page(entry.url, published=entry.published)
    if link:
        with store.writer():
            linking.save_index()
    return report


def _dask_extract(
    address: str,
    paths: Sequence[Path],
    settings: Settings,
    store: Any,
    report: IngestReport,
    *,
    outlet: str | None,
    published: str | None,
    on_article: Callable[[Article | InputError], None] | None,
    on_partition: Callable[[Any], None] | None,
) -> Iterator[ClaimRecord | InputError]:
    """``_extract(fresh())`` on a Dask cluster: what each partition read, reported as it is
    read; the records of the articles not stored yet, in input order; a partition that
    failed for good, as one error."""
    from claimgraph.distributed import extract

    stored = store.has_article if store.count_articles() else None  # a rerun: skip what is stored
    for part in extract(
        paths, settings, address, outlet=outlet, published=published, stored=stored, on_partition=on_partition
    ):
        if part.error is not None:
            yield part.error
            continue
        for read, extracted in part.items:
            if on_article is not None:
                on_article(read)
            if isinstance(read, InputError):
                report.failed.append(read)
            elif extracted is None or store.has_article(read.id):
                report.already += 1
            else:
                yield extracted


def _store_one(
    extracted: ClaimRecord, store: Any, resolver: Resolver, linking: Linker, report: IngestReport, link: bool
) -> InputError | None:
    """Save one analysed article and link it, under the store's writer lock: one transaction
    for the article, and links made against everything stored before it. RETURNS the error
    of an article stored but not linked (the next ingest or ``relink`` links it)."""
    record, identities = resolver.resolve(extracted)
    vectors = linking.encode([compared(c) for c in record.claims]) if link else None
    keys = [(i, k) for i, c in enumerate(record.claims) for k in quantity_keys(c)]
    with store.writer():
        if not store.save(record, identities=identities, vectors=vectors, quantity_keys=keys):
            report.already += 1
            return None
        report.stored += 1
        report.claims += len(record.claims)
        if not link:
            return None
        try:
            pks = [pk for pk, _ in store.article_claim_pks(record.article.id)]
            report.links += linking.link(pks)
        except (Exception, RecursionError) as e:
            if _fails_everything(e):
                raise
            linking.index = None  # whatever it holds now, built again from the store
            return InputError(
                record.article.source or record.article.id,
                f"stored, but could not link it ({_detail(e)}); "
                "the next `claimgraph ingest` or `claimgraph relink` links it",
            )
    return None
