"""The HTML page: self-contained, no script, strict CSP, semantic, audience-filtered."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from postmortem.render import render_html

from .helpers import AUDIENCES, BASE, FIXTURES, fixture_paths, load, options_for, sample_paths


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collect:
    c = Collect()
    c.feed(html)
    return c


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("path", [*fixture_paths(), *sample_paths()], ids=lambda p: p.stem)
def test_html_is_self_contained_and_scriptless(path: Path, audience: str) -> None:
    incident = load(path)
    html = render_html(incident, options_for(path, incident, audience))
    doc = parse(html)
    tags = [t for t, _ in doc.tags]
    assert "script" not in tags and "iframe" not in tags and "object" not in tags and "embed" not in tags
    assert "link" not in tags  # no external stylesheet or preload
    html_tag = next(a for t, a in doc.tags if t == "html")
    assert html_tag.get("lang") == "en"
    csp = [a for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert "img-src data:" in (csp[0]["content"] or "")
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "srcset", "poster", "data", "background"):
                assert (value or "").startswith("data:image/"), (tag, name, value)
            if name == "href":
                assert re.match(r"^(https?:|mailto:|#)", value or ""), (tag, value)
        if tag == "img":
            assert attrs.get("alt"), "every image has alt text"
    # One h1, then h2 sections: semantic headings.
    assert tags.count("h1") == 1
    assert "main" in tags and "header" in tags


def test_html_embeds_figures_as_data_uris_with_captions_as_alt() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    doc = parse(render_html(incident, options_for(path, incident)))
    imgs = [a for t, a in doc.tags if t == "img"]
    assert [a["alt"] for a in imgs] == [f.caption for f in incident.figures]
    assert imgs[0]["src"].startswith("data:image/png;base64,")  # type: ignore[union-attr]
    assert imgs[1]["src"].startswith("data:image/svg+xml;base64,")  # type: ignore[union-attr]


def test_html_visual_timeline_marks_the_milestones() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    html = render_html(incident, options_for(path, incident))
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    for label in ("Impact starts", "Detected", "Mitigated", "Resolved"):
        assert label in svg
    for cls in ("band-detect", "band-mitigate", "band-resolve"):
        assert cls in svg


def test_html_timeline_has_utc_and_display_zone() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    html = render_html(incident, options_for(path, incident))
    assert '<th scope="col" class="col-time">Europe/Paris</th>' in html
    assert "14 Mar 09:55" in html and "14 Mar 10:55" in html  # UTC and Paris (UTC+1 in March)


def test_public_html_omits_internal_items_owners_and_responders() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    html = render_html(incident, options_for(path, incident, "public"))
    for hidden in (
        "vendor contract",
        "Vendor contract detail",
        "Renegotiate",
        "Incident channel archive",
        "Estimated lost revenue",
        "Database platform team",
        "Owner",
        "tracker.example.com",
        "Responders",
        "Priya Raman",
        "Tomasz Wojcik",
    ):
        assert hidden not in html, hidden
    for name in (r.name for r in incident.responders):
        assert name not in html


def test_overdue_is_marked_relative_to_as_of() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    html = render_html(incident, options_for(path, incident))
    rows = re.findall(
        r'<tr class="status-[a-z-]+( overdue)?">\s*<td data-label="Action"><span class="action-id">(AI-\d)', html
    )
    assert {ident: bool(flag) for flag, ident in rows} == {"AI-1": False, "AI-2": False, "AI-3": False, "AI-4": True}


def test_executive_html_is_short() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    html = render_html(incident, options_for(path, incident, "executive"))
    assert 'id="summary"' in html and 'id="impact"' in html and 'id="action-items"' in html
    for absent in ('id="timeline"', 'id="analysis"', 'id="responders"', 'id="figures"', "AI-3"):
        assert absent not in html


def test_draft_is_flagged() -> None:
    incident = load(FIXTURES / "hostile.yml")
    html = render_html(incident, options_for(FIXTURES / "hostile.yml", incident))
    assert "draft-banner" in html


_HIDDEN_MITIGATION = BASE.replace(
    "  - {at: 2026-03-14T10:10:00Z, phase: mitigate",
    "  - {at: 2026-03-14T10:06:00Z, phase: mitigate, internal: true, text: A vendor call moved traffic.}\n"
    "  - {at: 2026-03-14T10:10:00Z, phase: mitigate",
    1,
)


@pytest.mark.parametrize(("audience", "mitigated"), [("internal", "10:06"), ("public", "10:10")])
def test_times_come_only_from_the_events_the_audience_sees(tmp_path: Path, audience: str, mitigated: str) -> None:
    """A public version must not tell, by its figures, when an event it leaves out happened."""
    from postmortem.render.context import build_view

    path = tmp_path / "inc.yml"
    path.write_text(_HIDDEN_MITIGATION)
    incident = load(path)
    view = build_view(incident, options_for(path, incident, audience))
    glance = {f.label: f.value for f in view.glance}
    assert glance["Time to mitigate"] == {"10:06": "6 min", "10:10": "10 min"}[mitigated]
    assert f"Mitigated at {mitigated} UTC" in str(view.timeline_svg)
    assert ("10:06" in str(view.timeline_svg)) is (audience == "internal")


def test_a_typed_mitigation_time_marks_the_visual_timeline(tmp_path: Path) -> None:
    """``impact.mitigated_at`` sets time to mitigate; the visual timeline used to ignore it."""
    from postmortem.render.context import build_view

    path = tmp_path / "inc.yml"
    path.write_text(_HIDDEN_MITIGATION.replace("  ended_at:", "  mitigated_at: 2026-03-14T10:08:00Z\n  ended_at:"))
    incident = load(path)
    view = build_view(incident, options_for(path, incident, "public"))
    assert {f.label: f.value for f in view.glance}["Time to mitigate"] == "8 min"
    assert "Mitigated at 10:08 UTC" in str(view.timeline_svg)


def test_no_leader_line_crosses_a_time_label() -> None:
    """A milestone labelled below the axis drew its leader line through the tick label at its time."""
    import datetime as dt

    from postmortem.render.svg import Band, Milestone, timeline_svg

    t0 = dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)
    at = [t0 + dt.timedelta(minutes=m) for m in (0, 3, 10, 20)]
    names = ("impact", "detected", "mitigated", "resolved")
    svg = str(
        timeline_svg(
            t0 - dt.timedelta(minutes=1),
            at[-1] + dt.timedelta(minutes=1),
            [Band("detect", "Until detected", at[0], at[1])],
            [Milestone(n, n.capitalize(), a) for n, a in zip(names, at, strict=True)],
        )
    )
    axis_y = float(re.search(r'class="axis" x1="[\d.]+" y1="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    below = [
        float(x)
        for x, y2 in re.findall(r'class="leader" x1="([\d.]+)" y1="[\d.]+" x2="[\d.]+" y2="([\d.]+)"', svg)
        if float(y2) > axis_y
    ]
    labels = [(float(x), text) for x, text in re.findall(r'class="tick-label" x="([\d.]+)"[^>]*>([^<]*)<', svg)]
    assert below and labels
    assert all(abs(x - lx) >= 4.2 * len(text) + 4 for x, text in labels for lx in below), (labels, below)
    assert "10:05" in {text for _, text in labels}  # the others stay
