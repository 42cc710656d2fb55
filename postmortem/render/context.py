"""The view model: one plain, audience-filtered value built from an Incident, used by every format.

Templates only present.  Everything that needs a decision (what the audience
sees, what is overdue, how a duration reads, which time zone) is decided
here, so that the Markdown, HTML and PDF templates cannot disagree.

Responders appear by role, never by name: the view model does not carry
their names at all, so no template can print them.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from postmortem.model.incident import Incident
from postmortem.render.markdown import FieldRenderer, sanitize_markdown, table_cell
from postmortem.render.options import DEFAULT_CONFIDENTIALITY, RenderOptions, zone
from postmortem.render.svg import Band, Milestone, timeline_svg
from postmortem.roles import ROLE_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import ActionItem, Event

SEVERITY_LABELS = {"critical": "SEV1 · Critical", "high": "SEV2 · High", "medium": "SEV3 · Medium", "low": "SEV4 · Low"}
STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "final": "Final"}
PHASE_LABELS = {
    "detect": "Detect",
    "triage": "Triage",
    "mitigate": "Mitigate",
    "communicate": "Communicate",
    "resolve": "Resolve",
    "other": "Other",
}
DETECTION_LABELS = {
    "alert": "Alert",
    "metric": "Metric",
    "trace": "Trace",
    "log": "Log",
    "customer-report": "Customer report",
    "employee-report": "Employee report",
    "other": "Other",
}
ACTION_STATUS_LABELS = {"open": "Open", "in-progress": "In progress", "done": "Done", "wont-do": "Won't do"}
ACTION_TYPE_LABELS = {
    "prevent": "Prevent",
    "mitigate": "Mitigate",
    "detect": "Detect",
    "process": "Process",
    "other": "Other",
}
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}

SECTION_TITLES = {
    "summary": "Summary",
    "impact": "Impact",
    "detection": "Detection",
    "responders": "Responders",
    "timeline": "Timeline",
    "analysis": "Analysis",
    "action-items": "Action items",
    "lessons": "Lessons learned",
    "links": "Links",
    "figures": "Figures",
}
AUDIENCE_SECTIONS = {
    "internal": tuple(SECTION_TITLES),
    "executive": ("summary", "impact", "action-items"),
    "public": ("summary", "impact", "detection", "timeline", "analysis", "action-items", "lessons", "links", "figures"),
}


class Rich:
    """A Markdown field, rendered on demand for the format that asks."""

    __slots__ = ("_renderer", "source")

    def __init__(self, source: str, renderer: FieldRenderer) -> None:
        self.source = source
        self._renderer = renderer

    @property
    def html(self) -> Markup:
        return self._renderer.html(self.source)

    @property
    def inline_html(self) -> Markup:
        """For table cells: a single paragraph loses its ``<p>``."""
        out = self._renderer.html(self.source)
        s = str(out).strip()
        if s.startswith("<p>") and s.endswith("</p>") and s.count("<p>") == 1:
            return Markup(s[3:-4])  # safe: already safe HTML
        return out

    @property
    def md(self) -> str:
        return sanitize_markdown(self.source)

    @property
    def md_cell(self) -> str:
        return table_cell(self.source)

    @property
    def plain(self) -> str:
        """One line of text without Markdown punctuation (for labels)."""
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", self.source)
        text = re.sub(r"[`*_~>#|]", "", text)
        return " ".join(text.split())


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str


@dataclass(frozen=True)
class EventView:
    at_iso: str
    utc: str
    local: str | None
    phase: str | None
    phase_label: str | None
    text: Rich
    evidence: tuple[LinkView, ...]


@dataclass(frozen=True)
class FactorView:
    title: str
    text: Rich | None


@dataclass(frozen=True)
class ActionView:
    id: str | None
    title: str
    type: str
    type_label: str
    owner: str | None
    priority: str | None
    due: str | None
    status: str
    status_label: str
    tracker: str | None
    overdue: bool
    description: Rich | None


@dataclass(frozen=True)
class RoleView:
    role: str
    label: str
    count: int
    teams: str


@dataclass(frozen=True)
class FigureView:
    caption: str
    data_uri: str | None
    note: str | None
    md_path: str | None = None
    """The path as written, for the Markdown format (relative to the incident file), when it is safe."""


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class MermaidView:
    """A gantt chart for GitHub, as lines of Mermaid source (labels already escaped)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class View:
    audience: str
    lang: str
    id: str
    title: str
    status: str
    status_label: str
    severity: str
    severity_label: str
    is_draft: bool
    confidentiality: str
    header_line: str
    created: str
    updated: str | None
    review_meeting: str | None
    authors: tuple[str, ...]
    reviewers: tuple[str, ...]
    services: tuple[str, ...]
    tags: tuple[str, ...]
    started: str
    ended: str | None
    duration: str
    glance: tuple[Fact, ...]
    summary: Rich
    impact_description: Rich
    impact_facts: tuple[Fact, ...]
    detection_method: str
    detected: str | None
    detection: Rich
    responders: tuple[RoleView, ...]
    responder_total: int
    timeline: tuple[EventView, ...]
    tz: str | None
    timeline_svg: Markup | None
    mermaid: MermaidView | None
    trigger: Rich | None
    factors: tuple[FactorView, ...]
    resolution: Rich | None
    went_well: tuple[Rich, ...]
    went_wrong: tuple[Rich, ...]
    lucky: tuple[Rich, ...]
    action_items: tuple[ActionView, ...]
    action_items_note: str | None
    show_owners: bool
    show_trackers: bool
    lessons: tuple[Rich, ...]
    links: tuple[LinkView, ...]
    figures: tuple[FigureView, ...]
    sections: tuple[Section, ...]
    as_of: str
    keywords: tuple[str, ...]
    subject: str
    paper: str
    warnings: tuple[str, ...] = field(default=())

    def has(self, section: str) -> bool:
        return any(s.id == section for s in self.sections)


