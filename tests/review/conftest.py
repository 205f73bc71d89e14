"""A copy of samples/incomplete-solar to comment on, and a fixed review date."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "incomplete-solar"


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the incomplete sample (its postal code is empty on purpose)."""
    root = tmp_path / "solar"
    shutil.copytree(SAMPLE, root)
    return root
