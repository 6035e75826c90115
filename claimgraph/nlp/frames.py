"""The proposition frame of a claim: predicate, core arguments, counted numbers, time, polarity.

Read from the dependency parse of the claim's content, after its other semantics
(entities, numbers, times, certainty) are known. The frame leaves out the
attribution (the chain is not part of the content) and the hedge words, and is
what linking compares and cites: two claims with one predicate but different
agents, disjoint times or different counted things are not one claim.

- ``predicate``: the lemma of the content's main verb (the root of the content, or
  the first verb whose head lies outside it); a copula keeps its complement's lemma
  ("was killed" → kill, "is dead" → dead).
- ``arguments``: each named entity of the content, with the role of the clause
  member it belongs to: ``agent`` (active subject, passive "by" object), ``patient``
  (object, passive subject), ``place`` (a place after in/at/near/from/to/into), else
  ``other``.
- ``quantities``: each number with what it counts; a number that names something
  (right after a capitalised word — Boeing 787, Resolution 2231, Highway 1 — or
  inside a product, law or facility name) is of kind ``name``.
- ``time``: the widest interval of the content's dates and intervals.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from claimgraph.model import Argument, Claim, Frame, FrameQuantity, Offsets
from claimgraph.nlp.doctext import doc_text, ents_at

_PLACE_PREPS = {"in", "at", "near", "from", "to", "into", "across", "inside", "outside", "around"}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_NAMING_TYPES = {"PRODUCT", "LAW", "FAC", "WORK_OF_ART", "EVENT", "ORG"}
_NAMING_WORDS = {"no", "no.", "number", "resolution", "highway", "route", "flight", "article", "section"}


def _tokens(doc: Doc, content: Offsets) -> list[Token]:
    out: list[Token] = []
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out


def _inside(tok: Token, content: Offsets) -> bool:
    return any(s <= tok.idx < e for s, e in content)


def main_verb(tokens: list[Token], content: Offsets) -> Token | None:
    """The content's main verb: its root when that is a verb, else the first verb heading outside."""
    heads = [t for t in tokens if t.head.i == t.i or not _inside(t.head, content)]
    for t in heads:
        if t.pos_ in {"VERB", "AUX"}:
            return t
    for t in tokens:
        if t.pos_ == "VERB":
            return t
    return heads[0] if heads else None


def predicate(verb: Token | None) -> str | None:
    if verb is None:
        return None
    if verb.lemma_.lower() == "be":
        for child in verb.children:
            if child.dep_ in {"acomp", "attr", "oprd"}:
                return child.lemma_.lower()
    return verb.lemma_.lower()


def role(tok: Token, verb: Token | None, content: Offsets) -> str:
    """The role of the clause member that holds ``tok`` (an entity's root)."""
    node = tok
    for _ in range(12):  # walk up to the clause's verb (bounded: parses can loop only in theory)
        dep = node.dep_
        head = node.head
        if dep == "pobj" and head.dep_ == "agent":
            return "agent"
        if dep in {"nsubj", "csubj"}:
            return "agent" if verb is None or head.i == verb.i else "other"
        if dep in {"nsubjpass", "dobj", "dative", "attr"}:
            return "patient" if verb is None or head.i == verb.i else "other"
        if dep == "pobj" and head.lower_ in _PLACE_PREPS:
            return "place" if tok.ent_type_ in _PLACE_TYPES else "other"
        if head.i == node.i or not _inside(head, content):
            return "other"
        if dep not in {"compound", "amod", "poss", "appos", "conj", "cc", "det", "nmod", "prep", "pobj"}:
            return "other"
        node = head
    return "other"


def _names_something(doc: Doc, offsets: Offsets) -> bool:
    start = offsets[0][0]
    if any(ent.label_ in _NAMING_TYPES for ent in ents_at(doc, start)):
        return True
    span = doc.char_span(offsets[0][0], offsets[0][1], alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    before = doc[span.start - 1]
    if before.lower_ in _NAMING_WORDS:
        return True
    # "Boeing 787", "Highway 1": a capitalised word right before, not a sentence start or a month
    return (
        before.text[:1].isupper()
        and before.pos_ == "PROPN"
        and not before.is_sent_start
        and before.ent_type_ != "DATE"
    )


def compared_text(text: str, claim: Claim) -> str:
    """The claim's sentence less its attribution (the cues and sources of its chain): the
    proposition with its whole context, whatever the content's boundaries."""
    start, end = claim.sentence
    start = min(start, claim.content.offsets[0][0])
    end = max(end, claim.content.offsets[-1][1])
    out = [False] * (end - start)
    for hop in claim.chain:
        spans = list(hop.cue.offsets) if hop.cue is not None else []
        for src in hop.sources:
            spans += list(src.offsets)
        for s, e in spans:
            for i in range(max(s, start), min(e, end)):
                out[i - start] = True
    kept = "".join(ch if not gone else " " for ch, gone in zip(text[start:end], out, strict=True))
    kept = re.sub(r"\s+", " ", kept)
    kept = re.sub(r"(\s*[,;:—–-]\s*)+(?=[,.;:!?]|$)", "", kept)  # commas the attribution left
    kept = re.sub(r"\s+([,.;:!?])", r"\1", kept).strip(" ,;:—–-")
    return kept if len(kept.split()) >= 3 else claim.content.text


def build_frame(doc: Doc, claim: Claim) -> Frame:
    """The frame of a claim whose entities, quantities, times, polarity and hedges are set."""
    content = claim.content.offsets
    tokens = _tokens(doc, content)
    verb = main_verb(tokens, content)
    compared = compared_text(doc_text(doc), claim)
    args = []
    for ent in claim.entities:
        (s, e) = ent.offsets[0]
        span = doc.char_span(s, e, alignment_mode="expand")
        r = role(span.root, verb, content) if span is not None else "other"
        args.append(Argument(r, ent.text, ent.offsets, ent.entity))
    quantities = tuple(
        FrameQuantity(
            text=q.text,
            counted=q.counted,
            value=q.value,
            low=q.low,
            high=q.high,
            approximate=q.approximate,
            kind="name" if _names_something(doc, q.offsets) else "count",
        )
        for q in claim.quantities
    )
    starts = [t.start for t in claim.times if t.kind in {"date", "interval"} and t.start]
    ends = [t.end for t in claim.times if t.kind in {"date", "interval"} and t.end]
    time = (min(starts) if starts else None, max(ends) if ends else None) if starts or ends else None
    return Frame(
        text=compared,
        predicate=predicate(verb),
        arguments=tuple(args),
        quantities=quantities,
        time=time,
        polarity=claim.polarity,
        modality=claim.certainty,
    )
