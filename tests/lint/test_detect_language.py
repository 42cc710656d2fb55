"""Blame, punitive, counterfactual and hindsight wording, and action items that are not controls.

Every example here was written for these tests (none comes from the accuracy corpus).
"""

from __future__ import annotations

import pytest

from postmortem.lint.detect import detect_action_item_quality, detect_language


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in detect_language(text)]


def texts(text: str) -> list[str]:
    return [m.text for m in detect_language(text)]


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        ("The root cause was human error.", "human error", "human-error"),
        ("An operator error deleted the volume.", "operator error", "human-error"),
        ("A fat finger in the config took the site down.", "fat finger", "human-error"),
        ("The engineer made a mistake in the flag name.", "made a mistake", "human-error"),
        ("The host name was mistyped.", "mistyped", "human-error"),
        ("It was a careless change.", "careless", "blame-word"),
        ("The review was sloppy.", "sloppy", "blame-word"),
        ("That was negligent.", "negligent", "blame-word"),
        ("An incompetent rollout.", "incompetent", "blame-word"),
        ("A reckless deploy on Friday.", "reckless", "blame-word"),
        ("Who is to blame here?", "blame", "blame-word"),
        ("The culprit was the new hire.", "culprit", "blame-word"),
        ("The script was mistakenly run twice.", "mistakenly", "blame-word"),
        ("They botched the migration.", "botched", "blame-word"),
        ("The flag was wrongly set.", "wrongly", "blame-word"),
        ("A warning was overlooked.", "overlooked", "blame-word"),
        ("It was an oversight.", "oversight", "blame-word"),
        ("The admin was blamed.", "blamed", "blame-word"),
        ("This was gross negligence.", "negligence", "blame-word"),
        ("It was our fault.", "our fault", "blame-word"),
        ("It was the on-call engineer's fault.", "engineer's fault", "blame-word"),
        ("Entirely the SRE's fault.", "SRE's fault", "blame-word"),
        ("It was the operators’ fault.", "operators’ fault", "blame-word"),
        ("The fault lies with the on-call.", "fault lies", "blame-word"),
        ("The engineer was reprimanded.", "reprimanded", "punitive"),
        ("Disciplinary action followed.", "Disciplinary action", "punitive"),
        ("Those involved will be held accountable.", "be held accountable", "punitive"),
        ("The author should be held responsible.", "held responsible", "punitive"),
        ("We dropped the ball on capacity planning.", "dropped the ball", "blame-word"),
        ("The engineer ignored the warnings and pushed anyway.", "ignored the warnings", "blame-word"),
    ],
)
def test_blame_phrases(text: str, phrase: str, kind: str) -> None:
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [m for m in detect_language(text) if m.start < end and start < m.end]
    assert [m.kind for m in hits] == [kind], found(text)


@pytest.mark.parametrize(
    "text",
    [
        "We added fault tolerance to the queue.",
        "Fault injection tests run nightly.",
        "Our fault injection tests passed.",
        "The team lead's fault report lists three causes.",
        "It was the load balancer's fault tolerance that held.",
        "The worker crashed with a segmentation fault.",
        "A faulty disk was replaced.",
        "The alert fired at 14:02 and paged the on-call.",
        "We rolled back the release.",
        "Unfortunately the cache was cold.",
        "The job was accidentally scheduled twice.",
        "Errors rose to 4% in us-east-1.",
        "The account was suspended by the provider.",
        "Running git blame on the file showed the commit.",
    ],
)
def test_neutral_text_is_quiet(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The engineer failed to check the dashboard.", "failed to check"),
        ("We should have caught this in review.", "should have caught"),
        ("He forgot to drain the node.", "forgot to drain"),
        ("The on-call should have escalated sooner.", "should have escalated"),
        ("They neglected to update the runbook.", "neglected to update"),
        ("I could have tested the migration.", "could have tested"),
        ("The change should have been reviewed.", "should have been reviewed"),
        ("This could have been avoided.", "could have been avoided"),
        ("If only we had staged it first.", "If only"),
        ("If the team had waited, nothing would have broken.", "If the team had waited"),
        ("In hindsight, the rollout was too fast.", "In hindsight"),
        ("Had the on-call read the alert, the outage would have been shorter.", "Had the on-call read"),
        ("Someone failed to notice the warning.", "failed to notice"),
    ],
)
def test_counterfactuals_about_people(text: str, trigger: str) -> None:
    assert trigger in texts(text)
    assert all(m.kind in ("counterfactual", "hindsight") for m in detect_language(text))


