"""Accuracy of the people and blame detectors on a labelled sentence corpus.

Usage::

    python bench/eval_linter.py CORPUS.jsonl [--predictions OUT.jsonl] [--ablation] [--errors]

The corpus format and the scoring convention are those of ``shared/corpus/README.md``: the sentences of
each ``source`` document are linted together as the narrative of one post-mortem with no roster
(:func:`postmortem.lint.detect.detect_people` on the group's texts, ``chat_lines`` set for sentences that
look like timeline or chat lines), and :func:`postmortem.lint.detect.detect_language` on each sentence.
A predicted span is a hit if it overlaps a gold span of the same category; sentence-level scores ask
whether a sentence has at least one span of that category.

``--ablation`` drops ``postmortem/data/vocab_after_dev.txt``: the terms added after looking at dev
sentences.  ``--errors`` prints the misses and false alarms (for finding general failure classes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from postmortem.lint.detect import detect_language, detect_people, looks_like_timeline
from postmortem.lint.detect import language as _language
from postmortem.lint.detect import people as _people

Span = tuple[int, int]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 1.0
    r = tp_g / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Score:
    def __init__(self) -> None:
        self.span = [0, 0, 0, 0]  # correct predictions, predictions, recalled gold, gold
        self.sent = [0, 0, 0, 0]  # tp, predicted-positive, tp, gold-positive

    def add(self, pred: list[Span], gold: list[Span]) -> None:
        self.span[0] += sum(any(_overlaps(p, g) for g in gold) for p in pred)
        self.span[1] += len(pred)
        self.span[2] += sum(any(_overlaps(g, p) for p in pred) for g in gold)
        self.span[3] += len(gold)
        hit = bool(pred) and bool(gold)
        self.sent[0] += hit
        self.sent[1] += bool(pred)
        self.sent[2] += hit
        self.sent[3] += bool(gold)

    def rows(self) -> dict[str, tuple[float, float, float]]:
        return {"span": _prf(*self.span), "sentence": _prf(*self.sent)}


def evaluate(rows: list[dict[str, Any]], *, errors: bool = False) -> tuple[dict[str, Score], list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["source"]].append(row)
    scores = {"persons": Score(), "blame": Score()}
    predictions: list[dict[str, Any]] = []
    for group in groups.values():
        texts = [r["text"] for r in group]
        people = detect_people(texts, chat_lines=[looks_like_timeline(t) for t in texts])
        for row, found in zip(group, people, strict=True):
            persons = [(m.start, m.end) for m in found]
            blame = [(m.start, m.end) for m in detect_language(row["text"])]
            gold_p = [(s["start"], s["end"]) for s in row["persons"]]
            gold_b = [(s["start"], s["end"]) for s in row["blame"]]
            scores["persons"].add(persons, gold_p)
            scores["blame"].add(blame, gold_b)
            predictions.append(
                {
                    "id": row["id"],
                    "persons": [{"start": s, "end": e} for s, e in persons],
                    "blame": [{"start": s, "end": e} for s, e in blame],
                }
            )
            if errors:
                _print_errors(row, "persons", persons, gold_p)
                _print_errors(row, "blame", blame, gold_b)
    return scores, predictions


def _print_errors(row: dict[str, Any], cat: str, pred: list[Span], gold: list[Span]) -> None:
    text = row["text"]
    fp = [text[s:e] for s, e in pred if not any(_overlaps((s, e), g) for g in gold)]
    fn = [text[s:e] for s, e in gold if not any(_overlaps((s, e), p) for p in pred)]
    if fp or fn:
        print(f"[{cat}] {row['id']} FP={fp} FN={fn}\n    {text[:300]}", file=sys.stderr)


# Named in the issue and in the corpus README as examples of what must not be flagged.
_ISSUE_EXAMPLES = frozenset(
    [
        "jenkins",
        "travis",
        "ruby",
        "helm",
        "cassandra",
        "hugo",
        "sentry",
        "mariadb",
        "grafana",
        "kafka",
        "heroku",
        "redis",
        "cloudflare",
        "github",
        "aws",
    ]
)
# Calendar words are kept too: no one would ship a vocabulary without them.
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def _terms_in_corpus(rows: list[dict[str, Any]]) -> frozenset[str]:
    """Vocabulary terms (single words) that occur in the corpus text, for the strict ablation."""
    from postmortem.lint.detect import _lexicon

    single, _ = _lexicon.vocabulary(("vocab.txt",))
    words: set[str] = set()
    for row in rows:
        words.update(w.lower().rstrip("'’s") for w in row["text"].split())
        words.update(w.strip(".,;:()\"“”’'").lower() for w in row["text"].split())
    return frozenset((single & words) - _ISSUE_EXAMPLES - _CALENDAR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--predictions", type=Path)
    parser.add_argument("--ablation", action="store_true", help="drop the vocabulary added after seeing dev")
    parser.add_argument(
        "--strict-ablation",
        action="store_true",
        help="also drop every vocabulary term that occurs in the corpus, except the examples named in the issue",
    )
    parser.add_argument("--errors", action="store_true", help="print misses and false alarms to stderr")
    args = parser.parse_args(argv)
    if args.ablation:
        _people.VOCAB_FILES = ("vocab.txt",)
        _language.AFTER_DEV = False
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.strict_ablation:
        _people.VOCAB_FILES = ("vocab.txt",)
        _language.AFTER_DEV = False
        _people.VOCAB_EXCLUDE = _terms_in_corpus(rows)
    t0 = time.perf_counter()
    scores, predictions = evaluate(rows, errors=args.errors)
    elapsed = time.perf_counter() - t0
    label = " (ablation: without vocab_after_dev.txt and blame_after_dev.txt)" if args.ablation else ""
    if args.strict_ablation:
        dropped = len(_people.VOCAB_EXCLUDE)
        label = f" (strict ablation: without the *_after_dev files and {dropped} vocabulary terms seen in it)"
    print(f"corpus: {args.corpus} - {len(rows)} sentences{label}, {elapsed:.2f} s")
    print(f"{'category':<9} {'level':<9} {'precision':>9} {'recall':>7} {'F1':>6}   counts")
    for cat, score in scores.items():
        for level, (p, r, f) in score.rows().items():
            counts = score.span if level == "span" else score.sent
            tally = f"{counts[0]}/{counts[1]} pred, {counts[2]}/{counts[3]} gold"
            print(f"{cat:<9} {level:<9} {p:>9.3f} {r:>7.3f} {f:>6.3f}   {tally}")
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as fh:
            for pred in predictions:
                fh.write(json.dumps(pred, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
