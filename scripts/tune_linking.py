"""Choose the linker's candidate settings on the tune half of the cluster gold (split a).

    python scripts/tune_linking.py [--split a] [--grid neighbours=5,10,20 block_entities=0,1 ...]

The gold's articles are read and analysed once, stored without links in a template
store (``FILE-template.db`` in ``--work``), their claims embedded; then, for each
setting, a copy of that store is linked from scratch (``Linker.relink``: articles in
the order they were stored, as an ingest would) and scored as ``claimgraph eval
clusters`` scores it. Prints, per setting, pairwise precision / recall / F1, origin
accuracy, pairs judged and linking time. Only split a is for choosing; split b is
measured once, at the end, by ``claimgraph eval clusters --split b``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from claimgraph.config import Settings
from claimgraph.evaluation.clusters import evaluate_clusters, load_gold
from claimgraph.link.linker import LinkSettings
from claimgraph.query import gold_view
from claimgraph.run import Linker, ingest
from claimgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
GOLD = ROOT / "tests" / "data" / "claim_clusters_gold.jsonl"
NONPAIRS = ROOT / "tests" / "data" / "claim_nonpairs_gold.jsonl"


def template(split: str, work: Path) -> Path:
    """The gold articles of ``split``, stored unlinked, with their claims' vectors."""
    path = work / f"split-{split}-template.db"
    if path.exists():
        return path
    clusters, nonpairs = load_gold(GOLD, NONPAIRS, split)
    docs = sorted(
        {m["doc"] for c in clusters for m in c["members"]} | {p[s]["doc"] for p in nonpairs for s in "ab"}
    )
    by_outlet: dict[str, list[Path]] = {}
    for d in docs:
        by_outlet.setdefault(d.split("_", 1)[0], []).append(TEXTS / f"{d}.txt")
    tmp = work / "building.db"
    tmp.unlink(missing_ok=True)
    t = time.perf_counter()
    with Store(f"sqlite:///{tmp}") as store:
        for outlet, group in sorted(by_outlet.items()):
            ingest(group, Settings(), store, outlet=outlet, link=False)
        linker = Linker(store)
        missing = store.claims_without_vectors()
        store.add_vectors([pk for pk, _ in missing], linker.encode([text for _, text in missing]))
    print(f"template: {len(docs)} articles analysed and embedded in {time.perf_counter() - t:.0f} s")
    tmp.rename(path)
    return path


class Counting:
    """The shipped judge, counting the pairs it is asked about and remembering their scores."""

    def __init__(self) -> None:
        from claimgraph.link.judge import Judge

        self.judge = Judge.load()
        self.pairs = 0
        self.scores: dict[tuple[str, str], float] = {}

    def __call__(self, pairs: Any) -> np.ndarray:
        self.pairs += len(pairs)
        out = self.judge.scores(pairs)
        self.scores.update(zip(pairs, map(float, out), strict=True))
        return out


def by_cosine(judge: Counting, threshold: float) -> None:
    """How the pairs judged, and those judged one claim, spread over the cosine of their texts:
    what a cosine floor would keep of each."""
    from claimgraph.link.embed import Encoder

    pairs = list(judge.scores)
    texts = sorted({t for p in pairs for t in p})
    vecs = dict(zip(texts, Encoder.load().encode(texts), strict=True))
    cos = np.array([float(vecs[a] @ vecs[b]) for a, b in pairs])
    same = np.array([judge.scores[p] >= threshold for p in pairs])
    print(f"{len(pairs)} distinct pairs judged, {int(same.sum())} judged one claim")
    for floor in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        kept = cos >= floor
        print(
            f"  cosine >= {floor:.2f}: keeps {kept.mean():.1%} of the pairs and "
            f"{(kept & same).sum() / max(1, same.sum()):.1%} of those judged one claim"
        )


def run(base: Path, settings: LinkSettings, judge: Counting, split: str, work: Path) -> dict[str, Any]:
    db = work / "linked.db"
    for suffix in ("", "-wal", "-shm", "-index", "-index.json"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(base, db)
    judge.pairs = 0
    t = time.perf_counter()
    with Store(f"sqlite:///{db}") as store:
        Linker(store, judge=judge, settings=settings).relink()
    secs = time.perf_counter() - t

    def copy(files: list[Path], url: str) -> None:
        shutil.copy(db, url.removeprefix("sqlite:///"))

    def read(url: str) -> Any:
        with Store(url) as store:
            return gold_view(store)

    scores = evaluate_clusters(GOLD, NONPAIRS, TEXTS, copy, read, split=split)
    return {"seconds": round(secs, 1), "pairs": judge.pairs, **scores}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="a", choices=["a"], help="only the tune half is for choosing")
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimgraph-tune"))
    parser.add_argument("--dump", type=Path, help="write every pair judged, with its score, as JSON lines")
    parser.add_argument("--grid", nargs="*", default=["neighbours=10"], help="FIELD=V1,V2 … (LinkSettings)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    base = template(args.split, args.work)
    judge = Counting()
    fields: dict[str, list[Any]] = {}
    for item in args.grid:
        name, values = item.split("=", 1)
        kind = type(getattr(LinkSettings(), name))
        fields[name] = [
            None
            if v == "none"
            else (bool(int(v)) if kind is bool else (kind(v) if kind is not type(None) else int(v)))
            for v in values.split(",")
        ]
    for n, combo in enumerate(itertools.product(*fields.values())):
        settings = replace(LinkSettings(), **dict(zip(fields, combo, strict=True)))
        s = run(base, settings, judge, args.split, args.work)
        pw = s["pairwise"]
        print(
            json.dumps(
                {
                    **dict(zip(fields, combo, strict=True)),
                    "P": round(pw["precision"], 3),
                    "R": round(pw["recall"], 3),
                    "F1": round(pw["f1"], 3),
                    "origins": round(s["origins"]["accuracy"], 3),
                    "pairs": s["pairs"],
                    "seconds": s["seconds"],
                }
            ),
            flush=True,
        )
        if n == 0:
            by_cosine(judge, LinkSettings().threshold)
            if args.dump:
                with args.dump.open("w", encoding="utf-8") as f:
                    for (a, b), score in judge.scores.items():
                        f.write(json.dumps({"a": a, "b": b, "score": round(score, 4)}) + "\n")


if __name__ == "__main__":
    main()
