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
    make_app(command)()


__all__ = ["main"]
