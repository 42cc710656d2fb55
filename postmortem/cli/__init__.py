"""The command line: one thin module per command over the library API.

Only this package reads and writes files, prints, and chooses exit codes.
"""

from __future__ import annotations

GC_THRESHOLD = (200_000, 30, 30)
"""Collect young objects every 200,000 allocations instead of 700 (the value mypy's command line uses).

A lint or render run allocates hundreds of thousands of short-lived, acyclic objects (tokens, words,
layout boxes) that reference counting frees at once; the default threshold spends about a tenth of a
lint run walking them (measured with ``bench/bench_lint.sh``, docs/performance.md).  Cycles are still
collected, later.  Only the command line does this: a library caller keeps its own settings.
"""


def main() -> None:
    import gc
    import sys

    gc.set_threshold(*GC_THRESHOLD)

    from postmortem.cli.app import make_app

    command = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        make_app(command)()
    finally:
        # The run is over (typer exits by raising SystemExit, which passes through here).  Freezing
        # the heap spares the interpreter's teardown its garbage collections over everything the
        # run kept (a parsed incident, its model, its HTML): 0.15 s of a 1,000-event render, 0.03 s
        # left (docs/performance.md).  Objects are still freed by reference counting; only cycles
        # are left to the process's end, and no output is pending in one: files are written and
        # closed explicitly, and the standard streams are flushed at exit as usual.
        gc.freeze()


__all__ = ["main"]
