"""Text every store can hold: what the readers do to text before anything else sees it.

A NUL (``\\u0000``, which PostgreSQL refuses in text and JSON) is removed; a lone
surrogate (``"\\ud83d"`` in scraped JSON, or an undecodable byte of a file name, which
UTF-8 cannot encode) is replaced with U+FFFD. Each change is named in a warning, so
that offsets into the cleaned text are the ones that count and nothing changes silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str, what: str = "text") -> tuple[str, tuple[str, ...]]:
    """The text with NULs removed and lone surrogates replaced, and a warning for each kind.

    value (str): the text. what (str): what it is, for the warning ("text", "field 'title'").
    RETURNS (tuple[str, tuple[str, ...]]): the clean text and the warnings.
    """
    warnings: list[str] = []
    nuls = value.count(_NUL)
    if nuls:
        value = value.replace(_NUL, "")
        warnings.append(f"{nuls:,} NUL character(s) removed from the {what}")
    lone, n = _SURROGATE.subn("\ufffd", value)
    if n:
        value = lone
        warnings.append(f"{n:,} lone surrogate(s) (broken UTF-16) in the {what} replaced with U+FFFD")
    return value, tuple(warnings)


def clean_name(value: str | None) -> str | None:
    """A name (a path, an outlet) as text that can be stored and printed; no warning."""
    return None if value is None else clean_text(value)[0]


def clean_record(d: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]]:
    """A JSON record with every string in it cleaned (the text read by ``read_text``, which
    cleans it too), and the warnings for the fields other than ``text``."""
    warnings: list[str] = []

    def walk(value: Any, field: str, depth: int) -> Any:
        # the fields read are strings, lists of strings and a claim record's "article"; deeper
        # values are ignored by the reader, and left as they are
        if isinstance(value, str):
            cleaned, found = clean_text(value, f"field {field!r}")
            warnings.extend(found)
            return cleaned
        if depth > 2:
            return value
        if isinstance(value, list):
            return [walk(v, field, depth + 1) for v in value]
        if isinstance(value, Mapping):
            return {k: (v if k == "text" else walk(v, str(k), depth + 1)) for k, v in value.items()}
        return value

    return walk(d, "", 0), tuple(warnings)
