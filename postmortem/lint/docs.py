"""Rule documentation: the pages in ``docs/rules/`` and ``postmortem rules`` share this text.

Regenerate the pages with ``python -m postmortem.lint.docs docs/rules``; a test
fails when they drift from the rules.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from postmortem.lint.rule import Rule
from postmortem.lint.rules import RULES


def rule_page(rule: Rule) -> str:
    aliases = f" Aliases: {', '.join(f'`{a}`' for a in rule.aliases)}." if rule.aliases else ""
    head = f"# {rule.name} ({rule.code})\n\n{rule.summary}\n\nDefault severity: **{rule.severity.label}**.{aliases}\n\n"
    return head + rule.doc.rstrip() + "\n"


def rules_table() -> str:
    width = max(len(r.name) for r in RULES)
    lines = [f"{'code':<6} {'name':<{width}}  {'severity':<8}  summary"]
    lines += [f"{r.code:<6} {r.name:<{width}}  {r.severity.label:<8}  {r.summary}" for r in RULES]
    return "\n".join(lines) + "\n"


def index_page() -> str:
    rows = "\n".join(f"| {r.code} | [{r.name}]({r.name}.md) | {r.severity.label} | {r.summary} |" for r in RULES)
    return (
        "# Lint rules\n\n"
        "Generated from the rules by `python -m postmortem.lint.docs docs/rules`; do not edit by hand.\n\n"
        "| code | name | default severity | summary |\n|---|---|---|---|\n" + rows + "\n"
    )


def pages() -> dict[str, str]:
    out = {f"{r.name}.md": rule_page(r) for r in RULES}
    out["README.md"] = index_page()
    return out


def section(doc: str, title: str) -> str:
    """The body of a ``## title`` section of a rule's doc."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL)
    return m.group(1) if m else ""


def first_code_block(text: str) -> str | None:
    m = re.search(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return m.group(1) if m else None


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "docs/rules")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
