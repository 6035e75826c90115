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

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest import iter_files, read_path
from claimgraph.link.gazetteer import Gazetteer, default_gazetteer
from claimgraph.link.identities import Resolver
from claimgraph.model import Article, ClaimRecord
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


@dataclass
class IngestReport:
    stored: int = 0
    already: int = 0
    claims: int = 0
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
) -> IngestReport:
    """Read, analyse and store every article under ``paths``; one transaction per article.

    An article already stored is not analysed again, so running an interrupted ingest
    again completes it.
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
    for extracted in _extract(fresh(), settings, extractor):
        record, identities = resolver.resolve(extracted)
        if store.save(record, identities=identities):
            report.stored += 1
            report.claims += len(record.claims)
        else:
            report.already += 1
    return report
