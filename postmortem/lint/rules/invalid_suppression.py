"""PM901 invalid-suppression.  The engine produces these findings; this module documents them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule

DOC = """\
## What it does

Flags a suppression comment that cannot be applied: one that starts with
`postmortem:` but does not follow the grammar, names an unknown rule, names
no rule, or gives no reason while reasons are required (the default).
An invalid suppression silences nothing.

## Why is this bad?

A misspelled rule name that is silently ignored looks like a suppression
but suppresses nothing, or hides that the real finding is still there.
A reason tells the next reader why the finding is acceptable.

## Example

```yaml
# postmortem: ignore[named-individul] -- quoted from the public statement
summary: The outage affected checkout.
```

## Use instead

```yaml
summary: The outage affected checkout.
```

Name a rule listed by `postmortem rules`, and give the reason after `--`:
`# postmortem: ignore[named-individual] -- quoted from the public statement`.

## Options

None.  `require-reason = false` in the config lets a suppression omit the reason.
"""


def check(ctx: Any, options: Any) -> Iterator[Problem]:
    return iter(())


RULE = Rule(
    code="PM901",
    name="invalid-suppression",
    severity=Severity.ERROR,
    summary="A suppression comment that is malformed, names an unknown rule, or lacks a reason.",
    doc=DOC,
    check=check,
)
