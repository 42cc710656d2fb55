"""Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (default ``ci``).

* ``ci``: fixed and fast.  ``derandomize=True`` makes every run draw the same
  examples, so CI is reproducible; the example counts stay modest.
* ``long``: many examples with fresh randomness, for a local hunt::

      HYPOTHESIS_PROFILE=long /work/venv/bin/python -m pytest tests/test_properties_pipeline.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
