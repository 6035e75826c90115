"""claimgraph: read news into attributed claims with their source chains.

The public surface (``__all__``; a test keeps it honest):

- ``analyze(text, published=…, outlet=…)`` → a ``ClaimRecord`` of typed ``Claim`` objects;
- ``article(text, …)`` → an ``Article`` to analyse or store;
- ``open(db_url)`` → a ``Library`` over a store: ``claims()``, ``records()``, ``articles()``,
  ``article()``, ``clusters()``, ``cluster()``, ``contradictions()``, ``timeline()``,
  ``entities()``, ``entity()``, ``search()``, ``ingest()``;
- the types of the claim record (``Article``, ``Claim``, ``Hop``, ``Cue``, ``Source``,
  ``Span``, ``Quantity``, ``TimeSpan``, ``Entity``, ``ClaimRecord``), ``Settings`` and the
  errors (``ClaimgraphError``, ``InputError``, ``StoreError``);
- the spaCy component ``claimgraph_attribution`` (``nlp.add_pipe("claimgraph_attribution")``;
  see ``claimgraph.nlp.component``).

Importing ``claimgraph`` loads no model: ``analyze`` loads the pipeline on its first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, InputError, StoreError
from claimgraph.model import Article, Claim, ClaimRecord, Cue, Entity, Hop, Quantity, Source, Span, TimeSpan

if TYPE_CHECKING:
    from claimgraph.interfaces.python import Library

__all__ = [
    "Article",
    "Claim",
    "ClaimRecord",
    "ClaimgraphError",
    "Cue",
    "Entity",
    "Hop",
    "InputError",
    "Library",
    "Quantity",
    "Settings",
    "Source",
    "Span",
    "StoreError",
    "TimeSpan",
    "analyze",
    "article",
    "open",
]
__version__ = "0.1.0"


def analyze(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> ClaimRecord:
    """The claim record of one article (nothing stored): see ``claimgraph.interfaces.python.analyze``.

    >>> record = claimgraph.analyze(text, published="2025-01-31", outlet="Example News")
    >>> [(c.content.text, [s.text for h in c.chain for s in h.sources]) for c in record.claims]
    """
    from claimgraph.interfaces.python import analyze as _analyze

    return _analyze(text, title=title, published=published, outlet=outlet, url=url, settings=settings)


def article(text: str, **known: Any) -> Article:
    """An ``Article`` read from text (title, published, outlet, url, id as keywords), to
    analyse or to store with ``Library.ingest``."""
    from claimgraph.interfaces.python import article as _article

    return _article(text, **known)


def open(url: str = "sqlite:///claimgraph.db", *, create: bool = False) -> Library:  # noqa: A001
    """A store opened from Python (``Library``): ``claimgraph.open("sqlite:///claimgraph.db")``."""
    from claimgraph.interfaces.python import open as _open

    return _open(url, create=create)


def __getattr__(name: str) -> Any:
    if name == "Library":
        from claimgraph.interfaces.python import Library

        return Library
    raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
