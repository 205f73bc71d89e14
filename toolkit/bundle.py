"""Output folders that are always whole, with manifest.json: versions, inputs, factors and outputs with hashes.

Every writer of outputs goes through here: `publish` for a document's folder, `write_file` for one report.

A render works in a staging folder inside the output folder (`.jcredit-staging-*`, locked by its owner while
it lives, so one left by a killed render is known as stale and removed by the next), then commits under
the folder's lock (`.jcredit.lock`, fcntl.flock): the manifest first drops the entries of the files about to
be replaced, the files are moved in one by one, and the manifest that lists them with their SHA-256 is
moved in last. At no moment does manifest.json name a file whose hash it does not match, and two renders
into one folder at once each keep their entry.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Mapping

from toolkit import __version__
from toolkit.calculate.engine import Calculation
from toolkit.documents.model import Document
from toolkit.errors import OutputError
from toolkit.problems import Location, Problem
from toolkit.read.hashing import sha256
from toolkit.render.calculation_report import exact

MANIFEST = "manifest.json"
FORMATS = ("pdf", "docx", "xlsx")
LOCK = ".jcredit.lock"
STAGING = ".jcredit-staging-"
STAGING_LOCK = ".lock"
LOCK_WAIT = 60.0  # seconds to wait for another render's commit (a commit takes milliseconds)
STALE_AFTER = 10.0  # a staging folder younger than this may not hold its lock yet: left alone
LEGACY_STALE_AFTER = 3600.0
INPUT_FOLDERS = ("monitoring", "evidence", "templates")
ROOT_INPUTS = (
    "project.yaml",
    "project.xlsx",
    "factors.yaml",
    "other_programs.csv",
    "activities.xlsx",
    "review.yaml",
)


def _renderer(fmt: str) -> Callable:
    # imported only for the formats asked for: WeasyPrint and python-docx are slow to load
    if fmt == "pdf":
        from toolkit.render import pdf

        return lambda document, path, overrides: pdf.render(document.printed(), path, overrides)
    if fmt == "docx":
        from toolkit.render import docx

        return lambda document, path, overrides: docx.render(document.printed(), path, overrides)
    from toolkit.render import xlsx

    return lambda document, path, overrides: xlsx.render(document, path)


def publish(
    document: Document,
    calculation: Calculation,
    outdir: Path,
    formats: tuple[str, ...],
    overrides: Path | None = None,
    force: bool = False,
) -> list[Path]:
    """Render `document` in `formats` into `outdir` and record it in the folder's manifest.json.

    Files of an earlier render are replaced only with `force`; other documents' entries in the manifest
    are kept. A folder inside the project's inputs is refused.
    """
    names = {
        fmt: Path(document.files.get(fmt, f"{document.kind}.{fmt}")).name for fmt in formats
    }  # never a path
    project = calculation.project
    if project is not None:
        refuse_inputs(outdir, project.root, [project.project_file, *project.files], folder=True)
    _refuse_existing(outdir, names, force)
    created = not outdir.exists()
    try:
        with _staging(outdir, created) as staging:
            for fmt, name in names.items():
                _renderer(fmt)(document, staging / name, overrides)
            entry = _entry(
                document, calculation, staging, names
            )  # hashed before the lock: commits stay short
            with folder_lock(outdir):
                _refuse_existing(outdir, names, force, meanwhile=True)
                return _commit(staging, outdir, names, document, entry)
    except OSError as error:
        raise not_writable(outdir, error) from error


def _refuse_existing(outdir: Path, names: Mapping[str, str], force: bool, meanwhile: bool = False) -> None:
    existing = sorted(name for name in names.values() if (outdir / name).exists())
    if (outdir / MANIFEST).exists() and not _read_manifest(outdir):
        existing.append(MANIFEST)  # a manifest.json that is not ours is a user's file
    if existing and not force:
        code = "render_busy_wrote" if meanwhile else "exists"
        raise OutputError(
            f"{outdir}: " + ", ".join(existing),
            [Problem(code, location=Location(str(outdir / name))) for name in existing],
        )


@contextlib.contextmanager
def _staging(outdir: Path, created: bool) -> Iterator[Path]:
    """A locked staging folder inside `outdir` (created when missing), removed afterwards with any stale ones.

    A folder this render created is removed again if it ends empty (nothing was committed).
    """
    staging, handle = None, None
    try:
        for attempt in range(3):  # a concurrent render may remove the empty folder it created meanwhile
            try:
                outdir.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=outdir))
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        handle = open(staging / STAGING_LOCK, "wb")  # noqa: SIM115 - held for the staging folder's life
        fcntl.flock(handle, fcntl.LOCK_EX)
        remove_stale_staging(outdir)
        yield staging
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if handle is not None:
            handle.close()
        if created:
            with contextlib.suppress(OSError):
                outdir.rmdir()  # only if empty: this render committed nothing and no other is at work


def remove_stale_staging(outdir: Path) -> list[Path]:
    """Remove the staging folders of killed renders in `outdir` (unlocked and not brand new); returns them.

    Earlier releases staged in `.<folder name>.jcredit-*` without a lock: those go once an hour old.
    """
    removed = []
    legacy = f".{outdir.name}.jcredit-"
    try:
        candidates = [entry for entry in outdir.iterdir() if entry.name.startswith((STAGING, legacy))]
    except OSError:
        return removed
    for entry in candidates:
        try:
            age = time.time() - entry.lstat().st_mtime
            if not entry.is_dir() or entry.is_symlink() or age < STALE_AFTER:
                continue
            if entry.name.startswith(STAGING):
                with open(entry / STAGING_LOCK, "ab") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while its render is alive
                    shutil.rmtree(entry)
            elif age > LEGACY_STALE_AFTER:
                shutil.rmtree(entry)
            else:
                continue
        except OSError:  # locked (alive), or gone meanwhile
            continue
        removed.append(entry)
    return removed
    for entry in candidates:
        try:
            if not entry.is_dir() or entry.is_symlink() or time.time() - entry.stat().st_mtime < STALE_AFTER:
                continue
            with open(entry / STAGING_LOCK, "ab") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: its render is alive
                shutil.rmtree(entry)
        except FileNotFoundError:  # no lock file: a render killed before it took its lock
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue
        removed.append(entry)
    return removed


@contextlib.contextmanager
def folder_lock(outdir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of output folder `outdir`; OutputError (another render is writing here) after `wait` s."""
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    path = outdir / LOCK
    while True:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if time.monotonic() >= deadline:
                raise OutputError(
                    str(outdir), [Problem("render_busy", location=Location(str(outdir)))]
                ) from None
            time.sleep(0.05)
            continue
        except BaseException:
            os.close(handle)
            raise
        break
    try:
        yield
    finally:
        os.close(handle)


