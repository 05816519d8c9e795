"""Hypothesis strategies for the project's own property tests."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coercion.games import Chance, Decision, GameTree, NormalFormGame, Terminal


@st.composite
def bimatrix_games(
    draw: st.DrawFn, max_actions: int = 5, low: int = 0, high: int = 2, min_actions: int = 1
) -> NormalFormGame:
    """Small integer bimatrix games (payoffs in [low, high]: degenerate most of the time)."""
    m = draw(st.integers(min_actions, max_actions))
    n = draw(st.integers(min_actions, max_actions))
    ints = st.integers(low, high)
    A = draw(arrays(np.int64, (m, n), elements=ints))
    B = draw(arrays(np.int64, (m, n), elements=ints))
    return NormalFormGame.bimatrix(A, B)


@st.composite
def generic_bimatrix_games(draw: st.DrawFn, max_actions: int = 4) -> NormalFormGame:
    """Bimatrix games with payoffs spread over a wide integer range (rarely degenerate)."""
    return draw(bimatrix_games(max_actions=max_actions, low=-(10**6), high=10**6))


@st.composite
def payoff_vectors(draw: st.DrawFn, n_players: int, exact: bool) -> tuple[Any, ...]:
    if exact:
        return tuple(draw(st.integers(-20, 20)) for _ in range(n_players))
    return tuple(
        draw(st.floats(-100, 100, allow_nan=False, allow_infinity=False)) for _ in range(n_players)
    )


@st.composite
def perfect_information_trees(
    draw: st.DrawFn,
    max_depth: int = 3,
    n_players: int | None = None,
    chance: bool = True,
    exact: bool = True,
) -> GameTree:
    """Random perfect-information trees, with chance nodes carrying rational probabilities."""
    k = n_players if n_players is not None else draw(st.integers(1, 3))
    players = [f"P{i + 1}" for i in range(k)]
    counter = [0]

    def node(depth: int) -> Any:
        counter[0] += 1
        kinds = ["terminal"] if depth >= max_depth else ["terminal", "decision", "decision"]
        if chance and depth < max_depth:
            kinds.append("chance")
        kind = (
            draw(st.sampled_from(kinds))
            if depth > 0
            else draw(st.sampled_from([x for x in kinds if x != "terminal"] or ["terminal"]))
        )
        if kind == "terminal":
            label = draw(st.sampled_from(["a", "b", "c", "d"]))
            return Terminal(label, draw(payoff_vectors(k, exact)))
        width = draw(st.integers(1, 3))
        if kind == "decision":
            who = draw(st.sampled_from(players))
            return Decision(who, {f"m{j}": node(depth + 1) for j in range(width)})
        weights = [draw(st.integers(1, 5)) for _ in range(width)]
        total = sum(weights)
        return Chance(
            {f"n{j}": (Fraction(w, total), node(depth + 1)) for j, w in enumerate(weights)}
        )

    return GameTree(players, node(0))
