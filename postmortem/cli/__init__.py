"""The command line: one thin module per command over the library API.

Only this package reads and writes files, prints, and chooses exit codes.
"""

from __future__ import annotations


def main() -> None:
    from postmortem.cli.app import app

    app()


__all__ = ["main"]
