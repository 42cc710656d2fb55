"""Blame, punitive, counterfactual and hindsight language, and action items that are not controls.

Fixed phrases ("human error", "careless", "reprimand") are matched as data: term lists compiled into
one alternation each.  The modal and failure constructions ("should have", "failed to", "forgot to")
are judged in a bounded window around the trigger, so that the same words about machines or needs stay
quiet: "the health check failed to start", "the alert should have fired", "we should have alerting on
disk usage".  Every pattern is linear: triggers are literal alternations and context windows are bounded.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from postmortem.lint.detect._lazy import LazyRegex
from postmortem.lint.detect._lexicon import read_data
from postmortem.lint.detect._types import Match, join_texts


def _words(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of a literal (our word lists are data)."""
    return frozenset(text.split())


AFTER_DEV = True
"""Use ``postmortem/data/blame_after_dev.txt``; the accuracy benchmark turns this off for its ablation."""

HELP_HUMAN_ERROR = (
    "describe what the system allowed instead of who erred, e.g. 'the command accepted a production target "
    "without confirmation'"
)
HELP_BLAME = "describe the action and the conditions that made it reasonable at the time, without judging people"
HELP_PUNITIVE = "post-mortems are for learning; describe the changes to systems and processes instead of sanctions"
HELP_COUNTERFACTUAL = (
    "describe what happened and why it made sense at the time, e.g. 'the runbook did not cover this case', "
    "rather than what someone should have done"
)
HELP_HINDSIGHT = "drop the word: what is obvious in hindsight was not obvious at the time"
HELP_ACTION = (
    "make the action item a control: specific, testable and bounded, e.g. 'add a confirmation prompt when the "
    "target is production' instead of relying on people being more careful"
)

_WB = r"(?<![\w\-])"
_WE = r"(?![\w\-])"


def _alt(terms: str) -> str:
    return "|".join(t.strip() for t in terms.strip().splitlines() if t.strip() and not t.strip().startswith("#"))


_HUMAN_ERROR = LazyRegex(
    _WB
    + "(?:"
    + _alt(
        r"""
        human[\s\-]+errors?
        human[\s\-]+failures?
        operator[\s\-]+errors?
        user[\s\-]+errors?
        pilot[\s\-]+errors?
        engineer[\s\-]+errors?
        admin(?:istrator)?[\s\-]+errors?
        fat[\s\-]?finger(?:s|ed|ing)?
        (?:made|make|makes|making)\s+(?:a|an|such\s+a|one|another|a\s+(?:simple|silly|stupid|careless|big|huge|small|terrible|costly|critical|catastrophic))\s+(?:mistake|error|blunder)
        mis-?typed
        mis-?typing
        """
    )
    + ")"
    + _WE,
    re.IGNORECASE,
)

_BLAME_WORDS = LazyRegex(
    _WB
    + "(?:"
    + _alt(
        r"""
        careless(?:ly|ness)?
        negligen(?:t|tly|ce)
        sloppy
        sloppi(?:ly|ness)
        incompeten(?:t|ce|cy)
        reckless(?:ly|ness)?
        lazy
        laziness
        stupid(?:ity)?
        idiot(?:s|ic)?
        dumb
        clueless
        irresponsib(?:le|ly|ility)
        culprits?
        mistakenly
        wrongly
        wrongful(?:ly)?
        botch(?:ed|es|ing)?
        screwed\s+up
        overlook(?:ed|s|ing)?
        oversights?
        blame[ds]?
        finger[\s\-]+pointing
        point(?:ed|ing)?\s+fingers?
        (?:threw|throw|throws|throwing|thrown|tossed|toss)\s+(?:\w+\s+){0,3}?under\s+(?:a|the)\s+(?:\w+\s+)?bus
        cut(?:ting)?\s+corners
        poor\s+judge?ment
        dropped\s+the\s+ball
        (?:ignored|ignoring|disregarded|disregarding)\s+(?:the\s+|all\s+|several\s+|repeated\s+)?(?:warnings?|alerts?|alarms?|advice|procedures?|runbooks?|process|policy|policies)
        should\s+have\s+known(?:\s+better)?
        """
    )
    + ")"
    + _WE,
    re.IGNORECASE,
)

