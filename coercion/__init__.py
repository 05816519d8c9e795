"""coercion: economic coercion between states as games.

The layers, each importing only from the ones above it in this list:

``coercion.games``
    representations (normal form, game trees, profiles);
``coercion.solvers``
    one module per algorithm behind :func:`coercion.solve`, with certificates
    (:func:`is_nash`, :func:`max_regret`, :func:`is_subgame_perfect`);
``coercion.io``
    Gambit ``.nfg`` / ``.efg`` files.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0.dev0"

_LAZY = {
    "NormalFormGame": "coercion.games",
    "GameTree": "coercion.games",
    "Decision": "coercion.games",
    "Chance": "coercion.games",
    "Terminal": "coercion.games",
    "MixedProfile": "coercion.games",
    "BehaviorProfile": "coercion.games",
    "solve": "coercion.solvers",
    "solve_grid": "coercion.solvers",
    "EquilibriumResult": "coercion.solvers",
    "GridResult": "coercion.solvers",
    "is_nash": "coercion.solvers",
    "max_regret": "coercion.solvers",
    "is_subgame_perfect": "coercion.solvers",
    "read_game": "coercion.io",
    "write_game": "coercion.io",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    """Import public names on first use, so ``import coercion`` stays fast."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coercion' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
