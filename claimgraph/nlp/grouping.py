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

from bisect import bisect_left, bisect_right
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


class _CueSentences:
    """The cues of a run of sentences, in the cues' order.

    The cues come in order of their first token and sentence numbers grow with the
    tokens, so the cues of sentences ``first`` to ``last`` are one run of them, found by
    bisection (a scan of every cue for every span made a long article quadratic).
    """

    def __init__(self, cues: Sequence[Span], sent: list[int]) -> None:
        self.of = [sent[c.start] for c in cues]
        self.ordered = all(a <= b for a, b in zip(self.of, self.of[1:], strict=False))

    def between(self, first: int, last: int) -> list[int]:
        """The positions ``i`` of the cues with ``first <= sentence <= last``, ascending."""
        if not self.ordered:
            return [i for i, n in enumerate(self.of) if first <= n <= last]
        return list(range(bisect_left(self.of, first), bisect_right(self.of, last)))


def _same_sentence(
    span: Span, label: str, cues: Sequence[Span], sent: list[int], by_sentence: _CueSentences | None = None
) -> int | None:
    """The cue of the span's own sentence(s) it belongs to: for a source, one the parse
    ties it to; else the nearest.

    by_sentence (_CueSentences | None): the cues by sentence, when at hand.
    """
    first, last = _sentences(span, sent)
    among = (by_sentence or _CueSentences(cues, sent)).between(first, last)
    tied = [i for i in among if label == "SOURCE" and _tied(span, cues[i])]
    return _nearest(span, cues, tied or among)


def _other_sentence(
    span: Span,
    cues: Sequence[Span],
    sent: list[int],
    groups: Sequence[_Group],
    previous: tuple[Span, int] | None,
    by_sentence: _CueSentences | None = None,
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
        if _sentences(prev_span, sent)[1] >= first - 1 and not _cue_between(cues, prev_span.end, span.start):
            return prev_cue
    by_sentence = by_sentence or _CueSentences(cues, sent)
    before = by_sentence.between(first - 1, first - 1)
    after = by_sentence.between(last + 1, last + 1)
    quoting = [i for i in before if any(_quote_like(c) for c in groups[i].contents)]
    empty = [i for i in after if not groups[i].contents]
    for among in (quoting, empty, before):
        if among:
            return _nearest(span, cues, among)
    return None


def _cue_between(cues: Sequence[Span], start: int, end: int) -> bool:
    """Whether a cue starts at a token in ``[start, end)``; the cues come in order of start."""
    k = bisect_left(cues, start, key=lambda c: c.start)
    return k < len(cues) and cues[k].start < end


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
    by_sentence = _CueSentences(cues, sent)
    groups = [_Group(cue) for cue in cues]
    pending: list[Span] = []
    for span in tags:
        if span.label_ not in ("SOURCE", "CONTENT"):
            continue
        i = _same_sentence(span, span.label_, cues, sent, by_sentence)
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
        i = _other_sentence(span, cues, sent, groups, previous, by_sentence)
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
    # else the source of the closest cue before it in its sentence (that has one by then)
    last_with_source: dict[int, _Group] = {}
    for g in groups:
        n = sent[g.cue.start]
        if not g.sources:
            earlier = last_with_source.get(n)
            if earlier is not None:
                g.sources = list(earlier.sources)
        if g.sources:
            last_with_source[n] = g
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
