"""Linking at scale: one new article against a store of N claims, and building links from scratch.

    python benchmarks/bench_link.py [--sizes 10000 100000 1000000] [--articles 200] [--scratch 10000 100000]

Synthetic claims, generated from PolNeAR: real sentences of PolNeAR train are
embedded once with the project's encoder; each synthetic claim is one of them
plus noise (so near-duplicates and paraphrase-like neighbours exist as in real
news), with canonical entities drawn from a skewed pool. What is timed is the
linking engine beyond extraction: the candidate index (``link.index``), the pair
scores (``link.clusters.score``) and the clusters (union-find), in memory. The
store's own writes are not included (see README: measured separately).

Prints, for each size: median and p99 milliseconds to link one new article (20
claims), memory, and the time to build every link of the first sizes from
scratch, with how the figures grow from size to size.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

import numpy as np

from claimgraph.link import clusters as C
from claimgraph.link.clusters import LinkClaim, UnionFind
from claimgraph.link.embed import Encoder
from claimgraph.link.index import CandidateIndex
from claimgraph.model import Article, Claim, Entity, Span

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"
ARTICLE = Article(text="synthetic", outlet="bench")


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
    claim (cosine about 0.85, a report of the same claim)."""

    def __init__(self, base: np.ndarray, texts: list[str], n: int, seed: int = 0) -> None:
        self.base = base
        self.texts = texts
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.pick = rng.integers(0, len(base), size=(n, 3))
        # one in twenty claims restates an earlier one: same mixture
        again = rng.random(n) < 0.05
        earlier = (rng.random(n) * np.arange(n)).astype(np.int64)
        self.pick[again] = self.pick[earlier[again]]
        self.entities = rng.zipf(1.6, size=(n, 3)) % 500
        self.articles = [Article(text=f"synthetic {i}", outlet="bench") for i in range(2000)]

    def vectors(self, start: int, stop: int) -> np.ndarray:
        rng = np.random.default_rng((self.seed, start))
        dim = self.base.shape[1]
        p = self.pick[start:stop]
        v = self.base[p[:, 0]] + 0.9 * self.base[p[:, 1]] + 0.9 * self.base[p[:, 2]]
        v += rng.normal(0, 0.6 / np.sqrt(dim), size=(stop - start, dim))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        return v.astype(np.float32)

    def claim(self, i: int, vector: np.ndarray) -> LinkClaim:
        ents = tuple(Entity("e", ((0, 1),), "GPE", f"gpe/e{int(e)}") for e in set(self.entities[i]))
        c = Claim(Span(self.texts[self.pick[i, 0]], ((0, 1),)), (0, 1), entities=ents, id=f"c{i}")
        return LinkClaim(c, self.articles[i // 20 % len(self.articles)], vector)


def link_batch(index: CandidateIndex, syn: Synthetic, rows: np.ndarray, vecs: np.ndarray) -> int:
    """Link claims ``rows`` (as one article) against the index, as ``run.Linker`` does: candidates,
    pair scores, the mutual best per article pair; RETURNS the links made."""
    pairs = []
    seen: dict[int, LinkClaim] = {}
    for i, found in index.similar(vecs, C.cosine_floor()):
        a = syn.claim(int(rows[i]), vecs[i])
        for uid, _ in found:
            j = int(uid[1:])
            if j not in seen:
                seen[j] = syn.claim(j, index.vectors[j])
            pairs.append((a, seen[j]))
    return len(C.links(pairs))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--scratch", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--articles", type=int, default=200, help="new articles to time at each size")
    parser.add_argument("--claims", type=int, default=20, help="claims per new article")
    parser.add_argument("--base", type=int, default=2000, help="PolNeAR sentences to embed")
    args = parser.parse_args()

    t0 = time.perf_counter()
    texts = sentences(args.base)
    base = Encoder.load().encode(texts)
    print(f"embedded {len(texts)} PolNeAR sentences in {time.perf_counter() - t0:.1f} s")

    biggest = max(args.sizes + args.scratch)
    extra = args.articles * args.claims
    syn = Synthetic(base, texts, biggest + extra)
    rows_new = np.arange(biggest, biggest + extra).reshape(args.articles, args.claims)
    new_vecs = syn.vectors(biggest, biggest + extra).reshape(args.articles, args.claims, -1)
    previous: tuple[float, float] | None = None
    print(f"{'claims':>10} {'median ms':>10} {'p99 ms':>8} {'links':>7} {'RSS MiB':>8}  growth (median)")
    for size in sorted(args.sizes):
        index = CandidateIndex(probes=2)
        t = time.perf_counter()
        for start in range(0, size, 100_000):
            stop = min(size, start + 100_000)
            index.add([f"c{i}" for i in range(start, stop)], syn.vectors(start, stop))
        build = time.perf_counter() - t
        times = []
        links = 0
        for rows, vecs in zip(rows_new, new_vecs, strict=True):
            t = time.perf_counter()
            links += link_batch(index, syn, rows, vecs)
            times.append((time.perf_counter() - t) * 1000)
        med, p99 = float(np.median(times)), float(np.percentile(times, 99))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        growth = f"x{med / previous[0]:.2f}" if previous else ""
        row = f"{size:>10} {med:>10.1f} {p99:>8.1f} {links:>7} {rss:>8.0f}  {growth}"
        print(f"{row}  (index built in {build:.1f} s)")
        previous = (med, p99)
        del index
    print("goal: < 50 ms median, < 200 ms p99 at 1,000,000 claims; memory < 4096 MiB")

    for size in sorted(args.scratch):
        t = time.perf_counter()
        index = CandidateIndex(probes=2)
        uf = UnionFind()
        made = 0
        step = 1000
        for start in range(0, size, step):
            rows = np.arange(start, min(size, start + step))
            vecs = syn.vectors(start, start + len(rows))
            made += link_batch(index, syn, rows, vecs)
            index.add([f"c{i}" for i in rows], vecs)
            for i in rows:
                uf.find(f"c{i}")
        secs = time.perf_counter() - t
        print(f"from scratch: {size} claims linked in {secs:.1f} s ({made} links) — goal < 600 s for 100,000")


if __name__ == "__main__":
    main()
