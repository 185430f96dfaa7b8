"""Presentation helpers for the review pages: SVG bars (the CSP forbids style attributes), due states, themes."""
from django import template

from .. import presentation, themes
from ..models import RectificationStatus
from ..naming import group_label

register = template.Library()

_STATUS_ORDER = [
    (RectificationStatus.COMPLETED, "completed"),
    (RectificationStatus.IN_PROGRESS, "in_progress"),
    (RectificationStatus.LONG_TERM, "long_term"),
    (RectificationStatus.NOT_STATED, "not_stated"),
]


def _segments(counts: dict[str, int]) -> tuple[list[dict], int]:
    total = sum(counts.values())
    segments, x = [], 0.0
    for status, css in _STATUS_ORDER:
        n = counts.get(status, 0) or 0
        if not n:
            continue
        width = n * 100 / total
        segments.append({"css": css, "x": f"{x:.3f}", "width": f"{width:.3f}", "n": n, "label": status.label})
        x += width
    return segments, total


@register.inclusion_tag("tracking/_progressbar.html")
def progress_bar(completed=0, in_progress=0, long_term=0, not_stated=0):
    """A stacked bar of claimed statuses, widths as SVG geometry rather than inline styles."""
    segments, total = _segments({"completed": completed, "in_progress": in_progress, "long_term": long_term,
                                 "not_stated": not_stated})
    summary = "，".join(f"{s['label']}{s['n']}项" for s in segments) or "暂无问题"
    return {"segments": segments, "total": total, "summary": summary}


@register.inclusion_tag("tracking/_meter.html")
def meter(value, maximum, part=None):
    """A single horizontal bar (value of maximum) with an optional darker ``part`` of it."""
    maximum = maximum or 1
    return {
        "width": f"{(value or 0) * 100 / maximum:.3f}",
        "part": f"{(part or 0) * 100 / maximum:.3f}" if part is not None else None,
    }


@register.filter
def due_state(issue):
    return presentation.due_state(issue)


@register.filter
def warning(issue):
    """The 预警 of an issue: ``.state``, ``.colour`` (red / yellow / green / grey), ``.label`` (「逾期3天」)."""
    return presentation.warning(issue)


@register.filter
def measure_texts(issue):
    return presentation.measure_texts(issue)


@register.inclusion_tag("tracking/_linechart.html")
def line_chart(series, label="完成率"):
    """An SVG line of percentages (0–100) over ``series.points``; gaps where there is nothing to count."""
    rates = series.rates if series else []
    n = len(rates)
    width, height, pad = 600, 180, 28
    step = (width - 2 * pad) / max(n - 1, 1)
    points = []
    for index, rate in enumerate(rates):
        if rate is None:
            continue
        points.append({"x": f"{pad + index * step:.1f}", "y": f"{height - pad - rate * (height - 2 * pad) / 100:.1f}",
                       "rate": rate, "day": series.points[index][0]})
    ticks = [{"x": f"{pad + i * step:.1f}", "day": series.points[i][0]} for i in range(n)]
    grid = [{"y": f"{height - pad - v * (height - 2 * pad) / 100:.1f}", "v": v} for v in (0, 50, 100)]
    return {"points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points), "ticks": ticks,
            "grid": grid, "width": width, "height": height, "label": label,
            "summary": "，".join(f"{p['day']:%Y-%m} {p['rate']}%" for p in points) or "暂无数据"}


@register.filter
def due_label(state):
    return presentation.DUE_LABELS.get(state, "")


@register.filter
def current_measures(issue):
    return presentation.current_measures(issue)


@register.filter
def issue_themes(issue):
    """[(theme, matched keywords)], so a tag can say which words put the issue in the theme."""
    return [(theme, themes.matched_keywords(theme, issue.title, issue.text))
            for theme in themes.themes_of(issue.title, issue.text)]


@register.filter
def by_date(actions):
    """Dated steps first in date order, undated ones after, as a timeline reads."""
    items = list(actions)
    return sorted(items, key=lambda a: (a.date is None, a.date or 0, a.order))


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def inspection_title(body, group):
    return group_label(body, group)
