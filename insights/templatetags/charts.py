"""`{% load charts %}`: the insights page's SVG charts, drawn from insights.charts.

`{% bar_chart chart %}` draws an insights.charts.BarChart (made by insights.charts.bar_chart),
`{% heat_map chart %}` an insights.charts.HeatMap (made by insights.charts.heat_map). Each
renders one <svg role="img">; the page gives it a heading and a table of the same figures.

A chart is an immutable value and its <svg> depends on nothing else, so each process keeps the
<svg> of the charts it drew last, keyed on the chart itself: a different chart is a different
key, and a kept <svg> can never be out of date (except while templates are being edited, so
nothing is kept with DEBUG on).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString

from insights.charts import BarChart, HeatMap

register = template.Library()

KEPT_CHARTS = 32


def _check(chart: object, kind: type) -> None:
    # A misspelt context variable would otherwise draw an empty chart without a word.
    if not isinstance(chart, kind):
        raise TypeError(f"expected an insights.charts.{kind.__name__}, got {chart!r}")


def _draw(template_name: str, chart: BarChart | HeatMap) -> SafeString:
    return get_template(template_name).render({"chart": chart})


_kept = lru_cache(maxsize=KEPT_CHARTS)(_draw)


def _svg(template_name: str, chart: BarChart | HeatMap) -> SafeString:
    return _draw(template_name, chart) if settings.DEBUG else _kept(template_name, chart)


@register.simple_tag
def bar_chart(chart: BarChart) -> SafeString:
    """The <svg> of a bar chart made by insights.charts.bar_chart."""
    _check(chart, BarChart)
    return _svg("insights/charts/bar_chart.html", chart)


@register.simple_tag
def heat_map(chart: HeatMap) -> SafeString:
    """The <svg> of a heat map made by insights.charts.heat_map."""
    _check(chart, HeatMap)
    return _svg("insights/charts/heat_map.html", chart)
