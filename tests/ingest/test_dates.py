from __future__ import annotations

import pytest

from claimgraph.errors import ConfigError
from claimgraph.ingest.dates import normalize_published_flag, parse_date, read_published


@pytest.mark.parametrize(
    "value",
    [
        "2025.01.31",
        "2025-01-31",
        "2025/01/31",
        "31 January 2025",
        "31 Jan 2025",
        "31st of January, 2025",
        "Jan. 31, 2025",
        "Jan 31 2025",
        "January 31, 2025",
        "January 31st, 2025",
        "31.01.2025",
        "01/31/2025",
        "31/01/2025",
        "31-01-2025",
        "Friday, 31 January 2025",
        "Fri, 31 Jan 2025 10:00:00 GMT",
        "2025-01-31T08:15:00+00:00",
        "2025-01-31T08:15:00.123Z",
        "2025-01-31 08:15",
        "Published: January 31, 2025 at 10:30 a.m. EST",
        "Updated 31 Jan 2025, 14:05",
        "14:05, 31.01.2025",
        "31 января 2025 г.",
        "31 січня 2025 року",
    ],
)
def test_dates_parse_date_reads_common_forms(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None
    assert parsed.iso == "2025-01-31"
    assert parsed.problem is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [("03.04.2025", "2025-04-03"), ("05/05/2025", "2025-05-05"), ("01.31.2025", "2025-01-31")],
)
def test_dates_parse_date_dotted_is_day_first(value: str, iso: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None and parsed.iso == iso


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("31 February 2025", "is not a valid date"),
        ("2025.13.45", "is not a valid date"),
        ("32/01/2025", "is not a valid date"),
        ("03/04/2025", "is ambiguous"),
        ("03-04-2025", "is ambiguous"),
    ],
)
def test_dates_parse_date_reports_bad_dates(value: str, problem: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None
    assert parsed.iso is None
    assert parsed.problem is not None and parsed.problem.startswith(problem)


@pytest.mark.parametrize(
    "value",
    [
        "2025",
        "January 2025",
        "31.01.25",
        "North Korea 2025",
        "In 2025 the war went on.",
        "",
        "Mayday 5, 2025",
    ],
)
def test_dates_parse_date_ignores_what_is_not_a_date(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-31T08:15:00Z", ("2025-01-31", None)),
        ("yesterday", (None, "published value 'yesterday' is not a date")),
        ("31 February 2025", (None, "published value '31 February 2025' is not a valid date")),
    ],
)
def test_dates_read_published(value: str, expected: tuple[str | None, str | None]) -> None:
    assert read_published(value) == expected


@pytest.mark.parametrize("value", ["soon", "2025.02.30"])
def test_dates_published_flag_must_be_a_date(value: str) -> None:
    with pytest.raises(ConfigError, match="2025-01-31"):
        normalize_published_flag(value)
