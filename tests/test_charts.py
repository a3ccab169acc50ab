"""Server-rendered SVG charts (careerpath/charts.py, careerpath/templatetags/charts.py): what
they draw, that they stand on their own for accessibility, and that they keep to the page's
Content-Security-Policy (no inline styles)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from careerpath import charts
from careerpath.charts import Bar, Cell, bar_chart, heat_map

SVG = "{http://www.w3.org/2000/svg}"

SKILLS = [
    Bar("Operational leadership and management", 64, "64%", emphasis=True),
    Bar("Data analysis", 41, "41%"),
    Bar("Policy", None, "not shown"),
    Bar("Stakeholder management", 5, "5%"),
    Bar("Digital", 0, "0%"),
]


def a_bar_chart(**overrides):
    arguments = {
        "chart_id": "below",
        "title": "Ratings below expected, by skill",
        "summary": "Operational leadership and management has the most: 64%.",
        "bars": SKILLS,
    }
    return bar_chart(**(arguments | overrides))


ROWS = ["Operational leadership and management", "Data analysis"]
COLUMNS = ["DWP", "HMRC", "MoJ"]
VALUES = [[64, 0, None], [20, 100, 39.5]]


def a_heat_map(**overrides):
    cells = {
        (r, c): Cell(value, "not shown" if value is None else f"{value}%")
        for r, row in enumerate(VALUES)
        for c, value in enumerate(row)
    }
    arguments = {
        "chart_id": "by-department",
        "title": "Ratings below expected, by skill and department",
        "summary": "DWP has the most in operational leadership and management.",
        "rows": ROWS,
        "columns": COLUMNS,
        "cells": cells,
    }
    return heat_map(**(arguments | overrides))


def render(tag, chart):
    return Template("{% load charts %}{% " + tag + " chart %}").render(Context({"chart": chart}))


def parse(html):
    return ET.fromstring(html.strip())  # noqa: S314 (our own templates' output)


def shown(element):
    """The text an element draws: its own and its children's, but not a <title> tooltip."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != f"{SVG}title":
            parts.append(shown(child))
        parts.append(child.tail or "")
    return "".join(parts)


def texts(svg):
    return [" ".join(shown(t).split()) for t in svg.iter(f"{SVG}text")]


def with_class(svg, name, tag="*"):
    return [e for e in svg.iter(f"{SVG}{tag}") if name in e.get("class", "").split()]


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- Both charts ----------------------------------------------------------------------------


@pytest.fixture(params=["bar_chart", "heat_map"])
def drawn(request):
    chart = a_bar_chart() if request.param == "bar_chart" else a_heat_map()
    html = render(request.param, chart)
    return chart, html, parse(html)


def test_the_chart_is_one_image_named_by_its_title_and_described_by_its_summary(drawn):
    chart, _, svg = drawn
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("focusable") == "false"
    assert "app-chart" in svg.get("class").split()
    title_id, desc_id = svg.get("aria-labelledby").split()
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, chart.title)
    assert (desc.get("id"), desc.text) == (desc_id, chart.summary)


def test_the_chart_scales_by_its_view_box_alone(drawn):
    chart, _, svg = drawn
    assert svg.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    # A width or height attribute would fix its size; the Sass sizes it to its container.
    assert svg.get("width") is None
    assert svg.get("height") is None


def test_nothing_needs_an_inline_style_or_script(drawn):
    _, html, svg = drawn
    assert "style=" not in html
    assert not any(e.get("style") is not None for e in svg.iter())
    assert not list(svg.iter(f"{SVG}style"))
    assert not list(svg.iter(f"{SVG}script"))
    assert not any(name.startswith("on") for e in svg.iter() for name in e.attrib)


def test_text_stays_inside_the_view_box(drawn):
    chart, _, svg = drawn
    for tag in ("text", "tspan"):
        for element in svg.iter(f"{SVG}{tag}"):
            if element.get("x") is not None:
                assert 0 <= float(element.get("x")) <= chart.width
                assert 0 < float(element.get("y")) <= chart.height


def test_numbers_are_written_for_svg_whatever_the_language():
    # German writes 254,72: SVG would read that as two numbers.
    with translation.override("de"):
        html = render("bar_chart", a_bar_chart()) + render("heat_map", a_heat_map())
    numbers = re.findall(r' (?:x|y|width|height|x1|y1|x2|y2)="([^"]*)"', html)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers


def test_two_charts_on_a_page_have_no_id_in_common():
    page = parse(
        "<div>"
        + render("bar_chart", a_bar_chart(chart_id="one"))
        + render("bar_chart", a_bar_chart(chart_id="two"))
        + render("heat_map", a_heat_map(chart_id="three"))
        + "</div>"
    )
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    assert len(ids) == 7  # title and desc each, and the heat map's hatching
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("chart_id", ["", "1st", "has space", 'quote"', "a.b"])
@pytest.mark.parametrize("make", [a_bar_chart, a_heat_map])
def test_a_chart_id_that_cannot_prefix_an_id_is_refused(make, chart_id):
    with pytest.raises(ValueError, match="chart_id"):
        make(chart_id=chart_id)


