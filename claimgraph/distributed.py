"""Extraction on a Dask cluster: ``claimgraph ingest --dask local:N | tcp://HOST:PORT``.

The input is cut into partitions of at most ``batch_size`` articles (a run of files, or a
shard of the lines of a large JSON Lines file); each partition is read and analysed by a
Dask worker, which loads the spaCy pipeline once (``worker_extractor``) and sends back
plain, picklable results: for each thing read, the Article or its InputError, and the
Article's ClaimRecord or the InputError of its analysis.

Only the client writes the store. ``extract`` yields the partitions' results in input
order, at most a few partitions ahead of the writer; nothing of a partition reaches the
writer before the whole of it has arrived, so a worker that dies or a task that raises
never leaves part of a partition stored: the task is run again (``RETRIES``; a worker lost
under it is the scheduler's ``allowed-failures``), and a partition that fails for good is
reported whole, stored nowhere. Where the store already holds articles (a rerun after a
kill), each partition is first read for its article ids, and only the articles not stored
are analysed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, ConfigError, InputError
from claimgraph.ingest import iter_files
from claimgraph.ingest.clean import clean_name
from claimgraph.ingest.dates import normalize_published_flag
from claimgraph.ingest.decode import decode, read_bytes
from claimgraph.ingest.files import _JSONL, _MAGIC
from claimgraph.ingest.records import read_jsonl
from claimgraph.model import Article, ClaimRecord
from claimgraph.run import _analyze_guarded, _fails_everything, failure, read_articles

if TYPE_CHECKING:
    from distributed import Client

    from claimgraph.nlp.pipeline import Extractor

#: the most worker processes ``local:N`` starts
MAX_LOCAL_WORKERS = 64
#: times a partition's task is run again after it raised (a lost worker: the scheduler's
#: ``distributed.scheduler.allowed-failures``, 3 by default)
RETRIES = 2
_USAGE = (
    "expected local:N (N worker processes on this machine, 1 to 64) or tcp://HOST:PORT (a Dask scheduler)"
)
_INSTALL = (
    "Dask ingest needs the dask extra: pip install 'claimgraph[dask]' "
    "(on this machine and on every worker of the cluster)"
)

#: what one partition gives for each thing read: the Article (or the InputError of what
#: could not be read), and its ClaimRecord, the InputError of its analysis, or None where it
#: was not analysed (already stored, or not read)
Item = tuple[Article | InputError, ClaimRecord | InputError | None]


@dataclass(frozen=True)
class DaskAddress:
    """Where to analyse: ``workers`` local processes, or the scheduler at ``scheduler``."""

    workers: int | None = None
    scheduler: str | None = None


def parse_address(text: str) -> DaskAddress:
    """``local:N`` or ``tcp://HOST:PORT``.

    RAISES (ConfigError): anything else, saying what is expected.
    """
    value = text.strip()
    if value.lower().startswith("local:"):
        count = value[len("local:") :].strip()
        if not count.isascii() or not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise ConfigError(f"the Dask address {text!r} is not usable: {_USAGE}")
        return DaskAddress(workers=int(count))
    if value.lower().startswith("tcp://"):
        try:
            parts = urlsplit(value)
            port = parts.port
        except ValueError:
            port = None
        if port and parts.hostname and parts.path in ("", "/") and not parts.query and not parts.fragment:
            return DaskAddress(scheduler=value.rstrip("/"))
    raise ConfigError(f"the Dask address {text!r} is not usable: {_USAGE}")


def require_distributed() -> None:
    """RAISES (ConfigError): ``dask[distributed]`` is not installed, saying what to install."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError(_INSTALL) from None


