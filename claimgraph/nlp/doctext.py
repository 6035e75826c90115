"""The text, entities and noun chunks of a parsed document, built once, and indexes
that answer "which spans lie here" by bisection.

``Doc.text`` joins every token each time it is read; the stages read it per
claim and per span, which made analysis quadratic in the article's length. So
did scanning every entity, noun chunk, sentence or attribution of the article
for each claim: a long article has thousands of each, and ``SpanIndex``,
``ents_at`` and ``noun_chunk_at`` find the few that matter in logarithmic time.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from spacy.tokens import Doc, Span

_NONE = float("-inf")


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


class SpanIndex:
    """Spans ``(start, end)`` indexed for the questions asked of many of them at once:
    which overlap a range, and which contain one. Answers are the spans' positions in
    the order they were given, ascending, so a caller that scanned the spans in order
    and took the first hit takes the first answer.

    Spans are kept in order of start, with a tree of the furthest end under each node:
    a question costs O((k + 1) log n) for k answers, whatever the spans' lengths and
    however they overlap.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        items = list(spans)
        self.order = sorted(range(len(items)), key=lambda i: items[i][0])
        self.starts = [items[i][0] for i in self.order]
        size = 1
        while size < len(items):
            size *= 2
        tree: list[float] = [_NONE] * (2 * size)
        tree[size : size + len(items)] = [items[i][1] for i in self.order]
        for node in range(size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self.size = size
        self.tree = tree

    def __len__(self) -> int:
        return len(self.starts)

    def _reaching(self, k: int, end: int, strict: bool) -> list[int]:
        """The positions of the spans among the first ``k`` by start whose end is past
        ``end`` (``strict``) or at least ``end``."""
        out: list[int] = []
        if k <= 0:
            return out
        tree, size = self.tree, self.size
        stack = [(1, 0, size)]
        while stack:
            node, lo, hi = stack.pop()
            reach = tree[node]
            if lo >= k or reach < end or (strict and reach == end):
                continue
            if node >= size:
                out.append(self.order[node - size])
                continue
            mid = (lo + hi) // 2
            stack.append((2 * node + 1, mid, hi))
            stack.append((2 * node, lo, mid))
        out.sort()
        return out

    def overlapping(self, start: int, end: int) -> list[int]:
        """The spans ``(s, e)`` with ``s < end`` and ``start < e``."""
        return self._reaching(bisect_left(self.starts, end), start, True)

    def containing(self, start: int, end: int) -> list[int]:
        """The spans ``(s, e)`` with ``s <= start`` and ``end <= e``."""
        return self._reaching(bisect_right(self.starts, start), end, False)


def _cached_index(doc: Doc, key: str, spans: list[Span]) -> SpanIndex:
    index = doc.user_data.get(key)
    if not isinstance(index, SpanIndex):
        index = doc.user_data[key] = SpanIndex((s.start_char, s.end_char) for s in spans)
    return index


def ents_at(doc: Doc, char: int) -> list[Span]:
    """The entities that hold the character at ``char``, in the order of ``doc.ents``."""
    ents = doc.user_data.get("claimgraph.ents")
    if ents is None:
        ents = doc.user_data["claimgraph.ents"] = list(doc.ents)
    index = _cached_index(doc, "claimgraph.ent_index", ents)
    return [ents[i] for i in index.containing(char, char + 1)]


class FirstHolding:
    """The first of some ranges ``[start, end)`` to hold a point, in their order, where
    a scan stops at the first range that starts after the point: what
    ``_noun_chunk_at`` asked of every noun chunk, found by bisection on running maxima.
    The ranges may come in any order and overlap.
    """

    def __init__(self, starts: Iterable[int], ends: Iterable[int]) -> None:
        self.max_start = list(itertools.accumulate(starts, max))
        self.max_end = list(itertools.accumulate(ends, max))

    def __call__(self, i: int) -> int | None:
        """The position of the first range with ``start <= i < end`` that comes before any
        range with ``start > i``; None when there is none."""
        first_after = bisect_right(self.max_start, i)
        holds = bisect_right(self.max_end, i)
        return holds if holds < first_after else None


def noun_chunk_at(doc: Doc, i: int) -> Span | None:
    """The noun chunk holding token ``i``: the first in ``doc.noun_chunks`` that holds it,
    looking no further than the first chunk that starts after it."""
    chunks = doc.user_data.get("claimgraph.chunks")
    if chunks is None:
        chunks = doc.user_data["claimgraph.chunks"] = list(doc.noun_chunks)
    find = doc.user_data.get("claimgraph.chunk_index")
    if not isinstance(find, FirstHolding):
        find = doc.user_data["claimgraph.chunk_index"] = FirstHolding(
            (c.start for c in chunks), (c.end for c in chunks)
        )
    k = find(i)
    return None if k is None else chunks[k]
