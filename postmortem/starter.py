"""The commented starter incident written by ``postmortem new``.

It validates as a draft.  Its prompts start with ``TODO`` so that the
linter's placeholder rule keeps it from being published unfinished.
"""

from __future__ import annotations

import datetime as dt
import json

_TEMPLATE = """\
# yaml-language-server: $schema={schema_ref}
#
# A blameless post-mortem. Refer to people by their role ("the incident commander",
# "the on-call engineer"); names belong only in responders, authors, reviewers and
# action-item owners. Check it with:  postmortem validate {{file}}  and  postmortem lint {{file}}
# Field reference: docs/schema.md. Timestamps need a zone: 2026-03-14T10:02:00Z.

schema_version: 1
id: {incident_id}
title: {title}
status: draft            # draft, in-review or final
severity: medium         # critical, high, medium, low (or SEV1..SEV4)
authors:
  - TODO Your Name
reviewers: []
created: {today}
services: []
tags: []

summary: |
  TODO: two to four sentences: what happened, who was affected, and how it ended.

impact:
  description: |
    TODO: what users and the business experienced.
  started_at: {start}     # when impact began, not when it was noticed
  # mitigated_at: {end}   # defaults to the first mitigate event
  # ended_at: {end}
  # users_affected: 1200
  # error_budget_consumed: 35   # percent

detection:
  method: alert          # alert, metric, trace, log, customer-report, employee-report, other
  text: |
    TODO: how the incident was noticed, and what signal would catch it sooner.

responders: []
#  - name: TODO Full Name
#    role: incident-commander   # communications-lead, operations-lead, subject-matter-expert, scribe, ...
#    handle: "@handle"

timeline:
  - at: {start}
    phase: detect        # detect, triage, mitigate, communicate, resolve, other
    text: TODO first signal (an alert, a customer report...).

trigger: |
  TODO: the change or event that set the incident off.

contributing_factors: []
#  - title: TODO a condition that made the incident possible or worse
#    text: TODO explanation

resolution: |
  TODO: what ended the impact.

what_went_well: []
what_went_wrong: []
where_we_got_lucky: []
lessons_learned: []

action_items: []
#  - title: TODO alert when connection-pool saturation exceeds 80% for 5 minutes
#    type: detect          # prevent, mitigate, detect, process, other
#    owner: TODO team-or-person
#    priority: P1
#    due: {due}
#    tracker: https://tracker.example.com/OPS-123

links: []
figures: []
"""


def starter_yaml(*, title: str, incident_id: str, today: dt.date, schema_ref: str) -> str:
    """The starter text; ``title`` and ``incident_id`` are quoted safely for YAML."""
    start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    return _TEMPLATE.format(
        schema_ref=schema_ref,
        incident_id=json.dumps(incident_id, ensure_ascii=False),
        title=json.dumps(title, ensure_ascii=False),
        today=today.isoformat(),
        start=start.isoformat().replace("+00:00", "Z"),
        end=(start + dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        due=(today + dt.timedelta(days=30)).isoformat(),
    ).replace("{file}", "this-file.yml")


def starter_json(yaml_text: str) -> str:
    """The starter as JSON, for ``postmortem new x.json``: the same fields, without the comments
    (JSON has none) and without the editor modeline (a JSON incident has no ``$schema`` key)."""
    from postmortem.source import SourceFile
    from postmortem.yamlio import parse

    data = parse(SourceFile("starter.yml", yaml_text)).data
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
