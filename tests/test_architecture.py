"""
The layers of ``src/assess`` and the rules between them (docs/architecture.md).

Every import of every module is read with :mod:`ast`, wherever it stands (at
the top, inside a function, under ``TYPE_CHECKING``), so a lazy or type-only
import that crosses a layer upwards, or closes a cycle, fails here as surely
as one at the top of a file.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "assess"

#: Each layer and the layers it may import, its own included.  The ground
#: floor holds the error hierarchy, its codes and the version; the package's
#: top level (the public API) and the command line may import anything.
LAYERS: dict[str, frozenset[str]] = {
    "ground": frozenset({"ground"}),
    "model": frozenset({"ground", "model"}),
    "io": frozenset({"ground", "model", "io"}),
    "methods": frozenset({"ground", "model", "methods"}),
    "analysis": frozenset({"ground", "model", "io", "methods", "analysis"}),
    "history": frozenset({"ground", "model", "io", "methods", "analysis", "history"}),
    "views": frozenset({"ground", "model", "io", "methods", "analysis", "history", "views"}),
    "cli": frozenset({"ground", "model", "io", "methods", "analysis", "history", "views", "cli"}),
    "api": frozenset({"ground", "model", "io", "methods", "analysis", "history", "views", "api"}),
}
#: Modules outside the sub-packages, by layer.
TOP_LEVEL = {
    "assess": "api",
    "assess.errors": "ground",
    "assess.codes": "ground",
    "assess._version": "ground",
    "assess._extras": "ground",
    "assess.analysis": "analysis",
    "assess.batch": "analysis",
    "assess.watch": "analysis",
    "assess.cli": "cli",
    "assess.__main__": "cli",
}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("assess", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer(module: str) -> str:
    """The layer a module belongs to: its sub-package, or its place in :data:`TOP_LEVEL`."""
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"{module} has no layer: add it to a sub-package or to TOP_LEVEL")


def imports(module: str) -> set[str]:
    """The modules of the package that ``module`` imports, anywhere in its text."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            # ``from a.b import c`` imports a.b.c when that is a module, else a.b.
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            assert not (isinstance(node, ast.ImportFrom) and node.level), "relative import"
            continue
        found.update(name for name in names if name == "assess" or name.startswith("assess."))
    found.discard(module)
    return found


GRAPH = {module: imports(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_from_its_layer_and_below(module: str) -> None:
    """No import reaches a layer above the module's own."""
    allowed = LAYERS[layer(module)]
    upward = sorted(m for m in GRAPH[module] if layer(m) not in allowed)
    assert not upward, f"{module} ({layer(module)}) imports {upward}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_no_module_unknown(module: str) -> None:
    """Every import of ``assess`` names a module that exists (a stale path fails here)."""
    unknown = sorted(m for m in GRAPH[module] if m not in MODULES)
    assert not unknown, f"{module} imports {unknown}, which are not modules of the package"


def test_only_the_command_line_imports_the_public_top_level() -> None:
    """The library imports its modules, never ``assess`` itself, which imports them."""
    importers = sorted(m for m, targets in GRAPH.items() if "assess" in targets)
    assert importers in (["assess.cli"], []), importers


def test_no_module_imports_its_own_package() -> None:
    """Inside a sub-package, modules import each other, never the package's __init__."""
    inward = sorted(
        (m, package)
        for m, targets in GRAPH.items()
        for package in targets
        if package != "assess" and m.startswith(f"{package}.")
    )
    assert not inward, inward


def first_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its modules in order, the first repeated at the end), or ``None``."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:  # a back edge: the path from target round to it
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_no_import_cycle() -> None:
    """Depth-first search over the whole graph finds no back edge."""
    cycle = first_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_layer_is_used() -> None:
    """The table of layers has no layer without a module."""
    assert {layer(m) for m in MODULES} == set(LAYERS)


def test_the_search_finds_a_planted_cycle() -> None:
    """The cycle search can fail: a planted cycle is found, a chain is not."""
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert first_cycle(planted) == ["a", "b", "c", "a"]
    assert first_cycle({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) is None


def test_the_architecture_page_names_every_module() -> None:
    """docs/architecture.md names each module, so a new room is drawn on the plan."""
    page = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w./]+?)/?`", page))
    missing = sorted(
        module
        for module in MODULES
        if module != "assess" and module.rsplit(".", 1)[-1] not in named
    )
    assert not missing, f"docs/architecture.md does not name {missing}"


def _resolves(dotted: str) -> bool:
    """Whether ``assess.a.b.c`` names a module, or an attribute of the longest module in it."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for name in parts[end:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_dotted_name_in_the_docs_resolves() -> None:
    """A module or name that moved leaves no stale ``assess.x.y`` in the docs or docstrings."""
    root = PACKAGE.parent.parent
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md")), *MODULES.values()]
    stale = set()
    for page in pages:
        if page.name.startswith("russia-taliban-support"):
            continue  # a generated report: it names commands, not modules
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"\bassess(?:\.[A-Za-z_]\w*)+", line):
                dotted = match.group(0)
                if dotted.rsplit(".", 1)[-1] in {"py", "md", "yaml", "html", "j2", "json"}:
                    continue  # a file name, not a module
                if not _resolves(dotted):
                    stale.add(f"{page.relative_to(root)}:{number}: {dotted}")
    assert not stale, sorted(stale)
