"""Linking, as one pure stage: which claims assert the same proposition, in which clusters.

Given the new article's claims and the candidate claims the store found for them
(with the links already stored among those candidates' clusters), ``link`` returns
the new links (pair, score, reasons), the cluster of every claim it touched and the
contradictions the new claims bring. No SQL, no spaCy, no I/O: the judge is a
function handed in.

How a pair is decided:

1. *Candidates.* The candidate index gives each new claim its ``neighbours`` nearest
   stored claims by embedding, at least ``floor`` (``nearest``); *blocking* drops the
   pairs whose contents name canonical entities, none in common, or whose articles were
   published more than ``window_days`` apart (``blocked``); of the rest, a pair is judged
   when one is among the ``top`` nearest of the other in the other's article (both, with
   ``mutual``). Claims of fewer than ``MIN_WORDS`` content words assert too little to
   match anything.
2. *The frame* (``Claim.frame``) vetoes where it is reliable: one predicate with
   different agents or patients (canonical entities), disjoint times, or different
   counts of one counted thing mean "not the same claim" (the last is a contradiction
   if the rest agrees — it is found apart, see below).
3. *The judge* (a cross-encoder, ``link.judge``) scores the compared texts; the
   pair links when the score reaches ``threshold`` (``same_article`` for two claims of
   one article: a report and the confirmation it quotes are one claim with two origins).

Clusters do not chain topics: inside each connected component of links, clusters
are merged best link first, and two clusters merge only when at least
``agreement`` of the pairs between them are one proposition (linked, or judged so when
the merge asks about a pair no link records).
That is a function of the component's links alone — order independent — and a new
article touches only the components it links to.

Contradictions: inside the clusters a new claim joins, opposite polarity and
denials; across clusters, numbers of the same counted thing (never a number that
names something) whose frames otherwise agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import numpy.typing as npt

from claimgraph.link.contradictions import Contradiction, compare_numbers, compare_same_claim, fold_counted
from claimgraph.model import Article, Claim, Frame


def compared(claim: Claim) -> str:
    """What linking compares of a claim: its frame's text, else its content."""
    return claim.frame.text if claim.frame is not None else claim.content.text


#: texts -> probability that each pair asserts one proposition
JudgeFn = Callable[[Sequence[tuple[str, str]]], npt.NDArray[np.float32]]

#: content words a claim needs before it is matched with others
MIN_WORDS = 3
STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as that this these those is are was were be been "
    "has have had it its their his her they he she we you i not no said says say will would could may "
    "about after before over into than then there which who whom what when where while also more most".split()
)


def content_words(text: str) -> frozenset[str]:
    """The content words of a text, lowercased."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOPWORDS)


@dataclass(frozen=True)
class LinkSettings:
    """The linker's knobs; the defaults were chosen on split a of the cluster gold and the
    tune part of the judge's training data (see the issue notes)."""

    floor: float = 0.4
    top: int = 2
    #: a pair is judged when each is among the other's ``top`` (True) or either is (False)
    mutual: bool = False
    threshold: float = 0.7
    same_article: float = 0.9
    agreement: float = 0.5
    frame_veto: bool = True
    #: stored claims a new claim is compared with at most: its nearest by embedding (the
    #: candidate index), before blocking
    neighbours: int = 10
    #: blocking: two claims whose content names canonical entities, none in common, are not
    #: compared
    block_entities: bool = True
    #: blocking: two claims of articles published more than this many days apart are not
    #: compared (None: no window; an article without a date passes)
    window_days: int | None = 60
    #: when a merge of clusters asks about pairs no link records, a pair whose cosine is
    #: below ``floor`` counts as not one claim without asking the judge (as it could never
    #: have been a candidate)
    floor_in_merges: bool = True


@dataclass(frozen=True)
class LinkClaim:
    """What linking needs of a claim: the claim, its article and its embedding."""

    claim: Claim
    article: Article
    vector: np.ndarray

    @property
    def id(self) -> str:
        return self.claim.id

    @cached_property
    def words(self) -> frozenset[str]:
        return content_words(self.text)

    @property
    def text(self) -> str:
        """The compared text: the frame's (its sentence less the attribution), else the content."""
        return compared(self.claim)


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    score: float
    reasons: tuple[str, ...] = ()