@contextlib.contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the cluster at ``address``: a LocalCluster started (and stopped) here for
    ``local:N``, or the running scheduler at ``tcp://HOST:PORT`` (left running).

    RAISES (ConfigError): a bad address, ``distributed`` not installed, no scheduler there.
    """
    where = parse_address(address)
    require_distributed()
    import dask
    import distributed

    if where.workers is not None:
        # the nanny's MALLOC_TRIM_THRESHOLD_=65536 makes glibc give memory back at every free:
        # spaCy then spends ~20% more CPU on page faults. One thread a worker (OMP_NUM_THREADS=1)
        # stays; the statistical profiler (for a dashboard there is none of) goes.
        local = {
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
            "distributed.worker.profile.enabled": False,
        }
        with dask.config.set(local), _sigint_ignored():
            cluster = distributed.LocalCluster(
                n_workers=where.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(where.scheduler, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise ConfigError(f"could not reach the Dask scheduler at {where.scheduler} ({e})") from None
    with client:
        try:
            client.run(_ready)  # the workers there now can import claimgraph
        except Exception as e:
            raise ConfigError(
                f"the Dask workers of {where.scheduler} cannot run claimgraph ({type(e).__name__}: {e}); "
                "install claimgraph[dask] and the spaCy pipeline (requirements/model.txt) on every worker"
            ) from None
        yield client


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while worker processes start, so that they inherit that: Ctrl-C stops
    the client, which stops them, and no worker prints a traceback of its own."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _ready() -> bool:
    return True


# ---- partitions (the client cuts the input) ------------------------------------------------


@dataclass(frozen=True)
class Partition:
    """Files read and analysed together; or, where ``lines`` is set, the lines
    ``[start, stop)`` of a JSON Lines file of ``total`` lines (its only file)."""

    index: int
    files: tuple[Path, ...]
    lines: tuple[int, int, int] | None = None

    def label(self) -> str:
        names = [clean_name(str(f)) or "?" for f in self.files]
        if self.lines is not None:
            start, stop, _ = self.lines
            return f"{names[0]} lines {start + 1}-{stop}"
        if len(names) == 1:
            return names[0]
        return f"{names[0]} … {names[-1]} ({len(names)} files)"


def _rows(path: Path, settings: Settings) -> tuple[list[int], int] | None:
    """The non-blank lines of a JSON Lines file and its count of lines, as the reader splits
    them; None where it is not one, or cannot be read (its worker says why)."""
    if path.suffix.lower() not in _JSONL:
        return None
    try:
        data = read_bytes(path, settings)
        if any(data.startswith(magic) for magic, _ in _MAGIC):
            return None
        lines = decode(data, str(path), settings.encodings).text.split("\n")
    except (Exception, RecursionError):
        return None
    return [i for i, line in enumerate(lines) if line.strip()], len(lines)


def partitions(paths: Sequence[Path], settings: Settings, workers: int = 1) -> list[Partition]:
    """The input cut into partitions of at most ``batch_size`` articles, in input order: runs
    of files, and shards of lines of the JSON Lines files longer than a partition. Towards
    the end of the input the partitions get smaller (a share of what is left to each
    worker), so that no worker is left with a long last partition while the others idle."""
    units = [(path, _rows(path, settings)) for path in iter_files(paths)]
    left = sum(len(rows[0]) if rows else 1 for _, rows in units)  # articles not in a partition yet
    parts: list[Partition] = []
    run: list[Path] = []
    weight = 0

    def size() -> int:
        return max(1, min(settings.batch_size, math.ceil(left / (2 * max(1, workers)))))

    def flush() -> None:
        nonlocal run, weight, left
        if run:
            parts.append(Partition(len(parts), tuple(run)))
        left -= weight
        run, weight = [], 0

    for path, rows in units:
        if rows is not None and len(rows[0]) > size():
            flush()
            starts, total = rows
            k = 0
            while k < len(starts):
                n = size()
                start = starts[k] if k else 0
                stop = starts[k + n] if k + n < len(starts) else total
                parts.append(Partition(len(parts), (path,), (start, stop, total)))
                left -= min(n, len(starts) - k)
                k += n
            continue
        run.append(path)
        weight += len(rows[0]) if rows else 1
        if weight >= size():
            flush()
    flush()
    return parts


# ---- on a worker ---------------------------------------------------------------------------

_extractors: dict[str, Extractor] = {}


def worker_extractor(settings: Settings) -> Extractor:
    """The Extractor of this process for these settings, loaded once."""
    key = repr(settings)
    found = _extractors.get(key)
    if found is None:
        from claimgraph.nlp.pipeline import Extractor

        _extractors.clear()  # one pipeline a worker
        found = _extractors[key] = Extractor(settings)
    return found


def load_worker(settings: Settings) -> None:
    """Load (and warm) this worker's pipeline now: ``client.run(load_worker, settings)``
    before timing, so that a measure leaves start-up out."""
    from claimgraph.ingest import read_text

    worker_extractor(settings).analyze(read_text("Officials said the talks would resume on Monday.", "warm"))


def _read_shard(
    path: Path, lines: tuple[int, int, int], settings: Settings, outlet: str | None, published: str | None
) -> Iterator[Article | InputError]:
    """The records of some lines of a JSON Lines file, as ``read_path`` reads the whole file
    (the same decoding, warnings and ``FILE:LINE`` names)."""
    normalize_published_flag(published)
    where = clean_name(str(path)) or ""
    start, stop, total = lines
    try:
        data = read_bytes(path, settings)
        decoded = decode(data, where, settings.encodings)
        rows = decoded.text.split("\n")
        if len(rows) != total or any(data.startswith(magic) for magic, _ in _MAGIC):
            raise InputError(where, "changed while it was read; run the ingest again")
        # the lines before the shard as empty lines: each record keeps its line number
        shard = "\n" * start + "\n".join(rows[start:stop])
        for item in read_jsonl(shard, where, outlet=outlet, published=published):
            if isinstance(item, Article) and decoded.warnings:
                item = dataclasses.replace(item, warnings=decoded.warnings + item.warnings)
            yield item
    except InputError as e:
        yield e
    except (Exception, RecursionError) as e:
        yield failure(where, e, "read")


def read_partition(
    part: Partition, settings: Settings, outlet: str | None = None, published: str | None = None
) -> Iterator[Article | InputError]:
    """Every article of a partition, and an error for each thing not read."""
    if part.lines is None:
        return read_articles(list(part.files), settings, outlet=outlet, published=published)
    return _read_shard(part.files[0], part.lines, settings, outlet, published)


@dataclass
class PartitionResult:
    """What a worker sends back for a partition (see ``Item``); ``fatal``: an error that
    every partition would meet (a missing model, an unusable setting), sent back rather than
    raised so that it is not retried; ``error``: the partition failed for good (set by the
    client)."""

    index: int
    items: list[Item] = field(default_factory=list)
    fatal: ClaimgraphError | None = None
    error: InputError | None = None


def partition_ids(
    part: Partition, settings: Settings, outlet: str | None, published: str | None
) -> list[str] | PartitionResult:
    """The ids of the articles of a partition (a Dask task)."""
    try:
        return [a.id for a in read_partition(part, settings, outlet, published) if isinstance(a, Article)]
    except ClaimgraphError as e:
        if _fails_everything(e):
            return PartitionResult(part.index, fatal=e)
        raise


def extract_partition(
    part: Partition,
    settings: Settings,
    outlet: str | None,
    published: str | None,
    skip: frozenset[str] = frozenset(),
) -> PartitionResult:
    """Read and analyse a partition, but the articles whose ids are in ``skip`` (a Dask task)."""
    try:
        read = list(read_partition(part, settings, outlet, published))
        todo = [a for a in read if isinstance(a, Article) and a.id not in skip]
        done = iter(list(_analyze_guarded(worker_extractor(settings), todo)) if todo else [])
        items: list[Item] = [
            (x, next(done) if isinstance(x, Article) and x.id not in skip else None) for x in read
        ]
        return PartitionResult(part.index, items)
    except ClaimgraphError as e:
        if _fails_everything(e):
            return PartitionResult(part.index, fatal=e)
        raise


# ---- the client ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartitionDone:
    """Progress: a partition's results arrived (``error`` None) or it failed for good."""

    index: int
    done: int
    total: int
    label: str
    articles: int
    error: str | None = None


