"""Reading what a URL gave: an RSS or Atom feed (feedparser) into its entries, or a page into
an ``Article`` (the HTML reader, trafilatura, or the plain-text reader).

Fetching itself (addresses, redirects, robots.txt, caps) is ``ingest.fetch``; this module
only reads bytes already fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest.dates import read_published
from claimgraph.ingest.decode import declared_charset, decode
from claimgraph.ingest.fetch import Fetched, check_url
from claimgraph.ingest.html import looks_like_html, read_html
from claimgraph.ingest.text import read_text
from claimgraph.model import Article

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
)
_FEED_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.DOTALL,
)
#: the most entries read from one feed
MAX_ENTRIES = 500


@dataclass(frozen=True)
class FeedEntry:
    """An item of a feed: the page it links to, and what the feed says of it."""

    url: str
    title: str | None
    published: str | None


def is_url(value: str) -> bool:
    """Whether a command-line argument names a URL (http or https) rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def is_feed(fetched: Fetched) -> bool:
    """Whether a fetched body is an RSS, Atom or RDF feed (by its type, or by how it starts)."""
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES:
        return True
    return _FEED_START.match(fetched.content[:4096]) is not None


def read_feed(fetched: Fetched) -> list[FeedEntry]:
    """The entries of a feed, each with the absolute URL of its page (in the feed's order,
    without repeats; at most ``MAX_ENTRIES``).

    RAISES (InputError): the feed cannot be read, or links to no page.
    """
    import feedparser

    where = fetched.url[:200]
    parsed = feedparser.parse(fetched.content, response_headers={"content-type": fetched.content_type})
    if parsed.get("bozo") and not parsed.get("entries"):
        reason = parsed.get("bozo_exception")
        raise InputError(where, f"not a feed that can be read ({type(reason).__name__}: {reason})")
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.get("entries", [])[:MAX_ENTRIES]:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("rel", "alternate") == "alternate"), None
        )
        if not link:
            continue
        url = urljoin(fetched.final_url, str(link).strip())
        if url in seen:
            continue
        try:
            check_url(url)
        except InputError:
            continue  # a javascript: or mailto: link in a feed is no page to fetch
        seen.add(url)
        date = None
        raw = entry.get("published") or entry.get("updated")
        if raw:
            date, _ = read_published(str(raw)[:100])
            if date is None and entry.get("published_parsed"):
                t = entry["published_parsed"]
                date = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        out.append(FeedEntry(url, str(entry.get("title") or "").strip() or None, date))
    if not out and not parsed.get("entries"):
        if parsed.get("bozo"):
            raise InputError(where, "not a feed that can be read")
    return out


def read_page(
    fetched: Fetched,
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """The article of a fetched page: its text, title, date, authors and site name (the host
    where the page names none), the page's URL as the article's ``url`` and ``source``.

    RAISES (InputError): the body is not text, or no article text is found in it.
    """
    where = fetched.url[:200]
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind and not (kind.startswith("text/") or kind in ("application/xhtml+xml", "application/xml")):
        raise InputError(where, f"is {kind}, not a web page")
    charset = fetched.charset or declared_charset(fetched.content)
    decoded = decode(fetched.content, where, settings.encodings, declared=charset)
    host = urlsplit(fetched.final_url).hostname or None
    site = outlet or host
    if kind == "text/plain" and not looks_like_html(decoded.text):
        article = read_text(decoded.text, fetched.url, outlet=site, published=published)
        article = _with(article, url=fetched.final_url)
    else:
        article = read_html(
            decoded.text, fetched.url, url=fetched.final_url, outlet=site, published=published
        )
    if decoded.warnings:
        article = _with(article, warnings=decoded.warnings + article.warnings)
    return article


def _with(article: Article, **changes: object) -> Article:
    import dataclasses

    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]
