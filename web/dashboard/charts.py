"""Charts as SVG pictures, drawn on the server: bars (stacked when there are several series),
lines, horizontal bars and a heatmap. Pure: numbers and texts in, markup out.

Every chart is drawn on a 360-unit-wide viewBox, about a phone's width, so its 11-unit text
reads at 11 px there and the picture scales with its box on a wider screen. It names itself
for screen readers (`role="img"`, a `<title>` and a `<desc>`), and each bar, point or cell
carries a `<title>` with its exact value (a tooltip on a desktop). Texts are escaped here;
formatting numbers and money is the caller's (babel), through the `axis` and `tip` functions.
Labels never overlap: an axis shows every n-th label when they would not fit side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from web.dashboard.svg import FONT, WIDTH, fit, picture, shade, text, text_width

PLOT_HEIGHT = 150
GRID = "#dde3e6"
EMPTY_CELL = "#eef1f2"


@dataclass(frozen=True)
class Series:
    """One named, coloured row of values (counts or centavos), one per label."""

    name: str
    color: str
    values: Sequence[int]


@dataclass(frozen=True)
class Row:
    """One horizontal bar: its label, value, and the text shown for the value."""

    label: str
    value: int
    text: str


def nice_ticks(top: int, count: int = 4) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `top`."""
    if top <= 0:
        return [0, 1]
    rough = top / count
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= rough)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def label_every(labels: Sequence[str], slot: float) -> int:
    """Show every n-th label so that none overlaps its neighbour (n >= 1)."""
    widest = max((text_width(label) for label in labels), default=0.0)
    return max(1, math.ceil((widest + 4) / slot)) if slot > 0 else 1


def bars(
    key: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    axis: Callable[[int], str] = str,
    tip: Callable[[int], str] = str,
    tips: Sequence[str] | None = None,
) -> Markup:
    """Vertical bars, one per label; several series stack, named in a legend. `tips` name each
    bar in full."""
    frame = _Frame(labels, series, axis, stacked=True)
    marks: list[str] = []
    for i in range(len(labels)):
        x, base = frame.x(i) - frame.bar / 2, 0
        for s in series:
            value = s.values[i]
            if value:
                y0, y1 = frame.y(base), frame.y(base + value)
                name = (tips or labels)[i]
                marks.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y1:.1f}" width="{frame.bar:.1f}" '
                    f'height="{y0 - y1:.1f}" fill="{s.color}">'
                    f"<title>{escape(name)} · {escape(s.name)}: {escape(tip(value))}</title></rect>"
                )
            base += value
        if base and text_width(axis(base)) <= frame.slot:
            marks.append(text(frame.x(i), frame.y(base) - 3, axis(base), "middle", "total"))
    return picture(key, title, desc, frame.height, [*frame.furniture(series), *marks])


def line(
    key: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    axis: Callable[[int], str] = str,
    tip: Callable[[int], str] = str,
    tips: Sequence[str] | None = None,
) -> Markup:
    """A line per series through one point per label, the area under the first one shaded."""
    frame = _Frame(labels, series, axis, stacked=False)
    marks: list[str] = []
    for n, s in enumerate(series):
        points = [(frame.x(i), frame.y(v)) for i, v in enumerate(s.values)]
        path = " L ".join(f"{x:.1f} {y:.1f}" for x, y in points)
        if n == 0 and len(points) > 1:
            area = f"M {points[0][0]:.1f} {frame.y(0):.1f} L {path} L {points[-1][0]:.1f} "
            marks.append(
                f'<path class="area" d="{area}{frame.y(0):.1f} Z" fill="{s.color}" '
                'fill-opacity="0.12"/>'
            )
        marks.append(
            f'<path class="line" d="M {path}" fill="none" stroke="{s.color}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
        for i, (x, y) in enumerate(points):
            name = (tips or labels)[i]
            marks.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.color}">'
                f"<title>{escape(name)} · {escape(s.name)}: {escape(tip(s.values[i]))}</title>"
                "</circle>"
            )
    return picture(key, title, desc, frame.height, [*frame.furniture(series), *marks])


def hbars(
    key: str, title: str, desc: str, rows: Sequence[Row], color: str, full: int | None = None
) -> Markup:
    """One bar per row, in the order given: the label and value above, the bar below. A bar
    across the whole width is the longest row's, or `full` when given (a share's 100 %: then
    each bar runs on a light track, and one above it stops at the end)."""
    top = full or max((r.value for r in rows), default=0) or 1
    marks, y = [], 0.0
    for row in rows:
        room = WIDTH - text_width(row.text) - 8
        marks.append(text(0, y + FONT, fit(row.label, room), "start", "label"))
        marks.append(text(WIDTH, y + FONT, row.text, "end", "value"))
        if full:
            marks.append(
                f'<rect class="track" x="0" y="{y + FONT + 4:.1f}" width="{WIDTH}" height="12" '
                f'rx="2" fill="{GRID}"/>'
            )
        width = max(min(row.value / top, 1.0) * WIDTH, 2.0 if row.value else 0.0)
        marks.append(
            f'<rect class="bar" x="0" y="{y + FONT + 4:.1f}" width="{width:.1f}" height="12" '
            f'rx="2" fill="{color}"><title>{escape(row.label)}: {escape(row.text)}</title></rect>'
        )
        y += FONT + 4 + 12 + 10
    return picture(key, title, desc, max(y - 6, 10), marks)


