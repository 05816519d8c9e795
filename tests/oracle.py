"""pygambit as an exact oracle (test-only: pygambit is GPL, coercion/ never imports it)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

gbt = pytest.importorskip("pygambit")


def to_gambit(game: Any) -> Any:
    """A pygambit table game with the same (exact) payoffs."""
    exact = game.exact()
    arrays = [
        np.vectorize(lambda v: gbt.Rational(v.numerator, v.denominator), otypes=[object])(exact[i])
        for i in range(game.n_players)
    ]
    return gbt.Game.from_arrays(*arrays)


def gambit_profiles(ggame: Any, equilibria: Any) -> list[list[list[Fraction]]]:
    """pygambit mixed profiles as exact nested lists."""
    return [
        [[Fraction(str(eq[s])) for s in p.strategies] for p in ggame.players] for eq in equilibria
    ]


def enummixed(game: Any) -> list[list[list[Fraction]]]:
    """All extreme equilibria of a bimatrix game, by pygambit's exact enummixed."""
    g = to_gambit(game)
    return gambit_profiles(g, gbt.nash.enummixed_solve(g, rational=True).equilibria)


def enumpure(game: Any) -> list[list[list[Fraction]]]:
    """All pure equilibria, by pygambit."""
    g = to_gambit(game)
    return gambit_profiles(g, gbt.nash.enumpure_solve(g).equilibria)
