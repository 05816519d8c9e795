"""Batched support enumeration: equal to exact enummixed on nondegenerate games, certified."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.errors import InvalidGameError
from coercion.games import NormalFormGame
from coercion.solvers import enummixed, is_degenerate
from coercion.solvers.batched import CERTIFY_TOL, batched_bimatrix

SHAPES = [(2, 2), (2, 3), (3, 2), (3, 3)]


def _key(x: np.ndarray, y: np.ndarray) -> tuple[float, ...]:
    return tuple(np.round(np.concatenate([x, y]), 8).tolist())


def _reference(A: np.ndarray, B: np.ndarray) -> tuple[set[tuple[float, ...]], bool]:
    res = enummixed(NormalFormGame.bimatrix(A, B))
    eqs = {_key(np.asarray(e[0], float), np.asarray(e[1], float)) for e in res}
    return eqs, bool(res.degenerate)


def _regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    ay, xb = A @ y, x @ B
    return max(ay.max() - x @ ay, xb.max() - xb @ y)


@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_equals_enummixed_on_random_float_games(m: int, n: int) -> None:
    count = 1000 if m * n < 9 else 500
    rng = np.random.default_rng(100 * m + n)
    A = rng.uniform(-1, 1, size=(count, m, n))
    B = rng.uniform(-1, 1, size=(count, m, n))
    r = batched_bimatrix(A, B)
    assert r.profiles_row.shape[:2] == r.profiles_col.shape[:2] == r.payoffs.shape[:2]
    for g in range(count):
        ref, degenerate = _reference(A[g], B[g])
        assert bool(r.degenerate[g]) == degenerate
        ours = [_key(x, y) for x, y in r.equilibria(g)]
        assert len(ours) == len(set(ours)) == r.count[g]
        assert set(ours) == ref
    assert np.all(r.exhaustive == ~r.degenerate)
    assert np.nanmax(r.max_regret) <= 1e-12


@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_integer_games_flag_degenerate_like_is_degenerate(m: int, n: int) -> None:
    rng = np.random.default_rng(7 * m + n)
    A = rng.integers(0, 3, size=(300, m, n))
    B = rng.integers(0, 3, size=(300, m, n))
    r = batched_bimatrix(A, B)
    for g in range(300):
        game = NormalFormGame.bimatrix(A[g], B[g])
        assert bool(r.degenerate[g]) == is_degenerate(game)
        assert bool(r.exhaustive[g]) == (not r.degenerate[g])
        ref, _ = _reference(A[g].astype(float), B[g].astype(float))
        ours = {_key(x, y) for x, y in r.equilibria(g)}
        assert ours <= ref  # every extreme equilibrium we return is one of the exact ones
        if not r.degenerate[g]:
            assert ours == ref
        for x, y in r.equilibria(g):
            assert _regret(A[g], B[g], x, y) <= 1e-12


def test_degenerate_examples() -> None:
    # all-zero game, and a game with a continuum of equilibria
    A = np.array([[[0, 0], [0, 0]], [[1, 1], [0, 1]]], dtype=float)
    B = np.array([[[0, 0], [0, 0]], [[1, 1], [0, 1]]], dtype=float)
    r = batched_bimatrix(A, B)
    assert r.degenerate.tolist() == [True, True]
    assert r.exhaustive.tolist() == [False, False]
    assert np.all(r.count >= 1)
    for g in range(2):
        for x, y in r.equilibria(g):
            assert _regret(A[g], B[g], x, y) <= CERTIFY_TOL


def test_unused_slots_are_nan_and_shapes() -> None:
    rng = np.random.default_rng(3)
    r = batched_bimatrix(rng.uniform(size=(50, 3, 2)), rng.uniform(size=(50, 3, 2)))
    assert r.profiles_row.shape == (50, 9, 3) and r.profiles_col.shape == (50, 9, 2)
    slots = np.arange(9)[None, :]
    unused = slots >= r.count[:, None]
    assert np.isnan(r.profiles_row[unused]).all() and np.isnan(r.payoffs[unused]).all()
    assert not np.isnan(r.profiles_row[~unused]).any()
    assert len(r) == r.n_games == 50


def test_chunking_does_not_change_the_result() -> None:
    rng = np.random.default_rng(4)
    A, B = rng.integers(0, 3, size=(2, 400, 3, 3))
    one, many = batched_bimatrix(A, B), batched_bimatrix(A, B, chunk=37)
    np.testing.assert_array_equal(one.count, many.count)
    np.testing.assert_array_equal(one.degenerate, many.degenerate)
    np.testing.assert_array_equal(one.profiles_row, many.profiles_row)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((4, 4, 2)), np.zeros((3, 2)), np.zeros((1, 1, 2)), np.full((1, 2, 2), np.nan)],
)
def test_rejects_bad_shapes(bad: np.ndarray) -> None:
    with pytest.raises(InvalidGameError):
        batched_bimatrix(bad, np.zeros_like(bad))


shape_st = st.sampled_from(SHAPES)


@settings(max_examples=30, deadline=None)
@given(
    shape=shape_st,
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(1e-3, 1e3),
    shift=st.floats(-1e3, 1e3),
    integer=st.booleans(),
)
def test_invariant_under_positive_affine_transforms(
    shape: tuple[int, int], seed: int, scale: float, shift: float, integer: bool
) -> None:
    rng = np.random.default_rng(seed)
    size = (20, *shape)
    if integer:
        A, B = rng.integers(0, 3, size=size).astype(float), rng.integers(0, 3, size=size)
    else:
        A, B = rng.uniform(size=size), rng.uniform(size=size)
    B = np.asarray(B, dtype=float)
    r0 = batched_bimatrix(A, B)
    r1 = batched_bimatrix(scale * A + shift, 2.0 * scale * B - shift)
    np.testing.assert_array_equal(r0.degenerate, r1.degenerate)
    np.testing.assert_array_equal(r0.count, r1.count)
    np.testing.assert_allclose(r0.profiles_row, r1.profiles_row, atol=1e-9)
    np.testing.assert_allclose(r0.profiles_col, r1.profiles_col, atol=1e-9)


def test_closed_form_2x2_path_equals_support_enumeration_path() -> None:
    """The 2x2 closed forms give, slot for slot, what the general support enumeration gives."""
    from coercion.solvers.batched import _clear_2x2, _solve_2x2, _solve_block

    rng = np.random.default_rng(22)
    A = rng.normal(size=(2, 2, 5000))
    B = rng.normal(size=(2, 2, 5000))
    assert _clear_2x2(A, B).all()
    fast = _solve_2x2(A, B, 1e-12)
    general = _solve_block(A, B, 1e-12)
    for f, g in zip(fast[:3], general[:3], strict=True):
        assert np.array_equal(np.isnan(f), np.isnan(g))
        assert np.allclose(f, g, equal_nan=True, rtol=0, atol=1e-12)
    assert np.array_equal(fast[3], general[3])  # count
    assert np.array_equal(fast[4], general[4])  # degenerate (none)
    assert np.array_equal(fast[6], general[6])  # rejected
    # the mix of game kinds is what makes the comparison worth anything
    assert set(np.unique(fast[3]).tolist()) == {1, 3}


def test_near_ties_take_the_general_path() -> None:
    # a clear game, a game with an exact tie and one with a tie up to 1e-13 of the range
    A = np.array([[[3, 0], [2, 1]], [[1, 1], [0, 1]], [[1, 0], [1 + 1e-13, 2]]], dtype=float)
    B = np.array([[[1, 0], [0, 2]], [[1, 1], [0, 1]], [[1, 0], [0, 2]]], dtype=float)
    r = batched_bimatrix(A, B)
    assert r.degenerate.tolist() == [False, True, True]
    for g in range(3):
        for x, y in r.equilibria(g):
            assert _regret(A[g], B[g], x, y) <= 1e-9
