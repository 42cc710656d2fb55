"""PM303 detect-action-missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity, Span
from postmortem.lint.rule import Problem, Rule, opt

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Options:
    methods: tuple[str, ...] = opt(
        ("customer-report", "log"), "Detection methods that call for an action item of type detect."
    )


DOC = """\
## What it does

Flags an incident detected by a customer report or by reading logs
(`detection.method` is `customer-report` or `log`) that has no action item
of `type: detect`.

## Why is this bad?

If customers noticed first, or someone had to read logs to find out, the
monitoring missed it.  Logs are the last resort: metrics, alerts and traces
should catch it next time, and only an action item makes that happen.

## Example

```yaml
detection:
  method: customer-report
  text: Support escalated three tickets about failed checkouts.
action_items:
  - title: Add a retry budget to the payment client
    type: prevent
```

## Use instead

```yaml
detection:
  method: customer-report
  text: Support escalated three tickets about failed checkouts.
action_items:
  - title: Add a retry budget to the payment client
    type: prevent
  - title: Alert when the checkout error ratio exceeds 2% for 5 minutes
    type: detect
```

## Options

- `methods` (list, default `["customer-report", "log"]`): detection methods that call for a detect action item.
"""


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    detection = ctx.data.get("detection")
    if not isinstance(detection, dict):
        return
    method = detection.get("method")
    if not isinstance(method, str) or method not in options.methods:
        return
    items = ctx.data.get("action_items")
    if isinstance(items, list) and any(isinstance(a, dict) and a.get("type") == "detect" for a in items):
        return
    span = ctx.field_span(("detection", "method")) or Span(0, 0)
    yield Problem(
        span,
        f"detected by {method}, but no action item has type detect",
        "add an action item of type detect: an alert, metric or trace that would catch this before customers do",
        "detection.method",
    )


RULE = Rule(
    code="PM303",
    name="detect-action-missing",
    severity=Severity.WARNING,
    summary="Detected by a customer report or logs, with no action item of type detect.",
    doc=DOC,
    check=check,
    options=Options,
)