def _workers(client: Client) -> int:
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:
        return 1


def _lost(part: Partition, error: BaseException) -> PartitionResult:
    reason = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    what = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    return PartitionResult(
        part.index,
        error=InputError(
            f"partition {part.index + 1} ({part.label()})",
            f"could not analyse it on the Dask cluster ({what}), not even when run again; "
            "nothing of it was stored: run the ingest again",
        ),
    )


def extract(
    paths: Sequence[Path],
    settings: Settings,
    address: str,
    *,
    outlet: str | None = None,
    published: str | None = None,
    stored: Callable[[str], bool] | None = None,
    on_partition: Callable[[PartitionDone], None] | None = None,
    client: Client | None = None,
) -> Iterator[PartitionResult]:
    """The results of every partition of the input, analysed on the cluster at ``address``
    (or on ``client``), yielded in input order.

    stored: where given, whether an article is stored already: each partition is read for
        its ids first, and those stored are not analysed (their item's record is None).
    on_partition: called as each partition's results arrive or it fails for good.
    RAISES (ClaimgraphError): the address, the cluster, or an error every partition meets
        (a missing model, an unusable setting).
    """
    if client is None:
        with connect(address) as own:
            yield from extract(
                paths, settings, address, outlet=outlet, published=published,
                stored=stored, on_partition=on_partition, client=own,
            )  # fmt: skip
        return
    from distributed import as_completed

    workers = _workers(client)
    parts = partitions(paths, settings, workers)
    window = 2 * workers + 2  # partitions submitted and not yet written: bounds memory
    pending = as_completed()
    phase: dict[Any, tuple[Partition, bool]] = {}  # future -> its partition, whether it reads ids
    ready: dict[int, PartitionResult] = {}
    submitted = written = finished = 0
    common = (settings, outlet, published)

    def submit(part: Partition, ids_first: bool, skip: frozenset[str] = frozenset()) -> None:
        if ids_first:
            fut = client.submit(partition_ids, part, *common, pure=False, retries=RETRIES)
        else:
            fut = client.submit(extract_partition, part, *common, skip, pure=False, retries=RETRIES)
        phase[fut] = (part, ids_first)
        pending.add(fut)

    def more() -> None:
        nonlocal submitted
        while submitted < len(parts) and submitted - written < window:
            submit(parts[submitted], stored is not None)
            submitted += 1

    more()
    for fut in pending:
        part, ids_first = phase.pop(fut)
        try:
            value = fut.result()
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as e:  # the task raised on every try, its workers died, it was cancelled
            value = _lost(part, e)
        if ids_first and not isinstance(value, PartitionResult):
            assert stored is not None
            submit(part, False, frozenset(i for i in value if stored(i)))
            continue
        assert isinstance(value, PartitionResult)
        if value.fatal is not None:
            raise value.fatal
        finished += 1
        if on_partition is not None:
            on_partition(
                PartitionDone(
                    part.index, finished, len(parts), part.label(),
                    sum(isinstance(x, Article) for x, _ in value.items),
                    str(value.error) if value.error is not None else None,
                )
            )  # fmt: skip
        ready[part.index] = value
        while written in ready:
            yield ready.pop(written)
            written += 1
            more()
