"""PM301 placeholder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule, opt

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Options:
    markers: tuple[str, ...] = opt(("TODO", "TBD", "XXX", "FIXME"), "Upper-case markers, matched as whole words.")
    lorem_ipsum: bool = opt(True, 'Flag "lorem ipsum" filler text.')
    question_marks: bool = opt(True, 'Flag "???".')


DOC = """\
## What it does

Flags placeholders left in the document: `TODO`, `TBD`, `XXX`, `FIXME`
(upper case, as whole words), "lorem ipsum" and `???`.  Every string field
is checked, not only the narrative, so that the prompts of
`postmortem new` ("TODO Your Name") keep a draft from being published.
Code spans and URLs are skipped.

## Why is this bad?

A post-mortem that goes out with gaps tells readers the analysis was not
finished, and a `TBD` in an impact figure is worse than no figure.

## Example

```yaml
resolution: TBD
```

## Use instead

```yaml
resolution: The team rolled back to release 2026.03.2 at 10:41 UTC, which ended the errors.
```

## Options

- `markers` (list, default `["TODO", "TBD", "XXX", "FIXME"]`): upper-case markers.
- `lorem-ipsum` (bool, default `true`): flag "lorem ipsum".
- `question-marks` (bool, default `true`): flag `???`.
"""


@lru_cache(maxsize=16)
def _pattern(markers: tuple[str, ...], lorem: bool, qq: bool) -> re.Pattern[str] | None:
    parts = []
    if markers:
        parts.append(r"(?<!\w)(?:" + "|".join(re.escape(m) for m in markers) + r")(?!\w)")
    if lorem:
        parts.append(r"(?i:\blorem\s+ipsum\b)")
    if qq:
        parts.append(r"\?\?\?+")
    return re.compile("|".join(parts)) if parts else None


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    rx = _pattern(tuple(options.markers), options.lorem_ipsum, options.question_marks)
    if rx is None:
        return
    needles = tuple(options.markers) + (("???",) if options.question_marks else ())
    lorem = options.lorem_ipsum
    for unit in ctx.strings:
        text = unit.text
        # A cheap substring test first: the regex's look-arounds are slow on long prose.
        if not any(n in text for n in needles) and not (lorem and ("orem" in text or "OREM" in text)):
            continue
        for m in rx.finditer(text):
            yield Problem(
                unit.span(m.start(), m.end()),
                f"placeholder `{m.group()[:12]}` left in {unit.label}",
                "fill in the real content, or remove the field if it does not apply",
                unit.label,
            )


RULE = Rule(
    code="PM301",
    name="placeholder",
    severity=Severity.WARNING,
    summary="A placeholder left in (TODO, TBD, XXX, FIXME, lorem ipsum, ???).",
    doc=DOC,
    check=check,
    options=Options,
    aliases=("todo",),
)
