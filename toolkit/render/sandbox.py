"""The Jinja sandbox with bounds: what a template (a project's override included) may spend.

Jinja's own sandbox keeps templates away from Python; it does not keep them from exhausting the machine: nested
`range(99999)` loops run for hours and `{{ "x" * 2000000000 }}` asks for 2 GB. Here every loop counts its
iterations against one budget and a clock, every way of making a long text or list from a short one is checked
before it runs, and the output is counted. A template over a limit stops with `TemplateLimit` at its line.
The limits are far above what the packaged templates need for a 50,000-activity list (about 1 million loop
iterations and 11 million characters).
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any, Iterable, Iterator

from jinja2 import nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.sandbox import SandboxedEnvironment, _mutable_spec, modifies_known_mutable
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

MAX_RANGE = 10_000  # numbers in one range()
MAX_ITEMS = 100_000  # items in a list made by `*` or `+`
MAX_TEXT = 1_000_000  # characters in a text made by `*`, `%`, `+`, `~` or a filter
MAX_OUTPUT = 100_000_000  # characters a rendering writes in all
MAX_ITERATIONS = 10_000_000  # loop iterations in one rendering
MAX_SECONDS = 120.0  # one rendering
MAX_INT_BITS = 65_536  # a number made by `*` or `**`
MAX_WIDTH = 10_000  # a field width in `%` formatting or a filter (center, indent, wordwrap)

# str methods that make a long text from a short one; the filters of the same name are checked instead
AMPLIFYING = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join", "format", "format_map"}
)
# names of the methods that change a list, dict, set or deque: only these need Jinja's (slower) type check
_MUTATING = frozenset(name for _, names in _mutable_spec for name in names)
_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")

LIMITS = {
    "range": ("range() は {limit:,} 個まで", "a range of at most {limit:,} numbers"),
    "items": ("リストは {limit:,} 項目まで", "a list of at most {limit:,} items"),
    "text": ("作る文字列は {limit:,} 文字まで", "a text of at most {limit:,} characters"),
    "output": ("出力は全体で {limit:,} 文字まで", "at most {limit:,} characters of output in all"),
    "iterations": ("繰り返しは全体で {limit:,} 回まで", "at most {limit:,} loop iterations in all"),
    "seconds": ("処理時間は {limit:,.0f} 秒まで", "at most {limit:,.0f} seconds"),
    "number": ("数は {limit:,} ビットまで", "a number of at most {limit:,} bits"),
    "width": ("幅の指定は {limit:,} まで", "a width of at most {limit:,}"),
    "method": (
        "文字列を長くするメソッドは使えません（フィルタを使う）",
        "no method that lengthens a text (use the filter)",
    ),
    "sum": ("sum は数だけを合計します", "sum adds numbers only"),
}


class TemplateLimit(TemplateRuntimeError):
    """Raised when a template goes over one of the sandbox's limits; it names the limit in Japanese and English."""

    def __init__(self, kind: str, limit: float = 0):
        ja, en = LIMITS[kind]
        super().__init__(
            f"the template goes over a limit of the sandbox: {en.format(limit=limit)} "
            f"(テンプレートの上限を超えました: {ja.format(limit=limit)})"
        )


class _Bounds(NodeTransformer):
    """Rewrites a parsed template: each loop's iterable is counted, each `~` is measured."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        static = sum(len(data.data) for output in node.body if isinstance(output, nodes.Output)
                     for data in output.nodes if isinstance(data, nodes.TemplateData))  # fmt: skip
        node.iter = _call("counted", node.iter, nodes.Const(static), lineno=node.lineno)
        return node

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        node = self.generic_visit(node)
        if isinstance(node.node, nodes.Name) and node.node.name == "loop" and node.args:  # a recursive loop
            node.args[0] = _call("counted", node.args[0], nodes.Const(0), lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        return _call("joined", self.generic_visit(node), lineno=node.lineno)


def _call(name: str, *args: nodes.Expr, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name), list(args), [], None, None).set_lineno(lineno)


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, immutable (no list.append: a loop could double a list), with the bounds above; call
    `start()` before each rendering."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any):
        super().__init__(finalize=self.written, **options)
        self.globals["range"] = self.range
        self.binop_table.update({"*": _times, "**": _power, "%": _percent, "+": _plus})
        for name, check in CHECKED_FILTERS.items():
            self.filters[name] = check
        self.start()

    def start(self) -> None:
        """Reset the budget: one rendering starts."""
        self.iterations = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Bounds().visit(super()._parse(source, name, filename))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """No method that lengthens a text (center, ljust, replace ...): their filters are checked instead."""
        if attr in AMPLIFYING and isinstance(obj, str):
            return False
        if attr in _MUTATING and modifies_known_mutable(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """str.format and format_map are not offered at all (a width in them lengthens a text): use `%` or the
        format filter, whose widths are checked."""
        return None

    def unsafe_undefined(self, obj: Any, attribute: str):
        """An amplifying method says which limit it meets; other unsafe attributes as Jinja says."""
        if attribute in AMPLIFYING and isinstance(obj, str):
            raise TemplateLimit("method")
        return super().unsafe_undefined(obj, attribute)

    def range(self, *args: int) -> range:
        """range() of at most MAX_RANGE numbers."""
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise TemplateLimit("range", MAX_RANGE)
        return numbers

    def counted(self, items: Iterable, static: int = 0) -> Iterator:
        """A loop's items, each counted against the budget of iterations, output and time."""
        for item in items:
            self.iterations += 1
            self.output += static
            if self.iterations > MAX_ITERATIONS or self.output > MAX_OUTPUT or not self.iterations & 0x3FF:
                self.check()
            yield item

    def check(self) -> None:
        """Stop when the rendering went over its iterations, output or time."""
        if self.iterations > MAX_ITERATIONS:
            raise TemplateLimit("iterations", MAX_ITERATIONS)
        if self.output > MAX_OUTPUT:
            raise TemplateLimit("output", MAX_OUTPUT)
        if time.monotonic() > self.deadline:
            raise TemplateLimit("seconds", MAX_SECONDS)

    def joined(self, text: str) -> str:
        """A `~` concatenation, measured once made (its parts are bounded already)."""
        if len(text) > MAX_TEXT and not isinstance(text, Markup):
            raise TemplateLimit("text", MAX_TEXT)
        if len(text) > MAX_OUTPUT:
            raise TemplateLimit("output", MAX_OUTPUT)
        return text

    def written(self, value: Any) -> Any:
        """Every `{{ … }}` written, counted against the output budget."""
        if isinstance(value, str):
            self.output += len(value)
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            self.output += _weight(value, MAX_TEXT)
        else:
            self.output += 32
        if self.output > MAX_OUTPUT:
            raise TemplateLimit("output", MAX_OUTPUT)
        return value


