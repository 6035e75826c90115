"""Event type of a claim, from a small ontology mapped to PLOVER, and the places it names.

The ontology and its signalling lemmas are data (``data/events.json``): the main
predicate of the claim decides first, any signalling word of the claim second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from claimgraph.model import Entity
from claimgraph.nlp.doctext import doc_text, ents_between

_DATA = Path(__file__).parent / "data" / "events.json"
ENTITY_TYPES = {"GPE", "LOC", "NORP", "ORG", "PERSON", "FAC"}
# "the Kursk region": a place name and the word that says it is a region belong together
REGION_WORDS = {
    "region",
    "oblast",
    "province",
    "district",
    "governorate",
    "krai",
    "republic",
    "city",
    "county",
}


@dataclass(frozen=True)
class EventType:
    type: str
    plover: str
    lemmas: frozenset[str]


@cache
def ontology(path: Path = _DATA) -> tuple[EventType, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(EventType(t["type"], t["plover"], frozenset(t["lemmas"])) for t in data["types"])


def plover_of(event: str) -> str | None:
    """The PLOVER category an event type maps to."""
    return next((t.plover for t in ontology() if t.type == event), None)


def event_type(doc: Doc, content: list[tuple[int, int]]) -> str:
    """The event type of a claim's content; "other" when nothing signals one."""
    tokens: list[Token] = []
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            tokens.extend(span)
    if not tokens:
        return "other"
    types = ontology()
    heads = [t for t in tokens if t.head.i == t.i or not (content[0][0] <= t.head.idx < content[-1][1])]
    for head in heads:
        for t in types:
            if head.lemma_.lower() in t.lemmas and t.type != "statement":
                return t.type
    lemmas = {t.lemma_.lower() for t in tokens}
    for t in types:
        if t.lemmas & lemmas:
            return t.type
    return "other"


def entities(doc: Doc, content: list[tuple[int, int]]) -> tuple[Entity, ...]:
    """People, places, organisations and groups that the claim's content names."""
    out: list[Entity] = []
    for s, e in content:
        # an entity may reach one word past the content ("the Kursk region"): look a little wider
        for ent in ents_between(doc, s, e):
            start, end, label = ent.start_char, ent.end_char, ent.label_
            after = doc[ent.end] if ent.end < len(doc) else None
            if after is not None and after.lower_ in REGION_WORDS and label in ENTITY_TYPES | {"PRODUCT"}:
                end, label = after.idx + len(after.text), "LOC"
            if label in ENTITY_TYPES and end <= e:
                out.append(Entity(doc_text(doc)[start:end], ((start, end),), label))
    return tuple(out)
