"""What the web server holds while it runs: the store, the settings, the pipeline loaded once.

The REST API (``interfaces.api``) and the pages (``interfaces.web``) both reach it as
``request.app.state.service``. Reading goes through ``claimgraph.query`` with
``service.store``; analysing and storing through ``analyze`` and ``ingest`` here, which
call ``claimgraph.run`` as the CLI does, so the server and the CLI give the same records.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from claimgraph.config import Settings
from claimgraph.model import Article, ClaimRecord


class Service:
    """The store and the loaded pipeline behind one server.

    db_url: the store (created and migrated when ``create``; a server that only reads
        opens an existing one). token: the bearer token write endpoints ask for, or None.
    """

    def __init__(
        self,
        db_url: str,
        *,
        settings: Settings | None = None,
        token: str | None = None,
        create: bool = True,
    ) -> None:
        from claimgraph.store import Store

        self.settings = (settings or Settings()).with_(db_url=db_url)
        self.store = Store(db_url, create=create)
        self.token = token or None
        #: signs the CSRF tokens of the pages' forms; a new one each start
        self.csrf_secret = secrets.token_bytes(32)
        self._extractor: Any = None
        self._resolver: Any = None
        self._linker: Any = None
        # spaCy's pipeline is not shared between threads; writers take turns as the CLI's do
        self._analyzing = threading.Lock()
        self._writing = threading.Lock()

    def _pipeline(self) -> Any:
        if self._extractor is None:
            from claimgraph.run import pipeline

            self._extractor, self._resolver = pipeline(self.settings)
        return self._extractor

    def warm(self) -> None:
        """Load the pipeline now (at start), not on the first request."""
        with self._analyzing:
            self._pipeline()

    def analyze(self, article: Article) -> ClaimRecord:
        """The claim record of one article, nothing stored: what ``claimgraph analyze --json`` prints.

        RAISES (InputError): the article could not be analysed.
        """
        from claimgraph.run import analyze_articles

        with self._analyzing:
            extractor = self._pipeline()
            return next(analyze_articles([article], self.settings, extractor, self._resolver))

    def ingest(self, articles: list[Article]) -> Any:
        """Analyse, store and link articles, as ``claimgraph ingest`` does: an ``IngestReport``."""
        from claimgraph.run import Linker, ingest_articles

        with self._writing:
            with self._analyzing:
                extractor = self._pipeline()
            if self._linker is None:
                self._linker = Linker(self.store)
            with self._analyzing:
                return ingest_articles(
                    articles, self.settings, self.store, extractor=extractor, linker=self._linker
                )

    def close(self) -> None:
        self.store.close()
