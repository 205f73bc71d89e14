"""Output folders and report files are always whole (issue 14, defects 11, 12 and 16): renders at once, kills
between moves, stale staging folders, read-only disks, long names, outputs inside the project's inputs."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from toolkit import bundle, pipeline
from toolkit.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "led-factory"


@pytest.fixture(scope="module")
def built():
    """The plan and the monitoring report of a sample, with their calculation (rendered by a stand-in)."""
    run = pipeline.Run(SAMPLE)
    return {kind: run.document(kind) for kind in ("plan", "monitoring")}, run.calculation


@pytest.fixture
def fake_renderer(monkeypatch):
    """Each format written as a few bytes naming it (and what `content` says), instead of a real PDF."""
    content = {"text": "first"}

    def renderer(fmt):
        return lambda document, path, overrides: path.write_text(
            f"{document.kind} {fmt} {content['text']}", encoding="utf-8"
        )

    monkeypatch.setattr(bundle, "_renderer", renderer)
    return content


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_manifest_true(outdir: Path) -> dict:
    """Every output manifest.json lists exists with the SHA-256 it records."""
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    for kind, entry in manifest["documents"].items():
        for output in entry["outputs"]:
            assert _sha(outdir / output["path"]) == output["sha256"], (kind, output["path"])
    return manifest


def _staging(outdir: Path) -> list[Path]:
    return [path for path in outdir.iterdir() if path.name.startswith(bundle.STAGING)]


# -- defect 11: two renders at once ---------------------------------------------------------------
@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "existing-folder"])
def test_two_renders_into_one_folder_at_once_both_succeed_and_keep_their_entries(
    built, fake_renderer, tmp_path, monkeypatch, existing
):
    documents, calculation = built
    read = bundle._read_manifest

    def slow_read(outdir):  # widens the read-modify-write window: without the lock one entry is lost
        found = read(outdir)
        time.sleep(0.05)
        return found

    monkeypatch.setattr(bundle, "_read_manifest", slow_read)
    for attempt in range(5):
        outdir = tmp_path / f"out{attempt}"
        if existing:
            outdir.mkdir()
        barrier, failures = threading.Barrier(2), []

        def render(kind):
            barrier.wait()
            try:
                bundle.publish(documents[kind], calculation, outdir, ("pdf", "xlsx"))
            except Exception as error:  # noqa: BLE001 - collected for the assertion below
                failures.append(error)

        threads = [threading.Thread(target=render, args=(kind,)) for kind in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert set(assert_manifest_true(outdir)["documents"]) == {"plan", "monitoring"}
        assert _staging(outdir) == []


def test_a_render_waiting_too_long_says_another_render_is_writing_here(built, fake_renderer, tmp_path, run):
    outdir = tmp_path / "out"
    outdir.mkdir()
    with bundle.folder_lock(outdir):
        with pytest.raises(OutputError) as caught:
            with bundle.folder_lock(outdir, wait=0.1):
                pass
    assert caught.value.problems[0].code == "render_busy"
    assert "another render is writing here" in caught.value.problems[0].message("en")
    assert "別の render がこのフォルダに書き込み中です" in caught.value.problems[0].message("ja")


def test_the_command_says_another_render_is_writing_here(tmp_path, run, monkeypatch):
    outdir = tmp_path / "out"
    outdir.mkdir()
    monkeypatch.setattr(bundle, "LOCK_WAIT", 0.1)
    with bundle.folder_lock(outdir):
        status, out, err = run("render", "plan", SAMPLE, "-o", outdir, "--format", "xlsx", "--lang", "en")
    assert status == 1 and "another render is writing here" in err and "Traceback" not in err
    assert sorted(path.name for path in outdir.iterdir()) == [bundle.LOCK]  # nothing half-written


def test_a_render_that_wrote_the_same_files_first_is_named(built, fake_renderer, tmp_path, monkeypatch):
    documents, calculation = built
    outdir = tmp_path / "out"

    def renderer(fmt):
        def write(document, path, overrides):
            path.write_text("mine", encoding="utf-8")
            (outdir / path.name).write_text("the other render's", encoding="utf-8")  # committed meanwhile

        return write

    monkeypatch.setattr(bundle, "_renderer", renderer)
    with pytest.raises(OutputError) as caught:
        bundle.publish(documents["plan"], calculation, outdir, ("xlsx",))
    assert {problem.code for problem in caught.value.problems} == {"render_busy_wrote"}
    assert "another render is writing here" in caught.value.problems[0].message("en")
    assert (outdir / "plan-annex.xlsx").read_text(encoding="utf-8") == "the other render's"


# -- defect 11: a kill between the moves, staging folders left behind ------------------------------
KILLER = """
import os, signal, sys
from pathlib import Path
from toolkit import bundle, pipeline

