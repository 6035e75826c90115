"""Linking at scale: one new article against a store of N claims, and building links from scratch.

    python benchmarks/bench_link.py [--sizes 10000 100000 1000000] [--articles 200] [--scratch 10000 100000]
                                    [--judge real|none]

Synthetic claims, generated from PolNeAR: real sentences of PolNeAR train are
embedded once with the project's encoder; each synthetic claim is a mixture of
them plus noise (so near-duplicates and paraphrase-like neighbours exist as in
real news), with canonical entities drawn from a skewed pool and no frame (so the
compared text is the claim's content: the PolNeAR sentence it is mostly made of).
Claims come ``--claims`` to an article.

What is timed is the linking engine beyond extraction, in memory, as
``run.Linker`` runs it for one new article: the candidate search
(``link.index.CandidateIndex.similar``), then the pure stage
``link.linker.link`` (candidate pairs, the pair judge, clusters, contradictions).
``--judge real`` (the default) scores the pairs with the shipped cross-encoder
(``link.judge``), whose cost grows with the pairs judged; ``--judge none`` uses a
constant score (the link threshold: every cross-article candidate pair links) so
that the cost of the index and the clusters alone can be seen. The store's own
reads and writes are not included (see README: measured separately), and no
stored links are handed in (the synthetic store has none; from scratch, each new
article sees its candidates as claims of their own).

Prints which judge was used and, for each size: median and p99 milliseconds to
link one new article, the pairs judged per article, the links made, the peak
memory, and how the median grows from size to size; then the time to link every
claim of the ``--scratch`` sizes from scratch, an article at a time.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from claimgraph.link import linker
from claimgraph.link.embed import Encoder
from claimgraph.link.index import CandidateIndex
from claimgraph.link.linker import JudgeFn, LinkClaim, LinkSettings
from claimgraph.model import Article, Claim, Entity, Span

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"


def sentences(limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted(TRAIN.glob("*.txt")):
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            s = s.strip()
            if 40 <= len(s) <= 300:
                out.append(s)
                if len(out) >= limit:
                    return out
    return out


class Synthetic:
    """N synthetic claims, made chunk by chunk from the claim's number: each a mixture of three
    PolNeAR sentence embeddings plus noise, so that claims sharing one sentence are only loosely
    alike (cosine about 0.4, like two claims on one topic); one in twenty restates an earlier
    claim (cosine about 0.85, a report of the same claim). Claim i belongs to article
    i // per_article."""

    def __init__(self, base: np.ndarray, texts: list[str], n: int, per_article: int, seed: int = 0) -> None:
        self.base = base
        self.texts = texts
        self.seed = seed
        self.per_article = per_article
        rng = np.random.default_rng(seed)
        self.pick = rng.integers(0, len(base), size=(n, 3))
        # one in twenty claims restates an earlier one: same mixture
        again = rng.random(n) < 0.05
        earlier = (rng.random(n) * np.arange(n)).astype(np.int64)
        self.pick[again] = self.pick[earlier[again]]
        self.entities = rng.zipf(1.6, size=(n, 3)) % 500
        self._articles: dict[int, Article] = {}

    def vectors(self, start: int, stop: int) -> np.ndarray:
        rng = np.random.default_rng((self.seed, start))
        dim = self.base.shape[1]
        p = self.pick[start:stop]
        v = self.base[p[:, 0]] + 0.9 * self.base[p[:, 1]] + 0.9 * self.base[p[:, 2]]
        v += rng.normal(0, 0.6 / np.sqrt(dim), size=(stop - start, dim))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        return v.astype(np.float32)

    def article(self, i: int) -> Article:
        number = i // self.per_article
        art = self._articles.get(number)
        if art is None:
            art = self._articles[number] = Article(text=f"synthetic {number}", outlet="bench")
        return art

    def claim(self, i: int, vector: np.ndarray) -> LinkClaim:
        text = self.texts[self.pick[i, 0]]
        ents = tuple(Entity("e", ((0, 1),), "GPE", f"gpe/e{int(e)}") for e in set(self.entities[i]))
        c = Claim(Span(text, ((0, len(text)),)), (0, len(text)), entities=ents, id=f"c{i}", frame=None)
        return LinkClaim(c, self.article(i), vector)


class CountingJudge:
    """A judge function that counts the pairs it is asked about."""

    def __init__(self, judge: JudgeFn) -> None:
        self.judge = judge
        self.pairs = 0

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        self.pairs += len(pairs)
        return self.judge(pairs)


