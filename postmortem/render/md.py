"""Markdown: GitHub-flavoured, for the repository, with a Mermaid gantt chart of the response."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from postmortem.render.options import RenderOptions

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import Incident


def render_markdown(incident: Incident, options: RenderOptions | None = None) -> str:
    """The incident as GitHub-flavoured Markdown.  Reads no file and makes no request."""
    from postmortem.render.context import build_view
    from postmortem.render.env import make_env
    from postmortem.render.html import _emit

    options = options or RenderOptions()
    view = build_view(incident, options)
    _emit(view)
    text = make_env("md", options.template_dir).get_template("incident.md.j2").render(v=view)
    # One blank line between blocks, one newline at the end, whatever the template's whitespace.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"
