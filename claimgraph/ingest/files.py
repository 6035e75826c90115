"""Files and folders to Articles: which files to read, and which reader reads each.

The reader is chosen by extension (``.json``; ``.jsonl``/``.ndjson``;
``.html``/``.htm``/``.xhtml``), else by content: a text that starts as an HTML
document is read as HTML; a file with no known text extension whose content is
JSON is read as JSON; anything else as plain text.

``outlet`` and ``published`` given by the caller fill in what a file lacks; they
never replace what the file itself says.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from claimgraph.config import Settings
from claimgraph.errors import InputError
from claimgraph.ingest.clean import clean_name
from claimgraph.ingest.dates import normalize_published_flag
from claimgraph.ingest.decode import declared_charset, decode, read_bytes
from claimgraph.ingest.html import looks_like_html, read_html
from claimgraph.ingest.records import read_json, read_jsonl
from claimgraph.ingest.text import read_text
from claimgraph.model import Article

_JSON = {".json"}
_JSONL = {".jsonl", ".ndjson"}
_HTML = {".html", ".htm", ".xhtml"}
_TEXT = {".txt", ".text", ".md"}
#: documents and archives that are not text, refused by name before a byte is read
_NOT_TEXT = {
    ".pdf": "a PDF", ".doc": "a Word document", ".docx": "a Word document", ".odt": "an OpenDocument text",
    ".rtf": "an RTF document", ".epub": "an EPUB book", ".xls": "a spreadsheet", ".xlsx": "a spreadsheet",
    ".ppt": "a presentation", ".pptx": "a presentation", ".zip": "an archive", ".gz": "a compressed file",
    ".bz2": "a compressed file", ".xz": "a compressed file", ".zst": "a compressed file",
    ".tar": "an archive",
    ".7z": "an archive", ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image",
    ".webp": "an image", ".mp3": "audio", ".mp4": "a video", ".db": "a database", ".sqlite": "a database",
}  # fmt: skip
#: what a file's first bytes say it is, where its name does not
_MAGIC = ((b"%PDF-", "a PDF"), (b"PK\x03\x04", "an archive (ZIP, DOCX, EPUB…)"), (b"\x1f\x8b", "a gzip file"))
_CONVERT = "claimgraph reads plain text, JSON, JSON Lines and HTML: convert it to text first"


def _not_an_article(name: str) -> bool:
    """Documentation and gold annotations beside a corpus: README, LICENSE, *.md, *.gold.*."""
    low = name.lower()
    return (
        low.startswith(("readme", "license", "licence", "copying")) or low.endswith(".md") or ".gold." in low
    )


def _walk(folder: Path, skipped: list[Path] | None) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        yield folder  # unreadable: read_path says why
        return
    for entry in entries:
        if entry.name.startswith(".") or (entry.is_file() and _not_an_article(entry.name)):
            if skipped is not None:
                skipped.append(entry)
            continue
        if entry.is_dir():
            if not entry.is_symlink():  # a linked folder may loop back
                yield from _walk(entry, skipped)
            elif skipped is not None:
                skipped.append(entry)
        else:
            yield entry


def iter_files(paths: Sequence[Path], skipped: list[Path] | None = None) -> Iterator[Path]:
    """The files to read under the given files and folders.

    paths (Sequence[Path]): files and folders. A folder is walked recursively in
        sorted order, leaving out hidden files and folders (names starting with
        "."), documentation (README, LICENSE, ``*.md``), gold annotations
        (``*.gold.*``) and linked folders (which may loop back); a file named directly is
        always yielded, as is a path that does not exist, so that ``read_path`` reports it.
    skipped (list[Path] | None): where given, what was left out is appended to it, so that
        the caller can say so.
    YIELDS (Path): each file once, in order.
    """
    seen: set[str] = set()
    for path in paths:
        found = _walk(path, skipped) if path.is_dir() else iter([path])
        for file in found:
            key = os.path.normcase(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                yield file


def _looks_like_json(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped[0] not in "{[":
        return False
    try:
        json.loads(stripped)
        return True
    except (ValueError, RecursionError):
        lines = [line.strip() for line in stripped.split("\n") if line.strip()]
        return all(line.startswith("{") and line.endswith("}") for line in lines)


def read_path(
    path: Path,
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Iterator[Article | InputError]:
    """Read the articles in one file.

    path (Path): the file.
    settings (Settings): ``max_bytes`` and ``encodings`` are used.
    outlet (str | None): the publisher, for articles whose file names none.
    published (str | None): the date, for articles whose file gives none.
    YIELDS (Article | InputError): an Article for each article read, an InputError
        (not raised) for each file, record or line that could not be read, its
        ``where`` the path (``path:LINE`` for a line of JSON Lines).
    RAISES (ConfigError): ``published`` is not a date, or a setting is unusable.
    """
    normalize_published_flag(published)  # a bad value is the caller's error, raised at once
    where = clean_name(str(path)) or ""
    suffix = path.suffix.lower()
    try:
        if suffix in _NOT_TEXT:
            raise InputError(where, f"is {_NOT_TEXT[suffix]}, not text; {_CONVERT}")
        data = read_bytes(path, settings)
        for magic, kind in _MAGIC:
            if data.startswith(magic):
                raise InputError(where, f"is {kind}, not text; {_CONVERT}")
        charset = declared_charset(data) if suffix not in _JSON | _JSONL else None
        decoded = decode(data, where, settings.encodings, declared=charset)
        text = decoded.text
        if suffix in _JSON:
            found = read_json(text, where, outlet=outlet, published=published)
        elif suffix in _JSONL:
            found = read_jsonl(text, where, outlet=outlet, published=published)
        elif suffix in _HTML or looks_like_html(text):
            found = iter([read_html(text, where, outlet=outlet, published=published)])
        elif suffix not in _TEXT and _looks_like_json(text):
            found = read_json(text, where, outlet=outlet, published=published)
        else:
            found = iter([read_text(text, where, outlet=outlet, published=published)])
        for item in found:
            if isinstance(item, Article) and decoded.warnings:
                item = dataclasses.replace(item, warnings=decoded.warnings + item.warnings)
            yield item
    except InputError as e:
        yield e
