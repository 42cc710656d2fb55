"""Rendering options: one frozen value passed to every ``render_*`` function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from postmortem.diagnostics import Suppression

Audience = Literal["internal", "executive", "public"]
Paper = Literal["a4", "letter"]
PdfVariant = Literal["pdf/a-3b", "pdf/ua-1"]

AUDIENCES: tuple[Audience, ...] = ("internal", "executive", "public")
PAPERS: tuple[Paper, ...] = ("a4", "letter")
PDF_VARIANTS: tuple[PdfVariant, ...] = ("pdf/a-3b", "pdf/ua-1")

DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""Largest figure embedded, in bytes (``--max-image-bytes`` raises it)."""

DEFAULT_CONFIDENTIALITY: dict[str, str] = {
    "internal": "Internal",
    "executive": "Confidential",
    "public": "Public",
}


@dataclass(frozen=True)
class RenderOptions:
    """How to render an incident.

    The renderer reads no files: figures arrive as bytes in :attr:`figures`,
    keyed by the ``path`` written in the incident.  The CLI fills it with
    :func:`postmortem.render.fetcher.collect_figures`, which reads only
    regular files inside the incident's folder, bounded in size.
    """

    audience: Audience = "internal"
    paper: Paper = "a4"
    tz: str | None = None
    """IANA zone for an extra time column in the timeline (e.g. ``Europe/Paris``); UTC is always shown."""
    as_of: dt.date | None = None
    """Date against which action items are overdue; ``None`` means today."""
    template_dir: Path | None = None
    """Folder of templates that override the built-ins one by one.  Never the current directory."""
    confidentiality: str | None = None
    """Label on every page; the incident's own ``confidentiality`` wins, then this, then a default per audience
    (the public version: this, else "Public"; the incident's label classifies the internal document)."""
    figures: Mapping[str, bytes] = field(default_factory=dict, hash=False)
    """Figure bytes by the path written in the incident (see :func:`~postmortem.render.fetcher.collect_figures`)."""
    pdf_variant: PdfVariant | None = None
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES
    lang: str = "en"
    suppressions: tuple[Suppression, ...] = ()
    """The incident file's suppression comments and what they silenced (from
    :func:`postmortem.lint.lint_document_with_suppressions`): the Markdown writes each one again
    over the text it covered, so that it lints as clean as the incident.  HTML and PDF ignore it."""
    figure_link_base: str = ""
    """The incident's folder as seen from the folder the Markdown is written to, as a relative POSIX
    path (``../incidents``): the Markdown links each figure at this plus the path written in the
    incident, so that the links work when the Markdown is written elsewhere (``render -o DIR``).
    Empty when the Markdown sits beside the incident.  HTML and PDF embed the figures and ignore it."""

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {self.audience!r}")
        if self.paper not in PAPERS:
            raise ValueError(f"paper must be a4 or letter, not {self.paper!r}")
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            raise ValueError(f"pdf_variant must be one of {', '.join(PDF_VARIANTS)}, not {self.pdf_variant!r}")
        if self.tz is not None:
            zone(self.tz)

    def effective_as_of(self) -> dt.date:
        return self.as_of if self.as_of is not None else dt.date.today()


def zone(name: str) -> dt.tzinfo:
    """The ``ZoneInfo`` for ``name``, or ``ValueError`` with a readable message."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Europe/Paris") from exc
