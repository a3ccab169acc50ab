"""Geometry for server-rendered SVG charts: plain Python, no models, no templates.

`bar_chart` and `heat_map` turn figures into dataclasses holding every coordinate, size, colour
and line of text already worked out, so the templates (templates/charts/) only print
them, through the inclusion tags `{% bar_chart chart %}` and `{% heat_map chart %}`
(careerpath/templatetags/charts.py). `dot_chart` (`{% dot_chart chart %}`) does the same for
a row of markers per item across an ordered scale, such as proficiencies.

The charts must stand on their own for people who cannot rely on colour: every value is printed
as text, priority skills are marked in words as well as bold, and the heat map has a key that
names its bands' ranges. Colours come from GOV.UK Frontend's palette (settings/
_colours-palette--internal.scss, the 2025 brand colours): text and filled shapes meet WCAG 2.2
AA contrast (4.5:1 for text on its fill, 3:1 for bars against the page). Nothing here sets a
`style` attribute: the page's Content-Security-Policy has no 'unsafe-inline' styles, so the
templates use SVG presentation attributes and the classes in static/scss/_charts.scss.

Coordinates are SVG user units in the chart's viewBox; the SVG is drawn at the width of its
container, so a unit is a CSS pixel only when the container is as wide as the viewBox. Text
widths are estimated (the font is not measured here), generously enough for GDS Transport and
for the print fallback font.
"""

import math
import re
from dataclasses import dataclass

# GOV.UK Frontend's palette (govuk-colour(name, variant)).
BLACK = "#0b0c0c"  # black
WHITE = "#ffffff"  # white
BLUE = "#1d70b8"  # blue
DARK_BLUE = "#0f385c"  # blue shade-50, the brand colours' "dark-blue"
MID_GREY = "#cecece"  # black tint-80, the brand colours' "mid-grey"

PRIORITY_MARKER = "(priority)"
ELLIPSIS = "\u2026"

_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


# --- Shared pieces --------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One line of text: `x`, `y` are where the template puts a <text> or <tspan> (y is the
    baseline)."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


def _n(number: float) -> float:
    """A coordinate as the SVG prints it: two decimal places at most, whole numbers bare."""
    rounded = round(number, 2)
    return int(rounded) if rounded == int(rounded) else rounded


# Approximate advance widths, in ems, of GDS Transport (and of Arial, its print fallback),
# rounded up: enough to wrap lines and to decide whether a value fits inside its bar.
_NARROW = set("iljtfrI!|.,:;'\u2019()[] ")
_WIDE = set("mwMW%@")


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """Estimated width of `text` set in `font_size` units."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.32
        elif char in _WIDE:
            ems += 0.9
        elif char.isupper() or char.isdigit():
            ems += 0.66
        else:
            ems += 0.56
    return ems * font_size * (1.08 if bold else 1.0)


def _break_word(word: str, max_width: float, font_size: float, bold: bool) -> list[str]:
    """A word too wide for a line, cut into pieces that fit (at least one character each)."""
    pieces, piece = [], ""
    for char in word:
        if piece and text_width(piece + char, font_size, bold=bold) > max_width:
            pieces.append(piece)
            piece = ""
        piece += char
    pieces.append(piece)
    return pieces


def _truncate(text: str, max_width: float, font_size: float, bold: bool) -> str:
    """`text` shortened with an ellipsis so that it fits `max_width`."""
    while text and text_width(text + ELLIPSIS, font_size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(
    text: str,
    max_width: float,
    font_size: float,
    *,
    bold: bool = False,
    max_lines: int | None = None,
) -> list[str]:
    """`text` broken into lines no wider than `max_width` (estimated), at spaces where it can.

    With `max_lines`, the last line kept ends in an ellipsis when the text did not fit; the
    caller shows the full text some other way (an SVG <title>).
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, font_size, bold=bold) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *whole, line = _break_word(word, max_width, font_size, bold)
        lines.extend(whole)
    if line or not lines:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*kept, _truncate(rest, max_width, font_size, bold)]
    return lines


