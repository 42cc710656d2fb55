"""Rendering: an Incident in, Markdown / HTML text or PDF bytes out.

No file I/O and no network in here: figures arrive as bytes in
:class:`RenderOptions`, and the PDF's URL fetcher refuses everything but the
templates' own assets and bounded ``data:`` images.  Jinja and WeasyPrint
are imported inside the functions, so importing this package is cheap.
"""

from __future__ import annotations

from postmortem.render.html import RenderWarning, render_html
from postmortem.render.md import render_markdown
from postmortem.render.options import RenderOptions
from postmortem.render.pdf import render_pdf

__all__ = ["RenderOptions", "RenderWarning", "render_html", "render_markdown", "render_pdf"]
