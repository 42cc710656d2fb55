"""The ``lint`` command: exit codes, walking, options, and what it imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postmortem.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
BLAMEFUL = ROOT / "samples" / "blameful" / "checkout-outage.yml"
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["lint", *args], env={"GITHUB_ACTIONS": "", **(env or {})})
    return result.exit_code, result.stdout


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "fail_on", "code"),
    [
        ("summary: Fine.\n", None, 0),
        ("summary: human error.\n", None, 1),
        ("summary: TODO.\n", None, 0),  # a warning, below the default threshold
        ("summary: TODO.\n", "warning", 1),
        ("summary: [unclosed\n", None, 2),
    ],
)
def test_exit_codes(tmp_path: Path, text: str, fail_on: str | None, code: int) -> None:
    f = write(tmp_path, "x.yml", text)
    args = [str(f)] + (["--fail-on", fail_on] if fail_on else [])
    assert run(*args)[0] == code


def test_missing_file_and_bad_usage(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.yml"))[0] == 2
    assert run("--format", "xml", str(BLAMEFUL))[0] == 2
    assert run("--select", "bogus", str(BLAMEFUL))[0] == 2


def test_walks_folders_with_include_and_exclude(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "summary: human error.\n")
    write(tmp_path, "notes/b.md", "It was human error.\n")
    write(tmp_path, "node_modules/c.yml", "summary: human error.\n")
    write(tmp_path, "skip/d.yml", "summary: human error.\n")
    write(tmp_path, "e.txt", "human error\n")
    write(tmp_path, ".postmortem.toml", 'extend-exclude = ["skip/**"]\n')
    code, out = run("-f", "concise", str(tmp_path))
    files = sorted({line.split(":")[0] for line in out.splitlines()})
    assert code == 1
    assert [Path(f).name for f in files] == ["a.yml", "b.md"]


def test_config_error_is_positioned_and_exit_2(tmp_path: Path) -> None:
    write(tmp_path, ".postmortem.toml", 'select = ["PM1"]\nfail-on = "never"\n')
    f = write(tmp_path, "x.yml", "summary: Fine.\n")
    result = runner.invoke(app, ["lint", str(f)])
    assert result.exit_code == 2
    assert ".postmortem.toml:2:1: error: fail-on: expected one of" in result.stderr


def test_select_ignore_and_statistics() -> None:
    code, out = run("--select", "PM1", "--statistics", str(BLAMEFUL))
    assert code == 1
    assert [line.split()[1] for line in out.splitlines()] == ["PM101", "PM102"]
    code, out = run("--ignore", "PM1,PM2,PM9", "--select", "all", "-f", "concise", str(BLAMEFUL))
    assert code == 0  # only warnings are left
    assert {line.split()[1] for line in out.splitlines()} == {"PM301", "PM302", "PM303"}


@pytest.mark.parametrize("value", ["", " , "])
def test_an_empty_select_is_a_usage_error_not_every_rule_off(value: str) -> None:
    result = runner.invoke(app, ["lint", "--select", value, str(BLAMEFUL)])
    assert result.exit_code == 2
    assert "--select: no rule named" in result.stderr


def test_force_exclude_treats_named_files_as_if_found_by_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit passes every changed file: a CI config, a JSON list and a README must not fail the hook."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".postmortem.toml", 'extend-exclude = ["archive/**"]\n')
    write(tmp_path, "incidents/a.yml", "summary: It was human error.\n")
    write(tmp_path, "archive/b.yml", "summary: It was human error.\n")
    write(tmp_path, "package.json", '["not", "an", "incident"]\n')
    write(tmp_path, "ci.yml", "jobs:\n  test: {runs-on: ubuntu-latest}\n")
    write(tmp_path, "README.md", "Maintained by Ottilie Brandvold.\n")
    named = ["incidents/a.yml", "archive/b.yml", "package.json", "ci.yml", "README.md"]
    code, out = run("-f", "concise", "--force-exclude", *named)
    assert code == 1
    assert {line.split(":")[0] for line in out.splitlines()} == {"incidents/a.yml"}
    code, out = run("-f", "concise", *named)  # without it, every named file is linted
    assert code == 2


@pytest.mark.parametrize("flag", ["--fix", "--diff"])
def test_fix_and_diff_refuse_stdin_rather_than_ignore_it(flag: str) -> None:
    result = runner.invoke(app, ["lint", flag, "-"], input="summary: Dana restarted it.\n")
    assert result.exit_code == 2
    assert "stdin (-) has none to rewrite" in result.stderr


def test_a_config_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "--config", str(tmp_path), str(BLAMEFUL)])
    assert result.exit_code == 2
    assert result.stderr == f"postmortem: error: --config: {tmp_path}: is a folder; name the config file in it\n"


def test_people_from_git(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ottilie Brandvold", "GIT_AUTHOR_EMAIL": "ob@example.com"}
    env |= {"GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@example.com"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    f = write(tmp_path, "x.yml", "summary: Brandvold restarted it.\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "x.yml"], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "x"], check=True, env=env)
    code, out = run("-f", "json", "--people-from-git", str(f))
    rules = [d["rule"] for d in json.loads(out)["diagnostics"]]
    assert code == 1 and rules == ["named-individual"]


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "-f", "concise", "--stdin-filename", "d.md", "-"], input="Paged @tkim.\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("d.md:1:7: PM102")


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    code, stdout = run("-f", "sarif", "-o", str(out), str(BLAMEFUL))
    assert code == 1 and stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_lint_imports_neither_weasyprint_nor_jinja(tmp_path: Path) -> None:
    f = write(tmp_path, "x.yml", "summary: Fine.\n")
    md = write(tmp_path, "d.md", "# Fine\n\nText.\n")
    code = (
        "import sys\n"
        "from postmortem.cli.app import app\n"
        f"try:\n    app(['lint', {str(f)!r}, {str(md)!r}])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "bad = [m for m in ('weasyprint', 'jinja2') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_lint_library_imports_no_pydantic_without_config(tmp_path: Path) -> None:
    # (typer itself imports pydantic to coerce CLI parameters; the lint library must not.)
    code = (
        "import sys\n"
        "from postmortem.lint import lint_source\n"
        "from postmortem.lint.formats import Report, get_formatter\n"
        "from postmortem.source import SourceFile\n"
        "for name, text in [('x.yml', 'summary: Dana.\\n'), ('d.md', '# T\\n\\nText @tkim.\\n')]:\n"
        "    get_formatter('text')(Report(lint_source(SourceFile(name, text))))\n"
        "bad = [m for m in ('weasyprint', 'jinja2', 'pydantic') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def _lint_in_a_fresh_interpreter(tmp_path: Path, target: Path, before: str = "", after: str = "") -> None:
    """Run ``postmortem lint TARGET`` through ``main()`` in a new Python, with checks before and after it."""
    code = (
        "import sys\n"
        f"{before}"
        f"sys.argv = ['postmortem', 'lint', {str(target)!r}]\n"
        "from postmortem.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        f"{after}"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_lint_command_imports_only_what_it_needs(tmp_path: Path) -> None:
    """``postmortem lint`` registers only itself: no pydantic, render, Jinja or WeasyPrint."""
    f = write(tmp_path, "x.yml", "summary: Fine.\n")
    after = (
        "bad = [m for m in ('pydantic', 'weasyprint', 'jinja2', 'postmortem.render') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    _lint_in_a_fresh_interpreter(tmp_path, f, after=after)


def test_linting_a_markdown_draft_loads_neither_yaml_nor_the_fixer(tmp_path: Path) -> None:
    f = write(tmp_path, "draft.md", "# Review\n\nThe cache was cold.\n")
    after = (
        "bad = [m for m in ('yaml', 'postmortem.yamlcompose', 'postmortem.lint.fix') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "from postmortem.lint import fix_text\n"  # still part of the API, loaded on first use
        "assert 'postmortem.lint.fix' in sys.modules and callable(fix_text)\n"
    )
    _lint_in_a_fresh_interpreter(tmp_path, f, after=after)


def test_only_the_command_line_tunes_the_garbage_collector(tmp_path: Path) -> None:
    f = write(tmp_path, "x.yml", "summary: Fine.\n")
    before = (
        "import gc\n"
        "default = gc.get_threshold()\n"
        "from postmortem.lint import lint_source\n"
        "from postmortem.source import SourceFile\n"
        "lint_source(SourceFile('x.yml', 'summary: Fine.\\n'))\n"
        "assert gc.get_threshold() == default, 'the library must keep the caller settings'\n"
    )
    after = (
        "from postmortem.cli import GC_THRESHOLD\n"
        "assert gc.get_threshold() == GC_THRESHOLD != default, gc.get_threshold()\n"
    )
    _lint_in_a_fresh_interpreter(tmp_path, f, before=before, after=after)


def test_the_command_line_freezes_its_heap_before_the_interpreter_exits(tmp_path: Path) -> None:
    """So that the teardown does not collect over everything the run kept (docs/performance.md)."""
    f = write(tmp_path, "x.yml", "summary: Fine.\n")
    before = "import gc\nassert gc.get_freeze_count() == 0\n"
    after = "assert gc.get_freeze_count() > 0, 'the heap is not frozen'\n"
    _lint_in_a_fresh_interpreter(tmp_path, f, before=before, after=after)


def test_walk_skips_yaml_that_is_not_an_incident(tmp_path: Path) -> None:
    write(tmp_path, "list.yml", "- a\n- b\n")
    write(tmp_path, "ci.yml", "stages: [TODO]\n")
    write(tmp_path, "empty.yaml", "")
    write(tmp_path, "broken.yml", "summary: [unclosed\n")
    code, out = run("-f", "concise", str(tmp_path))
    assert code == 2 and out == ""  # only the syntax error, on stderr
    assert run(str(tmp_path / "list.yml"))[0] == 2  # named explicitly: linted, and not an incident


def test_lint_limits_are_flags(tmp_path: Path) -> None:
    big = write(tmp_path, "big.yml", "summary: " + "x" * 200 + "\n")
    code = subprocess.run(
        [sys.executable, "-m", "postmortem", "lint", "--max-bytes", "100", str(big)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert code.returncode == 2
    assert code.stderr.strip().endswith(
        f"file is {big.stat().st_size} bytes, over the 100 byte limit (raise it with --max-bytes)"
    )
    ok = subprocess.run(
        [sys.executable, "-m", "postmortem", "lint", "--max-bytes", "1000", str(big)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr


def test_sarif_of_a_run_with_an_unparsable_input_is_not_successful(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yml", "summary: [unclosed\n")
    code, out = run("-f", "sarif", str(bad), str(BLAMEFUL))
    assert code == 2
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["descriptor"]["id"] for n in invocation["toolExecutionNotifications"]] == ["PM005"]
