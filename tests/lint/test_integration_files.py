"""action.yml, .pre-commit-hooks.yaml and the setups in docs/ci.md are well-formed and consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_action_is_a_composite_that_lints_with_github_format_and_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "pip install" in scripts and "--format github" in scripts and "--format sarif" in scripts
    # Every ${{ inputs.X }} used is declared, and every run step sets a shell (composite actions need it).
    used = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text()))
    assert used <= set(action["inputs"])
    assert all("shell" in s for s in steps if "run" in s)


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "postmortem-lint")
    assert hook["entry"] == "postmortem lint --force-exclude"
    files = re.compile(hook["files"])
    for name in ("a.yml", "b/c.yaml", "d.json", "e.md"):
        assert files.search(name)
    for name in ("f.py", "g.txt", "h.yml.bak"):
        assert not files.search(name)


@pytest.mark.parametrize(
    "block",
    re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text(), re.DOTALL),
)
def test_ci_doc_yaml_is_valid(block: str) -> None:
    data = yaml.safe_load(block)
    assert data
    text = block
    if "postmortem lint" in text and "--format gitlab" in text:
        assert data["postmortem-lint"]["artifacts"]["reports"]["codequality"] in text
