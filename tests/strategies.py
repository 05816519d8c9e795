"""Hypothesis strategies for the project's own property tests.

They are the user-facing strategies of :mod:`coercion.strategies`, re-exported.
"""

from __future__ import annotations

from coercion.strategies import (
    bimatrix_games,
    generic_bimatrix_games,
    payoff_vectors,
    perfect_information_trees,
)

__all__ = [
    "bimatrix_games",
    "generic_bimatrix_games",
    "payoff_vectors",
    "perfect_information_trees",
]
