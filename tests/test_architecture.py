"""The import graph of ``src/ohliad``: every import runs down the layers, and
the packages import each other without cycles.

Imports under ``if TYPE_CHECKING:`` are left out: they name types for the
type checker and load nothing (``registry.py`` names each registry's
interface that way).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Each part of ohliad and its layer: a module imports only from its own
# layer or the ones below. The comparison's records are records only, and sit
# with the foundations so that the store and the renderers can read them.
LAYERS: dict[str, int] = {
    "ohliad": 0,
    "ohliad.errors": 0,
    "ohliad.wording": 0,
    "ohliad.dates": 0,
    "ohliad.settings": 0,
    "ohliad.registry": 0,
    "ohliad.models": 0,
    "ohliad.compare.records": 0,
    "ohliad.digest_json": 0,
    "ohliad.chat_client": 0,
    "ohliad.nlp": 1,
    "ohliad.extract": 1,
    "ohliad.store": 1,
    "ohliad.ingest": 2,
    "ohliad.dedup": 2,
    "ohliad.cluster": 2,
    "ohliad.summarize": 2,
    "ohliad.translate": 2,
    "ohliad.compare": 2,
    "ohliad.render": 2,
    "ohliad.pipeline": 3,
    "ohliad.publish": 3,
    "ohliad.assembly": 4,
    "ohliad.review": 4,
    "ohliad.doctor": 4,
    "ohliad.watch": 5,
    "ohliad.backfill": 5,
    "ohliad.web": 5,
    "ohliad.cli": 6,
    "ohliad.__main__": 6,
}
CLI = ("ohliad.cli", "ohliad.__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str) -> Iterator[str]:
    """The ohliad modules a module imports at run time (anywhere in it)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                yield f"{base}.{alias.name}"  # a submodule, or a name in ``base``
                yield base


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in (SRC / "ohliad").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _imports(tree, package) if m in modules and m != name}
    return graph


GRAPH = _graph()


def _part(module: str) -> str:
    """The entry of ``LAYERS`` a module belongs to (its longest prefix)."""
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    assert prefixes, f"{module} is in no layer of tests/test_architecture.py"
    return max(prefixes, key=len)


def _edges() -> Iterator[tuple[str, str]]:
    for module, imported in sorted(GRAPH.items()):
        for target in sorted(imported):
            yield module, target


def test_every_module_is_in_a_layer() -> None:
    for module in GRAPH:
        _part(module)


def test_imports_run_down_the_layers() -> None:
    upward = [
        f"{module} ({LAYERS[_part(module)]}) imports {target} ({LAYERS[_part(target)]})"
        for module, target in _edges()
        if LAYERS[_part(target)] > LAYERS[_part(module)]
    ]
    assert upward == []


@pytest.mark.parametrize("package", ["ohliad.cli", "ohliad.web", "ohliad.watch"])
def test_only_the_cli_imports_the_cli_the_web_app_and_the_watcher(package: str) -> None:
    outside = [
        f"{module} imports {target}"
        for module, target in _edges()
        if (target == package or target.startswith(package + "."))
        and not (module == package or module.startswith(package + "."))
        and module not in CLI
    ]
    assert outside == []


def test_parts_import_each_other_without_cycles() -> None:
    parts: dict[str, set[str]] = {}
    for module, target in _edges():
        source, destination = _part(module), _part(target)
        parts.setdefault(source, set())
        if destination != source and destination != "ohliad":
            parts[source].add(destination)
    try:
        list(TopologicalSorter(parts).static_order())
    except CycleError as cycle:
        pytest.fail(f"import cycle: {' -> '.join(cycle.args[1])}")
