"""The Python surface: ``claimgraph.analyze`` and ``claimgraph.open``.

``analyze`` reads one article's text into its claim record, as ``claimgraph analyze`` and
``POST /api/analyze`` do (the same reader and pipeline). ``open`` opens a store and answers
what the CLI's read commands answer, through ``claimgraph.query``, as typed objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from claimgraph import query
from claimgraph.config import Settings
from claimgraph.model import Article, Claim, ClaimRecord


def article(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    id: str | None = None,
) -> Article:
    """An ``Article`` read from text as a record's ``text`` is (date, credit and title lines
    found in it), with what you know of it.

    RAISES (InputError): empty text, or a field of the wrong type.
    """
    from claimgraph.ingest.records import read_record

    fields = {"text": text, "title": title, "published": published, "outlet": outlet, "url": url, "id": id}
    return read_record({k: v for k, v in fields.items() if v is not None}, "python")


def analyze(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> ClaimRecord:
    """The claim record of one article: every claim with its chain of sources (reporter first,
    origin last), certainty, polarity, numbers, times and entities; nothing is stored.

    The first call loads the pipeline (a few seconds); later calls reuse it.

    text (str): the article. title, published (a date such as "2025-01-31"), outlet, url:
        what is known of it (a date line in the text is found too).
    RETURNS (ClaimRecord): ``record.claims`` are ``Claim`` objects; ``record.to_json()`` is
        the claim record of DESIGN.md, as ``claimgraph analyze --json`` prints it.
    RAISES (InputError): the text is empty, or the article could not be analysed.
    """
    from claimgraph.run import analyze_articles, pipeline

    settings = settings or Settings()
    extractor, resolver = pipeline(settings)
    read = article(text, title=title, published=published, outlet=outlet, url=url)
    return next(analyze_articles([read], settings, extractor, resolver))


class Library:
    """A store opened from Python: what the CLI's read commands answer, as objects.

    Use ``claimgraph.open(url)``; close it when done (or use it in a ``with`` block).
    """

    def __init__(self, url: str, *, create: bool = False, settings: Settings | None = None) -> None:
        from claimgraph.store import Store

        self.settings = (settings or Settings()).with_(db_url=url)
        self.store = Store(url, create=create)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- reading ----------------------------------------------------------------------

    def claims(
        self,
        *,
        source: str | None = None,
        about: str | None = None,
        entity: str | None = None,
        certainty: str | None = None,
        polarity: str | None = None,
        event: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        order: str = "stored",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[tuple[Article, Claim]]:
        """Stored claims with their articles, filtered as ``claimgraph claims`` filters them.

        RAISES ValueError: a filter value out of range.
        """
        q = query.ClaimQuery(
            source=source, about=about, entity=entity, certainty=certainty, polarity=polarity,
            event=event, since=since, until=until, text=text, order=order, limit=limit or 0,
            offset=offset,
        )  # fmt: skip
        return query.all_claims(self.store, q)

    def records(self, **filters: Any) -> list[ClaimRecord]:
        """``claims`` as claim records, one per article (what ``claimgraph claims --json`` prints)."""
        return query.ClaimPage(self.claims(**filters), query.ClaimQuery()).records()

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Stored articles, newest stored first, each with its number of claims."""
        return query.articles(self.store, limit=limit, offset=offset)

    def article(self, article_id: str) -> ClaimRecord | None:
        """One stored article with its claims; None if no article has that id."""
        view = query.article(self.store, article_id)
        return None if view is None else view.record

    def clusters(self, min_size: int = 2, min_origins: int = 1) -> list[query.ClusterReport]:
        """Claims reported more than once, most independent origins first (``ClusterReport``:
        members, origins, relays, circular reporting, contradictions; ``to_json()``)."""
        return query.cluster_reports(self.store, min_size=min_size, min_origins=min_origins)

    def cluster(self, cluster_id: str) -> query.ClusterReport | None:
        """One cluster, by its id or the id of any claim in it."""
        return query.cluster_report(self.store, cluster_id)

    def contradictions(self) -> list[dict[str, Any]]:
        """Claims that cannot both hold, each with its two sides and the reason."""
        return query.contradiction_list(self.store)

    def timeline(self, what: str) -> dict[str, Any] | None:
        """Reported values over time for a cluster, an identity or a quantity phrase."""
        return query.timeline(self.store, what, self.settings)

    def entities(self, kind: str | None = None) -> list[Any]:
        """Canonical identities with their aliases and counts."""
        return query.entities(self.store, kind)

    def entity(self, name: str) -> dict[str, Any] | None:
        """One identity (any alias): roles, claims made and about it, numbers over time."""
        return query.entity(self.store, name, self.settings)

    def search(self, q: str, limit: int = 50) -> list[Any]:
        """Claims and articles whose words match, best first (``SearchHit``)."""
        return query.search(self.store, q, limit=limit)

    # -- writing ----------------------------------------------------------------------

    def ingest(self, inputs: Iterable[str | Path | Article], *, link: bool = True) -> Any:
        """Analyse, store and link articles: paths of files or folders, or ``Article`` objects
        (``claimgraph.article(text, …)``). RETURNS the ``IngestReport`` (stored, already,
        claims, links, failed)."""
        from claimgraph.run import ingest, ingest_articles, pipeline

        items = list(inputs)
        articles = [x for x in items if isinstance(x, Article)]
        paths: Sequence[Path] = [Path(x) for x in items if not isinstance(x, Article)]
        extractor, _ = pipeline(self.settings)
        report = None
        if paths:
            report = ingest(paths, self.settings, self.store, extractor=extractor, link=link)
        if articles or report is None:
            more = ingest_articles(articles, self.settings, self.store, extractor=extractor, link=link)
            if report is None:
                return more
            report.stored += more.stored
            report.already += more.already
            report.claims += more.claims
            report.links += more.links
            report.failed += more.failed
        return report


def open(url: str = "sqlite:///claimgraph.db", *, create: bool = False) -> Library:  # noqa: A001
    """Open a store: ``claimgraph.open("sqlite:///claimgraph.db")`` or a PostgreSQL URL.

    create (bool): create (and migrate) the store where there is none; by default a missing
        store is an error, as for the CLI's read commands.
    RAISES (StoreError): no store there (and not ``create``), or it cannot be opened.
    """
    return Library(url, create=create)
