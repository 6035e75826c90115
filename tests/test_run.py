"""run.py strings the stages together; an interrupted ingest leaves no half article and completes on rerun."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimgraph.config import Settings
from claimgraph.run import ingest
from claimgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        # distinct articles: each one's own headline
        (folder / f"a{i:02d}.txt").write_text(text.replace("#News", f"#News {i}"), encoding="utf-8")
    return folder


def test_run_ingest_after_a_crash_completes_the_rest(tmp_path: Path, extractor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = _corpus(tmp_path / "in", 3)
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    real_save = Store.save
    calls = {"n": 0}

    def crash_on_second(self: Store, record, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-write
        return real_save(self, record, **kw)

    monkeypatch.setattr(Store, "save", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        ingest([folder], Settings(), store, extractor=extractor)
    assert store.count_articles() == 1
    monkeypatch.setattr(Store, "save", real_save)
    report = ingest([folder], Settings(), store, extractor=extractor)
    assert (report.stored, report.already) == (2, 1)
    assert store.count_articles() == 3
    assert store.count_claims() == 3 * 17


@pytest.mark.slow
def test_run_ingest_killed_midway_leaves_whole_articles(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "in", 8)
    db = tmp_path / "k.db"
    cmd = [
        sys.executable,
        "-m",
        "claimgraph.interfaces.cli",
        "ingest",
        str(folder),
        "--db",
        f"sqlite:///{db}",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            if db.exists():
                store = Store(f"sqlite:///{db}")
                n = store.count_articles()
                store.close()
                if n >= 1:
                    break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    store = Store(f"sqlite:///{db}")
    stored = store.count_articles()
    assert 1 <= stored <= 8
    assert store.count_claims() == stored * 17  # every stored article is whole
    store.close()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    store = Store(f"sqlite:///{db}")
    assert store.count_articles() == 8
    assert store.count_claims() == 8 * 17


class _FlakyExtractor:
    """Analyses articles into empty records, and fails on any whose text says so."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def analyze(self, article):  # type: ignore[no-untyped-def]
        from claimgraph.model import ClaimRecord

        if "BOOM" in article.text:
            raise self.error
        return ClaimRecord(article=article, claims=())

    def analyze_many(self, articles):  # type: ignore[no-untyped-def]
        for article in articles:
            yield self.analyze(article)


@pytest.mark.parametrize(
    "error", [ValueError("[E088] Text of length 1200000 exceeds maximum"), RecursionError()]
)
def test_run_one_article_that_breaks_the_analysis_fails_alone(tmp_path: Path, error: BaseException) -> None:
    from claimgraph.errors import InputError
    from claimgraph.run import analyze_each

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("a.txt", "One said so."), ("b.txt", "BOOM said so."), ("c.txt", "Three said so.")]:
        (folder / name).write_text(text, encoding="utf-8")
    from claimgraph.run import read_articles

    articles = [a for a in read_articles([folder], Settings()) if not isinstance(a, InputError)]
    out = list(analyze_each(articles, Settings(), _FlakyExtractor(error)))  # type: ignore[arg-type]
    assert [type(x).__name__ for x in out] == ["ClaimRecord", "InputError", "ClaimRecord"]
    failed = out[1]
    assert isinstance(failed, InputError) and failed.where.endswith("b.txt")
    assert "could not analyse it" in failed.reason and type(error).__name__ in failed.reason
    # ingest: the batch goes on, and the failure is counted
    with Store(f"sqlite:///{tmp_path / 'f.db'}") as store:
        report = ingest([folder], Settings(), store, extractor=_FlakyExtractor(error), link=False)  # type: ignore[arg-type]
        assert (report.stored, len(report.failed)) == (2, 1)
        assert store.count_articles() == 2


def test_run_a_store_error_on_one_article_fails_that_article_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.errors import StoreError

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("a.txt", "One said so."), ("b.txt", "Two said so."), ("c.txt", "Three said so.")]:
        (folder / name).write_text(text, encoding="utf-8")
    real_save = Store.save

    def refuse_b(self: Store, record, **kw):  # type: ignore[no-untyped-def]
        if record.article.text.startswith("Two"):
            raise StoreError("could not save article sha256:…: value too long")
        return real_save(self, record, **kw)

    monkeypatch.setattr(Store, "save", refuse_b)
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        report = ingest([folder], Settings(), store, extractor=_FlakyExtractor(ValueError()), link=False)  # type: ignore[arg-type]
    assert report.stored == 2
    [failed] = report.failed
    assert failed.where.endswith("b.txt") and "could not store it" in failed.reason


