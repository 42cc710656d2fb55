"""``sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

Every rule is listed in ``tool.driver.rules`` (so ``ruleIndex`` is stable),
each result has ``partialFingerprints`` computed from the rule, the file,
the field path and the normalised match (never the line), so an alert
survives text moving around.  Regions use UTF-16 code unit columns
(``columnKind: utf16CodeUnits``) with an exclusive ``endColumn``.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

from postmortem import __version__
from postmortem.diagnostics import Diagnostic, Severity
from postmortem.lint.formats import Report, display_path, fingerprints, scrubber

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_data(report: Report) -> dict[str, Any]:
    from postmortem.lint.rules import RULES

    index = {r.name: i for i, r in enumerate(RULES)}
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.summary},
            "help": {"text": r.doc, "markdown": r.doc},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"tags": ["blameless", "post-mortem"], "precision": "high"},
        }
        for r in RULES
    ]
    diags = list(report.diagnostics)
    clean = scrubber(report)
    prints = fingerprints(diags, report.root)
    results = []
    for d, fp in zip(diags, prints, strict=True):
        start, end = d.start, d.end
        message = clean(d.message) or ""
        help_ = clean(d.help)
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": message + (f" (help: {help_})" if help_ else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(d.source.name, report.root),
                        "region": {
                            "startLine": start.line,
                            "startColumn": d.source.utf16_column(start.line, start.column),
                            "endLine": end.line,
                            "endColumn": d.source.utf16_column(end.line, end.column),
                        },
                    }
                }
            ],
            "partialFingerprints": {"postmortemFinding/v1": fp},
        }
        if d.rule in index:
            result["ruleIndex"] = index[d.rule]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "postmortem",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "invocations": [
                    {
                        # false when an input could not be linted: code scanning must not read the run as clean
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [_notification(e, report.root) for e in report.errors],
                    }
                ],
                "results": results,
            }
        ],
    }


def _notification(error: Diagnostic, root: str) -> dict[str, Any]:
    """A tool error (an input that could not be read or parsed) as a SARIF notification."""
    start = error.start
    return {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": error.code},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(error.source.name, root),
                    "region": {"startLine": start.line, "startColumn": start.column},
                }
            }
        ],
    }


def artifact_location(name: str, root: str) -> dict[str, str]:
    """SARIF's ``artifactLocation``: a percent-encoded URI relative to ``%SRCROOT%`` for a file under the
    root, a ``file:`` URI for one outside it (a path as typed is no URI: ``#``, ``?``, ``%``, spaces and a
    ``c:`` that reads as a scheme would all misparse)."""
    shown = display_path(name, root)
    if name.startswith("<"):  # <stdin>
        return {"uri": urllib.parse.quote(shown, safe="")}
    if os.path.isabs(shown):
        return {"uri": Path(shown).as_uri()}
    return {"uri": urllib.parse.quote(shown, safe="/"), "uriBaseId": "%SRCROOT%"}


def render(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"
