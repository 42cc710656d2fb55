"""The command line: one thin module per command over the library API.

Only this package reads and writes files, prints, and chooses exit codes.
"""

from __future__ import annotations


def main() -> None:
    import sys

    from postmortem.cli.app import make_app

    command = sys.argv[1] if len(sys.argv) > 1 else None
    make_app(command)()


__all__ = ["main"]
