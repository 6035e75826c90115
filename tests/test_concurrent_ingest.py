"""Two `claimgraph ingest` processes at once on one store lose nothing.

Two real processes ingest overlapping folders into one store (SQLite, then PostgreSQL);
the store must then equal one made by a single process ingesting the same articles one
after the other, in the order the two processes stored them: article for article, link
for link, cluster for cluster, contradiction for contradiction. (That order matters: a
new claim is compared with its ten nearest stored claims, and in this corpus of five
copies of each report a claim has more neighbours than that.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_helpers import fresh_databases
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.slow

#: short reports of one strike, its denial and its aftermath: several are the same claim
ARTICLES = {
    "reuters": "Ukraine's military said on Tuesday that Russian forces shelled the city of Kharkiv "
    "overnight, killing three civilians. Officials said the city's power station was damaged.",
    "ap": "Russian forces shelled Kharkiv overnight, killing three civilians, Ukraine's military said "
    "on Tuesday. The mayor said repairs to the power station would take weeks.",
    "bbc": "Three civilians were killed when Russian troops shelled Kharkiv overnight, the Ukrainian "
    "military said. The power station in Kharkiv was damaged, officials said.",
    "cnn": "Russia's defence ministry denied that its forces shelled Kharkiv on Tuesday. "
    "It said Ukrainian air defences had caused the damage.",
    "afp": "The Ukrainian military said Russian forces shelled Kharkiv overnight and killed five civilians.",
    "dw": "The mayor of Kharkiv said on Wednesday that repairs to the power station would take weeks.",
}
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "DW"]
#: every report from every outlet: 30 articles, 20 in each folder, 10 in both, so that the
#: two processes are saving and linking at the same time for most of their run
NAMES = [f"{outlet.lower()}-{report}" for outlet in OUTLETS for report in ARTICLES]
FOLDER_A = NAMES[:20]
FOLDER_B = NAMES[10:]


def _folders(root: Path) -> tuple[Path, Path]:
    out = []
    for name, members in (("a", FOLDER_A), ("b", FOLDER_B)):
        folder = root / name
        folder.mkdir()
        for member in members:
            outlet, report = member.split("-", 1)
            rec = {"id": member, "outlet": outlet, "published": "2025-03-04", "text": ARTICLES[report]}
            (folder / f"{member}.json").write_text(json.dumps(rec), encoding="utf-8")
        out.append(folder)
    return out[0], out[1]


def _ingest(folder: Path | list[Path], url: str) -> subprocess.Popen[str]:
    paths = [str(p) for p in folder] if isinstance(folder, list) else [str(folder)]
    return subprocess.Popen(
        [sys.executable, "-m", "claimgraph.interfaces.cli", "ingest", *paths, "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return err


def _state(url: str) -> dict[str, object]:
    """What a store holds, named by what does not depend on insertion order."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    key = "c.article_id || ':' || CAST(c.position AS VARCHAR)"
    with engine.connect() as conn:
        articles = sorted(r[0] for r in conn.execute(text("SELECT id FROM articles")))
        claims = sorted(r[0] for r in conn.execute(text(f"SELECT {key} FROM claims c")))
        links = sorted(
            tuple(sorted((r[0], r[1]))) + (round(r[2], 4),)
            for r in conn.execute(
                text(
                    f"SELECT {key.replace('c.', 'a.')}, {key.replace('c.', 'b.')}, l.score "
                    "FROM claim_links l "
                    "JOIN claims a ON a.id = l.a_id JOIN claims b ON b.id = l.b_id"
                )
            )
        )
        members = sorted(
            (r[0], r[1])
            for r in conn.execute(
                text(f"SELECT {key}, m.cluster FROM cluster_members m JOIN claims c ON c.id = m.claim_id")
            )
        )
        contradictions = sorted(
            tuple(sorted((r[0], r[1]))) + (r[2],)
            for r in conn.execute(
                text(
                    f"SELECT {key.replace('c.', 'a.')}, {key.replace('c.', 'b.')}, x.kind "
                    "FROM contradictions x "
                    "JOIN claims a ON a.id = x.a_id JOIN claims b ON b.id = x.b_id"
                )
            )
        )
    engine.dispose()
    return {
        "articles": articles,
        "claims": claims,
        "links": links,
        "members": members,
        "contradictions": contradictions,
    }


def _stored_order(url: str) -> list[Path]:
    """The files of the stored articles, in the order they were stored (their claims' keys)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.source FROM articles a JOIN "
                "(SELECT article_id, MIN(id) AS first FROM claims GROUP BY article_id) c "
                "ON c.article_id = a.id ORDER BY c.first"
            )
        )
        out = [Path(r[0].split("#", 1)[0]) for r in rows]
    engine.dispose()
    return out


def _sqlite_urls(tmp: Path) -> Iterator[tuple[str, str]]:
    yield f"sqlite:///{tmp / 'sequential.db'}", f"sqlite:///{tmp / 'concurrent.db'}"


def _pg_urls(tmp: Path) -> Iterator[tuple[str, str]]:
    with fresh_databases(2, "claimgraph_conc") as (sequential, concurrent):
        yield sequential, concurrent


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_ingests_equal_a_sequential_run(tmp_path: Path, backend: str) -> None:
    folder_a, folder_b = _folders(tmp_path)
    urls = _sqlite_urls(tmp_path) if backend == "sqlite" else _pg_urls(tmp_path)
    for sequential, concurrent in urls:
        one, two = _ingest(folder_a, concurrent), _ingest(folder_b, concurrent)
        errors = _finish(one) + _finish(two)
        order = _stored_order(concurrent)
        assert len(order) == len(NAMES) and all(p.exists() for p in order), order
        _finish(_ingest(order, sequential))
        want, got = _state(sequential), _state(concurrent)
        assert [p.name for p in _stored_order(sequential)] == [p.name for p in order]
        assert len(want["articles"]) == len(NAMES)  # type: ignore[arg-type]
        assert want["links"], "the corpus must give links, or the comparison says little"
        assert got == want, errors
