"""``postmortem lint PATHS...``: a thin layer over :mod:`postmortem.lint`.

This module does what the library must not: it walks folders, finds and
reads config files, runs ``git log`` for ``--people-from-git``, prints, writes
fixed files and chooses the exit code.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from postmortem.diagnostics import Diagnostic, ExitCode, PostmortemError, Severity

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.config import LintConfig
    from postmortem.lint.detect import KnownPerson

_PRUNE = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})


# --- config discovery ----------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """Walk up from ``start`` to the first ``.postmortem.toml``, or ``pyproject.toml`` with ``[tool.postmortem]``.

    In one folder ``.postmortem.toml`` wins.  The walk stops after the folder
    that holds ``.git`` (the repository root) or at the filesystem root.
    """
    d = start.resolve()
    while True:
        dot = d / ".postmortem.toml"
        if dot.is_file():
            return dot
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                if "[tool.postmortem" in py.read_text(encoding="utf-8", errors="replace"):
                    return py
            except OSError:
                pass
        if (d / ".git").exists() or d.parent == d:
            return None
        d = d.parent


class _Configs:
    def __init__(self, explicit: str | None) -> None:
        self.explicit = explicit
        self.by_dir: dict[Path, LintConfig] = {}
        self.by_file: dict[Path, LintConfig] = {}

    def for_dir(self, folder: Path) -> LintConfig:
        folder = folder.resolve()
        if folder in self.by_dir:
            return self.by_dir[folder]
        path = Path(self.explicit) if self.explicit else find_config(folder)
        cfg = self.load(path) if path is not None else None
        if cfg is None:
            from postmortem.lint.config import DEFAULT_CONFIG

            cfg = DEFAULT_CONFIG
        self.by_dir[folder] = cfg
        return cfg

    def load(self, path: Path) -> LintConfig | None:
        path = path.resolve() if path.exists() else path
        if path in self.by_file:
            return self.by_file[path]
        from postmortem.cli.io import fail_message
        from postmortem.lint.configfile import ConfigError, parse_config

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            fail_message(f"{path}: cannot read config: {exc.strerror or exc}")
        root = path.parent

        def read(rel: str) -> str:
            return (root / rel).read_text(encoding="utf-8")

        name = os.path.relpath(path) if path.is_absolute() else str(path)
        try:
            cfg = parse_config(text, name, root=str(root), read_file=read)
        except ConfigError as exc:
            from postmortem.cli.io import print_diagnostics

            print_diagnostics(exc.diagnostics, sys.stderr)
            raise typer.Exit(int(ExitCode.TOOL_ERROR)) from None
        if cfg is None and self.explicit:
            from postmortem.lint.config import LintConfig

            cfg = LintConfig(path=name, root=str(root))
        if cfg is not None:
            self.by_file[path] = cfg
        return cfg


# --- walking -------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob: ``**/`` any folders, ``*`` within a name, ``?`` one character."""
    i, out = 0, ""
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif c == "*":
            out += "[^/]*"
            i += 1
        elif c == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(c)
            i += 1
    return re.compile(out + r"\Z")


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(glob_regex(p).match(rel) for p in patterns)


def walk(folder: Path, configs: _Configs) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _PRUNE)
        base = Path(dirpath)
        cfg = configs.for_dir(base)
        root = Path(cfg.root) if cfg.root else folder
        for name in sorted(filenames):
            p = base / name
            try:
                rel = p.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                rel = p.relative_to(folder).as_posix()
            if _matches(rel, cfg.include) and not _matches(rel, cfg.exclude):
                yield p


# --- people from git ---------------------------------------------------------------


_git_cache: dict[str, tuple[KnownPerson, ...]] = {}


