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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from postmortem.model.incident import Incident
from postmortem.render.images import SUPPORTED, image_type
from postmortem.render.markdown import (
    FieldRenderer,
    Mark,
    merge_comments,
    place_suppressions,
    sanitize_markdown,
    suppression_comment,
    table_cell,
)
from postmortem.render.options import DEFAULT_CONFIDENTIALITY, RenderOptions, zone
from postmortem.render.svg import Band, Milestone, timeline_svg
from postmortem.roles import ROLE_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.diagnostics import Silenced, Suppression
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

    __slots__ = ("_renderer", "marks", "source")

    def __init__(self, source: str, renderer: FieldRenderer, marks: tuple[Mark, ...] = ()) -> None:
        self.source = source
        self._renderer = renderer
        self.marks = marks
        """Findings of this field that the incident's suppressions silenced (see :class:`Suppressions`)."""

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
        """Sanitised Markdown, with the field's suppression comments over the blocks they cover."""
        return place_suppressions(sanitize_markdown(self.source), self._field_marks())

    @property
    def md_item(self) -> str:
        """:attr:`md` for the text of a list item: its first line follows the template's ``- ``."""
        return place_suppressions(sanitize_markdown(self.source), self._field_marks(), item=True)

    def _field_marks(self) -> tuple[Mark, ...]:
        # sanitize_markdown drops the leading line breaks: lines of the field move up as many
        lead = len(self.source) - len(self.source.lstrip("\n"))
        if not lead:
            return self.marks
        return tuple(Mark(max(0, m.line - lead), m.rule, m.reason, m.group) for m in self.marks)

    @property
    def md_cell(self) -> str:
        """One table cell; the row's suppression comments come from the view (``md_note``)."""
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
    md_note: str = ""
    """Suppression comments for the end of the Markdown line or table row (see :class:`Suppressions`)."""


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str
    md_note: str = ""


@dataclass(frozen=True)
class EventView:
    at_iso: str
    utc: str
    local: str | None
    phase: str | None
    phase_label: str | None
    text: Rich
    evidence: tuple[LinkView, ...]
    md_note: str = ""


@dataclass(frozen=True)
class FactorView:
    title: str
    text: Rich | None
    title_md_note: str = ""


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
    md_note: str = ""


@dataclass(frozen=True)
class RoleView:
    role: str
    label: str
    count: int
    teams: str
    md_note: str = ""


@dataclass(frozen=True)
class FigureView:
    caption: str
    data_uri: str | None
    note: str | None
    md_path: str | None = None
    """The path as written, for the Markdown format (relative to the incident file), when it is safe."""
    md_note: str = ""


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
    md_notes: Mapping[str, str] = field(default_factory=dict)
    """Suppression comments for the Markdown's own lines, by place: ``front:<key>`` (YAML comments
    above a front-matter key), ``file`` (``disable-file`` comments), ``title`` (above the heading),
    ``id``, ``services``, ``confidentiality`` (header rows) and ``footer``."""

    def has(self, section: str) -> bool:
        return any(s.id == section for s in self.sections)


# --- suppressions -------------------------------------------------------------


def _under(path: str, place: str) -> bool:
    return path == place or path.startswith((place + ".", place + "["))


