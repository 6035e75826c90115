"""Dates as articles write them, read into ISO dates ("YYYY-MM-DD").

A *date line* is a line that is nothing but a date, perhaps with a label
("Published:"), a weekday and a time of day. Numeric dates are read so:

- year first (``2025.01.31``, ``2025-01-31``, ``2025/01/31``): year, month, day;
- year last with dots (``31.01.2025``): day first, the European habit; month
  first only where day first cannot be a date (``01.31.2025``);
- year last with slashes or dashes (``31/01/2025``, ``01/31/2025``): whichever
  order gives a real date; where both do and they differ (``03/04/2025``) the
  date is ambiguous and is not read at all.

Month names are read in English (full or abbreviated, with or without a dot),
Russian and Ukrainian (genitive: "31 января 2025", "31 січня 2025").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from claimgraph.errors import ConfigError

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "января", "січня"),
    2: ("february", "feb", "февраля", "лютого"),
    3: ("march", "mar", "марта", "березня"),
    4: ("april", "apr", "апреля", "квітня"),
    5: ("may", "мая", "травня"),
    6: ("june", "jun", "июня", "червня"),
    7: ("july", "jul", "июля", "липня"),
    8: ("august", "aug", "августа", "серпня"),
    9: ("september", "sept", "sep", "сентября", "вересня"),
    10: ("october", "oct", "октября", "жовтня"),
    11: ("november", "nov", "ноября", "листопада"),
    12: ("december", "dec", "декабря", "грудня"),
}
_MONTHS: dict[str, int] = {name: n for n, names in _MONTH_NAMES.items() for name in names}

_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_LABEL = (
    r"(?:(?:published|posted|updated|last\s+updated|date|dated|опубликовано|обновлено|дата|опубліковано)"
    r"(?:\s+on)?\s*:?\s*)?"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?,?\s+)?"
)
_TIME = (
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2}|[a-z]{3,4}\b)?"
)
_TIME_BEFORE = rf"(?:{_TIME}\s*[,|\-–—]?\s*)?"
_TIME_AFTER = rf"(?:(?:\s*[,|\-–—]\s*|\s+at\s+|\s+|t){_TIME})?"

_FORMS = {
    "ymd": r"(?P<y>\d{4})(?P<sep>[./-])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})\.?",
    "dmy": r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})",
    "d_month_y": (
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH}\s*,?\s+(?P<y>\d{{4}})"
        r"(?:\s*(?:г\.?|года|року|р\.?))?"
    ),
    "month_d_y": rf"{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y>\d{{4}})",
}
_PATTERNS = {
    form: re.compile(rf"{_LABEL}{_TIME_BEFORE}{_WEEKDAY}{body}{_TIME_AFTER}\s*\.?", re.IGNORECASE)
    for form, body in _FORMS.items()
}

_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")


@dataclass(frozen=True)
class ParsedDate:
    """A date-like string read: its ISO date, or why it could not be one."""

    iso: str | None
    problem: str | None = None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _read_numeric(y: int, a: int, b: int, sep: str) -> ParsedDate:
    day_first = _iso(y, b, a)
    month_first = _iso(y, a, b)
    if day_first and month_first and day_first != month_first:
        if sep == ".":
            return ParsedDate(day_first)
        return ParsedDate(None, "is ambiguous: it reads as a date day-first and month-first")
    found = day_first or month_first
    return ParsedDate(found) if found else ParsedDate(None, "is not a valid date")


def parse_date(value: str) -> ParsedDate | None:
    """Read a string that is nothing but a date.

    value (str): the string, e.g. a line of an article or a metadata field.
    RETURNS (ParsedDate | None): None when the string is not shaped like a date;
        otherwise the ISO date, or ``iso=None`` and the problem when the shape is a
        date's but the values are not (``31 February 2025``, ``2025.13.45``).
    """
    s = value.strip()
    if len(s) > 80 or not any(c.isdigit() for c in s):
        return None
    for form, pattern in _PATTERNS.items():
        m = pattern.fullmatch(s)
        if m is None:
            continue
        y = int(m["y"])
        if form == "ymd":
            iso = _iso(y, int(m["a"]), int(m["b"]))
            return ParsedDate(iso) if iso else ParsedDate(None, "is not a valid date")
        if form == "dmy":
            return _read_numeric(y, int(m["a"]), int(m["b"]), m["sep"])
        iso = _iso(y, _MONTHS[m["month"].lower()], int(m["d"]))
        return ParsedDate(iso) if iso else ParsedDate(None, "is not a valid date")
    if _ISO_START.match(s):
        try:
            return ParsedDate(datetime.fromisoformat(s).date().isoformat())
        except ValueError:
            return None
    return None


def read_published(value: str) -> tuple[str | None, str | None]:
    """Read a ``published`` metadata value: (ISO date, None) or (None, warning)."""
    parsed = parse_date(value)
    if parsed is None:
        return None, f"published value {value.strip()!r} is not a date"
    if parsed.iso is None:
        return None, f"published value {value.strip()!r} {parsed.problem}"
    return parsed.iso, None


def normalize_published_flag(value: str | None) -> str | None:
    """The caller's ``published`` value as an ISO date; an unreadable one is a ConfigError."""
    if value is None:
        return None
    iso, problem = read_published(value)
    if iso is None:
        raise ConfigError(f"{problem}; give a date such as 2025-01-31")
    return iso
