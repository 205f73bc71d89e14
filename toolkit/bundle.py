"""Output folders written whole or not at all, with manifest.json: versions, inputs, factors and outputs with hashes."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Mapping

from toolkit import __version__
from toolkit.calculate.engine import Calculation
from toolkit.documents.model import Document
from toolkit.errors import OutputError
from toolkit.problems import Location, Problem
from toolkit.read.hashing import sha256

MANIFEST = "manifest.json"
FORMATS = ("pdf", "docx", "xlsx")


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

    Everything is rendered into a staging folder beside `outdir` first; only when every file is
    complete are they moved in (a new `outdir` is renamed into place whole). Files of an earlier
    render are replaced only with `force`; other documents' entries in the manifest are kept.
    """
    names = {
        fmt: Path(document.files.get(fmt, f"{document.kind}.{fmt}")).name for fmt in formats
    }  # never a path
    existing = sorted(name for name in names.values() if (outdir / name).exists())
    if (outdir / MANIFEST).exists() and not _read_manifest(outdir):
        existing.append(MANIFEST)  # a manifest.json that is not ours is a user's file
    if existing and not force:
        raise OutputError(
            f"{outdir}: " + ", ".join(existing),
            [Problem("exists", location=Location(str(outdir / name))) for name in existing],
        )
    try:
        # staged beside the outputs' final place, so every move is a rename on one file system
        where = outdir if outdir.is_dir() else outdir.parent
        where.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.jcredit-", dir=where))
    except OSError as error:
        raise _not_writable(outdir, error) from error
    try:
        for fmt, name in names.items():
            _renderer(fmt)(document, staging / name, overrides)
        manifest = _manifest(_read_manifest(outdir), document, calculation, staging, names)
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        return _move_into(staging, outdir, [*names.values(), MANIFEST])
    except OSError as error:
        raise _not_writable(outdir, error) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into(staging: Path, outdir: Path, names: list[str]) -> list[Path]:
    if not outdir.exists():
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp made it private; the folder it becomes should not be
        os.rename(staging, outdir)  # a new folder appears whole
    else:
        for name in names:  # each file replaced whole; the manifest last, once its outputs are in place
            os.replace(staging / name, outdir / name)
    return [outdir / name for name in names]


def _read_manifest(outdir: Path) -> dict:
    """The folder's manifest if it is one of ours, else {}."""
    try:
        found = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) and found.get("toolkit") == "jcredit-toolkit" else {}


def _manifest(
    previous: Mapping, document: Document, calculation: Calculation, staging: Path, names: Mapping[str, str]
) -> dict:
    project = calculation.project
    inputs = []
    if project is not None:
        files = [project.project_file, *project.files, project.root / "factors.yaml"]
        for path in sorted({path for path in files if path.is_file()}):
            inputs.append({"path": project.relative(path), "sha256": sha256(path)})
    entry = {
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
                "value": format(ref.value.normalize(), "f"),
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
    documents = dict(previous.get("documents") or {}) if isinstance(previous.get("documents"), dict) else {}
    documents[document.kind] = entry
    return {
        "toolkit": "jcredit-toolkit",
        "version": __version__,
        "built": document.built.isoformat(),
        "documents": documents,
    }


def _not_writable(outdir: Path, error: OSError) -> OutputError:
    return OutputError(
        str(error),
        [
            Problem(
                "not_writable",
                location=Location(str(outdir)),
                params={"reason": error.strerror or str(error)},
            )
        ],
    )


def write_file(path: Path, write: Callable[[Path], None], force: bool = False) -> None:
    """Write one report file whole (a temporary file moved into place); an existing regular file only with
    `force`, and never over anything else (a folder, a device)."""
    try:
        exists = path.exists() or path.is_symlink()
        regular = path.is_file() and not path.is_symlink()
    except OSError as error:
        raise _not_writable(path, error) from error
    if exists and not (force and regular):
        raise OutputError(str(path), [Problem("exists", location=Location(str(path)))])
    temporary = path.with_name(f".{path.name}.jcredit-tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise _not_writable(path, error) from error
    finally:
        temporary.unlink(missing_ok=True)
