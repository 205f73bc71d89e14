"""SHA-256 of evidence files: the same digest as hashlib, in order, None for a file that cannot be read."""

from __future__ import annotations

import hashlib

from toolkit.read.hashing import sha256, sha256_many


def test_digests_match_hashlib_in_order_and_missing_files_are_none(tmp_path):
    contents = [b"", b"meter slip", bytes(range(256)) * 10_000]  # empty, small, larger than one read
    paths = []
    for index, content in enumerate(contents):
        path = tmp_path / f"slip-{index}.pdf"
        path.write_bytes(content)
        paths.append(path)
    expected = [hashlib.sha256(content).hexdigest() for content in contents]
    assert [sha256(path) for path in paths] == expected
    assert sha256_many([*paths, tmp_path / "absent.pdf", tmp_path]) == [*expected, None, None]


def test_a_file_is_read_once_per_version(tmp_path, monkeypatch):
    """The document's evidence list and the checklist ask for the same files: each is read once, and again
    only when it changed."""
    from toolkit.read import hashing

    path = tmp_path / "slip.pdf"
    path.write_bytes(b"one")
    reads = []
    real = hashing.sha256
    monkeypatch.setattr(hashing, "sha256", lambda p: reads.append(p) or real(p))
    first = hashing.sha256_many([path, str(path)])
    assert first[0] == first[1] and len(reads) == 1
    path.write_bytes(b"other")
    assert hashing.sha256_or_none(path) != first[0] and len(reads) == 2