class Suppressions:
    """The incident file's suppressions, for the Markdown: each comment goes over the text it covered.

    Every place in the Markdown that shows incident text asks for the findings of its fields:
    :meth:`field` for a Markdown field (comments placed inside it), :meth:`note` for a line or a
    table row (comments at its end), :meth:`above` for a heading, :meth:`front` for a front-matter
    key (YAML comments above it).  A comment names the rules whose findings it silenced there, so it
    is never an unused suppression.  Places are recorded with their section, and a ``disable-file``
    is carried (:meth:`file`) only when something it silenced is shown.
    """

    def __init__(self, suppressions: Sequence[Suppression]) -> None:
        self.all = tuple(suppressions)
        self._by_path: dict[str, list[tuple[int, Silenced]]] = {}
        for k, sup in enumerate(self.all):
            for f in sup.silenced:
                if f.path is not None and f.line is not None:
                    self._by_path.setdefault(f.path, []).append((k, f))
        self._places: list[tuple[str | None, tuple[str, ...]]] = []
        self._went_well_missing = False

    def _found(self, section: str | None, paths: tuple[str, ...]) -> list[tuple[int, Silenced]]:
        self._places.append((section, paths))
        hits = [
            (k, f)
            for key, found in self._by_path.items()
            if any(_under(key, p) for p in paths)
            for k, f in found
            if self.all[k].kind == "ignore"
        ]
        return sorted(hits, key=self._order)

    def _order(self, hit: tuple[int, Silenced]) -> tuple[int, int]:
        """Suppressions in file order, each one's rules in the order it names them."""
        k, f = hit
        rules = self.all[k].rules
        return k, rules.index(f.rule) if f.rule in rules else len(rules)

    def _grouped(self, hits: list[tuple[int, Silenced]]) -> list[tuple[str | None, list[str]]]:
        groups: dict[int, list[str]] = {}
        for k, f in hits:
            rules = groups.setdefault(k, [])
            if f.rule not in rules:
                rules.append(f.rule)
        return merge_comments([(self.all[k].reason, rules) for k, rules in groups.items()])

    def field(self, section: str, path: str) -> tuple[Mark, ...]:
        """The findings silenced in a Markdown field, for :func:`place_suppressions` (in :meth:`_order`)."""
        return tuple(Mark(f.line or 0, f.rule, self.all[k].reason, k) for k, f in self._found(section, (path,)))

    def note(self, section: str | None, *paths: str) -> str:
        """Comments for the end of one line (or table row) that shows ``paths``; empty when none."""
        return "".join(
            " " + suppression_comment("ignore", rules, reason, inline=True)
            for reason, rules in self._grouped(self._found(section, paths))
        )

    def above(self, section: str | None, *paths: str) -> str:
        """Comments, each on a line of its own, for the block that follows (a heading)."""
        return "".join(
            suppression_comment("ignore", rules, reason) + "\n"
            for reason, rules in self._grouped(self._found(section, paths))
        )

    def front(self, *paths: str) -> str:
        """YAML comments, each on a line of its own, above a front-matter key that shows ``paths``."""
        return "".join(
            _yaml_comment("ignore", rules, reason) for reason, rules in self._grouped(self._found(None, paths))
        )

    def went_well(self, missing: bool) -> str:
        """YAML comments above the front matter's ``status`` for a silenced *missing-what-went-well*.

        The Markdown linter reports it there when the Markdown has no "What went well" section
        (``missing``); when it has one, the finding is gone and so is the comment.
        """
        self._went_well_missing = missing
        if not missing:
            return ""
        out = ""
        for sup in self.all:
            if sup.kind == "ignore" and any(f.rule == "missing-what-went-well" for f in sup.silenced):
                out += _yaml_comment("ignore", ["missing-what-went-well"], sup.reason)
        return out

    def file(self, shown: set[str]) -> str:
        """``disable-file`` comments, each with the rules it silenced in text the Markdown shows.

        They go at the end of the Markdown: the linter gives a finding to the first comment that
        covers it, and an ``ignore`` placed over a block must keep the findings it had in the file.
        """
        places = [p for section, paths in self._places if section is None or section in shown for p in paths]
        out = ""
        for sup in self.all:
            if sup.kind != "disable-file":
                continue
            rules: list[str] = []
            for f in sup.silenced:
                seen = (f.rule == "missing-what-went-well" and self._went_well_missing) or (
                    f.path is not None and f.line is not None and any(_under(f.path, p) for p in places)
                )
                if seen and f.rule not in rules:
                    rules.append(f.rule)
            if rules:
                names = list(sup.rules) if sup.rules == ("all",) else rules
                out += suppression_comment("disable-file", names, sup.reason) + "\n"
        return out


def _yaml_comment(kind: str, rules: Sequence[str], reason: str | None) -> str:
    text = f"# postmortem: {kind}[{', '.join(rules)}]"
    return text + (f" -- {' '.join(reason.split())}" if reason else "") + "\n"


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
    mime = image_type(data)
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _figure_link(base: str, path: str) -> str:
    """``path`` (relative to the incident) from the Markdown's folder, ``base`` being the incident's from there."""
    import posixpath

    if not base or base == ".":
        return path
    return posixpath.normpath(posixpath.join(base, path.replace("\\", "/")))


def _relative_inside(path: str) -> bool:
    p = path.replace("\\", "/")
    return not (p.startswith("/") or ":" in p or ".." in p.split("/"))


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


def _action_view(a: ActionItem, as_of: dt.date, r: FieldRenderer, note: str = "") -> ActionView:
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
        md_note=note,
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


def markdown_front_matter(incident: Incident, options: RenderOptions) -> dict[str, list[str]]:
    """The people in the front matter of the Markdown for ``options.audience``: the roster that the
    Markdown linter reads (none in the public version)."""
    if options.audience == "public":
        return {}
    return {"authors": list(incident.authors), "reviewers": list(incident.reviewers)}


EXECUTIVE_ITEMS = 6
"""The executive version lists at most this many action items (P0 first, then by due date), so that it
keeps to two pages; a note says how many more there are."""


