"""Fuzzing the readers and the command's argument parsing.

Any bytes in a file of any kind, any JSON value, any page, any arguments: the result is
an Article whose spans index its text (and whose text any store can hold), or a
``ClaimgraphError`` (an ``InputError`` for the readers) — never another exception.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimgraph.config import Settings
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.ingest import read_html, read_path, read_record
from claimgraph.interfaces.cli import app
from claimgraph.model import Article

SETTINGS = Settings()
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(item: Article | InputError) -> None:
    if isinstance(item, InputError):
        assert item.where and item.reason
        return
    assert isinstance(item, Article)
    text = item.text
    assert text.strip()
    assert "\x00" not in text
    text.encode("utf-8")  # no lone surrogate: every store can hold it
    for value in (item.title, item.source, item.outlet, item.published, item.url, *item.authors):
        if value is not None:
            assert "\x00" not in value
            value.encode("utf-8")
    for span in (item.title_span, item.lede_span, *item.skip_spans):
        if span is not None:
            assert 0 <= span[0] <= span[1] <= len(text)
    item.id  # the id hash never fails  # noqa: B018


def read_file(data: bytes, suffix: str) -> list[Article | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return list(read_path(path, SETTINGS))


SUFFIXES = st.sampled_from(["", ".txt", ".json", ".jsonl", ".html", ".md", ".xml"])
# text with what scraped data holds: controls, NULs, lone surrogates, bidi, odd spaces
NASTY = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(["\x00", "\ud83d", "\udc00", "\u202e", "\x1b", "\r", "\n", "\u2028", "\ufeff", " "]),
    ),
    max_size=300,
)
KEYS = ["text", "title", "published", "outlet", "authors", "credits", "id", "url", "language", "tag"]
KEYS.append("article")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NASTY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=12,
)
RECORDS = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=8)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=SUFFIXES)
def test_fuzz_any_bytes_in_any_file(data: bytes, suffix: str) -> None:
    for item in read_file(data, suffix):
        check(item)


@FUZZ
@given(text=NASTY, suffix=SUFFIXES, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "cp1251"]))
def test_fuzz_any_text_in_any_encoding(text: str, suffix: str, encoding: str) -> None:
    if encoding == "utf-8":
        # a lone surrogate of \udc80-\udcff stands for a raw byte; any other is written as
        # its three bytes (not valid UTF-8 either)
        try:
            data = text.encode("utf-8", errors="surrogateescape")
        except UnicodeEncodeError:
            data = text.encode("utf-8", errors="surrogatepass")
    else:
        data = text.encode(encoding, errors="replace")
    for item in read_file(data, suffix):
        check(item)


@FUZZ
@given(value=JSON_VALUES | RECORDS, lines=st.integers(1, 3), suffix=st.sampled_from([".json", ".jsonl"]))
def test_fuzz_any_json_value(value: Any, lines: int, suffix: str) -> None:
    body = "\n".join(json.dumps(value) for _ in range(lines))
    for item in read_file(body.encode("utf-8", errors="surrogatepass"), suffix):
        check(item)


@FUZZ
@given(record=RECORDS)
def test_fuzz_read_record(record: dict[str, Any]) -> None:
    try:
        item: Article | InputError = read_record(record, "x.json")
    except InputError as e:
        item = e
    check(item)


TAGS = st.sampled_from(
    ["<html>", "<head>", '<meta charset="cp1251">', "<title>", "</title>", "<body>", "<article>", "<p>",
     "</p>", "<script>", "</script>", "<!--", "-->", "<br>", "</article>", "<h1>", "</h1>", "<![CDATA["]
)  # fmt: skip


SENTENCE = st.just("The army said the bridge was destroyed on Monday.")


@FUZZ
@given(parts=st.lists(TAGS | NASTY | SENTENCE, max_size=25))
def test_fuzz_any_page(parts: list[str]) -> None:
    try:
        item: Article | InputError = read_html("".join(parts), "x.html")
    except InputError as e:
        item = e
    check(item)


WORDS = st.sampled_from(
    ["analyze", "ingest", "claims", "clusters", "cluster", "entities", "entity", "merge", "unmerge", "merges",
     "contradictions", "timeline", "relink", "eval", "--json", "--db", "--source", "--about", "--contains",
     "--limit", "--min-size", "--min-origins", "--kind", "--published", "--outlet", "--max-bytes",
     "--processes", "--no-link", "--help", "-x", "--", "0", "-1", "2025-13-40", "sqlite://", "mysql://x"]
)  # fmt: skip
ARG_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(WORDS | ARG_TEXT, max_size=7))
def test_fuzz_command_arguments(args: list[str], tmp_path: Path) -> None:
    if args and args[0] in {"analyze", "ingest", "eval"}:
        # reading real paths would load the model: those commands get paths that do not exist
        args = [args[0], *(a if a.startswith("-") else f"{tmp_path}/missing/{a}" for a in args[1:])]
    if args and args[0] == "relink":
        args = ["relink", "--db", "sqlite://"]
    db = ["--db", f"sqlite:///{tmp_path}/fuzz.db"] if "--db" not in args and args else []
    result = CliRunner().invoke(app, [*args, *db])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert isinstance(result.exception, ClaimgraphError), (args, repr(result.exception))
    assert "Traceback" not in result.output
