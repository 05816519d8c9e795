"""Imports point down the layers only: read every module's imports (ast) and fail on an upward edge.

The allowed order, lowest first (``docs/architecture.md`` explains each layer).  A module may
import from its own package and from any *lower* layer; packages on the same layer do not import
each other.  Imports inside functions and under ``TYPE_CHECKING`` count too.  The top-level
``coercion/__init__.py`` only names entry points lazily (strings, not imports) and is exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "coercion"

LAYERS: list[set[str]] = [
    {"errors"},  # the exception hierarchy
    {"_numbers", "_files", "datasets"},  # ground floor: numbers, safe file writes, bundled data
    {"_backend"},  # float / numpy / sympy evaluation of the formulas
    {"games"},  # representations
    {"io", "solvers"},  # Gambit files; one module per algorithm, with checkers
    {"model"},  # economics -> payoffs -> the coercion game
    {"cases"},  # the sourced case library
    {"estimate", "analysis"},  # estimation from data; analyses, sweeps, claims, policy
    {"strategies", "cli"},  # hypothesis strategies for users; the command line
]
LAYER_OF = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _package(module: str) -> str:
    """``coercion.solvers.lemke_howson`` -> ``solvers``; ``coercion.cli`` -> ``cli``."""
    return module.split(".")[1]


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) == 1:
            continue  # coercion/__init__.py: lazy names only
        out.append((".".join(parts), path))
    return out


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name == "coercion":  # from coercion import datasets, __version__
                found += [
                    (node.lineno, f"coercion.{a.name}")
                    for a in node.names
                    if a.name != "__version__"
                ]
                continue
            found.append((node.lineno, name))
    return [(line, n) for line, n in found if n == "coercion" or n.startswith("coercion.")]


MODULES = _modules()


def test_every_package_has_a_layer() -> None:
    packages = {_package(m) for m, _ in MODULES}
    assert packages <= set(LAYER_OF), f"give these a layer: {sorted(packages - set(LAYER_OF))}"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_down(module: str, path: Path) -> None:
    own = _package(module)
    upward = []
    for line, target in _imports(path, module):
        if target == "coercion":
            upward.append(f"line {line}: the top-level package (import what you need directly)")
            continue
        other = _package(target)
        if other == own:
            continue
        if LAYER_OF[other] >= LAYER_OF[own]:
            upward.append(f"line {line}: {target} (layer {LAYER_OF[other]} >= {LAYER_OF[own]})")
    assert not upward, f"{module} (layer {LAYER_OF[own]}) imports upward: " + "; ".join(upward)


def test_the_checker_sees_an_upward_edge(tmp_path: Path) -> None:
    """The test itself can fail: an import from a higher layer is reported."""
    fake = tmp_path / "coercion" / "games" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from coercion.analysis import analyze\n")
    edges = _imports(fake, "coercion.games.bad")
    assert edges == [(1, "coercion.analysis")]
    assert LAYER_OF[_package(edges[0][1])] > LAYER_OF["games"]
