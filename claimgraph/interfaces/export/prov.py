"""PROV: the chains of the selected claims as a W3C PROV-JSON document.

After the PROV-JSON member submission (https://www.w3.org/Submission/prov-json/):

- an entity for each article (``cg:article/HEX``) and for each claim as the article
  prints it (``cg:claim/HEX``, ``dct:isPartOf`` its article); an entity for the claim as
  each hop of its chain states it (``cg:claim/HEX/hop/N``, N = 1 for the hop nearest the
  reporter);
- an agent for each outlet (the reporter, or the wire whose dateline opens the story) and
  for each source: a named source is one agent however often it is cited (its identity
  id, else its name); an anonymous source ("American officials") is an agent of its own
  per mention, ``cg:anonymous`` true; ``prov:Person`` or ``prov:Organization`` where the
  source's kind says which; ``actedOnBehalfOf`` the institution a source speaks for
  (its ``affiliation``), where the record names one;
- ``wasAttributedTo``: the article and the printed claim to the outlet, each hop's
  statement to each of its sources;
- ``wasDerivedFrom``: the printed claim from the first hop's statement, each hop's from
  the next (the relay); ``hadPrimarySource`` (``prov:type`` ``prov:PrimarySource``): the
  printed claim from the origin's statement; ``wasQuotedFrom`` (``prov:type``
  ``prov:Quotation``) as well where the content is quoted word for word.

A claim in the outlet's own voice is an entity attributed to the outlet with no
derivation. Relation ids are blank nodes (``_:…``); ``prov:type`` values are typed
``xsd:QName`` literals, dates ``xsd:date`` where the date is complete.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from claimgraph.link.gazetteer import normalize
from claimgraph.link.origins import outlet_node
from claimgraph.model import Article, Claim, Source

PREFIXES = {
    "cg": "urn:claimgraph:",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
}
PERSON_KINDS = {"person", "official", "expert", "witness"}
ORGANIZATION_KINDS = {
    "government",
    "military",
    "intelligence",
    "media",
    "international",
    "ngo",
    "organisation",
    "group",
    "outlet",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._~/-]")


def qname(value: str) -> dict[str, str]:
    """A qualified name as a PROV-JSON typed literal."""
    return {"$": value, "type": "xsd:QName"}


def _date(value: str) -> Any:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {"$": value, "type": "xsd:date"}
    return value


def _local(text: str) -> str:
    """An identity id or a name as the local part of a ``cg:`` qualified name."""
    return _UNSAFE.sub("-", text.replace(":", "/"))


def _hex(uid: str) -> str:
    return uid.split(":", 1)[-1]


class ProvBuilder:
    """Collects the entities, agents and relations of many claims into one PROV-JSON document."""

    def __init__(self) -> None:
        self.doc: dict[str, dict[str, Any]] = {
            "prefix": dict(PREFIXES),
            "entity": {},
            "agent": {},
            "wasAttributedTo": {},
            "wasDerivedFrom": {},
            "actedOnBehalfOf": {},
        }
        self._n = 0

    def _relation(self, kind: str, attrs: dict[str, Any]) -> None:
        self._n += 1
        short = {"wasAttributedTo": "att", "wasDerivedFrom": "der", "actedOnBehalfOf": "del"}[kind]
        self.doc[kind][f"_:{short}{self._n}"] = attrs

    def _agent(self, key: str, attrs: dict[str, Any]) -> str:
        aid = "cg:agent/" + _local(key)
        known = self.doc["agent"].setdefault(aid, {})
        for name, value in attrs.items():
            known.setdefault(name, value)
        return aid

    def _outlet(self, article: Article) -> str:
        node = outlet_node(article)
        return self._agent(node.key, {"prov:type": qname("prov:Organization"), "prov:label": node.label})

    def _source(self, src: Source, anonymous_key: str) -> str:
        attrs: dict[str, Any] = {"prov:label": src.name or src.text, "cg:kind": src.kind}
        if src.kind in PERSON_KINDS:
            attrs["prov:type"] = qname("prov:Person")
        elif src.kind in ORGANIZATION_KINDS:
            attrs["prov:type"] = qname("prov:Organization")
        for name in ("role", "rank", "affiliation", "side"):
            value = getattr(src, name)
            if value:
                attrs["cg:" + name] = value
        if src.anonymous:
            attrs["cg:anonymous"] = True
            key = anonymous_key
        elif src.entity:
            attrs["cg:identity"] = src.entity
            key = src.entity
        else:
            key = "name/" + (normalize(src.name or src.text) or "unnamed")
        aid = self._agent(key, attrs)
        if src.affiliation and src.affiliation != src.entity:
            institution = self._agent(src.affiliation, {"cg:identity": src.affiliation})
            self._relation("actedOnBehalfOf", {"prov:delegate": aid, "prov:responsible": institution})
        return aid

    def add_article(self, article: Article) -> str:
        eid = "cg:article/" + _hex(article.id)
        if eid in self.doc["entity"]:
            return eid
        attrs: dict[str, Any] = {"prov:type": qname("schema:NewsArticle")}
        if article.title:
            attrs["prov:label"] = article.title
        if article.url:
            attrs["schema:url"] = {"$": article.url, "type": "xsd:anyURI"}
        if article.published:
            attrs["schema:datePublished"] = _date(article.published)
        if article.source:
            attrs["cg:source"] = article.source
        if article.outlet:
            attrs["schema:publisher"] = article.outlet
        self.doc["entity"][eid] = attrs
        self._relation("wasAttributedTo", {"prov:entity": eid, "prov:agent": self._outlet(article)})
        return eid

    def add_claim(self, article: Article, claim: Claim) -> str:
        art = self.add_article(article)
        base = "cg:claim/" + _hex(claim.id)
        if base in self.doc["entity"]:
            return base
        printed: dict[str, Any] = {
            "prov:type": qname("cg:Claim"),
            "prov:label": claim.content.text,
            "dct:isPartOf": qname(art),
            "cg:start": claim.content.start,
            "cg:end": claim.content.end,
            "cg:certainty": claim.certainty,
            "cg:polarity": claim.polarity,
            "cg:directQuote": claim.direct_quote,
        }
        if claim.event:
            printed["cg:event"] = claim.event
        self.doc["entity"][base] = printed
        self._relation("wasAttributedTo", {"prov:entity": base, "prov:agent": self._outlet(article)})
        previous = base
        statement = base
        for n, hop in enumerate(claim.chain, start=1):
            statement = f"{base}/hop/{n}"
            attrs: dict[str, Any] = {"prov:type": qname("cg:Statement"), "prov:label": claim.content.text}
            if hop.cue is not None:
                attrs["cg:cue"] = hop.cue.text
                attrs["cg:cueKind"] = hop.cue.kind
            self.doc["entity"][statement] = attrs
            for j, src in enumerate(hop.sources):
                agent = self._source(src, f"anonymous/{_hex(claim.id)}/{n}/{j}")
                self._relation("wasAttributedTo", {"prov:entity": statement, "prov:agent": agent})
            self._relation("wasDerivedFrom", {"prov:generatedEntity": previous, "prov:usedEntity": statement})
            previous = statement
        if claim.chain:
            self._relation(
                "wasDerivedFrom",
                {
                    "prov:generatedEntity": base,
                    "prov:usedEntity": statement,
                    "prov:type": qname("prov:PrimarySource"),
                },
            )
            if claim.direct_quote:
                self._relation(
                    "wasDerivedFrom",
                    {
                        "prov:generatedEntity": base,
                        "prov:usedEntity": statement,
                        "prov:type": qname("prov:Quotation"),
                    },
                )
        return base

    def build(self) -> dict[str, Any]:
        """The document, without the relation kinds that stayed empty."""
        return {k: v for k, v in self.doc.items() if v or k in {"prefix", "entity", "agent"}}


def document(rows: Sequence[tuple[Article, Claim]]) -> dict[str, Any]:
    """The claims' chains as one PROV-JSON document."""
    builder = ProvBuilder()
    for article, claim in rows:
        builder.add_claim(article, claim)
    return builder.build()
