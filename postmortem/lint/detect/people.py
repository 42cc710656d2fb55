"""People in prose: roster names, @handles, emails, chat nicknames and personal names.

How a personal name is recognised, in order of the evidence it needs:

1. a run of capitalised words whose first word is a given name from the shipped lists
   (``Wanjiru Kamau``, ``José María Pérez``), or whose last word is a family name;
2. a single capitalised given name that is not also an ordinary English word, a product or a place;
3. any other capitalised word, lower-case chat nickname or username, when the context says it is a
   person: a title before it (``Dr``, ``CEO``), a reporting verb after or before it (``said``), a cue
   (``thanks to``, ``cc``, ``according to``, ``X (the IC)``, ``X from the Y team``), the subject slot of a
   timeline line (``14:02 alice restarted ...``), a chat speaker (``<bob>``, ``bob:``, ``bob 4:09 PM``);
4. a word already recognised as a person elsewhere in the same document.

Technology, product, company, team, host and place names are kept out by the shipped vocabulary, the
user's ``allowed_terms`` and their shape and context: all-caps, CamelCase, digits, dots, a following
technology noun (``Jenkins job``, ``Helm chart``), ``the`` before a single word (``the Hugo site``).

Every regular expression here is linear: no nested quantifiers over overlapping classes.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, compress
from typing import NamedTuple

from postmortem.lint.detect import _lexicon
from postmortem.lint.detect._lazy import LazyRegex
from postmortem.lint.detect._lexicon import FAMILY, GIVEN, WORD, fold
from postmortem.lint.detect._types import KnownPerson, Match, join_texts


def _words(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of a literal (our word lists are data)."""
    return frozenset(text.split())


VOCAB_FILES: tuple[str, ...] = _lexicon.VOCAB_FILES
"""Vocabulary files in use; the accuracy benchmark drops ``vocab_after_dev.txt`` for its ablation."""

VOCAB_EXCLUDE: frozenset[str] = frozenset()
"""Vocabulary terms to ignore (the accuracy benchmark's strict ablation); empty in normal use."""

HELP_PERSON = "refer to the role instead of the person, e.g. 'the on-call engineer'"
HELP_HANDLE = "refer to the role instead of the person's handle, e.g. 'the incident commander'"
HELP_EMAIL = "refer to the role or a team mailbox instead of a personal address"

# --- tokens ----------------------------------------------------------------------------------------

_TOKEN = LazyRegex(r"[^\W_]+(?:['’\-][^\W_]+)*")
_TOKEN_SPLIT = LazyRegex(r"(\w++(?:['’\-]\w++)*+)")
""":data:`_TOKEN` as a ``split()`` pattern, for text whose underscores have been replaced by spaces."""
_EMAIL = LazyRegex(r"(?<![\w.%+\-])[\w%+\-]+(?:\.[\w%+\-]+)*@[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)+")
# GitHub: alphanumerics and single hyphens; Slack display names also use dots and underscores.
_HANDLE = LazyRegex(r"@([A-Za-z0-9_](?:[A-Za-z0-9_]|[.\-](?=[A-Za-z0-9_]))*)(?![\w@/])")
"""Starts with the literal ``@`` so that the scan jumps from one ``@`` to the next; what may precede the
``@`` (not a word character, ``@``, ``.``, ``/``, ``+`` or ``-``) is checked in Python."""
_NOT_BEFORE_HANDLE = frozenset("@./+-")
_EMAIL_REACH = 128
"""Characters around an ``@`` searched for an email address (a local part or domain is never longer here)."""
# Annotations and decorators that no one takes for a handle (Java, Kotlin, Spring, Python)
_CODE_ANNOTATIONS = frozenset(
    """override deprecated suppresswarnings functionalinterface safevarargs autowired transactional
    nullable nonnull notnull springbootapplication restcontroller requestmapping getmapping postmapping
    jsonproperty staticmethod classmethod dataclass abstractmethod cached_property""".split()
)
_ANNOTATION_NEXT = LazyRegex(r"\s+(?:annotations?|decorators?)\b", re.IGNORECASE)
_GROUP_MENTIONS = frozenset({"here", "channel", "everyone", "all", "group", "team", "oncall", "on-call"})
_GROUP_HANDLE = LazyRegex(
    r"(?:on-?call|team|teams|bot|status|support|ops|admins|maintainers|devs|alerts|security|official|app|news"
    r"|help|sre|infra|releases?|announce)$|^(?:team|sig|wg|oncall|on-call)-"
)
_ROLE_MAILBOXES = _words(
    """abuse admin administrator alerts all billing bounce bounces contact devops dev developers do-not-reply
    donotreply engineering feedback help helpdesk hello hostmaster incident incidents info infra infrastructure
    it legal list mail mailer-daemon marketing media news newsletter no-reply noc noreply notifications office
    ops oncall on-call operations owner postmaster press privacy root sales security service sre staff status
    support sysadmin team test tech webmaster"""
)

_TIME = (
    r"(?:\d{4}-\d{2}-\d{2}[ T]?)?\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:UTC|GMT|Z|[A-Z]{2,4}T))?"
)
_CHAT_ANGLE = LazyRegex(r"<([A-Za-z_\[\]\\^{}|`][\w\[\]\\^{}|`\-.]{0,30})>")
_CHAT_LEAD = LazyRegex(rf"^\s*(?:[-*•]\s*)?(?:\[?{_TIME}\]?\s*[-–—:|]?\s*)?@?([A-Za-z_][\w\-.]{{0,30}}?)\s*:\s+(?=\S)")
_SLACK_STAMP = LazyRegex(r"(?<![\w@.\-])([A-Za-z][\w\-.]{1,30}) \d{1,2}:\d{2}\s?[AaPp][Mm]\b")
_TIMELINE_SUBJECT = LazyRegex(rf"^\s*(?:[-*•]\s*)?\[?{_TIME}\]?\s*[-–—:|,]?\s*@?([^\W\d_][\w\-.]*)\s+([a-z]+)")

