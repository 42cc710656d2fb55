"""Check the built wheel and sdist: the templates ship, exactly as tracked, nothing stray.

Usage: python .ci/check_wheel.py DIST_DIR
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path


def tracked(prefix: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", "-z", prefix], capture_output=True, text=True, check=True).stdout
    return {p for p in out.split("\0") if p}


def main(dist: Path) -> int:
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, (wheels, sdists)
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    problems: list[str] = []

    want_templates = {"postmortem/" + p for p in tracked("templates")}
    have_templates = {n for n in names if n.startswith("postmortem/templates/")}
    if want_templates != have_templates:
        missing, stray = sorted(want_templates - have_templates), sorted(have_templates - want_templates)
        problems.append(f"templates differ: missing {missing}, stray {stray}")
    if not want_templates:
        print("note: no templates are tracked yet")

    want_package = {p for p in tracked("postmortem") if not p.endswith((".pyc",))}
    have_package = {n for n in names if n.startswith("postmortem/") and not n.startswith("postmortem/templates/")}
    if want_package != have_package:
        missing, stray = sorted(want_package - have_package), sorted(have_package - want_package)
        problems.append(f"package files differ: missing {missing}, stray {stray}")

    for required in ("postmortem/py.typed", "postmortem/schema/incident.schema.json"):
        if required not in names:
            problems.append(f"{required} missing")
    junk = [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".orig", ".rej", "~"))]
    if junk:
        problems.append(f"stray files: {junk}")
    others = {n.split("/")[0] for n in names} - {"postmortem"} - {n.split("/")[0] for n in names if ".dist-info" in n}
    if others:
        problems.append(f"unexpected top-level entries: {sorted(others)}")
    meta = [n for n in names if n.endswith(".dist-info/METADATA")]
    licence = [n for n in names if ".dist-info/licenses/" in n]
    if not meta or not licence:
        problems.append("METADATA or LICENSE missing from dist-info")

    with tarfile.open(sdists[0]) as tar:
        sdist_names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for t in tracked("templates"):
        if t not in sdist_names:
            problems.append(f"sdist lacks {t}")

    for p in problems:
        print("FAIL:", p)
    if not problems:
        print(f"{wheels[0].name}: {len(have_templates)} templates, {len(have_package)} package files, as tracked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")))
