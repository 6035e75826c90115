"""The chart's layout: dates to x, values to y, ticks, hollow approximate and derived points."""

from __future__ import annotations

from datetime import date
from typing import Any

from claimgraph.interfaces.web.chart import format_value, layout, nice_step, parse_date


def point(d: str, value: float | None, **kw: Any) -> dict[str, Any]:
    return {
        "date": d,
        "value": value,
        "approximate": False,
        "text": str(value),
        "claim": f"claim:{d}",
        "claim_text": f"text of {d}",
        "article": "sha256:abc",
        "derived": None,
        **kw,
    }


def test_parse_date() -> None:
    assert parse_date("2024-11") == date(2024, 11, 1)
    assert parse_date("2025-01-31") == date(2025, 1, 31)
    assert parse_date("2024") == date(2024, 1, 1)
    assert parse_date("2025-01-31T10:00") == date(2025, 1, 31)
    assert parse_date("P2W") is None and parse_date("") is None and parse_date("2024-13") is None


def test_format_and_step() -> None:
    assert format_value(12000.0) == "12,000"
    assert format_value(0.25) == "0.25"
    assert format_value(5500.5) == "5,500.5"
    assert nice_step(12000) == 5000
    assert nice_step(10000) == 2000
    assert nice_step(0.6) == 0.2
    assert nice_step(0) == 1.0


def test_layout_scales_points() -> None:
    series = {
        "unit": "persons",
        "points": [
            point("2024-11", 12000.0),
            point("2024-11", 11000.0, approximate=True),
            point("2025-01-31", 5500.0, approximate=True, derived="halved (of about 11,000)"),
            point("2025-02", None),  # no value: left out
            point("someday", 3.0),  # no date: left out
        ],
    }
    c = layout(series)
    assert c.unit == "persons"
    assert len(c.points) == 3
    a, b, derived = c.points
    assert a.x == b.x < derived.x  # one month, one x
    assert a.y < b.y < derived.y  # bigger values higher up (smaller y)
    assert not a.hollow and b.hollow and derived.hollow
    assert derived.value_text == "≈5,500"
    assert "halved" in derived.label and "2025-01-31" in derived.label
    for p in c.points:
        assert c.left <= p.x <= c.right and c.top <= p.y <= c.bottom
    # y ticks start at zero, rise evenly and reach above the biggest value
    values = [label for _, label in c.y_ticks]
    assert values[0] == "0" and values[-1] in {"14,000", "15,000", "16,000"}
    ys = [y for y, _ in c.y_ticks]
    assert ys == sorted(ys, reverse=True)
    labels = [label for _, label in c.x_ticks]
    assert "Nov 2024" in labels and "Jan 2025" in labels


def test_one_point_and_none() -> None:
    c = layout({"unit": "share", "points": [point("2025-01-31", 0.5)]})
    assert len(c.points) == 1 and c.left < c.points[0].x < c.right
    assert [label for _, label in c.y_ticks][-1] in {"0.6", "0.7"}
    empty = layout({"unit": "x", "points": []})
    assert empty.points == [] and empty.x_ticks == []


def test_long_span_has_yearly_ticks() -> None:
    c = layout({"unit": "x", "points": [point("2010", 1.0), point("2020-06", 2.0)]})
    labels = [label for _, label in c.x_ticks]
    assert labels and all(label.startswith("Jan ") for label in labels)
