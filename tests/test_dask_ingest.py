"""`ingest --dask`: partitions analysed on Dask workers, stored by the client alone, in input
order; a failed partition is retried or reported whole; a rerun after a kill completes the store."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.config import Settings
from claimgraph.errors import ConfigError, InputError, ModelNotInstalledError
from claimgraph.ingest import read_path
from claimgraph.run import ingest
from claimgraph.store import Store

distributed = pytest.importorskip("distributed")
cgd = pytest.importorskip("claimgraph.distributed")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"
CLAIMS_PER_EXAMPLE = 17


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(text.replace("#News", f"#News {i}"), encoding="utf-8")
    return folder


JSONL = "\n".join(
    [
        '{"id": "r1", "text": "The minister said the war would end soon.", "outlet": "Wire"}',
        "",
        "not json",
        '{"id": "r2", "text": "Officials said three soldiers died on Monday.", "outlet": "Wire"}',
        '{"id": "r3", "title": "no text"}',
        '{"id": "r4", "text": "The army said it had withdrawn 2,000 troops.", "outlet": "Wire"}',
        '{"id": "r5", "text": "Witnesses told reporters the bridge was destroyed.", "outlet": "Wire"}',
        "",
    ]
)


def _mixed(folder: Path) -> Path:
    """Three news articles and a JSON Lines file of six records, two of them bad."""
    _corpus(folder, 3)
    (folder / "b-records.jsonl").write_text(JSONL, encoding="utf-8")
    return folder


def _dumps(store: Store) -> list[str]:
    return sorted(record.dumps() for record in store.records())


# ---- pure: addresses, partitions, shards ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "workers", "scheduler"),
    [
        ("local:1", 1, None),
        ("local:2", 2, None),
        (" LOCAL:64 ", 64, None),
        ("tcp://10.0.0.5:8786", None, "tcp://10.0.0.5:8786"),
        ("tcp://scheduler.example.org:8786/", None, "tcp://scheduler.example.org:8786"),
        ("tcp://[::1]:8786", None, "tcp://[::1]:8786"),
    ],
)
def test_dask_address_parses(text: str, workers: int | None, scheduler: str | None) -> None:
    assert cgd.parse_address(text) == cgd.DaskAddress(workers=workers, scheduler=scheduler)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "local",
        "local:",
        "local:0",
        "local:65",
        "local:-1",
        "local:two",
        "local:²",
        "tcp://",
        "tcp://host",
        "tcp://:8786",
        "tcp://host:99999",
        "tcp://host:port",
        "tcp://host:8786/path",
        "http://host:8786",
        "host:8786",
    ],
)
def test_dask_bad_address_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError, match=r"local:N .* tcp://HOST:PORT"):
        cgd.parse_address(text)


def test_dask_partitions_cover_the_input_in_order_and_shrink_towards_the_end(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i:02d}.txt").write_text("x", encoding="utf-8")
    parts = cgd.partitions([folder], Settings(batch_size=8), workers=2)
    files = [f.name for p in parts for f in p.files]
    assert files == [f"a{i:02d}.txt" for i in range(40)]
    sizes = [len(p.files) for p in parts]
    assert max(sizes) == 8 and sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    assert [p.index for p in parts] == list(range(len(parts)))


def test_dask_a_long_jsonl_file_is_cut_into_shards_read_as_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    settings = Settings(batch_size=2)
    parts = cgd.partitions([path], settings, workers=1)
    assert len(parts) > 1 and all(p.lines is not None for p in parts)
    shards = [x for p in parts for x in cgd.read_partition(p, settings, outlet="Desk")]
    whole = list(read_path(path, settings, outlet="Desk"))

    def key(x: Any) -> Any:
        return (x.where, x.reason) if isinstance(x, InputError) else x

    assert [key(x) for x in shards] == [key(x) for x in whole]
    assert [x.where for x in whole if isinstance(x, InputError)] == [f"{path}:3", f"{path}:5"]


def test_dask_results_travel_between_processes(tmp_path: Path, extractor: Any) -> None:
    import pickle

    folder = _mixed(tmp_path / "in")
    part = cgd.Partition(0, tuple(sorted(folder.iterdir())) + (tmp_path / "missing.txt",))
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(cgd._extractors, repr(Settings()), extractor)
        result = cgd.extract_partition(part, Settings(), None, None)
    back = pickle.loads(pickle.dumps(result))
    assert [(type(a).__name__, type(r).__name__) for a, r in back.items] == [
        (type(a).__name__, type(r).__name__) for a, r in result.items
    ]
    assert [r.dumps() for _, r in back.items if hasattr(r, "dumps")] == [
        r.dumps() for _, r in result.items if hasattr(r, "dumps")
    ]
    assert str(back.items[-1][0]) == str(result.items[-1][0])  # the missing file's error


def test_dask_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'claimgraph\[dask\]'"):
        cgd.require_distributed()


def test_dask_cli_refuses_a_bad_address_and_processes_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimgraph.interfaces.cli import app

    db = f"sqlite:///{tmp_path / 'x.db'}"
    for args in (
        ["--dask", "local:0"],
        ["--dask", "tcp://nowhere"],
        ["--dask", "local:2", "--processes", "2"],
    ):
        result = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--db", db, *args])
        assert result.exit_code == 2, result.output
        assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.db").exists()  # refused before the store was created


# ---- a LocalCluster ----------------------------------------------------------------------------


@pytest.mark.slow
def test_dask_ingest_stores_what_one_process_stores(tmp_path: Path, extractor: Any) -> None:
    folder = _mixed(tmp_path / "in")
    paths = [folder, tmp_path / "missing.txt"]
    settings = Settings(batch_size=2)  # the JSON Lines file is cut into shards
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        expected = ingest(paths, settings, one, extractor=extractor, link=False)
        want = _dumps(one)
    done: list[Any] = []
    seen: list[str] = []

    def seen_as(item: Any) -> None:
        seen.append(item.where if isinstance(item, InputError) else item.source)

    with Store(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        report = ingest(
            paths,
            settings,
            store,
            link=False,
            dask="local:2",
            on_partition=done.append,
            on_article=seen_as,
        )
        assert _dumps(store) == want
    assert (report.stored, report.already, report.claims) == (
        expected.stored,
        expected.already,
        expected.claims,
    )
    assert [str(e) for e in report.failed] == [str(e) for e in expected.failed]
    assert report.stored == 7 and len(report.failed) == 3
    assert sorted(p.index for p in done) == list(range(len(done))) and done[-1].done == done[-1].total
    assert all(p.error is None for p in done)
    assert any(s.endswith("a00.txt") for s in seen) and any(":3" in s for s in seen)


@pytest.mark.slow
def test_dask_ingest_on_a_running_scheduler(tmp_path: Path, extractor: Any) -> None:
    folder = _corpus(tmp_path / "in", 2)
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        ingest([folder], Settings(), one, extractor=extractor, link=False)
        want = _dumps(one)
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster,
        Store(f"sqlite:///{tmp_path / 'tcp.db'}") as store,
    ):
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        report = ingest([folder], Settings(), store, link=False, dask=address)
        assert report.stored == 2 and _dumps(store) == want
        assert cluster.scheduler.workers  # the cluster is left running


def _linked(store: Store) -> tuple[Any, ...]:
    """The store's links and clusters, by claim uid."""
    uid = {pk: u for r in store.records() for pk, u in store.article_claim_pks(r.article.id)}
    links = sorted((uid[a], uid[b], round(s, 6), why) for a, b, s, why in store.links_among(sorted(uid)))
    clusters = sorted((name, sorted(uid[pk] for pk in pks)) for name, pks in store.cluster_members().items())
    return links, clusters


