"""SHA-256 of files, read in chunks: evidence lists, the checklist and manifest.json record them."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

THREADS = 4  # opening and reading many small files waits on the disk; hashlib lets go of the GIL


def sha256(path: Path | str) -> str:
    """The hex SHA-256 of a file; OSError when it cannot be read."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def sha256_or_none(path: Path | str) -> str | None:
    try:
        return sha256(path)
    except OSError:
        return None


def sha256_many(paths: Iterable[Path | str]) -> list[str | None]:
    """The hashes of many files in order, None for a file that cannot be read (120,000 meter slips ...)."""
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(sha256_or_none, paths, chunksize=256))