_PARTICLES = _words("de del della der den di da das do dos du la le van von ten ter bin binti ibn al el y e zu st ó")
_TITLES = _words(
    """mr mrs ms miss mx dr prof sir dame lord lady rep sen senator representative congressman congresswoman
    gov governor mayor president chairman chairwoman chair minister secretary ceo cto cio cfo coo ciso cso cpo
    vp svp evp founder cofounder co-founder chief officer director manager head spokesperson spokesman
    spokeswoman analyst researcher reporter journalist professor engineer developer maintainer admin
    administrator sysadmin commander lead author editor"""
)
_TITLE_ABBREV = _words("mr mrs ms dr prof rep sen gov st")
_SAY_VERBS = _words(
    """said says say wrote writes told tells explained explains added adds noted notes asked asks tweeted tweets
    posted posts commented comments replied replies answered answers announced announces admitted admits
    apologized apologised apologizes apologises acknowledged acknowledges confirmed confirms stated states
    argued argues claimed claims recalled recalls testified testifies insisted insists warned warns
    reported reports suggested suggests proposed proposes mentioned mentions thinks thought believes believed
    agreed agrees disagreed noticed notices realized realised realizes realises decided decides joined joins
    pinged pings paged pages called calls contacted contacts emailed emails messaged messages notified notifies
    declared declares investigated investigates discovered discovers found finds determined determines
    identified identifies escalated escalates acked acks acknowledged approved approves reviewed reviews
    merged merges reverted reverts rolled deployed deploys restarted restarts removed removes deleted deletes
    created creates opened opens closed closes filed files fixed fixes patched patches ran runs started starts
    began begins completed completes finished finishes loops looped handed hands took takes gave gives sent
    sends got gets was is went goes came comes tried tries worked works cleaned cleans analyzed analyzes analysed
    analyses asked checked checks confirmed informed informs forwarded forwards responded responds explained
    manually stepped resigned resigns led leads wants wanted needs needed can could will would should
    has had have also then"""
)
"""Words that, right after a capitalised unknown word, suggest that word is a person acting."""
_HUMAN_VERBS = _words(
    """said says wrote told explained asked tweeted replied answered announced admitted apologized apologised
    acknowledged argued claimed recalled testified insisted warned noted added noticed notices realized realised
    realizes realises decided decides joined joins pinged pings paged contacted contacts emailed messaged
    notified declared declares investigated investigates discovered determined determines identified
    escalated escalates acked approved reviewed reviews proposed proposes suggested suggests agreed thinks
    believes asks tells informed informs responded responds apologizes stepped resigned confirms declined
    promised vowed denied urged praised criticized criticised thanked welcomed hoped spoke talked joked remembered
    forgot learned felt knew"""
)
"""Verbs that take a human subject almost always (used where the evidence is otherwise thin)."""
_CUES_BEFORE = (
    ("thanks", "to"),
    ("thank", "you"),
    ("thanks",),
    ("according", "to"),
    ("cc",),
    ("said",),
    ("says",),
    ("told",),
    ("asked",),
    ("ping",),
    ("pinged",),
    ("pings",),
    ("paged",),
    ("contacted",),
    ("contacts",),
    ("with",),
    ("by",),
    ("from",),
    ("and",),
    ("thanked",),
    ("congratulations", "to"),
    ("kudos", "to"),
    ("shoutout", "to"),
    ("shout-out", "to"),
    ("questioning",),
    ("interviewed",),
    ("replaces",),
    ("replaced",),
)
_STRONG_BEFORE = frozenset(
    {
        "thanks",
        "thank",
        "according",
        "cc",
        "said",
        "says",
        "told",
        "asked",
        "pinged",
        "pings",
        "ping",
        "paged",
        "contacted",
        "contacts",
        "thanked",
        "kudos",
        "congratulations",
        "shoutout",
        "shout-out",
        "questioning",
        "interviewed",
        "replaces",
        "replaced",
    }
)
_ROLE_WORDS = _words(
    """ic incident commander on-call oncall engineer sre lead manager responder reviewer author owner ceo cto
    developer maintainer admin sysadmin scribe comms communications liaison"""
)
_USER_WORDS = frozenset({"user", "username", "account", "login", "nick", "nickname", "handle"})
_TECH_NOUNS = _words(
    """job jobs chart charts cluster clusters server servers instance instances node nodes pipeline pipelines build
    builds plugin plugins plug-in site sites website websites page pages service services api apis database
    databases db dbs queue queues broker brokers topic topics host hosts hostname pod pods container containers
    image images repo repos repository repositories bucket buckets project projects app apps application agent
    agents worker workers release releases version versions client clients library libraries gem gems package
    packages module modules dashboard dashboards alert alerts alerting config configs configuration console cli
    sdk team teams status region regions zone zones datacenter datacenters data cloud file files ticket tickets
    issue issues incident incidents outage outages support engineers engineering operator operators controller
    controllers deployment deployments cron schedule scheduler runner runners action actions workflow workflows
    task tasks executor executors provider providers plan plans key keys token tokens certificate certificates
    cert certs index indexes indices table tables schema schemas migration migrations backup backups replica
    replicas shard shards partition partitions daemon daemons process processes binary binaries script scripts
    command commands network networks proxy proxies balancer balancers gateway gateways endpoint endpoints
    account accounts org organization organisation user users customers customer store stores registry
    registries mirror mirrors feed feeds channel channels bot bots integration integrations check checks test
    tests suite suites log logs logging metrics monitor monitors monitoring tracing traces event events stream
    streams pool pools volume volumes disk disks drive drives machine machines vm vms box boxes rack racks
    switch switches router routers link links port ports tier tiers stack stacks layer layers engine engines
    protocol protocols format formats driver drivers kernel kernels update updates upgrade upgrades patch
    patches fix fixes commit commits branch branches tag tags pr prs request requests pull merge ci cd code
    source docs documentation wiki board boards
    instance-type inc corp ltd llc gmbh co company group foundation community committee exchange bank
    university institute agency commission council office department ministry hospital airport airline
    airlines station university's stock market markets"""
)
"""A capitalised word directly followed by one of these is a product, place or organisation."""
_ORG_SUFFIXES = _words(
    """network networks systems labs lab group foundation partners capital cloud security software technologies
    technology solutions inc corp corporation company co ltd llc gmbh ag sa plc bank exchange university
    institute project team media studios studio games health energy motors airlines airways telecom
    communications holdings ventures associates consulting services digital data analytics ai industries
    electric power international global worldwide online hosting networks society association alliance
    council committee commission agency department ministry office bureau news times post journal herald
    tribune register guardian telegraph"""
)
_PRODUCT_SUFFIXES = _words(
    """pro max plus mini air ultra lite one go edge server enterprise premium standard basic home studio workspace
    suite console engine platform center centre hub cloud manager desktop mobile web app apps os sdk api db
    connect gateway insights analytics monitor defender sentinel shield guard vault store drive docs sheets
    mail pay wallet id"""
)
_TECH_MORPHEMES = LazyRegex(
    r"(?:force|soft|ware|hub|net|cloud|base|flow|stack|ops|data|sync|pay|book|space|box|bit|byte|cast|link"
    r"|lab|logic|works|tech|tron|matic|ify|gram|dash|desk|drive|store|mail|chat|code|kit|sql|api|web|app"
    r"|grid|mesh|scale|deck|bot|port|sys|serv|form|mind|cube|wise|lytics|metrics|pipe|verse|zilla|ly)$"
)
"""Endings typical of product and company names (``Salesforce``, ``Shopify``, ``Datadog``-like coinages)."""
_PERSONAL_THINGS = _words(
    """laptop desktop workstation machine phone pager shift team manager pr prs commit commits change changes fix
    patch branch script session credentials account token ssh keys desk home vacation message comment review
    analysis notes notebook terminal"""
)
_ORG_MEMBERS = _words("employee employees staff staffer staffers customers customer users user clients")
_APPOSITIVE_ROLES = _words(
    """researcher engineer developer journalist reporter analyst employee contractor consultant founder
    cofounder co-founder ceo cto cio cfo coo ciso president chairman chair head director manager officer
    spokesperson spokesman spokeswoman member maintainer contributor volunteer administrator admin sysadmin
    professor student intern lead architect designer author writer editor colleague teammate coworker
    co-worker friend customer user minister secretary senator representative governor mayor executive
    vice commander"""
)
_STOP_NICKS = _words(
    """the a an we i you he she they it this that there here note update resolved resolution monitoring
    investigating identified status summary impact root cause timeline action actions owner owners todo
    done next fix fixed issue incident start end begin began all some many most users customers team teams
    our their his her its us them me my your engineer engineers on-call oncall ic everyone someone nobody
    alert alerts deploy deployment rollback system systems service services"""
)
_NOT_NAMES = _words(
    """i we you he she they it me us him her them my our your his its their mine ours yours theirs this that
    these those there here who whom whose which what when where why how the a an and or but nor so yet for of
    to in on at by with from into onto upon about above below over under after before during since until
    while because although though if unless whether as than then also too very just only not no yes ok okay
    has have had is was were are be been being do does did can will would should could may might must
    hi hello hey thanks thank please sorry dear regards cheers fyi btw imo asap eta etc vs via per re
    am pm utc gmt"""
)


