"""``text`` (grouped by file, source line and caret) and ``concise`` (one line per finding)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from postmortem.diagnostics import Diagnostic, Severity, Span
from postmortem.lint.formats import Report, counts, display_path, mask, mask_spans, redactable, scrubber

_STYLE = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _DIM, _CYAN, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _people_by_line(items: Sequence[Diagnostic]) -> dict[int, list[Span]]:
    """The spans to mask in one file's source lines, by line: its people spans and its redacted findings."""
    src = items[0].source
    spans: set[Span] = {d.span for d in items if redactable(d)}
    seen: set[int] = set()
    for d in items:
        if d.people_spans is not None and id(d.people_spans) not in seen:  # one tuple per file, shared
            seen.add(id(d.people_spans))
            spans.update(d.people_spans)
    by_line: dict[int, list[Span]] = {}
    for span in spans:
        first, last = src.line_col(span.start)[0], src.line_col(span.end)[0]
        for line in range(first, last + 1):
            by_line.setdefault(line, []).append(span)
    return by_line


def _shown_line(d: Diagnostic, line: int, people: dict[int, list[Span]], redact: bool) -> str | None:
    """The source line to show under a finding; with redaction, names masked, or ``None`` when it cannot be."""
    text = d.source.line_text(line)
    if not redact:
        return text
    if d.people_spans is None:
        return None  # not a linter finding: which parts name people is not known, so show none of it
    return mask_spans(text, d.source.offset(line, 1), people.get(line, ()))


def render(report: Report) -> str:
    color = report.color
    out: list[str] = []
    diags = list(report.diagnostics)
    clean = scrubber(report)
    for name, group in groupby(diags, key=lambda d: d.source.name):
        items = list(group)
        people = _people_by_line(items) if report.redact else {}
        out.append(_paint(display_path(name, report.root), _BOLD, color))
        for d in items:
            pos, end = d.start, d.end
            sev = _paint(d.severity.label, _STYLE[d.severity], color)
            code = _paint(f"{d.code} [{d.rule}]", _DIM, color)
            message = clean(d.message)
            out.append(f"  {pos.line}:{pos.column}  {sev}  {message}  {code}")
            line_text = _shown_line(d, pos.line, people, report.redact)
            gutter = str(pos.line)
            pad = " " * len(gutter)
            if line_text is not None:
                last_col = len(line_text) + 1 if end.line > pos.line else end.column
                width = max(1, last_col - pos.column)
                caret_pad = "".join("\t" if c == "\t" else " " for c in line_text[: pos.column - 1])
                out.append(f"    {pad} |")
                out.append(f"    {gutter} | {line_text}")
                out.append(f"    {pad} | {caret_pad}{_paint('^' * width, _STYLE[d.severity], color)}")
            if d.help:
                help_ = clean(d.help)
                out.append(f"    {pad} = {_paint('help', _CYAN, color)}: {help_}")
        out.append("")
    c = counts(diags)
    if diags:
        files = len({d.source.name for d in diags})
        parts = [f"{n} {label}{'s' if n != 1 else ''}" for label, n in c.items() if n]
        out.append(
            f"Found {len(diags)} problem{'s' if len(diags) != 1 else ''} ({', '.join(parts)}) "
            f"in {files} of {report.files} file{'s' if report.files != 1 else ''}."
        )
    else:
        out.append(f"No problems in {report.files} file{'s' if report.files != 1 else ''}.")
    return "\n".join(out) + "\n"


def render_concise(report: Report) -> str:
    """``path:line:col: CODE [name] message``, one finding per line."""
    lines = []
    diags = list(report.diagnostics)
    clean = scrubber(report)
    for d in diags:
        pos = d.start
        message = clean(d.message)
        lines.append(
            f"{display_path(d.source.name, report.root)}:{pos.line}:{pos.column}: {d.code} [{d.rule}] {message}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


__all__ = ["mask", "render", "render_concise"]
