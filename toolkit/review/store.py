"""review.yaml: the comments of a review, read with a located problem for every wrong entry, written whole.

The file stays readable and diffable by hand: comments in id order, one block each with its keys in a fixed
order, a blank line between blocks. It is read through the project's confinement (a review.yaml that is a
symbolic link out of the project is neither read nor replaced) and written atomically (a temporary file in
the project folder, then renamed over it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from toolkit import messages
from toolkit.errors import InputError, OutputError
from toolkit.problems import Location, Problem
from toolkit.read.confine import Context, check_inside_project
from toolkit.read.yamlfile import read_yaml

FILE = "review.yaml"
STATUSES = ("open", "resolved")
KEYS = ("id", "path", "row", "author", "date", "status", "blocking", "text", "replies")
REPLY_KEYS = ("author", "date", "text")
REQUIRED = ("id", "path", "date", "status", "text")
_ID = re.compile(r"^C([1-9][0-9]*)$")
HEADER = (
    "# レビューコメント（jcredit review add / reply / resolve で編集。手で直しても構いません）\n"
    "# Review comments (edited by jcredit review add / reply / resolve; editing by hand is fine)\n"
)


@dataclass(frozen=True)
class Reply:
    """An answer to a comment: who, when, what."""

    author: str
    date: dt.date
    text: str


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment on one data path; `line` is where review.yaml has it (None before it is written)."""

    id: str
    path: str
    author: str
    date: dt.date
    text: str
    status: str = "open"
    blocking: bool = False
    replies: tuple[Reply, ...] = ()
    line: int | None = None
    # the key of the table row the path names (`PV-03`), so the comment follows its row when rows are
    # inserted or removed (comments.follow); "" for a field outside the tables
    row: str = ""
    gone: bool = field(default=False, compare=False)  # set by comments.follow: the project no longer has it

    @property
    def open(self) -> bool:
        """Whether the comment still waits for an answer (status open)."""
        return self.status == "open"

    @property
    def number(self) -> int:
        """The number in its id (C12 -> 12), for ordering."""
        found = _ID.match(self.id)
        return int(found[1]) if found else 0

    @property
    def location(self) -> Location:
        """Where review.yaml holds the comment."""
        return Location(FILE, self.line)


@dataclass
class Review:
    """The comments of one project folder, in id order, and the problems met reading them."""

    root: Path
    comments: list[Comment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, comment_id: str) -> Comment:
        """The comment `comment_id`; InputError naming the known ids when there is none."""
        for comment in self.comments:
            if comment.id == comment_id.strip().upper():
                return comment
        known = ", ".join(comment.id for comment in self.comments) or "—"
        raise InputError(
            f"no comment {comment_id}",
            [Problem("review_unknown_id", "", Location(FILE), {"found": comment_id, "known": known})],
        )

    def next_id(self) -> str:
        """The id of a new comment: one past the highest, never reusing a removed one's."""
        return f"C{max((comment.number for comment in self.comments), default=0) + 1}"

    def replace(self, comment: Comment) -> None:
        """Put `comment` in place of the one with its id, or add it."""
        self.comments = [kept for kept in self.comments if kept.id != comment.id] + [comment]
        self.comments.sort(key=lambda kept: (kept.number, kept.id))


@contextlib.contextmanager
def locked(root: Path):
    """Hold the project folder's review lock while reading, changing and writing review.yaml: two `review add`
    at once both land (an advisory flock on the folder itself, so no lock file is left behind)."""
    try:
        descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # not a folder we can open: reading or writing review.yaml says why
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def path_of(root: Path) -> Path:
    """review.yaml of a project folder."""
    return Path(root) / FILE


def _confined(root: Path) -> None:
    refused = check_inside_project(True, FILE, {}, Context(Path(root)))
    if refused:
        raise InputError(
            f"{FILE} leads outside the project",
            [Problem(refused.pop("variant"), "", Location(FILE), refused)],
        )


_READ: dict[tuple, Review] = {}  # the last reading of each file, by its identity: a command reads it once


def read(root: Path) -> Review:
    """The comments of the project folder `root` (none without a review.yaml); every problem is collected."""
    path = path_of(root)
    if not (path.exists() or path.is_symlink()):
        return Review(Path(root))
    _confined(root)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _READ:
        kept = _READ[key]
        return Review(Path(root), list(kept.comments), list(kept.problems))
    review = _parsed(Path(root), path)
    if key is not None:
        _READ.clear()
        _READ[key] = Review(review.root, list(review.comments), list(review.problems))
    return review


def _parsed(root: Path, path: Path) -> Review:
    review = Review(root)
    places: dict[str, Location] = {}
    data = read_yaml(path, FILE, places, review.problems)
    if data is None:
        return review
    entries = data.get("comments") if isinstance(data, dict) else None
    if isinstance(data, dict) and entries is None:
        entries = []  # `comments:` with nothing under it: no comments yet
    if not isinstance(data, dict) or not isinstance(entries, list):
        where = places.get("comments", Location(FILE, 1))
        review.problems.append(Problem("review_shape", "comments", where, {"found": entries}))
        return review
    for key in data:
        if key != "comments":
            review.problems.append(_unknown(key, key, places, ("comments",)))
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        comment = _comment(entry, f"comments[{index}]", places, review.problems)
        if comment is None:
            continue
        if comment.id in seen:
            review.problems.append(
                Problem(
                    "review_duplicate_id",
                    f"comments[{index}].id",
                    places.get(f"comments[{index}].id"),
                    {"found": comment.id, "first": seen[comment.id]},
                )
            )
            continue
        seen[comment.id] = comment.line or 0
        review.comments.append(comment)
    review.comments.sort(key=lambda kept: (kept.number, kept.id))
    return review


