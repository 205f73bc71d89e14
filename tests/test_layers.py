"""The package reads as the pipeline: no import cycle, and no module imports a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit

PACKAGE = Path(toolkit.__file__).parent
# Each stage may import itself and the stages above it, never one below.
STAGES = (
    (
        "toolkit",
        "toolkit.errors",
        "toolkit.messages",
        "toolkit.problems",
        "toolkit.periods",
        "toolkit.figures",
        "toolkit.packaged",
        "toolkit.forked",
    ),
    ("toolkit.methodologies",),
    ("toolkit.schema",),
    ("toolkit.read",),
    ("toolkit.project",),  # what validation returns
    ("toolkit.validate",),
    ("toolkit.calculate",),
    ("toolkit.documents",),  # the checklist reads the documents' own gap markers
    ("toolkit.review",),  # review.yaml; its notes go into documents, its open comments into the checklist
    ("toolkit.checklist",),
    ("toolkit.render", "toolkit.review.exchange"),  # the review sheet is a checklist form
    ("toolkit.diff",),  # two versions compared: reads checklists and calculations, renders its own forms
    ("toolkit.bundle",),
    ("toolkit.pipeline", "toolkit.scaffold", "toolkit.scaffold_excel"),
    ("toolkit.batch",),  # program batches: built on the pipeline's Run
    ("toolkit.cli", "toolkit.__main__"),
)


def stage_of(module: str) -> int:
    best, found = -1, None
    for index, names in enumerate(STAGES):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, found = len(name), index
    assert found is not None, f"{module} belongs to no stage: add it to STAGES"
    return found


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    """Every toolkit module `path` imports when it runs (lazy imports in functions included; typing-only not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("toolkit")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.startswith("toolkit"):
                known = modules()
                found |= {
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                }
    return found - {name}


def test_no_module_imports_a_later_stage():
    wrong = []
    for name, path in sorted(modules().items()):
        for imported in sorted(imports(path, name)):
            if stage_of(imported) > stage_of(name):
                wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    graph = {name: {i for i in imports(path, name) if i in modules()} for name, path in modules().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for child in sorted(graph[node]):
            if state.get(child) == 1:
                cycles.append(" -> ".join(trail[trail.index(child) :] + [child]) if child in trail else child)
            elif child not in state:
                visit(child, trail + [child])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


def test_every_package_is_installed():
    """setup.cfg lists each package by name: one left out imports from a checkout, and fails once installed
    (make install-check found toolkit.review and toolkit.diff missing)."""
    import configparser

    root = Path(__file__).resolve().parent.parent
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = {
        ".".join(path.parent.relative_to(root).parts)
        for path in (root / "toolkit").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found - listed == set()
