"""Compatibility name: the evaluation backends live in :mod:`coercion._backend`.

They moved to the ground floor so that solvers (layer 4) can use them without
importing the model layer (``docs/architecture.md``).
"""

from __future__ import annotations

from coercion._backend import FLOAT, NUMPY, SYMPY, LocalSympyOps, Ops, ops_for

__all__ = ["FLOAT", "NUMPY", "SYMPY", "LocalSympyOps", "Ops", "ops_for"]