class _LinkedClaims:
    """The store calls the candidate index is loaded and refreshed with, over a dict of linked claims."""

    def __init__(self) -> None:
        import numpy as np

        self.np = np
        self.linked: dict[int, int] = {}
        self.url = "memory"

    def index_path(self) -> None:
        return None

    def linked_vectors(self, after: int = -1):  # type: ignore[no-untyped-def]
        pks = sorted(pk for pk in self.linked if pk > after)
        vecs = self.np.zeros((len(pks), 384), dtype=self.np.float32)
        for row, pk in enumerate(pks):
            vecs[row, self.linked[pk]] = 1.0
        return pks, vecs

    def count_linked(self, upto: int) -> int:
        return sum(1 for pk in self.linked if pk <= upto)


def _keys(index) -> list[int]:  # type: ignore[no-untyped-def]
    import numpy as np

    found = index.search(np.eye(384, dtype=np.float32)[:8], 10, 0.5)
    return sorted(key for near in found for key, _ in near)


def test_run_candidate_index_sees_claims_other_processes_linked_since() -> None:
    from claimgraph.run import Linker

    store = _LinkedClaims()
    linker = Linker(store)
    store.linked.update({1: 1, 2: 2})
    assert _keys(linker._index()) == [1, 2]
    store.linked[5] = 5  # linked by another process since
    assert _keys(linker._index()) == [1, 2, 5]
    # a straggler linked late elsewhere, with a lower key, is seen by the next process
    store.linked[3] = 3
    assert _keys(linker._index()) == [1, 2, 5]
    assert _keys(Linker(store)._index()) == [1, 2, 3, 5]


def test_run_candidate_index_is_saved_beside_the_store_and_built_again_when_it_does_not_match(
    tmp_path: Path,
) -> None:
    import numpy as np

    from claimgraph.link.index import CandidateIndex

    index = CandidateIndex()
    index.add([3, 7], np.eye(384, dtype=np.float32)[:2])
    path = tmp_path / "s.db-index"
    index.save(path, {"store": "sqlite:///s.db"})
    loaded = CandidateIndex.load(path)
    assert loaded is not None
    again, meta = loaded
    assert meta["store"] == "sqlite:///s.db" and again.last == 7 and len(again) == 2
    assert again.search(np.eye(384, dtype=np.float32)[:1], 5, 0.5) == [[(3, 1.0)]]
    path.write_bytes(b"half a file")
    assert CandidateIndex.load(path) is None
    assert CandidateIndex.load(tmp_path / "missing") is None


def test_run_candidate_index_turns_approximate_past_its_exact_size_with_the_same_answers() -> None:
    import numpy as np

    from claimgraph.link.index import CandidateIndex

    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(300, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    exact, graph = CandidateIndex(exact_below=10_000), CandidateIndex(exact_below=100)
    for start in range(0, 300, 50):
        keys = list(range(start, start + 50))
        exact.add(keys, vecs[start : start + 50])
        graph.add(keys, vecs[start : start + 50])
    assert graph.approximate and not exact.approximate
    queries = vecs[:20] + 0.05 * rng.normal(size=(20, 384)).astype(np.float32)
    want = [[k for k, _ in near] for near in exact.search(queries, 5, -1.0)]
    got = [[k for k, _ in near] for near in graph.search(queries, 5, -1.0)]
    assert want == got
    # built alike, two graphs give the same answers (one thread, in key order)
    twin = CandidateIndex(exact_below=100)
    for start in range(0, 300, 50):
        twin.add(list(range(start, start + 50)), vecs[start : start + 50])
    assert twin.search(queries, 5, -1.0) == graph.search(queries, 5, -1.0)
    graph.remove([0, 1])
    assert len(graph) == 298 and not graph.contains(0)
    assert all(0 not in [k for k, _ in near] for near in graph.search(queries[:1], 5, -1.0))


def test_run_input_error_survives_a_trip_to_a_worker_process() -> None:
    import pickle

    from claimgraph.errors import InputError

    error = pickle.loads(pickle.dumps(InputError("a.txt:3", "invalid JSON")))
    assert (error.where, error.reason, str(error)) == ("a.txt:3", "invalid JSON", "a.txt:3: invalid JSON")
