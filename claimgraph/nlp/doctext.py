"""The text, entities and noun chunks of a parsed document, built once.

``Doc.text`` joins every token each time it is read; the stages read it per
claim and per span, which made analysis quadratic in the article's length.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached on the document."""
    text = doc.user_data.get("claimgraph.text")
    if text is None:
        text = doc.user_data["claimgraph.text"] = doc.text
    return str(text)


def doc_ents(doc: Doc) -> list[Span]:
    """``doc.ents``, built once (each read of the property makes new Span objects)."""
    ents = doc.user_data.get("claimgraph.ents")
    if ents is None:
        ents = doc.user_data["claimgraph.ents"] = list(doc.ents)
    return list(ents)


def noun_chunks(doc: Doc) -> list[Span]:
    """``doc.noun_chunks``, found once."""
    chunks = doc.user_data.get("claimgraph.chunks")
    if chunks is None:
        chunks = doc.user_data["claimgraph.chunks"] = list(doc.noun_chunks)
    return list(chunks)


def ents_between(doc: Doc, start: int, end: int) -> list[Span]:
    """The entities lying inside the characters [start, end), found by bisection."""
    ents = doc.user_data.get("claimgraph.ents")
    if ents is None:
        ents = doc.user_data["claimgraph.ents"] = list(doc.ents)
    starts = doc.user_data.get("claimgraph.ent_starts")
    if starts is None:
        starts = doc.user_data["claimgraph.ent_starts"] = [e.start_char for e in ents]
    i = bisect_left(starts, start)
    out = []
    while i < len(ents) and ents[i].start_char < end:
        if ents[i].end_char <= end:
            out.append(ents[i])
        i += 1
    return out
