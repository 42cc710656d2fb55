"""The Markdown format: GFM table escaping, Mermaid labels, sanitised fields, lint-clean output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from postmortem.render import RenderOptions, render_markdown
from postmortem.render.context import mermaid_label
from postmortem.render.markdown import escape_markdown_text, plain_cell, sanitize_markdown, table_cell

from .helpers import AS_OF, AUDIENCES, BASE, FIXTURES, fixture_paths, load, options_for, sample_paths


def gfm_table_cells(markdown: str) -> list[list[str]]:
    """Rows of cell texts as GitHub would split them (markdown-it's GFM table rule)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    rows: list[list[str]] = []
    row: list[str] | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row = []
        elif tok.type in ("td_open", "th_open") and row is not None:
            row.append(tokens[i + 1].content)
        elif tok.type == "tr_close" and row is not None:
            rows.append(row)
    return rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", r"a \| b"),
        ("line one\nline two", "line one<br>line two"),
        ("para one\n\npara two", "para one<br><br>para two"),
        ("`code | pipe`", r"`code \| pipe`"),
        # a code block: one code span per line (a <br> inside a code span would show as typed)
        ("Ran:\n\n```sh\ncode | block\n  indented\n```", r"Ran:<br><br>`code \| block`<br>`  indented`"),
        ("```\nuses `ticks`\n```", "`` uses `ticks` ``"),
        ("Then:\n\n    indented code\n    more", "Then:<br><br>`indented code`<br>`more`"),
        # a hard break: the <br> alone (a backslash before it would escape the tag)
        ("C:\\temp\\\nthen restarted", r"C:\temp<br>then restarted"),
        ("two spaces  \nthen", "two spaces<br>then"),
        # a backslash that ends a paragraph is a backslash, and must not escape the next tag
        ("ends in \\\n\nnext", r"ends in \\<br><br>next"),
        # a line break inside a code span is a space (a <br> there would show as typed)
        ("the `cache\nkey` | next\nline", r"the `cache key` \| next<br>line"),
    ],
)
def test_table_cell_escapes_pipes_and_newlines(text: str, expected: str) -> None:
    assert table_cell(text) == expected


def test_table_cells_survive_a_gfm_parser() -> None:
    cells = ["a | b", "x\ny", "<b>bold</b>", "c \\| d"]
    table = "| h1 | h2 | h3 | h4 |\n|---|---|---|---|\n| " + " | ".join(table_cell(c) for c in cells) + " |\n"
    rows = gfm_table_cells(table)
    assert len(rows) == 2
    assert len(rows[1]) == 4
    assert rows[1][0] == "a \\| b" or rows[1][0] == "a | b"


def test_plain_cell_escapes_markdown_punctuation() -> None:
    assert plain_cell("Ops | team *x*") == r"Ops \| team \*x\*"
    assert escape_markdown_text("<script>") == r"\<script\>"


def test_rendered_tables_have_consistent_columns() -> None:
    path = FIXTURES / "hostile.yml"
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident))
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(out)
    # Every table row has as many cells as its header.
    widths: list[int] = []
    count = 0
    for tok in tokens:
        if tok.type == "tr_open":
            count = 0
        elif tok.type in ("td_open", "th_open"):
            count += 1
        elif tok.type == "tr_close":
            widths.append(count)
        elif tok.type == "table_close":
            assert len(set(widths)) == 1, widths
            widths = []
    assert r"line two \| pipe" in out


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("Label: colon", ":"),
        ("<b>tag</b>", "<"),
        ("a > b", ">"),
        ("A & B", "&"),
        ("`tick`", "`"),
        ("%% comment", "%%"),
        ("entity #58; here", "#58;"),
        ("multi\nline", "\n"),
    ],
)
def test_mermaid_label_escapes_specials(text: str, forbidden: str) -> None:
    assert forbidden not in mermaid_label(text)


def test_mermaid_label_keeps_harmless_punctuation() -> None:
    # Checked in Mermaid 11: these render as typed in a gantt task name.
    assert mermaid_label('A, B; #channel "quoted" 50%') == 'A, B; #channel "quoted" 50%'
    assert mermaid_label("Label: colon") == "Label∶ colon"


