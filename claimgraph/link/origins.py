"""Where a claim comes from: its origin and the relays it passed through.

The origin is the innermost source that can be named. Anonymous sources ("US
officials") are known only through whoever cites them, so a claim from anonymous
sources has as its origin the innermost named relay that cites them ("The New
York Times, citing anonymous sources"), and it is the same origin as the relay
speaking for itself: "officials told the NYT" is the NYT's sourcing, so the NYT's
headline, its report citing officials and twenty outlets repeating either are one
origin, not twenty. Identities are canonical (``NYT:``, "The New York Times" and
nytimes.com are one), so origins are counted by identity, not by spelling.

A claim in the outlet's own voice has the outlet as its origin, or the wire service
whose dateline opens the story ("RENO, Nev. (AP) —"): ten outlets printing one AP
story are one origin. Relays are every named hop nearer the reporter, the article's
outlet first.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimgraph.link.gazetteer import normalize
from claimgraph.model import WIRES, Article, Claim, Source, wire_of


@dataclass(frozen=True)
class Node:
    """A party in a relay chain: an identity id, or a name as written when no identity is known."""

    key: str
    label: str


def outlet_node(article: Article) -> Node:
    wire = wire_of(article.text)
    if wire is not None:
        # a wire story reprinted: the wire's reporting, whoever prints it
        key, name = WIRES[wire]
        return Node(key, name)
    if article.outlet_entity:
        return Node(article.outlet_entity, article.outlet or article.outlet_entity)
    if article.outlet:
        return Node("outlet:" + normalize(article.outlet), article.outlet)
    # an unknown outlet is its own: two unnamed publishers are not one origin
    return Node("outlet:unknown:" + article.id.removeprefix("sha256:")[:12], "the outlet (unknown)")


def source_node(src: Source) -> Node | None:
    """A named source's node; None for an anonymous one."""
    if src.anonymous:
        return None
    if src.entity:
        return Node(src.entity, src.name or src.text)
    name = src.name or src.text
    key = normalize(name)
    if not key or key in {"he", "she", "they", "it", "we", "i", "who", "which"}:
        return None
    if not any(ch.isupper() for ch in name):
        return None  # "his", "self", "less than two weeks ago": no party anyone could name

    return Node("name:" + key, name)


def chain_nodes(article: Article, claim: Claim) -> list[list[Node | None]]:
    """The chain as nodes, reporter first: the outlet, then each hop's sources (None: anonymous)."""
    nodes: list[list[Node | None]] = [[outlet_node(article)]]
    for hop in claim.chain:
        nodes.append([source_node(s) for s in hop.sources] or [None])
    return nodes


def origins(article: Article, claim: Claim) -> tuple[Node, ...]:
    """The claim's origins: the innermost named sources, or the named relay of anonymous ones."""
    levels = chain_nodes(article, claim)
    last = levels[-1]
    named = [n for n in last if n is not None]
    if len(levels) == 1:
        return tuple(named)  # own voice: the outlet
    if named and len(named) == len(last):
        return tuple(dict.fromkeys(named))
    # anonymous sources at the origin: known through the nearest named relay that cites them
    for level in reversed(levels[:-1]):
        relay = [n for n in level if n is not None]
        if relay:
            return tuple(
                dict.fromkeys(
                    [
                        *named,
                        *(Node(n.key, f"{n.label}, citing anonymous sources") for n in relay),
                    ]
                )
            )
    return tuple(named)


def relays(article: Article, claim: Claim) -> tuple[tuple[Node, Node], ...]:
    """Edges of the relay tree, reporter to origin: (who reports, whom it cites)."""
    levels = [[n for n in level if n is not None] for level in chain_nodes(article, claim)]
    levels = [lvl for lvl in levels if lvl]
    edges: list[tuple[Node, Node]] = []
    for outer, inner in zip(levels, levels[1:], strict=False):
        for a in outer:
            for b in inner:
                if a.key != b.key:
                    edges.append((a, b))
    return tuple(dict.fromkeys(edges))


def is_circular(article: Article, claim: Claim) -> bool:
    """Whether a party appears twice in one chain with another between (A citing B citing A).

    The same party on two hops in a row ("told NYT" as venue and speaker) is one party.
    """
    levels = [{n.key for n in level if n is not None} for level in chain_nodes(article, claim)]
    for i, level in enumerate(levels):
        for later in levels[i + 2 :]:
            if level & later:
                return True
    return False
