"""The pure linking stage, driven with hand-built claims and a hand-made judge (no model loaded)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import permutations

import numpy as np
import numpy.typing as npt

from claimgraph.link.linker import (
    Link,
    LinkClaim,
    LinkSettings,
    blocked,
    clusters,
    frame_conflict,
    frames_agree,
    link,
)
from claimgraph.model import Argument, Article, Claim, Frame, FrameQuantity, Quantity, Span


def _article(name: str) -> Article:
    return Article(text="x" * 200, source=name, outlet=name, published="2025-02-01")


def _claim(
    uid: str,
    text: str,
    predicate: str | None = None,
    agent: str | None = None,
    patient: str | None = None,
    counts: Sequence[tuple[str, float, bool, str]] = (),
    time: tuple[str, str] | None = None,
    polarity: str = "positive",
) -> Claim:
    args = []
    if agent:
        args.append(Argument("agent", agent, ((0, 1),), agent))
    if patient:
        args.append(Argument("patient", patient, ((1, 2),), patient))
    quantities = tuple(
        Quantity(t, ((2, 3),), value=v, approximate=approx, counted=what) for what, v, approx, t in counts
    )
    frame = Frame(
        text=text,
        predicate=predicate,
        arguments=tuple(args),
        quantities=tuple(
            FrameQuantity(q.text, q.counted, q.value, approximate=q.approximate) for q in quantities
        ),
        time=time,
        polarity=polarity,
    )
    return Claim(
        content=Span(text, ((0, len(text)),)),
        sentence=(0, len(text)),
        id=uid,
        frame=frame,
        quantities=quantities,
        polarity=polarity,
    )


def _vec(*weights: float) -> npt.NDArray[np.float32]:
    v = np.zeros(8, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


class TableJudge:
    """Scores read from a table of word pairs: a pair is the same claim when the table says so."""

    def __init__(self, same: set[frozenset[str]]) -> None:
        self.same = same
        self.asked: list[tuple[str, str]] = []

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        self.asked.extend(pairs)
        return np.array([0.9 if frozenset(p) in self.same else 0.1 for p in pairs], dtype=np.float32)


WITHDRAWN = "North Korean troops were pulled from the front line"
PULLED = "North Korean soldiers have been withdrawn from the front"
ARRIVED = "North Korean troops arrived in Russia in November"


def test_a_pair_the_judge_accepts_links_with_its_reasons() -> None:
    a = LinkClaim(_claim("c:a", WITHDRAWN, "pull", patient="gpe/nk"), _article("one"), _vec(1, 0.1))
    b = LinkClaim(_claim("c:b", PULLED, "withdraw", patient="gpe/nk"), _article("two"), _vec(1, 0.2))
    c = LinkClaim(_claim("c:c", ARRIVED, "arrive", agent="gpe/nk"), _article("two"), _vec(1, 0.6))
    judge = TableJudge({frozenset((WITHDRAWN, PULLED))})
    result = link([b, c], [a], [], judge)
    assert [(x.a, x.b) for x in result.links] == [("c:a", "c:b")]
    assert result.links[0].reasons[0].startswith("judge 0.90")
    assert result.clusters["c:a"] == result.clusters["c:b"] == "c:a"
    assert result.clusters["c:c"] == "c:c"


def test_the_frame_vetoes_another_agent_disjoint_times_and_other_counts() -> None:
    one = _claim("c:1", "Trump won the primary in Indiana", "win", agent="per/trump")
    two = _claim("c:2", "Sanders won the primary in Indiana", "win", agent="per/sanders")
    assert "different agents" in (frame_conflict(one, two) or "")
    may = _claim("c:3", "troops left", "leave", time=("2025-05-01", "2025-05-31"))
    june = _claim("c:4", "troops left", "leave", time=("2025-06-01", "2025-06-30"))
    assert "disjoint times" in (frame_conflict(may, june) or "")
    few = _claim("c:5", "12,000 troops went", "go", counts=[("troops", 12000, False, "12,000")])
    many = _claim("c:6", "30,000 troops went", "go", counts=[("soldiers", 30000, False, "30,000")])
    assert "different numbers of troops" in (frame_conflict(few, many) or "")
    about = _claim(
        "c:7", "about 11,000 troops went", "go", counts=[("personnel", 11000, True, "about 11,000")]
    )
    assert frame_conflict(about, few) is None  # "about" allows 12,000
    # the judge is never asked about a vetoed pair
    judge = TableJudge({frozenset((one.content.text, two.content.text))})
    x = LinkClaim(one, _article("one"), _vec(1))
    y = LinkClaim(two, _article("two"), _vec(1))
    # (blocking by entity would not even pair them: its own test is below)
    result = link([y], [x], [], judge, LinkSettings(block_entities=False))
    assert not result.links and judge.asked == []
    assert result.vetoed and "different agents" in result.vetoed[0][2]


def test_blocking_pairs_only_claims_with_a_common_entity_published_close_together() -> None:
    one = _claim("c:1", "Trump won the primary in Indiana", "win", agent="per/trump")
    two = _claim("c:2", "Sanders won the primary in Indiana", "win", agent="per/sanders")
    three = _claim("c:3", "Trump took the primary in Indiana", "take", agent="per/trump")
    bare = _claim("c:4", "the primary in Indiana was won", "win")
    cfg = LinkSettings(window_days=30)
    early, late, undated = (
        Article(text="x", published="2016-05-03"),
        Article(text="y", published="2016-07-03"),
        Article(text="z"),
    )
    assert blocked(one, early, two, early, cfg) == "no canonical entity in common"
    assert blocked(one, early, three, early, cfg) is None
    assert blocked(one, early, bare, early, cfg) is None  # a claim naming no entity is not blocked
    assert blocked(one, early, three, late, cfg) == "published 61 days apart"
    assert blocked(one, early, three, undated, cfg) is None
    assert blocked(one, early, three, Article(text="w", published="not a date"), cfg) is None
    assert blocked(one, early, three, late, LinkSettings(window_days=None)) is None
    assert blocked(one, early, two, early, LinkSettings(block_entities=False)) is None
    # the linking stage never asks the judge about a blocked pair
    judge = TableJudge({frozenset((one.content.text, two.content.text))})
    result = link(
        [LinkClaim(two, _article("two"), _vec(1))], [LinkClaim(one, _article("one"), _vec(1))], [], judge
    )
    assert not result.links and judge.asked == []


def test_only_the_nearest_the_index_found_are_judged() -> None:
    one = _claim("c:1", "Trump won the primary in Indiana", "win", agent="per/trump")
    three = _claim("c:3", "Trump took the primary in Indiana", "take", agent="per/trump")
    judge = TableJudge({frozenset((one.content.text, three.content.text))})
    x, y = LinkClaim(one, _article("one"), _vec(1)), LinkClaim(three, _article("three"), _vec(1))
    assert link([y], [x], [], judge, nearest={"c:3": set()}).links == []
    assert [(lk.a, lk.b) for lk in link([y], [x], [], judge, nearest={"c:3": {"c:1"}}).links] == [
        ("c:1", "c:3")
    ]


def test_a_name_is_not_a_count() -> None:
    a = _claim("c:1", "Boeing delivered the 787", "deliver", agent="org/boeing")
    b = _claim("c:2", "Boeing delivered 22 Dreamliners", "deliver", agent="org/boeing")
    assert a.frame is not None
    named = Frame(
        text=a.frame.text,
        predicate="deliver",
        arguments=a.frame.arguments,
        quantities=(FrameQuantity("787", "Boeing", 787.0, kind="name"),),
    )
    a = Claim(
        a.content, a.sentence, id=a.id, frame=named, quantities=(Quantity("787", ((0, 3),), value=787.0),)
    )
    result = link(
        [LinkClaim(b, _article("two"), _vec(1))],
        [LinkClaim(a, _article("one"), _vec(1))],
        [],
        TableJudge(set()),
    )
    assert result.contradictions == []


def test_twelve_thousand_against_about_eleven_thousand_is_a_tension() -> None:
    a = _claim("c:1", ARRIVED, "arrive", agent="gpe/nk", counts=[("personnel", 11000, True, "about 11,000")])
    b = _claim(
        "c:2",
        "North Korea sent 12,000 troops",
        "send",
        agent="gpe/nk",
        counts=[("troops", 12000, False, "12,000")],
    )
    a = Claim(a.content, a.sentence, id=a.id, frame=a.frame, quantities=a.quantities)
    stored = LinkClaim(a, _article("one"), _vec(1, 0))
    # found by the store's quantity index (the same counted thing), not by the embedding
    result = link([LinkClaim(b, _article("two"), _vec(0, 1))], [], [], TableJudge(set()), numbers=[stored])
    kinds = [(x, y, c.kind) for x, y, c in result.contradictions]
    assert kinds == [("c:2", "c:1", "tension")], result.contradictions


def test_clusters_do_not_chain_topics() -> None:
    # a-b and b-c linked, a-c not: {a, b} and {c} (or {b, c} and {a}), never one cluster of three
    members = {"a": "A", "b": "B", "c": "C"}
    got = clusters(members, [Link("a", "b", 0.9), Link("b", "c", 0.8)], agreement=0.51)
    assert sorted(map(sorted, got.values())) == [["a", "b"], ["c"]]
    # with the third link the three are one claim
    got = clusters(members, [Link("a", "b", 0.9), Link("b", "c", 0.8), Link("a", "c", 0.7)], agreement=0.51)
    assert list(got.values()) == [["a", "b", "c"]]


def test_a_claim_joins_a_cluster_only_when_it_agrees_with_most_of_it() -> None:
    # b is linked to a1 and a2 (one article); c only to b: {a1, a2, b} and {c}
    members = {"a1": "A", "a2": "A", "b": "B", "c": "C"}
    links = [Link("a1", "b", 0.9), Link("a2", "b", 0.8), Link("a1", "a2", 0.85), Link("b", "c", 0.7)]
    got = clusters(members, links, agreement=0.5)
    assert sorted(map(sorted, got.values())) == [["a1", "a2", "b"], ["c"]]


def test_clusters_do_not_depend_on_arrival_order() -> None:
    texts = {
        "c:1": (WITHDRAWN, _vec(1, 0.1)),
        "c:2": (PULLED, _vec(1, 0.2)),
        "c:3": ("North Korean units left the front line", _vec(1, 0.15)),
        "c:4": (ARRIVED, _vec(0.3, 1)),
    }
    same = {
        frozenset((texts[x][0], texts[y][0])) for x in ("c:1", "c:2", "c:3") for y in ("c:1", "c:2", "c:3")
    }
    results = set()
    for order in permutations(texts):
        known: list[LinkClaim] = []
        links: list[Link] = []
        where: dict[str, str] = {}
        for uid in order:
            new = LinkClaim(_claim(uid, texts[uid][0]), _article(uid), texts[uid][1])
            result = link([new], known, links, TableJudge(same), LinkSettings(floor=0.2))
            links += result.links
            where.update(result.clusters)
            known.append(new)
        results.add(frozenset(where.items()))
    assert len(results) == 1
    (final,) = results
    assert dict(final)["c:1"] == dict(final)["c:2"] == dict(final)["c:3"] != dict(final)["c:4"]


def test_frames_agree_needs_one_predicate_and_a_shared_core_argument() -> None:
    a = _claim("c:1", WITHDRAWN, "withdraw", patient="gpe/nk")
    b = _claim("c:2", PULLED, "withdraw", patient="gpe/nk")
    c = _claim("c:3", ARRIVED, "arrive", agent="gpe/nk")
    assert frames_agree(a, b)
    assert not frames_agree(a, c)