def constant_judge(score: float) -> JudgeFn:
    """A stand-in judge: the same score for every pair."""

    def judge(pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        return np.full(len(pairs), score, dtype=np.float32)

    return judge


def link_article(
    index: CandidateIndex,
    syn: Synthetic,
    rows: np.ndarray,
    vecs: np.ndarray,
    judge: JudgeFn,
    settings: LinkSettings,
) -> int:
    """Link claims ``rows`` (one article) against the index, as ``run.Linker`` does: candidates by
    the index, then the linking stage; RETURNS the links made."""
    new = [syn.claim(int(r), v) for r, v in zip(rows, vecs, strict=True)]
    own = {c.id for c in new}
    found = {uid for _, near in index.similar(vecs, settings.floor) for uid, _ in near} - own
    candidates = [syn.claim(j, index.vectors[j]) for j in sorted(int(uid[1:]) for uid in found)]
    return len(linker.link(new, candidates, [], judge, settings).links)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--scratch", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--articles", type=int, default=200, help="new articles to time at each size")
    parser.add_argument("--claims", type=int, default=20, help="claims per article")
    parser.add_argument("--base", type=int, default=2000, help="PolNeAR sentences to embed")
    parser.add_argument(
        "--judge",
        choices=["real", "none"],
        default="real",
        help="real: the shipped cross-encoder; none: a constant score (index and clusters alone)",
    )
    args = parser.parse_args()
    settings = LinkSettings()

    t0 = time.perf_counter()
    texts = sentences(args.base)
    base = Encoder.load().encode(texts)
    print(f"embedded {len(texts)} PolNeAR sentences in {time.perf_counter() - t0:.1f} s")

    if args.judge == "real":
        from claimgraph.link.judge import Judge

        t0 = time.perf_counter()
        model = Judge.load()
        model.scores([(texts[0], texts[-1])])  # the first run of a session is slow: not timed
        judge = CountingJudge(model.scores)
        print(f"judge: real (the shipped cross-encoder, loaded in {time.perf_counter() - t0:.1f} s)")
    else:
        judge = CountingJudge(constant_judge(settings.threshold))
        print(f"judge: none (constant score {settings.threshold}: every cross-article candidate pair links)")

    per = args.claims
    biggest = max(args.sizes + args.scratch)
    first_new = -(-biggest // per) * per  # new articles start on an article boundary
    extra = args.articles * per
    syn = Synthetic(base, texts, first_new + extra, per)
    rows_new = np.arange(first_new, first_new + extra).reshape(args.articles, per)
    new_vecs = syn.vectors(first_new, first_new + extra).reshape(args.articles, per, -1)
    previous: float | None = None
    print(f"{per} claims per new article, {args.articles} new articles per size")
    print(
        f"{'claims':>10} {'median ms':>10} {'p99 ms':>8} {'pairs':>7} {'links':>7} {'RSS MiB':>8}  "
        "growth (median)"
    )
    for size in sorted(args.sizes):
        index = CandidateIndex(probes=2)
        t = time.perf_counter()
        for start in range(0, size, 100_000):
            stop = min(size, start + 100_000)
            index.add([f"c{i}" for i in range(start, stop)], syn.vectors(start, stop))
        build = time.perf_counter() - t
        times = []
        links = 0
        judge.pairs = 0
        for rows, vecs in zip(rows_new, new_vecs, strict=True):
            t = time.perf_counter()
            links += link_article(index, syn, rows, vecs, judge, settings)
            times.append((time.perf_counter() - t) * 1000)
        med, p99 = float(np.median(times)), float(np.percentile(times, 99))
        pairs = judge.pairs / len(times)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        growth = f"x{med / previous:.2f}" if previous else ""
        row = f"{size:>10} {med:>10.1f} {p99:>8.1f} {pairs:>7.1f} {links:>7} {rss:>8.0f}  {growth}"
        print(f"{row}  (index built in {build:.1f} s)")
        previous = med
        del index
    print("goal: < 50 ms median, < 200 ms p99 at 1,000,000 claims; memory < 4096 MiB")

    for size in sorted(args.scratch):
        t = time.perf_counter()
        index = CandidateIndex(probes=2)
        made = 0
        judge.pairs = 0
        for start in range(0, size, per):
            rows = np.arange(start, min(size, start + per))
            vecs = syn.vectors(start, start + len(rows))
            made += link_article(index, syn, rows, vecs, judge, settings)
            index.add([f"c{i}" for i in rows], vecs)
        secs = time.perf_counter() - t
        print(
            f"from scratch: {size} claims linked in {secs:.1f} s ({made} links, {judge.pairs} pairs judged)"
            " — goal < 600 s for 100,000"
        )


if __name__ == "__main__":
    main()
