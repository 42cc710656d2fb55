"""HTML: one self-contained page (inline CSS, images as data URIs, no script, strict CSP)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from postmortem.render.options import RenderOptions

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import Incident
    from postmortem.render.context import View


class RenderWarning(UserWarning):
    """Something was left out of a rendered document (a refused or missing figure, a refused URL)."""


def _emit(view: View, stacklevel: int = 3) -> None:
    """The view's warnings, attributed to the caller of the public function (``stacklevel`` frames up)."""
    for message in view.warnings:
        warnings.warn(message, RenderWarning, stacklevel=stacklevel)


def render_view_html(view: View, options: RenderOptions, *, pdf: bool = False) -> str:
    from postmortem.render.env import make_env

    env = make_env("html", options.template_dir)
    return env.get_template("incident.html.j2").render(v=view, pdf=pdf)


def render_html(incident: Incident, options: RenderOptions | None = None) -> str:
    """The incident as one self-contained HTML page.  Reads no file and makes no request."""
    from postmortem.render.context import build_view

    options = options or RenderOptions()
    view = build_view(incident, options)
    _emit(view)
    return render_view_html(view, options)
