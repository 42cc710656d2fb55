"""PM203 action-item-quality."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule, opt
from postmortem.lint.rules._terms import find_terms

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Options:
    extra_terms: tuple[str, ...] = opt((), "More words or phrases to flag in action items.")


DOC = """\
## What it does

Flags action items that are not controls: "be more careful", "pay more
attention", "double-check", "retrain ...", "remind ...".  Only action-item
titles and descriptions are checked (in a Markdown draft: the text under an
"Action items" or "Follow-ups" heading).

## Why is this bad?

An exhortation changes nothing in the system.  The same conditions will
produce the same incident the next time someone is tired, new or busy.
A good action item is actionable, specific and bounded: someone can do it,
everyone can tell when it is done.

## Example

```yaml
action_items:
  - title: Remind engineers to be more careful with migrations
    type: process
```

## Use instead

```yaml
action_items:
  - title: Require a dry run and a second approval for production migrations in the deploy tool
    type: prevent
```

## Options

- `extra-terms` (list, default `[]`): more words or phrases to flag.
"""

_HELP = "make it a control: a check, an alert, a guard rail or an automation, with a clear done state"


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    for i, unit in enumerate(ctx.units):
        if not unit.action:
            continue
        for m in ctx.action_quality(i):
            yield Problem(
                unit.span(m.start, m.end),
                f"action item is not a control ({unit.label})",
                m.help or _HELP,
                unit.label,
            )
        for s, e in find_terms(unit.text, options.extra_terms):
            yield Problem(unit.span(s, e), f"action item is not a control ({unit.label})", _HELP, unit.label)


RULE = Rule(
    code="PM203",
    name="action-item-quality",
    severity=Severity.WARNING,
    summary='Action items that are not controls ("be more careful", "double-check", "retrain").',
    doc=DOC,
    check=check,
    options=Options,
)