# "fault" only where it is about people: "our fault", "the fault lies with", "at fault", "fault of the admin",
# "the on-call engineer's fault"
_PEOPLE_NOUNS = (
    r"(?:engineer|operator|admin|administrator|developer|employee|team|staff|person|individual|technician|"
    r"contractor|user|on-?call|sre|lead|manager|intern|responder)"
)
# "fault" as the first half of a compound noun is not blame: "the engineer's fault report"
_NOT_A_FAULT_NOUN = (
    r"(?!\s+(?:reports?|tolerance|tolerant|injection|domains?|lines?|codes?|handl\w*|isolation|detection))"
)
_FAULT = LazyRegex(
    _WB
    + r"(?:(?:my|our|your|his|her|their|whose|anyone's|anybody's|someone's|nobody's|no\s+one's)\s+fault"
    + _NOT_A_FAULT_NOUN
    + r"|at\s+fault|(?:the\s+)?fault\s+(?:lies|lay|rests|rested|was\s+(?:with|entirely|his|hers|theirs|ours|mine))"
    + r"|(?:the\s+)?fault\s+of\s+(?:the\s+)?(?:\w+\s+)?"
    + _PEOPLE_NOUNS
    + r"s?|"
    + _PEOPLE_NOUNS
    + r"(?:s['\u2019]|['\u2019]s)\s+fault"
    + _NOT_A_FAULT_NOUN
    + r"|faulted)"
    + _WE,
    re.IGNORECASE,
)

_PUNITIVE = LazyRegex(
    _WB
    + "(?:"
    + _alt(
        r"""
        reprimand(?:s|ed|ing)?
        disciplinary\s+(?:action|measures?|hearing|procedures?)
        disciplin(?:ary|ed|ing)
        (?:be|been|being|was|were|is|are|will\s+be)\s+held\s+(?:personally\s+)?(?:accountable|responsible)
        held\s+(?:personally\s+)?(?:accountable|responsible)
        hold\s+(?:\w+\s+){0,2}accountable
        punish(?:ed|es|ing|ment)?
        sanction(?:ed|ing)?
        written\s+up
        (?:was|were|got|been|be|being)\s+(?:fired|sacked|demoted)
        performance\s+improvement\s+plan
        took\s+action\s+against
        """
    )
    + ")"
    + _WE,
    re.IGNORECASE,
)

# --- counterfactuals --------------------------------------------------------------------------------

_MODAL_HAVE = LazyRegex(
    _WB + r"(?:(?:should|could|would|must|might)(?:\s*n[o']t|\s+not)?(?:\s+\w+ly)?\s+(?:have|'ve|’ve|of)"
    r"|(?:should|could|would|must)(?:'ve|’ve)|(?:shouldn|couldn|wouldn)['’]t\s+have)" + _WE,
    re.IGNORECASE,
)
_FAIL_TO = LazyRegex(
    _WB + r"(?:(?P<fail_trigger>failed|fails|failing|failure|forgot|forgets|forgetting|forgotten|neglected|neglects"
    r"|neglecting|omitted|didn['’]t\s+bother|did\s+not\s+bother)\s+to)\s+(?P<fail_verb>\w+)" + _WE,
    re.IGNORECASE,
)
_IF_HAD = LazyRegex(
    _WB + r"(?:if\s+only|(?:in|with)\s+hindsight|(?:if\s+(?:we|i|you|he|she|they|someone|somebody|the\s+(?:\w+\s+)?"
    r"(?:team|engineer|operator|admin|developer|on-?call|responder|reviewer|staff))\s+had(?:\s+not|n['’]t)?"
    r"|had\s+(?:we|i|you|he|she|they|someone|somebody|the\s+(?:\w+\s+)?"
    r"(?:team|engineer|operator|admin|developer|on-?call|responder|reviewer|staff))(?:\s+not)?)"
    r"(?:\s+\w+ly)?\s+(?:been\s+)?\w+)" + _WE,
    re.IGNORECASE,
)
_IF_CLAUSE = LazyRegex(
    r"(?<!\w)(?:if\s+(?:\w+\s+){1,3}?had|^\W*had\s+(?:the\s+|a\s+|our\s+)?[\w\-]+\s+[\w\-]+)(?!\w)", re.IGNORECASE
)
_HINDSIGHT = LazyRegex(
    _WB + r"(?:obviously|clearly|simply|just|merely|easily|of\s+course|all\s+(?:he|she|they|we|you|it)\s+"
    r"(?:had|needed|would\s+have\s+had)\s+to\s+do\s+was|trivially)" + _WE,
    re.IGNORECASE,
)

