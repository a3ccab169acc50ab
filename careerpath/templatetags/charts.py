"""`{% load charts %}`: server-rendered SVG charts, drawn from careerpath.charts.

`{% bar_chart chart %}` draws an careerpath.charts.BarChart (made by careerpath.charts.bar_chart),
`{% heat_map chart %}` an careerpath.charts.HeatMap (made by careerpath.charts.heat_map),
`{% dot_chart chart %}` an careerpath.charts.DotChart (made by careerpath.charts.dot_chart). Each
renders one <svg role="img">; the page gives it a heading and a table of the same figures.
"""

from typing import Any

from django import template

from careerpath.charts import BarChart, DotChart, HeatMap

register = template.Library()


def _check(chart: object, kind: type) -> None:
    # A misspelt context variable would otherwise draw an empty chart without a word.
    if not isinstance(chart, kind):
        raise TypeError(f"expected an careerpath.charts.{kind.__name__}, got {chart!r}")


@register.inclusion_tag("charts/bar_chart.html")
def bar_chart(chart: BarChart) -> dict[str, Any]:
    """The <svg> of a bar chart made by careerpath.charts.bar_chart."""
    _check(chart, BarChart)
    return {"chart": chart}


@register.inclusion_tag("charts/heat_map.html")
def heat_map(chart: HeatMap) -> dict[str, Any]:
    """The <svg> of a heat map made by careerpath.charts.heat_map."""
    _check(chart, HeatMap)
    return {"chart": chart}


@register.inclusion_tag("charts/dot_chart.html")
def dot_chart(chart: DotChart) -> dict[str, Any]:
    """The <svg> of a dot chart made by careerpath.charts.dot_chart."""
    _check(chart, DotChart)
    return {"chart": chart}
