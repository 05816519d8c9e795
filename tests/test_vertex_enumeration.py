"""The certified wrapper of nashpy's vertex enumeration.

Expected equilibria: von Stengel (2007, Algorithmic Game Theory ch. 3) eqs. (3.3) and (3.18),
checked against ``pygambit.nash.enummixed_solve(rational=True)`` (16.7.0) by the oracle test.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games import NormalFormGame
from coercion.solvers.certificates import max_regret
from coercion.solvers.enummixed import enummixed
from coercion.solvers.result import Status
from coercion.solvers.vertex_enumeration import vertex_enumeration

nashpy = pytest.importorskip("nashpy")

VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]  # nondegenerate, eq. (3.3)
VS_DEG_B = [[3, 3], [2, 6], [3, 1]]  # degenerate, eq. (3.18)
VS_EQUILIBRIA = [
    [[1, 0, 0], [1, 0]],
    [[F(4, 5), F(1, 5), 0], [F(2, 3), F(1, 3)]],
    [[0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]],
]
VS_DEG_EQUILIBRIA = [
    [[1, 0, 0], [1, 0]],
    [[1, 0, 0], [F(2, 3), F(1, 3)]],
    [[0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]],
]
MP_A, MP_B = [[1, -1], [-1, 1]], [[-1, 1], [1, -1]]

# numpy.random.default_rng(103924): A, B = rng.random((2, 3)), rng.random((2, 3)); two
# payoffs of A agree to 4 decimals.  nashpy returns a second profile with regret 5.6e-8.
NEAR_TIE_A = [
    [0.03479202039104767, 0.35063688628711465, 0.391508159837758],
    [0.599750661069143, 0.7980340120444636, 0.39151190411013015],
]
NEAR_TIE_B = [
    [0.7118073557073991, 0.7872435329397244, 0.2584687017033197],
    [0.27711465468186625, 0.5085459439994502, 0.5165143374953892],
]


def contains(profiles: Any, target: Any) -> bool:
    """True when *target* (nested lists of numbers) is one of *profiles*, to 1e-9."""
    want = [np.array([float(p) for p in s]) for s in target]
    return any(
        all(np.allclose(a, b, atol=1e-9) for a, b in zip(eq, want, strict=True)) for eq in profiles
    )


# ----------------------------------------------------------------------------- known games
def test_von_stengel_nondegenerate() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = vertex_enumeration(game)
    assert len(res) == 3 and all(contains(res, eq) for eq in VS_EQUILIBRIA)
    assert res.method == "vertex_enumeration"
    assert res.kind == "extreme"
    assert res.exhaustive is False
    assert res.status is Status.INCOMPLETE
    assert res.degenerate is False
    assert dict(res.parameters) == {"tol": 1e-9}


def test_von_stengel_degenerate_all_extreme_equilibria_no_negative_noise() -> None:
    """nashpy returns probabilities like -3.7e-17 here; they come back as exact zeros."""
    game = NormalFormGame.bimatrix(VS_A, VS_DEG_B)
    res = vertex_enumeration(game)
    assert len(res) == 3 and all(contains(res, eq) for eq in VS_DEG_EQUILIBRIA)
    assert res.degenerate is True
    assert res.exhaustive is False
    for eq in res:
        assert all(float(p) >= 0.0 for s in eq for p in s)
        assert max_regret(game, eq) <= 1e-9


def test_matching_pennies() -> None:
    res = vertex_enumeration(NormalFormGame.bimatrix(MP_A, MP_B))
    assert [eq.to_list() for eq in res] == [[[0.5, 0.5], [0.5, 0.5]]]
    assert res.payoffs == ((0.0, 0.0),)


def test_all_zero_game_gives_a_result_not_an_exception() -> None:
    """nashpy 0.0.43 raises TypeError on the raw all-zero 2x2 game."""
    zeros = np.zeros((2, 2))
    with pytest.raises(TypeError):
        list(nashpy.Game(zeros, zeros).vertex_enumeration())
    game = NormalFormGame.bimatrix(np.zeros((2, 2), dtype=int), np.zeros((2, 2), dtype=int))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = vertex_enumeration(game)
    # every pure profile is an extreme equilibrium (shifting the payoffs lets nashpy see them)
    assert sorted(eq.to_list() for eq in res) == sorted(
        [
            [[float(i == a) for i in range(2)], [float(j == b) for j in range(2)]]
            for a in range(2)
            for b in range(2)
        ]
    )
    assert res.degenerate is True
    assert res.exhaustive is False


def test_zero_payoffs_no_longer_hide_equilibria() -> None:
    """A zero column of A leaves nashpy's Q unbounded, so unshifted it misses equilibria.

    Extreme equilibria: ((1, 0), (1, 0)), ((1/2, 1/2), (1, 0)) -- ends of the segment
    x_1 >= 1/2 against column 1 -- and ((0, 1), (0, 1)).
    """
    A, B = [[0, 1], [0, 2]], [[1, 0], [0, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy divides by zero on the unbounded polytope
        raw = list(nashpy.Game(np.array(A, float), np.array(B, float)).vertex_enumeration())
    truth = enummixed(NormalFormGame.bimatrix(A, B))
    assert len(truth) == 3
    assert contains(truth, [[F(1, 2), F(1, 2)], [1, 0]])
    assert len(raw) < len(truth)  # the nashpy fault this wrapper works around
    res = vertex_enumeration(NormalFormGame.bimatrix(A, B))
    assert len(res) == 3 and all(contains(res, eq.exact) for eq in truth)


@pytest.mark.parametrize(
    ("A", "B"), [([[1, 2, 3]], [[3, 2, 1]]), ([[5]], [[1]]), ([[1], [2]], [[0], [0]])]
)
def test_single_action_player_qhull_error_becomes_a_status(A: Any, B: Any) -> None:
    res = vertex_enumeration(NormalFormGame.bimatrix(A, B))
    assert res.status is Status.NO_EQUILIBRIUM_FOUND
    assert len(res) == 0 and res.exhaustive is False
    assert res.message.startswith("nashpy vertex enumeration raised QhullError")
    assert np.isnan(res.max_regret)


def test_near_tie_non_equilibrium_is_rejected() -> None:
    game = NormalFormGame.bimatrix(NEAR_TIE_A, NEAR_TIE_B)
    truth = enummixed(game)
    assert len(truth) == 1
    res = vertex_enumeration(game)
    assert res.rejected == 1  # the regret-5.6e-8 profile
    assert len(res) == 1 and contains(res, truth[0].exact)
    assert res.max_regret <= 1e-9
    # with a looser certificate the near-equilibrium is accepted: tol is what decides
    loose = vertex_enumeration(game, tol=1e-6)
    assert (len(loose), loose.rejected) == (2, 0)
    assert 1e-9 < loose.max_regret <= 1e-6


def test_exception_after_some_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)

    def broken(self: Any) -> Iterator[Any]:
        yield np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0])
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(nashpy.Game, "vertex_enumeration", broken)
    res = vertex_enumeration(game)
    assert res.status is Status.INCOMPLETE and len(res) == 1
    assert "raised TypeError" in res.message and "after 1 profile," in res.message


@pytest.mark.parametrize("tol", [-1e-9, float("nan")])
def test_invalid_tol(tol: float) -> None:
    with pytest.raises(InvalidParameterError, match="vertex_enumeration: tol must be"):
        vertex_enumeration(NormalFormGame.bimatrix(MP_A, MP_B), tol=tol)


def test_three_player_game_is_unsupported() -> None:
    with pytest.raises(UnsupportedGameError):
        vertex_enumeration(NormalFormGame(np.zeros((3, 2, 2, 2))))


# ----------------------------------------------------------------------------- oracle
@pytest.mark.oracle
@pytest.mark.parametrize(
    ("A", "B"),
    [
        (VS_A, VS_B),
        (VS_A, VS_DEG_B),
        (MP_A, MP_B),
        ([[2, 0], [0, 1]], [[1, 0], [0, 2]]),
        ([[3, 3, 0], [4, 0, 1], [0, 4, 5]], [[3, 4, 0], [3, 0, 4], [0, 1, 5]]),
    ],
)
def test_every_profile_is_a_pygambit_equilibrium(A: Any, B: Any) -> None:
    gbt = pytest.importorskip("pygambit")
    g = gbt.Game.from_arrays(np.array(A), np.array(B))
    oracle = [
        [np.array([float(F(eq[s])) for s in p.strategies]) for p in g.players]
        for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria
    ]
    res = vertex_enumeration(NormalFormGame.bimatrix(A, B))
    assert len(res) >= 1
    for eq in res:
        assert contains(oracle, eq.to_list())


# ----------------------------------------------------------------------------- property
@st.composite
def small_games(draw: st.DrawFn) -> NormalFormGame:
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cells = st.lists(st.integers(0, 2), min_size=n, max_size=n)
    return NormalFormGame.bimatrix(
        draw(st.lists(cells, min_size=m, max_size=m)), draw(st.lists(cells, min_size=m, max_size=m))
    )


@settings(max_examples=40, deadline=None)
@given(small_games())
def test_property_never_a_non_equilibrium_never_exhaustive(game: NormalFormGame) -> None:
    """Payoffs in {0, 1, 2} (mostly degenerate): certified subset of the extreme equilibria."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = vertex_enumeration(game)
    truth = enummixed(game)
    assert res.exhaustive is False
    assert (res.status is Status.NO_EQUILIBRIUM_FOUND) == (len(res) == 0)
    assert res.degenerate is truth.degenerate
    for eq in res:
        assert max_regret(game, eq) <= 1e-9
        assert all(float(p) >= 0.0 for s in eq for p in s)
        assert contains([list(t) for t in truth], eq.to_list())
