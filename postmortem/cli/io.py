"""File reading, printing and colour for the commands.  The library never does any of this."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn, TextIO

import typer

from postmortem.diagnostics import Diagnostic, ExitCode, PostmortemError, Severity
from postmortem.source import SourceFile, is_markdown
from postmortem.yamlio import DEFAULT_LIMITS, Limits, ParsedDocument, decode


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if os.environ.get("FORCE_COLOR", "") != "":
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_STYLES = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def format_line(diag: Diagnostic, color: bool) -> str:
    """``file:line:col: severity: message`` with optional colour."""
    pos = diag.start
    where = paint(f"{diag.source.name}:{pos.line}:{pos.column}:", _BOLD, color)
    sev = paint(f"{diag.severity.label}:", _STYLES[diag.severity], color)
    return f"{where} {sev} {diag.message}"


def print_diagnostics(diags: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    color = use_color(stream)
    for d in diags:
        stream.write(format_line(d, color) + "\n")


def fail(diag: Diagnostic) -> NoReturn:
    """Print a tool error on stderr, one line, and exit 2."""
    sys.stderr.write(format_line(diag, use_color(sys.stderr)) + "\n")
    raise typer.Exit(int(ExitCode.TOOL_ERROR))


def fail_message(message: str) -> NoReturn:
    sys.stderr.write(f"postmortem: error: {message}\n")
    raise typer.Exit(int(ExitCode.TOOL_ERROR))


def input_folder(path: str) -> Path:
    """The folder an input belongs to (its config, its figures, its outputs by default); stdin's is the current one."""
    return Path(path).parent if path != "-" else Path.cwd()