@pytest.mark.parametrize(("tag", "make"), [("bar_chart", a_heat_map), ("heat_map", a_bar_chart)])
def test_a_tag_given_the_wrong_chart_says_so(tag, make):
    with pytest.raises(TypeError, match=r"expected an careerpath\.charts\."):
        render(tag, make())


def test_a_tag_given_nothing_says_so():
    with pytest.raises(TypeError, match="BarChart"):
        Template("{% load charts %}{% bar_chart missing %}").render(Context({}))


def test_names_with_ampersands_brackets_and_quotes_are_escaped():
    awkward = "Policy & <legislation> \"law\" 'rules'"
    bar_html = render(
        "bar_chart",
        a_bar_chart(title=awkward, summary=awkward, bars=[Bar(awkward, 50, "50% & <more>")]),
    )
    cells = {(0, 0): Cell(1, awkward)}
    heat_html = render(
        "heat_map",
        a_heat_map(title=awkward, summary=awkward, rows=[awkward], columns=["A&B"], cells=cells),
    )
    for html in (bar_html, heat_html):
        assert "<legislation>" not in html
        assert "&amp;" in html
        assert "&lt;legislation&gt;" in html
        svg = parse(html)  # raw & or < would not parse
        assert svg.find(f"{SVG}title").text == awkward
        assert svg.find(f"{SVG}desc").text == awkward
    assert "50% & <more>" in texts(parse(bar_html))
    heat = parse(heat_html)
    assert "A&B" in texts(heat)
    assert awkward in [t.text for t in heat.iter(f"{SVG}title")][1:]  # the row label's


# --- Bar chart ------------------------------------------------------------------------------


def items(svg):
    return with_class(svg, "app-chart__item", "g")


def label_of(item):
    return texts(with_class(item, "app-chart__label", "text")[0])[0]


def bar_of(item):
    bars = with_class(item, "app-chart__bar", "rect")
    assert len(bars) <= 1
    return bars[0] if bars else None


def test_every_value_is_printed_as_text():
    svg = parse(render("bar_chart", a_bar_chart()))
    values = [texts(with_class(item, "app-chart__value", "text")[0])[0] for item in items(svg)]
    assert values == [bar.display for bar in SKILLS]


def test_bars_are_drawn_in_the_order_given_each_under_its_label():
    svg = parse(render("bar_chart", a_bar_chart()))
    labels = [label_of(item).removesuffix(" (priority)") for item in items(svg)]
    assert labels == [bar.label for bar in SKILLS]
    tops = []
    for item in items(svg):
        label_y = max(float(t.get("y")) for t in item.iter(f"{SVG}tspan"))
        value_y = float(with_class(item, "app-chart__value", "text")[0].get("y"))
        assert value_y > label_y  # the label is above its bar
        tops.append(label_y)
    assert tops == sorted(tops)


def test_bar_lengths_are_proportional_to_their_values():
    bars = [Bar("a", 100, "100%"), Bar("b", 50, "50%"), Bar("c", 12.5, "12.5%")]
    svg = parse(render("bar_chart", a_bar_chart(bars=bars)))
    widths = [float(bar_of(item).get("width")) for item in items(svg)]
    full = charts.BAR_WIDTH - charts.BAR_X - 1
    assert widths == pytest.approx([full, full / 2, full / 8], abs=0.01)


def test_max_value_sets_the_scale_and_anything_above_it_is_drawn_full_length():
    bars = [Bar("a", 30, "30"), Bar("b", 15, "15"), Bar("c", 45, "45 (more than the scale)")]
    chart = a_bar_chart(bars=bars, max_value=30)
    widths = [row.bar.width for row in chart.rows]
    assert widths[0] == widths[2] == pytest.approx(2 * widths[1])
    assert "45 (more than the scale)" in texts(parse(render("bar_chart", chart)))


def test_a_value_not_shown_draws_no_bar_only_its_text():
    svg = parse(render("bar_chart", a_bar_chart()))
    policy = next(item for item in items(svg) if label_of(item) == "Policy")
    assert bar_of(policy) is None
    assert not list(policy.iter(f"{SVG}line"))
    assert texts(policy) == ["Policy", "not shown"]
    others = [item for item in items(svg) if item is not policy]
    assert all(bar_of(item) is not None for item in others)


