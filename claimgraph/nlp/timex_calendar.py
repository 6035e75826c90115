"""Calendar arithmetic behind time normalization: TIMEX3 values and the intervals they denote.

A TIMEX3 value names a calendar unit at some granularity: ``2024`` (a year),
``2024-11`` (a month), ``2024-11-05`` (a day), ``2024-W45`` (an ISO week),
``2024-Q4`` (a quarter), ``2024-H2`` (a half), ``2024-SU`` (a season), ``202``
(a decade), ``20`` (a century), ``2024-11-05T14:30`` (a time). ``X`` stands for a
digit that is not known (``XXXX-11``: a November of no known year). This module
turns such a value into the first and last day it covers, and shifts calendar
units by whole steps. Pure standard library; no claimgraph imports.

Arithmetic saturates at the ends of the calendar (years 1 to 9999, as ``datetime`` has
them): a step that would leave it stops at ``date.min`` or ``date.max`` (or year 1 or
9999, its first or last month, quarter, decade, century) and never raises. All of the
time code's date arithmetic goes through the helpers below.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: first month of each season (meteorological: spring is March to May, ...)
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")
_MONTH_XX = re.compile(r"^(\d{4})-(\d{2})-XX$")


#: the first and last year the calendar (``datetime``) has
MIN_YEAR, MAX_YEAR = dt.MINYEAR, dt.MAXYEAR
_MIN_ORDINAL, _MAX_ORDINAL = dt.date.min.toordinal(), dt.date.max.toordinal()


def clamp_year(year: int) -> int:
    """``year`` held to the calendar: below 1 is 1, above 9999 is 9999."""
    return min(max(year, MIN_YEAR), MAX_YEAR)


def last_day(year: int, month: int) -> int:
    """The number of days of a month."""
    return calendar.monthrange(year, month)[1]


def valid_date(year: int, month: int, day: int) -> bool:
    """Whether year-month-day is a day of the calendar (no 31 February)."""
    return MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 and 1 <= day <= last_day(year, month)


def make_date(year: int, month: int, day: int) -> dt.date:
    """The day year-month-day, held to the calendar: a year before 1 gives ``date.min``, one after
    9999 ``date.max``, and a day past the end of its month that month's last day."""
    if year < MIN_YEAR:
        return dt.date.min
    if year > MAX_YEAR:
        return dt.date.max
    return dt.date(year, month, min(max(day, 1), last_day(year, month)))