def read_source(path: str, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Read a named file (or ``-`` for stdin) into a :class:`SourceFile`.

    Every failure is a :class:`PostmortemError` at ``path:1:1`` with a reason.
    """
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(limits.max_bytes + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise _oserror(name, "is a directory; name a file")
            if not p.exists():
                raise _oserror(name, "no such file")
            if not p.is_file():
                raise _oserror(name, "is not a regular file")
            with p.open("rb") as fh:
                raw = fh.read(limits.max_bytes + 1)
                if len(raw) > limits.max_bytes:
                    # report the real size, not the bytes read before stopping
                    size = os.fstat(fh.fileno()).st_size
                    raise PostmortemError.at(
                        SourceFile(name, ""),
                        0,
                        f"file is {max(size, len(raw))} bytes, over the {limits.max_bytes} byte limit"
                        " (raise it with --max-bytes)",
                        "PM003",
                    )
    except PermissionError:
        raise _oserror(name, "permission denied") from None
    except OSError as exc:
        raise _oserror(name, exc.strerror or str(exc)) from None
    return decode(name, raw, limits)


def parse_named(path: str, limits: Limits, *, only: bool) -> ParsedDocument | None:
    """Read and parse one file the user named.

    A file that cannot be read or parsed is one positioned line on stderr: when it is the
    ``only`` file the command exits 2 at once, otherwise ``None`` tells the caller to go on
    with the next file (and to exit 2 at the end).
    """
    from postmortem.yamlio import parse

    try:
        refuse_markdown(path)
        return parse(read_source(path, limits), limits=limits)
    except PostmortemError as exc:
        if only:
            fail(exc.diagnostic)
        print_diagnostics([exc.diagnostic], sys.stderr)
        return None


INCIDENT_SUFFIXES = (".yml", ".yaml", ".json")


def refuse_markdown(path: str) -> None:
    """A :class:`PostmortemError` for a Markdown file named where an incident file belongs."""
    if is_markdown(path):
        raise PostmortemError.at(
            SourceFile(path, ""),
            0,
            "a Markdown draft is not an incident file; `postmortem lint` checks drafts, and"
            " validate and render take .yml, .yaml or .json",
            "PM001",
            "input",
        )


def unique_inputs(paths: Iterable[str]) -> list[str]:
    """``paths`` without a second naming of the same file (``a.yml ./a.yml``), in order; stdin stays."""
    seen: set[Path] = set()
    out: list[str] = []
    for path in paths:
        if path != "-":
            key = Path(path).resolve()
            if key in seen:
                continue
            seen.add(key)
        out.append(path)
    return out


def expand_paths(
    paths: Iterable[str], suffixes: tuple[str, ...] = INCIDENT_SUFFIXES, *, walked: set[str] | None = None
) -> list[str]:
    """Files named directly are kept as they are; a directory yields its files with
    one of ``suffixes``, recursively and sorted, skipping hidden folders.

    A symlink that leads nowhere is kept, for its reader to report.  ``walked``, if given,
    receives the files that came from a directory rather than from the command line.
    """
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            found = sorted(
                str(f)
                for f in p.rglob("*")
                if f.suffix.lower() in suffixes
                and (f.is_file() or (f.is_symlink() and not f.exists()))
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise _oserror(path, f"is a directory with no {', '.join(suffixes)} files")
            out.extend(found)
            if walked is not None:
                walked.update(found)
        else:
            out.append(path)
    return unique_inputs(out)


INCIDENT_KEYS = frozenset(
    {"schema_version", "summary", "impact", "detection", "timeline", "responders", "action_items", "trigger"}
)
"""Keys of which an incident has at least one: a YAML or JSON file found in a folder without any
(a CI config, a JSON Schema, a list) is not an incident, and ``lint`` and ``validate`` pass it over."""


def parse_found(source: SourceFile, limits: Limits) -> ParsedDocument | None:
    """Parse a YAML or JSON file found by walking a folder: None when it is not an incident.

    Not an incident: empty, a list or a scalar, or a mapping with none of :data:`INCIDENT_KEYS`
    (a CI config, a JSON Schema).  A syntax error still raises: the file may be a broken incident.
    """
    from postmortem.yamlio import parse

    try:
        doc = parse(source, limits=limits)
    except PostmortemError as exc:
        if exc.diagnostic.code == "PM004":  # empty, a list or a scalar
            return None
        raise
    return doc if isinstance(doc.data, dict) and INCIDENT_KEYS & set(doc.data) else None


def _oserror(name: str, reason: str) -> PostmortemError:
    return PostmortemError.at(SourceFile(name, ""), 0, f"cannot read file: {reason}", "PM001", "input")


def write_atomic(path: str | Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A failure or a kill part-way never leaves a truncated file in place of the
    last good one.  ``exclusive`` refuses to replace an existing file.  The file
    gets mode 0o644, as a new output should; :func:`rewrite_in_place` keeps an
    existing file's mode instead.
    """
    target = Path(path)
    if exclusive and target.exists():
        fail_message(f"{target}: already exists; choose another path or delete it first")
    _replace(target, data, 0o644)


_BOM = b"\xef\xbb\xbf"


def rewrite_in_place(path: str | Path, text: str) -> Path:
    """Replace the text of a file the user named (``lint --fix``), keeping the file as it was otherwise.

    ``text`` is the file's text as :func:`read_source` returned it, edited.  A symlink is followed:
    the file it points to (the resolved path) is rewritten and the link stays a link, provided
    that file is under the current folder (a checkout, in CI) or under the link's own folder; a
    link out of both is refused.  The file's
    permission bits are kept, and so is a leading UTF-8 BOM (the reader drops it from the text).
    Line ends are the text's own: the reader keeps CRLF, so a CRLF file stays CRLF.  The write is
    atomic, as :func:`write_atomic`'s, in the resolved file's folder; a hard link is not kept (the
    rename makes a new file).  Returns the path written.
    """
    import stat

    target = Path(os.path.realpath(path))
    homes = (Path.cwd().resolve(), Path(path).absolute().parent.resolve())
    if not any(target.is_relative_to(home) for home in homes):
        # a link planted in a pull request must not let `lint --fix` in CI rewrite a file elsewhere
        fail_message(
            f"{path}: links to {target}, outside the current folder and its own; fix that file by its own name"
        )
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        with target.open("rb") as fh:
            had_bom = fh.read(len(_BOM)) == _BOM
    except OSError as exc:
        fail_message(f"{path}: cannot rewrite: {exc.strerror or exc}")
    data = text.encode("utf-8")
    _replace(target, _BOM + data if had_bom else data, mode)
    return target


def _replace(target: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temporary file beside ``target``, flush, ``fsync``, set ``mode``, rename over it."""
    import tempfile

    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        fail_message(f"{target}: cannot write: {exc.strerror or exc}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