def test_mermaid_block_is_well_formed() -> None:
    path = FIXTURES / "hostile.yml"
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident))
    block = out.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    lines = block.splitlines()
    assert lines[0] == "gantt"
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith(("title ", "dateFormat ", "axisFormat ", "section ")):
            continue
        # A task is "label :meta, ..." -- exactly one raw colon separates the label.
        label, sep, meta = stripped.partition(" :")
        assert sep and ":" not in label, line
        assert not re.match(r"(?i)(section|title|click|excludes|includes|todaymarker|dateformat|axisformat)\b", label)
        assert re.fullmatch(
            r"(milestone, )?[a-z]\d+, \d{4}-\d\d-\d\d \d\d:\d\d, (\d{4}-\d\d-\d\d \d\d:\d\d|0m)", meta
        ), line


def test_sanitize_markdown_escapes_html_and_unsafe_links() -> None:
    src = (
        "<script>alert(1)</script> [x](javascript:alert(1)) [y](https://ok.example)\n"
        "![img](http://evil.example/a.png)\n\n[ref]: javascript:alert(2)\n\n```\n<kept in code>\n```\n# Title"
    )
    out = sanitize_markdown(src)
    assert "<script" not in out
    assert "javascript:" not in out
    assert "[y](https://ok.example)" in out
    assert "\\![img]" in out
    assert "<kept in code>" in out
    assert "#### Title" in out


def test_public_markdown_omits_internal_items_and_owners() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident, "public"))
    for hidden in (
        "Internal note about the vendor contract",
        "Vendor contract detail",
        "Renegotiate the vendor support window",
        "Incident channel archive",
        "Estimated lost revenue",
        "Database platform team",
        "tracker.example.com",
        "grafana.example.com",
        "Priya Raman",
        "Responders",
    ):
        assert hidden not in out, hidden
    assert "Public status page entry" in out


def test_executive_markdown_lists_open_high_priority_items_only() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident, "executive"))
    assert "AI-1" in out and "AI-2" in out and "AI-4" in out
    assert "AI-3" not in out  # P2, done
    assert "## Timeline" not in out and "## Analysis" not in out


def test_overdue_relative_to_as_of() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    import datetime as dt

    early = render_markdown(incident, options_for(path, incident, as_of=dt.date(2026, 3, 1)))
    late = render_markdown(incident, options_for(path, incident, as_of=dt.date(2026, 5, 1)))
    assert "**overdue**" not in early
    # AI-1 (in progress), AI-2 and AI-4 (open) are past due on 1 May; AI-3 is done.
    assert late.count("**overdue**") == 3


def test_responders_by_role_never_by_name() -> None:
    for path in [*fixture_paths(), *sample_paths()]:
        incident = load(path)
        for audience in AUDIENCES:
            out = render_markdown(incident, options_for(path, incident, audience))
            for r in incident.responders:
                other_roles = {a for a in incident.authors} | set(incident.reviewers)
                other_roles |= {a.owner for a in incident.action_items if a.owner}
                if r.name in other_roles:
                    continue  # also an author, reviewer or owner: named in that capacity
                assert r.name not in out, (path.name, audience)


def test_default_options_render() -> None:
    incident = load(FIXTURES / "minimal.yml")
    out = render_markdown(incident, RenderOptions())
    assert out.startswith("---\n")
    assert "ongoing" in out


def _lint(text: str, name: str) -> list[object]:
    lint = pytest.importorskip("postmortem.lint")
    from postmortem.source import SourceFile

    return list(lint.lint_markdown(SourceFile(name, text)))


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("name", ["full.yml", "minimal.yml"])
def test_markdown_output_is_lint_clean(name: str, audience: str) -> None:
    path = FIXTURES / name
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident, audience))
    findings = _lint(out, "out.md")
    assert findings == [], [getattr(f, "message", f) for f in findings]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_sample_markdown_lints_clean(path: Path, audience: str) -> None:
    """Samples rendered to Markdown lint clean, as the issue asks: feeding the output back to
    ``postmortem lint`` gives no findings.  Action-item owners sit in an Owner column, which the
    Markdown linter treats as a people field by design, like ``action_items[].owner`` in YAML."""
    incident = load(path)
    out = render_markdown(incident, options_for(path, incident, audience))
    findings = _lint(out, f"{path.stem}.md")
    assert findings == [], [f.format() for f in findings]  # type: ignore[attr-defined]


def _render_text(text: str, audience: str = "internal") -> str:
    from postmortem.api import load_incident

    incident = load_incident(text, "x.yml")
    return render_markdown(incident, RenderOptions(audience=audience, as_of=AS_OF))  # type: ignore[arg-type]