run = pipeline.Run(Path(sys.argv[1]))
bundle._renderer = lambda fmt: (lambda document, path, overrides: path.write_text("second " + fmt))
real, moves = os.replace, []

def replace(source, target):
    real(source, target)
    moves.append(target)
    if len(moves) == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)

bundle.os.replace = replace
bundle.publish(run.document("plan"), run.calculation, Path(sys.argv[2]), ("pdf", "docx", "xlsx"), force=True)
"""


@pytest.mark.parametrize("kill_after", [1, 2, 3, 4])
def test_sigkill_between_moves_never_leaves_a_manifest_with_a_wrong_hash(
    built, fake_renderer, tmp_path, monkeypatch, kill_after
):
    documents, calculation = built
    outdir = tmp_path / "out"
    bundle.publish(documents["plan"], calculation, outdir, ("pdf", "docx", "xlsx"))
    bundle.publish(documents["monitoring"], calculation, outdir, ("xlsx",))
    result = subprocess.run(
        [sys.executable, "-c", KILLER, str(SAMPLE), str(outdir), str(kill_after)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == -9, result.stderr
    manifest = assert_manifest_true(outdir)
    assert "monitoring" in manifest["documents"]  # the other document's entry survives
    left = _staging(outdir)
    assert len(left) == 1  # SIGKILL ran no clean-up: the next render removes it
    old = time.time() - bundle.STALE_AFTER - 1
    os.utime(left[0], (old, old))
    fake_renderer["text"] = "third"
    bundle.publish(documents["plan"], calculation, outdir, ("pdf", "docx", "xlsx"), force=True)
    assert _staging(outdir) == []
    assert set(assert_manifest_true(outdir)["documents"]) == {"plan", "monitoring"}
    assert (outdir / "plan.pdf").read_text(encoding="utf-8") == "plan pdf third"


def test_a_stale_staging_folder_is_removed_and_a_live_one_kept(built, fake_renderer, tmp_path):
    documents, calculation = built
    outdir = tmp_path / "out"
    stale, live, fresh = (outdir / f"{bundle.STAGING}{name}" for name in ("stale", "live", "fresh"))
    for folder in (stale, live, fresh):
        folder.mkdir(parents=True)
        (folder / "plan.pdf").write_bytes(b"%PDF-1.7 partial")
    old = time.time() - bundle.STALE_AFTER - 1
    for folder in (stale, live):
        os.utime(folder, (old, old))
    legacy = outdir / ".out.jcredit-abc123"  # how earlier releases named theirs, without a lock
    legacy.mkdir()
    (legacy / "plan.docx").write_bytes(b"PK partial")
    os.utime(legacy, (old - 3600, old - 3600))
    with open(live / bundle.STAGING_LOCK, "wb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # its render is still at work
        bundle.publish(documents["plan"], calculation, outdir, ("xlsx",))
    assert not stale.exists() and not legacy.exists() and live.exists() and fresh.exists()


# -- defect 12: read-only disks, full disks: exit 1 and nothing left --------------------------------
def _read_only(*args, **kwargs):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


@pytest.mark.parametrize("form", ["text", "json", "html", "xlsx"])
def test_check_onto_a_read_only_file_system_exits_1(tmp_path, run, monkeypatch, form):
    monkeypatch.setattr(os, "replace", _read_only)
    monkeypatch.setattr(Path, "unlink", _read_only)  # the clean-up fails too, as it does on a read-only disk
    target = tmp_path / f"checklist.{form}"
    status, _, err = run("check", SAMPLE, "--format", form, "-o", target, "--lang", "en")
    assert status == 1, err
    assert "expected a folder that can be written" in err and "Read-only file system" in err
    assert "Internal error" not in err and "Traceback" not in err


def test_check_where_no_temporary_file_can_be_made_exits_1(tmp_path, run, monkeypatch):
    monkeypatch.setattr("tempfile.mkstemp", _read_only)
    status, _, err = run("check", SAMPLE, "-o", tmp_path / "checklist.txt", "--lang", "en")
    assert status == 1 and "Read-only file system" in err and "Internal error" not in err
    assert list(tmp_path.iterdir()) == []


def test_render_onto_a_read_only_file_system_exits_1_and_leaves_nothing(tmp_path, run, monkeypatch):
    monkeypatch.setattr("tempfile.mkdtemp", _read_only)
    status, _, err = run("render", "plan", SAMPLE, "-o", tmp_path / "out", "--format", "xlsx", "--lang", "en")
    assert status == 1 and "Read-only file system" in err and "Internal error" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_render_that_fails_midway_leaves_no_new_folder(built, tmp_path, monkeypatch):
    documents, calculation = built

    def renderer(fmt):
        def write(document, path, overrides):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        return write

    monkeypatch.setattr(bundle, "_renderer", renderer)
    with pytest.raises(OutputError) as caught:
        bundle.publish(documents["plan"], calculation, tmp_path / "out", ("xlsx",))
    assert caught.value.problems[0].code == "not_writable"
    assert list(tmp_path.iterdir()) == []


def test_a_report_file_keeps_the_usual_permissions(tmp_path, run):
    target = tmp_path / "checklist.txt"
    run("check", SAMPLE, "-o", target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


# -- defect 16: long names, outputs inside the inputs -----------------------------------------------
def test_a_250_character_folder_name_is_a_valid_output_folder(tmp_path, run):
    outdir = tmp_path / ("o" * 250)  # NAME_MAX is 255: a prefix of 6 made the staging name too long
    status, out, err = run("render", "plan", SAMPLE, "-o", outdir, "--format", "xlsx")
    assert status == 0, err
    assert (outdir / "plan-annex.xlsx").is_file()
    target = tmp_path / ("c" * 250)
    status, _, err = run("check", SAMPLE, "-o", target)
    assert status == 0, err
    assert target.is_file()


@pytest.fixture
def project(tmp_path):
    import shutil

    return Path(shutil.copytree(SAMPLE, tmp_path / "led-factory"))


@pytest.mark.parametrize("inside", ["monitoring", "evidence", "monitoring/annex", "templates", "."])
def test_an_output_folder_inside_the_inputs_is_refused(project, run, inside):
    before = sorted(path for path in project.rglob("*"))
    for lang, words in (("ja", "プロジェクトの入力の外"), ("en", "outside the project's inputs")):
        status, _, err = run(
            "render", "plan", project, "-o", project / inside, "--format", "xlsx", "--lang", lang
        )
        assert status == 1 and words in err, err
    assert sorted(path for path in project.rglob("*")) == before  # nothing written into the inputs


def test_an_output_folder_inside_the_project_but_not_its_inputs_is_fine(project, run):
    status, _, err = run("render", "plan", project, "-o", project / "out", "--format", "xlsx")
    assert status == 0, err


@pytest.mark.parametrize("target", ["monitoring/checklist.xlsx", "evidence/checklist.html", "project.yaml"])
def test_a_report_file_among_the_inputs_is_refused(project, run, target):
    form = Path(target).suffix.lstrip(".").replace("yaml", "text")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    status, _, err = run(
        "check", project, "--format", form, "-o", project / target, "--force", "--lang", "en"
    )
    assert status == 1 and "outside the project's inputs" in err
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize("kind", ["folder", "fifo", "symlink"])
def test_a_report_file_is_never_written_over_a_folder_a_fifo_or_a_link(tmp_path, run, kind):
    target = tmp_path / "checklist.txt"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "elsewhere.txt").write_text("mine", encoding="utf-8")
        target.symlink_to(tmp_path / "elsewhere.txt")
    status, _, err = run("check", SAMPLE, "-o", target, "--force", "--lang", "en")
    assert status == 1 and "expected a regular file to write to" in err
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "mine"


TERMINATED = """
import os, signal, sys
from toolkit import bundle
from toolkit.cli import main

def renderer(fmt):
    def write(document, path, overrides):
        path.write_bytes(b"partial")
        os.kill(os.getpid(), signal.SIGTERM)
    return write

bundle._renderer = renderer
sys.argv = ["jcredit", "render", "plan", sys.argv[1], "-o", sys.argv[2], "--format", "xlsx"]
main()
"""


def test_sigterm_during_a_render_exits_143_and_leaves_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", TERMINATED, str(SAMPLE), str(tmp_path / "out")], capture_output=True, text=True
    )
    assert result.returncode == 143 and "Traceback" not in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []  # the new folder, its staging folder and partial file are gone


def test_init_that_fails_midway_leaves_no_half_project(tmp_path, run, monkeypatch):
    """init writes several files: a full or read-only disk after the first leaves none of them."""
    import shutil

    real, moves = shutil.move, []

    def move(source, target):
        moves.append(target)
        if len(moves) == 2:
            _read_only()
        return real(source, target)

    monkeypatch.setattr(shutil, "move", move)
    target = tmp_path / "new"
    status, _, err = run("init", target, "--methodology", "EN-R-002", "--lang", "en")
    assert status == 1 and "Read-only file system" in err and "Internal error" not in err
    assert [path for path in target.rglob("*") if path.is_file()] == []
