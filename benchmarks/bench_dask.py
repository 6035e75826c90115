"""Extraction throughput on one process against `ingest --dask local:N`, side by side.

    python benchmarks/bench_dask.py [--texts DIR] [--limit N] [--workers 2] [--rounds 2]

Extraction only, as `analyze` does it and as the Dask workers do it: read each file and
run the pipeline over it, no store. The single process reads and analyses in batches
(``run._extract`` over ``run.read_articles``); the Dask run cuts the same files into
partitions that the workers of a LocalCluster read and analyse, and the client gathers
their records in input order (``claimgraph.distributed.extract``). The pipeline is loaded
and warmed, and the cluster started, before anything is timed (the marginal throughput).
The two alternate over ``--rounds`` rounds, so that a busy machine slows both alike.

Prints articles/s of each and their ratio (the goal: >= 1.7x on 2 workers of a 2-core
machine); the CPU seconds per article of each (for Dask, the workers' and the client's,
scheduler included: what Dask costs over one process) and the cores each run got (on a
machine that other work keeps busy, the ratio is mostly the share of the CPUs the run
got); then one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

from claimgraph.config import Settings
from claimgraph.distributed import connect, extract, load_worker
from claimgraph.ingest import read_text
from claimgraph.model import Article, ClaimRecord
from claimgraph.nlp.pipeline import Extractor
from claimgraph.run import _extract, read_articles

DEFAULT_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "train" / "text"


def cpu_seconds() -> float:
    """CPU time of this process so far (user and system, every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def workers_cpu(client: Any) -> float:
    return float(sum(client.run(cpu_seconds).values()))


def single(files: list[Path], settings: Settings, extractor: Extractor) -> tuple[float, float, int, int]:
    """Seconds, CPU seconds, records and claims of one process reading and analysing ``files``."""
    t, c = time.perf_counter(), cpu_seconds()
    articles = (a for a in read_articles(files, settings) if isinstance(a, Article))
    found = _extract(articles, settings, extractor)
    records = [r for r in found if isinstance(r, ClaimRecord)]
    return time.perf_counter() - t, cpu_seconds() - c, len(records), sum(len(r.claims) for r in records)


def distributed(
    files: list[Path], settings: Settings, address: str, client: Any
) -> tuple[float, float, float, int, int]:
    """Seconds, CPU seconds of the workers and of the client (the scheduler's included),
    records and claims of the Dask workers reading and analysing ``files``."""
    c0 = workers_cpu(client)
    t, c = time.perf_counter(), cpu_seconds()
    records = [
        r
        for part in extract(files, settings, address, client=client)
        for _, r in part.items
        if isinstance(r, ClaimRecord)
    ]
    seconds, cpu = time.perf_counter() - t, cpu_seconds() - c
    return seconds, workers_cpu(client) - c0, cpu, len(records), sum(len(r.claims) for r in records)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (local:N)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each")
    args = parser.parse_args()

    files = sorted(args.texts.glob("*.txt"))[: args.limit]
    if not files:
        raise SystemExit(f"no .txt files in {args.texts}")
    settings = Settings()
    address = f"local:{args.workers}"
    extractor = Extractor(settings)
    extractor.analyze(read_text("Officials said the talks would resume on Monday.", "warm"))
    print(f"{len(files)} articles from {args.texts}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}")
    spent = {"single": 0.0, "dask": 0.0}
    cpu = {"single": 0.0, "dask": 0.0}
    counts: dict[str, tuple[int, int]] = {}
    with connect(address) as client:
        client.run(load_worker, settings)  # every worker's pipeline loaded and warmed
        for n in range(args.rounds):
            for name in ("single", "dask"):
                client_cpu = 0.0
                if name == "single":
                    seconds, used, records, claims = single(files, settings, extractor)
                else:
                    seconds, used, client_cpu, records, claims = distributed(files, settings, address, client)
                    used += client_cpu
                spent[name] += seconds
                cpu[name] += used
                counts[name] = (records, claims)
                print(
                    f"round {n + 1} {name:>6}: {seconds:7.2f} s  {records / seconds:6.2f} articles/s  "
                    f"{used:7.2f} CPU s ({used / seconds:.2f} cores"
                    + (f"; the client {client_cpu:.2f} CPU s)" if name == "dask" else ")")
                )
    if counts["single"] != counts["dask"]:
        raise SystemExit(f"the two runs disagree: (records, claims) {counts}")
    done = len(files) * args.rounds
    single_aps, dask_aps = done / spent["single"], done / spent["dask"]
    ratio = dask_aps / single_aps
    # CPU time per article: what the Dask run costs over one process, load or no load
    overhead = (cpu["dask"] / done) / (cpu["single"] / done)
    print(f"{'':>16}{'articles/s':>12}{'CPU ms/article':>16}{'cores used':>12}")
    for name, label in (("single", "single process"), ("dask", f"dask {address}")):
        aps, ms, cores = done / spent[name], 1000 * cpu[name] / done, cpu[name] / spent[name]
        print(f"{label:<16}{aps:>12.2f}{ms:>16.0f}{cores:>12.2f}")
    print(
        f"ratio {ratio:.2f}x (goal >= 1.7x on 2 workers); "
        f"the Dask run's CPU per article is {overhead:.2f}x one process's"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        json.dumps(
            {
                "single_aps": round(single_aps, 3),
                "dask_aps": round(dask_aps, 3),
                "workers": args.workers,
                "ratio": round(ratio, 3),
            }  # fmt: skip
        )
    )


if __name__ == "__main__":
    main()