def _check_chart_id(chart_id: str) -> None:
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(
            f"chart_id {chart_id!r} must start with a letter and hold only letters, digits, "
            "hyphens and underscores (it prefixes the chart's element ids)"
        )


def _check_value(value: float | None, what: str) -> None:
    if value is not None and (math.isnan(value) or value < 0):
        raise ValueError(f"{what} has value {value!r}: values must be zero or more")


# --- Bar chart ------------------------------------------------------------------------------

BAR_WIDTH = 400  # the viewBox's width
BAR_FONT_SIZE = 16
BAR_LINE_HEIGHT = 20
BAR_HEIGHT = 28
BAR_X = 1  # bars start here, so that their outline is not cut off at the left edge
BAR_LABEL_GAP = 6  # between a label's last line and its bar
BAR_ROW_GAP = 20  # between one bar and the next label
BAR_TEXT_PAD = 8  # between a value and the end of its bar
BAR_AXIS_OVERHANG = 3  # the zero line reaches this far above and below the bar
BAR_FILL = BLUE
BAR_OUTLINE = DARK_BLUE
VALUE_INSIDE_COLOUR = WHITE  # on BAR_FILL
TEXT_COLOUR = BLACK  # on the page's white


@dataclass(frozen=True)
class Bar:
    """One item of a bar chart: `display` is the value as the page prints it ("42%",
    "not shown"); `value` None draws no bar, only `display`."""

    label: str
    value: float | None
    display: str
    emphasis: bool = False


@dataclass(frozen=True)
class BarRow:
    """One drawn bar: its label (one or more lines, bold with PRIORITY_MARKER when
    `emphasis`), the zero line `axis` and the `bar` (both None when the value is not shown),
    and `value`, the display text, with its colour and text-anchor."""

    label: str
    label_lines: tuple[TextLine, ...]
    emphasis: bool
    axis: Line | None
    bar: Rect | None
    value: TextLine
    value_inside: bool
    value_anchor: str  # "start" or "end"
    value_colour: str


