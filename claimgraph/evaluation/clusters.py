"""Claim clusters and independent origins against the hand-built PolNeAR gold set.

Gold: ``tests/data/claim_clusters_gold.jsonl`` (clusters of sentences from
different articles asserting one proposition, with each member's origin and the
cluster's number of independent origins) and ``claim_nonpairs_gold.jsonl``
(look-alike pairs that are not one claim). See their README.

Method: the articles the gold names are ingested into a fresh store with
linking on, as ``claimgraph ingest`` does. Each gold member is mapped to the
stored claim whose content overlaps its span most (a member no claim overlaps
is *unmapped*: a miss of the extraction, counted against recall).

- Pairwise clustering: a positive pair is two members of one gold cluster; a
  negative pair is two members of different gold clusters, or a gold non-pair.
  A pair is predicted positive when the two mapped claims share a cluster.
  Precision = TP / (TP + FP) over the gold pairs predicted positive; recall =
  TP / all positive pairs (unmapped members count as missed).
- Independent origins: for each gold cluster, the number of distinct origins
  (``link.origins``) of its mapped members' claims, against the gold count;
  accuracy = share of clusters where they are equal (clusters with an unmapped
  member count as wrong).

``split`` ("a", "b" or "all") selects half the clusters by a hash of their
name: thresholds are tuned on "a" and reported on "b".
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from claimgraph.errors import InputError


def _half(name: str) -> str:
    return "a" if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2 == 0 else "b"


def load_gold(
    clusters_path: Path, nonpairs_path: Path, split: str = "all"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def read(path: Path) -> list[dict[str, Any]]:
        try:
            return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        except (OSError, ValueError) as e:
            raise InputError(str(path), f"cannot read the gold file ({e})") from e

    clusters = read(clusters_path)
    nonpairs = read(nonpairs_path)
    if split in {"a", "b"}:
        clusters = [c for c in clusters if _half(c["cluster"]) == split]
        nonpairs = [p for p in nonpairs if _half(p["a"]["doc"] + p["b"]["doc"]) == split]
    return clusters, nonpairs


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def evaluate_clusters(
    clusters_path: Path,
    nonpairs_path: Path,
    texts: Path,
    ingest: Callable[[list[Path], str], None],
    read_claims: Callable[[str], dict[str, list[tuple[str, tuple[int, int], str | None, int]]]],
    split: str = "all",
) -> dict[str, Any]:
    """Pairwise precision/recall of clustering and accuracy of independent-origin counts.

    ingest(files, db_url): stores and links the articles. read_claims(db_url) returns, per
    document stem, its claims as (claim uid, content span, cluster name, independent origins of
    that claim alone... ) — see ``claimgraph.run.gold_view``.
    """
    clusters, nonpairs = load_gold(clusters_path, nonpairs_path, split)
    docs = sorted(
        {m["doc"] for c in clusters for m in c["members"]}
        | {p[s]["doc"] for p in nonpairs for s in ("a", "b")}
    )
    files = [texts / f"{d}.txt" for d in docs]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise InputError(missing[0], "a gold article's text is missing")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'gold.db'}"
        ingest(files, url)
        view = read_claims(url)

    def mapped(member: dict[str, Any]) -> tuple[str, str | None, Any] | None:
        span = (int(member["span"][0]), int(member["span"][1]))
        best, best_ov = None, 0
        for uid, cspan, cluster, origin_keys in view.get(member["doc"], []):
            ov = _overlap(span, cspan)
            if ov > best_ov:
                best, best_ov = (uid, cluster, origin_keys), ov
        return best

    tp = fp = fn = 0
    unmapped = 0
    members_total = 0
    origin_right = 0
    origin_rows = []
    for c in clusters:
        ms = [mapped(m) for m in c["members"]]
        members_total += len(ms)
        unmapped += sum(1 for m in ms if m is None)
        for x, y in combinations(ms, 2):
            if x is not None and y is not None and x[1] is not None and x[1] == y[1]:
                tp += 1
            else:
                fn += 1
        keys: set[str] = set()
        for m in ms:
            if m is not None:
                keys |= set(m[2])
        got = len(keys) if all(m is not None for m in ms) else None
        origin_rows.append({"cluster": c["cluster"], "gold": c["independent_origins"], "got": got})
        if got == c["independent_origins"]:
            origin_right += 1
    # negatives: members of different gold clusters, and the gold non-pairs
    reps = [[mapped(m) for m in c["members"]] for c in clusters]
    for i, j in combinations(range(len(reps)), 2):
        for x in reps[i]:
            for y in reps[j]:
                if x is not None and y is not None and x[1] is not None and x[1] == y[1] and x[0] != y[0]:
                    fp += 1
    nonpair_fp = 0
    for p in nonpairs:
        x, y = mapped(p["a"]), mapped(p["b"])
        if x is not None and y is not None and x[1] is not None and x[1] == y[1]:
            fp += 1
            nonpair_fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "split": split,
        "clusters": len(clusters),
        "members": members_total,
        "unmapped": unmapped,
        "nonpairs": len(nonpairs),
        "pairwise": {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn},
        "nonpair_false_links": nonpair_fp,
        "origins": {"accuracy": origin_right / len(clusters) if clusters else 0.0, "right": origin_right},
        "origin_rows": origin_rows,
    }


def format_table(s: dict[str, Any]) -> str:
    p = s["pairwise"]
    return "\n".join(
        [
            f"split {s['split']}: {s['clusters']} gold clusters, {s['members']} members "
            f"({s['unmapped']} with no overlapping claim), {s['nonpairs']} look-alike non-pairs",
            "",
            f"pairwise clustering   P {p['precision']:.3f}   R {p['recall']:.3f}   F1 {p['f1']:.3f}"
            f"   (tp {p['tp']}, fp {p['fp']}, fn {p['fn']}; non-pairs linked {s['nonpair_false_links']})",
            f"independent origins   accuracy {s['origins']['accuracy']:.3f}"
            f"   ({s['origins']['right']}/{s['clusters']})",
        ]
    )
