"""Fuzz the loader: raw bytes as YAML and as JSON -> decode -> parse -> validate.

Run with ``tests/fuzz/run.sh SECONDS`` (or directly: ``python tests/fuzz/fuzz_load.py CORPUS -max_total_time=60``).
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

with atheris.instrument_imports(include=["postmortem"]):
    from postmortem import jsonpos, source, yamlio  # noqa: F401
    from postmortem.api import load
    from postmortem.diagnostics import PostmortemError
    from postmortem.model import incident, validate  # noqa: F401
    from postmortem.model.validate import validate as validate_doc

from _common import check_diagnostics, check_error


def test_one_input(data: bytes) -> None:
    for name in ("fuzz.yml", "fuzz.json"):
        try:
            doc = load(data, name)
        except PostmortemError as exc:
            check_error(exc)
            continue
        result = validate_doc(doc)
        check_diagnostics(result.diagnostics, len(doc.source.text))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
