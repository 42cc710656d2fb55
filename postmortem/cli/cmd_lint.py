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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from postmortem.cli.limits import MAX_BYTES, MAX_DEPTH, MAX_NODES, MaxBytes, MaxDepth, MaxNodes
from postmortem.diagnostics import Diagnostic, ExitCode, PostmortemError, Severity
from postmortem.yamlio import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.config import LintConfig
    from postmortem.lint.detect import KnownPerson


class _Exit(SystemExit):
    """Stop with an exit code (the message is already on stderr).

    :func:`run_lint` turns it into its return value; raised from helpers used by other commands
    (``_Configs``), it ends the process with that code like any ``SystemExit``.
    """

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.exit_code = code


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"postmortem: error: {message}\n")
    raise _Exit(int(ExitCode.TOOL_ERROR))


def _print_errors(diags: Sequence[Diagnostic]) -> None:
    """Tool errors on stderr, one line each.  No colour: this path must not import typer."""
    for d in diags:
        sys.stderr.write(d.format() + "\n")


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
        from postmortem.cli.io import read_source
        from postmortem.lint.configfile import ConfigError, parse_config

        name = os.path.relpath(path) if path.is_absolute() else str(path)
        try:
            text = read_source(name).text  # a regular file, bounded, UTF-8: else one positioned line
        except PostmortemError as exc:
            _print_errors([exc.diagnostic])
            raise _Exit(int(ExitCode.TOOL_ERROR)) from None
        root = path.parent
        try:
            cfg = parse_config(text, name, root=str(root), read_file=lambda rel: read_roster(root, rel))
        except ConfigError as exc:
            _print_errors(exc.diagnostics)
            raise _Exit(int(ExitCode.TOOL_ERROR)) from None
        if cfg is None and self.explicit:
            from postmortem.lint.config import LintConfig

            cfg = LintConfig(path=name, root=str(root))
        if cfg is not None:
            self.by_file[path] = cfg
        return cfg


ROSTER_MAX_BYTES = 1024 * 1024