@dataclass
class Linking:
    """What linking a new article decided."""

    links: list[Link] = field(default_factory=list)
    #: claim uid -> cluster name, for every claim of the components the new claims touched
    clusters: dict[str, str] = field(default_factory=dict)
    contradictions: list[tuple[str, str, Contradiction]] = field(default_factory=list)
    #: pairs the frame ruled out, with why (for explanations and tests)
    vetoed: list[tuple[str, str, str]] = field(default_factory=list)


# -- the frame -------------------------------------------------------------------------------------


def _args(frame: Frame, role: str) -> frozenset[str]:
    return frozenset(a.entity for a in frame.arguments if a.role == role and a.entity)


def _counts(frame: Frame) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for q in frame.quantities:
        if q.kind != "count":
            continue
        cls = fold_counted(q.counted)
        lo = q.low if q.low is not None else q.value
        hi = q.high if q.high is not None else q.value
        if cls is None or lo is None or hi is None:
            continue
        slack = 0.15 if q.approximate else 0.05
        out.setdefault(cls, []).append((lo * (1 - slack), hi * (1 + slack)))
    return out


def frame_conflict(a: Claim, b: Claim) -> str | None:
    """Why the frames say two claims are not one proposition, or None where they allow it."""
    fa, fb = a.frame, b.frame
    if fa is None or fb is None:
        return None
    if fa.predicate and fa.predicate == fb.predicate:
        for role in ("agent", "patient"):
            xa, xb = _args(fa, role), _args(fb, role)
            if xa and xb and not (xa & xb):
                return f"same predicate “{fa.predicate}”, different {role}s ({', '.join(sorted(xa ^ xb))})"
    if fa.time and fb.time and all(fa.time) and all(fb.time):
        (s1, e1), (s2, e2) = fa.time, fb.time
        if e1 < s2 or e2 < s1:  # type: ignore[operator]
            return f"disjoint times ({s1}–{e1} against {s2}–{e2})"
    ca, cb = _counts(fa), _counts(fb)
    for what in ca.keys() & cb.keys():
        if not any(x[0] <= y[1] and y[0] <= x[1] for x in ca[what] for y in cb[what]):
            return f"different numbers of {what}"
    return None


def frames_agree(a: Claim, b: Claim) -> bool:
    """Whether two claims' frames say the same of the same: one predicate, shared core entities."""
    fa, fb = a.frame, b.frame
    if fa is None or fb is None or not fa.predicate or fa.predicate != fb.predicate:
        return False
    core_a = _args(fa, "agent") | _args(fa, "patient")
    core_b = _args(fb, "agent") | _args(fb, "patient")
    return bool(core_a & core_b)


# -- blocking --------------------------------------------------------------------------------------


def canonical_entities(claim: Claim) -> frozenset[str]:
    """The canonical entities a claim's content names (its entities and its frame's arguments)."""
    out = {e.entity for e in claim.entities if e.entity}
    if claim.frame is not None:
        out |= {a.entity for a in claim.frame.arguments if a.entity}
    return frozenset(out)


def blocked(a: Claim, article_a: Article, b: Claim, article_b: Article, settings: LinkSettings) -> str | None:
    """Why two claims are not even compared (blocking), or None where they may be one claim."""
    if settings.block_entities:
        ea, eb = canonical_entities(a), canonical_entities(b)
        if ea and eb and not ea & eb:
            return "no canonical entity in common"
    if settings.window_days is not None:
        da, db = _day(article_a.published), _day(article_b.published)
        if da is not None and db is not None and abs((da - db).days) > settings.window_days:
            return f"published {abs((da - db).days)} days apart"
    return None


