"""Suppression comments: scope, reasons, unknown rules, unused suppressions."""

from __future__ import annotations

import dataclasses

from lintcheck import ROSTER, lint, positions

from postmortem.lint import DEFAULT_CONFIG


def rules_at(source: str, name: str = "incident.yml", **cfg: object) -> list[tuple[str, int, int]]:
    config = dataclasses.replace(DEFAULT_CONFIG, **cfg) if cfg else None  # type: ignore[arg-type]
    return [(d.rule, d.start.line, d.start.column) for d in lint(source, name=name, config=config)]


def test_trailing_comment_on_the_keys_line() -> None:
    src = ROSTER + "summary: Dana left.  # postmortem: ignore[named-individual] -- quoting the press release\n"
    assert rules_at(src) == []


def test_comment_on_the_line_above_covers_a_block_scalar() -> None:
    src = ROSTER + "# postmortem: ignore[PM101] -- public statement\nsummary: |\n  Dana left.\n  Sam stayed.\n"
    assert rules_at(src) == []


def test_comment_does_not_cover_the_next_field() -> None:
    src = ROSTER + "# postmortem: ignore[named-individual] -- x\nsummary: Fine.\ntrigger: Dana pushed.\n"
    assert rules_at(src) == [("unused-suppression", 8, 1), ("named-individual", 10, 10)]


def test_list_item_scope() -> None:
    src = (
        ROSTER + "what_went_wrong:\n  # postmortem: ignore[named-individual] -- x\n  - Dana was alone.\n  - Sam too.\n"
    )
    assert rules_at(src) == [("named-individual", 11, 5)]


def test_alias_and_code_accepted() -> None:
    src = ROSTER + "summary: Dana left.  # postmortem: ignore[named-person, PM201] -- x\n"
    assert rules_at(src) == [("unused-suppression", 8, 22)]


def test_missing_reason_is_invalid_and_silences_nothing() -> None:
    src = ROSTER + "summary: Dana left.  # postmortem: ignore[named-individual]\n"
    assert rules_at(src) == [("named-individual", 8, 10), ("invalid-suppression", 8, 22)]


def test_reason_optional_when_config_says_so() -> None:
    src = ROSTER + "summary: Dana left.  # postmortem: ignore[named-individual]\n"
    assert rules_at(src, require_reason=False) == []


def test_unknown_rule_is_a_finding() -> None:
    src = "summary: Fine.  # postmortem: ignore[named-individul] -- typo\n"
    diags = lint(src)
    assert [(d.rule, d.message) for d in diags] == [
        ("invalid-suppression", "suppression names unknown rule `named-individul`")
    ]


def test_malformed_directive() -> None:
    assert rules_at("summary: Fine.  # postmortem: ignroe named-individual\n") == [("invalid-suppression", 1, 17)]


def test_comment_text_inside_a_scalar_is_not_a_directive() -> None:
    src = ROSTER + "summary: >\n  Dana left. # postmortem: ignore[named-individual] -- x\n"
    assert rules_at(src) == [("named-individual", 9, 3)]


def test_disable_file() -> None:
    src = "# postmortem: disable-file[blame-language] -- quoted customer tickets\nsummary: human error.\n"
    assert rules_at(src) == []
    assert rules_at("# postmortem: disable-file[all] -- archived\nsummary: human error.\n") == []


def test_unused_not_reported_for_rules_not_selected() -> None:
    src = "summary: Fine.  # postmortem: ignore[blame-language] -- x\n"
    assert rules_at(src, select=("placeholder", "unused-suppression")) == []
    assert positions(lint(src), "unused-suppression") == [(1, 17)]


def test_markdown_next_block_and_same_line() -> None:
    front = "---\nresponders:\n  - name: Dana Whitfield\n    role: scribe\n---\n"
    src = front + (
        "<!-- postmortem: ignore[named-individual] -- from the public statement -->\n"
        "Dana wrote the summary.\n\n"
        "Dana again. <!-- postmortem: ignore[named-individual] -- same line -->\n\n"
        "Dana a third time.\n"
    )
    assert rules_at(src, name="draft.md") == [("named-individual", 11, 1)]


