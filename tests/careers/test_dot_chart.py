"""careerpath.charts.dot_chart, the profile's chart: a band per skill across the four
proficiencies, with a marker per series (expected, own, agreed) told apart by shape and named in
a key, so that nothing rests on colour; one image with a title and summary; no inline styles."""

import itertools
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from careerpath import charts
from careerpath.charts import DotRow, dot_chart
from tests.test_charts import SVG, contrast, parse, render, texts, with_class

COLUMNS = ["Awareness", "Working", "Practitioner", "Expert"]
SERIES = ["Expected at this level", "Your own rating", "Agreed at sign-off"]
ROWS = [
    DotRow("Operational leadership and management", (2, 1, 1)),
    DotRow("User focus", (3, 3, 3)),
    DotRow("Casework", (1, None, None), note="not assessed"),
]


def a_dot_chart(**overrides):
    arguments = {
        "chart_id": "profile",
        "title": "Your proficiency in each skill",
        "summary": "You meet 2 of 3 skills.",
        "columns": COLUMNS,
        "series": SERIES,
        "rows": ROWS,
    }
    return dot_chart(**(arguments | overrides))


@pytest.fixture
def drawn():
    chart = a_dot_chart()
    html = render("dot_chart", chart)
    return chart, html, parse(html)


def markers(element):
    return [e for e in element.iter() if "app-chart__marker" in e.get("class", "").split()]


def shape_of(element):
    return element.tag.removeprefix(SVG)


def test_one_image_named_by_its_title_and_described_by_its_summary(drawn):
    chart, _, svg = drawn
    assert svg.get("role") == "img"
    assert svg.get("focusable") == "false"
    assert {"app-chart", "app-chart--dot"} <= set(svg.get("class").split())
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert (svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}title").text) == (
        title_id,
        chart.title,
    )
    assert (svg.find(f"{SVG}desc").get("id"), svg.find(f"{SVG}desc").text) == (
        desc_id,
        chart.summary,
    )
    assert svg.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    assert svg.get("width") is None
    assert svg.get("height") is None


def test_nothing_needs_an_inline_style_or_script(drawn):
    _, html, svg = drawn
    assert "style=" not in html
    assert not list(svg.iter(f"{SVG}style"))
    assert not list(svg.iter(f"{SVG}script"))
    assert not any(name.startswith("on") for e in svg.iter() for name in e.attrib)


def test_the_key_names_each_shape_in_words(drawn):
    _, _, svg = drawn
    key = with_class(svg, "app-chart__legend", "g")[0]
    assert [shape_of(m) for m in markers(key)] == ["rect", "circle", "polygon"]
    assert texts(key) == SERIES


def test_columns_are_named_across_the_top_and_labels_say_what_markers_cannot(drawn):
    _, _, svg = drawn
    shown = texts(svg)
    for name in COLUMNS:
        assert name in shown
    assert "Operational leadership and management" in " ".join(shown)
    assert "Casework (not assessed)" in shown


def test_each_series_has_its_shape_in_the_column_of_its_value(drawn):
    chart, _, svg = drawn
    rows = with_class(svg, "app-chart__row", "g")
    column_w = chart.width / len(COLUMNS)

    def column(element):
        x = float(element.get("x", element.get("cx", 0)))
        if shape_of(element) == "rect":
            x += float(element.get("width")) / 2
        if shape_of(element) == "polygon":
            x = float(element.get("points").split()[0].split(",")[0])
        return int(x // column_w)

    drawn_rows = [[(shape_of(m), column(m)) for m in markers(row)] for row in rows]
    assert drawn_rows == [
        [("rect", 2), ("circle", 1), ("polygon", 1)],
        [("rect", 3), ("circle", 3), ("polygon", 3)],
        [("rect", 1)],  # not assessed: only what is expected
    ]


def test_markers_with_the_same_value_sit_side_by_side(drawn):
    chart, _, _ = drawn
    same = chart.rows[1].markers
    xs = [m.x for m in same]
    assert xs == sorted(xs)
    assert all(b - a >= charts.DOT_MARKER_SIZE * 1.3 for a, b in itertools.pairwise(xs))


def test_everything_stays_inside_the_view_box(drawn):
    chart, _, svg = drawn
    for tag in ("text", "tspan"):
        for element in svg.iter(f"{SVG}{tag}"):
            if element.get("x") is not None:
                assert 0 <= float(element.get("x")) <= chart.width
                assert 0 < float(element.get("y")) <= chart.height
    for marker in [item.marker for item in chart.key] + [
        m for row in chart.rows for m in row.markers
    ]:
        for point in marker.points.split():
            x, y = (float(n) for n in point.split(","))
            assert 0 <= x <= chart.width
            assert 0 <= y <= chart.height


def test_long_labels_wrap_within_the_chart():
    chart = a_dot_chart(rows=[DotRow("A very long skill name " * 5, (0, 0, 0))])
    lines = chart.rows[0].label_lines
    assert len(lines) > 1
    assert all(charts.text_width(line.text, charts.DOT_FONT_SIZE) <= chart.width for line in lines)
    assert chart.rows[0].band.y > lines[-1].y


def test_numbers_are_written_for_svg_whatever_the_language():
    with translation.override("de"):
        html = render("dot_chart", a_dot_chart())
    numbers = re.findall(r' (?:x|y|cx|cy|r|width|height|x1|y1|x2|y2)="([^"]*)"', html)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers
    points = re.findall(r' points="([^"]*)"', html)
    assert all(re.fullmatch(r"[\d.,\s-]+", p) for p in points)


def test_shapes_meet_wcag_contrast_against_the_band_and_the_page():
    for _shape, fill, stroke, filled in charts.DOT_SHAPES:
        for background in (charts.DOT_BAND_FILL, charts.WHITE):
            assert contrast(stroke, background) >= 3
            if filled:
                assert contrast(fill, background) >= 3


def test_awkward_text_is_escaped():
    awkward = "Policy & <legislation> \"law\" 'rules'"
    html = render(
        "dot_chart",
        a_dot_chart(title=awkward, summary=awkward, rows=[DotRow(awkward, (0, 1, 2))]),
    )
    assert "<legislation>" not in html
    svg = parse(html)
    assert svg.find(f"{SVG}title").text == awkward


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"chart_id": "1st"}, "chart_id"),
        ({"columns": []}, "at least one column"),
        ({"series": []}, "1 to 3 series"),
        ({"series": ["a", "b", "c", "d"]}, "1 to 3 series"),
        ({"rows": [DotRow("x", (1, 2))]}, "2 values for 3 series"),
        ({"rows": [DotRow("x", (4, 0, 0))]}, "column indexes"),
        ({"rows": [DotRow("x", (-1, 0, 0))]}, "column indexes"),
    ],
)
def test_what_cannot_be_drawn_is_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        a_dot_chart(**overrides)


def test_the_tag_refuses_another_chart():
    with pytest.raises(TypeError, match="DotChart"):
        Template("{% load charts %}{% dot_chart missing %}").render(Context({}))


def test_two_charts_on_a_page_have_no_id_in_common():
    page = parse(
        "<div>"
        + render("dot_chart", a_dot_chart(chart_id="one"))
        + render("dot_chart", a_dot_chart(chart_id="two"))
        + "</div>"
    )
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4