_HUMAN_SUBJECTS = _words(
    """i we you he she they someone somebody anyone anybody nobody everyone people person individual human humans
    engineer engineers operator operators admin admins administrator administrators sysadmin sysadmins developer
    developers dev devs staff employee employees technician technicians team teams on-call oncall sre sres
    responder responders reviewer reviewers author authors owner owners maintainer maintainers manager managers
    lead leads ic commander contractor contractors guard guards user users member members colleague colleagues
    us one company management leadership"""
)
_MACHINE_SUBJECTS = _words(
    """it check checks probe probes job jobs server servers service services process processes pod pods node nodes
    script scripts tool tools system systems alert alerts alarm alarms monitor monitors monitoring mechanism
    deploy deployment deployments build builds test tests pipeline pipelines container containers cluster
    clusters database databases db query queries request requests cron task tasks worker workers daemon
    daemons scheduler controller agent agents network connection connections disk disks health proxy balancer
    cache replica replicas primary secondary backup backups update updates upgrade upgrades migration
    migrations release code change changes config configuration app application api endpoint handler
    function library package module binary image instance instances machine machines vm host hosts queue
    message messages event events log logs metric metrics trigger rollback failover retry retries this that
    which what bot bots"""
)
_BASE_HUMAN_VERBS = _words(
    """realize realise recognize recognise check verify test review read follow communicate inform notify escalate
    unlock update document
    account anticipate foresee catch spot act respond react report disclose mention ask warn tell remove delete
    revert rollback apply patch configure set include add rotate revoke renew backup confirm coordinate
    announce monitor investigate plan budget staff train hire take perform execute run use ensure double-check
    look pay heed listen answer"""
)
_PARTICIPLE_IRREGULAR = _words(
    """known done gone seen been taken caught made run set put sent built held kept left told thought found
    brought bought written given spoken chosen begun understood hit cut shut read led met paid felt meant
    won lost spent stood struck taught fought sought dealt drawn driven eaten fallen flown forgotten frozen
    gotten got hidden ridden risen shaken shown stolen sworn thrown woken worn withdrawn undone redone rewritten
    overseen foreseen"""
)
_EVALUATIVE = _words(
    """useful helpful better faster quicker sooner earlier clearer clear avoidable preventable prevented
    avoided caught detected noticed smoother safer easier more"""
)
_MACHINE_PARTICIPLES = _words("triggered fired raised sent emitted paged started restarted scaled")
_NEED_NOUNS = _words(
    """alerting alerts alert monitoring monitors metrics tests test testing checks check a an the some more
    better proper any enough sufficient automated automation redundancy runbooks runbook documentation docs
    dashboards dashboard tooling visibility capacity backups backup access"""
)
_WORD = LazyRegex(r"[\w'’\-]+")
_CLAUSE_BREAK = LazyRegex(r"[.;:!?()\[\]\"“”\x00]|\s[-–—]\s|,\s*(?:and|but|so|or|which|while|because)\b")


@cache
def _after_dev(enabled: bool) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """Patterns and verbs added after looking at the dev corpus, loaded on first use."""
    if not enabled:
        return [], frozenset()
    text = read_data("blame_after_dev.txt")
    by_kind: dict[str, list[str]] = {}
    verbs: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, pattern = line.partition("\t")
        if kind == "verb":
            verbs.add(pattern.strip())
        else:
            by_kind.setdefault(kind, []).append(pattern.strip())
    # pattern text only: they are compiled once, inside the master expression
    patterns = [(_WB + "(?:" + "|".join(ps) + ")" + _WE, k) for k, ps in by_kind.items()]
    return patterns, frozenset(verbs)


def _human_verbs() -> frozenset[str]:
    extra = _after_dev(AFTER_DEV)[1]
    return _BASE_HUMAN_VERBS | extra if extra else _BASE_HUMAN_VERBS


