"""PM201 blame-language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule, opt
from postmortem.lint.rules._terms import find_terms

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext

KINDS = ("human-error", "blame-word", "punitive")


@dataclass(frozen=True)
class Options:
    kinds: tuple[str, ...] = opt(KINDS, "Which kinds to flag: human-error, blame-word, punitive.")
    extra_terms: tuple[str, ...] = opt((), "More words or phrases to flag, matched as whole words in any case.")


DOC = """\
## What it does

Flags wording that assigns fault or judges character: "human error",
"operator error", "careless", "negligent", "sloppy", "incompetent",
"fault", "to blame", "culprit", "mistakenly", "botched", and punitive
wording such as "reprimand", "disciplinary" or "held accountable".

Its default severity is **error**: blame language is what this tool exists
to keep out of a published post-mortem.  Lower it in the config
(`[tool.postmortem.severity] blame-language = "warning"`) while a team adopts
the linter.

## Why is this bad?

"Human error" is where an investigation should start, not where it ends.
Blame wording stops the analysis at a person, hides the conditions that made
the mistake easy, and teaches everyone to say less in the next review.

## Example

```yaml
trigger: |
  A careless engineer ran the migration against production.
```

## Use instead

```yaml
trigger: |
  The migration ran against production because the deploy tool defaulted
  to the production context and asked for no confirmation.
```

## Options

- `kinds` (list, default `["human-error", "blame-word", "punitive"]`): which kinds to flag.
- `extra-terms` (list, default `[]`): more words or phrases to flag.
"""

_WHAT = {
    "human-error": '"human error" framing',
    "blame-word": "blame wording",
    "punitive": "punitive wording",
}
_HELP = "describe what the system allowed, e.g. 'the deploy tool did not ask for confirmation'"


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    kinds = set(options.kinds)
    for i, unit in enumerate(ctx.units):
        for m in ctx.language(i):
            if m.kind not in kinds:
                continue
            span = unit.span(m.start, m.end)
            yield Problem(span, f"{_WHAT.get(m.kind, 'blame wording')} in {unit.label}", m.help or _HELP, unit.label)
        for s, e in find_terms(unit.text, options.extra_terms):
            yield Problem(unit.span(s, e), f"blame wording in {unit.label}", _HELP, unit.label)


RULE = Rule(
    code="PM201",
    name="blame-language",
    severity=Severity.ERROR,
    summary="Wording that assigns fault or judges character (human error, careless, reprimand).",
    doc=DOC,
    check=check,
    options=Options,
    aliases=("blame",),
)