def git_people(folder: Path) -> tuple[KnownPerson, ...]:
    """Commit authors (name and email) of the repository holding ``folder``."""
    import subprocess

    from postmortem.cli.io import fail_message
    from postmortem.lint.detect import KnownPerson

    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        fail_message(f"--people-from-git: {folder} is not in a git repository (or git is missing)")
    if top in _git_cache:
        return _git_cache[top]
    try:
        out = subprocess.run(
            ["git", "-C", top, "log", "--format=%an%x1f%ae"],
            capture_output=True,
            text=True,
            check=True,
            encoding="utf-8",
            errors="replace",
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        fail_message(f"--people-from-git: git log failed: {exc}")
    people: dict[str, set[str]] = {}
    for line in out.splitlines():
        name, _, email = line.partition("\x1f")
        name = name.strip()
        if not name or "[bot]" in name or ("noreply" in email and "users.noreply" not in email):
            continue
        people.setdefault(name, set())
        if email.strip() and "@" in email:
            people[name].add(email.strip())
    result = tuple(KnownPerson(n, None, (), tuple(sorted(e))) for n, e in people.items())
    _git_cache[top] = result
    return result


# --- the command -----------------------------------------------------------------------


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def lint_cmd(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Incident files (.yml, .yaml, .json), Markdown drafts (.md) or folders; - reads stdin."),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, concise, json, github, sarif or gitlab (github when GITHUB_ACTIONS=true, else text).",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Rewrite flagged names as roles or placeholders, in place.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the --fix changes as a unified diff; write nothing.")
    ] = False,
    redact: Annotated[
        bool | None,
        typer.Option("--redact/--no-redact", help="Mask names in all output (default: on for github, sarif, gitlab)."),
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning or info.")
    ] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print the number of findings per rule.")] = False,
    people_from_git: Annotated[
        bool, typer.Option("--people-from-git", help="Treat the repository's commit authors as known people.")
    ] = False,
    config: Annotated[
        str | None, typer.Option("--config", help="Use this config file instead of discovering one.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Run only these rules (names, codes or prefixes).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Do not run these rules.")] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    stdin_filename: Annotated[
        str | None, typer.Option("--stdin-filename", help="Name (and so format) of the text read from -.")
    ] = None,
) -> None:
    """Lint post-mortems for named individuals, blame language and unfinished sections.

    Exit codes: 0 no finding at or above --fail-on (default error), 1 findings, 2 the tool could not run
    (unreadable file, syntax error, bad config or usage).
    """
    from postmortem.cli.io import fail, fail_message, print_diagnostics, read_source, use_color, write_atomic
    from postmortem.lint.engine import is_markdown, lint_source
    from postmortem.lint.formats import FORMATS, REDACT_BY_DEFAULT, Report, get_formatter
    from postmortem.lint.formats import statistics as stats_text

    fmt = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        fail_message(f"--format: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    threshold: Severity | None = None
    if fail_on is not None:
        try:
            threshold = Severity.parse(fail_on)
        except KeyError:
            fail_message(f"--fail-on: expected error, warning or info, not {fail_on!r}")
    sel, ign = _split(select), _split(ignore) or ()
    if sel is not None or ign:
        from postmortem.lint.rules import known_selector

        for s in (*(sel or ()), *ign):
            if not known_selector(s):
                fail_message(f"unknown rule or prefix {s!r}; see `postmortem rules`")
    do_redact = redact if redact is not None else fmt in REDACT_BY_DEFAULT
    configs = _Configs(config)
    if config is not None and not Path(config).is_file():
        fail_message(f"--config: {config}: no such file")

    targets: list[str] = []
    for p in paths or ["."]:
        path = Path(p)
        if p != "-" and path.is_dir():
            targets.extend(str(f) for f in walk(path, configs))
        else:
            targets.append(p)

    all_diags: list[Diagnostic] = []
    failing = False
    tool_error = False
    files = 0
    for target in targets:
        folder = Path(target).parent if target != "-" else Path.cwd()
        cfg = configs.for_dir(folder if str(folder) else Path("."))
        if sel is not None or ign:
            cfg = dataclasses.replace(cfg, select=sel if sel is not None else cfg.select, ignore=(*cfg.ignore, *ign))
        if people_from_git:
            cfg = dataclasses.replace(cfg, people=(*cfg.people, *git_people(folder.resolve())))
        try:
            source = read_source(target)
            if target == "-" and stdin_filename:
                from postmortem.source import SourceFile

                source = SourceFile(stdin_filename, source.text)
            diags = lint_source(source, cfg)
        except PostmortemError as exc:
            if len(targets) == 1:
                fail(exc.diagnostic)
            print_diagnostics([exc.diagnostic], sys.stderr)
            tool_error = True
            continue
        files += 1
        if (fix or diff) and target != "-":
            from postmortem.lint.fix import fix_text

            doc = None
            if not is_markdown(source.name):
                from postmortem.yamlio import parse

                doc = parse(source)
            else:
                from postmortem.lint.markdown import parse_markdown

                doc = parse_markdown(source).front_matter
            new_text, n = fix_text(source.text, diags, doc)
            if n and diff:
                import difflib

                sys.stdout.write(
                    "".join(
                        difflib.unified_diff(
                            source.text.splitlines(keepends=True),
                            new_text.splitlines(keepends=True),
                            f"a/{target}",
                            f"b/{target}",
                        )
                    )
                )
            elif n:
                write_atomic(target, new_text.encode("utf-8"))
                sys.stderr.write(f"{target}: fixed {n} name{'s' if n != 1 else ''}\n")
                from postmortem.source import SourceFile

                diags = lint_source(SourceFile(source.name, new_text), cfg)
        limit = threshold or cfg.fail_on
        if any(d.severity >= limit for d in diags):
            failing = True
        all_diags.extend(diags)

    if diff:
        raise typer.Exit(int(ExitCode.TOOL_ERROR if tool_error else ExitCode.OK))
    report = Report(all_diags, files=files, redact=do_redact, color=use_color(sys.stdout) and output is None)
    if statistics and fmt in ("text", "concise"):
        text = stats_text(all_diags)
    else:
        text = get_formatter(fmt)(report)
        if statistics:
            sys.stderr.write(stats_text(all_diags))
    if output:
        write_atomic(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    if tool_error:
        raise typer.Exit(int(ExitCode.TOOL_ERROR))
    raise typer.Exit(int(ExitCode.PROBLEMS if failing else ExitCode.OK))


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_cmd)


__all__ = ["find_config", "glob_regex", "lint_cmd", "register"]
