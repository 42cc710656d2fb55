"""The shipped word lists, loaded lazily once per process.

``lexicon.tsv`` is a sorted ``word<TAB>flags`` file (``g`` given name, ``c`` given name from a curated
source, ``f`` family name, ``w`` ordinary English word).  It is searched by bisection over its bytes:
building a set of 300,000 strings would cost ~100 ms at first use; a lookup here costs microseconds and
loading costs one file read.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache

GIVEN = 1
FAMILY = 2
WORD = 4
CORE = 8
COMMON = 16
_FLAG_BITS = {"g": GIVEN, "f": FAMILY, "w": WORD, "c": CORE, "k": COMMON}


DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
"""``postmortem/data``; a plain path (not importlib.resources) keeps the import cheap."""


def read_data(name: str) -> str:
    return read_bytes(name).decode("utf-8")


def read_bytes(name: str) -> bytes:
    with open(os.path.join(DATA_DIR, name), "rb") as fh:
        return fh.read()


class Lexicon:
    """Sorted ``word<TAB>flags`` lines, looked up by bisection over character offsets.

    Webster's list contains many given names as rare common nouns ("tom", "ana", "hong"); for given
    names the ``w`` flag is kept only for common words (flag ``k``, or listed in ``name_words.txt``).
    """

    def __init__(self, data: bytes, name_words: frozenset[str] = frozenset()) -> None:
        # Kept as UTF-8 bytes: byte order is code point order, and nothing needs decoding up front.
        self._data = data
        self._name_words = frozenset(w for w in name_words if not w.startswith("!"))
        self._not_words = frozenset(w[1:] for w in name_words if w.startswith("!"))
        self._memo: dict[str, int] = {}

    def flags(self, word: str) -> int:
        """Bit set of GIVEN/CORE/FAMILY/WORD for a lower-case word (0 if absent)."""
        memo = self._memo.get(word)
        if memo is not None:
            return memo
        result = self._lookup(word)
        if not result and not word.isascii():
            folded = fold(word)
            if folded != word:
                result = self._lookup(folded)
        if word in self._name_words:
            result |= WORD
        elif word in self._not_words or (result & CORE and result & WORD and not result & COMMON):
            result &= ~WORD
        if not result & WORD and len(word) > 3 and word.isalpha():
            # web2 lists lemmas only: "beasts", "uploaded", "labels" are English words too
            for lemma in _lemmas(word):
                if self._lookup(lemma) & WORD:
                    result |= WORD
                    break
        if len(self._memo) < 100_000:
            self._memo[word] = result
        return result

    def _lookup(self, word: str) -> int:
        data = self._data
        key = word.encode("utf-8")
        if b"\n" in key or b"\t" in key:
            return 0
        lo, hi = 0, len(data)
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            if end < 0:
                end = len(data)
            tab = data.find(b"\t", start, end)
            entry = data[start:tab]
            if key < entry:
                hi = start
            elif key > entry:
                lo = end + 1
            else:
                bits = 0
                for ch in data[tab + 1 : end].decode("ascii"):
                    bits |= _FLAG_BITS.get(ch, 0)
                return bits
        return 0


def _lemmas(word: str) -> list[str]:
    out: list[str] = []
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if word.endswith("ed"):
        out += [word[:-2], word[:-1]]
        if len(word) > 4 and word[-3] == word[-4]:
            out.append(word[:-3])
        if word.endswith("ied"):
            out.append(word[:-3] + "y")
    if word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
        if len(word) > 5 and word[-4] == word[-5]:
            out.append(word[:-4])
    if word.endswith("ly"):
        out.append(word[:-2])
    return [w for w in out if len(w) > 2]


def fold(word: str) -> str:
    """Strip diacritics (``nguyễn`` -> ``nguyen``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@cache
def lexicon() -> Lexicon:
    words = frozenset(w for line in _terms("name_words.txt") for w in line.split())
    return Lexicon(read_bytes("lexicon.tsv"), words)


def _terms(name: str) -> list[str]:
    out = []
    for line in read_data(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


VOCAB_FILES = ("vocab.txt", "vocab_after_dev.txt")


@cache
def vocabulary(files: tuple[str, ...] = VOCAB_FILES) -> tuple[frozenset[str], frozenset[str]]:
    """(single lower-case words, multi-word lower-case phrases) never taken for people."""
    single: set[str] = set()
    multi: set[str] = set()
    for name in files:
        for term in _terms(name):
            low = term.lower()
            (multi if " " in low else single).add(low)
    return frozenset(single), frozenset(multi)
