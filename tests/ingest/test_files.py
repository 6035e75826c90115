from __future__ import annotations

import os
from pathlib import Path

import pytest

import claimgraph.ingest
from claimgraph.config import Settings
from claimgraph.errors import ConfigError, InputError
from claimgraph.ingest import iter_files, read_path
from claimgraph.model import Article

from .helpers import DATA, FOUNDING_EXAMPLE, WriteFile, read_all, read_error, read_one

RUSSIAN = (
    "Войска КНДР отведены с линии фронта\n\n31 января 2025\n\n"
    "Солдаты КНДР не появлялись на передовой около двух недель, пишет The New York Times.\n\n"
    "Фото: Reuters\n"
)
FRENCH = (
    "Le café de la résistance à Kharkiv\n\n"
    "Les soldats ont déclaré que la ville était calme, a dit le maître.\n"
)


def test_files_api_is_listed_once() -> None:
    names = {"iter_files", "read_path", "read_text", "read_html", "read_record"}
    assert set(claimgraph.ingest.__all__) == names
    assert all(callable(getattr(claimgraph.ingest, name)) for name in names)


def test_files_iter_files_walks_folders_sorted(write: WriteFile, tmp_path: Path) -> None:
    for name in [
        "b/2.txt",
        "b/1.json",
        "a.html",
        ".hidden.txt",
        ".git/config",
        "b/.cache/x.txt",
        "c/d/e.jsonl",
    ]:
        write(name, "x")
    missing = tmp_path / "missing.txt"
    found = list(iter_files([tmp_path, missing, tmp_path / "a.html"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.html",
        "b/1.json",
        "b/2.txt",
        "c/d/e.jsonl",
        "missing.txt",
    ]


def test_files_iter_files_yields_a_named_hidden_file(write: WriteFile) -> None:
    path = write(".notes.txt", "x")
    assert list(iter_files([path])) == [path]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_files_iter_files_does_not_follow_folder_links(write: WriteFile, tmp_path: Path) -> None:
    write("a/story.txt", "x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [p.name for p in iter_files([tmp_path])] == ["story.txt"]


def test_files_read_path_founding_example() -> None:
    art = read_one(FOUNDING_EXAMPLE)
    assert art.source == str(FOUNDING_EXAMPLE)
    assert art.text == FOUNDING_EXAMPLE.read_bytes().decode("utf-8")
    assert art.published == "2025-01-31"
    assert art.credits == ("KCNA", "Reuters")


@pytest.mark.parametrize(("text", "encoding"), [(RUSSIAN, "cp1251"), (RUSSIAN, "utf-8"), (FRENCH, "latin-1")])
def test_files_read_path_decodes(write: WriteFile, text: str, encoding: str) -> None:
    art = read_one(write("story.txt", text.encode(encoding)))
    assert art.text == text


def test_files_read_path_cp1251_russian(write: WriteFile) -> None:
    art = read_one(write("story.txt", RUSSIAN.encode("cp1251")))
    assert art.title == "Войска КНДР отведены с линии фронта"
    assert art.published == "2025-01-31"
    assert art.credits == ("Reuters",)
    assert art.language == "ru"


def test_files_read_path_over_the_size_limit(write: WriteFile) -> None:
    path = write("big.txt", "Officials said the talks had stalled. " * 10)
    error = read_error(path, Settings().with_(max_bytes=100))
    assert error.where == str(path)
    assert error.reason == "file is 380 bytes, over the limit of 100 bytes (raise it with --max-bytes)"


CONVERT = "claimgraph reads plain text, JSON, JSON Lines and HTML: convert it to text first"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n  \n", "empty file"),
        ("empty.jsonl", b"\n\n", "empty file"),
        ("photo", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary file, not text"),
        ("photo.jpg", b"\xff\xd8\xff", "is an image, not text; " + CONVERT),
        ("report.pdf", b"%PDF-1.7 text", "is a PDF, not text; " + CONVERT),
        ("report", b"%PDF-1.7 text", "is a PDF, not text; " + CONVERT),
        ("story.txt", b"\x00\x01\x02 text", "binary file, not text"),
    ],
)
def test_files_read_path_rejects_what_is_not_text(
    write: WriteFile, name: str, content: bytes, reason: str
) -> None:
    path = write(name, content)
    error = read_error(path)
    assert (error.where, error.reason) == (str(path), reason)


def test_files_read_path_missing(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    error = read_error(path)
    assert (error.where, error.reason) == (str(path), "no such file or folder")


def test_files_read_path_folder(tmp_path: Path) -> None:
    error = read_error(tmp_path)
    assert error.reason == "is a folder, not a file"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("records", '{"text": "Officials said the talks had stalled."}'),
        ("records.data", '{"text": "One."}\n{"text": "Two."}\n'),
    ],
)
def test_files_read_path_sniffs_json(write: WriteFile, name: str, content: str) -> None:
    results = read_all(write(name, content))
    assert results and all(isinstance(r, Article) for r in results)


def test_files_read_path_json_like_text_stays_text(write: WriteFile) -> None:
    art = read_one(write("notes.txt", '{"text": "One."}'))
    assert art.text == '{"text": "One."}'


def test_files_read_path_flags_fill_in(write: WriteFile) -> None:
    art = read_one(
        write("story.txt", "Officials said the talks had stalled."),
        outlet="Example News",
        published="2025-02-01",
    )
    assert (art.outlet, art.published) == ("Example News", "2025-02-01")


def test_files_read_path_bad_published_flag_is_a_config_error(write: WriteFile) -> None:
    with pytest.raises(ConfigError):
        read_all(write("story.txt", "Officials said the talks had stalled."), published="someday")


def test_files_every_reason_is_one_line(write: WriteFile, tmp_path: Path) -> None:
    paths = [
        write("bad.json", '{\n  "text": "a",\n  oops\n}'),
        write("bad.jsonl", '{"text": "a"}\n{\n'),
        write("bin.txt", b"\x00"),
        write("none.html", (DATA / "no-article.html").read_bytes()),
        write("list.json", '[{"title": "x"}, 3]'),
        tmp_path / "missing",
    ]
    errors = [r for path in paths for r in read_path(path, Settings()) if isinstance(r, InputError)]
    assert len(errors) == 7
    for error in errors:
        assert "\n" not in error.reason and error.reason
        assert str(error) == f"{error.where}: {error.reason}"


def test_files_iter_files_says_what_it_left_out(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "README").write_text("x", encoding="utf-8")
    (tmp_path / "gold.gold.jsonl").write_text("x", encoding="utf-8")
    (tmp_path / "noext").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    skipped: list[Path] = []
    assert [p.name for p in iter_files([tmp_path], skipped)] == ["a.txt", "noext"]
    assert sorted(p.name for p in skipped) == [".hidden.txt", "README", "gold.gold.jsonl", "loop"]