@pytest.mark.parametrize(
    "text",
    [
        "The health check failed to start.",
        "The alert should have fired at 14:00.",
        "We should have alerting on disk usage.",
        "The pod failed to connect to the database.",
        "The deploy failed to complete.",
        "It could have been worse.",
        "The migration would have taken six hours.",
        "Builds failed to upload artifacts.",
        "The service should have recovered by itself.",
    ],
)
def test_counterfactual_words_about_machines_or_needs(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Obviously the config was wrong.", "Obviously"),
        ("The on-call simply restarted the wrong node.", "simply"),
        ("She should just have checked the logs.", "just"),
        ("All they had to do was read the alert.", "All they had to do was"),
        ("With hindsight, the threshold was too high.", "With hindsight"),
        ("In hindsight, the threshold was too high.", "In hindsight"),
    ],
)
def test_hindsight_minimising(text: str, word: str) -> None:
    assert (word, "hindsight") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The fix was just a one-line change.",
        "It is simply a cache of the index.",
        "The graph clearly shows the spike.",
        "We just deployed version 2.",
        "Clearly documented runbooks helped.",
    ],
)
def test_just_simply_clearly_in_neutral_use(text: str) -> None:
    assert found(text) == []


def test_every_match_has_help_and_exact_text() -> None:
    text = "Obviously it was human error: the operator failed to check and should have known better."
    matches = detect_language(text)
    assert matches
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.help


def test_unicode_offsets_stay_exact() -> None:
    text = "İİİ 🚀 It was human error."
    (m,) = detect_language(text)
    assert text[m.start : m.end] == "human error"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Be more careful when deploying.", "Be more careful"),
        ("Engineers should pay more attention to alerts.", "pay more attention"),
        ("Double-check the target before running.", "Double-check"),
        ("Retrain the on-call staff.", "Retrain"),
        ("Remind everyone to use the runbook.", "Remind"),
        ("Make sure to run the tests.", "Make sure to"),
        ("Be vigilant during deploys.", "Be vigilant"),
    ],
)
def test_action_items_that_are_not_controls(text: str, phrase: str) -> None:
    assert [m.text for m in detect_action_item_quality(text)] == [phrase]
    assert all(m.kind == "action-item-quality" and m.help for m in detect_action_item_quality(text))


@pytest.mark.parametrize(
    "text",
    [
        "Add a confirmation prompt when the target is production.",
        "Alert when disk usage exceeds 80% for 10 minutes.",
        "Block deploys on Fridays in the CI pipeline.",
    ],
)
def test_action_items_that_are_controls(text: str) -> None:
    assert detect_action_item_quality(text) == []


# --- the bucketed scan must find exactly what one named group per trigger finds ------------------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from postmortem.lint.detect import language as _language  # noqa: E402


def _reference(after_dev: bool, ignore_case: bool) -> re.Pattern[str]:
    """The straightforward scan: every trigger as a named group, tried in priority order."""
    groups = []
    for name, pattern in _language._parts(after_dev):
        body = pattern[len(_language._WB) :]
        groups.append(f"(?P<{name}>{re.sub(r'[(][?]P<[a-z_]+>', '(?:', body)})")
    master = _language._WB + r"(?=[^\W\d_])(?:" + "|".join(groups) + ")"
    return re.compile(master, re.IGNORECASE if ignore_case else 0)


