"""Time normalization at the calendar's ends: arithmetic saturates at 0001-01-01 and 9999-12-31."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimgraph.errors import ConfigError, InputError
from claimgraph.ingest.dates import normalize_published_flag, parse_date, read_published
from claimgraph.model import TimeSpan
from claimgraph.nlp import timex_calendar as cal
from claimgraph.nlp.timespans import find_times

FIRST, LAST = "0001-01-01", "9999-12-31"

# --- the helpers ----------------------------------------------------------------------------------


def test_clamp_year_and_add_years() -> None:
    assert cal.clamp_year(2025) == 2025
    assert cal.clamp_year(0) == cal.clamp_year(-5) == 1
    assert cal.clamp_year(10000) == cal.clamp_year(123456) == 9999
    assert cal.add_years(2025, -1) == 2024
    assert cal.add_years(9999, 1) == 9999
    assert cal.add_years(1, -1) == 1
    assert cal.add_years(5000, 10**12) == 9999


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 1)),
        (dt.date(2025, 1, 31), -31, dt.date(2024, 12, 31)),
        (dt.date(9999, 12, 31), 1, dt.date.max),
        (dt.date(9999, 12, 30), 7, dt.date.max),
        (dt.date(1, 1, 1), -1, dt.date.min),
        (dt.date(1, 1, 7), -7, dt.date.min),
        (dt.date(2025, 1, 31), 10**15, dt.date.max),  # past what timedelta itself can hold
        (dt.date(2025, 1, 31), -(10**15), dt.date.min),
    ],
)
def test_shift_days(day: dt.date, n: int, expected: dt.date) -> None:
    assert cal.shift_days(day, n) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),  # clipped to the end of the shorter month
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
        (dt.date(9999, 12, 31), 1, dt.date.max),
        (dt.date(9999, 11, 30), 1, dt.date(9999, 12, 30)),
        (dt.date(1, 1, 1), -1, dt.date.min),
        (dt.date(1, 2, 15), -1, dt.date(1, 1, 15)),
        (dt.date(5000, 6, 1), 10**9, dt.date.max),
    ],
)
def test_shift_months(day: dt.date, n: int, expected: dt.date) -> None:
    assert cal.shift_months(day, n) == expected


def test_shift_years() -> None:
    assert cal.shift_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert cal.shift_years(dt.date(2025, 1, 31), -3) == dt.date(2022, 1, 31)
    assert cal.shift_years(dt.date(9999, 6, 15), 1) == dt.date.max
    assert cal.shift_years(dt.date(1, 6, 15), -1) == dt.date.min
    assert cal.shift_years(dt.date(2025, 1, 31), -10_000) == dt.date.min


def test_make_date() -> None:
    assert cal.make_date(2025, 1, 31) == dt.date(2025, 1, 31)
    assert cal.make_date(2025, 2, 31) == dt.date(2025, 2, 28)
    assert cal.make_date(0, 12, 31) == dt.date.min
    assert cal.make_date(-7, 1, 1) == dt.date.min
    assert cal.make_date(10000, 1, 1) == dt.date.max
    assert cal.make_date(123456, 7, 1) == dt.date.max


def test_add_months_and_quarters_saturate() -> None:
    assert cal.add_months(2025, 1, -1) == (2024, 12)
    assert cal.add_months(9999, 12, 1) == (9999, 12)
    assert cal.add_months(1, 1, -1) == (1, 1)
    assert cal.add_quarters(2025, 1, -1) == (2024, 4)
    assert cal.add_quarters(9999, 4, 1) == (9999, 4)
    assert cal.add_quarters(9999, 2, 40) == (9999, 4)
    assert cal.add_quarters(1, 1, -1) == (1, 1)


def test_values_held_to_the_calendar() -> None:
    assert cal.year_value(2025) == "2025"
    assert cal.year_value(10000) == "9999"
    assert cal.year_value(0) == "0001"
    assert cal.decade_value(2025) == "202"
    assert cal.decade_value(10009) == "999"
    assert cal.decade_value(-9) == "000"
    assert cal.century_value(2025) == "20"
    assert cal.century_value(10099) == "99"
    assert cal.century_value(-99) == "00"


def test_valid_date_out_of_range_years() -> None:
    assert cal.valid_date(9999, 12, 31)
    assert not cal.valid_date(0, 1, 1)
    assert not cal.valid_date(10000, 1, 1)
    assert not cal.valid_date(123456, 2, 29)


def test_intervals_and_durations_at_the_ends() -> None:
    assert cal.season_bounds(9999, "WI") == (dt.date(9999, 12, 1), dt.date.max)  # would run into 10000
    assert cal.interval("9999-W52") == (dt.date(9999, 12, 27), dt.date.max)
    assert cal.interval("000") == (dt.date.min, dt.date(9, 12, 31))
    assert cal.interval("00") == (dt.date.min, dt.date(99, 12, 31))
    assert cal.interval("0000") is None  # not a year of the calendar: not anchored, no exception
    assert cal.add_duration(dt.date.max, "P1D") == dt.date.max
    assert cal.add_duration(dt.date(9990, 1, 1), "P10000Y") == dt.date.max
    assert cal.subtract_duration(dt.date.min, "P3W") == dt.date.min
    assert cal.subtract_duration(dt.date(5, 1, 1), "P10Y") == dt.date.min
    assert cal.subtract_duration(dt.date(2025, 1, 31), "P9999000Y") == dt.date.min
    assert cal.add_duration(dt.date(2025, 1, 31), "P1.5Y") == dt.date(2026, 8, 2)  # 548 rough days
    assert cal.add_duration(dt.date(9999, 1, 1), "P1.5Y") == dt.date.max
    assert cal.subtract_duration(dt.date(2025, 1, 31), "PXY") is None  # vague: no day


# --- find_times at the ends -----------------------------------------------------------------------

RELATIVE = [
    "last week",
    "next week",
    "next year",
    "last year",
    "yesterday",
    "tomorrow",
    "the day before yesterday",
    "the day after tomorrow",
    "yesterday morning",
    "a century ago",
    "in a century",
    "next century",
    "last century",
    "the next decade",
    "the last decade",
    "in 10,000 years",
    "10,000 years ago",
    "10,000 years from now",
    "a year and a half ago",
    "nine millennia from now",
    "three weeks ago",
    "next month",
    "last month",
    "next quarter",
    "last quarter",
    "the third quarter of next year",
    "the year-earlier quarter",
    "next November",
    "last November",
    "November next year",
    "this winter",
    "last winter",
    "next winter",
    "next Christmas",
    "last Easter",
    "next Monday",
    "last Sunday",
    "Sunday's ruling",
    "next weekend",
    "last weekend",
    "the following day",
    "at 5 pm tomorrow",
    "at year-end",
    "for the next 10,000 years",
    "the past decade",
    "in the year 123456",
]

_YEAR_LEAD = re.compile(r"^(\d+)")


def _check_span(span: TimeSpan) -> None:
    """A value in TIMEX3 shape whose years lie in 0001..9999, and real days as start and end."""
    value = span.value
    assert value, span
    assert re.fullmatch(r"[0-9A-Z_.:-]+", value), span
    assert not value.startswith("-"), span
    lead = _YEAR_LEAD.match(value)
    if lead:
        digits = lead.group(1)
        assert len(digits) in (2, 3, 4), span  # century, decade, year: never five digits
        if len(digits) == 4:
            assert 1 <= int(digits) <= 9999, span
        if span.kind in ("date", "time"):
            # an anchored value is on the calendar: it has its days
            assert span.start is not None and span.end is not None, span
    days = [dt.date.fromisoformat(d) for d in (span.start, span.end) if d is not None]
    if len(days) == 2:
        assert days[0] <= days[1], span


@pytest.mark.parametrize("published", [FIRST, LAST])
@pytest.mark.parametrize("phrase", RELATIVE)
def test_relative_expression_at_the_calendar_ends(published: str, phrase: str) -> None:
    for span in find_times(f"The army said {phrase} it would withdraw.", published):
        _check_span(span)


@pytest.mark.parametrize("published", [FIRST, LAST])
def test_the_founding_sentence_at_the_calendar_ends(published: str) -> None:
    text = (
        "Last week the army said it would withdraw next year. "
        "Yesterday, a century ago, tomorrow, in the next decade."
    )
    spans = find_times(text, published)
    assert {s.text for s in spans} >= {"Last week", "next year", "Yesterday", "a century ago", "tomorrow"}
    for span in spans:
        _check_span(span)


@pytest.mark.parametrize(
    ("published", "phrase", "value", "start", "end"),
    [
        (LAST, "next year", "9999", "9999-01-01", LAST),
        (FIRST, "last year", "0001", FIRST, "0001-12-31"),
        (LAST, "tomorrow", LAST, LAST, LAST),
        (FIRST, "yesterday", FIRST, FIRST, FIRST),
        (LAST, "yesterday", "9999-12-30", "9999-12-30", "9999-12-30"),
        (LAST, "next month", "9999-12", "9999-12-01", LAST),
        (FIRST, "last month", "0001-01", FIRST, "0001-01-31"),
        (LAST, "next quarter", "9999-Q4", "9999-10-01", LAST),
        (FIRST, "last quarter", "0001-Q1", FIRST, "0001-03-31"),
        (LAST, "the next decade", "999", "9990-01-01", LAST),
        (FIRST, "a century ago", "00", FIRST, "0099-12-31"),
        (LAST, "next century", "99", "9900-01-01", LAST),
        (LAST, "10,000 years ago", "0001", FIRST, "0001-12-31"),
        (FIRST, "10,000 years from now", "9999", "9999-01-01", LAST),
        (LAST, "this winter", "9999-WI", "9999-12-01", LAST),
        (LAST, "next Christmas", "9999-12-25", "9999-12-25", "9999-12-25"),
    ],
)
def test_values_saturate(published: str, phrase: str, value: str, start: str, end: str) -> None:
    found = find_times(f"The army said {phrase} it would withdraw.", published)
    spans = [s for s in found if s.text == phrase]
    assert len(spans) == 1, found
    span = spans[0]
    assert (span.value, span.start, span.end) == (value, start, end)


def test_durations_stop_at_the_calendar_ends() -> None:
    (span,) = find_times("It will last for the next 10,000 years.", FIRST)
    assert (span.value, span.start, span.end) == ("P10000Y", FIRST, LAST)
    (span,) = find_times("It has grown over the past decade.", FIRST)
    assert (span.value, span.start, span.end) == ("P10Y", FIRST, FIRST)


def test_anaphora_anchored_at_the_calendar_ends() -> None:
    text = "On 9999-12-31 the talks ended. The following day and three days later nothing happened."
    for span in find_times(text, "2025-01-31"):
        _check_span(span)
    text = "On 0001-01-01 the talks began. The previous day and a year earlier nothing happened."
    for span in find_times(text, "2025-01-31"):
        _check_span(span)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    published=st.dates(),  # the whole calendar, 0001-01-01 to 9999-12-31
    phrases=st.lists(st.sampled_from(RELATIVE), min_size=1, max_size=4),
)
@example(published=dt.date.min, phrases=RELATIVE)
@example(published=dt.date.max, phrases=RELATIVE)
def test_find_times_never_raises(published: dt.date, phrases: list[str]) -> None:
    text = " ".join(f"The army said {p} it would withdraw." for p in phrases)
    for span in find_times(text, published.isoformat()):
        _check_span(span)


# --- publication dates at the ends ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("0001-01-01", "0001-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("31.12.9999", "9999-12-31"),
        ("January 1, 0001", "0001-01-01"),
        ("9999-12-31T23:59:59+14:00", "9999-12-31"),
        ("10000-01-01", None),
        ("0000-01-01", None),
        ("0000-00-00", None),
        ("99999-12-31", None),
        ("-0001-01-01", None),
    ],
)
def test_publication_dates_at_the_ends(value: str, iso: str | None) -> None:
    parsed = parse_date(value)
    assert (parsed.iso if parsed else None) == iso
    found, problem = read_published(value)
    assert found == iso and (problem is None) == (iso is not None)
    if iso is None:
        with pytest.raises((ConfigError, InputError)):
            normalize_published_flag(value)
    else:
        assert normalize_published_flag(value) == iso


# --- the pipeline ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_pipeline_at_the_calendar_ends(extractor) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.ingest import read_text

    text = (
        "Army withdraws\n\n"
        "Last week the army said it would withdraw next year, officials told Reuters. "
        "Yesterday the minister said the troops would stay until tomorrow, and that a century ago "
        "the town was founded. The plan covers the next decade, a spokesman said."
    )
    for published in (FIRST, LAST):
        record = extractor.analyze(read_text(text, source="x", published=published))
        assert record.article.published == published
        spans = [t for claim in record.claims for t in claim.times]
        assert spans
        for span in spans:
            _check_span(span)
