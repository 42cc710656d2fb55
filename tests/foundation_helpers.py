"""Helpers that read like the spec: ``problems(text) == [(line, col, message-part)]``."""

from __future__ import annotations

from postmortem.api import load
from postmortem.diagnostics import Diagnostic, Severity
from postmortem.model.validate import validate

VALID = """\
id: INC-2026-0001
title: Checkout latency from connection-pool exhaustion
status: final
severity: high
authors:
  - Ana Souza
reviewers:
  - Kwame Mensah
created: 2026-03-15
services: [checkout-api]
summary: |
  Checkout requests timed out for 42 minutes.
impact:
  description: Customers could not pay.
  started_at: 2026-03-14T10:00:00Z
  ended_at: 2026-03-14T10:42:00Z
  users_affected: 1200
detection:
  method: alert
  text: A latency alert paged the on-call engineer.
responders:
  - name: Ana Souza
    role: incident-commander
    handle: "@asouza"
timeline:
  - at: 2026-03-14T10:03:00Z
    phase: detect
    text: Latency alert fired.
  - at: 2026-03-14T10:10:00Z
    phase: triage
    text: Pool saturation identified.
  - at: 2026-03-14T10:20:00Z
    phase: mitigate
    text: Retries disabled.
  - at: 2026-03-14T10:42:00Z
    phase: resolve
    text: Latency back to normal.
what_went_well:
  - The alert fired within three minutes.
action_items:
  - title: Alert when pool saturation exceeds 80% for 5 minutes
    type: detect
    owner: payments-platform
    due: 2026-04-01
"""


def diagnostics(text: str, name: str = "incident.yml") -> list[Diagnostic]:
    return list(validate(load(text, name)).diagnostics)


def problems(
    text: str, name: str = "incident.yml", severity: Severity | None = Severity.ERROR
) -> list[tuple[int, int, str]]:
    """(line, column, message) of each diagnostic of the given severity (all if None), sorted."""
    return [
        (d.start.line, d.start.column, d.message)
        for d in diagnostics(text, name)
        if severity is None or d.severity is severity
    ]


def replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
