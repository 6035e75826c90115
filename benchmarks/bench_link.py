"""Linking at scale: real new articles against stores of N claims, beside their extraction time.

    python benchmarks/bench_link.py [--sizes 10000 100000 1000000] [--articles 20] [--json]
                                    [--judge real|none] [--threads 2]

New articles: the first ``--articles`` of PolNeAR dev, read, analysed (the spaCy
pipeline, claims, identities) and embedded in this run; their extraction time per
article is measured here (``extract_p50_ms``), so that linking is compared with the
work it follows on the same machine in the same run.

The store: N synthetic claims, 20 to an article. Each is a PolNeAR train sentence (its
compared text, what the judge reads) with a vector that mixes three sentence
embeddings plus noise, so that near-duplicates and same-topic neighbours exist as in a
single campaign's coverage; one in twenty restates an earlier claim. Their canonical
entities are drawn from a skewed pool that holds the new articles' own entities, so
blocking lets many candidates through. The candidate index (``link.index``) is built
from them once per size (on ``--threads`` threads: a benchmark's graph; a store's is
built on one, for determinism).

Timed, for each new article, what ``run.Linker.link`` does beyond the store's reads and
writes: the index search, blocking, and the pure stage ``link.linker.link`` (candidate
pairs, the pair judge, clusters, contradictions). ``--judge none`` scores every pair at
the threshold (every candidate pair links), showing the cost without the model. The
judge's memory of pairs is emptied between sizes.

``recall_at_10``: of the exact ten nearest stored claims of each new claim (by brute
force), the share the index returns among its ten.

Prints a table, then with ``--json`` one JSON line per size:
``{"size", "link_p50_ms", "link_p99_ms", "extract_p50_ms", "encode_p50_ms", "pairs_per_article",
"rss_gib", "index_gib", "recall_at_10"}``. Goals (issue 10): at 1,000,000 claims link p50 <=
0.25x extract p50, p99 <= 1x, memory < 4 GiB, recall >= 0.95, p50 growing <= 1.5x from
100,000 to 1,000,000.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from claimgraph.config import Settings
from claimgraph.ingest import read_text
from claimgraph.link import linker
from claimgraph.link.index import CandidateIndex
from claimgraph.link.linker import JudgeFn, LinkClaim, LinkSettings, compared, plausible_neighbours
from claimgraph.model import Article, Claim, ClaimRecord, Entity, Span
from claimgraph.nlp.pipeline import Extractor
from claimgraph.run import Linker, analyze_articles

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
PER_ARTICLE = 20


def sentences(limit: int) -> list[str]:
    out: list[str] = []
    for path in sorted((DATA / "train" / "text").glob("*.txt")):
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            s = s.strip()
            if 40 <= len(s) <= 300:
                out.append(s)
                if len(out) >= limit:
                    return out
    return out


class Synthetic:
    """N synthetic claims, made chunk by chunk from the claim's number (see the module's text)."""

    def __init__(self, base: np.ndarray, texts: list[str], n: int, pool: list[str], seed: int = 0) -> None:
        self.base = base
        self.texts = texts
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.pick = rng.integers(0, len(base), size=(n, 3))
        again = rng.random(n) < 0.05
        earlier = (rng.random(n) * np.arange(n)).astype(np.int64)
        self.pick[again] = self.pick[earlier[again]]
        self.pool = pool
        self.entities = (rng.zipf(1.6, size=(n, 2)) - 1) % len(pool)
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
        number = i // PER_ARTICLE
        art = self._articles.get(number)
        if art is None:
            art = self._articles[number] = Article(text=f"synthetic {number}", outlet=f"outlet{number % 97}")
        return art

    def claim(self, i: int, vector: np.ndarray) -> LinkClaim:
        text = self.texts[self.pick[i, 0]]
        ents = tuple(Entity("e", ((0, 1),), "ORG", self.pool[int(e)]) for e in set(self.entities[i]))
        c = Claim(Span(text, ((0, len(text)),)), (0, len(text)), entities=ents, id=f"s{i}", frame=None)
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
    def judge(pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float32]:
        return np.full(len(pairs), score, dtype=np.float32)

    return judge


def link_article(
    index: CandidateIndex, syn: Synthetic, new: list[LinkClaim], judge: JudgeFn, settings: LinkSettings
) -> int:
    """What ``run.Linker.link`` does for one article, less the store: RETURNS the links made."""
    vecs = np.stack([c.vector for c in new])
    found = index.search(vecs, settings.neighbours, settings.floor)
    keys = sorted({k for near in found for k, _ in near})
    stored = {k: syn.claim(k, syn.vectors(k, k + 1)[0]) for k in keys}
    allowed = plausible_neighbours(new, found, stored, settings)
    nearest: dict[str, set[str]] = {}
    for c, ok in zip(new, allowed, strict=True):
        nearest.setdefault(c.id, set()).update(stored[k].id for k in ok)
    candidates = [stored[k] for k in sorted(set().union(*allowed))]
    return len(linker.link(new, candidates, [], judge, settings, nearest=nearest).links)


def exact_top(syn: Synthetic, size: int, queries: np.ndarray, k: int = 10) -> list[set[int]]:
    """The exact ``k`` nearest stored claims of each query, by brute force a chunk at a time."""
    best_s = np.full((len(queries), k), -2.0, dtype=np.float32)
    best_i = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, size, 100_000):
        stop = min(size, start + 100_000)
        sims = queries @ syn.vectors(start, stop).T
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        s = np.concatenate([best_s, np.take_along_axis(sims, part, 1)], axis=1)
        ids = np.concatenate([best_i, part + start], axis=1)
        top = np.argsort(-s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(s, top, 1), np.take_along_axis(ids, top, 1)
    return [set(map(int, row)) for row in best_i]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--articles", type=int, default=20, help="new articles (PolNeAR dev) to time at each size"
    )
    parser.add_argument("--base", type=int, default=2000, help="PolNeAR train sentences to embed")
    parser.add_argument("--judge", choices=["real", "none"], default="real")
    parser.add_argument("--threads", type=int, default=2, help="threads building the benchmark's index")
    parser.add_argument("--json", action="store_true", help="one JSON line per size")
    parser.add_argument(
        "--relink",
        type=int,
        default=0,
        metavar="N",
        help="also: `relink` a SQLite store of N claims from scratch",
    )
    args = parser.parse_args()
    settings = LinkSettings()
    cfg = Settings()

    t0 = time.perf_counter()
    extractor = Extractor(cfg)
    linking = Linker(None)
    list(
        analyze_articles([read_text("Officials said the talks had stalled.", source="warm")], cfg, extractor)
    )
    linking.encode(["Warm up the sentence encoder."])
    print(f"models loaded in {time.perf_counter() - t0:.1f} s (not timed)")

    files = sorted((DATA / "dev" / "text").glob("*.txt"))[: args.articles]
    extract_ms: list[float] = []
    encode_ms: list[float] = []
    new_articles: list[list[LinkClaim]] = []
    for f in files:
        article = read_text(f.read_text(encoding="utf-8"), source=str(f))
        t = time.perf_counter()
        [record] = list(analyze_articles([article], cfg, extractor))
        extract_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        vecs = linking.encode([compared(c) for c in record.claims])
        encode_ms.append((time.perf_counter() - t) * 1000)
        if record.claims:
            new_articles.append(
                [LinkClaim(c, record.article, v) for c, v in zip(record.claims, vecs, strict=True)]
            )
    n_claims = sum(len(a) for a in new_articles)
    print(
        f"{len(files)} new articles (PolNeAR dev), {n_claims} claims: extraction p50 "
        f"{np.median(extract_ms):.0f} ms, encoding p50 {np.median(encode_ms):.0f} ms an article"
    )
    pool = sorted({e for a in new_articles for c in a for e in linker.canonical_entities(c.claim)})
    pool += [f"org/synthetic-{i}" for i in range(2000)]

    texts = sentences(args.base)
    base = linking.encode(texts)
    syn = Synthetic(base, texts, max(args.sizes), pool)

    if args.judge == "real":
        from claimgraph.link.judge import Judge

        model = Judge.load()
        model.scores([(texts[0], texts[-1])])
        judge = CountingJudge(model.scores)
    else:
        model = None
        judge = CountingJudge(constant_judge(min(1.0, settings.threshold + 0.01)))
    print(f"judge: {args.judge}; neighbours {settings.neighbours}, floor {settings.floor}")
    print(
        f"{'claims':>10} {'p50 ms':>8} {'p99 ms':>8} {'x extract':>10} {'pairs/art':>10} "
        f"{'recall@10':>10} {'RSS GiB':>8} {'index GiB':>10}  growth"
    )
    queries = np.concatenate([np.stack([c.vector for c in a]) for a in new_articles])
    previous: float | None = None
    lines = []
    for size in sorted(args.sizes):
        index = CandidateIndex()
        t = time.perf_counter()
        for start in range(0, size, 100_000):
            stop = min(size, start + 100_000)
            index.add(list(range(start, stop)), syn.vectors(start, stop), threads=args.threads)
        build = time.perf_counter() - t
        if model is not None:
            model._memo.clear()
        judge.pairs = 0
        times = []
        for new in new_articles:
            t = time.perf_counter()
            link_article(index, syn, new, judge, settings)
            times.append((time.perf_counter() - t) * 1000)
        want = exact_top(syn, size, queries)
        got = index.search(queries, 10, -2.0)
        recall = float(np.mean([len(w & {k for k, _ in g}) / 10 for w, g in zip(want, got, strict=True)]))
        p50, p99 = float(np.median(times)), float(np.percentile(times, 99))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        growth = f"x{p50 / previous:.2f}" if previous else ""
        ratio = p50 / float(np.median(extract_ms))
        print(
            f"{size:>10} {p50:>8.1f} {p99:>8.1f} {ratio:>10.2f} {judge.pairs / len(times):>10.1f} "
            f"{recall:>10.3f} {rss:>8.2f} {index.memory_bytes() / 2**30:>10.2f}  {growth}"
            f"  (index built in {build:.0f} s)"
        )
        lines.append(
            {
                "size": size,
                "link_p50_ms": round(p50, 1),
                "link_p99_ms": round(p99, 1),
                "extract_p50_ms": round(float(np.median(extract_ms)), 1),
                "encode_p50_ms": round(float(np.median(encode_ms)), 1),
                "pairs_per_article": round(judge.pairs / len(times), 1),
                "rss_gib": round(rss, 2),
                "index_gib": round(index.memory_bytes() / 2**30, 3),
                "recall_at_10": round(recall, 3),
            }
        )
        previous = p50
        del index
    print(
        "goals at 1,000,000: p50 <= 0.25x extract, p99 <= 1x, RSS < 4 GiB, recall@10 >= 0.95, "
        "p50 growth 100k -> 1M <= 1.5x"
    )
    if args.relink:
        lines.append(relink_from_scratch(syn, args.relink, judge))
    if args.json:
        for line in lines:
            print(json.dumps(line))


def relink_from_scratch(syn: Synthetic, n: int, judge: CountingJudge) -> dict[str, object]:
    """Store ``n`` synthetic claims (an article of 20 at a time, vectors saved, nothing linked)
    in a fresh SQLite store, then time ``Linker.relink`` over them: every claim linked again
    from scratch, through the store, as ``claimgraph relink`` does. Goal: 100,000 claims in
    under 10 minutes."""
    import tempfile

    from claimgraph.store import SaveItem, Store

    with tempfile.TemporaryDirectory() as folder:
        with Store(f"sqlite:///{Path(folder) / 'relink.db'}") as store:
            t = time.perf_counter()
            batch: list[SaveItem] = []
            for start in range(0, n, PER_ARTICLE):
                stop = min(n, start + PER_ARTICLE)
                vecs = syn.vectors(start, stop)
                claims = [syn.claim(i, v).claim for i, v in zip(range(start, stop), vecs, strict=True)]
                text = "\n".join(c.content.text for c in claims)
                article = Article(text=text, source=f"synthetic-{start // PER_ARTICLE}.txt", outlet="bench")
                placed, at = [], 0
                for c in claims:
                    span = (at, at + len(c.content.text))
                    at = span[1] + 1
                    placed.append(
                        Claim(
                            Span(c.content.text, (span,)),
                            span,
                            entities=c.entities,
                            id=Claim.make_id(article.id, (span,)),
                        )
                    )
                batch.append(SaveItem(ClaimRecord(article, tuple(placed)), vectors=vecs))
                if len(batch) == 200:
                    store.save_many(batch)
                    batch = []
            store.save_many(batch)
            built = time.perf_counter() - t
            judge.pairs = 0
            t = time.perf_counter()
            links = Linker(store, judge=judge).relink()
            secs = time.perf_counter() - t
    print(
        f"relink from scratch: {n} claims stored in {built:.0f} s, linked again in {secs:.0f} s "
        f"({links} links, {judge.pairs} pairs judged) — goal < 600 s for 100,000"
    )
    return {"relink_claims": n, "relink_s": round(secs, 1), "links": links, "pairs": judge.pairs}


if __name__ == "__main__":
    main()
