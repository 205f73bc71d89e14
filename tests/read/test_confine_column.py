"""read/confine.py doubtful_paths: a whole column of paths settled at once never lets by a path that the
one-by-one check refuses (the shortcut of validate/rowcheck.py over a program's 120,000 slips)."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.read.confine import Context, check_inside_project, doubtful_paths

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
def test_every_path_left_out_of_the_doubtful_ones_passes(values, tmp_path_factory):
    context = project(tmp_path_factory.mktemp("p") / "project")
    passed = values - doubtful_paths(values, context)
    assert [value for value in passed if check_inside_project(True, value, {}, context)] == []


def test_the_usual_slips_pass_at_once_and_only_a_link_or_an_escape_is_doubtful(tmp_path):
    context = project(tmp_path / "project")
    slips = {f"evidence/meter/PV-{n:04d}.pdf" for n in range(100)}
    assert doubtful_paths(slips, context) == set()
    odd = {"evidence/linked/secret.pdf", "evidence/../../secret.pdf", "/etc/passwd", "C:/x.pdf", "a\\b.pdf"}
    assert doubtful_paths(slips | odd, context) == odd


def test_no_folder_outside_the_project_is_listed_to_settle_a_column(tmp_path, monkeypatch):
    context = project(tmp_path / "project")
    listed = []
    monkeypatch.setattr(context, "_look_at", lambda folder: listed.append(folder) or ("", True, frozenset()))
    doubtful_paths(
        {"../../etc/passwd", "evidence/../../x.pdf", "C:/Windows/x", "evidence/meter/a.pdf"}, context
    )
    assert listed == ["evidence/meter"]


def test_a_link_to_a_folder_outside_is_refused_without_listing_it(tmp_path, monkeypatch):
    context = project(tmp_path / "project")
    listed = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(str(path)) or scandir(path))
    value = "evidence/linked/sub/x.pdf"  # evidence/linked leads to a folder outside the project
    assert doubtful_paths({value}, context) == {value}
    assert check_inside_project(True, value, {}, context)["variant"] == "symlink_escapes"
    assert not any("outside" in path for path in listed)