class _Tok:
    """A word of the text with what the lexicon and the vocabulary say about it."""

    __slots__ = ("_doc", "_flags", "cap", "end", "low", "start", "vocab", "word")

    def __init__(self, start: int, end: int, word: str, low: str, cap: bool, vocab: bool, doc: _Doc) -> None:
        self.start = start
        self.end = end
        self.word = word
        self.low = low
        self.cap = cap
        """First letter upper-case and the rest not all upper-case (``Ana``, ``McKinnon``, ``Eun-taek``)."""
        self.vocab = vocab
        self._doc = doc
        self._flags = -1

    @property
    def flags(self) -> int:
        """Lexicon flags, looked up on first use (most lower-case words never need them)."""
        if self._flags < 0:
            memo = self._doc.word_flags
            flags = memo.get(self.word)
            if flags is None:
                flags = memo[self.word] = _word_flags(self.word, self.low, self._doc)
            self._flags = flags
        return self._flags


@lru_cache(maxsize=16)
def _phrase_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _lower_phrase_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    """The same alternation for lower-cased text: about three times faster than ``re.IGNORECASE``."""
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def _is_cap(word: str) -> bool:
    return word[0].isupper() and not (len(word) > 1 and word.isupper())


def _is_camel(word: str) -> bool:
    """``GitHub``, ``PagerDuty``, ``JavaScript`` - but not ``McKinnon``, ``MacDonald``, ``DeShawn``."""
    rest = word[1:]
    if rest == rest.lower():
        return False  # no inner capital: the common case, decided in C
    if word[0].islower():
        return any(c.isupper() for c in word)  # iPhone, eBay
    for i in range(1, len(word)):
        if not word[i].isupper():
            continue
        if word[i - 1] in "-'’" or (i <= 3 and word[:i].lower() in _NAME_PREFIXES):
            continue
        return True
    return False


_NAME_PREFIXES = frozenset({"mc", "mac", "o'", "o’", "de", "di", "da", "le", "la", "van", "von", "d'", "d’"})


