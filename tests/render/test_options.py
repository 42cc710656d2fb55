"""RenderOptions: validated, picklable (for --jobs), hashable."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from postmortem.render import RenderOptions


def test_options_are_picklable_and_hashable() -> None:
    o = RenderOptions(audience="public", tz="Europe/Paris", as_of=dt.date(2026, 1, 1), figures={"a.png": b"x"})
    assert pickle.loads(pickle.dumps(o)) == o
    hash(o)


@pytest.mark.parametrize(
    "kwargs",
    [{"audience": "board"}, {"paper": "a3"}, {"tz": "Mars/Olympus"}, {"pdf_variant": "pdf/x-4"}],
)
def test_bad_options_are_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        RenderOptions(**kwargs)  # type: ignore[arg-type]


def test_as_of_defaults_to_today() -> None:
    assert RenderOptions().effective_as_of() == dt.date.today()