def _words_before(text: str, pos: int, limit: int = 8) -> list[str]:
    """Lower-case words before ``pos`` in the same clause, nearest first (bounded window)."""
    window = text[max(0, pos - 120) : pos]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(window):
        cut = m.end()
    words = [w.lower() for w in _WORD.findall(window[cut:])]
    return words[::-1][:limit]


def _words_after(text: str, pos: int, limit: int = 6) -> list[str]:
    window = text[pos : pos + 100]
    m = _CLAUSE_BREAK.search(window)
    if m:
        window = window[: m.start()]
    return [w.lower() for w in _WORD.findall(window)][:limit]


def _subject(words_before: list[str]) -> str | None:
    """``human``, ``machine`` or None, from the nearest subject-like word before a verb."""
    for w in words_before:
        w = w.rstrip("'’s") if w.endswith(("'s", "’s")) else w
        if w in _HUMAN_SUBJECTS:
            return "human"
        if w in _MACHINE_SUBJECTS:
            return "machine"
    return None


def _is_participle(word: str) -> bool:
    return word in _PARTICIPLE_IRREGULAR or (len(word) > 3 and word.endswith(("ed", "en")))


def _modal_matches(text: str, matches: Iterable[re.Match[str]]) -> list[Match]:
    out: list[Match] = []
    for m in matches:
        sentence = text[max(0, m.start() - 200) : m.start()]
        cut = max(sentence.rfind(". "), sentence.rfind("! "), sentence.rfind("? "), sentence.rfind("\x00"))
        if ("if" in sentence.lower() or "had" in sentence.lower()) and _IF_CLAUSE.search(sentence[cut + 1 :]):
            continue  # the consequence of a conditional: the "if ... had" part carries the finding
        after = _words_after(text, m.end())
        before = _words_before(text, m.start())
        subject = _subject(before)
        # skip adverbs and "more ... and ..." between the modal and the participle
        k = 0
        while k < len(after) and (after[k].endswith("ly") or after[k] in ("more", "and", "also", "not", "never")):
            k += 1
        nxt = after[k] if k < len(after) else None
        end = m.end()
        fire = False
        if nxt is None:
            # "as clear as it should have been" / "we should have"
            fire = subject != "machine" or text[m.end() : m.end() + 1] in ("", ".", ",", "!")
            fire = fire and before[:1] != ["it"]
        elif nxt in ("been", "be"):
            nxt2 = after[k + 1] if k + 1 < len(after) else None
            if nxt2 is None:
                fire = True
            elif _is_participle(nxt2) and nxt2 not in _MACHINE_PARTICIPLES:
                fire = True  # passive: a person is implied ("should have been caught in review")
            elif nxt2 in _EVALUATIVE or (nxt2.endswith("er") and nxt2 != "worse"):
                fire = True
            if fire:
                end = _end_of_words(text, m.end(), k + 2)
        elif nxt in _NEED_NOUNS or not _is_participle(nxt):
            fire = subject == "human" and _is_participle(nxt) if nxt not in _NEED_NOUNS else False
            if not fire and subject == "human" and nxt.endswith("ed") is False and nxt in _human_verbs():
                fire = True  # "could have test" (typo'd participles are rare; bare human verbs)
        else:
            fire = subject == "human" or (
                subject is None and nxt not in _MACHINE_PARTICIPLES and _human_participle(nxt)
            )
            if fire:
                end = _end_of_words(text, m.end(), k + 1)
        if fire:
            out.append(Match(m.start(), end, "counterfactual", text[m.start() : end], help=HELP_COUNTERFACTUAL))
    return out


def _human_participle(word: str) -> bool:
    stem = word[:-2] if word.endswith("ed") else word
    return (
        word in ("known", "caught", "seen", "done", "told", "thought", "understood", "taken", "foreseen")
        or stem in _human_verbs()
        or stem + "e" in _human_verbs()
        or word[:-1] in _human_verbs()
    )


def _end_of_words(text: str, pos: int, count: int) -> int:
    end = pos
    stop = text.find("\x00", pos, pos + 100)
    for i, m in enumerate(_WORD.finditer(text, pos, stop if stop != -1 else min(len(text), pos + 100))):
        end = m.end()
        if i + 1 >= count:
            break
    return end


