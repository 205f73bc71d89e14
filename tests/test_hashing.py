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
