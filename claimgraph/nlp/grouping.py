"""Group the tagger's CUE, SOURCE and CONTENT spans into attributions.

Each CUE span starts an attribution. Every SOURCE and CONTENT span is attached to
a cue of its own sentence (sentences by their words: the parser often puts a
closing quotation mark into the next one): a source to a cue the parse ties it to
(it is the subject of the cue verb, the object of "according to"), else to the
nearest; a content to the nearest. Only a quotation may belong to a cue of another
sentence (see ``_other_sentence``); other spans without a cue in their sentence are
dropped, as PolNeAR's train split shows they almost never belong to one. A cue
keeps one source (the tied or nearest one); a cue left without a source borrows the
source of a cue it is coordinated with or subordinate to ("X said ... and added
..."), else of the closest cue before it in its sentence. Several contents may hang
on one cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimgraph.nlp.attributions import Attribution, Offsets
from claimgraph.nlp.doctext import doc_text

SPANS_KEY = "attribution_tags"
QUOTES = "\"'“”‘’«»„‟‹›`"
_SHARE_DEPS = {"conj", "advcl", "xcomp", "ccomp", "dep", "parataxis"}


@dataclass
class _Group:
    cue: Span
    sources: list[Span] = field(default_factory=list)
    contents: list[Span] = field(default_factory=list)


def _sentence_ids(doc: Doc) -> list[int]:
    ids = [0] * len(doc)
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return ids
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            ids[i] = n
    return ids


def _gap(a: Span, b: Span) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _ancestor_within(anc: Token, tok: Token, steps: int) -> bool:
    cur = tok
    for _ in range(steps):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.i == anc.i:
            return True
    return False


def _tied(span: Span, cue: Span) -> bool:
    """Whether the parse makes a SOURCE span a dependent of the cue (its subject, the
    object of "according to", ...)."""
    if not span.doc.has_annotation("DEP"):
        return False
    root = span.root
    return any(_ancestor_within(span.doc[i], root, 3) for i in range(cue.start, cue.end))


def _quote_like(span: Span) -> bool:
    """Whether a span opens with a quotation mark (or right after one)."""
    doc = span.doc
    return span[0].text[:1] in QUOTES or (span.start > 0 and doc[span.start - 1].text[-1:] in QUOTES)


def _sentences(span: Span, sent: list[int]) -> tuple[int, int]:
    """The first and last sentence of a span, by its words: the parser often puts a
    closing quotation mark into the next sentence."""
    words = [t.i for t in span if not (t.is_punct or t.is_space)]
    if not words:
        return sent[span.start], sent[span.end - 1]
    return sent[words[0]], sent[words[-1]]


def _nearest(span: Span, cues: Sequence[Span], among: Sequence[int]) -> int | None:
    return min(among, key=lambda i: _gap(span, cues[i]), default=None)


def _same_sentence(span: Span, label: str, cues: Sequence[Span], sent: list[int]) -> int | None:
    """The cue of the span's own sentence(s) it belongs to: for a source, one the parse
    ties it to; else the nearest."""
    first, last = _sentences(span, sent)
    among = [i for i, cue in enumerate(cues) if first <= sent[cue.start] <= last]
    tied = [i for i in among if label == "SOURCE" and _tied(span, cues[i])]
    return _nearest(span, cues, tied or among)


def _other_sentence(
    span: Span,
    cues: Sequence[Span],
    sent: list[int],
    groups: Sequence[_Group],
    previous: tuple[Span, int] | None,
) -> int | None:
    """The cue of a quotation that has none in its own sentence(s).

    It continues the quotation just before it when no cue stands between them, else
    it runs on after a cue of the sentence before that already has a quotation ("A,"
    he said. "B."), else it belongs to a cue of the next sentence that has no content
    yet, else to the nearest cue of the sentence before, else of the sentence after.
    """
    first, last = _sentences(span, sent)
    if previous is not None:
        prev_span, prev_cue = previous
        if _sentences(prev_span, sent)[1] >= first - 1 and not any(
            prev_span.end <= c.start < span.start for c in cues
        ):
            return prev_cue
    before = [i for i, c in enumerate(cues) if sent[c.start] == first - 1]
    after = [i for i, c in enumerate(cues) if sent[c.start] == last + 1]
    quoting = [i for i in before if any(_quote_like(c) for c in groups[i].contents)]
    empty = [i for i in after if not groups[i].contents]
    for among in (quoting, empty, before):
        if among:
            return _nearest(span, cues, among)
    return None


def _offsets(spans: Sequence[Span]) -> Offsets:
    return [(s.start_char, s.end_char) for s in sorted(spans, key=lambda s: s.start)]


def _is_direct(doc: Doc, contents: Sequence[Span]) -> bool:
    if not contents:
        return False
    first, last = min(contents, key=lambda s: s.start), max(contents, key=lambda s: s.end)
    text = doc_text(doc)
    opens = first.start_char > 0 and text[first.start_char - 1] in QUOTES or first.text[:1] in QUOTES
    closes = last.text[-1:] in QUOTES or last.end_char < len(text) and text[last.end_char] in QUOTES
    return bool(opens and closes)


def group(doc: Doc, spans_key: str = SPANS_KEY) -> list[Attribution]:
    """The attributions that the tagged spans in ``doc.spans[spans_key]`` make up."""
    if spans_key not in doc.spans:
        return []
    tags = sorted(doc.spans[spans_key], key=lambda s: (s.start, s.end))
    cues = [s for s in tags if s.label_ == "CUE"]
    if not cues:
        return []
    sent = _sentence_ids(doc)
    groups = [_Group(cue) for cue in cues]
    pending: list[Span] = []
    for span in tags:
        if span.label_ not in ("SOURCE", "CONTENT"):
            continue
        i = _same_sentence(span, span.label_, cues, sent)
        if i is not None:
            (groups[i].sources if span.label_ == "SOURCE" else groups[i].contents).append(span)
        elif span.label_ == "CONTENT" and _quote_like(span):
            pending.append(span)
    # quotations without a cue of their own sentence, in order of the text
    assigned = {id(c): i for i, g in enumerate(groups) for c in g.contents}
    previous: tuple[Span, int] | None = None
    for span in sorted(pending + [c for g in groups for c in g.contents], key=lambda s: s.start):
        if id(span) in assigned:
            previous = (span, assigned[id(span)]) if _quote_like(span) else None
            continue
        i = _other_sentence(span, cues, sent, groups, previous)
        if i is None:
            previous = None
            continue
        groups[i].contents.append(span)
        assigned[id(span)] = i
        previous = (span, i)
    for g in groups:
        if len(g.sources) > 1:
            g.sources = [min(g.sources, key=lambda s: (not _tied(s, g.cue), _gap(s, g.cue)))]
    if doc.has_annotation("DEP"):
        by_root = {g.cue.root.i: g for g in groups}
        for g in groups:
            if g.sources:
                continue
            tok = g.cue.root
            for _ in range(2):
                if tok.dep_ not in _SHARE_DEPS or tok.head.i == tok.i:
                    break
                tok = tok.head
                other = by_root.get(tok.i)
                if other is not None and other.sources:
                    g.sources = list(other.sources)
                    break
    for k, g in enumerate(groups):
        # else the source of the closest cue before it in its sentence
        if not g.sources:
            earlier = [h for h in groups[:k] if h.sources and sent[h.cue.start] == sent[g.cue.start]]
            if earlier:
                g.sources = list(earlier[-1].sources)
    out = []
    for g in groups:
        out.append(
            Attribution(
                cue=[(g.cue.start_char, g.cue.end_char)],
                sources=_offsets(g.sources),
                contents=_offsets(g.contents),
                origin="tagger",
                direct_quote=_is_direct(doc, g.contents),
            )
        )
    return out