@pytest.mark.slow
def test_dask_ingest_links_in_the_writer_as_one_process_does(tmp_path: Path, extractor: Any) -> None:
    files = [ROOT / "examples" / f"nk-troops-{n}.txt" for n in ("withdrawn", "echo", "12000")]
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        expected = ingest(files, Settings(), one, extractor=extractor)
        want = _linked(one)
    with Store(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        report = ingest(files, Settings(), store, dask="local:2")
        assert _linked(store) == want
    assert report.links == expected.links > 0 and not report.failed


@pytest.mark.slow
def test_dask_a_missing_model_stops_the_ingest_once(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "in", 2)
    with Store(f"sqlite:///{tmp_path / 'm.db'}") as store:
        with pytest.raises(ModelNotInstalledError, match="no_such_pipeline"):
            ingest([folder], Settings(spacy_model="no_such_pipeline"), store, link=False, dask="local:1")
        assert store.count_articles() == 0


@contextlib.contextmanager
def _threads_cluster() -> Iterator[Any]:
    """A cluster in this process (its workers are threads), so that a test can patch the tasks."""
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.slow
def test_dask_a_failing_partition_is_retried_then_reported_whole(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "in", 4)
    settings = Settings(batch_size=1)  # a partition a file
    monkeypatch.setitem(cgd._extractors, repr(settings), extractor)
    monkeypatch.setattr(cgd, "connect", lambda address: _threads_cluster())
    real_read = cgd.read_partition
    tries: dict[str, int] = {}

    def flaky(part: Any, *args: Any) -> Any:
        name = part.files[0].name
        tries[name] = tries.get(name, 0) + 1
        if name == "a01.txt" and tries[name] == 1:
            raise OSError("the worker's disk went away")  # once: the retry succeeds
        if name == "a02.txt":
            raise RuntimeError("every time")
        return real_read(part, *args)

    monkeypatch.setattr(cgd, "read_partition", flaky)
    done: list[Any] = []
    with Store(f"sqlite:///{tmp_path / 'f.db'}") as store:
        report = ingest([folder], settings, store, link=False, dask="local:1", on_partition=done.append)
        assert store.count_articles() == 3 and store.count_claims() == 3 * CLAIMS_PER_EXAMPLE
    assert tries["a01.txt"] == 2 and tries["a02.txt"] == cgd.RETRIES + 1
    [failed] = report.failed
    assert failed.where == "partition 3 (" + str(folder / "a02.txt") + ")"
    assert "RuntimeError: every time" in failed.reason and "nothing of it was stored" in failed.reason
    assert [p.error is not None for p in sorted(done, key=lambda p: p.index)] == [False, False, True, False]


@pytest.mark.slow
def test_dask_a_worker_killed_under_a_partition_loses_nothing(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "in", 8)
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        ingest([folder], Settings(), one, extractor=extractor, link=False)
        want = _dumps(one)
    real_connect = cgd.connect
    clients: list[Any] = []
    killed: list[int] = []

    @contextlib.contextmanager
    def spy(address: str) -> Iterator[Any]:
        with real_connect(address) as client:
            clients.append(client)
            yield client

    def kill_one(done: Any) -> None:
        if killed:
            return
        client = clients[0]
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)  # its nanny starts another; its task runs again
            killed.append(pid)

    monkeypatch.setattr(cgd, "connect", spy)
    with Store(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        report = ingest([folder], Settings(), store, link=False, dask="local:2", on_partition=kill_one)
        assert _dumps(store) == want
    assert killed and report.stored == 8 and not report.failed


@pytest.mark.slow
def test_dask_ingest_killed_midway_and_run_again_stores_everything_once(
    tmp_path: Path, extractor: Any
) -> None:
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
    cmd += ["--dask", "local:2", "--no-link"]
    # its own process group: the LocalCluster's nannies and workers are killed with it
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    try:
        while time.time() < deadline and proc.poll() is None:
            if db.exists():
                with Store(f"sqlite:///{db}") as store:
                    if store.count_articles() >= 1:
                        break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with Store(f"sqlite:///{db}") as store:
        stored = store.count_articles()
        assert 1 <= stored <= 8
        assert store.count_claims() == stored * CLAIMS_PER_EXAMPLE  # every stored article is whole
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{stored} already stored" in done.stderr
    with Store(f"sqlite:///{tmp_path / 'clean.db'}") as clean:
        ingest([folder], Settings(), clean, extractor=extractor, link=False)
        want = _dumps(clean)
    with Store(f"sqlite:///{db}") as store:
        assert store.count_articles() == 8 and store.count_claims() == 8 * CLAIMS_PER_EXAMPLE
        assert _dumps(store) == want
