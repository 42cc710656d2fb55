"""Fuzz the linter on Markdown drafts (with or without front matter): raw bytes -> decode -> lint_markdown."""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["postmortem"]):
    from postmortem import yamlio
    from postmortem.diagnostics import PostmortemError
    from postmortem.lint import lint_markdown

from _common import check_diagnostics, check_error


def test_one_input(data: bytes) -> None:
    try:
        source = yamlio.decode("fuzz.md", data)
        diags = lint_markdown(source)
    except PostmortemError as exc:
        check_error(exc)
        return
    check_diagnostics(diags, len(source.text))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
