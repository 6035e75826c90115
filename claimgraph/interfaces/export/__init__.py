"""Exports: the claims a ``ClaimQuery`` selects, written in another format.

| format        | what is written                                                        |
| ------------- | ---------------------------------------------------------------------- |
| ``jsonl``     | one claim record (DESIGN.md) per article per line                       |
| ``csv``       | one row per claim, the chain flattened (``table.COLUMNS``)              |
| ``parquet``   | the same table, typed (``table.arrow_schema()``)                         |
| ``claimreview`` | schema.org JSON-LD: a ClaimReview skeleton per cluster (``claimreview``) |
| ``prov``      | W3C PROV-JSON of the claims' chains (``prov``)                           |
| ``plover``    | PLOVER event records, JSON lines, and an ACLED-style CSV (``plover``)    |

Everything is read through ``claimgraph.query`` (the claims, their articles' clusters,
the clusters' reports), as the CLI, the API and the pages read it. ``write`` writes to
open streams; ``write_files`` to paths, each through a temporary file renamed into place
once everything is written, so that a failed export leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from claimgraph.errors import ClaimgraphError
from claimgraph.interfaces.export import claimreview, plover, prov, table
from claimgraph.link.origins import origins
from claimgraph.model import Article, Claim
from claimgraph.query import ClaimPage, ClaimQuery, all_claims, article, cluster_report

FORMATS = ("jsonl", "csv", "parquet", "claimreview", "prov", "plover")
#: formats written as bytes (the others are UTF-8 text)
BINARY = frozenset({"parquet"})
#: the usual file name ending of each format
SUFFIXES = {
    "jsonl": ".jsonl",
    "csv": ".csv",
    "parquet": ".parquet",
    "claimreview": ".jsonld",
    "prov": ".json",
    "plover": ".jsonl",
}

# inside a JSON string: C1 controls, bidi overrides and line separators written as \u escapes
# (the same JSON), so that an export printed to a terminal is inert
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


class ExportError(ClaimgraphError):
    """An export that cannot be made: an unknown format, a path that cannot be written."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: how many records (rows, ClaimReviews, PLOVER records, or for
    ``prov`` claims), and how many ACLED rows where an ACLED file was written."""

    format: str
    records: int
    acled_rows: int | None = None


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text, UTF-8 as it is, with nothing in it a terminal would obey."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def check_format(fmt: str) -> str:
    """The format, or ExportError naming the ones there are."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def cluster_infos(store: Any, rows: Sequence[tuple[Article, Claim]]) -> dict[str, table.ClusterInfo]:
    """Claim id -> its cluster and the cluster's independent origins, for claims reported
    more than once (from each article's view and each cluster's report)."""
    cluster_of: dict[str, str] = {}
    for aid in dict.fromkeys(a.id for a, _ in rows):
        view = article(store, aid)
        if view is not None:
            cluster_of.update(view.clusters)
    infos: dict[str, table.ClusterInfo] = {}
    for name in dict.fromkeys(cluster_of.values()):
        rep = cluster_report(store, name)
        if rep is not None:
            infos[name] = table.ClusterInfo(rep.id, rep.independent_origins)
    return {uid: infos[name] for uid, name in cluster_of.items() if name in infos}


def claim_reviews(store: Any, rows: Sequence[tuple[Article, Claim]]) -> list[dict[str, Any]]:
    """A ClaimReview per cluster that the selected claims belong to, in the order of the
    first selected claim of each; a claim that was never linked is a cluster of its own."""
    done: set[str] = set()
    out = []
    for art, claim in rows:
        if claim.id in done:
            continue
        rep = cluster_report(store, claim.id)
        if rep is None:
            done.add(claim.id)
            out.append(claimreview.claim_review(claim.id, [(art, claim)], origins(art, claim)))
            continue
        done.update(m.id for m in rep.members)
        members = [(m.article, m.claim) for m in rep.members]
        out.append(claimreview.claim_review(rep.id, members, rep.origins))
    return out


