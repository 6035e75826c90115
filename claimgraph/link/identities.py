"""Canonical identities for the sources and entities of a claim record.

Pure: given a record, the gazetteer and a way to ask which identities are
already known (the store's aliases), it returns the record with ``entity``,
``affiliation`` and ``side`` filled in, plus the identities it had to create
(people and organisations the gazetteer does not list). Within one article a
surname after a full name, and a description after a named source ("the
minister"), point back to that name.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from claimgraph.link.gazetteer import Gazetteer, Identity
from claimgraph.model import Article, Claim, ClaimRecord, Entity, Hop, Source

TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "president", "vice", "prime", "minister", "secretary", "senator",
    "sen", "rep", "representative", "governor", "gov", "general", "gen", "colonel", "col", "lieutenant", "lt",
    "major", "maj", "captain", "capt", "sergeant", "sgt", "admiral", "adm", "commander", "marshal",
    "brigadier",
    "chancellor", "king", "queen", "prince", "former", "democratic", "republican", "candidate", "nominee",
    "presidential", "foreign", "defense", "defence", "chief", "spokesperson", "spokesman", "spokeswoman",
    "mayor", "judge", "justice", "attorney", "speaker", "leader", "gop", "sec", "state",
}  # fmt: skip
# words after which a name is a role holder, not the name ("spokesperson for the SOF")
ROLE_PREPOSITIONS = {"for", "of", "at"}
PERSON_KINDS = {"person"}
NATIONALITY_KINDS = {"country"}
ENTITY_TYPE_BY_KIND = {
    "country": "GPE",
    "place": "LOC",
    "person": "PERSON",
    "media": "ORG",
    "government": "ORG",
    "military": "ORG",
    "intelligence": "ORG",
    "international": "ORG",
    "ngo": "ORG",
    "party": "ORG",
    "group": "NORP",
}
SOURCE_KIND_BY_KIND = {
    "country": "government",
    "government": "government",
    "military": "military",
    "intelligence": "intelligence",
    "media": "media",
    "international": "international",
    "ngo": "ngo",
    "party": "organisation",
    "person": "person",
    "place": "unknown",
    "group": "group",
}


def slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", norm).strip("-")


def strip_titles(name: str) -> str:
    """'Colonel Oleksandr Kindratenko' -> 'Oleksandr Kindratenko'; 'Mr. Trump' -> 'Trump'."""
    words = name.replace("’", "'").split()
    while len(words) > 1 and words[0].lower().strip(".,'") in TITLES | {"the"}:
        words = words[1:]
    if words and words[-1].lower().endswith("'s"):
        words[-1] = words[-1][:-2]
    return " ".join(words).strip(" ,.;:“”\"'")


def _person_name(text: str) -> str | None:
    """The name part of a source written with a role: 'General Oleksandr Syrskyi' or
    'the commander of X, General Oleksandr Syrskyi' -> 'Oleksandr Syrskyi'."""
    last = text.split(",")[-1].strip()
    name = strip_titles(last)
    words = name.split()
    if 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return name
    return None


@dataclass
class _ArticleScope:
    """Names already resolved in this article: full names by surname, identities by alias."""

    by_surname: dict[str, str]
    by_alias: dict[str, str]


class Resolver:
    """Gives sources and entity mentions their canonical identity.

    gazetteer (Gazetteer): the shipped and user identities.
    known (Callable[[str], str | None]): alias -> identity id already in the store.
    """

    def __init__(self, gazetteer: Gazetteer, known: Callable[[str], str | None] | None = None) -> None:
        self.gaz = gazetteer
        self.known = known or (lambda alias: None)

    # -- lookups ----------------------------------------------------------------------------------

    def _lookup(self, text: str, scope: _ArticleScope) -> Identity | str | None:
        """An identity from the gazetteer, or the id of one found earlier (article, then store)."""
        for candidate in dict.fromkeys([text, strip_titles(text)]):
            if not candidate:
                continue
            hit = self.gaz.lookup(candidate)
            if hit is not None:
                return hit
            key = candidate.lower()
            if key in scope.by_alias:
                return scope.by_alias[key]
            if key in scope.by_surname:
                return scope.by_surname[key]
            stored = self.known(candidate)
            if stored is not None:
                return stored
        return None

    def _id(self, hit: Identity | str | None) -> str | None:
        if hit is None:
            return None
        return hit if isinstance(hit, str) else hit.id

    def _identity(self, hit: Identity | str | None) -> Identity | None:
        if isinstance(hit, Identity):
            return hit
        if isinstance(hit, str):
            return self.gaz.get(hit)
        return None

    def _nationality(self, text: str) -> Identity | None:
        """'American officials' -> the United States; 'a Ukrainian official' -> Ukraine."""
        for word in re.findall(r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?", text):
            for candidate in (word, word.split()[0]):
                hit = self.gaz.lookup(candidate)
                if hit is not None and hit.kind in NATIONALITY_KINDS:
                    return hit
        return None

    # -- sources ------------------------------------------------------------------------------------

    def _source(self, src: Source, scope: _ArticleScope, new: dict[str, Identity]) -> Source:
        text = src.name or src.text
        changes: dict[str, object] = {}
        hit = self._lookup(text, scope)
        person = _person_name(text) if src.kind == "person" or hit is None else None
        if hit is None and person:
            hit = self._lookup(person, scope)
        if hit is None and src.kind == "person" and person and not src.anonymous:
            found = Identity(
                id=f"person/{slug(person)}", kind="person", name=person,
                aliases=(person, person.split()[-1]) if len(person.split()) > 1 else (person,),
            )  # fmt: skip
            new.setdefault(found.id, found)
            hit = found.id
        if hit is not None and person and len(person.split()) > 1:
            scope.by_surname.setdefault(person.split()[-1].lower(), self._id(hit) or "")
            scope.by_alias.setdefault(person.lower(), self._id(hit) or "")
        identity = self._identity(hit)
        if hit is not None and not src.anonymous:
            changes["entity"] = self._id(hit)
        if identity is not None:
            if src.kind in {"unknown", "organisation", "group"}:
                changes["kind"] = SOURCE_KIND_BY_KIND.get(identity.kind, src.kind)
            if identity.side:
                changes["side"] = identity.side
            elif identity.kind == "country":
                changes["side"] = identity.id
            if identity.parent and not src.affiliation:
                changes["affiliation"] = identity.parent
        # a role "spokesperson for the Special Operations Forces": the institution is the affiliation
        if src.role:
            inst = self._role_institution(src.role, scope)
            if inst is not None:
                changes["affiliation"] = inst.id
                if inst.side and not changes.get("side"):
                    changes["side"] = inst.side
        if src.anonymous or hit is None:
            nat = self._nationality(src.name or src.text)
            if nat is not None:
                changes.setdefault("side", nat.id)
                changes.setdefault("affiliation", nat.id)
        return dataclasses.replace(src, **changes) if changes else src  # type: ignore[arg-type]

    def _role_institution(self, role: str, scope: _ArticleScope) -> Identity | None:
        words = role.split()
        for i, w in enumerate(words):
            if w.lower() in ROLE_PREPOSITIONS and i + 1 < len(words):
                rest = " ".join(words[i + 1 :])
                hit = self._identity(self._lookup(rest, scope))
                if hit is not None:
                    return hit
        return None

    # -- entities -------------------------------------------------------------------------------

    def _entity(self, ent: Entity, scope: _ArticleScope) -> Entity:
        hit = self._lookup(ent.text, scope)
        if hit is None and ent.type == "PERSON":
            last = ent.text.split()[-1].lower() if ent.text.split() else ""
            hit = scope.by_surname.get(last)
        if hit is None:
            return ent
        return dataclasses.replace(ent, entity=self._id(hit))

    # -- the record -------------------------------------------------------------------------------

    def outlet(self, article: Article) -> Identity | None:
        """The article's outlet as an identity: its name, else the domain of its URL."""
        if article.outlet:
            hit = self.gaz.lookup(article.outlet)
            if hit is not None:
                return hit
        if article.url:
            return self.gaz.by_domain(article.url)
        return None

    def resolve(self, record: ClaimRecord) -> tuple[ClaimRecord, list[Identity]]:
        """The record with canonical ids, and every identity it names that the gazetteer or
        this article defines (created ones included), for the store to keep."""
        scope = _ArticleScope({}, {})
        new: dict[str, Identity] = {}
        claims: list[Claim] = []
        for claim in record.claims:
            chain = tuple(
                Hop(hop.cue, tuple(self._source(s, scope, new) for s in hop.sources)) for hop in claim.chain
            )
            claims.append(dataclasses.replace(claim, chain=chain))
        # entities after sources: a surname in a claim can point to a full name cited later
        claims = [
            with_frame_entities(
                dataclasses.replace(c, entities=tuple(self._entity(e, scope) for e in c.entities))
            )
            for c in claims
        ]
        article = record.article
        outlet = self.outlet(article)
        if outlet is not None:
            article = dataclasses.replace(article, outlet_entity=outlet.id)
        named: dict[str, Identity] = {outlet.id: outlet} if outlet is not None else {}
        for claim in claims:
            ids = [s.entity for h in claim.chain for s in h.sources] + [e.entity for e in claim.entities]
            ids += [s.affiliation for h in claim.chain for s in h.sources]
            for ident in ids:
                if ident and ident not in named:
                    found = new.get(ident) or self.gaz.get(ident)
                    if found is not None:
                        named[ident] = found
        return ClaimRecord(article, tuple(claims)), list(named.values())


def with_frame_entities(claim: Claim) -> Claim:
    """The claim with its frame's arguments carrying the canonical ids of its entities."""
    if claim.frame is None:
        return claim
    ids = {e.offsets: e.entity for e in claim.entities}
    args = tuple(dataclasses.replace(a, entity=ids.get(a.offsets, a.entity)) for a in claim.frame.arguments)
    return dataclasses.replace(claim, frame=dataclasses.replace(claim.frame, arguments=args))
