"""Throughput of `analyze` against spaCy's bare `nlp.pipe` on the same texts, side by side.

    python benchmarks/bench_analyze.py [--texts DIR] [--limit N] [--processes N] [--rounds R]

Prints articles/s and words/s of each, the ratio (goal: claimgraph keeps >= 60%
of bare spaCy's throughput), and the peak memory of the process (goal < 1 GiB).
Both runs share one process and alternate over R rounds, so a noisy machine
slows both alike.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.ingest import read_text
from claimgraph.nlp.pipeline import Extractor, load_spacy
from claimgraph.run import analyze_articles

DEFAULT_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, default=1, help="worker processes for claimgraph")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    files = sorted(args.texts.glob("*.txt"))[: args.limit]
    if not files:
        raise SystemExit(f"no .txt files in {args.texts}")
    texts = [f.read_text(encoding="utf-8") for f in files]
    articles = [read_text(t, source=str(f)) for t, f in zip(texts, files, strict=True)]
    words = sum(len(t.split()) for t in texts)
    settings = Settings().with_(processes=args.processes)

    bare = load_spacy(settings.spacy_model)
    extractor = Extractor(settings)
    # warm both up
    list(bare.pipe(texts[:2]))
    list(extractor.analyze_many(articles[:2]))

    bare_s = ours_s = 0.0
    claims = 0
    for _ in range(args.rounds):
        gc.collect()
        t0 = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=settings.batch_size):
            pass
        bare_s += time.perf_counter() - t0
        gc.collect()
        t0 = time.perf_counter()
        claims = sum(len(r.claims) for r in analyze_articles(articles, settings, extractor))
        ours_s += time.perf_counter() - t0

    n = len(texts) * args.rounds
    w = words * args.rounds
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "articles": len(texts),
        "words": words,
        "rounds": args.rounds,
        "processes": args.processes,
        "spacy_articles_per_s": n / bare_s,
        "spacy_words_per_s": w / bare_s,
        "claimgraph_articles_per_s": n / ours_s,
        "claimgraph_words_per_s": w / ours_s,
        "ratio": bare_s / ours_s,
        "claims_per_article": claims / len(texts),
        "peak_rss_mib": peak_mib,
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{len(texts)} articles, {words} words, {args.rounds} rounds, processes={args.processes}")
    print(f"{'':24}{'articles/s':>12}{'words/s':>12}")
    bare_a, bare_w = figures["spacy_articles_per_s"], figures["spacy_words_per_s"]
    print(f"{'spaCy nlp.pipe (bare)':24}{bare_a:12.2f}{bare_w:12.0f}")
    print(
        f"{'claimgraph analyze':24}{figures['claimgraph_articles_per_s']:12.2f}"
        f"{figures['claimgraph_words_per_s']:12.0f}"
    )
    print(f"ratio claimgraph/spaCy: {figures['ratio']:.2f} (goal >= 0.60)")
    print(f"claims per article: {figures['claims_per_article']:.1f}")
    print(f"peak memory (RSS of this process): {peak_mib:.0f} MiB (goal < 1024)")


if __name__ == "__main__":
    main()
