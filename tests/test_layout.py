"""The layout says how the data flows: no import cycles, one-way arrows, private stays private, modules stay small.

The import graph is read from the source (every ``import`` and ``from … import``, at any depth, function-level and
``TYPE_CHECKING`` ones included), so a cycle hidden inside a function fails here before it fails at run time.
docs/ARCHITECTURE.md says what each package owns and may import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "newstrace"

# Packages that only the CLI may reach: the product never needs them to analyse, store or serve.
OFFLINE_PACKAGES = ("newstrace.evaluate", "newstrace.training", "newstrace.datasets")
# Modules that may import them: the CLI's evaluate commands, and the offline packages themselves.
OFFLINE_IMPORTERS = ("newstrace.cli", *OFFLINE_PACKAGES)
MAX_LINES = 500
# A longer module says why in its docstring, after this marker (rule tables: vocabularies and patterns read as data).
RULE_TABLE_MARKER = "Rule table:"


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # the module imported (for ``from m import name``, m.name when that is a module, else m)
    name: str | None  # the name taken from it, for ``from m import name``
    line: int


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "newstrace":
                    yield Import(module, _known(alias.name), None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "newstrace":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    yield Import(module, submodule, None, node.lineno)
                else:
                    yield Import(module, _known(source), alias.name, node.lineno)


def _known(name: str) -> str:
    """The module a dotted name resolves to (an attribute path falls back to the module that holds it)."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


IMPORTS = [found for module, path in MODULES.items() for found in _imports(module, path)]


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _owner(module: str) -> str:
    """The package a module belongs to (a package's __init__ belongs to the package itself)."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    assert "newstrace.model" in MODULES and "newstrace.pipeline" in MODULES
    assert any(found.target == "newstrace.model" for found in IMPORTS)


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in IMPORTS:
        if found.target != found.importer:
            graph[found.importer].add(found.target)
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_evaluation_and_training_meet_only_in_datasets_and_metrics() -> None:
    crossing = [
        found
        for found in IMPORTS
        if (_inside(found.importer, "newstrace.evaluate") and _inside(found.target, "newstrace.training"))
        or (
            _inside(found.importer, "newstrace.training")
            and _inside(found.target, "newstrace.evaluate")
            and found.target != "newstrace.evaluate.metrics"
        )
    ]
    assert not crossing, "\n".join(f"{f.importer}:{f.line} imports {f.target}" for f in crossing)


def test_runtime_never_imports_evaluation_training_or_datasets() -> None:
    reaching = [
        found
        for found in IMPORTS
        if any(_inside(found.target, package) for package in OFFLINE_PACKAGES)
        and not any(_inside(found.importer, package) for package in OFFLINE_IMPORTERS)
    ]
    assert not reaching, "\n".join(f"{f.importer}:{f.line} imports {f.target}" for f in reaching)


def _private_part(found: Import) -> str | None:
    """The first private part (``_name``, not dunder) of what an import reaches, with the package that owns it."""
    parts = found.target.split(".") + ([found.name] if found.name else [])
    for depth, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            owner = ".".join(parts[:depth])
            if depth == len(parts) - 1 and found.name:
                # a private name of a module belongs to that module's package
                owner = _owner(found.target)
            return owner
    return None


def test_no_import_of_another_packages_private_name() -> None:
    leaks = []
    for found in IMPORTS:
        owner = _private_part(found)
        if owner is not None and not _inside(found.importer, owner):
            name = f".{found.name}" if found.name else ""
            leaks.append(f"{found.importer}:{found.line} imports {found.target}{name}")
    assert not leaks, "\n".join(leaks)


def test_private_imports_are_told_apart() -> None:
    inside = Import("newstrace.store", "newstrace.store._fulltext", None, 1)
    outside = Import("newstrace.cli.corpus", "newstrace.store._fulltext", None, 1)
    private_name = Import("newstrace.web._ui", "newstrace.cli", "_escape", 1)
    assert _private_part(inside) == "newstrace.store" and _inside(inside.importer, "newstrace.store")
    assert _private_part(outside) == "newstrace.store" and not _inside(outside.importer, "newstrace.store")
    assert _private_part(private_name) == "newstrace.cli" and not _inside(private_name.importer, "newstrace.cli")
    assert _private_part(Import("newstrace.cli", "newstrace", "__version__", 1)) is None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small_or_say_why(module: str) -> None:
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert RULE_TABLE_MARKER in docstring, (
        f"{path.relative_to(SRC)} has {lines} lines (over {MAX_LINES}): split it, or say in its docstring"
        f" after {RULE_TABLE_MARKER!r} which rule tables make it long and why they stay together"
    )


ARCHITECTURE = SRC.parent / "docs" / "ARCHITECTURE.md"


def _unit(module: str) -> str:
    """The top-level part of newstrace a module belongs to: "store" for newstrace.store._read, "newstrace" for it."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "newstrace"


def _allowed_imports() -> dict[str, set[str] | None]:
    """The "may import" column of docs/ARCHITECTURE.md's package table (None: everything)."""
    import re

    allowed: dict[str, set[str] | None] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`") or cells[0].startswith("`package"):
            continue
        unit = cells[0].split("`")[1].removesuffix("/").removesuffix(".py")
        names = {name.split(".")[0] for name in re.findall(r"`([\w.]+)`", cells[2])}
        allowed[unit] = None if cells[2] == "everything" else names
    return allowed


def test_every_package_imports_only_what_the_architecture_page_allows() -> None:
    allowed = _allowed_imports()
    units = {_unit(module) for module in MODULES}
    assert units <= set(allowed), f"docs/ARCHITECTURE.md has no row for {sorted(units - set(allowed))}"
    breaches = sorted(
        {
            f"{_unit(found.importer)} imports {_unit(found.target)} ({found.importer}:{found.line})"
            for found in IMPORTS
            if _unit(found.importer) != _unit(found.target)
            and (permitted := allowed[_unit(found.importer)]) is not None
            and _unit(found.target) not in permitted
        }
    )
    assert not breaches, "\n".join(breaches)


def test_the_architecture_table_is_read() -> None:
    allowed = _allowed_imports()
    assert allowed["model"] == set() and allowed["cli"] is None
    assert allowed["store"] == {"model", "corpus"} and "datasets" in (allowed["evaluate"] or set())