@dataclass(frozen=True)
class BarChart:
    """What `{% bar_chart chart %}` draws: the <svg>'s viewBox, the ids and text of its
    <title> and <desc>, and one BarRow per bar, top to bottom."""

    chart_id: str
    title_id: str
    desc_id: str
    title: str
    summary: str
    width: float
    height: float
    font_size: float
    max_value: float
    rows: tuple[BarRow, ...]
    bar_fill: str = BAR_FILL
    bar_outline: str = BAR_OUTLINE
    text_colour: str = TEXT_COLOUR

    @property
    def view_box(self) -> str:
        return f"0 0 {_n(self.width)} {_n(self.height)}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    summary: str,
    bars: list[Bar],
    max_value: float = 100,
) -> BarChart:
    """A horizontal bar chart, one bar per item of `bars`, top to bottom in the order given.

    `chart_id` must be unique on the page: it prefixes the ids of the chart's <title> and
    <desc> (`title` and `summary`), which name and describe the image. A bar's length is its
    value over `max_value` (a value above it is drawn full length; its text still says the
    real figure). Each label sits on its own line(s) above its bar; the value is printed at the
    end of the bar, or just after it when the bar is too short to hold it.
    """
    _check_chart_id(chart_id)
    if not max_value > 0:
        raise ValueError(f"max_value must be more than zero, not {max_value!r}")
    full = BAR_WIDTH - BAR_X - 1
    rows: list[BarRow] = []
    top = 0.0
    for bar in bars:
        _check_value(bar.value, f"The bar {bar.label!r}")
        label = f"{bar.label} {PRIORITY_MARKER}" if bar.emphasis else bar.label
        lines = wrap(label, BAR_WIDTH, BAR_FONT_SIZE, bold=bar.emphasis)
        label_lines = tuple(
            TextLine(x=0, y=_n(top + BAR_FONT_SIZE + i * BAR_LINE_HEIGHT), text=line)
            for i, line in enumerate(lines)
        )
        bar_top = top + len(lines) * BAR_LINE_HEIGHT + BAR_LABEL_GAP
        baseline = _n(bar_top + BAR_HEIGHT / 2 + BAR_FONT_SIZE * 0.35)
        value_width = text_width(bar.display, BAR_FONT_SIZE)
        axis = rect = None
        inside = False
        if bar.value is None:
            value = TextLine(x=BAR_X, y=baseline, text=bar.display)
        else:
            length = full * min(bar.value, max_value) / max_value
            axis = Line(
                x1=BAR_X,
                y1=_n(bar_top - BAR_AXIS_OVERHANG),
                x2=BAR_X,
                y2=_n(bar_top + BAR_HEIGHT + BAR_AXIS_OVERHANG),
            )
            rect = Rect(x=BAR_X, y=_n(bar_top), width=_n(length), height=BAR_HEIGHT)
            after = BAR_X + length + BAR_TEXT_PAD
            fits_inside = value_width + 2 * BAR_TEXT_PAD <= length
            fits_after = after + value_width <= BAR_WIDTH
            # A long bar whose text fits neither way keeps it inside, where less is cut off.
            inside = fits_inside or (not fits_after and length >= full / 2)
            x = BAR_X + length - BAR_TEXT_PAD if inside else after
            value = TextLine(x=_n(x), y=baseline, text=bar.display)
        rows.append(
            BarRow(
                label=bar.label,
                label_lines=label_lines,
                emphasis=bar.emphasis,
                axis=axis,
                bar=rect,
                value=value,
                value_inside=inside,
                value_anchor="end" if inside else "start",
                value_colour=VALUE_INSIDE_COLOUR if inside else TEXT_COLOUR,
            )
        )
        top = bar_top + BAR_HEIGHT + BAR_ROW_GAP
    height = top - BAR_ROW_GAP + BAR_AXIS_OVERHANG if rows else BAR_LINE_HEIGHT
    return BarChart(
        chart_id=chart_id,
        title_id=f"{chart_id}-title",
        desc_id=f"{chart_id}-desc",
        title=title,
        summary=summary,
        width=BAR_WIDTH,
        height=_n(height),
        font_size=BAR_FONT_SIZE,
        max_value=max_value,
        rows=tuple(rows),
    )


# --- Heat map -------------------------------------------------------------------------------

HEAT_FONT_SIZE = 14
HEAT_LINE_HEIGHT = 17
HEAT_LABEL_WIDTH = 128  # the row labels' column, its gap included
HEAT_LABEL_GAP = 8
HEAT_LABEL_LINES = 3
HEAT_HEADER_LINES = 2
HEAT_MIN_CELL_WIDTH = 52
HEAT_CELL_PAD = 5  # each side of a cell's text
HEAT_MIN_ROW_HEIGHT = 36
HEAT_ROW_PAD = 4  # above and below a row's text
HEAT_GAP = 2  # the white line between cells (a stroke, half in each cell)
HEAT_LEGEND_GAP = 20  # between the grid and the key
HEAT_SWATCH_WIDTH = 24
HEAT_SWATCH_HEIGHT = 16
HEAT_LEGEND_ROW_HEIGHT = 24
HEAT_LEGEND_ITEM_GAP = 16
HEAT_LEGEND_TITLE = "Key"
HEAT_MISSING_LABEL = "No figure (the cell says why)"
HEAT_HATCH_LINE = MID_GREY
HEAT_HATCH_SPACING = 8

# Light to dark, one hue (GOV.UK blue and its tints and shade), each with the text colour that
# reads on it: contrast 14.8, 9.4 and 6.1 to 1 for black, 5.2 and 12.1 to 1 for white.
BAND_COLOURS: tuple[tuple[str, str], ...] = (
    ("#d2e2f1", BLACK),  # blue tint-80
    ("#8eb8dc", BLACK),  # blue tint-50
    ("#5694ca", BLACK),  # blue tint-25
    (BLUE, WHITE),  # blue
    (DARK_BLUE, WHITE),  # blue shade-50
)