def write(
    store: Any, fmt: str, query: ClaimQuery, out: IO[Any], *, acled: IO[str] | None = None
) -> ExportResult:
    """Write the claims ``query`` selects to ``out`` in format ``fmt`` (a binary stream for
    ``parquet``, a text stream for the others); for ``plover``, the ACLED-style CSV to
    ``acled`` where one is given.

    RAISES ExportError: an unknown format. ValueError: a filter value out of range.
    """
    check_format(fmt)
    rows = all_claims(store, query)
    if fmt == "jsonl":
        records = ClaimPage(rows, query).records()
        for record in records:
            out.write(dumps(record.to_json()) + "\n")
        return ExportResult(fmt, len(records))
    if fmt in {"csv", "parquet"}:
        clusters = cluster_infos(store, rows)
        flat = [table.row(a, c, clusters.get(c.id)) for a, c in rows]
        n = table.write_csv(flat, out) if fmt == "csv" else table.write_parquet(flat, out)
        return ExportResult(fmt, n)
    if fmt == "claimreview":
        reviews = claim_reviews(store, rows)
        out.write(dumps(claimreview.document(reviews), indent=2) + "\n")
        return ExportResult(fmt, len(reviews))
    if fmt == "prov":
        out.write(dumps(prov.document(rows), indent=2) + "\n")
        return ExportResult(fmt, len(rows))
    recs = plover.records(rows)
    for rec, _, _ in recs:
        out.write(dumps(rec) + "\n")
    n_acled = plover.write_acled(recs, acled) if acled is not None else None
    return ExportResult(fmt, len(recs), n_acled)


def acled_path_beside(out: Path) -> Path:
    """Where the ACLED CSV goes beside a PLOVER file: ``events.jsonl`` -> ``events.acled.csv``."""
    return out.with_name(out.stem + ".acled.csv")


def _mode_for(path: Path) -> int:
    """The permissions a new file gets (0666 less the umask), or those of the file it replaces."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def _staged(path: Path, binary: bool) -> Iterator[tuple[IO[Any], Path]]:
    """A temporary file beside ``path`` (the same directory, so the rename is atomic)."""
    where = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{path.name}.", suffix=".part")
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        os.fchmod(fd, _mode_for(path))
        if binary:
            stream: IO[Any] = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        with stream:
            yield stream, Path(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_files(
    store: Any,
    fmt: str,
    query: ClaimQuery,
    out: Path | None,
    *,
    acled: Path | None = None,
    stdout: IO[str] | None = None,
) -> ExportResult:
    """Write the export to ``out`` (stdout where None; ``parquet`` needs a path), and for
    ``plover`` the ACLED CSV to ``acled``, else beside ``out`` (``acled_path_beside``), else
    nowhere. Each file is written whole or not at all: to a temporary file beside it,
    renamed into place once every file of the export is written.

    RAISES ExportError: an unknown format, parquet without a path, a path that is a
    directory or cannot be written. ValueError: a filter value out of range.
    """
    check_format(fmt)
    if out is None and fmt in BINARY:
        raise ExportError(f"{fmt} is a binary format: name the file to write with --out")
    if fmt == "plover" and acled is None and out is not None:
        acled = acled_path_beside(out)
    if fmt != "plover":
        acled = None
    for path in (out, acled):
        if path is not None and path.is_dir():
            raise ExportError(f"cannot write {path}: it is a directory")
    if out is not None and acled is not None and out.resolve() == acled.resolve():
        raise ExportError(f"the PLOVER records and the ACLED CSV cannot both be written to {out}")
    with contextlib.ExitStack() as stack:
        renames: list[tuple[Path, Path]] = []
        target: IO[Any] = stdout if stdout is not None else sys.stdout
        if out is not None:
            target, tmp = stack.enter_context(_staged(out, fmt in BINARY))
            renames.append((tmp, out))
        acled_stream: IO[str] | None = None
        if acled is not None:
            acled_stream, tmp = stack.enter_context(_staged(acled, False))
            renames.append((tmp, acled))
        result = write(store, fmt, query, target, acled=acled_stream)
        for stream in (target, acled_stream):
            if stream is not None and stream is not sys.stdout and stream is not stdout:
                stream.flush()
                os.fsync(stream.fileno())
    # every file is written and closed: now put them in place
    for tmp, final in renames:
        try:
            os.replace(tmp, final)
        except OSError as e:
            for t, _ in renames:
                with contextlib.suppress(OSError):
                    os.unlink(t)
            raise ExportError(f"cannot write {final}: {e.strerror or e}") from e
    return result


__all__ = [
    "BINARY",
    "FORMATS",
    "SUFFIXES",
    "ExportError",
    "ExportResult",
    "acled_path_beside",
    "check_format",
    "dumps",
    "write",
    "write_files",
]
