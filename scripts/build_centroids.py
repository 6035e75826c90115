"""Build the fixed centroids of the candidate index (claimgraph/link/data/centroids.npy).

    python scripts/build_centroids.py [--sentences 8000] [--k 1024] [--seed 0]

Embeds sentences of PolNeAR train (../shared/data/polnear/train/text) with the
project's encoder and runs k-means (spherical, NumPy) on them. The centroids are
fixed once shipped: every claim's inverted lists are a function of its vector
alone, which keeps linking independent of the order articles arrive in.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

from claimgraph.link.embed import Encoder

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
OUT = ROOT / "claimgraph" / "link" / "data" / "centroids.npy"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=8000)
    parser.add_argument("--k", type=int, default=1024)
    parser.add_argument("--iterations", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts: list[str] = []
    for path in sorted(TRAIN.glob("*.txt")):
        for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            if 40 <= len(s.strip()) <= 400:
                texts.append(s.strip())
    rng = np.random.default_rng(args.seed)
    pick = rng.choice(len(texts), size=min(args.sentences, len(texts)), replace=False)
    x = Encoder.load().encode([texts[i] for i in sorted(pick)])
    c = x[rng.choice(len(x), size=args.k, replace=False)].copy()
    for _ in range(args.iterations):
        assign = np.argmax(x @ c.T, axis=1)
        for j in range(args.k):
            members = x[assign == j]
            if len(members):
                m = members.sum(axis=0)
                c[j] = m / (np.linalg.norm(m) + 1e-12)
    np.save(OUT, c.astype(np.float16))
    sizes = np.bincount(np.argmax(x @ c.T, axis=1), minlength=args.k)
    print(f"{args.k} centroids from {len(x)} sentences -> {OUT}")
    print(f"list sizes: max {sizes.max()}, empty {(sizes == 0).sum()}")


if __name__ == "__main__":
    main()