# --- formatting ----------------------------------------------------------------


def fmt_duration(td: dt.timedelta | None) -> str:
    """``1 h 23 min``; ``—`` when unknown."""
    if td is None:
        return "—"
    seconds = int(td.total_seconds())
    sign = "−" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes, secs = divmod(rem, 60)
    if days:
        return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"
    if hours:
        return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"
    if minutes:
        return f"{sign}{minutes} min"
    return f"{sign}{secs} s"


def fmt_utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def fmt_number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _figure_uri(data: bytes) -> str | None:
    mime = next((m for sig, m in IMAGE_TYPES.items() if data.startswith(sig)), None)
    if mime is None and data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None and _looks_like_svg(data):
        mime = "image/svg+xml"
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _relative_inside(path: str) -> bool:
    p = path.replace("\\", "/")
    return not (p.startswith("/") or ":" in p or ".." in p.split("/"))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()


# --- building ---------------------------------------------------------------------


def _event_times(events: list[Event], tz: dt.tzinfo | None) -> list[tuple[str, str | None]]:
    seconds = any(e.at.second for e in events)
    fmt = "%H:%M:%S" if seconds else "%H:%M"
    out: list[tuple[str, str | None]] = []
    last_day: dt.date | None = None
    last_local_day: dt.date | None = None
    for e in events:
        utc = e.at.astimezone(dt.UTC)
        utc_s = utc.strftime(fmt)
        if utc.date() != last_day:
            utc_s = utc.strftime(f"%d %b {fmt}")
            last_day = utc.date()
        local_s: str | None = None
        if tz is not None:
            local = e.at.astimezone(tz)
            local_s = local.strftime(fmt)
            if local.date() != last_local_day:
                local_s = local.strftime(f"%d %b {fmt}")
                last_local_day = local.date()
        out.append((utc_s, local_s))
    return out


def _action_view(a: ActionItem, as_of: dt.date, r: FieldRenderer) -> ActionView:
    overdue = a.due is not None and a.due < as_of and a.status in ("open", "in-progress")
    return ActionView(
        id=a.id,
        title=a.title,
        type=a.type,
        type_label=ACTION_TYPE_LABELS[a.type],
        owner=a.owner,
        priority=a.priority,
        due=a.due.isoformat() if a.due else None,
        status=a.status,
        status_label=ACTION_STATUS_LABELS[a.status],
        tracker=a.tracker,
        overdue=overdue,
        description=Rich(a.description, r) if a.description else None,
    )


