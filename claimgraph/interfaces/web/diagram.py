"""The relay tree of a cluster laid out for an SVG: outlets, then intermediaries, then origins.

Pure: a ClusterReport (or anything with ``origins`` and ``relays`` of Nodes) in, positions out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from claimgraph.link.origins import Node

COLUMNS = ("Outlets", "Intermediaries", "Origins")
NODE_W = 230
NODE_H = 40
COL_GAP = 90
ROW_GAP = 22
MARGIN = 16
HEAD = 30  # room for the column headings
LABEL_CHARS = 32


class HasRelays(Protocol):
    origins: list[Node]
    relays: list[tuple[Node, Node]]


@dataclass(frozen=True)
class DiagramNode:
    key: str
    label: str
    short: str  # the label cut to fit the box
    column: int
    x: int
    y: int
    w: int = NODE_W
    h: int = NODE_H

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def ty(self) -> int:
        """Baseline of the label."""
        return self.y + self.h // 2 + 5


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    a_label: str
    b_label: str
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class Diagram:
    nodes: list[DiagramNode]
    edges: list[Edge]
    width: int
    height: int
    headings: list[tuple[int, str]]  # (x of the column's centre, heading)

    def describe(self) -> str:
        """The diagram in words (the SVG's ``<desc>``)."""
        parts = []
        for col, name in enumerate(COLUMNS):
            labels = [n.label for n in self.nodes if n.column == col]
            if labels:
                parts.append(f"{name}: {'; '.join(labels)}.")
        parts.extend(f"{e.a_label} cites {e.b_label}." for e in self.edges)
        return " ".join(parts) or "No relays."


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def layout(report: HasRelays) -> Diagram:
    """Place each party in its column (origins on the right) and draw an edge per relay."""
    return layout_nodes(report.origins, report.relays)


def layout_nodes(origins: Sequence[Node], relays: Sequence[tuple[Node, Node]]) -> Diagram:
    labels: dict[str, str] = {}
    for a, b in relays:
        labels.setdefault(a.key, a.label)
        labels.setdefault(b.key, b.label)
    for n in origins:
        labels[n.key] = n.label  # "NYT, citing anonymous sources" says more than "NYT"
    origin_keys = {n.key for n in origins}
    targets = {b.key for _, b in relays}
    column: dict[str, int] = {}
    for key in labels:
        if key in origin_keys:
            column[key] = 2
        elif key not in targets:
            column[key] = 0
        else:
            column[key] = 1
    nodes: list[DiagramNode] = []
    rows = [0, 0, 0]
    pos: dict[str, DiagramNode] = {}
    for key in sorted(labels, key=lambda k: (column[k], labels[k].lower(), k)):
        col = column[key]
        node = DiagramNode(
            key=key,
            label=labels[key],
            short=_short(labels[key]),
            column=col,
            x=MARGIN + col * (NODE_W + COL_GAP),
            y=HEAD + MARGIN + rows[col] * (NODE_H + ROW_GAP),
        )
        rows[col] += 1
        nodes.append(node)
        pos[key] = node
    edges = []
    for a, b in relays:
        na, nb = pos[a.key], pos[b.key]
        if na.column < nb.column:
            x1, x2 = na.x + na.w, nb.x
        elif na.column > nb.column:
            x1, x2 = na.x, nb.x + nb.w
        else:  # same column: from the side, down or up
            x1 = x2 = na.x + na.w
        y1, y2 = na.y + na.h // 2, nb.y + nb.h // 2
        edges.append(Edge(a.key, b.key, na.label, nb.label, x1, y1, x2, y2))
    width = 2 * MARGIN + 3 * NODE_W + 2 * COL_GAP
    height = HEAD + 2 * MARGIN + max(1, *rows) * (NODE_H + ROW_GAP)
    headings = [(MARGIN + c * (NODE_W + COL_GAP) + NODE_W // 2, name) for c, name in enumerate(COLUMNS)]
    return Diagram(nodes, edges, width, height, headings)
