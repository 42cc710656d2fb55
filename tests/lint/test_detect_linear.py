"""The detectors run in linear time, on long lines and on repeated near-matches.

Timings are compared with each other, never with an absolute threshold: the time for 4N characters
must stay well under 16 times the time for N (what a quadratic detector would take).  The best of a
few runs is used, because the machines running the tests are shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from postmortem.lint.detect import KnownPerson, detect_action_item_quality, detect_language, detect_people

ROSTER = [KnownPerson("Ana Lima", "the incident commander", ("alima",), ("ana@corp.example",))]

DETECTORS: dict[str, Callable[[str], object]] = {
    "people": lambda s: detect_people([s], roster=ROSTER, chat_lines=[True]),
    "language": detect_language,
    "actions": detect_action_item_quality,
}

# Inputs that trip backtracking regular expressions or quadratic scans.
NEAR_MISSES = {
    "modals": "should shoul should have could woul ",
    "at-signs": "a@a@",
    "emails": "x@y.io ",
    "handles": "@ab ",
    "dots": "a.",
    "hyphens": "a-",
    "apostrophes": "O'",
    "capitals": "Aaaa Bbbb Cccc ",
    "names": "Ana Lima said the Jenkins job failed. ",
    "spaces": "human" + " " * 60,
    "hindsight": "obviously ",
    "parens": "Ana ( ",
    "phrases": "Travis CI ",
    "chat": "14:02 <alice> ",
    "fault": "the fault of ",
}


def _best(fn: Callable[[str], object], text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", list(NEAR_MISSES.values()), ids=list(NEAR_MISSES))
@pytest.mark.parametrize("detector", list(DETECTORS), ids=list(DETECTORS))
def test_scaling_is_linear(detector: str, unit: str) -> None:
    fn = DETECTORS[detector]
    fn("warm up: compile the patterns, load the lists")
    small = unit * (16_000 // len(unit))
    large = unit * (64_000 // len(unit))
    ratios = []
    for _ in range(3):  # noise on a shared machine only ever inflates a ratio: retry before failing
        t_small = max(_best(fn, small, runs=5), 3e-3)
        t_large = _best(fn, large)
        ratios.append(t_large / t_small)
        if ratios[-1] < 10:
            return
    pytest.fail(f"{detector} on {unit!r}: 4x the input took {ratios} times as long")


@pytest.mark.parametrize("detector", list(DETECTORS), ids=list(DETECTORS))
def test_one_megabyte_line(detector: str) -> None:
    """A 1 MB line of prose finishes, and takes about twice the time of half of it."""
    fn = DETECTORS[detector]
    sentence = "At 14:02 Ana Lima said the Jenkins job failed to start; we should have alerting on it. "
    line = (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]
    half = line[:500_000]
    ratios = []
    for _ in range(2):
        t_half = max(_best(fn, half, runs=1), 1e-3)
        t_full = _best(fn, line, runs=1)
        ratios.append(t_full / t_half)
        if ratios[-1] < 4.5:
            return
    pytest.fail(f"{detector}: 1 MB took {ratios} times as long as 500 KB")


def test_a_draft_with_a_suppression_and_many_code_spans_lints_in_linear_time() -> None:
    """Suppression comments are looked for outside code; blanking the code must not copy the text per span."""
    from postmortem.lint import lint_markdown
    from postmortem.source import SourceFile

    head = "<!-- postmortem: ignore[blame-language] -- quoted from the vendor -->\n\n"
    paragraph = "The `pool` filled and `pgbouncer` queued; see `max_client_conn` and `cl_waiting`.\n\n"

    def lint(n: int) -> Callable[[str], object]:
        text = head + paragraph * n
        return lambda _: lint_markdown(SourceFile("draft.md", text))

    lint(10)("")  # warm up
    ratios = []
    for _ in range(3):
        t_small = max(_best(lint(1_000), ""), 3e-3)
        t_large = _best(lint(4_000), "")
        ratios.append(t_large / t_small)
        if ratios[-1] < 10:
            return
    pytest.fail(f"4x the draft took {ratios} times as long")
