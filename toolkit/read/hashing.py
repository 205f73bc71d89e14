"""SHA-256 of files, read in chunks: evidence lists, the checklist and manifest.json record them."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable

CHUNK = 1 << 20


def sha256(path: Path | str) -> str:
    """The hex SHA-256 of a file; OSError when it cannot be read.

    Plain file descriptors rather than open(): for 120,000 small meter slips the buffered file objects
    cost a third of the time.
    """
    descriptor = os.open(path, os.O_RDONLY)
    try:
        digest = hashlib.sha256()
        while chunk := os.read(descriptor, CHUNK):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(descriptor)


# path -> (mtime_ns, size, digest): a command that lists evidence in a document and checks it in the
# checklist reads each file once; a file changed in between (other mtime or size) is read again
_KNOWN: dict[str, tuple[int, int, str]] = {}


def sha256_or_none(path: Path | str) -> str | None:
    """The digest of a regular file; None for anything else (missing, a folder, a FIFO that would block)."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            return None
        key = os.path.normpath(os.fspath(path))
        known = _KNOWN.get(key)
        if known and known[0] == status.st_mtime_ns and known[1] == status.st_size:
            return known[2]
        digest = sha256(path)
        _KNOWN[key] = (status.st_mtime_ns, status.st_size, digest)
        return digest
    except OSError:
        return None


def sha256_many(paths: Iterable[Path | str]) -> list[str | None]:
    """The hashes of many files in order, None for a file that cannot be read (120,000 meter slips ...).

    One thread: the per-file work is Python's, so threads only fight over the GIL (measured: 1.4 s for
    120,000 cached slips on one thread, 1.7 s on two, 6 s with one task per file).
    """
    return [sha256_or_none(path) for path in paths]
