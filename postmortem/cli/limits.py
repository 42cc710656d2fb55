"""The input limits every reading command accepts, as shared typer options (see docs/security.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from postmortem.yamlio import DEFAULT_LIMITS, DEPTH_CEILING, Limits

MaxBytes = Annotated[int, typer.Option("--max-bytes", min=1, help="Largest input file accepted, in bytes.")]
MaxNodes = Annotated[
    int, typer.Option("--max-nodes", min=1, help="Most values a document may expand to (alias bombs).")
]
MaxDepth = Annotated[
    int,
    typer.Option("--max-depth", min=1, max=DEPTH_CEILING, help="Deepest nesting of lists and mappings accepted."),
]

MAX_BYTES = DEFAULT_LIMITS.max_bytes
MAX_NODES = DEFAULT_LIMITS.max_nodes
MAX_DEPTH = DEFAULT_LIMITS.max_depth

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Limits", "MaxBytes", "MaxDepth", "MaxNodes"]
