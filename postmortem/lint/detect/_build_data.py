"""Rebuild the shipped name and word lists in ``postmortem/data`` (a maintainer tool, not used at run time).

Flags: ``g`` given name, ``c`` a given name from a curated source (the Census list or a non-English Faker
locale; Faker's ``en`` list of 7,000 US baby names includes rare ones such as "Council"), ``f`` family name,
``w`` ordinary English word, ``k`` a common one (seen at least 20 times in the Python standard library's
sources and text files, a stand-in for word frequency: "server", "will" and "max" are, "tom" and "ana" are
not).

Sources (see ``postmortem/data/README.md`` for the licences):

* ``--census DIR``: the ``names`` package's ``dist.male.first``, ``dist.female.first`` and ``dist.all.last``
  (US Census 1990 name frequency lists, public domain; packaged under MIT);
* ``--faker DIR``: an unpacked Faker wheel (MIT): the person providers' given and family names of every
  locale, Latin script only;
* ``--web2 FILE``: the ``web2.pickle`` of the ``english-words`` package (MIT), i.e. Webster's Second
  International word list (public domain).  Only its lower-case entries are used, to know which
  capitalised words are ordinary English words.

Usage: ``python -m postmortem.lint.detect._build_data --census D --faker D --web2 F``
"""

from __future__ import annotations

import argparse
import importlib
import pickle
import pkgutil
import re
import sys
import sysconfig
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "data"
CENSUS_SURNAMES = 50_000
"""Census surnames kept, by frequency rank (the rest are rarer than about 1 in 500,000)."""


def _latin(word: str) -> bool:
    return all(ch in "'-" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in word) and any(
        ch.isalpha() for ch in word
    )


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from _flatten(list(value))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _flatten(item)


def _census(directory: Path) -> tuple[set[str], set[str]]:
    given: set[str] = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in (directory / name).read_text().splitlines():
            given.add(line.split()[0].lower())
    family: set[str] = set()
    for rank, line in enumerate((directory / "dist.all.last").read_text().splitlines()):
        if rank >= CENSUS_SURNAMES:
            break
        family.add(line.split()[0].lower())
    return given, family


def _faker(directory: Path) -> tuple[set[str], set[str], set[str]]:
    sys.path.insert(0, str(directory))
    persons = importlib.import_module("faker.providers.person")
    given: set[str] = set()
    family: set[str] = set()
    core: set[str] = set()
    for info in pkgutil.iter_modules(persons.__path__):
        provider = importlib.import_module(f"faker.providers.person.{info.name}").Provider
        for attr in dir(provider):
            low = attr.lower()
            if low.startswith("_") or any(k in low for k in ("prefix", "suffix", "format")):
                continue
            value = getattr(provider, attr)
            if not isinstance(value, (dict, list, tuple, set, frozenset)):
                continue
            target = (
                given
                if any(k in low for k in ("first", "given", "middle"))
                else family
                if any(k in low for k in ("last", "surname", "family"))
                else None
            )
            if target is None:
                continue
            for item in _flatten(value):
                for part in item.split():
                    if len(part) > 1 and _latin(part):
                        target.add(part.lower())
                        if target is given and info.name != "en":
                            core.add(part.lower())
    return given, family, core


COMMON_MIN_COUNT = 20
"""A word seen this often in the reference English text is common (``server``, ``will``, ``max``)."""


def _word_counts(root: Path) -> dict[str, int]:
    """Lower-case word counts over the ``.py`` and ``.txt`` files under ``root`` (the Python standard library)."""
    counts: dict[str, int] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", ".txt") or "site-packages" in path.parts or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="ignore")
        except OSError:
            continue
        for word in re.findall(r"\b[a-z]+\b", text):
            counts[word] = counts.get(word, 0) + 1
    return counts


def _add_folded(words: Iterable[str]) -> set[str]:
    out = set(words)
    out |= {_fold(w) for w in out}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--census", type=Path, required=True)
    parser.add_argument("--faker", type=Path, required=True)
    parser.add_argument("--web2", type=Path, required=True)
    parser.add_argument(
        "--common-words-from",
        type=Path,
        default=Path(sysconfig.get_paths()["stdlib"]),
        help="English text whose frequent words are 'common' (default: the Python standard library)",
    )
    args = parser.parse_args(argv)
    g1, f1 = _census(args.census)
    g2, f2, core2 = _faker(args.faker)
    given = _add_folded(g1 | g2)
    core = _add_folded(g1 | core2)
    family = _add_folded(f1 | f2)
    with args.web2.open("rb") as fh:
        web2: set[str] = pickle.load(fh)
    english = {w for w in web2 if w.isalpha() and w.islower() and len(w) > 1}
    counts = _word_counts(args.common_words_from)
    common = {w for w in english if counts.get(w, 0) >= COMMON_MIN_COUNT}
    lines = []
    for word in sorted(given | family | english):
        sources = (("g", given), ("c", core), ("f", family), ("w", english), ("k", common))
        flags = "".join(flag for flag, members in sources if word in members)
        lines.append(f"{word}\t{flags}")
    (DATA / "lexicon.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"lexicon: {len(lines)} words ({len(given)} given names, {len(family)} family names, {len(english)} English)")


if __name__ == "__main__":
    main()
