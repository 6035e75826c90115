"""The read side's pure parts: the numbers reported about an identity, as series to chart."""

from __future__ import annotations

from typing import Any

from claimgraph.query import chart_series


def entry(
    claim: str, article: str, published: str, values: list[dict[str, Any]], about: str | None = None
) -> dict:
    return {
        "published": published,
        "about": [{"text": "then", "value": about}] if about else [],
        "claim": claim,
        "text": f"text of {claim}",
        "values": values,
        "article": {"id": article, "title": None, "outlet": None},
    }


def q(text: str, value: float | None, unit: str | None = "persons", change: float | None = None) -> dict:
    return {"text": text, "value": value, "low": None, "high": None, "approximate": text.startswith("about"),
            "unit": unit, "counted": "troops", "change": change}  # fmt: skip


def test_chart_series_places_values_at_the_time_they_are_about() -> None:
    series = chart_series(
        [
            entry("c1", "a1", "2025-01-31", [q("about 11,000", 11000.0)], about="2024-11"),
            entry("c2", "a2", "2025-02-03", [q("12,000", 12000.0)]),
            entry("c3", "a1", "2025-01-31", [q("about half", 0.5, unit="share")]),
        ]
    )
    assert [s["unit"] for s in series] == ["persons", "share"]  # the biggest series first
    persons = series[0]["points"]
    assert [(p["date"], p["value"], p["approximate"]) for p in persons] == [
        ("2024-11", 11000.0, True),
        ("2025-02-03", 12000.0, False),
    ]
    assert persons[0]["claim"] == "c1" and persons[0]["article"] == "a1"


def test_chart_series_applies_a_change_to_the_value_it_changes() -> None:
    series = chart_series(
        [
            entry("seoul", "a2", "2025-01-10", [q("12,000", 12000.0)], about="2024-11"),
            entry("base", "a1", "2025-01-31", [q("about 11,000", 11000.0)], about="2024-11"),
            entry("halved", "a1", "2025-01-31", [q("halved", None, unit=None, change=0.5)]),
            entry("early", "a3", "2024-01-01", [q("doubled", None, unit=None, change=2.0)]),
        ]
    )
    points = {p["claim"]: p for p in series[0]["points"]}
    # from the same article's value where it has one (≈11,000), not the latest (12,000)
    assert points["halved"]["value"] == 5500.0 and points["halved"]["derived"] == "halved (of about 11,000)"
    assert points["halved"]["approximate"] is True
    assert "early" not in points  # nothing earlier to change: no point made up


def test_chart_series_of_nothing_is_empty() -> None:
    assert chart_series([]) == []
    assert chart_series([entry("c", "a", "2025-01-01", [q("halved", None, unit=None, change=0.5)])]) == []