def build_view(incident: Incident, options: RenderOptions) -> View:
    """The audience-filtered view model of ``incident``."""
    r = FieldRenderer()
    audience = options.audience
    public = audience == "public"
    executive = audience == "executive"
    as_of = options.effective_as_of()
    tz = zone(options.tz) if options.tz else None
    imp = incident.impact
    warnings: list[str] = []
    marks = Suppressions(options.suppressions)

    def keep(item_internal: bool) -> bool:
        return not (public and item_internal)

    # Every time and figure comes from the events this audience sees: the public version must not
    # tell, by its time to mitigate, when an event it leaves out happened.
    indexed = sorted(((i, e) for i, e in enumerate(incident.timeline) if keep(e.internal)), key=lambda ie: ie[1].at)
    events = [e for _, e in indexed]
    m = incident.metrics_over(events)
    reached = incident.milestones_over(events)

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
        impact_facts.append(Fact("Affected", imp.affected, marks.note("impact", "impact.affected")))
    if imp.users_affected is not None:
        impact_facts.append(Fact("Users affected", fmt_number(imp.users_affected)))
    if imp.slo:
        impact_facts.append(Fact("SLO breached", imp.slo, marks.note("impact", "impact.slo")))
    if imp.error_budget_consumed is not None:
        impact_facts.append(Fact("Error budget consumed", f"{fmt_number(imp.error_budget_consumed)} %"))
    for i, measure in enumerate(imp.measures):
        if keep(measure.internal):
            unit = f" {measure.unit}" if measure.unit else ""
            measure_paths = (f"impact.measures[{i}].name", f"impact.measures[{i}].unit")
            impact_facts.append(
                Fact(measure.name, f"{fmt_number(measure.value)}{unit}", marks.note("impact", *measure_paths))
            )
            if len(glance) < 8:
                glance.insert(
                    len(glance) - 3,
                    Fact(measure.name, f"{fmt_number(measure.value)}{unit}", marks.note(None, *measure_paths)),
                )

    # Timeline.
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
            # the row shows the text and (but in the public version) the evidence links' titles
            md_note=marks.note("timeline", f"timeline[{i}].text", *(() if public else (f"timeline[{i}].evidence",))),
        )
        for (i, e), (utc_s, local_s) in zip(indexed, times, strict=True)
    )

    # Milestones and phase bands for the visual timeline and the Mermaid chart.
    detected, mitigated, resolved = reached.detected, reached.mitigated, reached.resolved
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
    items = [(i, a) for i, a in enumerate(incident.action_items) if keep(a.internal)]
    note = None
    if executive:
        items = [(i, a) for i, a in items if a.priority in ("P0", "P1") and a.status in ("open", "in-progress")]
        note = "Open P0 and P1 action items only." if incident.action_items else None
    order = {"P0": 0, "P1": 1, "P2": 2, "P3": 3, None: 4}
    if executive:
        items.sort(key=lambda ia: (order[ia[1].priority], ia[1].due or dt.date.max))
        if len(items) > EXECUTIVE_ITEMS:
            note = (
                f"The {EXECUTIVE_ITEMS} most urgent of {len(items)} open P0 and P1 action items;"
                " the others are in the full post-mortem."
            )
            items = items[:EXECUTIVE_ITEMS]
    # The row shows the id, title and description; the Owner column is not linted in Markdown.
    actions = tuple(
        _action_view(
            a,
            as_of,
            r,
            marks.note("action-items", *(f"action_items[{i}].{k}" for k in ("id", "title", "description"))),
        )
        for i, a in items
    )

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
        RoleView(
            role,
            ROLE_LABELS[role].split(" ", 1)[1].capitalize(),
            counts[role],
            ", ".join(teams),
            marks.note(
                "responders",
                *(f"responders[{i}].team" for i, resp in enumerate(incident.responders) if resp.role == role),
            ),
        )
        for role, teams in roles.items()
    )

    # Figures: bytes from options only (the renderer reads no files).
    figures: list[FigureView] = []
    for i, fig in enumerate(incident.figures):
        if not keep(fig.internal):
            continue
        md_path = _figure_link(options.figure_link_base, fig.path) if _relative_inside(fig.path) else None
        data = options.figures.get(fig.path)
        caption_note = marks.note("figures", f"figures[{i}].caption")
        if data is None:
            warnings.append(f"figure {fig.path!r} was not provided; shown as its caption")
            figures.append(FigureView(fig.caption, None, "image not available", md_note=caption_note))
            continue
        if len(data) > options.max_image_bytes:
            warnings.append(f"figure {fig.path!r} is larger than {options.max_image_bytes} bytes; left out")
            figures.append(FigureView(fig.caption, None, "image too large to embed", md_note=caption_note))
            continue
        uri = _figure_uri(data)
        if uri is None:
            warnings.append(f"figure {fig.path!r} is not {SUPPORTED}; left out")
            figures.append(FigureView(fig.caption, None, "unsupported image type", md_note=caption_note))
            continue
        figures.append(FigureView(fig.caption, uri, None, md_path, md_note=caption_note))

    factors = tuple(
        FactorView(
            f.title,
            Rich(f.text, r, marks.field("analysis", f"contributing_factors[{i}].text")) if f.text else None,
            marks.note("analysis", f"contributing_factors[{i}].title"),
        )
        for i, f in enumerate(incident.contributing_factors)
        if keep(f.internal)
    )
    links = tuple(
        LinkView(lk.title, lk.url, marks.note("links", f"links[{i}].title"))
        for i, lk in enumerate(incident.links)
        if keep(lk.internal)
    )

    def rich(section: str, path: str, text: str) -> Rich:
        return Rich(text, r, marks.field(section, path))

    def rich_list(section: str, key: str, texts: list[str]) -> tuple[Rich, ...]:
        return tuple(rich(section, f"{key}[{i}]", t) for i, t in enumerate(texts))

    summary = rich("summary", "summary", incident.summary)
    impact_description = rich("impact", "impact.description", imp.description)
    detection_text = rich("detection", "detection.text", incident.detection.text)
    trigger = rich("analysis", "trigger", incident.trigger) if incident.trigger else None
    resolution = rich("analysis", "resolution", incident.resolution) if incident.resolution else None
    went_well = rich_list("analysis", "what_went_well", incident.what_went_well)
    went_wrong = rich_list("analysis", "what_went_wrong", incident.what_went_wrong)
    lucky = rich_list("analysis", "where_we_got_lucky", incident.where_we_got_lucky)
    lessons = rich_list("lessons", "lessons_learned", incident.lessons_learned)

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
    shown = {s.id for s in sections}
    front = markdown_front_matter(incident, options)
    authors = tuple(front.get("authors", ()))
    reviewers = tuple(front.get("reviewers", ()))

    # Suppression comments for the Markdown's own lines; the fields carry theirs.
    md_notes = {
        "front:id": marks.front("id"),
        "front:title": marks.front("title"),
        "front:authors": marks.front("authors") if authors else "",
        "front:reviewers": marks.front("reviewers") if reviewers else "",
        "front:confidentiality": marks.front("confidentiality") if incident.confidentiality else "",
        # The executive version of a final post-mortem disables missing-what-went-well itself.
        "front:status": marks.went_well(
            not ("analysis" in shown and went_well) and not (executive and incident.status == "final")
        ),
        "title": marks.above(None, "title"),
        "id": marks.note(None, "id"),
        "services": marks.note(None, "services") if incident.services else "",
        "confidentiality": marks.note(None, "confidentiality") if incident.confidentiality else "",
        "footer": marks.note(None, *(("confidentiality",) if incident.confidentiality else ()), "id"),
    }
    md_notes["file"] = marks.file(shown)  # last: it counts the places above
    md_notes = {k: v for k, v in md_notes.items() if v}

    if public:
        # The incident's label (and the config's) classify the internal document; a customer-facing
        # copy stamped "Confidential — internal only" on every page is wrong.  Only a label asked
        # for with this render (``--confidentiality``) replaces "Public".
        confidentiality = options.confidentiality or DEFAULT_CONFIDENTIALITY[audience]
    else:
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
        authors=authors,
        reviewers=reviewers,
        services=tuple(incident.services),
        tags=tuple(incident.tags),
        started=fmt_utc(start),
        ended=fmt_utc(imp.ended_at) if imp.ended_at else None,
        duration=duration,
        glance=tuple(glance),
        summary=summary,
        impact_description=impact_description,
        impact_facts=tuple(impact_facts),
        detection_method=DETECTION_LABELS[incident.detection.method],
        detected=fmt_utc(detected) if detected else None,
        detection=detection_text,
        responders=responders,
        responder_total=len(incident.responders),
        timeline=timeline,
        tz=options.tz,
        timeline_svg=svg if timeline or len(milestones) > 1 else None,
        mermaid=mermaid,
        trigger=trigger,
        factors=factors,
        resolution=resolution,
        went_well=went_well,
        went_wrong=went_wrong,
        lucky=lucky,
        action_items=actions,
        action_items_note=note,
        show_owners=not public,
        show_trackers=not public,
        lessons=lessons,
        links=links,
        figures=tuple(figures),
        sections=sections,
        as_of=as_of.isoformat(),
        keywords=keywords,
        subject=f"Post-mortem of {incident.id}: {incident.title}",
        paper=options.paper,
        warnings=tuple(warnings),
        md_notes=md_notes,
    )
