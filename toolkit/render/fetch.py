"""What a PDF may load: images inside the project's templates/ folder (a logo), and nothing else.

Imported only when a PDF is written: the fetcher subclasses WeasyPrint's `URLFetcher` (WeasyPrint 68 and later;
setup.cfg pins the range tested), which takes a `fetch` method instead of the plain function of older versions.
"""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from toolkit.read.confine import Context, check_inside_project

IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # a logo is tens of kilobytes; a scanned page would be a few megabytes
# where a template or a stylesheet names something to load: src= href= data= poster=, url(...), @import "..."
_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|data|poster)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])([^"'\s)>]+)""", re.IGNORECASE
)


class Refused(FatalURLFetchingError):
    """Raised when a template or stylesheet names a resource the PDF may not load; it stops the rendering."""

    def __init__(self, url: str, reason: str):
        super().__init__(url)
        self.url = url
        self.reason = reason


class ProjectImages(URLFetcher):
    """Loads images from a project's templates/ folder (links confined to the project) and refuses the rest."""

    def __init__(self, overrides: Path | None):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self.overrides = overrides
        self.context = Context(overrides.parent) if overrides is not None else None
        # relative URLs in an override resolve against its html/ folder, spelled as the fetcher will check it
        folder = self.context.root / overrides.name / "html" if self.context else None
        self.base = folder.as_uri() + "/" if folder else "file:///nowhere/"

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """The image at a file: URL inside the project's templates/ folder; `Refused` for anything else."""
        parts = urlsplit(url)
        if parts.scheme != "file" or self.overrides is None or self.context is None:
            raise Refused(url, "outside")
        path = Path(os.path.normpath(url2pathname(unquote(parts.path))))
        folder = self.context.root / self.overrides.name
        if not path.is_relative_to(folder):
            raise Refused(url, "outside")
        if check_inside_project(True, path.relative_to(self.context.root).as_posix(), {}, self.context):
            raise Refused(url, "link")
        if path.suffix.lower() not in IMAGES:
            raise Refused(url, "not_image")
        try:
            with open(path, "rb") as file:
                body = file.read(MAX_IMAGE_BYTES + 1)
        except OSError as error:
            raise Refused(url, error.strerror or "unreadable") from error
        if len(body) > MAX_IMAGE_BYTES:
            raise Refused(url, "too_large")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})


REASONS = {
    "outside": (
        "外部のリソースは読み込みません。使えるのはプロジェクトの templates/ フォルダ内の画像だけです",
        "external resources are not loaded; only images inside the project's templates/ folder are",
    ),
    "link": (
        "templates/ 内のシンボリックリンクがプロジェクトフォルダの外を指しています",
        "a symbolic link in templates/ leads outside the project folder",
    ),
    "not_image": (
        f"画像（{', '.join(sorted(IMAGES))}）だけを読み込めます",
        f"only images ({', '.join(sorted(IMAGES))}) are loaded",
    ),
    "too_large": (
        f"画像が {MAX_IMAGE_BYTES // 1024 // 1024} MB を超えています",
        f"the image is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB",
    ),
}


def explain(refused: Refused) -> str:
    """Why a resource was refused, in Japanese and English, as the toolkit's template errors read."""
    ja, en = REASONS.get(
        refused.reason, ("読み込めません: " + refused.reason, "cannot be read: " + refused.reason)
    )
    return f"{en} ({ja}): {refused.url}"


def where(url: str, base: str, overrides: Path | None) -> str:
    """The override file and line that names `url` (resolved against `base`), or "" when none does."""
    if overrides is None:
        return ""
    context = Context(overrides.parent)
    wanted = unquote(url)
    found = [
        Path(folder, name) for folder, _, names in os.walk(overrides) for name in names
    ]  # links not walked
    for path in sorted(found):
        relative = path.relative_to(overrides.parent).as_posix()
        if path.suffix.lower() not in (".html", ".css") or check_inside_project(True, relative, {}, context):
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            for match in _REFERENCE.finditer(line):
                if unquote(urljoin(base, match.group(1))) == wanted or match.group(1) == url:
                    return f"{path}:{number}"
    return ""
