"""The HTML reader: a saved web page, read into an ``Article`` with trafilatura.

The Article's text is the article text trafilatura extracts (menus, footers and
reader comments left out); every span indexes that text. The page's metadata
gives the title, the date (from the page's markup and URL only, never guessed
from dates in the prose), the authors, the site name (-> outlet) and the URL.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura

from claimgraph.errors import InputError
from claimgraph.ingest.clean import clean_name, clean_text
from claimgraph.ingest.dates import normalize_published_flag, read_published
from claimgraph.ingest.text import guess_language, scan_lines, split_lines
from claimgraph.model import Article

_HTML_START = re.compile(
    r"[\s\ufeff]*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
# htmldate's "extensive search" reads any date in the page (even a copyright year)
# as the publication date; only the page's markup and URL are trusted here
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_MIN_WORDS_IN_A_LINE = 6  # an article has at least one sentence of this many words


def looks_like_html(text: str) -> bool:
    """True for text that starts as an HTML document does (``<!doctype html`` or ``<html``)."""
    return _HTML_START.match(text[:4096]) is not None


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _extract(html: str, url: str | None, where: str) -> Any:
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as e:  # lxml and trafilatura raise many kinds on broken markup
        raise InputError(where, f"cannot parse the HTML: {type(e).__name__}: {_one_line(e)}") from e


def _line_span(text: str, wanted: str | None) -> tuple[int, int] | None:
    """The span of the first line of ``text`` whose content is ``wanted``."""
    if not wanted:
        return None
    for line in split_lines(text):
        if line.text == wanted.strip():
            return (line.start, line.end)
    return None


def read_html(
    html: str,
    source: str | None = None,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """Read the article in a web page.

    html (str): the page.
    source (str | None): where it came from (a path), recorded in the Article.
    url (str | None): the page's address, which helps find its date and site.
    outlet (str | None): the publisher, where the page names no site.
    published (str | None): the date, where the page gives none.
    RETURNS (Article): the article; its text is the extracted article text.
    RAISES (InputError): no article text could be found in the page.
    """
    source = clean_name(source)
    where = source or url or "<html>"
    html, cleaned = clean_text(html, "page")
    flag_date = normalize_published_flag(published)
    doc = _extract(html, url, where)
    text: str | None = getattr(doc, "text", None) if doc is not None else None
    if not text or not any(len(line.split()) >= _MIN_WORDS_IN_A_LINE for line in text.splitlines()):
        raise InputError(where, "no article text found in the HTML")

    warnings: list[str] = list(cleaned)
    date: str | None = None
    if getattr(doc, "date", None):
        date, problem = read_published(str(doc.date))
        if problem:
            warnings.append(problem)
    authors = tuple(a.strip() for a in str(getattr(doc, "author", None) or "").split(";") if a.strip())
    title: str | None = getattr(doc, "title", None) or None
    lang = _HTML_LANG.search(html[:4096])
    scan = scan_lines(split_lines(text))
    return Article(
        text=text,
        source=source,
        outlet=getattr(doc, "sitename", None) or outlet,
        title=title,
        published=date or flag_date,
        language=lang.group(1).lower() if lang else guess_language(text),
        credits=tuple(scan.credits),
        authors=authors,
        url=getattr(doc, "url", None) or url,
        title_span=_line_span(text, title),
        lede_span=_line_span(text, getattr(doc, "description", None)),
        skip_spans=tuple(sorted(scan.skip.values())),
        warnings=tuple(warnings),
    )
