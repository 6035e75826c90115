"""Linking costs no more than extraction: an ingest with linking against one without, side by side.

    python benchmarks/bench_ingest_link.py [--texts DIR] [--limit 40]

Ingests the same PolNeAR dev articles twice, in one process with one shared
extractor, into fresh temporary SQLite stores: once with ``link=False`` (extract,
resolve identities, store) and once with ``link=True`` (the same, plus the
sentence embeddings, candidate search, pair judge and clusters of
``run.Linker``, a fresh one over its own store). The spaCy pipeline, the encoder
and the pair judge are loaded (and run once) before anything is timed, and their
load times are printed apart; the extractor is warmed on one article first.

Prints the seconds of each ingest, the ratio link / no link (goal <= 1.5), the
share of each ingest spent in extraction (reading and analysing the articles),
the claims stored and links made, and last one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from claimgraph.config import Settings
from claimgraph.model import Article, ClaimRecord
from claimgraph.nlp.pipeline import Extractor
from claimgraph.run import IngestReport, Linker, ingest, read_articles
from claimgraph.store import Store

DEFAULT_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"
GOAL = 1.5


class TimedExtractor:
    """The shared extractor, counting the seconds spent getting each record out of it (reading
    the articles included: ingest hands it a generator of them)."""

    def __init__(self, inner: Extractor) -> None:
        self.inner = inner
        self.seconds = 0.0

    def analyze_many(self, articles: Iterable[Article]) -> Iterator[ClaimRecord]:
        records = self.inner.analyze_many(articles)
        while True:
            t = time.perf_counter()
            try:
                record = next(records)
            except StopIteration:
                self.seconds += time.perf_counter() - t
                return
            self.seconds += time.perf_counter() - t
            yield record


def run_once(
    files: list[Path], settings: Settings, extractor: Extractor, db: Path, link: bool
) -> tuple[float, float, IngestReport]:
    """One ingest into a fresh store: RETURNS (seconds, extraction seconds, report)."""
    store = Store(f"sqlite:///{db}")
    try:
        linker = Linker(store)
        if link:
            # the models are loaded once per process: touched here, so that no load is timed
            linker.encode(["Warm up the sentence encoder."])
            linker.judge([("Warm up the pair judge.", "The pair judge warms up.")])
        timed = TimedExtractor(extractor)
        t = time.perf_counter()
        report = ingest(files, settings, store, extractor=cast(Extractor, timed), linker=linker, link=link)
        return time.perf_counter() - t, timed.seconds, report
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=40, help="only the first N articles")
    args = parser.parse_args()

    files = sorted(args.texts.glob("*.txt"))[: args.limit]
    if not files:
        raise SystemExit(f"no .txt files in {args.texts}")
    settings = Settings()

    t = time.perf_counter()
    extractor = Extractor(settings)
    first = [a for a in read_articles(files[:1], settings) if isinstance(a, Article)]
    list(extractor.analyze_many(first))  # warm up: not timed
    print(f"extractor loaded and warmed on one article in {time.perf_counter() - t:.1f} s")

    from claimgraph.link.embed import Encoder
    from claimgraph.link.judge import Judge

    t = time.perf_counter()
    Encoder.load().encode(["Warm up the sentence encoder."])
    encoder_s = time.perf_counter() - t
    t = time.perf_counter()
    Judge.load().scores([("Warm up the pair judge.", "The pair judge warms up.")])
    judge_s = time.perf_counter() - t
    print(f"encoder loaded in {encoder_s:.1f} s, pair judge loaded in {judge_s:.1f} s (not timed below)")

    with tempfile.TemporaryDirectory() as tmp:
        plain_s, plain_x, plain = run_once(files, settings, extractor, Path(tmp) / "no_link.db", link=False)
        link_s, link_x, linked = run_once(files, settings, extractor, Path(tmp) / "link.db", link=True)

    ratio = link_s / plain_s
    print(f"{plain.stored} articles ({len(files)} files, {len(plain.failed)} not read)")
    print(f"{'':12}{'seconds':>10}{'extraction':>12}{'claims':>8}{'links':>8}")
    for name, secs, extract, rep in (("no link", plain_s, plain_x, plain), ("link", link_s, link_x, linked)):
        print(f"{name:12}{secs:10.1f}{100 * extract / secs:11.0f}%{rep.claims:8}{rep.links:8}")
    print(f"linking itself: {link_s - link_x - (plain_s - plain_x):.1f} s beyond the ingest without it")
    print(f"ratio link / no link: {ratio:.2f} (goal <= {GOAL})")
    figures = {
        "bench": "ingest_link",
        "articles": plain.stored,
        "no_link_s": round(plain_s, 2),
        "link_s": round(link_s, 2),
        "ratio": round(ratio, 3),
        "goal": GOAL,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
