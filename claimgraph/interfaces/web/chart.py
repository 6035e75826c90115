"""The numbers reported about an identity over time, laid out for an SVG chart.

Pure: one series of ``query.chart_series`` (``{"unit", "points"}``) in, axes and scaled
points out. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a month stands at its first day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

WIDTH = 640
HEIGHT = 300
LEFT = 72
RIGHT = 24
TOP = 20
BOTTOM = 48
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_date(value: str) -> date | None:
    """``2024``, ``2024-11`` or ``2024-11-05`` (anything after the day is ignored); None otherwise."""
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def format_value(value: float) -> str:
    """12000.0 -> "12,000"; 5.25 -> "5.25"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts ``span`` into about ``ticks`` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float
    label: str  # "≈5,500 (halved (of 12,000)), 2025-01-31: the claim's text"
    date: str
    hollow: bool  # approximate or derived
    article: str
    claim: str
    text: str | None
    claim_text: str
    derived: str | None
    approximate: bool

    @property
    def value_text(self) -> str:
        return ("≈" if self.approximate else "") + format_value(self.value)


@dataclass(frozen=True)
class Chart:
    unit: str
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge (the x axis)
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    points: list[ChartPoint]


def _month_ticks(lo: date, hi: date) -> list[date]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    if months > 48:
        return [date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)]
    step = max(1, math.ceil((months + 1) / 8))
    out: list[date] = []
    y, m = lo.year, lo.month
    if lo.day > 1:
        m += 1
    while True:
        if m > 12:
            y, m = y + 1, m - 12
        d = date(y, m, 1)
        if d > hi:
            return out
        if (y * 12 + m - 1) % step == 0:
            out.append(d)
        m += 1


def layout(series: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Scale a series' points into the plot and choose the ticks of both axes."""
    dated = []
    for p in series.get("points", []):
        d = parse_date(str(p.get("date") or ""))
        if d is not None and p.get("value") is not None:
            dated.append((d, p))
    right, bottom = width - RIGHT, height - BOTTOM
    if not dated:
        return Chart(str(series.get("unit") or ""), width, height, LEFT, right, TOP, bottom, [], [], [])
    days = [d.toordinal() for d, _ in dated]
    lo, hi = min(days), max(days)
    pad = max(15, (hi - lo) // 10)
    lo, hi = lo - pad, hi + pad
    vmax = max(float(p["value"]) for _, p in dated)
    vmin = min(0.0, min(float(p["value"]) for _, p in dated))
    step = nice_step(vmax - vmin if vmax > vmin else abs(vmax) or 1.0)
    top_v = math.ceil(vmax / step) * step if vmax > 0 else step
    if top_v <= vmax * 1.02 and vmax > 0:
        top_v += step
    low_v = math.floor(vmin / step) * step

    def sx(day: float) -> float:
        return round(LEFT + (day - lo) / (hi - lo) * (right - LEFT), 1)

    def sy(value: float) -> float:
        return round(bottom - (value - low_v) / (top_v - low_v) * (bottom - TOP), 1)

    count = round((top_v - low_v) / step)
    y_ticks = [(sy(low_v + i * step), format_value(round(low_v + i * step, 10))) for i in range(count + 1)]
    ticks = _month_ticks(date.fromordinal(lo), date.fromordinal(hi))
    x_ticks = [
        (
            sx(d.toordinal()),
            f"{MONTHS[d.month - 1]} {d.year}" if d.month == 1 or i == 0 else MONTHS[d.month - 1],
        )
        for i, d in enumerate(ticks)
    ]
    points = []
    for d, p in sorted(dated, key=lambda dp: (dp[0], str(dp[1].get("claim")))):
        value = float(p["value"])
        approximate = bool(p.get("approximate"))
        derived = p.get("derived")
        shown = ("≈" if approximate else "") + format_value(value)
        how = f" ({derived})" if derived else ""
        points.append(
            ChartPoint(
                x=sx(d.toordinal()),
                y=sy(value),
                value=value,
                label=f"{shown}{how}, {p['date']}: {p.get('claim_text') or ''}",
                date=str(p["date"]),
                hollow=approximate or bool(derived),
                article=str(p.get("article") or ""),
                claim=str(p.get("claim") or ""),
                text=p.get("text"),
                claim_text=str(p.get("claim_text") or ""),
                derived=derived,
                approximate=approximate,
            )
        )
    return Chart(
        str(series.get("unit") or ""), width, height, LEFT, right, TOP, bottom, x_ticks, y_ticks, points
    )