def _fail_matches(text: str, matches: Iterable[re.Match[str]]) -> list[Match]:
    out: list[Match] = []
    for m in matches:
        trigger = (m.group("fail_trigger") or "").lower()
        verb = (m.group("fail_verb") or "").lower()
        before = _words_before(text, m.start())
        subject = _subject(before)
        possessive = bool(before) and before[0] in ("my", "our", "your", "his", "her", "their")
        if trigger.startswith(("forg", "neglect", "omit", "didn", "did")):
            fire = subject != "machine" or verb in _human_verbs()
        elif trigger == "failure":
            fire = possessive or (verb in _human_verbs() and subject != "machine")
        else:
            fire = subject == "human" or (
                subject is None and (verb in _human_verbs() or (bool(before) and before[0] == "for"))
            )
            if subject == "human" and verb in ("start", "boot", "load", "connect", "compile", "build", "resolve"):
                fire = before[0] in _HUMAN_SUBJECTS if before else False
        if fire:
            out.append(Match(m.start(), m.end(), "counterfactual", text[m.start() : m.end()], help=HELP_COUNTERFACTUAL))
    return out


def _hindsight_matches(text: str, matches: Iterable[re.Match[str]]) -> list[Match]:
    out: list[Match] = []
    for m in matches:
        word = text[m.start() : m.end()].lower()
        before = _words_before(text, m.start(), 3)
        after = _words_after(text, m.end(), 3)
        if word.startswith("all "):
            fire = True
        elif word in ("obviously", "clearly"):
            # "Clearly the graph shows ..." is common and harmless; only "obviously" opens a judgement
            # sentence-initial judgement ("Obviously the fault lies ...") or about a person's action
            head = text[max(0, m.start() - 20) : m.start()].rstrip()
            if not head and m.start() > 20:
                head = "x"  # a long run of spaces: not the start of a sentence we can see
            initial = not head or head[-1] in '.!?:;"“\x00'
            fire = (
                word == "obviously"
                and initial
                and bool(after)
                and after[0] in ("the", "we", "they", "he", "she", "someone", "this", "it")
            )
            fire = fire or (bool(before) and before[0] in _HUMAN_SUBJECTS and bool(after) and _verbish(after[0]))
            fire = fire or (bool(before) and before[0] in ("should", "could", "would", "must"))
        elif word in ("simply", "just", "merely", "easily", "of course", "trivially"):
            fire = (
                (
                    bool(before)
                    and (
                        before[0] in _HUMAN_SUBJECTS - {"it", "one"}
                        or before[0] in ("should", "could", "would", "have", "'ve", "only")
                    )
                )
                and bool(after)
                and _verbish(after[0])
            )
            if word in ("just", "merely") and bool(after) and after[0] in ("a", "an", "the", "as", "about", "like"):
                fire = False
            if word == "just" and bool(before) and before[0] not in ("should", "could", "would", "have", "'ve"):
                # "we just deployed" is about time; only "should just have", "could just ..." minimise
                fire = bool(after) and after[0] in ("had", "needed") and len(after) > 1 and after[1] == "to"
            if (
                bool(before)
                and before[0] in ("have",)
                and len(before) > 1
                and before[1] not in ("should", "could", "would", "might", "must", "'ve")
            ):
                fire = False
        else:
            fire = False
        if fire:
            out.append(Match(m.start(), m.end(), "hindsight", text[m.start() : m.end()], help=HELP_HINDSIGHT))
    return out


def _verbish(word: str) -> bool:
    return (
        word.endswith(("ed", "en"))
        or word in _PARTICIPLE_IRREGULAR
        or word in _human_verbs()
        or word.rstrip("s") in _human_verbs()
        or word in ("have", "had", "needed", "need", "needs", "had", "do", "did", "run", "ran", "restart", "forgot")
    )


_FIXED = (
    ("human_error", _HUMAN_ERROR, "human-error", HELP_HUMAN_ERROR),
    ("punitive", _PUNITIVE, "punitive", HELP_PUNITIVE),
    ("fault", _FAULT, "blame-word", HELP_BLAME),
    ("blame", _BLAME_WORDS, "blame-word", HELP_BLAME),
)
_KIND_HELP = {
    "human-error": HELP_HUMAN_ERROR,
    "blame-word": HELP_BLAME,
    "punitive": HELP_PUNITIVE,
    "counterfactual": HELP_COUNTERFACTUAL,
}


