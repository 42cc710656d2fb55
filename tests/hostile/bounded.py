"""Run a piece of hostile work in a child process with hard limits on time and memory.

A blow-up must *fail* a test, never hang the suite or take the machine down, so
the work runs in ``python -c`` with ``RLIMIT_AS`` (address space) set, and the
parent kills it after a wall-clock timeout.  The child reports how long the
work took and its peak resident memory, so a test can assert a bound that is
generous enough not to be flaky yet tight enough to catch a quadratic or an
exponential (an alias bomb, catastrophic backtracking).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = """
import json, resource, sys, time, tracemalloc
__t0 = time.perf_counter()
def report(**values):
    values["seconds"] = time.perf_counter() - __t0
    values["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write("\\n@@RESULT@@" + json.dumps(values) + "\\n")
    sys.stdout.flush()
"""


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    result: dict[str, Any]
    """What the child passed to ``report(...)``, plus ``seconds`` and ``peak_rss_mb``."""

    @property
    def seconds(self) -> float:
        return float(self.result["seconds"])

    @property
    def peak_rss_mb(self) -> float:
        return float(self.result["peak_rss_mb"])


def _limit(memory_mb: int) -> Any:
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_bounded(
    code: str,
    *,
    seconds: float,
    memory_mb: int = 1536,
    args: list[str] | None = None,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    expect_report: bool = True,
) -> Outcome:
    """Run ``code`` (which may call ``report(**values)``) under the limits; fail the test if it overruns.

    ``seconds`` is a wall-clock kill switch for the whole child, imports
    included: it is a bound for hostile input, never a speed target.
    """
    script = _PRELUDE + textwrap.dedent(code)
    child_env = dict(os.environ)
    child_env.setdefault("PYTHONHASHSEED", "0")
    child_env["NO_COLOR"] = "1"
    if env:
        child_env.update(env)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script, *(args or [])],
            capture_output=True,
            text=True,
            timeout=seconds,
            preexec_fn=_limit(memory_mb),
            cwd=str(cwd or ROOT),
            env=child_env,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"hostile input not handled within {seconds} s (killed)") from exc
    result: dict[str, Any] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            result = json.loads(line[len("@@RESULT@@") :])
    if expect_report and not result:
        raise AssertionError(
            f"child exited {proc.returncode} without a report (out of memory under {memory_mb} MB?)\n"
            f"stderr:\n{proc.stderr[-3000:]}"
        )
    return Outcome(proc.returncode, proc.stdout, proc.stderr, result)


def run_cli(
    argv: list[str],
    *,
    seconds: float,
    memory_mb: int = 2048,
    cwd: str | Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m postmortem ARGV`` under the same limits; returns the completed process."""
    child_env = dict(os.environ)
    child_env["NO_COLOR"] = "1"
    child_env.pop("GITHUB_ACTIONS", None)
    if env:
        child_env.update(env)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "postmortem", *argv],
            input=stdin,
            capture_output=True,
            timeout=seconds,
            preexec_fn=_limit(memory_mb),
            cwd=str(cwd or ROOT),
            env=child_env,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"postmortem {' '.join(argv)} did not finish within {seconds} s (killed)") from exc
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def one_positioned_line(stderr: str, name: str) -> str:
    """The refusal is exactly one line, ``NAME:LINE:COL: error: ...``; return it."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got:\n{stderr}"
    line = lines[0]
    assert line.startswith(f"{name}:"), line
    parts = line[len(name) + 1 :].split(":", 2)
    assert parts[0].isdigit() and parts[1].isdigit(), line
    assert parts[2].startswith(" error: "), line
    assert "Traceback" not in stderr
    return line
