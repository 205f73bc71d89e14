"""Fixtures of the batch tests: a copy of samples/solar-program to batch into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from batch_helpers import SAMPLE


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A copy of samples/solar-program to batch into."""
    target = tmp_path / "solar-program"
    shutil.copytree(SAMPLE, target)
    return target
