"""The people detector: names from many cultures, technology names left alone, handles, emails, rosters.

Every example here was written for these tests (none comes from the accuracy corpus).
"""

from __future__ import annotations

import pytest

from postmortem.lint.detect import KnownPerson, Match, detect_people, looks_like_timeline


def people(text: str, **kwargs: object) -> list[str]:
    """The flagged substrings of one text analysed alone."""
    return [m.text for m in detect_people([text], **kwargs)[0]]  # type: ignore[arg-type]


def kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in detect_people([text], **kwargs)[0]]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Wanjiru Kamau paged the database team at 02:10.", "Wanjiru Kamau"),
        ("Oluwaseun Adeyemi rolled back the release.", "Oluwaseun Adeyemi"),
        ("Nguyễn Văn An confirmed the fix on staging.", "Nguyễn Văn An"),
        ("Priya Raghunathan opened the incident channel.", "Priya Raghunathan"),
        ("Hong Eun-taek restarted the ingest workers.", "Hong Eun-taek"),
        ("José María Pérez approved the change.", "José María Pérez"),
        ("Fatima Al-Sayed drained the queue.", "Fatima Al-Sayed"),
        ("Kenji Watanabe said the disk was full.", "Kenji Watanabe"),
        ("Siobhán Ní Bhriain led the review.", "Siobhán Ní Bhriain"),
        ("Aroha Ngata noticed the spike.", "Aroha Ngata"),
        ("Thabo Mbeki-Dlamini escalated to the vendor.", "Thabo Mbeki-Dlamini"),
        ("The rollback was started by Ingrid Solberg.", "Ingrid Solberg"),
    ],
)
def test_names_from_many_cultures(text: str, name: str) -> None:
    assert people(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "The Jenkins job failed and Travis CI was red; Kafka lagged behind.",
        "We upgraded Ruby on Rails and the Helm chart for Cassandra.",
        "The Hugo site was rebuilt; Sentry and Grafana showed errors from MariaDB in us-east-1.",
        "Jenkins restarted the pipeline at noon.",
        "Helm rolled out version 3.2 to the cluster.",
        "Ruby is our main language.",
        "The Apache Kafka brokers in Frankfurt and Virginia were degraded.",
        "PagerDuty paged the secondary; Terraform Cloud applied the plan.",
        "Amazon S3 returned 503s and Nginx returned 502 to Cloudflare.",
        "The Azure Front Door config was wrong on host nietzsche-03.",
        "Will the deploy finish on time?",
        "Grant access to the bucket before May 12.",
        "Page the on-call if the alert fires.",
        "Mark the ticket as resolved.",
        "The Chase account was locked.",
        "Hunter Valley is a region we serve.",
        "CPU was pinned on Freya and Odin, the two database hosts.",
        "Contoso Labs and Fabrikam Inc confirmed the outage.",
        "The Mac Pro in the rack and Google Workspace were unaffected.",
        "Acme's chief security officer published the timeline.",
        "Johnson Controls saw degraded checkout.",
    ],
)
def test_technology_products_places_and_words_are_not_people(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thanks to Tariq for spotting it.", "Tariq"),
        ("According to Mehmet Yılmaz, the queue was full.", "Mehmet Yılmaz"),
        ("Dr Okonkwo reviewed the timeline.", "Okonkwo"),
        ("cc Tariq", "Tariq"),
        ("Chen from the storage team joined the call.", "Chen"),
        ("Mateus (the IC) declared the incident.", "Mateus"),
        ("Ask Brian to check it.", "Brian"),
        ("Lee rebooted the host.", "Lee"),
        ("Quinn merged the PR.", "Quinn"),
        ("The report came from Zorbafeld, a security researcher.", "Zorbafeld"),
        ("Kwabenaeth, 41, joined the company in 2019.", "Kwabenaeth"),
    ],
)
def test_context_cues(text: str, name: str) -> None:
    assert people(text) == [name]


def test_title_and_possessive_are_outside_the_span() -> None:
    assert people("Ms. Adaeze Okafor's patch fixed it.") == ["Adaeze Okafor"]
    assert people("Ana's laptop had the stale config.") == ["Ana"]


def test_coordination_makes_both_people() -> None:
    assert people("Zorvan and Priya joined the bridge.") == ["Zorvan", "Priya"]


def test_initials_after_a_given_name() -> None:
    assert people("The limit was found by Emil K.") == ["Emil K."]


def test_document_wide_propagation() -> None:
    texts = ["Wanjiru Kamau led the response.", "Kamau restarted the pod.", "Later kamau's script ran."]
    found = detect_people(texts)
    assert [m.text for m in found[1]] == ["Kamau"]
    assert [m.text for m in found[0]] == ["Wanjiru Kamau"]


def test_technology_context_elsewhere_in_the_document_wins() -> None:
    texts = ["The fritz Redis primary failed over.", "Fritz was rebooted at noon."]
    assert detect_people(texts) == [[], []]


