"""Hostile and careless inputs, through the real `claimgraph` command in a subprocess.

Each case is what an analyst's scraped dump or a typo gives: every one must end in a
clear error line (naming the file, the reason, what to do) or in the right result, with
nothing lost from the rest of the batch, nothing hung, nothing raw on the terminal and
nothing created where it should not be. The cases are counted at the end of the module.
"""

# ruff: noqa: E501  (the table of inputs reads best one input a line)
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pg_helpers import fresh_databases

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nk-troops-withdrawn.txt"
ESC = "\x1b"

pytestmark = pytest.mark.slow

#: every distinct bad input the module drives (a test adds its own), checked at the end
CASES: set[str] = set()


def run(*args: str, timeout: float = 180, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it; a hang fails the test instead of blocking it."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    env.pop("CLAIMGRAPH_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "claimgraph.interfaces.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def record(text: str, **fields: object) -> str:
    return json.dumps({"text": text, **fields})


GOOD = "The army said on Monday that the bridge over the river had been destroyed.\n"

#: file name -> (content, what its line must say); None: it must be stored
BATCH: dict[str, tuple[bytes, str | None]] = {
    "good.txt": (EXAMPLE.read_bytes(), None),
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"\n \n\t\n", "empty file"),
    "binary.bin": (b"\x00\x01\x02\x03" * 50, "binary file, not text"),
    "scan.pdf": (b"%PDF-1.7\n1 0 obj\n", "is a PDF, not text"),
    "noext-pdf": (b"%PDF-1.4 stream", "is a PDF, not text"),
    "archive.zip": (b"PK\x03\x04", "is an archive"),
    "nothing.html": (b"<html><body><nav>Home</nav></body></html>", "no article text found"),
    "broken.json": (b'{"text": "unterminated', "invalid JSON"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "number.json": (b"42", "expected a JSON object"),
    "emptylist.json": (b"[]", "holds no articles"),
    "textnotstring.json": (b'{"text": 42}', "field 'text' must be a string"),
    "notext.json": (b'{"title": "no text"}', "record has no text"),
    "badauthors.json": (json.dumps({"text": GOOD, "authors": [1, 2]}).encode(), "field 'authors'"),
    "fakebom.txt": (b"\xff\xfe\x00", "byte-order mark but is not it"),
    "hugeint.json": (b'{"id": ' + b"1" * 5000 + b', "text": "The army said so."}', "invalid JSON"),
    # stored, each with a warning
    "surrogate.json": (b'{"text": "Officials said the strike hit \\ud83d a depot on Monday.", "title": "T \\udc00"}', None),
    "nul.json": (b'{"text": "Officials said the\\u0000 strike hit a depot.", "outlet": "Nul\\u0000 News"}', None),
    "escapes.txt": (f"{ESC}[2J{ESC}]0;pwned\x07The mayor said {ESC}[31mred{ESC}[0m water was safe.\n".encode(), None),
    "bidi.txt": ("The minister said the \u202etroops left\u202c on Friday.\n".encode(), None),
    "markup.txt": (b"The general said [bold red]nothing[/] had changed at the front.\n", None),
    "ascii-latin1.txt": (b"The caf\xe9 owner said the shelling stopped at dawn.\n", None),
    "mixed.txt": ("\u201cWe hold,\u201d the mayor said. ".encode() * 4 + b"The caf\xe9 was hit.\n", None),
    "cp1251.txt": ("Войска отошли от линии фронта, сообщил представитель министерства.\n".encode("cp1251"), None),
    "utf16.txt": ("The spokesman said talks would resume.\n".encode("utf-16"), None),
    "oldest.json": (record("Last week the army said it would withdraw next year.", published="0001-01-01"), None),
    "newest.json": (record("Officials said yesterday the ceasefire would hold next year.", published="9999-12-31"), None),
    "noext": (b"The governor said the dam was not damaged in the attack.\n", None),
}  # fmt: skip
LINES = [
    record(GOOD, id="j1"),
    "{broken",
    '["not an object"]',
    record(GOOD.replace("Monday", "Friday"), id="j3"),
]


def _write_batch(folder: Path) -> None:
    folder.mkdir()
    for name, (content, _) in BATCH.items():
        (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)
    (folder / "lines.jsonl").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")  # would hang a reader that opened it
    (folder / "loop").symlink_to(folder)  # a folder linked into itself
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: left out, and said so
    (folder / "README.md").write_text("# what this dump is\n", encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / f"evil{ESC}[2Jname.txt").write_bytes(b"")  # a control sequence in a file name
    with open(bytes(folder) + b"/caf\xe9-name.txt", "wb") as f:
        f.write(b"The officer said the convoy reached the city on Sunday.\n")


def _pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped after)."""
    with fresh_databases(1, "claimgraph_hostile") as (url,):
        yield url


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "dump"
    _write_batch(folder)
    return folder


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ingested(
    request: pytest.FixtureRequest, batch: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.CompletedProcess[str]]]:
    """The batch ingested once into each kind of store: (store URL, the command's result)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'hostile.db'}"
        yield url, run("ingest", str(batch), "--db", url, "--no-link", timeout=600)
        return
    for url in _pg_database():
        yield url, run("ingest", str(batch), "--db", url, "--no-link", timeout=600)


def test_hostile_batch_goes_on_and_names_every_bad_file(
    ingested: tuple[str, subprocess.CompletedProcess[str]], batch: Path
) -> None:
    url, result = ingested
    no_traceback(result)
    assert result.returncode == 1  # some failed
    err = result.stderr
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    for name, (_, reason) in BATCH.items():
        if reason is not None:
            CASES.add(f"reader:{name}")
            assert any(name in line and reason in line for line in lines), (name, reason, err)
    for name, reason in [
        ("pipe.txt", "is a named pipe (FIFO), not a regular file"),
        ("dangling.txt", "no such file or folder"),
        ("lines.jsonl:2", "invalid JSON"),
        ("lines.jsonl:3", "expected a JSON object"),
    ]:
        CASES.add(f"reader:{name}")
        assert any(name in line and reason in line for line in lines), (name, reason, err)
    CASES.update({"reader:symlink-loop", "reader:control-in-file-name", "reader:non-utf8-file-name"})
    CASES.update({"reader:hidden-file", "reader:readme"})
    assert "skipped 3 path(s)" in err and ".DS_Store, README.md, loop" in err
    assert ESC not in err and "\x07" not in err
    assert any("evil[2Jname.txt" in line and "empty file" in line for line in lines)
    summary = err.strip().splitlines()[-1]
    stored = sum(1 for _, reason in BATCH.values() if reason is None) + 2 + 1  # jsonl: 2; non-UTF-8 name
    assert summary.startswith(f"stored {stored} article(s)"), summary
    assert f"{len(lines)} failed" in summary


def test_hostile_stored_text_is_clean_and_warnings_are_kept(
    ingested: tuple[str, subprocess.CompletedProcess[str]],
) -> None:
    url, _ = ingested
    result = run("claims", "--db", url, "--json")
    no_traceback(result)
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {Path(r["article"]["source"].split("#")[0]).name: r["article"] for r in records}
    CASES.update({"store:lone-surrogate", "store:nul"})
    surrogate = by_name["surrogate.json"]
    assert "\ufffd" in surrogate["title"]
    assert any("lone surrogate" in w for w in surrogate["warnings"])
    nul = by_name["nul.json"]
    assert nul["outlet"] == "Nul News" and any("NUL" in w for w in nul["warnings"])
    assert "caf\ufffd-name.txt" in by_name  # a file name that is not UTF-8, shown replaced
    CASES.update({"time:0001-01-01", "time:9999-12-31", "reader:no-extension", "reader:utf16"})
    assert {"oldest.json", "newest.json", "noext", "utf16.txt"} <= set(by_name)


def test_hostile_guessed_encodings_are_warned(batch: Path) -> None:
    names = ["ascii-latin1.txt", "mixed.txt", "cp1251.txt"]
    result = run("analyze", "--json", *(str(batch / n) for n in names))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    arts = {
        Path(json.loads(line)["article"]["source"]).name: json.loads(line)["article"]
        for line in result.stdout.splitlines()
    }
    CASES.update({"decode:ascii-latin1", "decode:mixed", "decode:cp1251"})
    assert arts["ascii-latin1.txt"]["text"].startswith("The caf\u00e9 owner")
    assert any("cp1252" in w for w in arts["ascii-latin1.txt"]["warnings"])
    assert any("not UTF-8" in w and "replaced" in w for w in arts["mixed.txt"]["warnings"])
    assert arts["cp1251.txt"]["text"].startswith("Войска отошли")
    assert any("cp1251" in w for w in arts["cp1251.txt"]["warnings"])
    assert "warning:" in result.stderr  # printed, too


def test_hostile_output_is_inert_but_json_is_exact(
    ingested: tuple[str, subprocess.CompletedProcess[str]],
) -> None:
    url, _ = ingested
    table = run("claims", "--db", url)
    no_traceback(table)
    CASES.update({"output:escape-sequences", "output:bidi", "output:markup"})
    assert ESC not in table.stdout and "\x07" not in table.stdout
    assert "<U+202E>troops left<U+202C>" in table.stdout
    assert "[bold red]nothing[/]" in table.stdout  # printed, not obeyed
    as_json = run("claims", "--db", url, "--json", "--contains", "water was safe")
    texts = [c["content"]["text"] for line in as_json.stdout.splitlines() for c in json.loads(line)["claims"]]
    assert any(f"{ESC}[31mred{ESC}[0m" in t for t in texts), texts  # exact in JSON
    assert ESC not in as_json.stdout  # ...as a JSON escape


def test_hostile_analyze_prints_nothing_raw(batch: Path) -> None:
    CASES.add("output:analyze")
    result = run("analyze", str(batch / "escapes.txt"), str(batch / "bidi.txt"))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert ESC not in result.stdout + result.stderr and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout and "<U+202E>" in result.stdout


def test_hostile_reingest_is_idempotent(
    ingested: tuple[str, subprocess.CompletedProcess[str]], batch: Path
) -> None:
    CASES.add("store:re-ingest")
    url, first = ingested
    again = run("ingest", str(batch / "good.txt"), str(batch / "lines.jsonl"), "--db", url, "--no-link")
    no_traceback(again)
    assert "stored 0 article(s)" in again.stderr and "3 already stored" in again.stderr


@pytest.mark.parametrize(
    ("name", "args", "code", "message"),
    [
        ("device", ["analyze", "/dev/zero"], 1, "is a character device, not a regular file"),
        ("null-device", ["analyze", "/dev/null"], 1, "is a character device"),
        ("missing", ["analyze", "no/such/file.txt"], 1, "no such file or folder"),
        ("bad-date", ["analyze", str(EXAMPLE), "--published", "31/12/2024"], 2, "YYYY-MM-DD"),
        ("zero-max-bytes", ["analyze", str(EXAMPLE), "--max-bytes", "0"], 2, "--max-bytes"),
        ("over-max-bytes", ["analyze", str(EXAMPLE), "--max-bytes", "100"], 1, "raise it with --max-bytes"),
        ("unknown-scheme", ["claims", "--db", "mysql://u@h/db"], 1, "unsupported database 'mysql'"),
        ("not-a-url", ["claims", "--db", "claims.db"], 1, "is not a database URL"),
        ("bad-pg-driver", ["claims", "--db", "postgresql+asyncpg://u@h/db"], 1, "not supported"),
        ("pg-unreachable", ["claims", "--db", "postgresql://u@127.0.0.1:1/db"], 1, "cannot connect"),
        ("unknown-command", ["summon"], 2, "No such command"),
        ("merge-bad-id", ["entity", "unmerge", "x1", "--db", "sqlite://"], 2, "a merge id is a number"),
    ],
)
def test_hostile_arguments_are_clear_errors(name: str, args: list[str], code: int, message: str) -> None:
    CASES.add(f"argument:{name}")
    result = run(*args, timeout=60)
    no_traceback(result)
    assert result.returncode == code, result.stderr
    assert message in result.stderr + result.stdout


def test_hostile_argument_that_is_not_utf8_with_markup_in_it() -> None:
    CASES.add("argument:non-utf8-markup")
    bad = b"\xff[/x][bold]".decode("utf-8", "surrogateescape")
    result = subprocess.run(
        [sys.executable, "-m", "claimgraph.interfaces.cli", "claims", f"--contains={bad}"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"[/x][bold]" in result.stderr


def test_hostile_argument_that_is_not_utf8() -> None:
    CASES.add("argument:non-utf8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimgraph.interfaces.cli",
            "claims",
            "--contains",
            b"\xff".decode("utf-8", "surrogateescape"),
        ],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"is not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command", ["claims", "clusters", "entities", "contradictions", "timeline x", "cluster x", "entity x"]
)
def test_hostile_read_commands_create_no_sqlite_store(tmp_path: Path, command: str) -> None:
    CASES.add(f"store:read-only-missing:{command.split()[0]}")
    path = tmp_path / "typo.db"
    result = run(*command.split(), "--db", f"sqlite:///{path}")
    no_traceback(result)
    assert result.returncode == 1
    assert f"no claimgraph store at '{path}'" in result.stderr and "claimgraph ingest" in result.stderr
    assert not path.exists()


def test_hostile_read_command_on_a_database_without_schema(tmp_path: Path) -> None:
    CASES.add("store:read-only-empty-sqlite")
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    result = run("claims", "--db", f"sqlite:///{path}")
    assert result.returncode == 1 and "no claimgraph schema" in result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_hostile_read_command_on_postgres_creates_nothing() -> None:
    CASES.add("store:read-only-postgres")
    for url in _pg_database():
        result = run("claims", "--db", url)
        no_traceback(result)
        assert result.returncode == 1 and "no claimgraph schema" in result.stderr
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"
            )
            assert tables.fetchone() == (0,)


def test_hostile_store_that_is_not_a_database(tmp_path: Path) -> None:
    CASES.add("store:not-a-database")
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    for command in (["claims"], ["ingest", str(EXAMPLE), "--no-link"]):
        result = run(*command, "--db", f"sqlite:///{path}")
        no_traceback(result)
        assert result.returncode == 1
        assert "is not a claimgraph store" in result.stderr and "give another --db" in result.stderr
        assert "folder exists" not in result.stderr


def test_hostile_query_text_is_data(ingested: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    url, _ = ingested
    for name, text in [("sql-injection", "x' OR '1'='1"), ("like-wildcard", "%"), ("like-underscore", "_")]:
        CASES.add(f"argument:{name}")
        result = run("claims", "--db", url, "--contains", text, "--json")
        no_traceback(result)
        assert result.returncode == 0 and result.stdout == ""


def test_hostile_socket_is_refused() -> None:
    CASES.add("reader:socket")
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        path = os.path.join(folder, "s.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        try:
            result = run("analyze", path, timeout=60)
        finally:
            server.close()
    assert result.returncode == 1 and "is a socket, not a regular file" in result.stderr


def test_hostile_cases_are_at_least_forty() -> None:
    # runs last in this module: the cases every test above drove
    assert len(CASES) >= 40, sorted(CASES)