def _day(published: str | None) -> date | None:
    """The day of an ISO publication date or time; None where there is none or it is not one."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def plausible_neighbours(
    new: Sequence[LinkClaim],
    found: Sequence[Sequence[tuple[int, float]]],
    stored: Mapping[int, LinkClaim],
    settings: LinkSettings,
) -> list[set[int]]:
    """For each new claim, the keys of the nearest stored claims the index ``found`` for it that
    blocking lets through (those missing from ``stored`` are gone: deleted since)."""
    out = []
    for a, near in zip(new, found, strict=True):
        out.append(
            {
                key
                for key, _ in near
                if key in stored
                and blocked(a.claim, a.article, stored[key].claim, stored[key].article, settings) is None
            }
        )
    return out


# -- pairs -----------------------------------------------------------------------------------------


def candidate_pairs(
    new: Sequence[LinkClaim],
    others: Sequence[LinkClaim],
    settings: LinkSettings,
    nearest: Mapping[str, set[str]] | None = None,
) -> list[tuple[LinkClaim, LinkClaim, float]]:
    """The pairs to judge, with their cosine: across articles, top-``top`` above the floor (either
    side's, or both with ``mutual``) that blocking lets through, and only among a new claim's
    ``nearest`` stored claims where the candidate index gave them (uid -> uids); inside the new
    article, pairs above the floor (only restatements will link)."""
    mine = [c for c in new if len(c.words) >= MIN_WORDS]
    if not mine:
        return []
    new_ids = {c.id for c in mine}
    theirs = [c for c in others if c.id not in new_ids and len(c.words) >= MIN_WORDS]
    everyone = mine + theirs
    vecs = np.stack([c.vector for c in everyone]).astype(np.float32)
    sims = vecs[: len(mine)] @ vecs.T
    by_article: dict[str, list[int]] = {}
    for j, c in enumerate(everyone):
        by_article.setdefault(c.article.id, []).append(j)

    def top_in(row: npt.NDArray[np.float32], cols: list[int]) -> set[int]:
        # the nearest ``top`` distinct texts: claims of one sentence share their compared text
        ranked = sorted(cols, key=lambda j: (-float(row[j]), everyone[j].id))
        texts: list[str] = []
        out: set[int] = set()
        for j in ranked:
            if row[j] < settings.floor:
                break
            if everyone[j].text not in texts:
                if len(texts) == settings.top:
                    break
                texts.append(everyone[j].text)
            out.add(j)
        return out

    out: dict[tuple[str, str], tuple[LinkClaim, LinkClaim, float]] = {}
    # the other side's view: its similarities to the new article's claims are a column of sims
    # (the new claims come first in ``everyone``)
    tops: dict[int, set[int]] = {}
    for i, a in enumerate(mine):
        row = sims[i]
        for art, cols in by_article.items():
            if art == a.article.id:
                for j in cols:
                    b = everyone[j]
                    # two claims of one sentence are two claims by construction
                    if b.id != a.id and row[j] >= settings.floor and b.claim.sentence != a.claim.sentence:
                        key = (min(a.id, b.id), max(a.id, b.id))
                        out.setdefault(key, (a, b, float(row[j])))
                continue
            best = top_in(row, cols)
            for j in cols:
                if row[j] < settings.floor:
                    continue
                b = everyone[j]
                if nearest is not None and b.id not in nearest.get(a.id, ()):
                    continue
                if blocked(a.claim, a.article, b.claim, b.article, settings) is not None:
                    continue
                if j not in tops:
                    own = [k for k in by_article[a.article.id] if k < len(mine)]
                    tops[j] = top_in(sims[:, j], own)
                if (i in tops[j] and j in best) if settings.mutual else (i in tops[j] or j in best):
                    key = (min(a.id, b.id), max(a.id, b.id))
                    out.setdefault(key, (a, b, float(row[j])))
    return sorted(out.values(), key=lambda t: (min(t[0].id, t[1].id), max(t[0].id, t[1].id)))


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def judge_pairs(
    pairs: Sequence[tuple[LinkClaim, LinkClaim, float]], judge: JudgeFn, settings: LinkSettings
) -> tuple[list[Link], list[tuple[str, str, str]]]:
    """The pairs that link, with their scores and reasons, and the pairs the frame vetoed."""
    vetoed: list[tuple[str, str, str]] = []
    asked: list[tuple[LinkClaim, LinkClaim, float]] = []
    for a, b, cos in pairs:
        why = frame_conflict(a.claim, b.claim) if settings.frame_veto else None
        if why is not None:
            vetoed.append((min(a.id, b.id), max(a.id, b.id), why))
        else:
            asked.append((a, b, cos))
    # one question per distinct pair of texts (claims of one sentence share their text)
    distinct = list(dict.fromkeys(_ordered(a.text, b.text) for a, b, _ in asked))
    answers = dict(zip(distinct, judge(distinct) if distinct else [], strict=True))
    scores = [answers[_ordered(a.text, b.text)] for a, b, _ in asked]
    out: list[Link] = []
    for (a, b, cos), s in zip(asked, scores, strict=True):
        same_article = a.article.id == b.article.id
        if float(s) < (settings.same_article if same_article else settings.threshold):
            continue
        reasons = [f"judge {float(s):.2f}", f"cosine {cos:.2f}"]
        if frames_agree(a.claim, b.claim):
            assert a.claim.frame is not None
            reasons.append(f"one predicate “{a.claim.frame.predicate}” with shared core arguments")
        if same_article:
            reasons.append("restated in one article")
        x, y = sorted((a.id, b.id))
        out.append(Link(x, y, round(float(s), 4), tuple(reasons)))
    return out, vetoed


# -- clusters --------------------------------------------------------------------------------------


#: pairs asked of the judge at most when deciding one merge (a deterministic sample beyond it)
ASK_BUDGET = 36

#: uid pairs -> whether each is one proposition (the judge asked about pairs no link records)
AskFn = Callable[[Sequence[tuple[str, str]]], list[bool]]


def clusters(
    members: Mapping[str, str], links: Iterable[Link], agreement: float, ask: AskFn | None = None
) -> dict[str, list[str]]:
    """Clusters of the claims ``members`` (uid -> article id), each named by its smallest uid.

    Best link first, two clusters merge when at least ``agreement`` of the pairs between them
    are one proposition: linked, or (with ``ask``) judged so when asked now; without ``ask`` a
    pair no link records counts against. Between two large clusters the pairs are a fixed
    sample (the first members of each by uid), so the cost of a merge is bounded. Claims of
    one article count like any other (an article that says one thing twice links its two
    sentences). Order independent: a function of the members, the links and the judge's
    answers about texts.
    """
    linked: set[tuple[str, str]] = set()
    ordered = sorted(
        (lk for lk in links if lk.a in members and lk.b in members), key=lambda lk: (-lk.score, lk.a, lk.b)
    )
    for lk in ordered:
        linked.add((lk.a, lk.b))
    answered: dict[tuple[str, str], bool] = {}
    of: dict[str, str] = {m: m for m in members}
    groups: dict[str, list[str]] = {m: [m] for m in members}
    for lk in ordered:
        ra, rb = of[lk.a], of[lk.b]
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        if len(ga) * len(gb) > ASK_BUDGET:
            # a deterministic sample: the first members of each (by uid) against each other
            side = max(1, int(ASK_BUDGET**0.5))
            ga, gb = sorted(ga)[:side], sorted(gb)[:side]
        cross = [(min(x, y), max(x, y)) for x in ga for y in gb]
        unknown = [p for p in cross if p not in linked and p not in answered]
        if ask is not None and unknown:
            answered.update(zip(unknown, ask(unknown), strict=True))
        agree = sum(1 for p in cross if p in linked or answered.get(p, False))
        if agree < agreement * len(cross):
            continue
        na, nb = len(groups[ra]), len(groups[rb])
        keep, gone = (ra, rb) if na > nb or (na == nb and ra < rb) else (rb, ra)
        groups[keep].extend(groups.pop(gone))
        for m in groups[keep]:
            of[m] = keep
    out: dict[str, list[str]] = {}
    for group in groups.values():
        ms = sorted(group)
        out[ms[0]] = ms
    return out


def components(members: Iterable[str], links: Iterable[Link]) -> list[set[str]]:
    """Connected components of the link graph over ``members``."""
    parent: dict[str, str] = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for lk in links:
        if lk.a in parent and lk.b in parent:
            ra, rb = find(lk.a), find(lk.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, set[str]] = {}
    for m in parent:
        out.setdefault(find(m), set()).add(m)
    return list(out.values())


def recluster(
    members: Mapping[str, str],
    links: Sequence[Link],
    settings: LinkSettings,
    touched: set[str] | None = None,
    ask: AskFn | None = None,
) -> dict[str, str]:
    """uid -> cluster name for the claims ``members`` (uid -> article id), component by
    component (only the components that hold a ``touched`` claim, when given)."""
    out: dict[str, str] = {}
    for comp in components(members, links):
        if touched is not None and not comp & touched:
            continue
        inside = {uid: members[uid] for uid in comp}
        comp_links = [lk for lk in links if lk.a in comp and lk.b in comp]
        for name, ms in clusters(inside, comp_links, settings.agreement, ask).items():
            for m in ms:
                out[m] = name
    return out


def asker(claims: Mapping[str, LinkClaim], judge: JudgeFn, settings: LinkSettings) -> AskFn:
    """The judge, asked about claims by uid: the frame's veto first (and, with
    ``floor_in_merges``, the cosine floor), then the score."""

    def ask(pairs: Sequence[tuple[str, str]]) -> list[bool]:
        out = [False] * len(pairs)
        todo = []
        for i, (x, y) in enumerate(pairs):
            a, b = claims[x], claims[y]
            if settings.frame_veto and frame_conflict(a.claim, b.claim):
                continue
            if settings.floor_in_merges and float(np.dot(a.vector, b.vector)) < settings.floor:
                continue
            todo.append(i)
        if todo:
            texts = [_ordered(claims[pairs[i][0]].text, claims[pairs[i][1]].text) for i in todo]
            distinct = list(dict.fromkeys(texts))
            scores = dict(zip(distinct, judge(distinct), strict=True))
            for i, t in zip(todo, texts, strict=True):
                out[i] = float(scores[t]) >= settings.threshold
        return out

    return ask


# -- the stage -------------------------------------------------------------------------------------


def link(
    new: Sequence[LinkClaim],
    candidates: Sequence[LinkClaim],
    stored_links: Sequence[Link],
    judge: JudgeFn,
    settings: LinkSettings | None = None,
    numbers: Sequence[LinkClaim] = (),
    nearest: Mapping[str, set[str]] | None = None,
) -> Linking:
    """Link a new article's claims against candidate claims.

    candidates: the stored claims the store found for the new ones, together with every member
    of the clusters those belong to; stored_links: the stored links among them (the components
    the new claims may join). numbers: stored claims that count the same thing as a new claim
    (the store's quantity index), compared for contradictions whatever their cluster. nearest:
    new claim uid -> the uids of the stored claims the candidate index found nearest it; only
    those are judged against it (None: every candidate, as for a small set held in memory).
    """
    cfg = settings or LinkSettings()
    result = Linking()
    pairs = candidate_pairs(new, candidates, cfg, nearest)
    made, result.vetoed = judge_pairs(pairs, judge, cfg)
    result.links = made
    every = {c.id: c for c in [*candidates, *new]}
    touched = {c.id for c in new} | {x for lk in made for x in (lk.a, lk.b)}
    members = {uid: c.article.id for uid, c in every.items()}
    ask = asker(every, judge, cfg)
    result.clusters = recluster(members, [*stored_links, *made], cfg, touched, ask)
    result.contradictions = contradictions(new, every, result.clusters, numbers)
    return result


def contradictions(
    new: Sequence[LinkClaim],
    every: Mapping[str, LinkClaim],
    cluster_of: Mapping[str, str],
    numbers: Sequence[LinkClaim],
) -> list[tuple[str, str, Contradiction]]:
    """What the new claims contradict: inside their clusters (polarity, denial, numbers), and
    numbers of the same counted thing in claims whose frames agree, whatever their cluster."""
    out: list[tuple[str, str, Contradiction]] = []
    seen: set[tuple[str, str]] = set()
    counting = {c.id: c for c in numbers}
    for x in new:
        mine = cluster_of.get(x.id)
        mates = {uid: every[uid] for uid, name in cluster_of.items() if name == mine and uid in every}
        for y in {**mates, **counting}.values():
            if y.id == x.id or y.article.id == x.article.id:
                continue
            key = (min(x.id, y.id), max(x.id, y.id))
            if key in seen:
                continue
            same = mine is not None and cluster_of.get(y.id) == mine
            found: list[Contradiction] = []
            if same:
                sim = float(np.dot(x.vector, y.vector))
                found += compare_same_claim(x.claim, y.claim, sim)
            if same or frames_agree(x.claim, y.claim) or _shared_count(x.claim, y.claim):
                found += compare_numbers(_counts_only(x.claim), _counts_only(y.claim))
            if found:
                seen.add(key)
                out.extend((x.id, y.id, c) for c in found)
    return out


def _shared_count(a: Claim, b: Claim) -> bool:
    """Both claims count one thing about the same place or party (the store's quantity key)."""
    fa, fb = a.frame, b.frame
    if fa is None or fb is None:
        return False
    if not (_counts(fa).keys() & _counts(fb).keys()):
        return False
    ea = {x.entity for x in fa.arguments if x.entity}
    eb = {x.entity for x in fb.arguments if x.entity}
    return bool(ea & eb)


def _counts_only(claim: Claim) -> Claim:
    """The claim less the numbers that name something (Boeing 787 is not a count of 787)."""
    if claim.frame is None:
        return claim
    names = {q.text for q in claim.frame.quantities if q.kind == "name"}
    if not names:
        return claim
    from dataclasses import replace

    return replace(claim, quantities=tuple(q for q in claim.quantities if q.text not in names))