def _parts(after_dev: bool) -> list[tuple[str, str]]:
    """``(name, pattern)`` of every trigger, in priority order: at one position the first that matches wins."""
    parts = [(name, rx.pattern) for name, rx, _, _ in _FIXED]
    parts += [(f"dev{k}", pattern) for k, (pattern, _) in enumerate(_after_dev(after_dev)[0])]
    parts += [("modal", _MODAL_HAVE.pattern), ("fail", _FAIL_TO.pattern)]
    parts += [("ifhad", _IF_HAD.pattern), ("hindsight", _HINDSIGHT.pattern)]
    return parts


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """``(index, character, depth)`` of each ``(``, ``)`` and ``|`` outside escapes and character classes.

    ``depth`` is the nesting the character stands at: a group's ``(`` and ``)`` share the depth outside it.
    """
    depth = 0
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1  # "[]...]": a leading ] is a member
        elif c == "(":
            yield i, c, depth
            depth += 1
        elif c == ")":
            depth -= 1
            yield i, c, depth
        elif c == "|":
            yield i, c, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` at nesting depth 0."""
    cuts = [i for i, c, depth in _structure(pattern) if c == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[bounds[k] + 1 : bounds[k + 1]] for k in range(len(bounds) - 1)]


def _close(pattern: str) -> int:
    """The index of the ``)`` that closes the group opened at the start of ``pattern``."""
    for i, c, depth in _structure(pattern):
        if c == ")" and depth == 0:
            return i
    raise ValueError(f"unbalanced group in {pattern!r}")


_QUANTIFIER = frozenset("?*+{")


def _by_first_letter(alternative: str) -> list[tuple[str, str]] | None:
    """The alternative as ``(first letter, the rest)`` pairs, one per letter, in the original order.

    ``(?:should|shall|could)\\s+x`` gives ``("s", "(?:hould|hall)\\s+x")`` and ``("c", "ould\\s+x")``;
    ``(?:the\\s+)?fault`` gives ``("t", "he\\s+fault")`` and ``("f", "ault")``.  Within one letter the
    original order is kept, so the same alternative wins; across letters order cannot matter, as
    two alternatives that start with different letters never match at the same place.  None when
    the alternative cannot be split so (a leading class, escape, quantified group or empty branch).
    """
    first = alternative[:1]
    if first.isalpha() and first.islower() and alternative[1:2] not in _QUANTIFIER:
        return [(first, alternative[1:])]
    if not alternative.startswith("(?:"):
        return None
    close = _close(alternative)
    inner, rest = alternative[3:close], alternative[close + 1 :]
    optional = rest.startswith("?")
    if optional:
        rest = rest[1:]
    if rest[:1] in _QUANTIFIER:  # a repeated group, "??" (lazy), or a quantifier on a quantifier
        return None
    heads: dict[str, list[str]] = {}
    for sub in _split_top(inner):
        pairs = _by_first_letter(sub)
        if pairs is None:
            return None
        for letter, remainder in pairs:
            heads.setdefault(letter, []).append(remainder)
    pieces: dict[str, list[str]] = {
        letter: [(rems[0] if len(rems) == 1 else f"(?:{'|'.join(rems)})") + rest] for letter, rems in heads.items()
    }
    if optional:  # "(?:X)?R" is "XR|R", in that order
        pairs = _by_first_letter(rest)
        if pairs is None:
            return None
        for letter, remainder in pairs:
            pieces.setdefault(letter, []).append(remainder)
    return [(letter, ps[0] if len(ps) == 1 else f"(?:{'|'.join(ps)})") for letter, ps in pieces.items()]


def _flat_alternatives_of(pattern: str) -> list[str]:
    """One trigger's top-level alternatives, each with its word-end check, without named groups."""
    body = pattern[len(_WB) :] if pattern.startswith(_WB) else pattern
    alternatives = [body]
    if body.startswith("(?:") and body.endswith(_WE) and _close(body) == len(body) - len(_WE) - 1:
        alternatives = [a + _WE for a in _split_top(body[3 : -len(_WE) - 1])]
    return [_NAMED_GROUP.sub("(?:", a) for a in alternatives]


def _flat_alternatives(after_dev: bool) -> list[str]:
    """Every trigger's alternatives in priority order."""
    return [a for _, pattern in _parts(after_dev) for a in _flat_alternatives_of(pattern)]


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@cache
def _master(after_dev: bool, ignore_case: bool) -> re.Pattern[str]:
    """One regular expression that finds where any trigger matches, so that a text is scanned once.

    The alternatives of every trigger are flattened and bucketed by their first letter:
    ``h(?:uman\\s+error|...)|o(?:perator\\s+error|...)``.  A regular expression tries the
    alternatives of an alternation one by one, but skips at once those that start with another
    literal character, so a word is only tried against the triggers that share its first letter
    (the scan takes a sixth of the time of one named group per trigger).  Which trigger matched is
    found afterwards, for the few matches there are, by :func:`_which`.

    Scanning the lower-cased text without ``re.IGNORECASE`` is about three times faster; a text whose
    lower-case form has another length (a few Unicode letters) is scanned with ``re.IGNORECASE``.
    """
    flags = re.IGNORECASE if ignore_case else 0
    flat = _flat_alternatives(after_dev)
    # Every trigger ends with the same word-end check: "(?:a|b)c" tries exactly what "ac|bc" tries.
    tail = _WE if all(a.endswith(_WE) for a in flat) else ""
    if tail:
        flat = [a[: -len(tail)] for a in flat]
    buckets: dict[str, list[str]] = {}
    for a in flat:
        pairs = _by_first_letter(a)
        if pairs is None:  # cannot be bucketed: one plain alternation, in priority order
            return re.compile(f"{_WB}(?=[^\\W\\d_])(?:{'|'.join(flat)}){tail}", flags)
        for letter, remainder in pairs:
            buckets.setdefault(letter, []).append(remainder)
    body = "|".join(f"{c}(?:{'|'.join(rests)})" for c, rests in buckets.items())
    return re.compile(f"{_WB}(?:{body}){tail}", flags)


@cache
def _part_letters(after_dev: bool) -> tuple[tuple[str, str, frozenset[str] | None], ...]:
    """``(name, pattern, the letters it can start with)`` of every trigger; None: any letter."""
    out = []
    for name, pattern in _parts(after_dev):
        letters: set[str] | None = set()
        for a in _flat_alternatives_of(pattern):
            pairs = _by_first_letter(a)
            if pairs is None or letters is None:
                letters = None
                break
            letters.update(letter for letter, _ in pairs)
        out.append((name, pattern, frozenset(letters) if letters is not None else None))
    return tuple(out)


@cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _which(
    scanned: str, start: int, after_dev: bool, ignore_case: bool
) -> tuple[str, re.Match[str]] | tuple[None, None]:
    """The first trigger (in priority order) that matches at ``start``, and its own match.

    Only the triggers that can start with the letter found there are tried (and compiled).
    """
    flags = re.IGNORECASE if ignore_case else 0
    letter = scanned[start]
    for name, pattern, letters in _part_letters(after_dev):
        if letters is not None and not ignore_case and letter not in letters:
            continue
        m = _compiled(pattern, flags).match(scanned, start)
        if m is not None:
            return name, m
    return None, None  # pragma: no cover - the master matched, so one of its parts does


@cache
def _fixed_kinds(after_dev: bool) -> dict[str, tuple[str, str]]:
    fixed = {name: (kind, help_text) for name, _, kind, help_text in _FIXED}
    for k, (_, kind) in enumerate(_after_dev(after_dev)[0]):
        fixed[f"dev{k}"] = (kind, _KIND_HELP.get(kind, HELP_BLAME))
    return fixed


def detect_language(text: str) -> list[Match]:
    """Blame (``human-error``, ``blame-word``, ``punitive``) and ``counterfactual`` / ``hindsight`` wording.

    Counterfactuals fire only when their subject is a person or a role, or when a passive implies one
    ("should have been caught"); the same words about machines or needs are left alone.
    """
    low = text.lower()
    ignore_case = len(low) != len(text)
    scanned = text if ignore_case else low
    master = _master(AFTER_DEV, ignore_case)
    found: list[Match] = []
    modal: list[re.Match[str]] = []
    fail: list[re.Match[str]] = []
    hindsight: list[re.Match[str]] = []
    fixed = _fixed_kinds(AFTER_DEV)
    for hit in master.finditer(scanned):
        group, m = _which(scanned, hit.start(), AFTER_DEV, ignore_case)
        if m is None:
            continue  # pragma: no cover
        start, end = m.start(), m.end()
        if group in fixed:
            if group == "blame" and _GIT_BEFORE.search(low[max(0, start - 12) : start]):
                continue  # `git blame`, the command
            kind, help_text = fixed[group]
            found.append(Match(start, end, kind, text[start:end], help=help_text))
        elif group == "modal":
            modal.append(m)
        elif group == "fail":
            fail.append(m)
        elif group == "ifhad":
            kind = "hindsight" if low.startswith(("in", "with"), start) else "counterfactual"
            found.append(Match(start, end, kind, text[start:end], help=HELP_COUNTERFACTUAL))
        elif group == "hindsight":
            hindsight.append(m)
    found += _modal_matches(text, modal)
    found += _fail_matches(text, fail)
    found += _hindsight_matches(text, hindsight)
    return _dedupe(found)


# Checked after a match, not in the pattern: a look-behind there would defeat the scan's first-letter buckets
# (the whole 1 MB benchmark's scan went from 0.06 s to 0.2 s).
_GIT_BEFORE = re.compile(r"\bgit\s+\Z")


def detect_language_many(texts: Sequence[str]) -> list[list[Match]]:
    """:func:`detect_language` of each text, for the many short texts of one document.

    One scan of all the texts together finds which of them hold a trigger at all (no trigger can
    match across the NUL that separates them, and the line breaks around it read as the start and
    end of a text); only those are analysed one by one.  Most paragraphs hold none, and calling the
    scanner once instead of once per paragraph saves most of its cost.
    """
    joined, offsets = join_texts(texts)
    low = joined.lower()
    if len(low) != len(joined):  # a few Unicode letters: scan each text as written, as detect_language does
        return [detect_language(t) for t in texts]
    hit: set[int] = set()
    for m in _master(AFTER_DEV, False).finditer(low):
        hit.add(bisect.bisect_right(offsets, m.start()) - 1)
    return [detect_language(text) if i in hit else [] for i, text in enumerate(texts)]


def _dedupe(found: list[Match]) -> list[Match]:
    """Longest first at each position; drop matches inside an earlier, longer one."""
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Match] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


_ACTION = LazyRegex(
    _WB
    + "(?:"
    + _alt(
        r"""
        be\s+(?:more\s+)?(?:careful|cautious|vigilant|diligent|attentive|mindful|thorough)
        (?:more|extra|greater|additional)\s+(?:care|caution|vigilance|diligence|attention)
        (?:pay|paying|pays)\s+(?:more\s+|closer\s+|greater\s+|extra\s+)?attention
        take\s+(?:more\s+|extra\s+|greater\s+)?care
        double[\s\-]?check(?:s|ed|ing)?
        triple[\s\-]?check(?:s|ed|ing)?
        re-?train(?:s|ed|ing)?
        (?:additional|more|further|extra|better)\s+training
        remind(?:s|ed|ing|er|ers)?
        make\s+sure\s+to
        (?:try|trying)\s+(?:harder|not\s+to)
        (?:don['’]t|do\s+not|never)\s+(?:do\s+(?:it|that|this)\s+again|make\s+(?:the\s+same|this|that)\s+mistake)
        not\s+make\s+(?:the\s+same|this|that)\s+mistake
        avoid\s+(?:making\s+)?(?:the\s+same\s+)?(?:mistakes?|errors?)
        (?:raise|raising|increase|increasing|improve|improving)\s+awareness
        think\s+twice
        stay\s+alert
        be\s+aware
        """
    )
    + ")"
    + _WE,
    re.IGNORECASE,
)


def detect_action_item_quality(text: str) -> list[Match]:
    """Action items that are not controls: "be more careful", "pay more attention", "double-check",
    "retrain ...", "remind ...", "make sure to", "be vigilant" (kind ``action-item-quality``)."""
    return [
        Match(m.start(), m.end(), "action-item-quality", m.group(), help=HELP_ACTION) for m in _ACTION.finditer(text)
    ]
