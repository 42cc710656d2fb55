"""Source text held in memory, with offset <-> line:column conversion.

Column unit: every position inside postmortem is a *code point offset* into
the decoded text (a Python ``str`` index).  Lines and columns shown to people
are 1-based and count code points.  Output formats that need another unit
(SARIF's UTF-16 code units, for instance) convert with :meth:`SourceFile.utf16_column`.

Only ``\\n`` (and the ``\\r`` of ``\\r\\n``) ends a line, as in editors and on
GitHub, so a line number printed here is the one a reviewer sees.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceFile:
    """A named text, decoded.  ``name`` is what messages print (a path or ``<stdin>``)."""

    name: str
    text: str
    _line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        object.__setattr__(self, "_line_starts", tuple(starts))

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a code point offset; clamps to the text."""
        offset = max(0, min(offset, len(self.text)))
        idx = bisect.bisect_right(self._line_starts, offset) - 1
        return idx + 1, offset - self._line_starts[idx] + 1

    def offset(self, line: int, col: int) -> int:
        """Inverse of :meth:`line_col` (1-based in, 0-based offset out)."""
        line = max(1, min(line, len(self._line_starts)))
        return min(self._line_starts[line - 1] + col - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line end."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def utf16_column(self, line: int, col: int) -> int:
        """Convert a 1-based code point column to a 1-based UTF-16 code unit column."""
        prefix = self.line_text(line)[: col - 1]
        return 1 + sum(2 if ord(c) > 0xFFFF else 1 for c in prefix)


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def is_markdown(name: str) -> bool:
    """Whether a file's name says it is Markdown (a draft that lint reads as prose)."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)