def read_roster(root: Path, relative: str) -> str:
    """A roster file named by a config: a regular UTF-8 file inside the config's folder, of at most 1 MiB.

    The config may come from a pull request, so the roster may not reach outside the repository
    (``../``, absolute paths, symlinks out), and a FIFO or ``/dev/zero`` is refused, not read.
    Every refusal is an ``OSError`` that the config parser reports at the ``roster-file`` key.
    """
    from postmortem.render.fetcher import RefusedResource, read_inside

    try:
        data = read_inside(root, relative, ROSTER_MAX_BYTES)
    except RefusedResource as exc:
        raise OSError(0, str(exc)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise OSError(0, "not UTF-8 text") from None


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
        for name in sorted(filenames):
            p = base / name
            if selected(p, configs, folder):
                yield p


def selected(p: Path, configs: _Configs, start: Path) -> bool:
    """Whether the config of ``p``'s folder includes it and does not exclude it.

    Globs are matched against the path relative to the config's folder (else to ``start``, the
    folder walked or the current one).
    """
    cfg = configs.for_dir(p.parent if str(p.parent) else Path("."))
    root = Path(cfg.root) if cfg.root else start
    try:
        rel = p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = os.path.relpath(p, start).replace(os.sep, "/")
    return _matches(rel, cfg.include) and not _matches(rel, cfg.exclude)


# --- people from git ---------------------------------------------------------------


_git_cache: dict[str, tuple[KnownPerson, ...]] = {}


def git_people(folder: Path) -> tuple[KnownPerson, ...]:
    """Commit authors (name and email) of the repository holding ``folder``."""
    import subprocess

    from postmortem.lint.detect import KnownPerson

    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        _fail(f"--people-from-git: {folder} is not in a git repository (or git is missing)")
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
        _fail(f"--people-from-git: git log failed: {exc}")
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


# --- reading -----------------------------------------------------------------------------


# --- the command -----------------------------------------------------------------------


@dataclass(frozen=True)
class LintArgs:
    paths: tuple[str, ...] = ()
    output_format: str | None = None
    fix: bool = False
    diff: bool = False
    redact: bool | None = None
    fail_on: str | None = None
    statistics: bool = False
    people_from_git: bool = False
    config: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    output: str | None = None
    stdin_filename: str | None = None
    max_bytes: int = DEFAULT_LIMITS.max_bytes
    max_nodes: int = DEFAULT_LIMITS.max_nodes
    max_depth: int = DEFAULT_LIMITS.max_depth
    force_exclude: bool = False


def _split(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def run_lint(args: LintArgs) -> int:
    """The whole ``lint`` command; returns the exit code."""
    try:
        return _run(args)
    except _Exit as exc:
        return exc.exit_code


def _run(args: LintArgs) -> int:
    from postmortem.cli.io import input_folder, parse_found, read_source
    from postmortem.lint.engine import lint_document, lint_markdown
    from postmortem.lint.formats import FORMATS, REDACT_BY_DEFAULT, Report, get_formatter
    from postmortem.lint.formats import statistics as stats_text
    from postmortem.source import is_markdown
    from postmortem.yamlio import parse

    fmt = args.output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        _fail(f"--format: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    threshold: Severity | None = None
    if args.fail_on is not None:
        try:
            threshold = Severity.parse(args.fail_on)
        except KeyError:
            _fail(f"--fail-on: expected error, warning or info, not {args.fail_on!r}")
    if (args.fix or args.diff) and "-" in args.paths:
        _fail(f"--{'fix' if args.fix else 'diff'} rewrites files; stdin (-) has none to rewrite")
    sel, ign = args.select, args.ignore
    if sel == ():
        # `--select "$UNSET"` in CI must not switch the linter off quietly
        _fail("--select: no rule named; give rule names, codes or prefixes (see `postmortem rules`)")
    if sel is not None or ign:
        from postmortem.lint.rules import known_selector

        for s in (*(sel or ()), *ign):
            if not known_selector(s):
                _fail(f"unknown rule or prefix {s!r}; see `postmortem rules`")
    do_redact = args.redact if args.redact is not None else fmt in REDACT_BY_DEFAULT
    if args.config is not None and not Path(args.config).is_file():
        what = "is a folder; name the config file in it" if Path(args.config).is_dir() else "no such file"
        _fail(f"--config: {args.config}: {what}")
    configs = _Configs(args.config)

    targets: list[str] = []
    walked: set[str] = set()
    for p in args.paths or (".",):
        path = Path(p)
        if p != "-" and path.is_dir():
            found = [str(f) for f in walk(path, configs)]
            if not found:
                # a config from a pull request must not be able to switch the linter off quietly
                cfg = configs.for_dir(path)
                where = f" with the include and exclude globs of {cfg.path}" if cfg.path else ""
                _fail(f"{p}: no file to lint{where}")
            targets.extend(found)
            walked.update(found)
        elif args.force_exclude and p != "-":
            # as if found by walking: the config's globs apply, and a YAML or JSON file that is
            # not an incident is skipped quietly (pre-commit passes every changed file)
            if selected(path, configs, Path(".")):
                targets.append(p)
                walked.add(p)
        else:
            targets.append(p)

    limits = Limits(max_bytes=args.max_bytes, max_nodes=args.max_nodes, max_depth=args.max_depth)
    all_diags: list[Diagnostic] = []
    failing = False
    tool_error = False
    pending = False  # --diff printed a fix
    errors: list[Diagnostic] = []
    files = 0
    for target in targets:
        folder = input_folder(target)
        cfg = configs.for_dir(folder if str(folder) else Path("."))
        if sel is not None or ign:
            cfg = dataclasses.replace(cfg, select=sel if sel is not None else cfg.select, ignore=(*cfg.ignore, *ign))
        if args.people_from_git:
            cfg = dataclasses.replace(cfg, people=(*cfg.people, *git_people(folder.resolve())))
        try:
            source = read_source(target, limits)
            if target == "-" and args.stdin_filename:
                from postmortem.source import SourceFile

                source = SourceFile(args.stdin_filename, source.text)
            if is_markdown(source.name):
                doc = None
            elif target in walked:
                # found by walking a folder: a file that is not an incident is skipped quietly (CI
                # configs, lists, empty files); named on the command line, a file is always linted
                doc = parse_found(source, limits)
                if doc is None:
                    continue
            else:
                doc = parse(source, limits=limits)
            diags = lint_markdown(source, cfg) if doc is None else lint_document(doc, cfg)
        except PostmortemError as exc:
            _print_errors([exc.diagnostic])
            tool_error = True
            errors.append(exc.diagnostic)
            continue
        files += 1
        if (args.fix or args.diff) and target != "-":
            from postmortem.lint.fix import fix_text

            if doc is None:
                from postmortem.lint.markdown import parse_markdown

                doc = parse_markdown(source).front_matter
            new_text, n = fix_text(source.text, diags, doc)
            if n and args.diff:
                import difflib

                pending = True
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
                from postmortem.cli.io import rewrite_in_place
                from postmortem.source import SourceFile

                fixed = SourceFile(source.name, new_text)
                try:
                    # linted (with the run's limits) before it is written: a text that does not parse is not written
                    if is_markdown(source.name):
                        fixed_diags = lint_markdown(fixed, cfg)
                    else:
                        fixed_diags = lint_document(parse(fixed, limits=limits), cfg)
                except PostmortemError as exc:  # fix_text keeps a document parsing; this is a last guard
                    sys.stderr.write(
                        f"postmortem: error: {target}: --fix left the file unchanged, as the fixed text"
                        f" would not parse: {exc.diagnostic.message}\n"
                    )
                    tool_error = True
                else:
                    rewrite_in_place(target, new_text)
                    sys.stderr.write(f"{target}: fixed {n} name{'s' if n != 1 else ''}\n")
                    diags = fixed_diags
        limit = threshold or cfg.fail_on
        if any(d.severity >= limit for d in diags):
            failing = True
        all_diags.extend(diags)

    if args.diff:
        # as ruff's and black's: a pending fix fails the step, so CI can ask for it to be applied
        return int(ExitCode.TOOL_ERROR if tool_error else ExitCode.PROBLEMS if pending else ExitCode.OK)
    if tool_error and not files and fmt in ("text", "concise") and not args.statistics:
        # every input failed, each said so on stderr: "No problems in 0 files." would read as a pass
        return int(ExitCode.TOOL_ERROR)
    color = args.output is None and _use_color()
    report = Report(all_diags, files=files, redact=do_redact, color=color, errors=errors)
    if args.statistics and fmt in ("text", "concise"):
        text = stats_text(all_diags)
    else:
        text = get_formatter(fmt)(report)
        if args.statistics:
            sys.stderr.write(stats_text(all_diags))
    if args.output:
        from postmortem.cli.io import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    if tool_error:
        return int(ExitCode.TOOL_ERROR)
    return int(ExitCode.PROBLEMS if failing else ExitCode.OK)


def _use_color() -> bool:
    """The rule of :func:`postmortem.cli.io.use_color` (NO_COLOR, FORCE_COLOR, a terminal)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("FORCE_COLOR", "") != "":
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


_HELP = {
    "paths": "Incident files (.yml, .yaml, .json), Markdown drafts (.md) or folders; - reads stdin.",
    "format": "text, concise, json, github, sarif or gitlab (github when GITHUB_ACTIONS=true, else text).",
    "fix": "Rewrite flagged names as roles or placeholders, in place.",
    "diff": "Show the --fix changes as a unified diff; write nothing; exit 1 if there is a change.",
    "redact": "Mask names in all output (default: on for github, sarif, gitlab).",
    "fail_on": "Exit 1 on findings at or above: error, warning or info (default: error, or the config's).",
    "statistics": "Print the number of findings per rule.",
    "people_from_git": "Treat the repository's commit authors as known people.",
    "force_exclude": "Apply the config's include/exclude globs, and skip YAML/JSON that is not an incident, "
    "to files named on the command line too (as pre-commit passes them).",
    "config": "Use this config file instead of discovering one.",
    "select": "Run only these rules (names, codes or prefixes; repeat or separate with commas).",
    "ignore": "Do not run these rules.",
    "output": "Write the report to this file instead of stdout.",
    "stdin_filename": "Name (and so format) of the text read from -.",
}


def register(app: typer.Typer) -> None:
    def lint_cmd(
        paths: Annotated[list[str] | None, typer.Argument(help=_HELP["paths"])] = None,
        output_format: Annotated[str | None, typer.Option("--format", "-f", help=_HELP["format"])] = None,
        fix: Annotated[bool, typer.Option("--fix", help=_HELP["fix"])] = False,
        diff: Annotated[bool, typer.Option("--diff", help=_HELP["diff"])] = False,
        redact: Annotated[bool | None, typer.Option("--redact/--no-redact", help=_HELP["redact"])] = None,
        fail_on: Annotated[str | None, typer.Option("--fail-on", help=_HELP["fail_on"])] = None,
        statistics: Annotated[bool, typer.Option("--statistics", help=_HELP["statistics"])] = False,
        people_from_git: Annotated[bool, typer.Option("--people-from-git", help=_HELP["people_from_git"])] = False,
        config: Annotated[str | None, typer.Option("--config", help=_HELP["config"])] = None,
        select: Annotated[list[str] | None, typer.Option("--select", help=_HELP["select"])] = None,
        ignore: Annotated[list[str] | None, typer.Option("--ignore", help=_HELP["ignore"])] = None,
        output: Annotated[str | None, typer.Option("--output", "-o", help=_HELP["output"])] = None,
        stdin_filename: Annotated[str | None, typer.Option("--stdin-filename", help=_HELP["stdin_filename"])] = None,
        max_bytes: MaxBytes = MAX_BYTES,
        max_nodes: MaxNodes = MAX_NODES,
        max_depth: MaxDepth = MAX_DEPTH,
        force_exclude: Annotated[bool, typer.Option("--force-exclude", help=_HELP["force_exclude"])] = False,
    ) -> None:
        """Lint post-mortems for named individuals, blame language and unfinished sections.

        Exit codes: 0 no finding at or above --fail-on (default error), 1 findings, 2 the tool could not run
        (unreadable file, syntax error, bad config or usage).
        """
        code = run_lint(
            LintArgs(
                tuple(paths or ()),
                output_format,
                fix,
                diff,
                redact,
                fail_on,
                statistics,
                people_from_git,
                config,
                _split(select),
                _split(ignore) or (),
                output,
                stdin_filename,
                max_bytes,
                max_nodes,
                max_depth,
                force_exclude,
            )
        )
        raise typer.Exit(code)

    app.command("lint")(lint_cmd)


__all__ = ["LintArgs", "find_config", "glob_regex", "read_roster", "register", "run_lint"]