def _weight(value: Any, limit: int) -> int:
    """About how many characters str(value) makes, stopping (with a TemplateLimit) past `limit`."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        else:
            total += 32
        if total > limit:
            raise TemplateLimit("text", limit)
    return total


def _times(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            if isinstance(sequence, str) and len(sequence) * count > MAX_TEXT:
                raise TemplateLimit("text", MAX_TEXT)
            if not isinstance(sequence, str):
                if len(sequence) * count > MAX_ITEMS:
                    raise TemplateLimit("items", MAX_ITEMS)
                if count > 0 and _weight(sequence, MAX_OUTPUT) * count > MAX_TEXT:
                    raise TemplateLimit("text", MAX_TEXT)
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise TemplateLimit("number", MAX_INT_BITS)
    return left * right


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)):
        exponent = abs(int(right))
        if exponent > MAX_INT_BITS or int(abs(left)).bit_length() * exponent > MAX_INT_BITS:
            raise TemplateLimit("number", MAX_INT_BITS)
    return left**right


def _percent(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _widths(left)
    return left % right


def _widths(pattern: str) -> None:
    for match in _WIDTH.finditer(pattern):
        for width in match.groups():
            if width == "*" or (width and int(width) > MAX_WIDTH):
                raise TemplateLimit("width", MAX_WIDTH)


def _plus(left: Any, right: Any) -> Any:
    result = left + right
    if isinstance(result, str) and len(result) > MAX_TEXT and not isinstance(result, Markup):
        raise TemplateLimit("text", MAX_TEXT)
    if isinstance(result, (list, tuple)) and len(result) > MAX_ITEMS:
        raise TemplateLimit("items", MAX_ITEMS)
    return result


def _center(value: Any, width: int = 80) -> str:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise TemplateLimit("width", MAX_WIDTH)
    return JINJA_FILTERS["center"](value, width)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    size = width if isinstance(width, int) else len(str(width))
    if size > MAX_WIDTH or (str(s).count("\n") + 1) * size > MAX_TEXT:
        raise TemplateLimit("width", MAX_WIDTH)
    return JINJA_FILTERS["indent"](s, width, first, blank)


def _wordwrap(environment: Any, s: Any, width: int = 79, *args: Any, **kwargs: Any) -> str:
    wrapstring = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
    if not isinstance(width, int) or width < 1 or len(wrapstring or "") > 16:
        raise TemplateLimit("width", MAX_WIDTH)
    return JINJA_FILTERS["wordwrap"](environment, s, width, *args, **kwargs)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if isinstance(value, str):
        _widths(value)
    return JINJA_FILTERS["format"](value, *args, **kwargs)


def _replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None) -> str:
    text, old, new = str(value), str(old), str(new)
    grows = (text.count(old) if old else len(text) + 1) * max(len(new) - len(old), 0)
    if len(text) + grows > MAX_TEXT:
        raise TemplateLimit("text", MAX_TEXT)
    return JINJA_FILTERS["replace"](eval_ctx, value, old, new, count)


def _join(eval_ctx: Any, value: Iterable, d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if len(items) > MAX_ITEMS:
        raise TemplateLimit("items", MAX_ITEMS)
    _weight(items, MAX_OUTPUT)
    if len(items) * len(str(d)) > MAX_TEXT:
        raise TemplateLimit("text", MAX_TEXT)
    return JINJA_FILTERS["join"](eval_ctx, items, d, attribute)


def _sum(environment: Any, iterable: Iterable, attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, (int, float, Decimal)):
        raise TemplateLimit("sum")
    return JINJA_FILTERS["sum"](environment, iterable, attribute, start)


def _string(value: Any) -> str:
    _weight(value, MAX_OUTPUT)
    return JINJA_FILTERS["string"](value)


_wordwrap.jinja_pass_arg = JINJA_FILTERS["wordwrap"].jinja_pass_arg  # type: ignore[attr-defined]
_replace.jinja_pass_arg = JINJA_FILTERS["replace"].jinja_pass_arg  # type: ignore[attr-defined]
_join.jinja_pass_arg = JINJA_FILTERS["join"].jinja_pass_arg  # type: ignore[attr-defined]
_sum.jinja_pass_arg = JINJA_FILTERS["sum"].jinja_pass_arg  # type: ignore[attr-defined]

CHECKED_FILTERS = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "sum": _sum,
    "string": _string,
    "pprint": lambda value: (_weight(value, MAX_TEXT), JINJA_FILTERS["pprint"](value))[1],
}
