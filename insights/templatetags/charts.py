"""`{% load charts %}`: the insights page's SVG charts, drawn from insights.charts.

`{% bar_chart chart %}` draws an insights.charts.BarChart (made by insights.charts.bar_chart),
`{% heat_map chart %}` an insights.charts.HeatMap (made by insights.charts.heat_map). Each
renders one <svg role="img">; the page gives it a heading and a table of the same figures.
"""

from typing import Any

from django import template

from insights.charts import BarChart, HeatMap

register = template.Library()


def _check(chart: object, kind: type) -> None:
    # A misspelt context variable would otherwise draw an empty chart without a word.
    if not isinstance(chart, kind):
        raise TypeError(f"expected an insights.charts.{kind.__name__}, got {chart!r}")


@register.inclusion_tag("insights/charts/bar_chart.html")
def bar_chart(chart: BarChart) -> dict[str, Any]:
    """The <svg> of a bar chart made by insights.charts.bar_chart."""
    _check(chart, BarChart)
    return {"chart": chart}


@register.inclusion_tag("insights/charts/heat_map.html")
def heat_map(chart: HeatMap) -> dict[str, Any]:
    """The <svg> of a heat map made by insights.charts.heat_map."""
    _check(chart, HeatMap)
    return {"chart": chart}
