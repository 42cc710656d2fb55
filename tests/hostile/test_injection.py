"""Injection: template syntax, HTML and JavaScript, javascript:/data: links and CSS, through every text field.

Incident text is data: Jinja never evaluates it, HTML is autoescaped, Markdown fields go through
markdown-it-py with raw HTML off and its link validation, the page carries a CSP, and text that
reaches CSS (the running header) goes through ``css_string``.
"""

from __future__ import annotations

import io
import warnings
from html.parser import HTMLParser
from typing import Any

import pytest

from postmortem.api import load, load_incident
from postmortem.model.validate import validate
from postmortem.render import RenderOptions, render_html, render_markdown, render_pdf
from tests.hostile import generators as gen

TEMPLATE = "{{ 7*7 }} {% for x in range(3) %}X{% endfor %} {{ ''.__class__.__mro__ }} {# c #}"
HTML = '<script>alert(1)</script> <img src=x onerror=alert(1)> "><svg onload=alert(1)> </style><style>b{c:d}</style>'
LINKS = (
    "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [vb](vbscript:msgbox(1)) "
    "[d](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> ![remote](https://evil.example.com/t.png) "
    "[ok](https://ok.example.com/)"
)
CSS = (
    '"; } body { background: url(https://evil.example.com/css) } .x { content: "\\"\n</style><script>alert(3)</script>'
)
PAYLOAD = f"{TEMPLATE} {HTML} {LINKS}"


def hostile_incident() -> dict[str, Any]:
    return gen.incident(
        id="INC-1 " + CSS,
        title="T " + PAYLOAD,
        confidentiality=CSS,
        summary=PAYLOAD,
        services=[PAYLOAD],
        tags=[CSS],
        authors=["Ana Souza " + HTML],
        impact={"description": PAYLOAD, "started_at": "2026-03-14T10:00:00Z", "affected": PAYLOAD},
        detection={"method": "alert", "text": PAYLOAD},
        responders=[{"name": "R " + HTML, "role": "scribe", "team": CSS}],
        timeline=[
            {
                "at": "2026-03-14T10:03:00Z",
                "phase": "detect",
                "text": PAYLOAD,
                "evidence": [{"kind": "trace", "url": "https://ok.example.com/t", "title": PAYLOAD}],
            }
        ],
        trigger=PAYLOAD,
        contributing_factors=[{"title": PAYLOAD, "text": PAYLOAD}],
        resolution=PAYLOAD,
        what_went_well=[PAYLOAD],
        lessons_learned=[PAYLOAD],
        action_items=[{"title": "T " + PAYLOAD, "type": "detect", "owner": CSS, "description": PAYLOAD}],
        links=[{"title": PAYLOAD, "url": "https://ok.example.com/"}],
        figures=[{"path": "a.png", "caption": PAYLOAD}],
    )


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style_text.append(data)


@pytest.fixture(scope="module")
def rendered() -> dict[str, Any]:
    incident = load_incident(gen.to_yaml(hostile_incident()), "hostile.yml")
    out: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for audience in ("internal", "public"):
            out[f"html-{audience}"] = render_html(incident, RenderOptions(audience=audience))
        out["md"] = render_markdown(incident, RenderOptions())
        out["pdf"] = render_pdf(incident, RenderOptions())
    out["warnings"] = [str(w.message) for w in caught]
    return out


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_html_has_no_script_no_handlers_and_only_safe_urls(rendered: dict[str, Any], audience: str) -> None:
    page = Collector()
    page.feed(rendered[f"html-{audience}"])
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "svg" not in [t for t, a in page.tags if any(k == "onload" for k, _ in a)]
    assert tags.count("style") == 1
    for tag, attrs in page.tags:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key, value)
            if key in ("href", "src", "action", "formaction", "xlink:href") and value is not None:
                v = value.strip().lower()
                assert v.startswith(("#", "https://", "http://", "mailto:", "data:image/")), (tag, key, value)
                assert not v.startswith("data:") or tag == "img", (tag, key, value)
                assert "evil.example.com" not in v, (tag, key, value)


def test_css_injection_does_not_leave_its_string(rendered: dict[str, Any]) -> None:
    page = Collector()
    page.feed(rendered["html-internal"])
    css = "".join(page.style_text)
    assert "evil.example.com" not in css
    assert "</style" not in css.lower() and "<script" not in css.lower()


def test_the_page_forbids_scripts_and_remote_loads_by_csp(rendered: dict[str, Any]) -> None:
    html = rendered["html-internal"]
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


@pytest.mark.parametrize("key", ["html-internal", "md"])
def test_template_syntax_in_the_data_is_shown_never_evaluated(rendered: dict[str, Any], key: str) -> None:
    text = rendered[key]
    assert "{{ 7*7 }}" in text or "\\{\\{ 7\\*7 \\}\\}" in text or "{{ 7\\*7 }}" in text
    assert "<class 'object'>" not in text and "&lt;class &#39;object&#39;&gt;" not in text
    assert "XXX" not in text


def test_the_pdf_shows_the_template_text_and_fetched_nothing(rendered: dict[str, Any]) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = rendered["pdf"]
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "7*7" in text and "<class" not in text
    assert b"evil.example.com/css" not in pdf
    assert not [w for w in rendered["warnings"] if "evil.example.com" in w and "refused" not in w]


@pytest.mark.parametrize(
    ("field", "url"),
    [
        ("links", "javascript:alert(1)"),
        ("links", "data:text/html;base64,PHNjcmlwdD4="),
        ("links", "file:///etc/passwd"),
        ("links", "https://ok.example.com/\n<script>"),
    ],
)
def test_url_fields_accept_only_http_and_https(field: str, url: str) -> None:
    doc = gen.incident(**{field: [{"title": "x", "url": url}]})
    result = validate(load(gen.to_yaml(doc), "u.yml"))
    assert result.incident is None
    assert [d.path for d in result.errors] == [f"{field}[0].url"], [d.format() for d in result.errors]


def test_tracker_and_evidence_urls_accept_only_http_and_https() -> None:
    doc = gen.incident()
    doc["action_items"][0]["tracker"] = "javascript:alert(1)"
    doc["timeline"][0]["evidence"] = [{"kind": "trace", "url": "data:text/html,x"}]
    result = validate(load(gen.to_yaml(doc), "u.yml"))
    paths = sorted(d.path or "" for d in result.errors)
    assert paths == ["action_items[0].tracker", "timeline[0].evidence[0].url"], paths