def _shape_excluded(word: str) -> bool:
    """Digits, underscores, all-caps acronyms and CamelCase are not personal names."""
    if _DIGIT_OR_UNDERSCORE.search(word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    return _is_camel(word)


class _Doc:
    """What is known across the texts of one document."""

    def __init__(self, allowed: Collection[str], extra_names: Collection[str]) -> None:
        self.lex = _lexicon.lexicon()
        single, multi = _lexicon.vocabulary(VOCAB_FILES)
        allowed_low = {a.lower().strip() for a in allowed if a.strip()}
        self.vocab_single = (single - VOCAB_EXCLUDE) | {a for a in allowed_low if " " not in a}
        self.vocab_multi = multi | {a for a in allowed_low if " " in a}
        self.allowed = frozenset(allowed_low)
        self.extra = frozenset(n.lower() for n in extra_names)
        self._phrases: re.Pattern[str] | None = None
        self.word_info: dict[str, tuple[str, bool, bool, int]] = {}
        self.word_flags: dict[str, int] = {}
        self.namey_memo: dict[str, bool] = {}
        self.not_person: set[str] = set()
        """Lower-case words and phrases seen in a technology context in this document (``Fritz's Redis``)."""
        self.known: set[str] = set()
        """Lower-case words recognised as a person (or a part of a person's name) in this document."""

    def phrase_regex(self) -> re.Pattern[str] | None:
        """One alternation of the multi-word vocabulary, longest first."""
        if self._phrases is None and self.vocab_multi:
            self._phrases = _phrase_regex(self.vocab_multi)
        return self._phrases

    def flags(self, low: str) -> int:
        if low in self.extra:
            return GIVEN | FAMILY
        return self.lex.flags(low)


_DIGIT = LazyRegex(r"\d")
_DIGIT_OR_UNDERSCORE = LazyRegex(r"[\d_]")
_MAX_NAME = 40
"""Longer words are never looked up: no name is that long, and lookups stay O(1) per word."""


def _word_flags(word: str, low: str, doc: _Doc) -> int:
    if len(word) > _MAX_NAME or _DIGIT.search(word):
        return 0
    base = low[:-2] if low.endswith(("'s", "’s")) else low
    flags = doc.flags(base)
    if not flags and "-" in base:
        parts = base.split("-")
        part_flags = [doc.flags(p) for p in parts]
        if all(f & (GIVEN | FAMILY) for f in part_flags):
            flags = part_flags[0] & (GIVEN | FAMILY)
        elif parts[0] and part_flags[0] & (GIVEN | FAMILY) and not part_flags[0] & WORD:
            flags = part_flags[0] & (GIVEN | FAMILY)  # Eun-taek, Jean-Luc
    return flags


class _Index(NamedTuple):
    """Positions (in the token list) of the few tokens each rule looks at, found in one pass."""

    upper: list[int]
    """Tokens starting with an upper-case letter."""
    verbs: list[int]
    """Tokens that are human verbs (``noticed``), for the word before them."""
    tech: list[int]
    """Vocabulary terms and technology nouns, for the word before them."""
    users: list[int]
    """``user``, ``account``, ``username`` ..."""


class _Toks:
    """The words of a text, as :class:`_Tok` objects made on first access.

    Most words are never looked at individually (only capitalised words and the words around the few
    triggers are), so the scan keeps the words, their offsets and the per-word facts, and builds
    objects lazily.
    """

    __slots__ = ("_doc", "_made", "_text", "bounds", "distinct", "words")

    def __init__(self, text: str, words: list[str], bounds: list[int], distinct: set[str], doc: _Doc) -> None:
        self._text = text
        self.words = words
        """The words as written, in order."""
        self.distinct = distinct
        """The set of ``words``."""
        self.bounds = bounds
        """Word ``k`` is ``text[bounds[2k] : bounds[2k + 1]]``."""
        self._doc = doc
        self._made: list[_Tok | None] = [None] * len(words)

    def low(self, k: int) -> str:
        """Word ``k`` in lower case, from the per-document memo."""
        return self._doc.word_info[self.words[k]][0]

    def low_of(self, word: str) -> str:
        """A word of this text in lower case, from the per-document memo."""
        return self._doc.word_info[word][0]

    def __len__(self) -> int:
        return len(self.words)

    def word(self, k: int) -> str:
        """The text of word ``k`` without building its token."""
        return self.words[k]

    def spaced(self, k: int) -> bool:
        """Is word ``k`` followed by exactly one space and then word ``k + 1``?"""
        if k + 1 >= len(self.words):
            return False
        end = self.bounds[2 * k + 1]
        return self.bounds[2 * k + 2] - end == 1 and self._text[end] == " "

    def __getitem__(self, k: int) -> _Tok:
        tok = self._made[k]
        return tok if tok is not None else self._make(k)

    def span(self, i: int, j: int) -> list[_Tok]:
        """Tokens ``i`` to ``j - 1`` (clipped like a slice)."""
        return [self[k] for k in range(*slice(i, j).indices(len(self.words)))]

    def _make(self, k: int) -> _Tok:
        if k < 0:
            k += len(self.words)
        word = self.words[k]
        low, cap, in_vocab, _ = self._doc.word_info[word]
        tok = self._made[k] = _Tok(self.bounds[2 * k], self.bounds[2 * k + 1], word, low, cap, in_vocab, self._doc)
        return tok


def _tokens(text: str, doc: _Doc) -> tuple[_Toks, _Index]:
    info = doc.word_info
    vocab = doc.vocab_single
    # One scan in C: split() with a capturing group alternates gaps and words, and the running sum of
    # their lengths gives every word's offsets, with no Match object per word.  A word is letters and
    # digits, not underscores: with "_" read as a space (same length, so the same offsets) the scan
    # can use the plain \w class, which the regular expression engine tests fastest.
    parts = _TOKEN_SPLIT.split(text.replace("_", " ") if "_" in text else text)
    words: list[str] = parts[1::2]
    bounds = list(accumulate(map(len, parts)))
    bounds.pop()
    # the facts are per distinct word; the positions of each role are then collected in C
    # (compress over a membership map) rather than by a Python loop over every word
    distinct = set(words)
    for word in distinct.difference(info):
        info[word] = _about(word, vocab)
    upper_words: set[str] = set()
    tech_words: set[str] = set()
    verb_words: set[str] = set()
    user_words: set[str] = set()
    for word in distinct:
        roles = info[word][3]
        if roles:
            if roles & 1:
                upper_words.add(word)
            if roles & 2:
                tech_words.add(word)
            if roles & 4:
                verb_words.add(word)
            if roles & 8:
                user_words.add(word)
    positions = range(len(words))
    upper = list(compress(positions, map(upper_words.__contains__, words))) if upper_words else []
    # the other roles are rarer: one pass finds them all, and their few positions are then sorted out
    rare = tech_words | verb_words | user_words
    hits = list(compress(positions, map(rare.__contains__, words))) if rare else []
    tech = [k for k in hits if words[k] in tech_words]
    verbs = [k for k in hits if words[k] in verb_words] if verb_words else []
    users = [k for k in hits if words[k] in user_words] if user_words else []
    index = _Index(upper=upper, verbs=verbs, tech=tech, users=users)
    return _Toks(text, words, bounds, distinct, doc), index


def _about(word: str, vocab: frozenset[str]) -> tuple[str, bool, bool, int]:
    """(lower case, capitalised, in the vocabulary, index roles) of a word; memoised per document."""
    low = word.lower()
    upper = word[0].isupper()
    cap = upper and not (len(word) > 1 and word.isupper())
    in_vocab = low in vocab or (low.endswith(("'s", "’s")) and low[:-2] in vocab)
    roles = (
        (1 if upper else 0)
        | (2 if in_vocab or low in _TECH_NOUNS else 0)
        | (4 if low in _HUMAN_VERBS else 0)
        | (8 if low in _USER_WORDS else 0)
    )
    return low, cap, in_vocab, roles


def _blank_vocab_phrases(text: str, toks: _Toks, doc: _Doc) -> list[tuple[int, int]]:
    """Ranges covered by multi-word vocabulary phrases (``Travis CI``, ``Ruby on Rails``)."""
    if not doc.vocab_multi:
        return []
    low = text.lower()
    firsts = _phrase_first_words(doc.vocab_multi)
    if len(low) != len(text) or firsts is None:
        rx = doc.phrase_regex()  # compiled only here: the case-insensitive form is rarely needed
        spans = [m.span() for m in rx.finditer(text)] if rx is not None else []
        return _union(spans) if spans else spans
    # A phrase starts where a word starts, or after a hyphen or apostrophe inside a word ("pre-Travis CI").
    # Trying the alternation only there, at words that begin some phrase, finds exactly what a scan of
    # the whole text finds (the same leftmost, non-overlapping matches), at a fraction of the cost.
    lower_rx = _lower_phrase_regex(doc.vocab_multi)
    info = doc.word_info
    words = toks.words
    starts_at: dict[str, tuple[int, ...]] = {}
    for word in toks.distinct:
        offsets = _phrase_offsets(info[word][0], firsts)
        if offsets:
            starts_at[word] = offsets
    spans = []
    bounds = toks.bounds
    last_end = 0
    for k in compress(range(len(words)), map(starts_at.__contains__, words)):
        base = bounds[2 * k]
        for offset in starts_at[words[k]]:
            if base + offset < last_end:
                continue
            m = lower_rx.match(low, base + offset)
            if m:
                spans.append(m.span())
                last_end = m.end()
    return _union(spans) if spans else spans


_INNER_BREAK = LazyRegex(r"['’\-]")


def _phrase_offsets(low_word: str, firsts: frozenset[str]) -> tuple[int, ...]:
    """Offsets inside a word (lower case) where one of the phrases' first words stands."""
    if low_word in firsts:
        return (0,)
    out: list[int] = []
    pos = 0
    for part in _INNER_BREAK.split(low_word):
        if part in firsts:
            out.append(pos)
        pos += len(part) + 1
    return tuple(out)


@lru_cache(maxsize=16)
def _phrase_first_words(phrases: frozenset[str]) -> frozenset[str] | None:
    """The first run of letters and digits of each phrase; None if a phrase starts otherwise."""
    firsts: set[str] = set()
    for phrase in phrases:
        m = _FIRST_RUN.match(phrase)
        if m is None:
            return None
        firsts.add(m.group())
    return frozenset(firsts)


_FIRST_RUN = LazyRegex(r"[^\W_]+")


def _sentence_initial(text: str, toks: _Toks, i: int) -> bool:
    """True where capitalisation carries no information: start of text, after . ! ? : or a bullet."""
    if i == 0:
        head = text[: toks[0].start].strip()
        return not head or head[-1] in ".!?:-*•>#|([\"“'‘\x00"
    between = text[toks[i - 1].end : toks[i].start].strip()
    return bool(between) and between[-1] in '.!?:•"“\x00'


_Span = tuple[int, int, str]  # start, end, kind


def _namey_word(t: _Tok, doc: _Doc) -> bool:
    """Could this word, wherever it stands, be part of a personal name?  Memoised per document."""
    if not t.cap or len(t.word) == 1 or t.vocab or t.low in _NOT_NAMES or t.low in _TITLES:
        return False
    if _shape_excluded(t.word) or t.low in doc.allowed:
        return False
    if t.flags & (GIVEN | FAMILY):
        return True
    return not t.flags & WORD


def _name_candidates(text: str, toks: _Toks, index: _Index, doc: _Doc, blanked: list[tuple[int, int]]) -> list[_Span]:
    """Personal names from capitalised runs, name lists and context."""
    n = len(toks)
    out: list[_Span] = []

    memo = doc.namey_memo

    def namey(t: _Tok) -> bool:
        word_ok = memo.get(t.word)
        if word_ok is None:
            word_ok = memo[t.word] = _namey_word(t, doc)
        return word_ok and not (blanked and _inside(blanked, t.start))

    def joined(a: _Tok, b: _Tok) -> bool:
        gap = text[a.end : b.start]
        return gap in (" ", "\u00a0")

    words = toks.words
    # Whether a capitalised word could be part of a name depends on the word alone: decide it once per
    # distinct word (at its first occurrence), then visit only the places where such a word stands.
    upper_words = list(map(words.__getitem__, index.upper))
    first = dict(zip(reversed(upper_words), reversed(index.upper), strict=True))
    for word, k in first.items():
        if word not in memo:
            memo[word] = _namey_word(toks[k], doc)
    name_like = {word for word in first if memo[word]}
    done = -1
    for i in compress(index.upper, map(name_like.__contains__, upper_words)):
        if i <= done:
            continue
        t = toks[i]
        if blanked and _inside(blanked, t.start):
            continue
        # grow a run of name-like tokens, allowing particles and initials inside
        j = i
        end = t.end
        while j + 1 < n and joined(toks[j], toks[j + 1]):
            nxt = toks[j + 1]
            if namey(nxt) or (nxt.cap and nxt.flags & (GIVEN | FAMILY) and nxt.low in _NOT_NAMES and len(nxt.low) > 1):
                j += 1  # "Nguyễn Văn An": a name that is also a function word, inside a run
            elif nxt.low in _PARTICLES and j + 2 < n and joined(nxt, toks[j + 2]) and namey(toks[j + 2]):
                j += 2
            else:
                break
        end = toks[j].end
        # a trailing initial: "Emil C." / "Thomas M. Joyce"
        run = toks.span(i, j + 1)
        k = j
        while (
            k + 1 < n
            and joined(toks[k], toks[k + 1])
            and len(toks[k + 1].word) == 1
            and toks[k + 1].word.isupper()
            and text[toks[k + 1].end : toks[k + 1].end + 1] == "."
        ):
            k += 1
            end = toks[k].end + 1
            if k + 1 < n and text[end : toks[k + 1].start] == " " and namey(toks[k + 1]):
                k += 1
                j = k
                end = toks[k].end
                run = toks.span(i, j + 1)
        if k > j and end < len(text) and text[end - 1] == ".":
            pass
        decided = _judge(text, toks, i, j if k <= j else k, run, doc, has_initial=k > j)
        if decided:
            out.append((t.start, end, "person-name"))
            for r in run:
                multi_ok = len(run) > 1 and r.flags & (GIVEN | FAMILY)
                if (multi_ok or not r.flags & WORD) and r.low not in doc.vocab_single and len(r.low) > 1:
                    doc.known.add(_strip_possessive(r.low))
        done = max(j, k)
    out += _coordination(text, toks, index, out, doc, namey)
    out += _prose_actors(text, toks, index, doc)
    return out


def _host_list(text: str, toks: _Toks, i: int) -> bool:
    """Is toks[i] in a list governed by "on", "onto", "across" or "between" (hosts, not people)?"""
    k = i
    for _ in range(8):
        if k <= 0:
            return False
        prev = toks[k - 1]
        gap = text[prev.end : toks[k].start]
        if prev.low in ("on", "onto", "across", "between", "in", "near", "at", "via", "inside") and gap == " ":
            return True
        if prev.low in ("and", "or") and gap == " " and k >= 2:
            k -= 2
        elif gap in (", ", ",") and prev.cap:
            k -= 1
        else:
            return False
    return False


def _coordination(
    text: str, toks: _Toks, index: _Index, spans: list[_Span], doc: _Doc, namey: Callable[[_Tok], bool]
) -> list[_Span]:
    """``Almog and Arvid``, ``Tom and I``: a capitalised word coordinated with a person is one too."""
    starts = {s for s, _, _ in spans}
    ends = {e for _, e, _ in spans}
    covered = _union((s, e) for s, e, _ in spans) if spans else []
    out: list[_Span] = []
    memo = doc.namey_memo
    words = toks.words
    for k in index.upper:
        if memo.get(words[k]) is False:
            continue
        t = toks[k]
        if not namey(t) or _inside(covered, t.start) or _host_list(text, toks, k):
            continue
        # "T and P" / "T, P"
        if k + 2 < len(toks):
            link, other = toks[k + 1], toks[k + 2]
            if (
                text[t.end : link.start] == " "
                and link.low in ("and", "&", "or")
                and text[link.end : other.start] == " "
                and (other.start in starts or other.word in ("I",))
            ):
                out.append((t.start, t.end, "person-name"))
                continue
        # "P and T"
        if k >= 2:
            link, other = toks[k - 1], toks[k - 2]
            if text[link.end : t.start] == " " and link.low in ("and", "&", "or") and other.end in ends:
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if not (nxt is not None and nxt.low in _TECH_NOUNS):
                    out.append((t.start, t.end, "person-name"))
    return out


def _prose_actors(text: str, toks: _Toks, index: _Index, doc: _Doc) -> list[_Span]:
    """A lower-case username or a CamelCase nickname acting in prose: ``mutante noticed the host ...``."""
    out: list[_Span] = []
    for v in index.verbs:
        if v == 0:
            continue
        k = v - 1
        low = toks.low(k)
        if len(low) < 3 or low in _STOP_NICKS or low in _NOT_NAMES or low in doc.allowed or not toks.spaced(k):
            continue
        t = toks[k]
        word = t.word
        if t.vocab:
            continue
        if word.islower() and not t.flags and not _DIGIT.search(word):
            if _sentence_initial(text, toks, k):
                out.append((t.start, t.end, "person-name"))
        elif word[0].isupper() and _is_camel(word) and not word.isupper() and not _DIGIT.search(word):
            out.append((t.start, t.end, "person-name"))
    token_words = toks.words
    camel = {w for w in {token_words[k] for k in index.upper} if _is_camel(w)}
    for k in index.upper if camel else ():
        # "JaikeySarraf, a security researcher"
        if token_words[k] not in camel:
            continue
        t = toks[k]
        if t.vocab or not t.word[0].isupper() or _DIGIT.search(t.word):
            continue
        rest = text[t.end : t.end + 60]
        words = re.findall(r"[\w\-]+", rest.lower())[:4]
        appositive = words and words[0] in ("a", "an", "the", "our", "who")
        if (
            rest.startswith(",")
            and appositive
            and (words[0] == "who" or any(w in _APPOSITIVE_ROLES for w in words[1:4]))
        ):
            out.append((t.start, t.end, "person-name"))
    return out


def _tech_context_words(text: str, toks: _Toks, index: _Index, doc: _Doc) -> None:
    """Lower-case words directly followed by a product or technology noun are hosts or products here."""
    words = toks.words
    # Decided once per distinct word before a technology noun, then only where such a word stands.
    candidates: set[str] = set()
    for word in {words[v - 1] for v in index.tech if v}:
        low = toks.low_of(word)
        if low in _NOT_NAMES or low in _STOP_NICKS or low in _TECH_NOUNS or not word.islower():
            continue
        flags = doc.word_flags.get(word)
        if flags is None:
            flags = doc.word_flags[word] = _word_flags(word, low, doc)
        if flags & (GIVEN | FAMILY) or not flags:
            candidates.add(word)
    if not candidates:
        return
    for v in index.tech:
        if v and words[v - 1] in candidates and toks.spaced(v - 1):
            doc.not_person.add(toks.low(v - 1))


def _not_person(span_text: str, doc: _Doc) -> bool:
    low = _strip_possessive(span_text.lower().rstrip("'’"))
    return low in doc.not_person


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, merged ranges, for :func:`_inside`."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` inside one of the sorted, non-overlapping-by-start ``ranges``?  O(log n)."""
    k = bisect.bisect_right(ranges, (pos, sys.maxsize)) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def _strip_possessive(low: str) -> str:
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _prev_words(toks: _Toks, i: int, count: int) -> list[str]:
    return [t.low for t in toks.span(max(0, i - count), i)]


def _judge(text: str, toks: _Toks, i: int, j: int, run: list[_Tok], doc: _Doc, *, has_initial: bool) -> bool:
    """Is the run ``toks[i..j]`` (name-like capitalised words) a person's name?"""
    first, last = run[0], run[-1]
    after = toks[j + 1] if j + 1 < len(toks) else None
    gap_after = text[toks[j].end : after.start] if after else ""
    before = toks[i - 1] if i > 0 else None
    gap_before = text[before.end : first.start] if before else ""
    initial = _sentence_initial(text, toks, i)

    # technology context: "Jenkins job", "the Hugo site", "Kafka's brokers"
    tech_after = after is not None and after.low in _TECH_NOUNS and gap_after.strip() in ("", "'", "’")
    if last.low.endswith(("'s", "’s")) and after is not None and after.low in _TECH_NOUNS:
        # "Kafka's brokers" - but "Adaeze Okafor's patch" is a person's
        tech_after = not (first.flags & GIVEN and not first.flags & WORD)
    the_before = (
        before is not None and before.low in ("the", "a", "an", "our", "their", "your", "its") and gap_before == " "
    )
    if after is not None and gap_after == " " and len(after.word) > 1 and after.word.isupper():
        tech_after = True  # "Chia GUI", "Acme API"
    if after is not None and gap_after == " " and after.low in _ORG_MEMBERS:
        tech_after = True  # "Acme employees", "Contoso staff"
    org = _strip_possessive(last.low) in _ORG_SUFFIXES and len(run) > 1
    if after is not None and gap_after == " " and after.cap and _strip_possessive(after.low) in _ORG_SUFFIXES:
        org = True  # "Acme Labs", "Contoso Network's"
        run = [*run, after]
    if org or (len(run) == 1 and last.flags & WORD and the_before):
        tech_after = True
    if org:
        doc.not_person.update(_strip_possessive(r.low) for r in run[:-1] if not r.flags & GIVEN or r.flags & WORD)
    if after is not None and gap_after == " " and after.word[:1].isdigit() and len(run) == 1:
        return False  # "May 12", "Jan 5"
    if (
        len(run) == 1
        and after is not None
        and gap_after == " "
        and after.cap
        and not after.vocab
        and after.flags & WORD
        and not after.flags & GIVEN
        and not last.low.endswith(("'s", "’s"))
    ):
        tech_after = True  # "Madison Square Garden", "Johnson Controls": a name inside a proper noun phrase
    if tech_after:
        doc.not_person.add(" ".join(_strip_possessive(r.low) for r in run))
    title_after = (
        after is not None
        and after.low in _TITLES
        and after.low not in _TITLE_ABBREV
        and gap_after.strip() in ("", "'", "’")
    )
    if (
        title_after
        and after is not None
        and (last.low.endswith(("'s", "’s")) or gap_after.strip() or after.word.isupper() or after.word.islower())
    ):
        doc.not_person.add(" ".join(_strip_possessive(r.low) for r in run))
        return False  # "Acme's chief security officer", "Acme CEO Jane Roe": an organisation
    if run[-1].low in _PRODUCT_SUFFIXES and len(run) > 1:
        return False  # "Mac Pro", "Google Workspace"
    strong_first = first.flags & GIVEN and not first.flags & WORD
    if (len(run) == 1 or not strong_first) and _host_list(text, toks, i):
        return False  # a host: "CPU at 100% on Franz", "across alpha, beta and gamma"

    cue = _context_cue(text, toks, i, j, doc)
    if cue:
        return not tech_after and not (the_before and len(run) == 1)
    if any(_strip_possessive(r.low) in doc.known for r in run):
        return not tech_after
    if tech_after or the_before:
        return False

    if len(run) >= 2 or has_initial:
        names = GIVEN | FAMILY
        g = first.flags & GIVEN and not first.flags & WORD
        f = last.flags & FAMILY and not last.flags & WORD
        strong = sum(1 for r in run if r.flags & names and not r.flags & WORD)
        listed = sum(1 for r in run if r.flags & names)
        unknown = sum(1 for r in run if not r.flags)
        if g or (f and (first.flags & GIVEN or not first.flags)):
            return True
        if strong and listed + unknown == len(run) and (listed == len(run) or strong + unknown == len(run)):
            return True  # "Nguyễn Văn An", "Hong Eun-taek"
        if unknown == len(run) and not initial and len(run) <= 4:
            return not any(_TECH_MORPHEMES.search(r.low) for r in run)
        return bool(has_initial and first.flags & GIVEN)

    # a single word
    if first.flags & GIVEN and not first.flags & WORD:
        return not (first.flags & FAMILY and initial and after is None)
    if first.flags & GIVEN and after is not None and gap_after == " " and _acts(after):
        return True  # "Lee rebooted the host" (an ambiguous given name doing something)
    if first.flags & GIVEN and after is not None and gap_after in ("'s ", "’s ") and after.low in _PERSONAL_THINGS:
        return True
    possessive = last.low.endswith(("'s", "’s"))
    return bool(possessive and first.flags & GIVEN and after is not None and after.low in _PERSONAL_THINGS)


def _acts(t: _Tok) -> bool:
    """A verb of doing or saying right after a name (``rebooted``, ``said``)."""
    return t.low in _HUMAN_VERBS or (t.low.endswith("ed") and t.word.islower() and len(t.low) > 4)


def _context_cue(text: str, toks: _Toks, i: int, j: int, doc: _Doc) -> bool:
    """Context that says the capitalised run at toks[i..j] is a person."""
    first = toks[i]
    before = toks[i - 1] if i > 0 else None
    after = toks[j + 1] if j + 1 < len(toks) else None
    gap_after = text[toks[j].end : after.start] if after else text[toks[j].end :]
    gap_before = text[before.end : first.start] if before else ""

    # a title right before: "Dr Okafor", "CEO Richard Roe", "Chief Security Officer Jane Roe"
    titled = before is not None and gap_before.strip() in ("", ".") and before.low in _TITLES
    if titled and before is not None and (before.low in _TITLE_ABBREV or before.word.isupper() or before.cap):
        return True
    # "X (the IC)", "X (incident commander)"
    paren = gap_after.lstrip()
    if paren.startswith("("):
        open_at = text.find("(", toks[j].end, toks[j].end + len(gap_after) + 1)
        inner = text[open_at + 1 : open_at + 41].lower()
        words = re.findall(r"[a-z\-]+", inner)[:4]
        if any(w in _ROLE_WORDS for w in words):
            return True
    # "X, a security researcher", "X, the head of ...", "X, 63,"
    if after is not None and gap_after.strip() == ",":
        rest = text[toks[j].end : toks[j].end + 60]
        if re.match(r",\s*\d{1,3}\s*,", rest):
            return True
        words = re.findall(r"[\w\-]+", rest.lower())[:4]
        determiner = words and words[0] in ("a", "an", "the", "our", "their", "its", "his", "her", "who")
        if determiner and (words[0] == "who" or any(w in _APPOSITIVE_ROLES for w in words[1:4])):
            return True
    # "X said", "X, the CEO,"
    if after is not None and gap_after.strip() in ("", ",") and after.low in _HUMAN_VERBS:
        return True
    if after is not None and gap_after.strip() == "," and after.low == "the":
        nxt = toks[j + 2] if j + 2 < len(toks) else None
        if nxt is not None and nxt.low in _TITLES:
            return True
    # "X from the Y team", "X of Acme"
    if after is not None and after.low in ("from", "of") and gap_after == " ":
        rest = text[after.end : after.end + 60].lower()
        if re.match(r"\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+)?\s+team\b", rest):
            return True
    # "said X", "thanks to X", "cc X", "according to X"
    if before is not None:
        prev2 = _prev_words(toks, i, 2)
        gap_ok = gap_before.strip() in ("", ",", ":")
        if gap_ok and before.low in _STRONG_BEFORE:
            # "according to Acme", "thanks to Foobar": an unlisted single word could be an organisation
            listed = any(r.flags & (GIVEN | FAMILY) for r in toks.span(i, j + 1)) or j > i
            return listed or before.low not in ("according", "thanks", "thank", "kudos", "with", "by")
        if len(prev2) == 2 and tuple(prev2) in {("thanks", "to"), ("according", "to"), ("kudos", "to")}:
            return any(r.flags & (GIVEN | FAMILY) for r in toks.span(i, j + 1)) or j > i
    return False


def _chat_nicks(text: str, doc: _Doc) -> list[_Span]:
    """Speakers and actors of a timeline or chat line."""
    out: list[_Span] = []
    if "<" in text:
        out += _angle_nicks(text)
    m2 = _CHAT_LEAD.match(text)
    if m2:
        nick = m2.group(1)
        if _nick_ok(nick, doc, lead=True):
            out.append((m2.start(1), m2.end(1), "person-name"))
    m3 = _TIMELINE_SUBJECT.match(text)
    if m3:
        nick, verb = m3.group(1), m3.group(2)
        if (verb in _SAY_VERBS or verb.endswith("ed")) and _nick_ok(nick, doc, lead=False):
            out.append((m3.start(1), m3.end(1), "person-name"))
    for m4 in _SLACK_STAMP.finditer(text) if ":" in text else ():
        nick = m4.group(1)
        if _nick_ok(nick, doc, lead=True):
            out.append((m4.start(1), m4.end(1), "person-name"))
    return out


def _angle_nicks(text: str) -> list[_Span]:
    """IRC-style speakers: ``<alice>``."""
    out: list[_Span] = []
    for m in _CHAT_ANGLE.finditer(text):
        if m.group(1).lower() not in _STOP_NICKS:
            out.append((m.start(1), m.end(1), "person-name"))
    return out


def _nick_ok(nick: str, doc: _Doc, *, lead: bool) -> bool:
    low = nick.lower().rstrip(".")
    if low in _STOP_NICKS or low in _NOT_NAMES or low in doc.allowed or low in doc.vocab_single:
        return False
    if low in _TITLES or low in _TECH_NOUNS or low in _ROLE_WORDS:
        return False
    if len(nick) > 1 and nick.isupper():
        return False
    if nick[0].isupper() and _is_camel(nick) and lead:
        return True
    if "." in nick:
        return False
    flags = doc.flags(low)
    if flags & WORD and not flags & (GIVEN | FAMILY):
        return False
    return not _DIGIT.search(nick) or "-" in nick or lead


def _at_windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around every ``@``: the email pattern runs on these only, each character once."""
    windows: list[tuple[int, int]] = []
    at = text.find("@")
    while at != -1:
        start, end = max(0, at - _EMAIL_REACH), min(len(text), at + _EMAIL_REACH)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
        at = text.find("@", at + 1)
    return windows


def _emails(text: str) -> list[_Span]:
    out: list[_Span] = []
    if "@" not in text:
        return out
    matches = [m for a, b in _at_windows(text) for m in _EMAIL.finditer(text, a, b)]
    for m in matches:
        local, _, domain = m.group().lower().partition("@")
        tld = domain.rsplit(".", 1)[-1]
        if len(tld) < 2 or not tld.isalpha():
            continue  # user@host.a.b, ssh targets, IP addresses
        base = re.split(r"[+]", local)[0]
        if base in _ROLE_MAILBOXES or base.split(".")[0] in _ROLE_MAILBOXES or base.split("-")[0] in _ROLE_MAILBOXES:
            continue
        out.append((m.start(), m.end(), "email"))
    return out


def _handles(text: str, email_spans: list[_Span]) -> list[_Span]:
    out: list[_Span] = []
    if "@" not in text:
        return out
    email_ranges = _union((a, b) for a, b, _ in email_spans)
    for m in _HANDLE.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_" or before in _NOT_BEFORE_HANDLE:
            continue
        name = m.group(1)
        low = name.lower().rstrip(".")
        if low in _GROUP_MENTIONS or _GROUP_HANDLE.search(low):
            continue
        if _inside(email_ranges, m.start()):
            continue
        # a code annotation or decorator by name ("@Override", "@dataclass") or by what follows it
        if low in _CODE_ANNOTATIONS or _ANNOTATION_NEXT.match(text, m.end()):
            continue
        # a Python decorator at the start of a line: "@pytest.fixture", "@app.route"
        reach = max(0, m.start() - 200)
        newline = text.rfind("\n", reach, m.start())
        at_line_start = (newline != -1 or reach == 0) and not text[newline + 1 : m.start()].strip()
        if at_line_start and ("." in name or text[m.end() : m.end() + 1] == "("):
            continue
        end = m.end()
        while end > m.start(1) and text[end - 1] in ".-":
            end -= 1
        out.append((m.start(), end, "handle"))
    return out


def _usernames(text: str, toks: _Toks, index: _Index, doc: _Doc) -> list[_Span]:
    """``user alice``, ``GitHub user account, bob``, ``the cratesio user``."""
    out: list[_Span] = []
    for k in index.users:
        t = toks[k]
        if k + 1 < len(toks):
            nxt = toks[k + 1]
            if nxt.low in ("called", "named") and k + 2 < len(toks):
                nxt = toks[k + 2]
                if _username_ok(nxt, doc):
                    out.append((nxt.start, nxt.end, "person-name"))
                continue
            gap = text[t.end : nxt.start]
            if gap.strip() in ("", ",", ":") and len(gap) <= 3 and _username_ok(nxt, doc):
                out.append((nxt.start, nxt.end, "person-name"))
                continue
        if k >= 2 and t.low in ("user", "account") and toks[k - 2].low == "the":
            prv = toks[k - 1]
            if text[prv.end : t.start] == " " and _username_ok(prv, doc):
                out.append((prv.start, prv.end, "person-name"))
    return out


def _username_ok(t: _Tok, doc: _Doc) -> bool:
    if t.vocab or t.low in doc.allowed or t.low in _NOT_NAMES or t.low in _STOP_NICKS or t.low in _USER_WORDS:
        return False
    if t.low in _TECH_NOUNS or t.low in _TITLES:
        return False
    if t.word.isupper() and len(t.word) > 1:
        return False
    return not t.flags & WORD


def _propagate(text: str, toks: _Toks, doc: _Doc) -> list[_Span]:
    """Words recognised as a person elsewhere in the document."""
    if not doc.known:
        return []
    out: list[_Span] = []
    known = doc.known
    info = doc.word_info
    hits: dict[str, str] = {}
    for word in toks.distinct:
        low = info[word][0]
        if low in known:
            hits[word] = low
        elif low.endswith(("'s", "’s")) and low[:-2] in known:
            hits[word] = low[:-2]
    if not hits:
        return out
    for k, word in enumerate(toks.words):
        if word not in hits:
            continue
        low = hits[word]
        t = toks[k]
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is not None and nxt.low in _TECH_NOUNS and text[t.end : nxt.start].strip() in ("", "'", "’"):
            continue
        if not t.vocab and low not in doc.allowed and low not in doc.not_person:
            end = t.end - (2 if t.low != low else 0)
            if t.cap or not t.flags:
                out.append((t.start, end, "person-name"))
    return out


# --- roster ------------------------------------------------------------------------------------------


class _RosterIndex(NamedTuple):
    """One alternation for every variant of every roster person, and who each variant belongs to."""

    flexible: re.Pattern[str] | None
    """Full names, given and family names, handles and emails: any case."""
    strict: re.Pattern[str] | None
    """Name parts that are also common words ("Will", "Page"): only capitalised, as written."""
    owners: dict[str, KnownPerson]
    """Lower-case, diacritic-free variant -> person (the first person listed wins a shared variant)."""


def _variant_key(text: str) -> str:
    return fold(text.lower().lstrip("@"))


@lru_cache(maxsize=64)
def _roster_index(roster: tuple[KnownPerson, ...]) -> _RosterIndex:
    flexible: set[str] = set()
    strict: set[str] = set()
    owners: dict[str, KnownPerson] = {}
    lex = _lexicon.lexicon()

    def add(variant: str, person: KnownPerson, *, strict_part: bool = False) -> None:
        variant = variant.strip()
        if not variant:
            return
        for form in {variant, fold(variant)}:
            (strict if strict_part else flexible).add(form)
            owners.setdefault(_variant_key(form), person)

    for person in roster:
        full = " ".join(person.name.split())
        if not full:
            continue
        add(full, person)
        parts = full.split(" ")
        if len(parts) > 1:
            for part in parts:
                clean = part.strip(".,")
                if len(clean) < 2 or clean.lower() in _PARTICLES:
                    continue
                word_like = bool(lex.flags(clean.lower()) & WORD) or clean.lower() in _NOT_NAMES
                add(clean, person, strict_part=word_like)
        for handle in person.handles:
            add(handle.lstrip("@"), person)
        for email in person.emails:
            add(email, person)

    def compile_(forms: set[str], flags: int) -> re.Pattern[str] | None:
        if not forms:
            return None
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        # "@?" lets a handle match with or without its "@"; longest variants first
        return re.compile(rf"(?<![\w@.])@?(?:{alternation})(?![\w@])", flags)

    return _RosterIndex(compile_(flexible, re.IGNORECASE), compile_(strict - flexible, 0), owners)


def _roster_matches(text: str, index: _RosterIndex) -> list[Match]:
    out: list[Match] = []
    for pattern, strict in ((index.flexible, False), (index.strict, True)):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while end > start and text[end - 1] == ".":
                end -= 1
            person = index.owners.get(_variant_key(text[start:end]))
            if person is None:
                continue
            if strict and _sentence_start(text, start) and not _acting_next(text, end):
                continue  # "Will the deploy finish?" - the word, not Will Page
            out.append(_known(text, start, end, person))
    return out


def _known(text: str, start: int, end: int, person: KnownPerson) -> Match:
    """A roster person named at ``text[start:end]``."""
    help_text = f"refer to the role, e.g. '{person.role}'" if person.role else HELP_PERSON
    return Match(start, end, "known-person", text[start:end], person.name, person.role, help_text)


def _sentence_start(text: str, pos: int) -> bool:
    head = text[max(0, pos - 10) : pos].rstrip()
    return not head or head[-1] in '.!?:;"“(*-•#>\x00'


def _acting_next(text: str, end: int) -> bool:
    m = _NEXT_WORD.match(text, end)
    return m is not None and (m.group(1).lower() in _HUMAN_VERBS or m.group(1).endswith("ed"))


_NEXT_WORD = LazyRegex(r"(?:['’]s)?\s+([A-Za-z]+)")


# --- merging -----------------------------------------------------------------------------------------

_HELP = {"handle": HELP_HANDLE, "email": HELP_EMAIL, "person-name": HELP_PERSON}


def _merge(text: str, known: list[Match], spans: Iterable[_Span], index: _RosterIndex | None = None) -> list[Match]:
    """Longest span wins; roster matches win over unknown-person matches that overlap them.

    A name found by the other detectors that is a roster person's name is that person: the roster
    skips a given name that is also a word at a sentence's start ("Grace and Alan restarted it"),
    and the name detector, reading the context, may still find it.
    """
    items: list[Match] = list(known)
    for start, end, kind in spans:
        if text[start:end].lower().endswith(("'s", "’s")):
            end -= 2
        if end <= start:
            continue
        person = index.owners.get(_variant_key(text[start:end])) if index is not None else None
        if person is not None:
            items.append(_known(text, start, end, person))
        else:
            items.append(Match(start, end, kind, text[start:end], help=_HELP[kind]))
    items.sort(key=lambda m: (m.start, -(m.end - m.start), m.kind != "known-person"))
    out: list[Match] = []
    for m in items:
        if out and m.start < out[-1].end:
            prev = out[-1]
            if m.kind == "known-person" and prev.kind != "known-person" and m.end >= prev.end:
                out[-1] = m
            continue
        out.append(m)
    return out


def detect_people(
    texts: Sequence[str],
    *,
    roster: Sequence[KnownPerson] = (),
    allowed_terms: Collection[str] = (),
    extra_names: Collection[str] = (),
    chat_lines: Sequence[bool] | None = None,
) -> list[list[Match]]:
    """Find people in the texts of ONE document; returns one list of matches per text.

    All texts are analysed together: a name recognised in one text (``Wanjiru Kamau said``) makes the
    same word a person in the others (``Kamau restarted the pod``).  Roster people come back as
    ``known-person`` (full name, given or family name alone, possessive outside the span, any case,
    handles, emails); others as ``handle``, ``email`` or ``person-name``.  ``allowed_terms`` are never
    flagged; ``extra_names`` are recognised as names.  ``chat_lines[i]`` marks text ``i`` as a timeline
    or chat line, where lower-case nicknames are looked for.
    """
    doc = _Doc(allowed_terms, extra_names)
    roster_index = _roster_index(tuple(roster)) if roster else None
    # The texts are scanned as one string: per-text overhead would cost more than the scan itself.
    big, offsets = join_texts(texts)

    known = _roster_matches(big, roster_index) if roster_index else []
    spans: list[_Span] = []
    emails = _emails(big)
    spans += emails
    handles = _handles(big, emails)
    spans += handles
    for s, e, _ in handles:
        doc.known.add(big[s + 1 : e].lower())
    toks, index = _tokens(big, doc)
    _tech_context_words(big, toks, index, doc)
    if chat_lines is not None:
        for i, (text, chat) in enumerate(zip(texts, chat_lines, strict=False)):
            if chat:
                for s, e, kind in _chat_nicks(text, doc):
                    spans.append((s + offsets[i], e + offsets[i], kind))
                    doc.known.add(text[s:e].lower())
    strong = _usernames(big, toks, index, doc)
    for s, e, _ in strong:
        doc.known.add(big[s:e].lower())
    spans += _name_candidates(big, toks, index, doc, _blank_vocab_phrases(big, toks, doc))
    # what one text taught us about the others
    doc.known -= doc.allowed
    doc.known -= _NOT_NAMES
    spans += _propagate(big, toks, doc)
    spans = [sp for sp in spans if sp[2] != "person-name" or not _not_person(big[sp[0] : sp[1]], doc)]
    spans += strong

    per_text: list[list[_Span]] = [[] for _ in texts]
    for s, e, kind in spans:
        i = bisect.bisect_right(offsets, s) - 1
        per_text[i].append((s - offsets[i], e - offsets[i], kind))
    known_per_text: list[list[Match]] = [[] for _ in texts]
    for m in known:
        i = bisect.bisect_right(offsets, m.start) - 1
        shift = offsets[i]
        known_per_text[i].append(replace(m, start=m.start - shift, end=m.end - shift))
    return [
        _merge(text, k, sp, roster_index) if (k or sp) else []
        for text, k, sp in zip(texts, known_per_text, per_text, strict=True)
    ]


_TIMELINE_LINE = LazyRegex(
    rf"^\s*(?:[-*•]\s*)?(?:\[?{_TIME}\]?(?!\d)|<[^\s<>]{{1,32}}>)"
    r"|(?<![\w@.\-])[A-Za-z][\w\-.]{1,30} \d{1,2}:\d{2}\s?[AaPp][Mm]\b"
)


def looks_like_timeline(text: str) -> bool:
    """Does the text look like a timeline entry or a chat log line (``14:02 ...``, ``<alice> ...``)?

    For callers that have no timeline field to tell them, e.g. Markdown drafts: the result is meant
    for ``detect_people(..., chat_lines=...)``.
    """
    return _TIMELINE_LINE.search(text[:200]) is not None
