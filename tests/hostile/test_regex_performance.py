"""Regex performance: every detector and rule against inputs built to cause catastrophic backtracking.

For each (target, input family) the child process finds a size N where the work
takes measurable time, then times N and 4N (best of three) and reports the
ratio.  Linear work gives ~4 (up to 7 on a busy shared machine, from cache
effects on big strings), a quadratic ~16: the bound is 8.  Times are CPU
times of the child (``time.process_time``), so other work on a shared machine
does not count; a ratio over the bound is measured twice.  A hang is caught by
the child's wall-clock limit.  Nothing here is a speed target for normal
input; the ratio is what is asserted.
"""

from __future__ import annotations

import pytest

from tests.hostile.bounded import run_bounded

# Families of hostile text, as Python expressions of N (evaluated in the child).
FAMILIES: dict[str, str] = {
    "letters": "'a' * N",
    "spaces then x": "' ' * N + 'x'",
    "words": "'a ' * N",
    "capitalised words": "'Aa ' * N",
    "initials": "'A. ' * N",
    "handles": "'@a' * N",
    "at signs": "'a@' * N",
    "dotted": "'a.' * N + '@'",
    "hyphens": "'Jean-' * N",
    "apostrophes": '"O\'" * N',
    "possessives": '"Dana\'s " * N',
    "name particles": "'de la ' * N",
    "url": "'http://' + 'a.' * N",
    "link brackets": "'](' * N",
    "open brackets": "'[' * N",
    "html tags": "'<a ' * N",
    "backticks": "'``a' * N",
    "asterisks": "'*' * N",
    "underscores": "'_a' * N",
    "counterfactuals": "'should have ' * N",
    "failed to": "'the operator failed to ' * N",
    "blame words": "'human ' * N",
    "placeholders": "'TODO' * N",
    "times": "'10:0' * N",
    "chat lines": "'- 10:00 ' * N",
    "tabs": "'\\t' * N + 'x'",
    "accents": "'Nguye\\u0302\\u0303n ' * N",
    "zero-width": "'D\\u200d' * N",
    "exclaim": "'x' * N + '!'",
}

SETUP = {
    "detect_language": (
        "from postmortem.lint.detect import detect_language as f\nrun = lambda s: f(s)",
        1_000,
    ),
    "detect_people": (
        "from postmortem.lint.detect import detect_people, KnownPerson\n"
        "roster = [KnownPerson('Dana Whitfield', 'the incident commander', ('@dwhit',), ('dana@example.com',))]\n"
        "run = lambda s: detect_people([s, 'Dana restarted it'], roster=roster)",
        500,
    ),
    "detect_action_item_quality": (
        "from postmortem.lint.detect import detect_action_item_quality as f\nrun = lambda s: f(s)",
        1_000,
    ),
    "mask_inline": ("from postmortem.lint.text import mask_inline as f\nrun = lambda s: f(s)", 1_000),
    "lint_document (summary)": (
        "import json\nfrom postmortem.api import load\nfrom postmortem.lint import lint_document\n"
        "head = 'responders: [{name: Dana Whitfield, role: scribe}]\\naction_items: [{title: x, type: other}]\\n'\n"
        "run = lambda s: lint_document(load(head + 'summary: ' + json.dumps(s) + '\\n', 'x.yml'))",
        300,
    ),
    "lint_markdown (body)": (
        "from postmortem.lint import lint_markdown\nfrom postmortem.source import SourceFile\n"
        "run = lambda s: lint_markdown(SourceFile('d.md', '# Summary\\n\\n' + s + '\\n\\n## Action items\\n\\n- ' + s + '\\n'))",
        300,
    ),
}

CHILD = """
import gc, time
N0 = {n0}
BOUND = {bound}
{setup}
families = {families!r}
def best(n, expr):
    s = eval(expr, {{"N": n}})
    times = []
    for _ in range(3):
        gc.collect(); gc.disable()
        t = time.process_time(); run(s); times.append(time.process_time() - t)
        gc.enable()
    return min(times)
out = {{}}
for name, expr in families.items():
    n = N0
    t1 = best(n, expr)
    while t1 < 0.04 and n < 32 * N0:
        n *= 2
        t1 = best(n, expr)
    t4 = best(4 * n, expr)
    if t4 / max(t1, 1e-4) >= BOUND:  # measure again: noise does not repeat, a quadratic does
        t1, t4 = min(t1, best(n, expr)), min(t4, best(4 * n, expr))
    out[name] = [n, t1, t4]
report(results=out)
"""

BOUND = 8


@pytest.mark.slow
@pytest.mark.parametrize("target", list(SETUP))
def test_time_is_linear_in_the_input(target: str) -> None:
    setup, n0 = SETUP[target]
    code = CHILD.format(n0=n0, setup=setup, families=FAMILIES, bound=BOUND)
    out = run_bounded(code, seconds=600, memory_mb=2048)
    slow = []
    for family, (n, t1, t4) in out.result["results"].items():
        ratio = t4 / max(t1, 1e-4)
        if ratio >= BOUND and t4 > 0.1:
            slow.append(f"{family}: N={n} {t1:.3f}s -> 4N {t4:.3f}s (x{ratio:.1f})")
    assert not slow, f"{target} is not linear on:\n" + "\n".join(slow)


# --- the quadratic cases found, each with a small reproducer ------------------------------------

SUPPRESSION_CHILD = """
import time
from postmortem.api import load
from postmortem.lint import lint_document
def once(n):
    text = "summary: x  # postmortem: ignore[blame-language] -- r" + " " * n + "x\\n"
    t = time.perf_counter(); lint_document(load(text, "x.yml")); return time.perf_counter() - t
t1 = min(once(4000) for _ in range(2)); t4 = min(once(16000) for _ in range(2))
report(t1=t1, t4=t4)
"""


def test_a_suppression_comment_with_a_long_run_of_spaces_is_linear() -> None:
    out = run_bounded(SUPPRESSION_CHILD, seconds=120)
    assert out.result["t4"] / max(out.result["t1"], 1e-4) < BOUND, out.result
