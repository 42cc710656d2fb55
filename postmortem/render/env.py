"""The Jinja environment, built per call: no module-level state that a caller could mutate.

HTML templates autoescape; every environment uses ``StrictUndefined`` so a
typo in a template fails loudly, naming the file and line.  Templates are
looked up in the explicit override folder first, then in the built-ins.
Incident text only ever arrives as data in the context.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from postmortem.render.markdown import escape_markdown_text, md_url, plain_cell
from postmortem.resources import templates_dir

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment


def template_search_path(template_dir: Path | None) -> list[Path]:
    """The folders templates come from, the override first."""
    builtin = templates_dir()
    if template_dir is None:
        return [builtin]
    if not template_dir.is_dir():
        raise FileNotFoundError(f"template folder {template_dir} does not exist")
    return [template_dir, builtin]


def css_string(value: object) -> str:
    """A CSS string literal; every character but letters, digits and spaces is a hex escape.

    The space after each escape ends it (and is consumed by the CSS parser).
    """
    from markupsafe import Markup

    out = "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x} " for c in str(value))
    return Markup(f'"{out}"')  # safe: only [A-Za-z0-9 ] and escapes remain


def yaml_string(value: object) -> str:
    """A double-quoted YAML scalar (JSON's escapes are a subset of YAML's)."""
    import json

    return json.dumps(str(value), ensure_ascii=False)


def make_env(kind: Literal["html", "md"], template_dir: Path | None = None) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loader = ChoiceLoader([FileSystemLoader(str(p)) for p in template_search_path(template_dir)])
    env = Environment(
        loader=loader,
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["mdtext"] = escape_markdown_text
    env.filters["mdcell"] = plain_cell
    env.filters["mdurl"] = md_url
    env.filters["yamlstr"] = yaml_string
    env.filters["css_string"] = css_string
    return env


_TEMPLATE_FILE = re.compile(r"\.(j2|jinja2?|html|md|css)$")


def template_error_location(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line a Jinja error points at, or ``None``.

    ``TemplateSyntaxError`` carries them; an error raised while rendering is found in the
    traceback, where Jinja rewrites frames to point at template lines.
    """
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if filename and lineno:
        return str(filename), int(lineno)
    found: tuple[str, int] | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if _TEMPLATE_FILE.search(frame.filename) and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found


def template_error_message(exc: BaseException) -> str | None:
    """``file:line: template error: ...`` for a fault of a template's, or ``None`` for anything else.

    A template's fault is a Jinja error (syntax, undefined name, a template not found) or an
    exception raised by the template's own code (``{{ 1 / 0 }}`` in an override).  An exception
    raised inside the project's Python code that a template called (a filter) is a bug, and
    ``None`` leaves it to be reported as one.
    """
    from jinja2 import TemplateNotFound, TemplatesNotFound

    frames = traceback.extract_tb(exc.__traceback__)
    kind = type(exc).__name__
    ours = kind.startswith(("Template", "Undefined"))
    raised_in_template = bool(frames) and _TEMPLATE_FILE.search(frames[-1].filename) is not None
    if not ours and not raised_in_template:
        return None
    if isinstance(exc, TemplatesNotFound):
        what = f"none of the templates {', '.join(map(repr, exc.templates))} was found"
    elif isinstance(exc, TemplateNotFound):
        what = f"template {exc.name!r} not found"
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        what = first if ours else f"{kind}: {first}"
    if isinstance(exc, TemplateNotFound):
        what += " in the --template-dir or the built-in templates"
    where = template_error_location(exc)
    return f"{where[0]}:{where[1]}: template error: {what}" if where else f"template error: {what}"