def heatmap(
    key: str,
    title: str,
    desc: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    color: str,
    tip: Callable[[int, int, int], str],
    scale: tuple[str, str],
) -> Markup:
    """A grid of cells (rows × columns), darker the higher the value; `tip(row, column,
    value)` names a cell; `scale` is the legend's (low, high) words."""
    left = max((text_width(r) for r in rows), default=0.0) + 6
    cell_w = (WIDTH - left) / max(len(columns), 1)
    cell_h, top = 22.0, FONT + 6
    every = label_every(columns, cell_w)
    peak = max((v for row in values for v in row), default=0) or 1
    marks = [
        text(left + (j + 0.5) * cell_w, FONT, c, "middle", "column")
        for j, c in enumerate(columns)
        if j % every == 0
    ]
    for i, name in enumerate(rows):
        y = top + i * cell_h
        marks.append(text(0, y + cell_h / 2 + FONT * 0.35, name, "start", "row"))
        for j, value in enumerate(values[i]):
            fill = shade(color, value / peak) if value else EMPTY_CELL
            marks.append(
                f'<rect class="cell" x="{left + j * cell_w + 1:.1f}" y="{y + 1:.1f}" '
                f'width="{cell_w - 2:.1f}" height="{cell_h - 2:.1f}" rx="2" fill="{fill}">'
                f"<title>{escape(tip(i, j, value))}</title></rect>"
            )
    legend_y = top + len(rows) * cell_h + 8
    marks.extend(_scale(color, legend_y, scale))
    return picture(key, title, desc, legend_y + 14, marks)


class _Frame:
    """The axes of a vertical chart: legend on top, y ticks on the left, labels below."""

    def __init__(
        self,
        labels: Sequence[str],
        series: Sequence[Series],
        axis: Callable[[int], str],
        *,
        stacked: bool,
    ) -> None:
        sums = [sum(s.values[i] for s in series) for i in range(len(labels))]
        peaks = [max(s.values, default=0) for s in series]
        self.ticks = nice_ticks(max(sums if stacked else peaks, default=0))
        self.labels, self.axis = labels, axis
        # Bars are coloured by series: always named. One line needs no legend (the title).
        self.legend, legend_height = _legend(series) if stacked or len(series) > 1 else ([], 0.0)
        self.left = max(text_width(axis(t)) for t in self.ticks) + 6
        self.top = legend_height + FONT + 4  # room for a total above the tallest bar
        self.slot = (WIDTH - self.left - 4) / max(len(labels), 1)
        self.bar = max(self.slot * 0.7, 1.0)
        self.height = self.top + PLOT_HEIGHT + FONT + 8

    def x(self, i: int) -> float:
        return self.left + (i + 0.5) * self.slot

    def y(self, value: float) -> float:
        return self.top + PLOT_HEIGHT * (1 - value / self.ticks[-1])

    def furniture(self, series: Sequence[Series]) -> list[str]:
        """The legend, the grid lines with their values, and the labels under the bars."""
        parts = list(self.legend)
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                f'<line x1="{self.left:.1f}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
            parts.append(text(self.left - 4, y + FONT * 0.35, self.axis(tick), "end", "tick"))
        every = label_every(self.labels, self.slot)
        baseline = self.top + PLOT_HEIGHT + FONT + 4
        for i, label in enumerate(self.labels):
            if i % every == 0:
                half = text_width(label) / 2
                x = min(max(self.x(i), half), WIDTH - half)
                parts.append(text(x, baseline, label, "middle", "label"))
        return parts


def _legend(series: Sequence[Series]) -> tuple[list[str], float]:
    """A swatch and name per series, wrapped into rows across the width; and its height."""
    parts, x, y = [], 0.0, 0.0
    for s in series:
        width = 14 + text_width(s.name) + 12
        if x and x + width > WIDTH:
            x, y = 0.0, y + FONT + 7
        parts.append(
            f'<rect class="swatch" x="{x:.1f}" y="{y + 1:.1f}" width="10" height="10" '
            f'rx="2" fill="{s.color}"/>'
        )
        parts.append(text(x + 14, y + FONT - 1, s.name, "start", "legend"))
        x += width
    return parts, y + FONT + 7


def _scale(color: str, y: float, words: tuple[str, str]) -> list[str]:
    """The heatmap's legend: low word, five swatches from light to dark, high word."""
    low, high = words
    x = text_width(low) + 8
    parts = [text(0, y + 9, low, "start", "legend")]
    for n in range(5):
        parts.append(
            f'<rect x="{x + n * 14:.1f}" y="{y}" width="12" height="10" rx="2" '
            f'fill="{shade(color, (n + 1) / 5)}"/>'
        )
    parts.append(text(x + 5 * 14 + 4, y + 9, high, "start", "legend"))
    return parts
