"""The shipped Wikinews sample (examples/wikinews/): records read, texts clean, links sound, counts right."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.config import Settings
from claimgraph.ingest import iter_files, read_path, read_record
from claimgraph.model import Article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "wikinews"
CORPORA = ("corpus_1", "corpus_2", "corpus_3")
SCRIPT = ROOT / "scripts" / "build_wikinews_sample.py"
SOURCE = ROOT.parent / "shared" / "data" / "wikinews-timeline"

# what detokenization must leave behind: a space before punctuation or a clitic, PTB quotes
ARTEFACTS = re.compile(r" [,;:!?)\]%]| \.(?!\.\.)| n't| 's\b| '(?:re|ve|ll|m|d)\b|``|''|\( |\$ ")


def _lines(name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with (SAMPLE / name).open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            yield n, json.loads(line)


def _records() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{c}.jsonl:{n}", r) for c in CORPORA for n, r in _lines(f"{c}.jsonl")]


RECORDS = _records()
ARTICLES = {r["id"]: r for _, r in RECORDS}
LINKS = [link for _, link in _lines("event_links.gold.jsonl")]


def test_every_record_reads() -> None:
    for where, record in RECORDS:
        article = read_record(record, where)
        assert isinstance(article, Article)
        assert article.title == record["title"]
        assert article.title_span == (0, len(record["title"])), where
        assert article.published is not None and str(article.published)[:10] == record["published"]
        assert article.outlet == "Wikinews" and article.language == "en"
        assert article.credits == ("Wikinews",)
        assert article.warnings == (), (where, article.warnings)


def test_corpus_files_read_through_the_file_reader() -> None:
    for corpus in CORPORA:
        results = list(read_path(SAMPLE / f"{corpus}.jsonl", Settings()))
        assert len(results) == 30
        assert all(isinstance(r, Article) for r in results), [
            r for r in results if not isinstance(r, Article)
        ]


def test_record_fields() -> None:
    ids = [r["id"] for _, r in RECORDS]
    assert len(ids) == len(set(ids)) == 90
    for where, r in RECORDS:
        corpus, stem = r["id"].split("/")
        assert where.startswith(corpus) and re.fullmatch(r"\d+_\S+", stem), where
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"]), where
        assert r["url"].startswith("https://en.wikinews.org/wiki/") and " " not in r["url"]
        assert r["authors"] == [] and r["credits"] == ["Wikinews"] and r["license"] == "CC BY 2.5"
        # title line, blank line, date line, blank line, body
        title, date, body = r["text"].rstrip("\n").split("\n\n")
        assert title == r["title"] and "\n" not in body
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", date), where


def test_texts_have_no_tokenization_artefacts() -> None:
    for where, r in RECORDS:
        for value in (r["text"], r["title"]):
            found = ARTEFACTS.search(value)
            assert found is None, (where, value[max(0, found.start() - 40) : found.end() + 40])


def test_sentence_spans_tile_the_text() -> None:
    for where, r in RECORDS:
        text, spans = r["text"], r["sentences"]
        assert spans[0] == [0, len(r["title"])], where
        for (a, b), (c, _) in zip(spans, spans[1:], strict=False):
            assert 0 <= a < b <= c and text[b:c] in ("", " ", "\n\n"), (where, text[b:c])
        assert spans[-1][1] == len(text.rstrip("\n"))


def test_event_links_point_at_real_sentences() -> None:
    assert LINKS
    for link in LINKS:
        assert link["corpus"] in CORPORA and link["mentions"], link["event"]
        assert re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", link["date"])
        assert isinstance(link["order"], int) and link["order"] >= 0
        assert link["event"].startswith(f"{link['corpus']}/{link['timeline']}/")
        for m in link["mentions"]:
            record = ARTICLES[m["article"]]
            assert m["article"].startswith(link["corpus"] + "/")
            a, b = m["span"]
            assert record["sentences"][m["sentence"]] == [a, b]
            assert record["text"][a:b] == m["text"]
            x, y = m["word_span"]
            assert a <= x < y <= b
            words = m["word"].split(" ")
            found = record["text"][x:y]
            assert found.startswith(words[0]) and found.endswith(words[-1]), (m, found)
    assert len({link["event"] for link in LINKS}) == len(LINKS)


def _readme_counts() -> dict[str, list[int]]:
    """The rows of the README's counts table, by corpus (and "all"), the date column left out."""
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    rows: dict[str, list[int]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in (*CORPORA, "all") and len(cells) == 8:
            rows[cells[0]] = [int(c) for i, c in enumerate(cells[1:]) if i != 1]
    return rows


def test_counts_match_the_readme() -> None:
    rows = _readme_counts()
    assert set(rows) == {*CORPORA, "all"}
    for key in (*CORPORA, "all"):
        links = [x for x in LINKS if key in ("all", x["corpus"])]
        articles = [r for r in ARTICLES if key == "all" or r.startswith(key + "/")]
        sizes = [len(x["mentions"]) for x in links]
        spanning = sum(1 for x in links if len({m["article"] for m in x["mentions"]}) >= 2)
        multi = sum(1 for n in sizes if n >= 2)
        articles_, timelines, n_links, multi_, spanning_, mentions = rows[key]
        assert (articles_, n_links, multi_, spanning_, mentions) == (
            len(articles),
            len(links),
            multi,
            spanning,
            sum(sizes),
        ), key
        assert timelines >= len({x["timeline"] for x in links})  # a timeline may hold no events
    assert rows["all"][0] == 90


def test_sample_is_small() -> None:
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 1_000_000


def test_folder_ingests_as_the_three_corpora() -> None:
    # README.md and the gold links sit beside the articles; walking the folder reads only the articles
    names = sorted(p.name for p in iter_files([SAMPLE]))
    assert names == ["corpus_1.jsonl", "corpus_2.jsonl", "corpus_3.jsonl"]


def _load_script() -> Any:
    spec = importlib.util.spec_from_file_location("build_wikinews_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["Boeing", "'s", "rival", ",", "Airbus", "."], "Boeing's rival, Airbus."),
        (["We", "do", "n't", "(", "yet", ")", "!"], "We don't (yet)!"),
        (["He", "said", ":", "``", "I'", "m", "ready", ".", "''"], "He said: \u201cI'm ready.\u201d"),
        (["$", "15bn", "or", "US$", "2.7", "billion", ",", "45", "%"], "$15bn or US$2.7 billion, 45%"),
        (["a", "#", "13", "billion", "contract"], "a \u00a313 billion contract"),
        (["General", "Motors", "'", "Saturn", "unit"], "General Motors' Saturn unit"),
        (["on", "`", "Black", "Monday", "'", "anniversary"], "on \u2018Black Monday\u2019 anniversary"),
        (["Michael", "O'", "Leary"], "Michael O'Leary"),
        ([":", "''I'", "d", "distribute"], ": \u201cI'd distribute"),
    ],
)
def test_detokenize(tokens: list[str], text: str) -> None:
    script = _load_script()
    got, spans = script.detokenize(tokens, script.Quotes())
    assert got == text
    assert len(spans) == len(tokens) and spans[-1][1] == len(got)


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the SemEval-2015 Task 4 data is not at ../shared/data")
def test_sample_is_what_the_script_builds() -> None:
    files, _ = _load_script().build(SOURCE)
    for name, text in files.items():
        assert (SAMPLE / name).read_text(encoding="utf-8") == text, f"{name} is stale"
