"""An article's text as runs to highlight: which parts are sources, cues, contents, hedges,
numbers and times, and which claim each part belongs to.

Pure: a ClaimRecord in, runs out; the template escapes the text of each run.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimgraph.model import Claim, ClaimRecord, Offsets

#: the layers, in the order the legend lists them
LAYERS = ("content", "source", "cue", "hedge", "number", "time")


@dataclass(frozen=True)
class Run:
    """A stretch of text with the same layers: ``claim`` is the index (in the record) of the
    innermost claim it belongs to, None for plain text; ``focus`` marks the first run of a
    claim's content (the one keyboard users reach)."""

    start: int
    end: int
    text: str
    layers: tuple[str, ...] = ()
    claim: int | None = None
    focus: bool = False


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    layer: str
    claim: int


def claim_pieces(claim: Claim) -> list[tuple[str, Offsets]]:
    """A claim's spans by layer."""
    out: list[tuple[str, Offsets]] = [("content", claim.content.offsets)]
    for hop in claim.chain:
        if hop.cue is not None:
            out.append(("cue", hop.cue.offsets))
        out.extend(("source", src.offsets) for src in hop.sources)
    out.extend(("hedge", h.offsets) for h in claim.hedges)
    out.extend(("number", q.offsets) for q in claim.quantities)
    out.extend(("time", t.offsets) for t in claim.times)
    return out


def _pieces(record: ClaimRecord) -> list[_Piece]:
    n = len(record.article.text)
    out = []
    for i, claim in enumerate(record.claims):
        for layer, offsets in claim_pieces(claim):
            for s, e in offsets:
                s, e = max(0, min(s, n)), max(0, min(e, n))
                if s < e:
                    out.append(_Piece(s, e, layer, i))
    return out


def _owner(active: list[_Piece]) -> int:
    """The claim of the smallest piece (content before the other layers on a tie)."""
    best = min(active, key=lambda p: (p.end - p.start, p.layer != "content", p.claim))
    return best.claim


def runs(record: ClaimRecord) -> list[Run]:
    """The article's text cut where any span starts or ends, each run with its layers and claim."""
    text = record.article.text
    pieces = _pieces(record)
    cuts = sorted({0, len(text), *(p.start for p in pieces), *(p.end for p in pieces)})
    starting: dict[int, list[_Piece]] = {}
    for p in pieces:
        starting.setdefault(p.start, []).append(p)
    active: list[_Piece] = []
    out: list[Run] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [p for p in active if p.end > a] + starting.get(a, [])
        if not active:
            out.append(Run(a, b, text[a:b]))
            continue
        layers = tuple(layer for layer in LAYERS if any(p.layer == layer for p in active))
        out.append(Run(a, b, text[a:b], layers, _owner(active)))
    return _mark_focus(out, pieces)


def _mark_focus(out: list[Run], pieces: list[_Piece]) -> list[Run]:
    """Mark each claim's first run of its own content (else its first run of any layer)."""
    content: dict[int, list[tuple[int, int]]] = {}
    for p in pieces:
        if p.layer == "content":
            content.setdefault(p.claim, []).append((p.start, p.end))
    marked: set[int] = set()
    for want_content in (True, False):
        for k, run in enumerate(out):
            c = run.claim
            if c is None or c in marked:
                continue
            inside = any(s <= run.start and run.end <= e for s, e in content.get(c, ()))
            if inside or not want_content:
                out[k] = Run(run.start, run.end, run.text, run.layers, c, True)
                marked.add(c)
    return out


def anchor(claim: Claim, index: int) -> str:
    """The HTML id of a claim in the list below the text: ``claim-claim-…``, unique per page."""
    if claim.id:
        return "claim-" + claim.id.replace(":", "-")
    return f"claim-n{index + 1}"
