"""``github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::MESSAGE``

Escaping follows the Actions runner (``toolkit/packages/core/src/command.ts``):
the message escapes ``%``, ``\\r`` and ``\\n``; property values escape those
and also ``:`` and ``,``.  Columns are UTF-16 code units; ``endColumn`` is the
column just after the last character, as in SARIF.  Columns are given only
for single-line findings, as GitHub ignores them otherwise.
"""

from __future__ import annotations

from postmortem.diagnostics import Severity
from postmortem.lint.formats import Report, display_path, scrubber

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    diags = list(report.diagnostics)
    clean = scrubber(report)
    for d in diags:
        start, end = d.start, d.end
        props = [
            ("file", display_path(d.source.name, report.root)),
            ("line", str(start.line)),
        ]
        if start.line == end.line:
            props.append(("col", str(d.source.utf16_column(start.line, start.column))))
            props.append(("endLine", str(end.line)))
            props.append(("endColumn", str(d.source.utf16_column(end.line, end.column))))
        else:
            props.append(("endLine", str(end.line)))
        props.append(("title", f"{d.code} {d.rule}"))
        message = clean(d.message) or ""
        help_ = clean(d.help)
        body = message + (f"\nhelp: {help_}" if help_ else "")
        head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        lines.append(f"::{_LEVEL[d.severity]} {head}::{escape_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")