def test_priority_skills_are_marked_in_words_and_bold_not_by_colour():
    svg = parse(render("bar_chart", a_bar_chart()))
    first, second = items(svg)[:2]
    first_label = with_class(first, "app-chart__label", "text")[0]
    assert label_of(first) == "Operational leadership and management (priority)"
    assert first_label.get("font-weight") == "bold"
    second_label = with_class(second, "app-chart__label", "text")[0]
    assert "(priority)" not in label_of(second)
    assert second_label.get("font-weight") is None
    assert {bar_of(first).get("fill")} == {bar_of(item).get("fill") for item in items(svg)[1:2]}


def test_a_value_sits_inside_a_long_bar_and_just_after_a_short_one():
    chart = a_bar_chart(bars=[Bar("long", 90, "90%"), Bar("short", 3, "3%")])
    long, short = chart.rows
    assert long.value_inside
    assert long.value.x < long.bar.x + long.bar.width
    assert long.value_anchor == "end"
    assert not short.value_inside
    assert short.value.x > short.bar.x + short.bar.width
    assert short.value_anchor == "start"
    assert (long.value_colour, short.value_colour) == (charts.WHITE, charts.BLACK)


def test_long_labels_wrap_onto_lines_that_fit_the_chart():
    name = "Commercial awareness and understanding of the public sector's procurement rules"
    chart = a_bar_chart(bars=[Bar(name, 10, "10%", emphasis=True)])
    lines = chart.rows[0].label_lines
    assert len(lines) > 1
    assert " ".join(line.text for line in lines) == f"{name} (priority)"
    for line in lines:
        assert charts.text_width(line.text, charts.BAR_FONT_SIZE, bold=True) <= chart.width
    assert [line.y for line in lines] == sorted(line.y for line in lines)
    assert chart.rows[0].bar.y > lines[-1].y


def test_bar_colours_meet_wcag_contrast():
    assert contrast(charts.BAR_FILL, charts.WHITE) >= 3  # the bar against the page
    assert contrast(charts.VALUE_INSIDE_COLOUR, charts.BAR_FILL) >= 4.5
    assert contrast(charts.TEXT_COLOUR, charts.WHITE) >= 4.5
    assert contrast(charts.BAR_OUTLINE, charts.WHITE) >= 3


@pytest.mark.parametrize("value", [-1, float("nan")])
def test_a_negative_or_missing_number_is_refused(value):
    with pytest.raises(ValueError, match="zero or more"):
        a_bar_chart(bars=[Bar("a", value, "?")])


def test_a_scale_of_zero_is_refused():
    with pytest.raises(ValueError, match="max_value"):
        a_bar_chart(max_value=0)


# --- Heat map -------------------------------------------------------------------------------


def cells_of(svg):
    return with_class(svg, "app-chart__cell", "rect")


def test_every_cell_prints_its_figure():
    svg = parse(render("heat_map", a_heat_map()))
    values = [texts(t)[0] for t in with_class(svg, "app-chart__value", "text")]
    assert values == ["64%", "0%", "not shown", "20%", "100%", "39.5%"]


def test_rows_are_labelled_on_the_left_and_columns_across_the_top():
    chart = a_heat_map()
    assert [c.label for c in chart.columns] == COLUMNS
    assert [r.label for r in chart.rows] == ROWS
    grid_left = chart.rows[0].cells[0].rect.x
    grid_top = chart.rows[0].cells[0].rect.y
    for row in chart.rows:
        assert all(line.x < grid_left for line in row.label_lines)
        assert [cell.rect.x for cell in row.cells] == sorted(cell.rect.x for cell in row.cells)
    for column, cell in zip(chart.columns, chart.rows[0].cells, strict=True):
        assert all(line.y < grid_top for line in column.lines)
        assert column.lines[0].x == pytest.approx(cell.rect.x + cell.rect.width / 2, abs=0.01)


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, 0), (19.99, 0), (20, 1), (39.5, 1), (40, 2), (60, 3), (79.99, 3), (80, 4), (100, 4)],
)
def test_values_on_a_boundary_fall_in_the_band_above(value, band):
    assert charts.band_index(value) == band
    chart = a_heat_map(rows=["a"], columns=["b"], cells={(0, 0): Cell(value, f"{value}%")})
    cell = chart.rows[0].cells[0]
    assert cell.band.index == band
    drawn = cells_of(parse(render("heat_map", chart)))[0]
    assert drawn.get("fill") == charts.BAND_COLOURS[band][0]


def test_bands_follow_max_value():
    assert charts.band_index(5, max_value=10) == 2
    assert charts.band_index(10, max_value=10) == 4
    assert [b.label for b in charts.bands(10, unit="")] == [
        "0 to under 2",
        "2 to under 4",
        "4 to under 6",
        "6 to under 8",
        "8 to 10",
    ]


def test_bands_go_from_light_to_dark_in_one_hue():
    fills = [fill for fill, _ in charts.BAND_COLOURS]
    assert len(fills) == 5
    assert [luminance(f) for f in fills] == sorted((luminance(f) for f in fills), reverse=True)