def test_two_markdown_suppressions_side_by_side_both_cover_the_next_block() -> None:
    """Neither was alone on its line, so each covered only that line: both unused, nothing silenced."""
    src = (
        "# Notes\n\n"
        "<!-- postmortem: ignore[person-mention] -- quoted --> <!-- postmortem: ignore[blame-language] -- quoted -->\n"
        "Dana Whitfield said it was human error.\n"
    )
    assert rules_at(src, name="draft.md") == []


def test_markdown_directive_in_code_is_ignored() -> None:
    src = "```\n<!-- postmortem: ignore[bogus] -->\n```\n\nText.\n"
    assert rules_at(src, name="draft.md") == []


def test_disable_file_all_unused_is_one_finding() -> None:
    assert rules_at("# postmortem: disable-file[all] -- archived\nsummary: Fine.\n") == [("unused-suppression", 1, 1)]


def test_disable_file_all_silences_the_suppression_rules_too() -> None:
    """An archived transcript under disable-file[all]: its other comments are not reported either."""
    others = (
        "summary: Fine.  # postmortem: ignore[blame-language] -- an old comment\n"
        "resolution: Done.  # postmortem: ignore[named-individual]\n"
    )
    assert rules_at(others) == [("unused-suppression", 1, 17), ("invalid-suppression", 2, 20)]
    assert rules_at("# postmortem: disable-file[all] -- archived\n" + others) == []
    # without a reason it is itself invalid and silences nothing
    assert rules_at("# postmortem: disable-file[all]\n" + others) == [
        ("invalid-suppression", 1, 1),
        ("unused-suppression", 2, 17),
        ("invalid-suppression", 3, 20),
    ]


def test_comment_on_a_block_scalar_header() -> None:
    src = ROSTER + "summary: |-  # postmortem: ignore[named-individual] -- public statement\n  Dana left.\n"
    assert rules_at(src) == []
    src = ROSTER + "summary: >\n  Dana left. # not a comment: ignore[named-individual] -- x\n"
    assert rules_at(src) == [("named-individual", 9, 3)]


def test_stacked_comments_above_a_key() -> None:
    src = ROSTER + "# postmortem: ignore[named-individual] -- statement\n# another comment\n\nsummary: Dana left.\n"
    assert rules_at(src) == []


def test_lint_document_with_suppressions_tells_what_each_suppression_silenced() -> None:
    from postmortem.diagnostics import Silenced, Suppression
    from postmortem.lint import lint_document_with_suppressions
    from postmortem.source import SourceFile
    from postmortem.yamlio import parse

    src = (
        ROSTER
        + "# postmortem: ignore[named-individual, blame-language] -- the press release\n"
        + "summary: |\n  All fine.\n  Dana left.\n"
        + "trigger: TODO  # postmortem: ignore[placeholder] -- later\n"
        + "# postmortem: disable-file[all] -- a transcript\n"
        + "resolution: Sam restarted it.\n"
    )
    doc = parse(SourceFile("incident.yml", src))
    diagnostics, suppressions = lint_document_with_suppressions(doc)
    # the unused `blame-language` is silenced by disable-file[all] (see the test above)
    assert [d.message for d in diagnostics] == []
    assert suppressions == (
        Suppression(
            "ignore",
            ("named-individual", "blame-language"),
            "the press release",
            (Silenced("named-individual", "summary", 1),),
        ),
        Suppression("ignore", ("placeholder",), "later", (Silenced("placeholder", "trigger", 0),)),
        Suppression("disable-file", ("all",), "a transcript", (Silenced("named-individual", "resolution", 0),)),
    )
    # With the front matter of the Markdown it will be carried into, a roster person who is not in
    # it is reported there as a person-mention, so that is the rule the suppression is carried with.
    _, suppressions = lint_document_with_suppressions(doc, markdown_front_matter={"authors": ["Alex Doe"]})
    assert suppressions[0].silenced == (Silenced("person-mention", "summary", 1),)
    _, suppressions = lint_document_with_suppressions(doc, markdown_front_matter={"authors": ["Dana Whitfield"]})
    assert suppressions[0].silenced == (Silenced("named-individual", "summary", 1),)
