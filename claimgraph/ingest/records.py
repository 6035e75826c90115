"""The record readers: articles as JSON objects, one per file, in a list, or one per line.

A record has a ``text`` and may have ``id``, ``title``, ``published``, ``outlet``,
``url``, ``authors`` (a list or one string), ``language``, ``credits`` (a list
or a string such as "KCNA / Reuters") and ``tag``; other fields are ignored. A
claim record (``{"article": {...}, "claims": [...]}``) is read through its
``article``. The text is read as plain text is (see ``text``), so date, credit
and noise lines in it are found too; the record's own fields win over what the
text shows, and its credits are added to those in the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from claimgraph.errors import InputError
from claimgraph.ingest.clean import clean_name, clean_record
from claimgraph.ingest.dates import normalize_published_flag, read_published
from claimgraph.ingest.text import read_text, split_credits, split_lines
from claimgraph.model import Article

_STRING_FIELDS = ("title", "published", "outlet", "url", "language", "tag")


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _names(d: Mapping[str, Any], key: str, source: str) -> list[str] | None:
    value = d.get(key)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return split_credits(value) if key == "credits" else [value.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise InputError(source, f"field {key!r} must be a list of strings or a string, not {_type_name(value)}")


def _title_span(text: str, title: str) -> tuple[int, int] | None:
    """Where the record's title stands in its text: one of the first lines, if any."""
    lines = [line for line in split_lines(text) if line.text][:4]
    for line in lines:
        if line.text == title.strip():
            return (line.start, line.end)
    return None


def read_record(
    d: Mapping[str, Any],
    source: str,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """Read an article from a JSON object.

    d (Mapping[str, Any]): the record.
    source (str): where it came from (``path`` or ``path:LINE``); with the record's
        ``id``, the Article's source is ``source#id``.
    outlet (str | None): the publisher, where the record names none.
    published (str | None): the date, where the record and its text give none.
    RETURNS (Article): the article; its text is the record's ``text`` unchanged.
    RAISES (InputError): the record has no text, or a field of the wrong type.
    """
    source = clean_name(source) or source
    if not isinstance(d, Mapping):
        raise InputError(source, f"expected a JSON object, not {_type_name(d)}")
    d, cleaned = clean_record(d)
    if "text" not in d and isinstance(d.get("article"), Mapping):
        d = d["article"]
    text = d.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError(source, f"field 'text' must be a string, not {_type_name(text)}")
    if not text or not text.strip():
        raise InputError(source, "record has no text (field 'text' is missing or empty)")
    for key in _STRING_FIELDS:
        if d.get(key) is not None and not isinstance(d[key], str):
            raise InputError(source, f"field {key!r} must be a string, not {_type_name(d[key])}")
    authors = _names(d, "authors", source)
    credits = _names(d, "credits", source)
    flag_date = normalize_published_flag(published)

    found = read_text(text, source)
    text = found.text
    warnings = [*found.warnings, *cleaned]
    date = found.published
    if d.get("published"):
        field_date, problem = read_published(d["published"])
        date = field_date or date
        if problem:
            warnings.append(problem)
    title = d.get("title") or None
    if title is None:
        title, title_span = found.title, found.title_span
    elif title == found.title:
        title_span = found.title_span
    else:
        title_span = _title_span(text, title)
    record_id = d.get("id")
    if isinstance(record_id, str | int) and not isinstance(record_id, bool) and str(record_id).strip():
        if not str(record_id).startswith("sha256:"):  # a content id (Article.id) names no origin
            source = f"{source}#{record_id}"
    return Article(
        text=text,
        source=source,
        outlet=d.get("outlet") or outlet,
        title=title,
        published=date or flag_date,
        language=d.get("language") or found.language,
        credits=tuple(dict.fromkeys([*(credits or []), *found.credits])),
        authors=tuple(authors) if authors else found.authors,
        url=d.get("url") or None,
        tag=d.get("tag") or found.tag,
        title_span=title_span,
        lede_span=found.lede_span,
        skip_spans=found.skip_spans,
        warnings=tuple(warnings),
    )


def _json_error(e: json.JSONDecodeError, *, with_line: bool) -> str:
    where = f"line {e.lineno}, column {e.colno}" if with_line else f"column {e.colno}"
    return f"invalid JSON: {e.msg} ({where})"


def read_jsonl(
    text: str, where: str, *, outlet: str | None = None, published: str | None = None
) -> Iterator[Article | InputError]:
    """One Article per line of JSON Lines; a bad line is an InputError at ``where:LINE``."""
    # split at "\n" only: a JSON string may hold a raw U+2028, which splitlines() breaks at
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        at = f"{where}:{lineno}"
        try:
            yield read_record(json.loads(line), at, outlet=outlet, published=published)
        except json.JSONDecodeError as e:
            yield InputError(at, _json_error(e, with_line=False))
        except RecursionError:
            yield InputError(at, "invalid JSON: nested too deeply")
        except ValueError as e:  # e.g. an integer of more than 4,300 digits
            yield InputError(at, f"invalid JSON: {e}")
        except InputError as e:
            yield e


def read_json(
    text: str, where: str, *, outlet: str | None = None, published: str | None = None
) -> Iterator[Article | InputError]:
    """The Articles of a JSON file: one object, or a list of them (at ``where[INDEX]``).

    A file that holds several JSON values one after another is read as JSON Lines.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            yield from read_jsonl(text, where, outlet=outlet, published=published)
        else:
            yield InputError(where, _json_error(e, with_line=True))
        return
    except RecursionError:
        yield InputError(where, "invalid JSON: nested too deeply")
        return
    except ValueError as e:  # e.g. an integer of more than 4,300 digits
        yield InputError(where, f"invalid JSON: {e}")
        return
    if isinstance(value, list):
        if not value:
            yield InputError(where, "the JSON list holds no articles")
        items = [(f"{where}[{i}]", item) for i, item in enumerate(value)]
    elif isinstance(value, dict):
        items = [(where, value)]
    else:
        yield InputError(where, f"expected a JSON object or a list of objects, not {_type_name(value)}")
        return
    for at, item in items:
        try:
            yield read_record(item, at, outlet=outlet, published=published)
        except InputError as e:
            yield e
