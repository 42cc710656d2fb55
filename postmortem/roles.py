"""Response roles and how the narrative refers to them.

A module of its own, with no imports, so that the linter (which avoids
pydantic) and the model share one table.
"""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "incident-commander": "the incident commander",
    "deputy-incident-commander": "the deputy incident commander",
    "communications-lead": "the communications lead",
    "operations-lead": "the operations lead",
    "subject-matter-expert": "a subject-matter expert",
    "scribe": "the scribe",
    "on-call-engineer": "the on-call engineer",
    "customer-support-lead": "the customer support lead",
    "executive-sponsor": "the executive sponsor",
    "responder": "a responder",
}
"""Role -> how the narrative names someone in that role (the linter's help and ``--fix`` use it)."""
