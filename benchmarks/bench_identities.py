"""What canonical identities cost an ingest: with and without them, side by side.

    python benchmarks/bench_identities.py [--limit 840] [--texts DIR]

Reads and analyses PolNeAR train articles once, then stores the records twice in
fresh SQLite stores (linking off): once as extracted, once resolved to canonical
identities (gazetteer and store aliases) and saved with their identities and
mentions. Prints the time of each part and the overhead of identities relative
to the ingest without them (goal: < 15%).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.link.identities import Resolver
from claimgraph.nlp.pipeline import Extractor
from claimgraph.run import gazetteer, read_articles
from claimgraph.store import Store

DEFAULT_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"


def main() -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=840)
    args = parser.parse_args()
    settings = Settings()
    files = sorted(args.texts.glob("*.txt"))[: args.limit]
    articles = [a for a in read_articles(files, settings) if not isinstance(a, Exception)]

    t = time.perf_counter()
    records = list(Extractor(settings).analyze_many(articles))  # type: ignore[arg-type]
    extract = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        plain = Store(f"sqlite:///{Path(tmp) / 'plain.db'}")
        t = time.perf_counter()
        for r in records:
            plain.save(r)
        save_plain = time.perf_counter() - t

        linked = Store(f"sqlite:///{Path(tmp) / 'ids.db'}")
        resolver = Resolver(gazetteer(settings), known=linked.find_identity)
        resolve = save_ids = 0.0
        for r in records:
            t = time.perf_counter()
            resolved, identities = resolver.resolve(r)
            resolve += time.perf_counter() - t
            t = time.perf_counter()
            linked.save(resolved, identities=identities)
            save_ids += time.perf_counter() - t
        n_ids = len(linked.identities())

    base = extract + save_plain
    extra = resolve + save_ids - save_plain
    print(f"{len(records)} articles, {sum(len(r.claims) for r in records)} claims, {n_ids} identities stored")
    print(f"extraction              {extract:8.1f} s")
    print(f"store, no identities    {save_plain:8.1f} s")
    print(f"resolve identities      {resolve:8.1f} s")
    print(f"store, with identities  {save_ids:8.1f} s")
    print(f"overhead of identities: {100 * extra / base:.1f}% of the ingest without them (goal < 15%)")


if __name__ == "__main__":
    main()
