"""Pure equilibria of N-player games, checked against pygambit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coercion.games import NormalFormGame
from coercion.solvers import is_nash, pure_nash, solve
from tests import games


def test_prisoners_dilemma() -> None:
    res = pure_nash(games.prisoners_dilemma())
    assert [eq.to_list() for eq in res] == [[[0.0, 1.0], [0.0, 1.0]]]
    assert res.exhaustive


def test_matching_pennies_has_none() -> None:
    res = pure_nash(games.matching_pennies())
    assert len(res) == 0 and res.exhaustive


@st.composite
def n_player_games(draw: st.DrawFn) -> NormalFormGame:
    n = draw(st.integers(2, 4))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n))
    payoffs = draw(arrays(np.int64, (n, *shape), elements=st.integers(0, 2)))
    return NormalFormGame(payoffs)


@pytest.mark.oracle
@given(n_player_games())
def test_matches_pygambit_enumpure(game: NormalFormGame) -> None:
    from tests import oracle

    ours = {eq.exact for eq in pure_nash(game)}
    theirs = {tuple(tuple(s) for s in eq) for eq in oracle.enumpure(game)}
    assert ours == theirs
    for eq in pure_nash(game):
        assert is_nash(game, eq, tol=0)


def test_auto_on_three_players_says_not_exhaustive() -> None:
    g = NormalFormGame(np.ones((3, 2, 2, 2), dtype=int))
    res = solve(g)
    assert res.method == "pure" and not res.exhaustive and res.status.value == "incomplete"
