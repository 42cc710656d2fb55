"""The visual timeline: an SVG drawn by our own code, no plotting library.

A horizontal time axis from the impact start to its end (or the last event),
coloured bands for the phases (until detected, until mitigated, until
resolved), and a labelled marker for each milestone.  Labels alternate above
and below the axis so that close milestones do not overlap.  Every piece of
text is ours (labels and times), escaped all the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 800
LEFT = 24
RIGHT = 24
INK = "#1f2328"
MUTED = "#59636e"
TEXT = f'fill="{INK}" font-size="13" font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'
FILLS = {
    "detect": "#f2b8b5",
    "mitigate": "#f6d38b",
    "resolve": "#a8d5ba",
    "impact": "#cf222e",
    "detected": "#bc4c00",
    "mitigated": "#9a6700",
    "resolved": "#1a7f37",
}


def _fill(key: str) -> str:
    return FILLS.get(key, "#8c959f")


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    start: dt.datetime
    end: dt.datetime


def _fmt(when: dt.datetime, with_date: bool) -> str:
    when = when.astimezone(dt.UTC)
    return when.strftime("%d %b %H:%M") if with_date else when.strftime("%H:%M")


def _ticks(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    span = (end - start).total_seconds()
    steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
    step = next((s for s in steps if span / s <= 8), steps[-1])
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    first = epoch + dt.timedelta(seconds=-(-((start - epoch).total_seconds()) // step) * step)
    out: list[dt.datetime] = []
    t = first
    while t <= end and len(out) < 20:
        out.append(t)
        t += dt.timedelta(seconds=step)
    return out


def timeline_svg(
    start: dt.datetime,
    end: dt.datetime,
    bands: list[Band],
    milestones: list[Milestone],
    title: str = "Visual timeline",
) -> Markup:
    """An inline ``<svg>`` element, scaled to its container's width."""
    if end <= start:
        end = start + dt.timedelta(minutes=1)
    total = (end - start).total_seconds()
    inner = WIDTH - LEFT - RIGHT
    multi_day = start.astimezone(dt.UTC).date() != end.astimezone(dt.UTC).date()

    def x(when: dt.datetime) -> float:
        frac = (when - start).total_seconds() / total
        return round(LEFT + inner * min(1.0, max(0.0, frac)), 1)

    rows = (len(milestones) + 1) // 2
    label_h = 30
    axis_y = 24 + rows * label_h + 20
    height = axis_y + 40 + rows * label_h + 46
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="tl-title tl-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="tl-title">{escape(title)}</title>',
    ]
    desc = "; ".join(f"{m.label} at {_fmt(m.at, multi_day)} UTC" for m in milestones)
    parts.append(f'<desc id="tl-desc">{escape(desc)}</desc>')
    # Phase bands.
    for band in bands:
        x0, x1 = x(band.start), x(band.end)
        w = max(1.0, x1 - x0)
        parts.append(
            f'<rect class="band band-{escape(band.key)}" x="{x0}" y="{axis_y - 10}" width="{round(w, 1)}" '
            f'height="20" fill="{_fill(band.key)}"><title>{escape(band.label)}</title></rect>'
        )
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" stroke="{INK}"/>')
    # Milestones alternate above and below the axis; a leader line going down would cross a tick
    # label at its x, and that label is left out (the milestone's own label gives its time).
    ordered = sorted(milestones, key=lambda m: m.at)
    leaders_below = [x(m.at) for i, m in enumerate(ordered) if i % 2 == 1]
    # Time ticks.
    for t in _ticks(start, end):
        tx = x(t)
        parts.append(f'<line class="tick" x1="{tx}" y1="{axis_y + 10}" x2="{tx}" y2="{axis_y + 16}" stroke="{INK}"/>')
        label = _fmt(t, multi_day and t.hour == 0 and t.minute == 0)
        half = 4.2 * len(label) + 4  # about half the label's width at 13 px
        if any(abs(tx - lx) < half for lx in leaders_below):
            continue
        parts.append(
            f'<text class="tick-label" x="{tx}" y="{axis_y + 30}" text-anchor="middle" {TEXT}>{escape(label)}</text>'
        )
    # Milestones.
    for i, m in enumerate(ordered):
        mx = x(m.at)
        above = i % 2 == 0
        row = i // 2
        anchor = "start" if mx < WIDTH * 0.2 else "end" if mx > WIDTH * 0.8 else "middle"
        if above:
            ty = axis_y - 22 - row * label_h
            line_y = ty + 6
        else:
            ty = axis_y + 52 + row * label_h
            line_y = ty - 14
        parts.append(f'<line class="leader" x1="{mx}" y1="{axis_y}" x2="{mx}" y2="{line_y}" stroke="{MUTED}"/>')
        parts.append(
            f'<circle class="mark mark-{escape(m.key)}" cx="{mx}" cy="{axis_y}" r="6" '
            f'fill="{_fill(m.key)}" stroke="{INK}"/>'
        )
        parts.append(
            f'<text class="mark-label" x="{mx}" y="{ty}" text-anchor="{anchor}" {TEXT}>'
            f'{escape(m.label)} <tspan class="mark-time" font-weight="bold">'
            f"{escape(_fmt(m.at, multi_day))}</tspan></text>"
        )
    # Legend.
    ly = height - 14
    lx = float(LEFT)
    for band in bands:
        parts.append(
            f'<rect class="band band-{escape(band.key)}" x="{lx}" y="{ly - 10}" width="14" height="12" '
            f'fill="{_fill(band.key)}"/>'
        )
        parts.append(f'<text class="legend" x="{lx + 20}" y="{ly}" {TEXT}>{escape(band.label)}</text>')
        lx += 20 + 7.2 * len(band.label) + 24
    parts.append("</svg>")
    return Markup("\n".join(parts))  # safe: every interpolated text is escaped above