def read_valid(root: Path) -> Review:
    """The comments of `root`; InputError listing every problem of review.yaml when it has any."""
    review = read(root)
    if review.problems:
        raise InputError(f"{FILE}: {len(review.problems)} problems", review.problems)
    return review


def _unknown(key: str, path: str, places: dict, known: tuple[str, ...]) -> Problem:
    return Problem(
        "review_unknown_key",
        path,
        places.get(path, Location(FILE)),
        {"found": key, "known": ", ".join(known)},
    )


def _comment(entry: Any, path: str, places: dict, problems: list[Problem]) -> Comment | None:
    where = places.get(path, Location(FILE))
    if not isinstance(entry, dict):
        problems.append(Problem("review_entry", path, where, {"found": entry}))
        return None
    before = len(problems)
    for key in entry:
        if key not in KEYS:
            problems.append(_unknown(key, f"{path}.{key}", places, KEYS))
    for key in REQUIRED:
        if entry.get(key) in (None, ""):
            problems.append(Problem("review_required", f"{path}.{key}", where, {"key": key}))
    value = {key: entry.get(key) for key in KEYS}
    found_id = str(value["id"] or "").strip().upper()
    if value["id"] not in (None, "") and not _ID.match(found_id):
        problems.append(_wrong(path, "id", places, "C1, C2 …", value["id"]))
    for key in ("path", "row", "author", "text"):
        if value[key] is not None and not isinstance(value[key], str):
            problems.append(_wrong(path, key, places, messages.TYPE_NAMES["string"], value[key]))
    if value["date"] not in (None, "") and not isinstance(value["date"], dt.date):
        problems.append(_wrong(path, "date", places, messages.TYPE_NAMES["date"], value["date"]))
    if value["status"] not in (None, "") and value["status"] not in STATUSES:
        problems.append(_wrong(path, "status", places, " / ".join(STATUSES), value["status"]))
    if value["blocking"] is not None and not isinstance(value["blocking"], bool):
        problems.append(_wrong(path, "blocking", places, "true / false", value["blocking"]))
    replies = []
    if value["replies"] is not None and not isinstance(value["replies"], list):
        problems.append(_wrong(path, "replies", places, messages.TYPE_NAMES["list"], value["replies"]))
    for number, reply in enumerate(value["replies"] or [] if isinstance(value["replies"], list) else []):
        replies.append(_reply(reply, f"{path}.replies[{number}]", places, problems))
    if len(problems) > before:
        return None
    return Comment(
        found_id,
        value["path"].strip(),
        value["author"] or "",
        value["date"],
        value["text"],
        value["status"],
        bool(value["blocking"]),
        tuple(replies),
        where.line,
        (value["row"] or "").strip(),
    )


def _reply(entry: Any, path: str, places: dict, problems: list[Problem]) -> Reply:
    where = places.get(path, Location(FILE))
    if not isinstance(entry, dict):
        problems.append(Problem("review_entry", path, where, {"found": entry}))
        return Reply("", dt.date.min, "")
    for key in entry:
        if key not in REPLY_KEYS:
            problems.append(_unknown(key, f"{path}.{key}", places, REPLY_KEYS))
    for key in ("date", "text"):
        if entry.get(key) in (None, ""):
            problems.append(Problem("review_required", f"{path}.{key}", where, {"key": key}))
    if entry.get("date") not in (None, "") and not isinstance(entry.get("date"), dt.date):
        problems.append(_wrong(path, "date", places, messages.TYPE_NAMES["date"], entry["date"]))
    for key in ("author", "text"):
        if entry.get(key) is not None and not isinstance(entry.get(key), str):
            problems.append(_wrong(path, key, places, messages.TYPE_NAMES["string"], entry[key]))
    return Reply(entry.get("author") or "", entry.get("date"), entry.get("text"))


def _wrong(path: str, key: str, places: dict, expected: Any, found: Any) -> Problem:
    return Problem(
        "type",
        f"{path}.{key}",
        places.get(f"{path}.{key}", places.get(path, Location(FILE))),
        {"expected": expected, "found": found},
    )


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line text as a literal block (|), so a reply reads as written."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value and value == value.strip() + "\n" * value.endswith("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dumps(comments: list[Comment]) -> str:
    """The text of review.yaml: a header, then one block per comment in id order, keys in a fixed order."""
    blocks = []
    for comment in sorted(comments, key=lambda kept: (kept.number, kept.id)):
        entry: dict[str, Any] = {
            "id": comment.id,
            "path": comment.path,
            **({"row": comment.row} if comment.row else {}),
            "author": comment.author,
            "date": comment.date,
            "status": comment.status,
        }
        if comment.blocking:
            entry["blocking"] = True
        entry["text"] = comment.text
        if comment.replies:
            entry["replies"] = [
                {"author": reply.author, "date": reply.date, "text": reply.text} for reply in comment.replies
            ]
        text = yaml.dump(
            [entry], Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
        )
        blocks.append(text)
    return HEADER + "comments:\n" + "\n".join(blocks) if blocks else HEADER + "comments: []\n"


def write(review: Review) -> Path:
    """Replace review.yaml with `review`'s comments, whole or not at all; OutputError when it cannot be written."""
    _confined(review.root)
    path = path_of(review.root)
    text = dumps(review.comments)
    temporary = None
    try:
        descriptor, name = tempfile.mkstemp(prefix=".review-", suffix=".tmp", dir=review.root)
        temporary = Path(name)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(
            str(path), [Problem("not_writable", "", Location(FILE), {"reason": reason})]
        ) from error
    finally:
        if temporary is not None:
            try:
                temporary.unlink()
            except OSError:
                pass
    return path