@pytest.mark.parametrize(
    ("line", "nick"),
    [
        ("14:02 <alice> restarting the pod", "alice"),
        ("alice: restarting", "alice"),
        ("[14:02] bob: ack", "bob"),
        ("14:05 carol rolled back the deploy", "carol"),
        ("14:06 @dana noticed the error rate", "@dana"),
        ("zxqv 4:09 PM anyone seeing webhook errors?", "zxqv"),
    ],
)
def test_chat_nicknames_in_timeline_lines(line: str, nick: str) -> None:
    assert people(line, chat_lines=[True]) == [nick]


@pytest.mark.parametrize(
    "line",
    ["14:06 deploy finished", "14:07 alerts fired for the API", "Impact: users saw errors", "14:08 traffic recovered"],
)
def test_timeline_lines_without_people(line: str) -> None:
    assert people(line, chat_lines=[True]) == []


def test_nicknames_are_only_looked_for_in_chat_lines() -> None:
    assert people("alice: restarting") == []


def test_looks_like_timeline() -> None:
    assert looks_like_timeline("14:02 UTC - the pager fired")
    assert looks_like_timeline("[14:02] bob: ack")
    assert looks_like_timeline("<alice> hi")
    assert not looks_like_timeline("The pager fired at noon.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ping @alice-b about it.", [("@alice-b", "handle")]),
        ("Thanks @bob.smith and @carol_x!", [("@bob.smith", "handle"), ("@carol_x", "handle")]),
        ("Notified @here and @channel and @everyone.", []),
        ("Upgraded @babel/core and @types/node.", []),
        ("@pytest.fixture\ndef client(): ...", []),
        ("Write to dana.lopez@example.com now.", [("dana.lopez@example.com", "email")]),
        ("Write to security@example.com or noreply@example.org.", []),
        ("ssh to deploy@10.0.0.1 failed", []),
        ("Paged @sre-oncall and @release-bot.", []),
    ],
)
def test_handles_and_emails(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_email_local_part_is_not_a_handle() -> None:
    assert kinds("mail ana@corp.example about it") == [("ana@corp.example", "email")]


ROSTER = [
    KnownPerson("Ana Lima", "the incident commander", ("alima",), ("ana.lima@corp.example",)),
    KnownPerson("Will Page", None),
]


def known(text: str) -> list[Match]:
    return detect_people([text], roster=ROSTER)[0]


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("Ana Lima paged the team.", "Ana Lima"),
        ("Later Ana took over.", "Ana"),
        ("Lima approved the rollback.", "Lima"),
        ("It was Ana's call.", "Ana"),
        ("ANA LIMA joined.", "ANA LIMA"),
        ("ana restarted it", "ana"),
        ("Ping @alima about it.", "@alima"),
        ("Ping alima about it.", "alima"),
        ("Mail ana.lima@corp.example today.", "ana.lima@corp.example"),
        ("Will Page joined.", "Will Page"),
    ],
)
def test_known_person_variants(text: str, variant: str) -> None:
    found = known(text)
    assert [(m.text, m.kind) for m in found] == [(variant, "known-person")]
    assert found[0].person in ("Ana Lima", "Will Page")


def test_known_person_carries_role_help() -> None:
    (m,) = known("Ana restarted the pod.")
    assert m.role == "the incident commander"
    assert m.help is not None and "the incident commander" in m.help


def test_roster_parts_that_are_words_match_only_as_written() -> None:
    assert known("the page will load soon") == []


def test_allowed_terms_and_extra_names() -> None:
    assert people("Zebulon approved it.", allowed_terms=["Zebulon"]) == []
    assert people("Kwizera approved it.", extra_names=["Kwizera"]) == ["Kwizera"]
    assert people("Deployed to Blue Harbor today.", allowed_terms=["blue harbor"]) == []


def test_offsets_are_code_points_and_text_matches() -> None:
    text = "🚀 Nguyễn Văn An confirmed; then @dana 🚀 acked"
    for m in detect_people([text])[0]:
        assert text[m.start : m.end] == m.text
        assert m.help


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "@", "@@", "a@b", "<>", "14:02", "'s", "O'", "--", "\u200b", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 İstanbul"]
)
def test_odd_inputs_do_not_crash(text: str) -> None:
    detect_people([text], chat_lines=[True])


def test_one_list_per_text() -> None:
    assert len(detect_people(["a", "b", "c"])) == 3
    assert detect_people([]) == []


def test_roster_matches_without_diacritics_and_handles_in_any_form() -> None:
    roster = [KnownPerson("José María Pérez", "the scribe", ("@jmp",), ("jmp@corp.example",))]
    found = detect_people(["Jose Maria Perez said so; perez agreed; JMP@corp.example; jmp"], roster=roster)[0]
    assert [m.text for m in found] == ["Jose Maria Perez", "perez", "JMP@corp.example", "jmp"]
    assert {m.person for m in found} == {"José María Pérez"}


def test_roster_word_parts_at_sentence_start_need_an_action() -> None:
    assert known("Will the deploy finish?") == []
    assert [m.text for m in known("Will restarted it.")] == ["Will"]


