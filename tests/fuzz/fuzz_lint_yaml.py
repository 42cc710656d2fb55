"""Fuzz the linter on YAML/JSON incidents: raw bytes -> load -> lint_document (and plan the fixes)."""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["postmortem"]):
    from postmortem import yamlio  # noqa: F401
    from postmortem.api import load
    from postmortem.diagnostics import PostmortemError
    from postmortem.lint import fix as lint_fix
    from postmortem.lint import lint_document

from _common import check_diagnostics, check_error


def test_one_input(data: bytes) -> None:
    name = "fuzz.json" if data[:1] in (b"{", b"[") else "fuzz.yml"
    try:
        doc = load(data, name)
    except PostmortemError as exc:
        check_error(exc)
        return
    diags = lint_document(doc)
    check_diagnostics(diags, len(doc.source.text))
    fixed, count = lint_fix.fix_text(doc.source.text, diags, doc)
    if count:
        # a fix must never break a document that parsed: it edits names inside scalars only
        load(fixed, name)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
