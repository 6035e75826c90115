"""Candidate search for linking: the stored claims nearest a new claim, by embedding.

Stored claims are kept by their store key with their unit-length embedding. Below
``exact_below`` claims the search is exact (one matrix product, float32). From there
on it is an HNSW graph (usearch, float16 vectors, inner product): a few milliseconds a
query, with 0.99 of the exact ten nearest found at 200,000 claims
(``benchmarks/bench_link.py`` prints the recall it measures).

Determinism: the graph is built on one thread, in store-key order, so the same store
gives the same graph and the same answers. Ties are broken by store key. Exact search
makes the candidates a property of the stored set alone (whatever the arrival order);
an approximate graph depends on the order it was built in, so past ``exact_below`` two
stores holding the same claims may, rarely, find a different tenth neighbour.

The index can be saved beside the store (``save``/``load``: the usearch file and a
small JSON of what it holds) and is rebuilt from the store when that file is missing
or does not match it (``run.Linker``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

#: the dimension of the sentence embeddings (all-MiniLM-L6-v2)
DIM = 384

#: HNSW settings, chosen on the synthetic stores of ``benchmarks/bench_link.py`` with PolNeAR dev
#: sentences as queries: recall@10 against exact search at 200,000 claims 0.90 with a search
#: expansion of 128 (0.9 ms a query), 0.97 with 256 (1.8 ms), 0.99 with 512 (3.6 ms); at
#: 1,000,000 claims 128 gave 0.84
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 512
#: threads of one search (the queries of an article are independent: same answers)
SEARCH_THREADS = 2

Found = list[tuple[int, float]]


class CandidateIndex:
    """Stored claim vectors by store key: exact while small, an HNSW graph once large."""

    def __init__(self, exact_below: int = 20_000, dim: int = DIM) -> None:
        self.exact_below = exact_below
        self.dim = dim
        self._keys = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._n = 0
        self._graph: Any = None  # usearch.index.Index, once past exact_below
        #: keys removed from the graph's count (usearch keeps removed slots until compacted)
        self._count = 0
        #: the highest store key added: what a later refresh asks the store for
        self.last = -1

    def __len__(self) -> int:
        return self._count

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    # -- building ----------------------------------------------------------------------------

    def add(self, keys: Sequence[int], vecs: npt.NDArray[Any], threads: int = 1) -> None:
        """Add (or replace) claims by store key; add in key order for a deterministic graph
        (``threads`` > 1 builds faster, in an order the threads decide: for benchmarks)."""
        if len(keys) == 0:
            return
        vecs = np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(keys), self.dim)
        keys_arr = np.asarray(keys, dtype=np.int64)
        self.remove([int(k) for k in keys_arr if self.contains(int(k))])
        self.last = max(self.last, int(keys_arr.max()))
        if self._graph is not None:
            self._graph.add(keys_arr.astype(np.uint64), vecs, threads=threads)
            self._count += len(keys_arr)
            return
        need = self._n + len(keys_arr)
        if need > len(self._vectors):
            size = max(need, 2 * len(self._vectors), 1024)
            grown = np.zeros((size, self.dim), dtype=np.float32)
            grown[: self._n] = self._vectors[: self._n]
            keys_grown = np.zeros(size, dtype=np.int64)
            keys_grown[: self._n] = self._keys[: self._n]
            self._vectors, self._keys = grown, keys_grown
        self._vectors[self._n : need] = vecs
        self._keys[self._n : need] = keys_arr
        self._n = need
        self._count = need
        if self._n >= self.exact_below:
            self._to_graph(threads)

    def memory_bytes(self) -> int:
        """What the index holds in memory (vectors and graph)."""
        if self._graph is not None:
            return int(self._graph.memory_usage)
        return int(self._vectors.nbytes + self._keys.nbytes)

    def _to_graph(self, threads: int = 1) -> None:
        from usearch.index import Index

        order = np.argsort(self._keys[: self._n], kind="stable")
        graph = Index(
            ndim=self.dim,
            metric="ip",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )
        keys = self._keys[: self._n][order]
        vecs = self._vectors[: self._n][order]
        for start in range(0, len(keys), 50_000):
            part = slice(start, start + 50_000)
            graph.add(keys[part].astype(np.uint64), vecs[part], threads=threads)
        self._graph = graph
        self._keys = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, self.dim), dtype=np.float32)
        self._n = 0

    def contains(self, key: int) -> bool:
        if self._graph is not None:
            return bool(self._graph.contains(np.uint64(key)))
        return bool(self._n) and bool(np.any(self._keys[: self._n] == key))

    def remove(self, keys: Sequence[int]) -> None:
        """Forget these claims (deleted from the store); unknown keys are ignored."""
        if not keys:
            return
        if self._graph is not None:
            present = [k for k in keys if self._graph.contains(np.uint64(k))]
            if present:
                self._graph.remove(np.asarray(present, dtype=np.uint64))
                self._count -= len(present)
            return
        gone = np.isin(self._keys[: self._n], np.asarray(keys, dtype=np.int64))
        if gone.any():
            keep = ~gone
            n = int(keep.sum())
            self._vectors[:n] = self._vectors[: self._n][keep]
            self._keys[:n] = self._keys[: self._n][keep]
            self._n = self._count = n

    # -- searching ---------------------------------------------------------------------------

    def search(self, vecs: npt.NDArray[Any], k: int, floor: float) -> list[Found]:
        """For each query vector: up to ``k`` stored claims (store key, cosine) whose cosine
        reaches ``floor``, nearest first (ties by key)."""
        vecs = np.ascontiguousarray(vecs, dtype=np.float32).reshape(-1, self.dim)
        if len(vecs) == 0 or self._count == 0 or k <= 0:
            return [[] for _ in range(len(vecs))]
        if self._graph is None:
            sims = vecs @ self._vectors[: self._n].T
            keys = self._keys[: self._n]
            out = []
            for row in sims:
                top = np.nonzero(row >= floor)[0]
                if len(top) > k:
                    # the k best, ties by key: a stable order on (-sim, key)
                    top = top[np.lexsort((keys[top], -row[top]))][:k]
                else:
                    top = top[np.lexsort((keys[top], -row[top]))]
                out.append([(int(keys[j]), float(row[j])) for j in top])
            return out
        found = self._graph.search(vecs, k, threads=SEARCH_THREADS)
        out = []
        for i in range(len(vecs)):
            got = found[i] if len(vecs) > 1 else found
            pairs = [
                (int(key), 1.0 - float(dist))
                for key, dist in zip(got.keys, got.distances, strict=True)
                if 1.0 - float(dist) >= floor
            ]
            out.append(sorted(pairs, key=lambda p: (-p[1], p[0])))
        return out

    # -- persistence -------------------------------------------------------------------------

    def save(self, path: Path, about: dict[str, Any]) -> None:
        """Write the index to ``path`` (and ``path``.json with ``about``: what it was built
        from), atomically: a reader never sees half a file."""
        meta = {**about, "last": self.last, "count": self._count, "exact_below": self.exact_below}
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        if self._graph is not None:
            self._graph.save(str(tmp))
            meta["kind"] = "hnsw"
        else:
            with tmp.open("wb") as f:
                np.save(f, self._keys[: self._n])
                np.save(f, self._vectors[: self._n])
            meta["kind"] = "exact"
        os.replace(tmp, path)
        side = path.with_name(path.name + ".json")
        tmp_meta = side.with_name(side.name + f".{os.getpid()}.tmp")
        tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp_meta, side)

    @classmethod
    def load(cls, path: Path) -> tuple[CandidateIndex, dict[str, Any]] | None:
        """The index saved at ``path`` with what it was built from, or None where there is no
        whole, readable one (it is then built again from the store)."""
        side = path.with_name(path.name + ".json")
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
            index = cls(exact_below=int(meta["exact_below"]))
            if meta["kind"] == "hnsw":
                from usearch.index import Index

                index._graph = Index.restore(str(path))
                if index._graph is None:
                    return None
                index._graph.expansion_search = EXPANSION_SEARCH
            else:
                with path.open("rb") as f:
                    keys = np.load(f)
                    vecs = np.load(f)
                index._keys, index._vectors, index._n = (
                    keys.astype(np.int64),
                    vecs.astype(np.float32),
                    len(keys),
                )
            index._count = int(meta["count"])
            index.last = int(meta["last"])
            if len(index) != (len(index._graph) if index._graph is not None else index._n):
                return None
            return index, meta
        except (OSError, ValueError, KeyError, TypeError, RuntimeError):
            return None
