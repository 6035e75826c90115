"""ClaimReview: the selected claims as schema.org JSON-LD for fact-checkers.

One ``ClaimReview`` per cluster that a selected claim belongs to (a claim reported once
is a cluster of its own). Its ``itemReviewed`` is a schema.org ``Claim``: ``text`` (the
cluster's claim as first reported), ``author`` (each independent origin), ``appearance``
(each article that reports it, with its URL where known, headline, date and outlet),
``firstAppearance`` (the earliest of them) and ``datePublished`` (that article's date).
What only a fact-checker can say — the rating, the review's author, URL and date — is a
skeleton of nulls to fill in: no rating is ever made up. The document is one JSON-LD
object, ``{"@context": "https://schema.org", "@graph": [ClaimReview, …]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claimgraph.link.origins import Node
from claimgraph.model import Article, Claim

Member = tuple[Article, Claim]

CONTEXT = "https://schema.org"
#: identity kinds (the part before "/") that name a person; the others are organisations
PERSON_KINDS = {"person"}


def _author(node: Node) -> dict[str, Any]:
    kind = node.key.split("/", 1)[0] if "/" in node.key else ""
    return {
        "@type": "Person" if kind in PERSON_KINDS else "Organization",
        "name": node.label,
        "identifier": node.key,
    }


def _appearance(art: Article) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "identifier": art.id}
    url = art.url or (art.source if art.source and art.source.startswith(("https://", "http://")) else None)
    if url:
        work["url"] = url
    if art.title:
        work["headline"] = art.title
    if art.published:
        work["datePublished"] = art.published
    if art.outlet:
        work["publisher"] = {"@type": "Organization", "name": art.outlet}
    if art.language:
        work["inLanguage"] = art.language
    return work


def _when(member: Member) -> tuple[bool, str]:
    """Oldest dated article first, undated ones last."""
    return (member[0].published is None, member[0].published or "")


def claim_review(cluster_id: str, members: Sequence[Member], origins: Sequence[Node]) -> dict[str, Any]:
    """One cluster (its id, its claims with their articles, its independent origins) as a
    ClaimReview skeleton whose ``itemReviewed`` is the Claim. The Claim's text is the claim
    that names the cluster, else the earliest."""
    ordered = sorted(members, key=_when)
    first = ordered[0]
    lead = next((m for m in ordered if m[1].id == cluster_id), first)
    appearances: dict[str, dict[str, Any]] = {}
    for article, _ in ordered:
        appearances.setdefault(article.id, _appearance(article))
    claim: dict[str, Any] = {
        "@type": "Claim",
        "identifier": cluster_id,
        "text": lead[1].content.text,
        "author": [_author(n) for n in origins],
        "appearance": list(appearances.values()),
        "firstAppearance": appearances[first[0].id],
    }
    if first[0].published:
        claim["datePublished"] = first[0].published
    return {
        "@type": "ClaimReview",
        "claimReviewed": lead[1].content.text,
        "itemReviewed": claim,
        # for the fact-checker to fill in: nothing here is claimgraph's to say
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": None,
            "bestRating": None,
            "worstRating": None,
            "alternateName": None,
        },
        "author": {"@type": "Organization", "name": None, "url": None},
        "datePublished": None,
        "url": None,
    }


def document(reviews: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """ClaimReviews (``claim_review``) as one JSON-LD document."""
    return {"@context": CONTEXT, "@graph": list(reviews)}
