"""The SVG charts: well-formed pictures that name themselves, with every value in a title, and
labels that never overlap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from web.dashboard.charts import (
    Row,
    Series,
    bars,
    hbars,
    heatmap,
    label_every,
    line,
    nice_ticks,
)
from web.dashboard.svg import WIDTH, text_width

SVG = "{http://www.w3.org/2000/svg}"
DAYS = ["lun 2/11", "mar 3/11", "mié 4/11"]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def marks(svg: ET.Element, kind: str, css: str) -> list[ET.Element]:
    return [e for e in svg.iter(f"{SVG}{kind}") if e.get("class") == css]


def titles(elements: list[ET.Element]) -> list[str]:
    return [e.findtext(f"{SVG}title") or "" for e in elements]


def texts(svg: ET.Element, css: str) -> list[ET.Element]:
    return marks(svg, "text", css)


def test_ticks_are_round_steps_from_zero_to_at_least_the_top() -> None:
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(17) == [0, 5, 10, 15, 20]
    assert nice_ticks(1_234_500) == [0, 500_000, 1_000_000, 1_500_000]


def test_stacked_bars_draw_a_bar_per_non_zero_value_each_titled_with_its_value() -> None:
    series = [
        Series("Atendidos", "#075e54", [3, 0, 5]),
        Series("No vinieron", "#b3261e", [1, 2, 0]),
    ]

    svg = parse(bars("turnos", "Turnos", "8 atendidos", DAYS, series, tip=lambda v: f"{v} turnos"))

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-turnos-title"  # its name; the desc describes it
    assert svg.get("aria-describedby") == "chart-turnos-desc"
    assert svg.findtext(f"{SVG}title") == "Turnos"
    assert svg.findtext(f"{SVG}desc") == "8 atendidos"
    assert titles(marks(svg, "rect", "bar")) == [
        "lun 2/11 · Atendidos: 3 turnos",
        "lun 2/11 · No vinieron: 1 turnos",
        "mar 3/11 · No vinieron: 2 turnos",
        "mié 4/11 · Atendidos: 5 turnos",
    ]
    assert [t.text for t in texts(svg, "legend")] == ["Atendidos", "No vinieron"]
    assert [t.text for t in texts(svg, "total")] == ["4", "2", "5"]  # each bar's total on top


def test_stacked_bars_sit_on_each_other_and_the_tallest_fits_the_axis() -> None:
    series = [Series("a", "#000000", [3]), Series("b", "#111111", [2])]

    svg = parse(bars("x", "t", "d", ["día"], series))

    lower, upper = marks(svg, "rect", "bar")
    assert float(upper.get("y", 0)) + float(upper.get("height", 0)) == pytest.approx(
        float(lower.get("y", 0))
    )
    assert [t.text for t in texts(svg, "tick")] == ["0", "2", "4", "6"]


def test_a_chart_of_zeros_draws_no_bars_and_divides_by_nothing() -> None:
    svg = parse(bars("x", "t", "d", DAYS, [Series("a", "#000000", [0, 0, 0])]))

    assert marks(svg, "rect", "bar") == []


def test_many_labels_are_thinned_so_that_none_overlaps_the_next() -> None:
    labels = [f"{day}/11" for day in range(1, 31)]

    svg = parse(bars("x", "t", "d", labels, [Series("a", "#000000", list(range(30)))]))

    shown = texts(svg, "label")
    assert 2 < len(shown) < 30
    spans = [
        (
            float(t.get("x", 0)) - text_width(t.text or "") / 2,
            float(t.get("x", 0)) + text_width(t.text or "") / 2,
        )
        for t in shown
    ]
    assert all(left >= 0 and right <= WIDTH for left, right in spans)
    assert all(a[1] < b[0] for a, b in pairwise(spans))


def test_label_every_shows_all_when_they_fit() -> None:
    assert label_every(["1", "2"], slot=50) == 1
    assert label_every(["septiembre", "octubre"], slot=20) > 1


def test_a_line_has_a_point_per_label_with_its_value_and_money_on_the_axis() -> None:
    series = [Series("Facturación", "#075e54", [1_200_000, 0, 3_600_000])]

    svg = parse(
        line(
            "plata",
            "Facturación",
            "d",
            DAYS,
            series,
            axis=lambda c: f"${c // 100:,}",
            tip=lambda c: f"$ {c // 100}",
        )
    )

    assert titles(marks(svg, "circle", "point")) == [
        "lun 2/11 · Facturación: $ 12000",
        "mar 3/11 · Facturación: $ 0",
        "mié 4/11 · Facturación: $ 36000",
    ]
    assert len(marks(svg, "path", "line")) == 1
    assert [t.text for t in texts(svg, "tick")][-1] == "$40,000"


def test_horizontal_bars_are_as_long_as_their_share_of_the_longest() -> None:
    rows = [Row("Corte", 30, "30 · $ 360.000"), Row("Barba", 15, "15"), Row("Color", 0, "0")]

    svg = parse(hbars("servicios", "Servicios", "d", rows, "#075e54"))

    widths = [float(b.get("width", 0)) for b in marks(svg, "rect", "bar")]
    assert widths == [WIDTH, WIDTH / 2, 0]
    assert [t.text for t in texts(svg, "value")] == ["30 · $ 360.000", "15", "0"]


def test_shares_are_drawn_against_a_whole_on_a_track_and_never_past_it() -> None:
    rows = [Row("Tincho", 500, "50 %"), Row("Facu", 1200, "120 %")]

    svg = parse(hbars("x", "t", "d", rows, "#075e54", full=1000))

    assert [float(b.get("width", 0)) for b in marks(svg, "rect", "bar")] == [WIDTH / 2, WIDTH]
    assert [float(t.get("width", 0)) for t in marks(svg, "rect", "track")] == [WIDTH, WIDTH]


def test_a_long_label_is_cut_short_of_its_value() -> None:
    rows = [Row("Clase de barbería grupal con todo incluido y algo más", 4, "4 · $ 1.200.000")]

    svg = parse(hbars("x", "t", "d", rows, "#075e54"))

    label = texts(svg, "label")[0].text or ""
    assert label.endswith("…")
    assert text_width(label) + text_width("4 · $ 1.200.000") <= WIDTH


def test_a_heatmap_has_a_cell_per_row_and_column_darker_the_busier() -> None:
    values = [[0, 1, 4], [2, 0, 0]]

    svg = parse(
        heatmap(
            "horas",
            "Horarios",
            "d",
            ["lun", "mar"],
            ["9", "10", "11"],
            values,
            color="#075e54",
            tip=lambda i, j, v: f"{['lun', 'mar'][i]} {9 + j} h: {v}",
            scale=("menos", "más"),
        )
    )

    cells = marks(svg, "rect", "cell")
    assert len(cells) == 6
    assert titles(cells)[2] == "lun 11 h: 4"
    assert cells[2].get("fill") == "#075e54"  # the busiest is the colour itself
    assert cells[0].get("fill") != cells[1].get("fill") != cells[2].get("fill")
    assert [t.text for t in texts(svg, "legend")] == ["menos", "más"]


def test_texts_are_escaped() -> None:
    rows = [Row("<script>alert(1)</script> & co", 1, "1")]

    markup = str(hbars("x", "<b>", "d", rows, "#075e54"))

    assert "<script>" not in markup
    assert "<b>" not in markup
    assert parse(markup).findtext(f"{SVG}title") == "<b>"


def test_bars_always_name_their_colours_and_a_single_line_needs_no_legend() -> None:
    one = [Series("Por venir", "#8cc7bf", [1, 0, 2])]

    assert [t.text for t in texts(parse(bars("b", "t", "d", DAYS, one)), "legend")] == ["Por venir"]
    assert texts(parse(line("l", "t", "d", DAYS, one)), "legend") == []