def shift_days(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` days (back when negative), stopping at ``date.min`` or ``date.max``."""
    return dt.date.fromordinal(min(max(day.toordinal() + n, _MIN_ORDINAL), _MAX_ORDINAL))


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """The month ``n`` months after (before, when negative) year-month; at most 9999-12, at least 0001-01."""
    index = min(max(year * 12 + (month - 1) + n, MIN_YEAR * 12), MAX_YEAR * 12 + 11)
    return index // 12, index % 12 + 1


def add_quarters(year: int, quarter: int, n: int) -> tuple[int, int]:
    """The quarter ``n`` quarters after year-Q``quarter``; at most 9999-Q4, at least 0001-Q1."""
    index = min(max(year * 4 + (quarter - 1) + n, MIN_YEAR * 4), MAX_YEAR * 4 + 3)
    return index // 4, index % 4 + 1


def shift_months(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` calendar months, clipped to the end of a shorter month, stopping at the ends
    of the calendar (``date.min``, ``date.max``)."""
    index = day.year * 12 + (day.month - 1) + n
    if index < MIN_YEAR * 12:
        return dt.date.min
    if index > MAX_YEAR * 12 + 11:
        return dt.date.max
    y, m = index // 12, index % 12 + 1
    return dt.date(y, m, min(day.day, last_day(y, m)))


def shift_years(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` years (29 February to 28 February), stopping at ``date.min``, ``date.max``."""
    return shift_months(day, 12 * n)


def add_years(year: int, n: int) -> int:
    """The year ``n`` years after ``year``, held to the calendar (9999 + 1 is 9999)."""
    return clamp_year(year + n)


def week_value(day: dt.date) -> str:
    """The ISO week of a day as a TIMEX3 value, e.g. ``2025-W05``."""
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def day_value(day: dt.date) -> str:
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def year_value(year: int) -> str:
    """The TIMEX3 value of a year, held to the calendar (0001 to 9999)."""
    return f"{clamp_year(year):04d}"


def decade_value(year: int) -> str:
    """The TIMEX3 value of the decade a year falls in (``202`` for 2025), held to the calendar."""
    return f"{clamp_year(year) // 10:03d}"


def century_value(year: int) -> str:
    """The TIMEX3 value of the century a year falls in (``20`` for 2025), held to the calendar."""
    return f"{clamp_year(year) // 100:02d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def season_of(day: dt.date) -> tuple[int, str]:
    """The season a day falls in, with the year it is counted to (December belongs to winter)."""
    m = day.month
    if m == 12:
        return day.year, "WI"
    if m <= 2:
        return day.year - 1, "WI"
    if m <= 5:
        return day.year, "SP"
    if m <= 8:
        return day.year, "SU"
    return day.year, "FA"


def season_bounds(year: int, season: str) -> tuple[dt.date, dt.date]:
    first = SEASON_START[season]
    start = make_date(year, first, 1)
    ey, em = add_months(year, first, 2)
    return start, make_date(ey, em, 31)


def interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TIMEX3 date or time value covers, or None when it is not anchored.

    value (str | None): e.g. ``2024-11``, ``2024-Q3``, ``2025-W05``, ``199``, ``2024-11-05T10:00``.
    RETURNS (tuple[date, date] | None): the days, inclusive.
    """
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, 1), dt.date(y, mo, last_day(y, mo))
        if m := _MONTH_XX.match(value):
            y, mo = int(m[1]), int(m[2])
            return dt.date(y, mo, 1), dt.date(y, mo, last_day(y, mo))
        if m := _YEAR.match(value):
            y = int(m[1])
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if m := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return shift_days(monday, 5), shift_days(monday, 6)
            return monday, shift_days(monday, 6)
        if m := _QUARTER.match(value):
            y, q = int(m[1]), int(m[2])
            first = 3 * (q - 1) + 1
            return dt.date(y, first, 1), dt.date(y, first + 2, last_day(y, first + 2))
        if m := _HALF.match(value):
            y, h = int(m[1]), int(m[2])
            return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        if m := _SEASON.match(value):
            return season_bounds(int(m[1]), m[2])
        if m := _DECADE.match(value):
            y = int(m[1]) * 10
            return dt.date(max(y, MIN_YEAR), 1, 1), dt.date(y + 9, 12, 31)
        if m := _CENTURY.match(value):
            y = int(m[1]) * 100
            return dt.date(max(y, MIN_YEAR), 1, 1), dt.date(y + 99, 12, 31)
    except (ValueError, OverflowError):
        return None
    return None


_UNIT_DAYS = {"Y": 365, "M": 30.4, "W": 7, "D": 1, "Q": 91.3, "E": 3652, "C": 36525, "L": 365250}
_DURATION = re.compile(r"^P((?:\d+(?:\.\d+)?[YMWDQLEC])*)(?:T((?:\d+(?:\.\d+)?[HMS])+))?$")


def duration_days(value: str) -> int | None:
    """A rough length in whole days of a TIMEX3 duration (``P3W`` → 21, ``PT5H`` → 0), or None when vague."""
    m = _DURATION.match(value)
    if not m or not (m[1] or m[2]):
        return None
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)([YMWDQLEC])", m[1] or ""):
        total += float(num) * _UNIT_DAYS[unit]
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)([HMS])", m[2] or ""):
        total += float(num) / {"H": 24, "M": 1440, "S": 86400}[unit]
    return int(total) if m[2] and not m[1] else round(total)


def subtract_duration(end: dt.date, value: str) -> dt.date | None:
    """The day a duration of ``value`` before ``end`` begins (calendar months and years), not before
    ``date.min``; None when the duration is vague."""
    try:
        return _move(end, value, -1)
    except (ValueError, OverflowError):
        return None


def add_duration(start: dt.date, value: str) -> dt.date | None:
    """The day a duration of ``value`` after ``start`` ends, not after ``date.max``; None when vague."""
    try:
        return _move(start, value, 1)
    except (ValueError, OverflowError):
        return None


def _move(day: dt.date, value: str, sign: int) -> dt.date | None:
    m = re.match(r"^P(\d+)([YMWDQ])$", value)
    if m:
        n, unit = sign * int(m[1]), m[2]
        if unit == "Y":
            return shift_years(day, n)
        if unit == "M":
            return shift_months(day, n)
        if unit == "Q":
            return shift_months(day, 3 * n)
        if unit == "W":
            return shift_days(day, 7 * n)
        return shift_days(day, n)
    days = duration_days(value)
    if days is None:
        return None
    return shift_days(day, sign * days)
