"""Candidate search for linking: which stored claims a new claim is compared with.

An inverted-file index over the claim embeddings with *fixed* centroids (shipped
with the package, computed once from PolNeAR train sentences; see
``data/centroids.README.md``) and *symmetric* assignment: every claim is put in
the lists of its ``probes`` nearest centroids, and two claims are candidates
when their list sets meet. That is a property of the pair alone, so the
candidates (and hence the links and clusters) do not depend on the order claims
arrive in. Claims sharing a canonical entity and event type are candidates too
when the index would miss them (a near-duplicate in a crowded list is found
through its own lists anyway). Below ``exact_below`` stored claims the index
compares with every claim, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

_CENTROIDS = Path(__file__).parent / "data" / "centroids.npy"


@cache
def centroids(path: Path = _CENTROIDS) -> np.ndarray | None:
    if not path.exists():
        return None
    c = np.load(path).astype(np.float32)
    c /= np.linalg.norm(c, axis=1, keepdims=True) + 1e-12
    return c


class CandidateIndex:
    """Stored claim vectors by inverted list; grows as claims are added."""

    def __init__(self, probes: int = 3, exact_below: int = 20_000, dim: int = 384) -> None:
        self.probes = probes
        self.exact_below = exact_below
        self.dim = dim
        self.ids: list[str] = []
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._n = 0
        self._lists: dict[int, list[int]] = {}
        self._assign: list[np.ndarray] = []
        self.centroids = centroids()

    def __len__(self) -> int:
        return self._n

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors[: self._n]

    def _lists_of(self, vecs: np.ndarray) -> np.ndarray:
        assert self.centroids is not None
        sims = vecs @ self.centroids.T
        k = min(self.probes, sims.shape[1])
        return np.argpartition(-sims, k - 1, axis=1)[:, :k]

    def add(self, ids: list[str], vecs: np.ndarray) -> None:
        if not ids:
            return
        need = self._n + len(ids)
        if need > len(self._vectors):
            grown = np.zeros((max(need, 2 * len(self._vectors), 1024), self.dim), dtype=np.float32)
            grown[: self._n] = self._vectors[: self._n]
            self._vectors = grown
        self._vectors[self._n : need] = vecs
        if self.centroids is not None:
            for row, lists in enumerate(self._lists_of(vecs)):
                for lst in lists:
                    self._lists.setdefault(int(lst), []).append(self._n + row)
                self._assign.append(lists)
        self.ids.extend(ids)
        self._n = need

    def candidates(self, vecs: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """For each query vector: (its row, the rows of stored claims to compare it with)."""
        if self.centroids is None or self._n < self.exact_below:
            everything = np.arange(self._n)
            for i in range(len(vecs)):
                yield i, everything
            return
        for i, lists in enumerate(self._lists_of(vecs)):
            rows = [self._lists.get(int(lst), []) for lst in lists]
            yield i, np.unique(np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]))

    def similar(self, vecs: np.ndarray, floor: float) -> Iterator[tuple[int, list[tuple[str, float]]]]:
        """For each query: the stored claims whose cosine reaches ``floor``, best first."""
        if self.centroids is None or self._n < self.exact_below:
            # exact: one product with every stored vector, no copying
            sims_all = vecs @ self.vectors.T if self._n else np.zeros((len(vecs), 0), np.float32)
            for i in range(len(vecs)):
                keep = np.nonzero(sims_all[i] >= floor)[0]
                order = keep[np.argsort(-sims_all[i][keep])]
                yield i, [(self.ids[int(j)], float(sims_all[i][j])) for j in order]
            return
        for i, rows in self.candidates(vecs):
            if len(rows) == 0:
                yield i, []
                continue
            sims = self._vectors[rows] @ vecs[i]
            keep = np.nonzero(sims >= floor)[0]
            order = keep[np.argsort(-sims[keep])]
            yield i, [(self.ids[int(rows[j])], float(sims[j])) for j in order]
