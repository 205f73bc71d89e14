"""Read YAML as people write it, recording the line of every value under its dotted path.

Scalars follow YAML 1.2 rather than PyYAML's 1.1: 0600001 stays the text "0600001" (not octal),
1:30 stays text (not base 60), and only true/false are booleans (not yes/no/on/off). Floats keep
their written digits as Decimal. Limits keep a small file from exhausting the machine.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from toolkit import messages
from toolkit.problems import Location, Problem

MAX_NODES = 200_000  # far beyond any project; stops alias bombs (a few lines expanding to billions)
MAX_EXPONENT = 1000  # 1e99999999 is a typo, and printing it would take gigabytes
_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_FLOAT, _INT, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$"
    ),
    list("-+0123456789."),
)


class _TooLarge(Exception):
    pass


def read_yaml(
    path: Path, name: str, places: dict[str, Location], problems: list[Problem], prefix: str = ""
) -> Any:
    """Parse a YAML file into plain values; problems are appended, not raised. `name` is how messages call the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem("not_readable", "", Location(name), {"reason": error.strerror or str(error)}))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem("not_utf8", "", Location(name), {"encoding": _guess_encoding(raw)}))
        return None
    try:
        loader = _Loader(text)  # the reader refuses control characters (\x00 ...) right here
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        problems.append(
            Problem(
                "yaml_syntax",
                "",
                Location(name, line),
                {
                    "problem": messages.yaml_problem(
                        f"control character U+{error.character:04X} is not allowed"
                    )
                },
            )
        )
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        # a table file is a list of rows, or a mapping whose key names the table
        builder = _Builder(loader, name, places, problems)
        return builder.build(node, prefix if isinstance(node, yaml.SequenceNode) else "")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(text) - 1):
            mark = (
                error.context_mark
            )  # an unclosed quote or bracket: where it opened, not the end of the file
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        problems.append(
            Problem(
                "yaml_syntax",
                "",
                where,
                {"problem": messages.yaml_problem(error.problem or error.context or "")},
            )
        )
    except yaml.YAMLError as error:
        problems.append(
            Problem("yaml_syntax", "", Location(name), {"problem": messages.yaml_problem(str(error))})
        )
    except _TooLarge:
        problems.append(Problem("yaml_too_large", "", Location(name), {"limit": f"{MAX_NODES:,}"}))
    except RecursionError:
        problems.append(Problem("yaml_too_deep", "", Location(name)))
    finally:
        loader.dispose()
    return None


class _Builder:
    def __init__(
        self, loader: yaml.SafeLoader, name: str, places: dict[str, Location], problems: list[Problem]
    ):
        self.loader = loader
        self.name = name
        self.places = places
        self.problems = problems
        self.nodes = 0

    def build(self, node: yaml.Node, path: str) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict = {}
            first_line: dict = {}
            for key_node, value_node in node.value:
                # the key as written: `null:` is the key "null", not None
                key = (
                    key_node.value
                    if isinstance(key_node, yaml.ScalarNode)
                    else str(self.loader.construct_object(key_node))
                )
                line = key_node.start_mark.line + 1
                if not str(key).strip() or ("." in str(key) and "[" not in path):
                    # "" names nothing, and `project.name:` is no path: both would be reported at no
                    # place or at another key's line
                    self.problems.append(
                        Problem(
                            "yaml_key_empty" if not str(key).strip() else "yaml_key_dotted",
                            "",
                            Location(self.name, line, key_node.start_mark.column + 1),
                            {"key": key, "nested": _nested(str(key))},
                        )
                    )
                    continue
                child = f"{path}.{key}" if path else key
                if key in result:
                    self.problems.append(
                        Problem(
                            "yaml_duplicate_key",
                            child,
                            Location(self.name, line),
                            {"key": key, "first": first_line[key]},
                        )
                    )
                first_line[key] = line
                self.places[child] = Location(self.name, line)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = f"{path}[{index}]"
                self.places[child] = Location(self.name, item.start_mark.line + 1)
                items.append(self.build(item, child))
            return items
        if node.tag == _FLOAT:  # keep the digits as written: 0.000441 must not pass through float
            try:
                number = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value
            return number if abs(number.adjusted()) <= MAX_EXPONENT else node.value
        if (
            isinstance(node, yaml.ScalarNode)
            and node.style != "|"
            and node.start_mark.line != node.end_mark.line
            and node.tag == "tag:yaml.org,2002:str"
        ):
            return joined(node.value, self.loader.buffer[node.start_mark.index : node.end_mark.index])
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:  # 2025-02-30 looks like a date to YAML; normalisation explains what is wrong
            return node.value


_WIDE_BREAK = re.compile(r"(\S{1,4})[ \t]*\r?\n[ \t]*(\S{1,4})")


_CLOSING, _OPENING = "、。，．）」』】", "（「『【"  # after or before these, no space even next to Latin text


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def joined(value: str, source: str) -> str:
    """A folded scalar (`>` or a plain or quoted one over several lines) as Japanese reads it: YAML joins
    its lines with a space, which between two Japanese characters (設置した 住宅用) is a stray; a space the
    writer typed on one line (株式会社 本社工場) and a break next to Latin text (設置した LED) stay."""
    start = 0
    for match in _WIDE_BREAK.finditer(source):
        tail, head = match[1], match[2]
        if not (_wide(tail[-1]) and _wide(head[0]) or tail[-1] in _CLOSING or head[0] in _OPENING):
            continue
        found = value.find(f"{tail} {head}", start)
        if found < 0:
            continue
        value = value[: found + len(tail)] + value[found + len(tail) + 1 :]
        start = found + len(tail)
    return value


def _nested(key: str) -> str:
    """A dotted key as the nested YAML it stands for: `project.name` -> `project: {name: …}`."""
    parts = [part for part in key.split(".") if part]
    text = "…"
    for part in reversed(parts):
        text = f"{part}: {{{text}}}" if text != "…" else f"{part}: …"
    return text


def _guess_encoding(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    try:
        raw.decode("cp932")
        return "Shift_JIS"
    except UnicodeDecodeError:
        return "?"