# A post-mortem full of product, team, project and place names, and a few people.
NARRATIVE = [
    ("On Tuesday the Billing API started returning 500s after the Orion deploy.", []),
    ("Our Varnish layer masked the errors for ten minutes before Prometheus alerts fired.", []),
    ("We traced the problem to the Hermes message router, which had lost its Zookeeper session.", []),
    ("Customer Support reported tickets from Acme Corp and Globex about failed invoices.", []),
    ("Atlantis applied a Terraform plan that removed the NAT gateway in eu-west-2.", []),
    ("The Falcon cluster in Frankfurt stayed healthy throughout.", []),
    ("Elasticsearch shards on Titan were relocated to Atlas.", []),
    ("Victoria Metrics replaced Graphite for long-term storage.", []),
    ("Charlotte, our Charlotte data center, lost power for 4 minutes.", []),
    ("The Marvin bot posted the rollback link in #incidents.", []),
    ("Argo Rollouts paused the canary at 20%.", []),
    ("Impact: All EU customers lost access to Dashboards for 42 minutes.", []),
    ("During Black Friday, Peak Traffic was 3x normal.", []),
    ("Christmas Eve deploy freeze was in effect.", []),
    ("Project Nightingale migrated the Lambda functions.", []),
    ("Casey rotated the keys; Morgan reviewed the change and Taylor approved it.", ["Casey", "Morgan", "Taylor"]),
    ("Adaeze Nwosu and Tomasz Kowalczyk paired on the fix.", ["Adaeze Nwosu", "Tomasz Kowalczyk"]),
    ("Mei Ling Zhang restarted the broker.", ["Mei Ling Zhang"]),
    ("Zhang then confirmed the lag was gone.", ["Zhang"]),
    ("Björn Þórsson reviewed the postmortem draft.", ["Björn Þórsson"]),
    ("Nadia bin Tariq approved the emergency change.", ["Nadia bin Tariq"]),
    ("Tomás Ó Súilleabháin paged the vendor.", ["Tomás Ó Súilleabháin"]),
    ("Per Ingrid's notes, the queue drained by 14:30.", ["Ingrid"]),
]


def test_a_whole_narrative() -> None:
    texts = [t for t, _ in NARRATIVE]
    found = detect_people(texts, chat_lines=[looks_like_timeline(t) for t in texts])
    assert [[m.text for m in ms] for ms in found] == [names for _, names in NARRATIVE]


def test_texts_do_not_run_into_each_other() -> None:
    """The texts of a document are scanned together; no span or context crosses from one to the next."""
    texts = ["Thanks to", "Wanjiru", "Kamau said it", "ends with Ana", "Lima restarted it", "a\x00b", ""]
    found = detect_people(texts)
    for text, matches in zip(texts, found, strict=True):
        for m in matches:
            assert 0 <= m.start < m.end <= len(text)
            assert text[m.start : m.end] == m.text
    assert [m.text for m in found[2]] == ["Kamau"]
    assert [m.text for m in found[3]] == ["Ana"]


# --- the multi-word vocabulary is found at word starts only; that must equal a scan of every position ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from postmortem.lint.detect import people as _people  # noqa: E402

_PHRASES = frozenset({"travis ci", "ruby on rails", "on rails now", "x ray tool", "o'reilly media", "c++ builder"})
_PIECES = [
    "Travis",
    "travis",
    "CI",
    "ci",
    "Ruby",
    "on",
    "Rails",
    "rails",
    "now",
    "x",
    "ray",
    "X-ray",
    "tool",
    "O'Reilly",
    "o'reilly",
    "Media",
    "c++",
    "C",
    "builder",
    "pre-Travis",
    "foo_travis",
    "Ä",
    "Ruby on Rails now",
    "pre-travis ci",
    "x-x ray tool",
]
_SEPARATORS = [" ", " ", " ", " ", "  ", "-", "'", ", ", "\n", "_"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), max_size=14), st.booleans())
def test_phrase_blanking_at_word_starts_equals_a_full_scan(parts: list[tuple[str, str]], dotted_i: bool) -> None:
    text = "".join(w + sep for w, sep in parts) + ("İ" if dotted_i else "")  # İ lower-cases to two characters
    doc = _people._Doc((), ())
    doc.vocab_multi = _PHRASES
    toks, _ = _people._tokens(text, doc)
    found = _people._blank_vocab_phrases(text, toks, doc)
    spans = [m.span() for m in _people._phrase_regex(_PHRASES).finditer(text)]
    assert found == (_people._union(spans) if spans else spans)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*"ab_-'’ .,\n\x00", "É", "é", "ß", "İ", "ǅ", "٣", "ー", "中", "\u0301"]),
        max_size=40,
    )
)
def test_the_fast_word_scan_finds_the_words_of_the_token_pattern(text: str) -> None:
    toks, _ = _people._tokens(text, _people._Doc((), ()))
    expected = [(m.start(), m.end(), m.group()) for m in _people._TOKEN.finditer(text)]
    got = [(toks.bounds[2 * k], toks.bounds[2 * k + 1], toks.words[k]) for k in range(len(toks))]
    assert got == expected