@dataclass(frozen=True)
class Cell:
    """One figure of a heat map: `display` is printed in the cell ("42%", "not shown", a dash);
    `value` None leaves the cell hatched instead of shaded."""

    value: float | None
    display: str


@dataclass(frozen=True)
class Band:
    """A range of values shaded alike: lower <= value < upper (the top band includes its
    upper bound and anything above)."""

    index: int
    lower: float
    upper: float
    fill: str
    text_colour: str
    label: str


@dataclass(frozen=True)
class HeatCell:
    rect: Rect
    value: float | None
    display: str
    lines: tuple[TextLine, ...]  # the display text, centred (text-anchor middle)
    band: Band | None  # None: no figure, the cell is hatched
    fill: str  # a colour, or url(#...) for the hatching
    text_colour: str


@dataclass(frozen=True)
class HeatRow:
    label: str  # in full, for the label's <title>
    label_lines: tuple[TextLine, ...]  # wrapped, the last cut short with an ellipsis if need be
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class ColumnHeader:
    label: str  # in full, for the header's <title>
    lines: tuple[TextLine, ...]  # centred over the column (text-anchor middle)


@dataclass(frozen=True)
class LegendItem:
    swatch: Rect
    fill: str
    text: TextLine
    band: Band | None  # None: the entry for cells with no figure


@dataclass(frozen=True)
class HeatMap:
    """What `{% heat_map chart %}` draws: the <svg>'s viewBox, the ids and text of its
    <title> and <desc>, the column headers, one HeatRow per row, and the key."""

    chart_id: str
    title_id: str
    desc_id: str
    hatch_id: str  # the <pattern> that hatches cells with no figure
    title: str
    summary: str
    width: float
    height: float
    font_size: float
    columns: tuple[ColumnHeader, ...]
    rows: tuple[HeatRow, ...]
    bands: tuple[Band, ...]
    legend_title: TextLine
    legend: tuple[LegendItem, ...]
    has_missing: bool
    hatch_spacing: float = HEAT_HATCH_SPACING
    hatch_line: str = HEAT_HATCH_LINE
    gap: float = HEAT_GAP
    text_colour: str = TEXT_COLOUR
    background: str = WHITE

    @property
    def view_box(self) -> str:
        return f"0 0 {_n(self.width)} {_n(self.height)}"


def _number(value: float) -> str:
    return str(_n(value))


def bands(max_value: float = 100, unit: str = "%") -> tuple[Band, ...]:
    """The heat map's bands: 0 to `max_value` cut into len(BAND_COLOURS) equal ranges."""
    count = len(BAND_COLOURS)
    result = []
    for index, (fill, text_colour) in enumerate(BAND_COLOURS):
        lower, upper = max_value * index / count, max_value * (index + 1) / count
        joiner = "to" if index == count - 1 else "to under"
        label = f"{_number(lower)}{unit} {joiner} {_number(upper)}{unit}"
        result.append(Band(index, _n(lower), _n(upper), fill, text_colour, label))
    return tuple(result)


def band_index(value: float, max_value: float = 100) -> int:
    """The band a value falls in: a value on a boundary belongs to the band above it, and
    `max_value` (or more) to the top band."""
    count = len(BAND_COLOURS)
    return min(math.floor(value * count / max_value), count - 1)


