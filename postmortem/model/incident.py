"""The incident model: pydantic v2, strict, ``extra="forbid"`` everywhere.

Types are strict: the YAML layer already typed plain scalars by the YAML 1.2
core schema, so a number where text belongs is an error, not a silent
conversion.  Only timestamps and dates are parsed from text, by the model.
Enumerations are ``Literal`` values so that strict validation accepts the
text a person writes and the JSON Schema lists the choices for completion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from postmortem.roles import ROLE_LABELS

SCHEMA_VERSION = 1

Markdown = Annotated[str, Field(min_length=1, json_schema_extra={"format": "markdown"})]
"""Text in CommonMark (GitHub-flavoured tables allowed).  Raw HTML is not rendered."""

Text = Annotated[str, Field(min_length=1)]

Url = Annotated[
    str,
    Field(
        pattern=r"^https?://[^\s/$.?#][^\s]*$",
        description="An absolute http(s) URL.",
        examples=["https://grafana.example.com/d/abc"],
    ),
]


def _timestamp_text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value
    raise PydanticCustomError(
        "timestamp_type",
        "expected a timestamp as text, such as 2026-03-14T10:02:00Z",
    )


def _date_text(value: Any) -> Any:
    if isinstance(value, str | dt.date):
        return value
    raise PydanticCustomError("date_type", "expected a date as text, such as 2026-03-14")


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_timestamp_text),
    Field(
        strict=False,
        description="ISO 8601 timestamp with a UTC offset or Z, e.g. 2026-03-14T10:02:00Z.",
        examples=["2026-03-14T10:02:00Z"],
    ),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date_text),
    Field(
        strict=False,
        description="ISO 8601 date, e.g. 2026-03-14.",
        examples=["2026-03-14"],
    ),
]

SEVERITY_ALIASES = {"SEV1": "critical", "SEV2": "high", "SEV3": "medium", "SEV4": "low"}


def _severity_alias(value: Any) -> Any:
    if isinstance(value, str) and value.upper() in SEVERITY_ALIASES:
        return SEVERITY_ALIASES[value.upper()]
    return value


SeverityLevel = Annotated[
    Literal["critical", "high", "medium", "low"],
    BeforeValidator(_severity_alias),
    WithJsonSchema(
        {
            "type": "string",
            "enum": ["critical", "high", "medium", "low", "SEV1", "SEV2", "SEV3", "SEV4"],
        }
    ),
    Field(description="critical, high, medium or low (SEV1 to SEV4 are accepted as aliases)."),
]
Status = Literal["draft", "in-review", "final"]
Phase = Literal["detect", "triage", "mitigate", "communicate", "resolve", "other"]
PHASES: tuple[str, ...] = (
    "detect",
    "triage",
    "mitigate",
    "communicate",
    "resolve",
    "other",
)
DetectionMethod = Literal["alert", "metric", "trace", "log", "customer-report", "employee-report", "other"]
Role = Literal[
    "incident-commander",
    "deputy-incident-commander",
    "communications-lead",
    "operations-lead",
    "subject-matter-expert",
    "scribe",
    "on-call-engineer",
    "customer-support-lead",
    "executive-sponsor",
    "responder",
]
ActionType = Literal["prevent", "mitigate", "detect", "process", "other"]
ActionStatus = Literal["open", "in-progress", "done", "wont-do"]
Priority = Literal["P0", "P1", "P2", "P3"]
EvidenceKind = Literal["dashboard", "trace", "log-query", "graph", "alert", "chat", "ticket", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Measure(Strict):
    """A quantified impact figure that has no field of its own."""

    name: Text = Field(description='What was measured, e.g. "Failed checkout requests".')
    value: int | float = Field(description="The number.")
    unit: str | None = Field(None, description='Unit of the value, e.g. "requests" or "%".')
    internal: bool = Field(False, description="Leave this out of the public version.")


class Impact(Strict):
    """Who was affected, how much, and for how long."""

    description: Markdown = Field(description="What users and the business experienced.")
    started_at: Timestamp = Field(description="When the impact began (not when it was noticed).")
    mitigated_at: Timestamp | None = Field(
        None,
        description="When the impact was mitigated; defaults to the first timeline event of phase mitigate.",
    )
    ended_at: Timestamp | None = Field(
        None,
        description="When the impact ended; leave out only while the incident is still open.",
    )
    affected: str | None = Field(
        None,
        description='Who was affected, in words, e.g. "customers in eu-west checking out".',
    )
    users_affected: Annotated[int, Field(ge=0)] | None = Field(
        None, description="How many users (or customers) were affected."
    )
    slo: str | None = Field(None, description="The service level objective that was breached, if any.")
    error_budget_consumed: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="Share of the error budget consumed, in percent (may exceed 100).",
    )
    measures: list[Measure] = Field(
        [],
        description="Other quantified measures: failed requests, revenue, tickets...",
    )


class Detection(Strict):
    """How the incident was found."""

    method: DetectionMethod = Field(description="alert, metric, trace, log, customer-report, employee-report or other.")
    detected_at: Timestamp | None = Field(
        None,
        description="When it was detected; defaults to the first timeline event of phase detect.",
    )
    text: Markdown = Field(description="How the incident was noticed, and what signal would catch it sooner.")


class Responder(Strict):
    """A person on the response roster.  Names belong here, not in the narrative."""

    name: Text = Field(description="Full name.")
    role: Role = Field(description="Their role in the response; the narrative refers to people by this role.")
    handle: str | None = Field(None, description="Chat or code-hosting handle, e.g. @jdoe.")
    email: str | None = Field(None, description="Email address.")
    team: str | None = Field(None, description="Team they belong to.")


class Evidence(Strict):
    """A link that backs up a timeline event."""

    kind: EvidenceKind = Field(description="dashboard, trace, log-query, graph, alert, chat, ticket or other.")
    url: Url = Field(description="Where it lives.")
    title: str | None = Field(None, description="Short label for the link.")


class Event(Strict):
    """One entry in the timeline."""

    at: Timestamp = Field(description="When it happened, with an offset or Z.")
    text: Markdown = Field(description="What happened, in the blameless voice: systems and roles, not names.")
    phase: Phase | None = Field(
        None,
        description="Runbook phase: detect, triage, mitigate, communicate, resolve or other.",
    )
    id: str | None = Field(None, description="Optional identifier, unique in the timeline.")
    evidence: list[Evidence] = Field([], description="Dashboards, traces or log queries that show this event.")
    internal: bool = Field(False, description="Leave this event out of the public version.")


class ContributingFactor(Strict):
    """A condition that made the incident possible or worse."""

    title: Text = Field(description="One-line statement of the factor.")
    text: Markdown | None = Field(None, description="Explanation.")
    internal: bool = Field(False, description="Leave this factor out of the public version.")


class ActionItem(Strict):
    """A follow-up that changes the system so this cannot recur the same way."""

    title: Text = Field(
        description='Specific, bounded and verifiable, e.g. "Alert when pool saturation exceeds 80% for 5 minutes".'
    )
    type: ActionType = Field(description="prevent, mitigate, detect, process or other.")
    id: str | None = Field(None, description="Optional identifier, unique among action items.")
    description: Markdown | None = Field(None, description="Detail, if the title is not enough.")
    owner: str | None = Field(None, description="A team or a person accountable for the item.")
    priority: Priority | None = Field(None, description="P0 (highest) to P3.")
    due: Date | None = Field(None, description="Due date.")
    status: ActionStatus = Field("open", description="open, in-progress, done or wont-do.")
    tracker: Url | None = Field(None, description="Link to the ticket.")
    internal: bool = Field(False, description="Leave this item out of the public version.")


class Link(Strict):
    """Supporting material."""

    title: Text = Field(description="Link text.")
    url: Url = Field(description="Where it lives.")
    internal: bool = Field(False, description="Leave this link out of the public version.")


class Figure(Strict):
    """An image stored beside the incident file."""

    path: Annotated[str, Field(min_length=1, examples=["figures/latency.png"])] = Field(
        description="Image path relative to the incident file; it may not leave the incident's folder."
    )
    caption: Text = Field(description="Caption, also used as the image's alt text.")
    internal: bool = Field(False, description="Leave this figure out of the public version.")


class Metrics(BaseModel):
    """Derived figures, computed from the timeline; never typed in."""

    model_config = ConfigDict(frozen=True)

    time_to_detect: dt.timedelta | None
    time_to_triage: dt.timedelta | None
    time_to_mitigate: dt.timedelta | None
    time_to_resolve: dt.timedelta | None
    impact_duration: dt.timedelta | None


class Milestones(NamedTuple):
    """When the response reached each stage; ``None`` where nothing tells."""

    detected: dt.datetime | None
    triaged: dt.datetime | None
    mitigated: dt.datetime | None
    resolved: dt.datetime | None


def _first_at(events: Sequence[Event], phase: str) -> dt.datetime | None:
    for event in events:
        if event.phase == phase:
            return event.at
    return None


class Incident(Strict):
    """A post-mortem of one incident."""

    schema_version: Literal[1] = Field(1, description="Version of this format.  Only 1 exists.")
    id: Annotated[str, Field(min_length=1, examples=["INC-2026-0142"])] = Field(
        description="Identifier of the incident, e.g. INC-2026-0142."
    )
    title: Text = Field(description="Short, neutral title: what broke, not who.")
    status: Status = Field(description="draft, in-review or final.")
    severity: SeverityLevel = Field(description="critical, high, medium or low; SEV1 to SEV4 are accepted.")
    authors: Annotated[list[Text], Field(min_length=1)] = Field(description="Who wrote the post-mortem.")
    reviewers: list[Text] = Field([], description="Who reviewed it.")
    created: Date = Field(description="Date the post-mortem was started.")
    updated: Date | None = Field(None, description="Date of the last substantive change.")
    review_meeting: Date | None = Field(None, description="Date of the review meeting.")
    confidentiality: str | None = Field(
        None,
        description='Label printed on every page, e.g. "Internal — do not forward"; overrides the config.',
    )
    services: list[Text] = Field([], description="Affected services.")
    tags: list[Text] = Field([], description="Free-form tags.")
    summary: Markdown = Field(description="Two to four sentences: what happened, the impact, and how it ended.")
    impact: Impact = Field(description="Who was affected, how much, and for how long.")
    detection: Detection = Field(description="How the incident was found.")
    responders: list[Responder] = Field([], description="The response roster, by role.")
    timeline: list[Event] = Field([], description="Events in chronological order.")
    trigger: Markdown | None = Field(None, description="The change or event that set the incident off.")
    contributing_factors: list[ContributingFactor] = Field(
        [], description="Conditions that allowed the trigger to cause an incident."
    )
    resolution: Markdown | None = Field(None, description="What ended the impact.")
    what_went_well: list[Markdown] = Field([], description="What helped: tools, practices and decisions worth keeping.")
    what_went_wrong: list[Markdown] = Field(
        [], description="What made the response harder or slower, about systems and processes."
    )
    where_we_got_lucky: list[Markdown] = Field(
        [], description="Near misses: things that went right by chance and need a real control."
    )
    lessons_learned: list[Markdown] = Field([], description="What the organisation learned.")
    action_items: list[ActionItem] = Field(
        [], description="Follow-ups, each typed and owned; a final post-mortem needs at least one."
    )
    links: list[Link] = Field(
        [],
        description="Supporting information: dashboards, tickets, chat logs, status page.",
    )
    figures: list[Figure] = Field([], description="Images beside the incident file, with captions.")

    @cached_property
    def detected_at(self) -> dt.datetime | None:
        """``detection.detected_at``, or the first event of phase ``detect``."""
        return self.milestones_over(self.timeline).detected

    def first_event_at(self, phase: str) -> dt.datetime | None:
        return _first_at(self.timeline, phase)

    def milestones_over(self, events: Sequence[Event]) -> Milestones:
        """When the impact was detected, triaged, mitigated and resolved, as far as ``events`` tell.

        A renderer passes the events its audience shows (the public version leaves out those marked
        ``internal``), so that no figure it prints comes from an event it does not show.  Times typed
        into ``detection.detected_at`` and ``impact.mitigated_at`` win over the events.
        """
        return Milestones(
            detected=self.detection.detected_at or _first_at(events, "detect"),
            triaged=_first_at(events, "triage"),
            mitigated=self.impact.mitigated_at or _first_at(events, "mitigate"),
            resolved=_first_at(events, "resolve") or self.impact.ended_at,
        )

    def metrics_over(self, events: Sequence[Event]) -> Metrics:
        """The derived figures, measured from the impact start to :meth:`milestones_over` ``events``."""
        start = self.impact.started_at
        end = self.impact.ended_at
        when = self.milestones_over(events)

        def since(at: dt.datetime | None) -> dt.timedelta | None:
            return at - start if at is not None else None

        return Metrics(
            time_to_detect=since(when.detected),
            time_to_triage=since(when.triaged),
            time_to_mitigate=since(when.mitigated),
            time_to_resolve=since(when.resolved),
            impact_duration=(end - start) if end is not None else None,
        )

    @cached_property
    def metrics(self) -> Metrics:
        """Time to detect, triage, mitigate and resolve, measured from the impact start, over every event."""
        return self.metrics_over(self.timeline)

    def people(self) -> list[tuple[str, str | None]]:
        """Every person the document names by design, with their role label if known."""
        out: list[tuple[str, str | None]] = []
        for r in self.responders:
            out.append((r.name, ROLE_LABELS[r.role]))
        out += [(a, "an author") for a in self.authors]
        out += [(r, "a reviewer") for r in self.reviewers]
        out += [(a.owner, "the owner") for a in self.action_items if a.owner]
        return out