@pytest.mark.parametrize("band", charts.bands(), ids=lambda band: band.label)
def test_each_band_s_text_meets_wcag_contrast_on_its_fill(band):
    assert contrast(band.text_colour, band.fill) >= 4.5


def test_text_on_hatched_cells_meets_wcag_contrast():
    assert contrast(charts.TEXT_COLOUR, charts.WHITE) >= 4.5
    assert contrast(charts.TEXT_COLOUR, charts.HEAT_HATCH_LINE) >= 4.5


def test_each_cell_s_text_is_drawn_in_its_band_s_text_colour():
    svg = parse(render("heat_map", a_heat_map()))
    rects, values = cells_of(svg), with_class(svg, "app-chart__value", "text")
    colours = dict(charts.BAND_COLOURS)
    for rect, value in zip(rects, values, strict=True):
        if rect.get("fill").startswith("url("):
            assert value.get("fill") == charts.TEXT_COLOUR
        else:
            assert value.get("fill") == colours[rect.get("fill")]


def test_a_cell_with_no_figure_is_hatched_and_says_why():
    html = render("heat_map", a_heat_map())
    svg = parse(html)
    hatched = [r for r in cells_of(svg) if "app-chart__cell--missing" in r.get("class")]
    assert len(hatched) == 1
    assert hatched[0].get("fill") == "url(#by-department-hatch)"
    patterns = list(svg.iter(f"{SVG}pattern"))
    assert [p.get("id") for p in patterns] == ["by-department-hatch"]
    assert charts.HEAT_MISSING_LABEL in texts(svg)


def test_the_key_names_every_band_s_range_in_words():
    svg = parse(render("heat_map", a_heat_map()))
    legend = with_class(svg, "app-chart__legend", "g")[0]
    assert texts(legend) == [
        "Key",
        "0% to under 20%",
        "20% to under 40%",
        "40% to under 60%",
        "60% to under 80%",
        "80% to 100%",
        charts.HEAT_MISSING_LABEL,
    ]
    swatches = with_class(legend, "app-chart__swatch", "rect")
    assert [s.get("fill") for s in swatches[:5]] == [fill for fill, _ in charts.BAND_COLOURS]


def test_with_every_figure_shown_there_is_no_hatching_or_key_entry_for_it():
    cells = {(0, 0): Cell(10, "10%")}
    svg = parse(render("heat_map", a_heat_map(rows=["a"], columns=["b"], cells=cells)))
    assert not list(svg.iter(f"{SVG}pattern"))
    assert charts.HEAT_MISSING_LABEL not in texts(svg)


def test_a_long_row_label_is_cut_short_with_its_full_name_in_a_title():
    name = "Commercial awareness and understanding of the public sector's procurement rules"
    chart = a_heat_map(rows=[name], columns=["DWP"], cells={(0, 0): Cell(1, "1%")})
    lines = [line.text for line in chart.rows[0].label_lines]
    assert len(lines) == charts.HEAT_LABEL_LINES
    assert lines[-1].endswith(charts.ELLIPSIS)
    width = charts.HEAT_LABEL_WIDTH - charts.HEAT_LABEL_GAP
    assert all(charts.text_width(line, charts.HEAT_FONT_SIZE) <= width for line in lines)
    svg = parse(render("heat_map", chart))
    label = with_class(with_class(svg, "app-chart__row", "g")[0], "app-chart__label", "text")[0]
    assert label.find(f"{SVG}title").text == name
    assert texts(label) == [" ".join(lines)]


def test_columns_are_wide_enough_for_every_word_in_them():
    cells = {(0, 0): Cell(None, "suppressed"), (0, 1): Cell(1, "1%")}
    chart = a_heat_map(rows=["a"], columns=["Department", "DWP"], cells=cells)
    cell = chart.rows[0].cells[0]
    for text in ("suppressed", "Department"):
        assert charts.text_width(text, charts.HEAT_FONT_SIZE, bold=True) <= cell.rect.width


def test_every_cell_must_be_given():
    cells = {(0, 0): Cell(1, "1%")}
    with pytest.raises(ValueError, match=r"missing \[\(0, 1\)\]"):
        a_heat_map(rows=["a"], columns=["b", "c"], cells=cells)
    with pytest.raises(ValueError, match=r"extra \[\(1, 0\)\]"):
        a_heat_map(rows=["a"], columns=["b"], cells={**cells, (1, 0): Cell(1, "1%")})


def test_a_negative_figure_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        a_heat_map(rows=["a"], columns=["b"], cells={(0, 0): Cell(-5, "-5%")})


def test_a_heat_map_needs_rows_and_columns():
    with pytest.raises(ValueError, match="at least one row"):
        a_heat_map(rows=[], columns=["b"], cells={})
