"""PM902 unused-suppression.  The engine produces these findings; this module documents them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule

DOC = """\
## What it does

Flags a suppression comment that silenced nothing: the rule it names found
no problem in its scope.  Suppressions of rules that are not selected in
this run are not reported.

## Why is this bad?

A stale suppression hides the next real finding at that place, and tells
readers something is wrong with text that is now fine.

## Example

```yaml
# postmortem: ignore[blame-language] -- quoting the customer's ticket
summary: Checkout failed for 40 minutes after a configuration change.
```

## Use instead

```yaml
summary: Checkout failed for 40 minutes after a configuration change.
```

## Options

None.
"""


def check(ctx: Any, options: Any) -> Iterator[Problem]:
    return iter(())


RULE = Rule(
    code="PM902",
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="A suppression comment that silenced nothing.",
    doc=DOC,
    check=check,
)