_MERMAID_SPECIAL = {":": "∶", "<": "‹", ">": "›", "&": "+", "`": "'"}
"""Characters a gantt task name cannot carry, and look-alikes that read the same.

``:`` ends the name; ``<``, ``>`` and ``&`` are shown escaped twice by Mermaid 11.
Mermaid's own entity codes (``#58;``) are not decoded by every renderer, so they are
not used.  Checked by rendering every sample's chart with mermaid 11.17 in Chromium.
"""


def mermaid_label(text: str, limit: int = 60) -> str:
    """A gantt task name: one line, no separator, nothing Mermaid would read as an entity or a comment."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = "".join(_MERMAID_SPECIAL.get(c, c) for c in text)
    text = re.sub(r"#(\w+);", r"#\1 ;", text)  # would be decoded as an entity
    text = text.replace("%%", "% %")  # a comment
    return text or "event"


def _mermaid(
    incident: Incident, start: dt.datetime, bands: list[Band], milestones: list[Milestone], events: list[EventView]
) -> MermaidView:
    fmt = "%Y-%m-%d %H:%M"

    def d(when: dt.datetime) -> str:
        return when.astimezone(dt.UTC).strftime(fmt)

    lines = [
        "gantt",
        "    title Incident timeline (UTC)",
        "    dateFormat YYYY-MM-DD HH:mm",
        "    axisFormat %H:%M",
    ]
    if bands:
        lines.append("    section Response")
        for i, band in enumerate(bands):
            end = band.end if band.end > band.start else band.start + dt.timedelta(minutes=1)
            lines.append(f"    {mermaid_label(band.label)} :b{i}, {d(band.start)}, {d(end)}")
    lines.append("    section Milestones")
    for i, m in enumerate(milestones):
        lines.append(f"    {mermaid_label(m.label)} :milestone, m{i}, {d(m.at)}, 0m")
    key_events = [e for e in events if e.phase][:12]
    if key_events:
        lines.append("    section Events")
        for i, e in enumerate(key_events):
            # The phase first: a name must not start with a gantt keyword (section, title, click...).
            label = mermaid_label(f"{e.phase_label} – {e.text.plain}")
            lines.append(f"    {label} :milestone, e{i}, {e.at_iso}, 0m")
    return MermaidView(tuple(lines))


def build_view(incident: Incident, options: RenderOptions) -> View:
    """The audience-filtered view model of ``incident``."""
    r = FieldRenderer()
    audience = options.audience
    public = audience == "public"
    executive = audience == "executive"
    as_of = options.effective_as_of()
    tz = zone(options.tz) if options.tz else None
    m = incident.metrics
    imp = incident.impact
    warnings: list[str] = []

    def keep(item_internal: bool) -> bool:
        return not (public and item_internal)

    # Header and at-a-glance.
    start = imp.started_at
    duration = fmt_duration(m.impact_duration) if imp.ended_at else "ongoing"
    glance: list[Fact] = [Fact("Impact duration", duration)]
    if imp.users_affected is not None:
        glance.append(Fact("Users affected", fmt_number(imp.users_affected)))
    if imp.error_budget_consumed is not None:
        glance.append(Fact("Error budget consumed", f"{fmt_number(imp.error_budget_consumed)} %"))
    glance += [
        Fact("Time to detect", fmt_duration(m.time_to_detect)),
        Fact("Time to mitigate", fmt_duration(m.time_to_mitigate)),
        Fact("Time to resolve", fmt_duration(m.time_to_resolve)),
    ]
    impact_facts: list[Fact] = [Fact("Started", fmt_utc(start))]
    impact_facts.append(Fact("Ended", fmt_utc(imp.ended_at) if imp.ended_at else "ongoing"))
    if imp.affected:
        impact_facts.append(Fact("Affected", imp.affected))
    if imp.users_affected is not None:
        impact_facts.append(Fact("Users affected", fmt_number(imp.users_affected)))
    if imp.slo:
        impact_facts.append(Fact("SLO breached", imp.slo))
    if imp.error_budget_consumed is not None:
        impact_facts.append(Fact("Error budget consumed", f"{fmt_number(imp.error_budget_consumed)} %"))
    for measure in imp.measures:
        if keep(measure.internal):
            unit = f" {measure.unit}" if measure.unit else ""
            impact_facts.append(Fact(measure.name, f"{fmt_number(measure.value)}{unit}"))
            if len(glance) < 8:
                glance.insert(len(glance) - 3, Fact(measure.name, f"{fmt_number(measure.value)}{unit}"))

    # Timeline.
    events = [e for e in incident.timeline if keep(e.internal)]
    events.sort(key=lambda e: e.at)
    times = _event_times(events, tz)
    timeline = tuple(
        EventView(
            at_iso=e.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
            utc=utc_s,
            local=local_s,
            phase=e.phase,
            phase_label=PHASE_LABELS[e.phase] if e.phase else None,
            text=Rich(e.text, r),
            evidence=() if public else tuple(LinkView(ev.title or ev.kind, ev.url) for ev in e.evidence),
        )
        for e, (utc_s, local_s) in zip(events, times, strict=True)
    )

    # Milestones and phase bands for the visual timeline and the Mermaid chart.
    detected = incident.detected_at
    mitigated = incident.first_event_at("mitigate")
    resolved = incident.first_event_at("resolve") or imp.ended_at
    milestones = [Milestone("impact", "Impact starts", start)]
    if detected:
        milestones.append(Milestone("detected", "Detected", detected))
    if mitigated:
        milestones.append(Milestone("mitigated", "Mitigated", mitigated))
    if resolved:
        milestones.append(Milestone("resolved", "Resolved", resolved))
    bands: list[Band] = []
    cursor = start
    for key, label, when in (
        ("detect", "Until detected", detected),
        ("mitigate", "Until mitigated", mitigated),
        ("resolve", "Until resolved", resolved),
    ):
        if when is not None and when >= cursor:
            bands.append(Band(key, label, cursor, when))
            cursor = when
    # The axis covers the milestones (the response), not follow-ups days later nor changes weeks before.
    first = min(mm.at for mm in milestones)
    last = max(mm.at for mm in milestones)
    pad = (last - first) * 0.04
    svg = timeline_svg(first - pad, last + pad, bands, milestones, title=f"Visual timeline of {incident.id}")
    mermaid = _mermaid(incident, start, bands, milestones, list(timeline))

    # Action items.
    items = [a for a in incident.action_items if keep(a.internal)]
    note = None
    if executive:
        items = [a for a in items if a.priority in ("P0", "P1") and a.status in ("open", "in-progress")]
        note = "Open P0 and P1 action items only." if incident.action_items else None
    order = {"P0": 0, "P1": 1, "P2": 2, "P3": 3, None: 4}
    if executive:
        items.sort(key=lambda a: (order[a.priority], a.due or dt.date.max))
    actions = tuple(_action_view(a, as_of, r) for a in items)

    # Responders by role: counts and teams, never names.
    roles: dict[str, list[str]] = {}
    for resp in incident.responders:
        roles.setdefault(resp.role, [])
        if resp.team and resp.team not in roles[resp.role]:
            roles[resp.role].append(resp.team)
    counts: dict[str, int] = {}
    for resp in incident.responders:
        counts[resp.role] = counts.get(resp.role, 0) + 1
    responders = tuple(
        RoleView(role, ROLE_LABELS[role].split(" ", 1)[1].capitalize(), counts[role], ", ".join(teams))
        for role, teams in roles.items()
    )

    # Figures: bytes from options only (the renderer reads no files).
    figures: list[FigureView] = []
    for fig in incident.figures:
        if not keep(fig.internal):
            continue
        md_path = fig.path if _relative_inside(fig.path) else None
        data = options.figures.get(fig.path)
        if data is None:
            warnings.append(f"figure {fig.path!r} was not provided; shown as its caption")
            figures.append(FigureView(fig.caption, None, "image not available"))
            continue
        if len(data) > options.max_image_bytes:
            warnings.append(f"figure {fig.path!r} is larger than {options.max_image_bytes} bytes; left out")
            figures.append(FigureView(fig.caption, None, "image too large to embed"))
            continue
        uri = _figure_uri(data)
        if uri is None:
            warnings.append(f"figure {fig.path!r} is not a PNG, JPEG, GIF, WebP or SVG image; left out")
            figures.append(FigureView(fig.caption, None, "unsupported image type"))
            continue
        figures.append(FigureView(fig.caption, uri, None, md_path))

    factors = tuple(
        FactorView(f.title, Rich(f.text, r) if f.text else None)
        for f in incident.contributing_factors
        if keep(f.internal)
    )
    links = tuple(LinkView(lk.title, lk.url) for lk in incident.links if keep(lk.internal))

    # Sections present for this audience, in order, for the table of contents.
    wanted = AUDIENCE_SECTIONS[audience]
    present = {
        "summary": True,
        "impact": True,
        "detection": True,
        "responders": bool(responders),
        "timeline": bool(timeline),
        "analysis": bool(
            incident.trigger
            or factors
            or incident.resolution
            or incident.what_went_well
            or incident.what_went_wrong
            or incident.where_we_got_lucky
        ),
        "action-items": bool(actions) or executive,
        "lessons": bool(incident.lessons_learned),
        "links": bool(links),
        "figures": bool(figures),
    }
    sections = tuple(Section(s, SECTION_TITLES[s]) for s in wanted if present[s])

    confidentiality = incident.confidentiality or options.confidentiality or DEFAULT_CONFIDENTIALITY[audience]
    severity_label = SEVERITY_LABELS[incident.severity]
    keywords = tuple(dict.fromkeys(["postmortem", incident.id, incident.severity, *incident.services, *incident.tags]))
    return View(
        audience=audience,
        lang=options.lang,
        id=incident.id,
        title=incident.title,
        status=incident.status,
        status_label=STATUS_LABELS[incident.status],
        severity=incident.severity,
        severity_label=severity_label,
        is_draft=incident.status == "draft",
        confidentiality=confidentiality,
        header_line=f"{incident.id} · {severity_label} · {confidentiality}",
        created=incident.created.isoformat(),
        updated=incident.updated.isoformat() if incident.updated else None,
        review_meeting=incident.review_meeting.isoformat() if incident.review_meeting else None,
        authors=() if public else tuple(incident.authors),
        reviewers=() if public else tuple(incident.reviewers),
        services=tuple(incident.services),
        tags=tuple(incident.tags),
        started=fmt_utc(start),
        ended=fmt_utc(imp.ended_at) if imp.ended_at else None,
        duration=duration,
        glance=tuple(glance),
        summary=Rich(incident.summary, r),
        impact_description=Rich(imp.description, r),
        impact_facts=tuple(impact_facts),
        detection_method=DETECTION_LABELS[incident.detection.method],
        detected=fmt_utc(detected) if detected else None,
        detection=Rich(incident.detection.text, r),
        responders=responders,
        responder_total=len(incident.responders),
        timeline=timeline,
        tz=options.tz,
        timeline_svg=svg if timeline or len(milestones) > 1 else None,
        mermaid=mermaid,
        trigger=Rich(incident.trigger, r) if incident.trigger else None,
        factors=factors,
        resolution=Rich(incident.resolution, r) if incident.resolution else None,
        went_well=tuple(Rich(t, r) for t in incident.what_went_well),
        went_wrong=tuple(Rich(t, r) for t in incident.what_went_wrong),
        lucky=tuple(Rich(t, r) for t in incident.where_we_got_lucky),
        action_items=actions,
        action_items_note=note,
        show_owners=not public,
        show_trackers=not public,
        lessons=tuple(Rich(t, r) for t in incident.lessons_learned),
        links=links,
        figures=tuple(figures),
        sections=sections,
        as_of=as_of.isoformat(),
        keywords=keywords,
        subject=f"Post-mortem of {incident.id}: {incident.title}",
        paper=options.paper,
        warnings=tuple(warnings),
    )
