"""PM202 counterfactual."""

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
    hindsight: bool = opt(True, 'Also flag hindsight wording ("in hindsight", "obviously", "simply").')
    extra_terms: tuple[str, ...] = opt((), "More words or phrases to flag, matched as whole words in any case.")


DOC = """\
## What it does

Flags counterfactual and hindsight wording about people: "should have",
"could have", "would have", "failed to", "forgot to", "neglected to",
"if only", "in hindsight", "obviously", "simply".  It fires only when the
subject is a person or a role: "the health check failed to start" is fine.

## Why is this bad?

Counterfactuals describe a world that did not happen and judge people by
what they could not know at the time.  They replace the question "why did
this make sense to them?" with "why didn't they do the right thing?".

## Example

```yaml
what_went_wrong:
  - The on-call engineer should have checked the replica lag first.
```

## Use instead

```yaml
what_went_wrong:
  - The replica lag was not on the main dashboard, so it was checked only after the failover.
```

## Options

- `hindsight` (bool, default `true`): also flag hindsight wording.
- `extra-terms` (list, default `[]`): more words or phrases to flag.
"""

_HELP = "describe what was known at the time and what the system showed, not what someone should have done"


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    kinds = {"counterfactual", "hindsight"} if options.hindsight else {"counterfactual"}
    for i, unit in enumerate(ctx.units):
        for m in ctx.language(i):
            if m.kind not in kinds:
                continue
            what = "hindsight wording" if m.kind == "hindsight" else "counterfactual wording"
            yield Problem(unit.span(m.start, m.end), f"{what} in {unit.label}", m.help or _HELP, unit.label)
        for s, e in find_terms(unit.text, options.extra_terms):
            yield Problem(unit.span(s, e), f"counterfactual wording in {unit.label}", _HELP, unit.label)


RULE = Rule(
    code="PM202",
    name="counterfactual",
    severity=Severity.WARNING,
    summary="Counterfactual or hindsight wording about a person (should have, failed to, in hindsight).",
    doc=DOC,
    check=check,
    options=Options,
    aliases=("hindsight",),
)