def heat_map(
    *,
    chart_id: str,
    title: str,
    summary: str,
    rows: list[str],
    columns: list[str],
    cells: dict[tuple[int, int], Cell],
    max_value: float = 100,
    unit: str = "%",
) -> HeatMap:
    """A grid of `rows` (skills, labelled on the left) by `columns` (departments' short names,
    across the top), with `cells[(row index, column index)]` in each.

    Every cell must be given. A cell is shaded by its value in one of five bands, 0 to
    `max_value` (`unit` is printed after the bands' bounds in the key), and prints its display
    text in a colour that reads on that shade; a cell whose value is None is hatched and prints
    its display text in black. Row labels wrap onto up to three lines and column headers onto
    two; longer ones end in an ellipsis and keep their full text in a <title>. The key below
    the grid names each band's range in words. `chart_id` must be unique on the page.
    """
    _check_chart_id(chart_id)
    if not max_value > 0:
        raise ValueError(f"max_value must be more than zero, not {max_value!r}")
    if not rows or not columns:
        raise ValueError("A heat map needs at least one row and one column")
    wanted = {(r, c) for r in range(len(rows)) for c in range(len(columns))}
    if set(cells) != wanted:
        missing, extra = sorted(wanted - set(cells)), sorted(set(cells) - wanted)
        raise ValueError(f"cells must hold every (row, column): missing {missing}, extra {extra}")
    for (r, c), cell in cells.items():
        _check_value(cell.value, f"The cell for {rows[r]!r} in {columns[c]!r}")

    font, line_h = HEAT_FONT_SIZE, HEAT_LINE_HEIGHT
    hatch_id = f"{chart_id}-hatch"
    band_list = bands(max_value, unit)

    # Columns are as wide as the widest word of any header or cell, so no word is cut.
    words = [w for text in columns for w in text.split()]
    words += [w for cell in cells.values() for w in cell.display.split()]
    widest = max((text_width(w, font, bold=True) for w in words), default=0)
    cell_w = max(HEAT_MIN_CELL_WIDTH, math.ceil(widest + 2 * HEAT_CELL_PAD))
    text_w = cell_w - 2 * HEAT_CELL_PAD
    label_w = HEAT_LABEL_WIDTH - HEAT_LABEL_GAP

    header_lines = [
        wrap(name, text_w, font, bold=True, max_lines=HEAT_HEADER_LINES) for name in columns
    ]
    header_h = max(len(lines) for lines in header_lines) * line_h + HEAT_ROW_PAD * 2
    headers = []
    for c, (name, lines) in enumerate(zip(columns, header_lines, strict=True)):
        centre = HEAT_LABEL_WIDTH + c * cell_w + cell_w / 2
        first = header_h - HEAT_ROW_PAD - (len(lines) - 1) * line_h - line_h / 2 + font * 0.35
        headers.append(
            ColumnHeader(
                label=name,
                lines=tuple(
                    TextLine(x=_n(centre), y=_n(first + i * line_h), text=line)
                    for i, line in enumerate(lines)
                ),
            )
        )

    def centred(texts: list[str], x: float, top: float, height: float) -> tuple[TextLine, ...]:
        first = top + (height - len(texts) * line_h) / 2 + line_h / 2 + font * 0.35
        return tuple(
            TextLine(x=_n(x), y=_n(first + i * line_h), text=text) for i, text in enumerate(texts)
        )

    heat_rows = []
    top = float(header_h)
    for r, name in enumerate(rows):
        label_lines = wrap(name, label_w, font, max_lines=HEAT_LABEL_LINES)
        cell_lines = [wrap(cells[(r, c)].display, text_w, font) for c in range(len(columns))]
        most = max(len(label_lines), *(len(lines) for lines in cell_lines))
        row_h = max(HEAT_MIN_ROW_HEIGHT, most * line_h + 2 * HEAT_ROW_PAD)
        row_cells = []
        for c, lines in enumerate(cell_lines):
            cell = cells[(r, c)]
            x = HEAT_LABEL_WIDTH + c * cell_w
            if cell.value is None:
                band, fill, colour = None, f"url(#{hatch_id})", TEXT_COLOUR
            else:
                band = band_list[band_index(cell.value, max_value)]
                fill, colour = band.fill, band.text_colour
            row_cells.append(
                HeatCell(
                    rect=Rect(x=_n(x), y=_n(top), width=cell_w, height=row_h),
                    value=cell.value,
                    display=cell.display,
                    lines=centred(lines, x + cell_w / 2, top, row_h),
                    band=band,
                    fill=fill,
                    text_colour=colour,
                )
            )
        heat_rows.append(
            HeatRow(
                label=name,
                label_lines=centred(label_lines, 0, top, row_h),
                cells=tuple(row_cells),
            )
        )
        top += row_h
    grid_w = HEAT_LABEL_WIDTH + len(columns) * cell_w + 1  # room for the last outline

    # The key: a swatch and its range for each band (and for hatched cells, if any), as many
    # to a line as fit the grid's width.
    has_missing = any(cell.value is None for cell in cells.values())
    entries: list[tuple[str, str, Band | None]] = [(b.fill, b.label, b) for b in band_list]
    if has_missing:
        entries.append((f"url(#{hatch_id})", HEAT_MISSING_LABEL, None))
    text_x = HEAT_SWATCH_WIDTH + 8
    item_w = text_x + max(text_width(text, font) for _, text, _ in entries) + HEAT_LEGEND_ITEM_GAP
    width = max(grid_w, math.ceil(item_w))
    per_line = max(1, int(width // item_w))
    legend_top = top + HEAT_LEGEND_GAP
    legend_title = TextLine(x=0, y=_n(legend_top + font), text=HEAT_LEGEND_TITLE)
    items_top = legend_top + line_h + 8
    legend = []
    for i, (fill, text, band) in enumerate(entries):
        x = (i % per_line) * item_w
        y = items_top + (i // per_line) * HEAT_LEGEND_ROW_HEIGHT
        legend.append(
            LegendItem(
                swatch=Rect(
                    x=_n(x + 1), y=_n(y), width=HEAT_SWATCH_WIDTH, height=HEAT_SWATCH_HEIGHT
                ),
                fill=fill,
                text=TextLine(
                    x=_n(x + text_x), y=_n(y + HEAT_SWATCH_HEIGHT / 2 + font * 0.35), text=text
                ),
                band=band,
            )
        )
    lines_of_key = math.ceil(len(entries) / per_line)
    height = items_top + (lines_of_key - 1) * HEAT_LEGEND_ROW_HEIGHT + HEAT_SWATCH_HEIGHT + 2

    return HeatMap(
        chart_id=chart_id,
        title_id=f"{chart_id}-title",
        desc_id=f"{chart_id}-desc",
        hatch_id=hatch_id,
        title=title,
        summary=summary,
        width=_n(width),
        height=_n(height),
        font_size=font,
        columns=tuple(headers),
        rows=tuple(heat_rows),
        bands=band_list,
        legend_title=legend_title,
        legend=tuple(legend),
        has_missing=has_missing,
    )


# --- Dot chart ------------------------------------------------------------------------------
# One row per item (a skill), a band across the chart split into ordered columns (the four
# proficiencies), and in it a marker for each series (expected, own rating, agreed) in the
# column of its value. Each series has its own shape and its own place within a column, so
# markers never hide one another and nothing depends on colour; a key names the shapes.

DOT_WIDTH = 400  # the viewBox's width, as the bar chart's
DOT_FONT_SIZE = 16
DOT_LINE_HEIGHT = 20
DOT_HEADER_FONT_SIZE = 14
DOT_HEADER_LINE_HEIGHT = 17
DOT_HEADER_LINES = 2
DOT_HEADER_PAD = 4  # each side of a column header
DOT_BAND_HEIGHT = 30
DOT_LABEL_GAP = 4  # between a label's last line and its band
DOT_ROW_GAP = 16  # between one band and the next label
DOT_MARKER_SIZE = 14
DOT_KEY_ROW_HEIGHT = 24
DOT_KEY_TEXT_GAP = 8  # between a key's marker and its text
DOT_KEY_ITEM_GAP = 20  # between one key entry and the next on the same line
DOT_KEY_GAP = 12  # between the key and the column headers
DOT_SEPARATOR_WIDTH = 2  # the white line between columns
LIGHT_GREY = "#f3f3f3"  # black tint-95, the brand colours' "light-grey"
DOT_BAND_FILL = LIGHT_GREY
DOT_SEPARATOR = WHITE

# (shape, fill, outline, filled) for the first, second and third series: a hollow square, a
# blue circle and a black diamond. Every outline is at least 3:1 against the band and the page.
DOT_SHAPES: tuple[tuple[str, str, str, bool], ...] = (
    ("square", WHITE, BLACK, False),
    ("circle", BLUE, DARK_BLUE, True),
    ("diamond", BLACK, BLACK, True),
)


@dataclass(frozen=True)
class DotRow:
    """One item of a dot chart: `values` holds one column index (0 for the first column) or
    None per series, in the order of the chart's series; `note` is printed after the label in
    brackets ("not assessed"), so that what the markers cannot show is said in words."""

    label: str
    values: tuple[int | None, ...]
    note: str = ""


@dataclass(frozen=True)
class Marker:
    """A series' marker, centred on (x, y): the template draws a <rect> for "square", a
    <circle> for "circle" and a <polygon> for "diamond"."""

    shape: str
    series: int
    x: float
    y: float
    size: float
    fill: str
    stroke: str
    filled: bool

    @property
    def rect(self) -> Rect:
        half = self.size / 2
        return Rect(x=_n(self.x - half), y=_n(self.y - half), width=self.size, height=self.size)

    @property
    def radius(self) -> float:
        return _n(self.size / 2)

    @property
    def points(self) -> str:
        """A diamond a little taller than the square, so that the two look the same size."""
        half = self.size * 0.65
        corners = [(self.x, self.y - half), (self.x + half, self.y)]
        corners += [(self.x, self.y + half), (self.x - half, self.y)]
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in corners)


@dataclass(frozen=True)
class DotKeyItem:
    marker: Marker
    text: TextLine


@dataclass(frozen=True)
class DotChartRow:
    label: str
    label_lines: tuple[TextLine, ...]
    note: str
    band: Rect
    separators: tuple[Line, ...]
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class DotChart:
    """What `{% dot_chart chart %}` draws: the <svg>'s viewBox, the ids and text of its <title>
    and <desc>, the key, the column headers and one DotChartRow per item, top to bottom."""

    chart_id: str
    title_id: str
    desc_id: str
    title: str
    summary: str
    width: float
    height: float
    font_size: float
    header_font_size: float
    key: tuple[DotKeyItem, ...]
    columns: tuple[ColumnHeader, ...]
    rows: tuple[DotChartRow, ...]
    band_fill: str = DOT_BAND_FILL
    separator: str = DOT_SEPARATOR
    separator_width: float = DOT_SEPARATOR_WIDTH
    text_colour: str = TEXT_COLOUR

    @property
    def view_box(self) -> str:
        return f"0 0 {_n(self.width)} {_n(self.height)}"


def _marker(series: int, x: float, y: float) -> Marker:
    shape, fill, stroke, filled = DOT_SHAPES[series]
    return Marker(
        shape=shape,
        series=series,
        x=_n(x),
        y=_n(y),
        size=DOT_MARKER_SIZE,
        fill=fill,
        stroke=stroke,
        filled=filled,
    )


def dot_chart(
    *,
    chart_id: str,
    title: str,
    summary: str,
    columns: list[str],
    series: list[str],
    rows: list[DotRow],
) -> DotChart:
    """A dot chart: `columns` are an ordered scale (lowest first) named across the top, each
    row a band across them with a marker per series in the column of its value.

    `series` names each kind of marker for the key (up to three: a hollow square, a circle
    and a diamond, in that order); within a column each series keeps its own place, left to
    right, so two series with the same value sit side by side rather than on top of each
    other. A value None draws no marker for that series. Labels wrap onto as many lines as
    they need above their band. `chart_id` must be unique on the page.
    """
    _check_chart_id(chart_id)
    if not columns:
        raise ValueError("A dot chart needs at least one column")
    if not 1 <= len(series) <= len(DOT_SHAPES):
        raise ValueError(f"A dot chart has 1 to {len(DOT_SHAPES)} series, not {len(series)}")
    for row in rows:
        if len(row.values) != len(series):
            raise ValueError(
                f"The row {row.label!r} has {len(row.values)} values for {len(series)} series"
            )
        for value in row.values:
            if value is not None and not 0 <= value < len(columns):
                raise ValueError(
                    f"The row {row.label!r} has value {value!r}: values are column indexes "
                    f"from 0 to {len(columns) - 1}, or None"
                )

    font, line_h = DOT_FONT_SIZE, DOT_LINE_HEIGHT
    column_w = DOT_WIDTH / len(columns)

    # The key, as many entries to a line as fit.
    # The diamond is the widest marker: half of it is 0.65 of the size, and its outline 1 more.
    marker_half = DOT_MARKER_SIZE * 0.65 + 1
    text_x = 2 * marker_half + DOT_KEY_TEXT_GAP
    item_w = text_x + max(text_width(name, font) for name in series) + DOT_KEY_ITEM_GAP
    per_line = max(1, int((DOT_WIDTH + DOT_KEY_ITEM_GAP) // item_w))
    key = []
    for index, name in enumerate(series):
        left = (index % per_line) * item_w
        middle = (index // per_line) * DOT_KEY_ROW_HEIGHT + DOT_KEY_ROW_HEIGHT / 2
        key.append(
            DotKeyItem(
                marker=_marker(index, left + marker_half, middle),
                text=TextLine(
                    x=_n(left + text_x),
                    y=_n(middle + font * 0.35),
                    text=wrap(name, DOT_WIDTH - text_x, font, max_lines=1)[0],
                ),
            )
        )
    top = math.ceil(len(series) / per_line) * DOT_KEY_ROW_HEIGHT + DOT_KEY_GAP

    # Column headers, centred over their columns.
    header_font, header_line_h = DOT_HEADER_FONT_SIZE, DOT_HEADER_LINE_HEIGHT
    header_lines = [
        wrap(
            name,
            column_w - 2 * DOT_HEADER_PAD,
            header_font,
            bold=True,
            max_lines=DOT_HEADER_LINES,
        )
        for name in columns
    ]
    most = max(len(lines) for lines in header_lines)
    headers = []
    for index, (name, lines) in enumerate(zip(columns, header_lines, strict=True)):
        centre = index * column_w + column_w / 2
        first = top + (most - len(lines)) * header_line_h + header_font
        headers.append(
            ColumnHeader(
                label=name,
                lines=tuple(
                    TextLine(x=_n(centre), y=_n(first + i * header_line_h), text=line)
                    for i, line in enumerate(lines)
                ),
            )
        )
    top += most * header_line_h + DOT_LABEL_GAP * 2

    chart_rows = []
    for row in rows:
        label = f"{row.label} ({row.note})" if row.note else row.label
        lines = wrap(label, DOT_WIDTH, font)
        label_lines = tuple(
            TextLine(x=0, y=_n(top + font + i * line_h), text=line) for i, line in enumerate(lines)
        )
        band_top = top + len(lines) * line_h + DOT_LABEL_GAP
        middle = band_top + DOT_BAND_HEIGHT / 2
        separators = tuple(
            Line(
                x1=_n(index * column_w),
                y1=_n(band_top),
                x2=_n(index * column_w),
                y2=_n(band_top + DOT_BAND_HEIGHT),
            )
            for index in range(1, len(columns))
        )
        markers = tuple(
            _marker(
                index,
                value * column_w + column_w * (index + 1) / (len(series) + 1),
                middle,
            )
            for index, value in enumerate(row.values)
            if value is not None
        )
        chart_rows.append(
            DotChartRow(
                label=row.label,
                label_lines=label_lines,
                note=row.note,
                band=Rect(x=0, y=_n(band_top), width=DOT_WIDTH, height=DOT_BAND_HEIGHT),
                separators=separators,
                markers=markers,
            )
        )
        top = band_top + DOT_BAND_HEIGHT + DOT_ROW_GAP
    height = top - DOT_ROW_GAP + 1 if chart_rows else top

    return DotChart(
        chart_id=chart_id,
        title_id=f"{chart_id}-title",
        desc_id=f"{chart_id}-desc",
        title=title,
        summary=summary,
        width=DOT_WIDTH,
        height=_n(height),
        font_size=font,
        header_font_size=header_font,
        key=tuple(key),
        columns=tuple(headers),
        rows=tuple(chart_rows),
    )
