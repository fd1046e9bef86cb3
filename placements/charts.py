"""Charts drawn on the server as inline SVG: no script, no stylesheet, nothing from a CDN.

Colours and type are SVG presentation attributes, not style attributes, so the chart passes the
strict Content Security Policy of the public site as well as the admin's. Every chart carries a
<title> and a <desc> that says its numbers in words, and text labels on its axes and bars; the
figures are also in a table next to it, which is what a screen reader should read."""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

TEXT_SIZE = 12
VALUE_SIZE = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]
    colour: str  # a CSS colour, e.g. "#007d7e"


def axis_top(largest, ticks=4):
    """A round number at or above the largest value, and the step between its ticks."""
    if largest <= 0:
        return ticks, 1
    rough = largest / ticks
    magnitude = 10 ** math.floor(math.log10(rough))
    step = max(1, round(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)))
    return step * math.ceil(largest / step), step


def bar_chart(chart_id, title, description, categories, series, width=720, height=300):
    """A grouped bar chart as an SVG string: one group per category, one bar per series.

    chart_id makes the ids of its <title> and <desc> unique on the page."""
    left, right, top, bottom = 56, 12, 40, 36
    plot_width, plot_height = width - left - right, height - top - bottom
    largest = max((value for one in series for value in one.values), default=0)
    ceiling, step = axis_top(largest)
    group = plot_width / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)

    def y(value):
        return top + plot_height - plot_height * value / ceiling

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="{TEXT_SIZE}" fill="currentColor">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(0, ceiling + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="currentColor" stroke-opacity="{0.6 if tick == 0 else 0.15}"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:,}</text>')
    legend_x = left
    for one in series:
        parts.append(f'<rect x="{legend_x}" y="12" width="12" height="12" fill={quoteattr(one.colour)}/>')
        parts.append(f'<text x="{legend_x + 18}" y="22">{escape(one.name)}</text>')
        legend_x += 28 + 7 * len(one.name)
    for index, category in enumerate(categories):
        x = left + group * index + group * 0.1
        for one in series:
            value = one.values[index]
            parts.append(
                f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar:.1f}" '
                f'height="{y(0) - y(value):.1f}" fill={quoteattr(one.colour)}>'
                f"<title>{escape(f'{category}, {one.name}: {value:,}')}</title></rect>"
            )
            if bar >= 16:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y(value) - 3:.1f}" text-anchor="middle" '
                    f'font-size="{VALUE_SIZE}">{value:,}</text>'
                )
            x += bar
        centre = left + group * (index + 0.5)
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 18}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
