"""PM302 missing-what-went-well."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity, Span
from postmortem.lint.rule import Problem, Rule, opt

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Options:
    statuses: tuple[str, ...] = opt(("final",), "The statuses in which the section is required.")


DOC = """\
## What it does

Flags a post-mortem whose `status` is `final` with nothing under
`what_went_well`.  In a Markdown draft the status comes from the front
matter, and the section is a heading containing "What went well".

## Why is this bad?

Incidents are also evidence of what works: the alert that fired, the runbook
that was right, the rollback that took a minute.  Writing it down keeps
those practices funded and gives the review a balanced tone.

## Example

```yaml
status: final
what_went_well: []
```

## Use instead

```yaml
status: final
what_went_well:
  - The rollback completed in four minutes thanks to the one-click deploy history.
```

## Options

- `statuses` (list, default `["final"]`): the statuses in which the section is required.
"""

_WENT_WELL = re.compile(r"what\s+went\s+(?:well|right)", re.IGNORECASE)
_HELP = "add what helped: alerts, runbooks, tools and decisions worth keeping"


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    status = ctx.data.get("status")
    if not isinstance(status, str) or status not in options.statuses:
        return
    if ctx.markdown is not None:
        sections = [s for s in ctx.markdown.sections if _WENT_WELL.search(s.title)]
        if any(s.has_content for s in sections):
            return
        if "what_went_well" not in ctx.data:
            if sections:
                # named by sec.name ('What went well' or #N): its title may hold a name
                sec = sections[0]
                span = Span(sec.start, sec.start + len(ctx.source.line_text(sec.line)))
                found = _WENT_WELL.search(sec.title)
                yield Problem(
                    span,
                    f"a {status} post-mortem with nothing under section {sec.name}",
                    _HELP,
                    f"section {sec.name}",
                    matched=found.group() if found else "",
                )
                return
            span = ctx.key_span(("status",)) or Span(0, 0)
            yield Problem(span, f"a {status} post-mortem with no 'What went well' section", _HELP, "what_went_well")
            return
    items = ctx.data.get("what_went_well")
    if isinstance(items, list) and any(isinstance(x, str) and x.strip() for x in items):
        return
    if isinstance(items, str) and items.strip():
        return
    path = ("what_went_well",) if "what_went_well" in ctx.data else ("status",)
    span = ctx.key_span(path) or Span(0, 0)
    yield Problem(span, f"a {status} post-mortem with nothing under what_went_well", _HELP, "what_went_well")


RULE = Rule(
    code="PM302",
    name="missing-what-went-well",
    severity=Severity.WARNING,
    summary="A final post-mortem with nothing under what_went_well.",
    doc=DOC,
    check=check,
    options=Options,
)
