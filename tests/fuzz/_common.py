"""Shared set-up for the atheris harnesses: what counts as an expected outcome.

The one expected failure is :class:`~postmortem.diagnostics.PostmortemError` (a
user's mistake, exit code 2), and it must carry a position inside its text.
Everything else that escapes is a finding: atheris reports it as a crash and
saves the input under the artefact prefix.
"""

from __future__ import annotations

from postmortem.diagnostics import PostmortemError


def check_error(exc: PostmortemError) -> None:
    """A refusal must be one positioned line."""
    d = exc.diagnostic
    assert 0 <= d.span.start <= d.span.end <= max(len(d.source.text), 0) or d.source.text == "", d
    pos = d.start
    assert pos.line >= 1 and pos.column >= 1, d
    line = d.format()
    assert "\n" not in line.rstrip("\n") or "\n" in d.source.name, repr(line)


def check_diagnostics(diags: object, text_len: int) -> None:
    for d in diags:  # type: ignore[attr-defined]
        assert 0 <= d.span.start <= d.span.end <= text_len, (d.span, text_len, d.message)