_WORDS = (
    "human error errors operator user the a an fault at my his lies with of engineer made make mistake "
    "careless sloppy blame blamed to someone held accountable was were fired be disciplinary action "
    "should could would must have 've not n't really of failed fails failure forgot neglected to restart "
    "deploy if only in hindsight we had they been caught obviously simply just of course all he needed do "
    "ignored warnings too slow react buck stops under bus corners cut bad practices ought human-error "
    "fat-finger finger pointing threw throw thrown dropped ball a single person individual known better"
).split()
# Overlapping trigger phrases: where two triggers match at one place, the priority order decides.
_PHRASES = [
    "should have known better",
    "should have known",
    "should have",
    "human error induced",
    "human and technical errors",
    "the fault lies with",
    "fault of the engineer",
    "failed to restart",
    "failure by a single engineer",
    "if we had",
    "had we known",
    "made a mistake",
    "make the same mistake",
    "someone to blame",
    "was held accountable",
    "held accountable",
    "all he needed to do was",
    "of course",
    "ought to have",
    "could've",
    "shouldn't have",
]
_TOKENS = _WORDS + _PHRASES
_SEPARATORS = [" ", " ", " ", " ", "  ", "-", "\n", ", ", ". ", "'", "’"]


@pytest.mark.parametrize("after_dev", [True, False])
@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SEPARATORS), st.booleans()), max_size=16),
    dotted_i=st.booleans(),
)
def test_bucketed_scan_finds_what_named_groups_find(
    after_dev: bool, words: list[tuple[str, str, bool]], dotted_i: bool
) -> None:
    text = "".join((w.capitalize() if cap else w) + sep for w, sep, cap in words)
    if dotted_i:
        text += " İ"  # lower-cases to two characters: the case-insensitive scan of the text as written
    low = text.lower()
    ignore_case = len(low) != len(text)
    scanned = text if ignore_case else low
    expected = [(m.start(), m.end(), m.lastgroup) for m in _reference(after_dev, ignore_case).finditer(scanned)]
    got = []
    for hit in _language._master(after_dev, ignore_case).finditer(scanned):
        name, m = _language._which(scanned, hit.start(), after_dev, ignore_case)
        assert m is not None and m.end() == hit.end()
        got.append((hit.start(), hit.end(), name))
    assert got == expected


def test_alternatives_are_split_by_first_letter_in_the_same_order() -> None:
    split = _language._by_first_letter
    assert split(r"(?:the\s+)?fault") == [("t", r"he\s+fault"), ("f", "ault")]
    assert split(r"(?:should|shall|could)\s+x") == [("s", r"(?:hould|hall)\s+x"), ("c", r"ould\s+x")]
    assert split(r"(?:ab|(?:c|d)e)f") == [("a", "bf"), ("c", "ef"), ("d", "ef")]
    # "(?:t)?t" tries the group first, then the rest alone, within the one letter
    assert split(r"(?:tx)?ty") == [("t", "(?:xty|y)")]
    # a repeated group, a lazy optional one, an empty branch or a leading class cannot be split
    for pattern in (r"(?:ab)+c", r"(?:ab)??c", r"(?:a|)b", r"[ab]c", r"\wx", "a?b"):
        assert split(pattern) is None, pattern
    assert _language._split_top(r"a|[|(]|(b|c)|\|") == ["a", "[|(]", "(b|c)", r"\|"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SEPARATORS), st.booleans()), max_size=8).map(
            lambda ws: "".join((w.capitalize() if cap else w) + sep for w, sep, cap in ws)
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_many_texts_scanned_together_give_what_each_gives_alone(texts: list[str], dotted_i: bool) -> None:
    if dotted_i and texts:
        texts[0] += " İ"  # lower-cases to two characters: the texts are then scanned one by one
    assert _language.detect_language_many(texts) == [detect_language(t) for t in texts]


@pytest.mark.parametrize("after_dev", [True, False])
def test_every_shipped_trigger_can_be_bucketed_by_its_first_letter(after_dev: bool) -> None:
    """One that cannot (a look-behind first, say) turns the whole scan into a plain alternation, 3x slower."""
    from postmortem.lint.detect.language import _WE

    flat = _language._flat_alternatives(after_dev)
    tail = _WE if all(a.endswith(_WE) for a in flat) else ""
    assert tail
    unsplittable = [a for a in flat if _language._by_first_letter(a[: -len(tail)]) is None]
    assert unsplittable == []
