from __future__ import annotations

import json
from typing import Any

import pytest

from claimgraph.errors import InputError
from claimgraph.ingest import read_record
from claimgraph.model import Article, ClaimRecord

from .helpers import WriteFile, read_all, read_error, read_one, texts

RECORD: dict[str, Any] = {
    "id": "a-1",
    "title": "Talks stall",
    "text": "Talks stall\n\nOfficials said on Friday that the talks had stalled.\n\nPhoto: KCNA / Reuters\n",
    "published": "2025-01-31T08:15:00Z",
    "outlet": "Example News",
    "url": "https://news.example.com/talks",
    "authors": ["Jane Doe", "John Roe"],
    "language": "en",
    "credits": ["AP"],
}


def test_records_read_record_fields() -> None:
    art = read_record(RECORD, "a.json")
    assert art.text == RECORD["text"]
    assert art.source == "a.json#a-1"
    assert art.title == "Talks stall"
    assert art.title_span is not None and texts(art, (art.title_span,)) == ["Talks stall"]
    assert art.published == "2025-01-31"
    assert art.outlet == "Example News"
    assert art.url == "https://news.example.com/talks"
    assert art.authors == ("Jane Doe", "John Roe")
    assert art.credits == ("AP", "KCNA", "Reuters")
    assert texts(art, art.skip_spans) == ["Photo: KCNA / Reuters"]
    assert art.warnings == ()


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"authors": "Jane Doe"}, "authors", ("Jane Doe",)),
        (
            {"credits": "KCNA / Reuters", "text": "Talks stalled, officials said."},
            "credits",
            ("KCNA", "Reuters"),
        ),
        ({"id": None}, "source", "a.json"),
        ({"id": "sha256:" + "0" * 64}, "source", "a.json"),
        ({"id": 7}, "source", "a.json#7"),
        ({"language": "uk"}, "language", "uk"),
        ({"title": None}, "title", "Talks stall"),
        ({"title": "Another title"}, "title_span", None),
        ({"published": "31 January 2025"}, "published", "2025-01-31"),
    ],
)
def test_records_read_record_field_forms(changes: dict[str, Any], field: str, expected: object) -> None:
    art = read_record({**RECORD, **changes}, "a.json")
    assert getattr(art, field) == expected


def test_records_bad_published_warns() -> None:
    art = read_record({**RECORD, "published": "sometime"}, "a.json")
    assert art.published is None
    assert art.warnings == ("published value 'sometime' is not a date",)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "No text"}, "record has no text (field 'text' is missing or empty)"),
        ({"text": ""}, "record has no text (field 'text' is missing or empty)"),
        ({"text": "  \n"}, "record has no text (field 'text' is missing or empty)"),
        ({"text": ["a"]}, "field 'text' must be a string, not a list"),
        ({"text": "Talks stall.", "title": 3}, "field 'title' must be a string, not a number"),
        (
            {"text": "Talks stall.", "authors": [1, 2]},
            "field 'authors' must be a list of strings or a string, not a list",
        ),
        ([1, 2], "expected a JSON object, not a list"),
    ],
)
def test_records_read_record_errors(record: Any, reason: str) -> None:
    with pytest.raises(InputError) as info:
        read_record(record, "a.jsonl:3")
    assert info.value.where == "a.jsonl:3"
    assert info.value.reason == reason


def test_records_claim_record_is_read_through_its_article() -> None:
    record = ClaimRecord(Article(text="Officials said the talks had stalled.", outlet="Example News"))
    art = read_record(json.loads(record.dumps()), "out.jsonl:1")
    assert art.text == record.article.text
    assert art.id == record.article.id
    assert art.source == "out.jsonl:1"


@pytest.mark.parametrize(("outlet", "published"), [("Other", "2024-12-01"), (None, None)])
def test_records_flags_do_not_override_the_record(outlet: str | None, published: str | None) -> None:
    art = read_record(RECORD, "a.json", outlet=outlet, published=published)
    assert (art.outlet, art.published) == ("Example News", "2025-01-31")


def test_records_flags_fill_in_what_the_record_lacks() -> None:
    art = read_record(
        {"text": "Officials said the talks had stalled."}, "a.json", outlet="Other", published="2024-12-01"
    )
    assert (art.outlet, art.published) == ("Other", "2024-12-01")


def test_records_json_file_with_one_object(write: WriteFile) -> None:
    path = write("one.json", json.dumps(RECORD))
    art = read_one(path)
    assert art.source == f"{path}#a-1"
    assert art.title == "Talks stall"


def test_records_json_file_with_a_list(write: WriteFile) -> None:
    items = [RECORD, {"title": "no text"}, {**RECORD, "id": "a-2", "text": "Another story, told briefly."}]
    path = write("list.json", json.dumps(items))
    results = read_all(path)
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "Article"]
    error = results[1]
    assert isinstance(error, InputError) and error.where == f"{path}[1]"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": "unterminated', "invalid JSON: Unterminated string starting at (line 1, column 10)"),
        ("[]", "the JSON list holds no articles"),
        ('"just a string"', "expected a JSON object or a list of objects, not a string"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
    ],
)
def test_records_json_file_errors(write: WriteFile, content: str, reason: str) -> None:
    path = write("bad.json", content)
    error = read_error(path)
    assert (error.where, error.reason) == (str(path), reason)


def test_records_jsonl_broken_line_keeps_the_others(write: WriteFile) -> None:
    lines = [
        json.dumps({"text": "First story, about the talks."}),
        '{"text": "broken',
        "",
        json.dumps({"text": "Second story, about the\u2028front."}, ensure_ascii=False),
        "   ",
        json.dumps(["not", "an", "object"]),
    ]
    path = write("many.jsonl", "\n".join(lines) + "\n")
    results = read_all(path)
    articles = [r for r in results if isinstance(r, Article)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:4"]
    assert articles[1].text == "Second story, about the\u2028front."
    assert [(e.where, e.reason) for e in errors] == [
        (f"{path}:2", "invalid JSON: Unterminated string starting at (column 10)"),
        (f"{path}:6", "expected a JSON object, not a list"),
    ]


def test_records_json_file_holding_json_lines(write: WriteFile) -> None:
    path = write("lines.json", json.dumps({"text": "One."}) + "\n" + json.dumps({"text": "Two."}) + "\n")
    assert [r.text for r in read_all(path) if isinstance(r, Article)] == ["One.", "Two."]


def test_records_a_huge_integer_is_that_line_s_error_and_the_next_line_is_read() -> None:
    from claimgraph.ingest.records import read_jsonl

    lines = ['{"id": ' + "1" * 5000 + ', "text": "The army said so."}', '{"text": "Officials said so."}']
    out = list(read_jsonl("\n".join(lines), "x.jsonl"))
    assert isinstance(out[0], InputError) and out[0].where == "x.jsonl:1" and "invalid JSON" in out[0].reason
    assert isinstance(out[1], Article)
