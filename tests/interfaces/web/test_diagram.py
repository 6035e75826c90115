"""The relay tree's layout: outlets, intermediaries, origins; an edge per relay."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimgraph.interfaces.web.diagram import NODE_W, layout
from claimgraph.link.origins import Node


@dataclass
class Report:
    origins: list[Node]
    relays: list[tuple[Node, Node]] = field(default_factory=list)


DAILY = Node("outlet:daily", "Daily")
WEEKLY = Node("outlet:weekly", "Weekly")
NYT = Node("media/nyt", "The New York Times")
NYT_ANON = Node("media/nyt", "The New York Times, citing anonymous sources")
SOF = Node("org/sof", "The Special Operations Forces of the Ukrainian Armed Forces")
UP = Node("media/up", "Ukrainska Pravda")


def test_columns() -> None:
    rep = Report([NYT_ANON, SOF], [(DAILY, NYT), (DAILY, UP), (UP, SOF), (WEEKLY, NYT)])
    d = layout(rep)
    col = {n.key: n.column for n in d.nodes}
    assert col == {"outlet:daily": 0, "outlet:weekly": 0, "media/up": 1, "media/nyt": 2, "org/sof": 2}
    nyt = next(n for n in d.nodes if n.key == "media/nyt")
    assert nyt.label == "The New York Times, citing anonymous sources"  # the origin's label
    assert nyt.short.endswith("…") and len(nyt.short) <= 32
    assert len(d.edges) == 4
    # nodes of one column share x and do not overlap
    zero = sorted((n for n in d.nodes if n.column == 0), key=lambda n: n.y)
    assert zero[0].x == zero[1].x and zero[0].y + zero[0].h < zero[1].y
    # edges run from a box's right side to the next box's left side
    e = next(e for e in d.edges if e.a == "outlet:daily" and e.b == "media/up")
    daily = next(n for n in d.nodes if n.key == "outlet:daily")
    up = next(n for n in d.nodes if n.key == "media/up")
    assert (e.x1, e.x2) == (daily.x + NODE_W, up.x)
    assert all(n.x + n.w <= d.width and n.y + n.h <= d.height for n in d.nodes)
    text = d.describe()
    assert "Origins: The New York Times, citing anonymous sources" in text
    assert "Daily cites Ukrainska Pravda." in text


def test_own_voice_is_an_origin_alone() -> None:
    d = layout(Report([DAILY]))
    assert [(n.key, n.column) for n in d.nodes] == [("outlet:daily", 2)]
    assert d.edges == []


def test_empty() -> None:
    d = layout(Report([]))
    assert d.nodes == [] and d.describe() == "No relays."
    assert d.height > 0


def test_backward_edge_between_origins() -> None:
    # one chain ends at NYT, another goes through NYT to SOF: both are origins
    d = layout(Report([NYT, SOF], [(DAILY, NYT), (NYT, SOF)]))
    e = next(e for e in d.edges if e.a == "media/nyt")
    assert e.x1 == e.x2  # same column: drawn down the side
