"""Config discovery and validation, with positioned errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lintcheck import ROSTER, lint, positions

from postmortem.diagnostics import Severity
from postmortem.lint.configfile import ConfigError, parse_config


def errors(text: str, name: str = ".postmortem.toml") -> list[tuple[int, int, str]]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, name)
    return [(d.start.line, d.start.column, d.message) for d in info.value.diagnostics]


def test_full_config() -> None:
    cfg = parse_config(
        """
select = ["PM1", "blame-language"]
ignore = ["person-mention"]
fail-on = "warning"
require-reason = false
people = ["Ada Lovelace", { name = "Grace Hopper", role = "the scribe", handles = ["@grace"] }]
allowed-terms = ["Hopper"]
confidentiality = "Internal"
timezone = "Europe/Paris"

[severity]
counterfactual = "error"

[rules.placeholder]
markers = ["TODO"]
""",
        ".postmortem.toml",
    )
    assert cfg is not None
    assert cfg.select == ("PM1", "blame-language")
    assert cfg.fail_on is Severity.WARNING
    assert cfg.severity == {"counterfactual": Severity.ERROR}
    assert cfg.options["placeholder"] == {"markers": ("TODO",)}
    assert [p.name for p in cfg.people] == ["Ada Lovelace", "Grace Hopper"]
    assert cfg.people[1].handles == ("@grace",)
    assert (cfg.confidentiality, cfg.timezone, cfg.require_reason) == ("Internal", "Europe/Paris", False)


def test_pyproject_table_and_absent_table() -> None:
    assert parse_config("[tool.other]\nx = 1\n", "pyproject.toml") is None
    cfg = parse_config('[tool.postmortem]\nignore = ["PM301"]\n', "pyproject.toml")
    assert cfg is not None and cfg.ignore == ("PM301",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fail-on = "sometimes"\n', [(1, 1, "fail-on: expected one of 'error', 'warning' or 'info'")]),
        ('select = ["PM1"]\nbogus = 1\n', [(2, 1, "bogus: unknown key")]),
        ('\n[severity]\nnamed-individul = "error"\n', [(3, 1, "severity: unknown rule `named-individul`")]),
        ('[rules.placeholder]\nmarkers = ["TODO"]\nlorem = true\n', [(3, 1, "rules.placeholder.lorem: unknown key")]),
        ('ignore = ["nope"]\n', [(1, 1, "ignore: unknown rule or prefix `nope`")]),
        ('timezone = "Mars/Olympus"\n', [(1, 1, "timezone: unknown time zone `Mars/Olympus`")]),
        ("select = [\n", None),
    ],
)
def test_positioned_errors(text: str, expected: list[tuple[int, int, str]] | None) -> None:
    found = errors(text)
    if expected is None:
        assert found[0][2].startswith("TOML syntax error")
        assert found[0][0] >= 1
    else:
        assert found == expected


def test_pyproject_errors_point_into_the_table() -> None:
    text = '[project]\nname = "x"\n\n[tool.postmortem]\nrequire-reason = "yes"\n'
    assert errors(text, "pyproject.toml") == [(5, 1, "require-reason: Input should be a valid boolean")]


def test_config_changes_the_lint() -> None:
    cfg = parse_config('people = ["Ada Lovelace"]\n[severity]\nplaceholder = "error"\n', ".postmortem.toml")
    diags = lint("summary: Lovelace wrote TODO.\n", config=cfg)
    assert [(d.rule, d.severity) for d in diags] == [
        ("named-individual", Severity.ERROR),
        ("placeholder", Severity.ERROR),
    ]


def test_allowed_terms_reach_the_detectors() -> None:
    src = ROSTER + "summary: Paged Ashby Quentworth about it.\n"
    before = positions(lint(src), "person-mention")
    cfg = parse_config('allowed-terms = ["Ashby Quentworth", "Ashby", "Quentworth"]\n', ".postmortem.toml")
    assert positions(lint(src, config=cfg), "person-mention") == []
    assert before in ([], [(8, 16)])  # the name list may or may not know this invented name


def test_roster_file(tmp_path: Path) -> None:
    (tmp_path / "people.txt").write_text(
        "# our team\nAda Lovelace <ada@example.com>\nGrace Hopper | the scribe\n@linus\n"
    )
    cfg = parse_config(
        'roster-file = "people.txt"\n',
        str(tmp_path / ".postmortem.toml"),
        root=str(tmp_path),
        read_file=lambda rel: (tmp_path / rel).read_text(),
    )
    assert cfg is not None
    assert [(p.name, p.role, p.emails, p.handles) for p in cfg.people] == [
        ("Ada Lovelace", None, ("ada@example.com",), ()),
        ("Grace Hopper", "the scribe", (), ()),
        ("@linus", None, (), ("@linus",)),
    ]


def test_discovery_walks_up_and_stops_at_git(tmp_path: Path) -> None:
    from postmortem.cli.cmd_lint import find_config

    (tmp_path / ".postmortem.toml").write_text("")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    deep = repo / "incidents" / "2026"
    deep.mkdir(parents=True)
    assert find_config(deep) is None  # the config above the repository root is not used
    (repo / "pyproject.toml").write_text("[tool.black]\n")
    assert find_config(deep) is None  # a pyproject.toml without [tool.postmortem] is skipped
    (repo / "pyproject.toml").write_text("[tool.postmortem]\n")
    assert find_config(deep) == (repo / "pyproject.toml").resolve()
    (repo / "incidents" / ".postmortem.toml").write_text("")
    assert find_config(deep) == (repo / "incidents" / ".postmortem.toml").resolve()


def test_lint_config_exposes_render_settings() -> None:
    from postmortem.lint.config import LintConfig

    assert {"confidentiality", "timezone"} <= set(LintConfig.__dataclass_fields__)


def test_library_config_accepts_codes_and_aliases() -> None:
    from postmortem.lint import LintConfig

    cfg = LintConfig(severity={"PM301": Severity.ERROR}, options={"todo": {"markers": ("FIXME",)}})
    assert [(d.rule, d.severity) for d in lint("summary: TODO FIXME\n", config=cfg)] == [
        ("placeholder", Severity.ERROR)
    ]