def _commit(
    staging: Path, outdir: Path, names: Mapping[str, str], document: Document, entry: dict
) -> list[Path]:
    previous = _read_manifest(outdir)
    replaced = set(names.values())
    kept = {  # other documents' entries, unless a file they list is about to be replaced
        kind: other
        for kind, other in _documents(previous).items()
        if kind != document.kind and not replaced & _outputs_of(other)
    }
    if set(_documents(previous)) - set(kept):
        # first forget what is about to be replaced: a kill between the moves below leaves a manifest
        # that lists fewer files, never one whose SHA-256 no longer matches
        _write_manifest(staging, outdir, _manifest(kept, document.built.isoformat()))
    for name in names.values():
        _sync(staging / name)
        os.replace(staging / name, outdir / name)
    _write_manifest(staging, outdir, _manifest({**kept, document.kind: entry}, document.built.isoformat()))
    return [outdir / name for name in [*names.values(), MANIFEST]]


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_manifest(staging: Path, outdir: Path, manifest: dict) -> None:
    temporary = staging / MANIFEST
    temporary.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    _sync(temporary)
    os.replace(temporary, outdir / MANIFEST)


def _documents(manifest: Mapping) -> dict:
    documents = manifest.get("documents")
    return dict(documents) if isinstance(documents, dict) else {}


