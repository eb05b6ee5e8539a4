"""Geometry of the bulletin's inline SVG charts, computed here so templates only loop and print."""

from __future__ import annotations

from dataclasses import dataclass


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _n(value: float) -> str:
    """A coordinate as SVG text: one decimal at most."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    axis_x: str
    axis_top: str
    axis_bottom: str


def bar_chart(
    title: str,
    pairs: list[tuple[str, int]],
    *,
    width: int = 640,
    label_width: int = 230,
    bar_height: int = 22,
    gap: int = 8,
    label_chars: int = 14,
) -> BarChart:
    """Horizontal bars, one per (label, value), longest value at full width."""
    top, bottom = 6, 6
    room = width - label_width - 48
    biggest = max((value for _, value in pairs), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(pairs):
        y = top + i * (bar_height + gap)
        length = room * value / biggest
        bars.append(
            Bar(
                _short(label, label_chars),
                label,
                value,
                _n(label_width),
                _n(y),
                _n(max(length, 1 if value else 0)),
                _n(bar_height),
                _n(label_width - 8),
                _n(y + bar_height * 0.72),
                _n(label_width + length + 6),
            )
        )
    height = top + len(pairs) * (bar_height + gap) + bottom
    return BarChart(title, width, height, tuple(bars), _n(label_width), _n(top - 2), _n(height - bottom + 2))


@dataclass(frozen=True)
class Column:
    quarter: str
    value_text: str  # the findings count, or — when no run stands for the quarter
    note: str  # the score (or 不合格 / 未检查) printed under the quarter
    x: str
    y: str
    width: str
    height: str
    center: str
    value_y: str


@dataclass(frozen=True)
class TrendChart:
    title: str
    width: int
    height: int
    columns: tuple[Column, ...]
    baseline: str
    quarter_y: str
    note_y: str


def trend_chart(
    title: str, points: list[tuple[str, int | None, str]], *, width: int = 640, plot_height: int = 150
) -> TrendChart:
    """Vertical bars of the findings count per quarter (None: no run that quarter)."""
    top = 22
    slot = width / max(len(points), 1)
    biggest = max((value or 0 for _, value, _ in points), default=0) or 1
    baseline = top + plot_height
    columns = []
    for i, (quarter, value, note) in enumerate(points):
        bar_width = slot * 0.45
        height = plot_height * (value or 0) / biggest
        x = i * slot + (slot - bar_width) / 2
        columns.append(
            Column(
                quarter,
                "—" if value is None else str(value),
                note,
                _n(x),
                _n(baseline - height),
                _n(bar_width),
                _n(height),
                _n(i * slot + slot / 2),
                _n(baseline - height - 6),
            )
        )
    return TrendChart(
        title, width, int(baseline + 44), tuple(columns), _n(baseline), _n(baseline + 18), _n(baseline + 36)
    )
