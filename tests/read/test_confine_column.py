"""read/confine.py all_inside_project: a whole column of paths settled at once never passes a path that the
one-by-one check refuses (the shortcut of validate/rowcheck.py over a program's 120,000 slips)."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.read.confine import Context, all_inside_project, check_inside_project

PIECES = ["evidence", "meter", "a.pdf", "..", ".", "", "/", "\\", "C:", "linked", "x\x00", "slip 1.pdf", "～"]
paths = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("/".join)


def project(root):
    (root / "evidence" / "meter").mkdir(parents=True, exist_ok=True)
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    if not (root / "evidence" / "linked").is_symlink():
        os.symlink(outside, root / "evidence" / "linked")
    return Context(root)


@settings(max_examples=300, deadline=None)
@given(values=st.sets(paths, min_size=1, max_size=6))
def test_a_column_passes_only_when_every_value_passes(values, tmp_path_factory):
    context = project(tmp_path_factory.mktemp("p") / "project")
    if all_inside_project(values, context):
        assert [value for value in values if check_inside_project(True, value, {}, context)] == []


def test_the_usual_slips_pass_at_once_and_a_link_or_an_escape_does_not(tmp_path):
    context = project(tmp_path / "project")
    slips = {f"evidence/meter/PV-{n:04d}.pdf" for n in range(100)}
    assert all_inside_project(slips, context)
    assert not all_inside_project(slips | {"evidence/linked/secret.pdf"}, context)
    assert not all_inside_project(slips | {"evidence/../../secret.pdf"}, context)
    assert not all_inside_project(slips | {"/etc/passwd"}, context)