def _outputs_of(entry) -> set[str]:
    outputs = entry.get("outputs") if isinstance(entry, dict) else None
    return {str(output.get("path")) for output in outputs or () if isinstance(output, dict)}


def _read_manifest(outdir: Path) -> dict:
    """The folder's manifest if it is one of ours, else {}."""
    try:
        found = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) and found.get("toolkit") == "jcredit-toolkit" else {}


def _manifest(documents: Mapping, built: str) -> dict:
    return {
        "toolkit": "jcredit-toolkit",
        "version": __version__,
        "built": built,
        "documents": dict(documents),
    }


def _entry(document: Document, calculation: Calculation, staging: Path, names: Mapping[str, str]) -> dict:
    project = calculation.project
    inputs = []
    if project is not None:
        files = [project.project_file, *project.files, project.root / "factors.yaml"]
        for path in sorted({path for path in files if path.is_file()}):
            inputs.append({"path": project.relative(path), "sha256": sha256(path)})
    # the evidence register (B.5): in a final document only in the workbook annex and here, never printed
    register = next((table for table in document.tables() if table.id == "evidence"), None)
    evidence = {}
    if register is not None:
        evidence["evidence"] = [
            {"activity_id": row.get("activity_id"), "path": row.get("file"), "sha256": row.get("sha256")}
            for row in register.rows
        ]
    return {
        **evidence,
        "title": document.title,
        "draft": document.draft,
        "open_items": len(document.open_items),
        "methodology": calculation.methodology,
        "rules_version": calculation.rules_version,
        "inputs": inputs,
        "factors": [
            {
                "name": ref.name,
                "fiscal_year": ref.fiscal_year,
                "value": exact(ref.value),
                "unit": ref.unit,
                "status": ref.status,
                "source": ref.source,
            }
            for ref in calculation.factors_used
        ],
        "outputs": [
            {"path": name, "format": fmt, "sha256": sha256(staging / name)} for fmt, name in names.items()
        ],
    }


def not_writable(target: Path, error: OSError) -> OutputError:
    """The OutputError for an output that could not be written, with the system's reason."""
    reason = error.strerror or str(error)
    if error.errno == errno.ENAMETOOLONG:
        reason = f"{reason} ({len(target.name)})"
    return OutputError(
        str(error),
        [Problem("not_writable", location=Location(str(target)), params={"reason": reason})],
    )


def refuse_inputs(target: Path, root: Path, files=(), folder: bool = False) -> None:
    """OutputError when output `target` lies among the project's inputs: in its monitoring/, evidence/ or
    templates/ folder, on one of its input `files`, or (an output folder) on the project folder itself."""
    try:
        place = target.resolve()
        root = root.resolve()
        files = {Path(path).resolve() for path in (*files, *(root / name for name in ROOT_INPUTS))}
    except (OSError, RuntimeError):
        return  # not resolvable (a loop): writing it fails later with its own message
    inside = any(place.is_relative_to(root / name) for name in INPUT_FOLDERS)
    if inside or place in files or (folder and place == root):
        raise OutputError(
            str(target),
            [Problem("output_in_inputs", location=Location(str(target)), params={"folder": str(root)})],
        )


def write_file(path: Path, write: Callable[[Path], None], force: bool = False) -> None:
    """Write one report file whole (a temporary file moved into place); an existing regular file only with
    `force`, and never over anything else (a folder, a device). Any failure is an OutputError (exit 1)."""
    try:
        exists = path.exists() or path.is_symlink()
        regular = path.is_file() and not path.is_symlink()
    except OSError as error:
        raise not_writable(path, error) from error
    if exists and not (force and regular):
        code = "exists" if regular else "output_not_regular"  # --force would not help with a folder or a FIFO
        raise OutputError(str(path), [Problem(code, location=Location(str(path)))])
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".jcredit-", suffix=".tmp", dir=path.parent)
        os.close(descriptor)
        temporary = Path(name)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; the report should not be
        write(temporary)
        _sync(temporary)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise not_writable(path, error) from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):  # on a read-only or full disk the clean-up may fail too
                temporary.unlink()