def test_action_item_description_is_shown_in_its_cell() -> None:
    text = BASE.replace(
        "status: open}", 'status: open, description: "Warm the *hot* keys | first.\\nThen open traffic."}'
    )
    out = _render_text(text)
    row = next(line for line in out.splitlines() if line.startswith("| AI-1"))
    assert row.startswith(
        r"| AI-1: Add a cache warm-up step to the deploy<br>Warm the *hot* keys \| first.<br>Then open traffic. |"
    )
    rows = gfm_table_cells(out[out.index("| Action |") :])
    assert len(rows[1]) == len(rows[0]) == 7
    assert _lint(out, "x.md") == []


def _gfm_html(markdown: str) -> str:
    """The HTML a GFM renderer makes of the Markdown (raw HTML allowed, as on GitHub)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_code_blocks_and_hard_breaks_in_table_cells_render_as_on_github() -> None:
    text = BASE.replace(
        "text: The cache was warmed from the replica.}", 'text: "Ran:\\n\\n```\\ncode | block\\nline2\\n```\\n"}'
    ).replace("text: Latency back to normal.}", 'text: "C:\\\\temp\\\\\\nthen restarted"}')
    out = _render_text(text)
    html = _gfm_html(out)
    assert "<td>Ran:<br><br><code>code | block</code><br><code>line2</code></td>" in html
    assert "<td>C:\\temp<br>then restarted</td>" in html
    assert "&lt;br" not in html
    rows = gfm_table_cells(out[out.index("| UTC |") : out.index("## Analysis")])
    assert {len(r) for r in rows} == {3}
    assert _lint(out, "x.md") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a <...> destination (spaces allowed) and an autolink are links, not tags
        ("[docs](<https://example.com/a b>)", "[docs](<https://example.com/a b>)"),
        ("<https://auto.example> and <ops@example.com>", "<https://auto.example> and <ops@example.com>"),
        # an unsafe target is replaced whole, its balanced parentheses included
        ("[x](javascript:alert(1)) after", "[x](#) after"),
        ('[x](<javascript:alert(1)> "title")', '[x](# "title")'),
        ("<javascript:alert(1)>", "&lt;javascript:alert(1)>"),
        ("[ok](https://example.com/a_(b)) [rel](docs/x.md)", "[ok](https://example.com/a_(b)) [rel](#)"),
        # GFM footnotes are not link reference definitions
        ("text[^1]\n\n[^1]: note", "text[^1]\n\n[^1]: note"),
        ("[ref]: <https://example.com/a b> 'T'", "[ref]: <https://example.com/a b> 'T'"),
        ("[ref]: javascript:alert(2) 'T'", "[ref]: # 'T'"),
        # an escaped character stays escaped; a lone < is text
        (r"\<b> a < b \![not an image]", r"\<b> a < b \![not an image]"),
    ],
)
def test_sanitize_markdown_keeps_valid_links(text: str, expected: str) -> None:
    assert sanitize_markdown(text) == expected


def test_links_autolinks_and_footnotes_survive_the_markdown_output() -> None:
    text = BASE.replace(
        "what_went_well: [The alert fired quickly.]",
        "what_went_well: [The alert fired quickly.]\n"
        "lessons_learned:\n"
        '  - "[docs](<https://example.com/a b>) <https://auto.example> [x](javascript:alert(1))"\n'
        '  - "text[^1]\\n\\n[^1]: note"',
    )
    out = _render_text(text)
    lessons = out[out.index("## Lessons learned") :]
    assert "- [docs](<https://example.com/a b>) <https://auto.example> [x](#)\n" in lessons
    assert "- text[^1]\n\n  [^1]: note\n" in lessons
    html = _gfm_html(out)
    assert '<a href="https://example.com/a%20b">docs</a>' in html
    assert '<a href="https://auto.example">https://auto.example</a>' in html
    assert '<a href="#">x</a></p>' in html or '<a href="#">x</a></li>' in html
    assert "javascript" not in out
    assert _lint(out, "x.md") == []


def test_figure_links_start_from_where_the_markdown_is_written() -> None:
    """``figure_link_base`` is the incident's folder seen from the Markdown's; HTML and PDF embed instead."""
    path = FIXTURES / "full.yml"
    incident = load(path)
    beside = render_markdown(incident, options_for(path, incident))
    assert "](figures/error-rate.png)" in beside
    elsewhere = render_markdown(incident, options_for(path, incident, figure_link_base="../incidents/2026"))
    assert "](../incidents/2026/figures/error-rate.png)" in elsewhere
    assert "](figures/error-rate.png)" not in elsewhere
    up = render_markdown(incident, options_for(path, incident, figure_link_base=".."))
    assert "](../figures/error-rate.png)" in up
