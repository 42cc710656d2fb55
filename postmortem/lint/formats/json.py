"""``json``: a versioned document, described in ``docs/linting.md``.

Version 1.  Fields are only ever added within a version; a removal or a
change of meaning bumps ``version``.
"""

from __future__ import annotations

import json
from typing import Any

from postmortem import __version__
from postmortem.lint.formats import Report, counts, display_path, fingerprints, redactable, scrubber

VERSION = 1


def to_data(report: Report) -> dict[str, Any]:
    diags = list(report.diagnostics)
    clean = scrubber(report)
    prints = fingerprints(diags, report.root)
    items = []
    for d, fp in zip(diags, prints, strict=True):
        start, end = d.start, d.end
        hidden = report.redact and redactable(d)
        items.append(
            {
                "path": display_path(d.source.name, report.root),
                "code": d.code,
                "rule": d.rule,
                "severity": d.severity.label,
                "message": clean(d.message),
                "help": clean(d.help),
                "field": d.path,
                "start": {"line": start.line, "column": start.column, "offset": d.span.start},
                "end": {"line": end.line, "column": end.column, "offset": d.span.end},
                "matched": None if hidden else d.matched,
                "fix": None if hidden else d.fix,
                "fingerprint": fp,
            }
        )
    return {
        "version": VERSION,
        "tool": {"name": "postmortem", "version": __version__},
        "files": report.files,
        "redacted": report.redact,
        "summary": counts(diags),
        "diagnostics": items,
    }


def render(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"
