"""``gitlab``: a GitLab Code Quality report (a JSON array of issues).

Each issue has ``description``, ``check_name``, ``fingerprint`` (unique in
the report: GitLab drops issues with a repeated fingerprint), ``severity``
(``info``, ``minor``, ``major``, ``critical`` or ``blocker``) and
``location.path`` with ``location.lines.begin``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from postmortem.diagnostics import Severity
from postmortem.lint.formats import Report, display_path, fingerprints, scrubber

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def to_data(report: Report) -> list[dict[str, Any]]:
    diags = list(report.diagnostics)
    clean = scrubber(report)
    prints = fingerprints(diags, report.root)
    seen: set[str] = set()
    out = []
    for d, fp in zip(diags, prints, strict=True):
        while fp in seen:  # cannot happen with the occurrence counter; belt and braces
            fp = hashlib.sha256(fp.encode()).hexdigest()[:32]
        seen.add(fp)
        start, end = d.start, d.end
        message = clean(d.message)
        out.append(
            {
                "type": "issue",
                "description": f"{d.code} [{d.rule}] {message}",
                "check_name": d.rule,
                "fingerprint": fp,
                "severity": _SEVERITY[d.severity],
                "categories": ["Style"],
                "location": {
                    "path": display_path(d.source.name, report.root),
                    "lines": {"begin": start.line, "end": end.line},
                },
            }
        )
    return out


def render(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"
