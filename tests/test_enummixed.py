"""Exact extreme-equilibrium enumeration: known answers, pygambit oracle, invariances."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coercion.games import NormalFormGame
from coercion.solvers import enummixed, is_degenerate, is_nash, max_regret
from tests import games
from tests.strategies import bimatrix_games, generic_bimatrix_games


def exact_set(result: object) -> set[tuple[tuple[F, ...], ...]]:
    return {eq.exact for eq in result}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (games.prisoners_dilemma, {((F(0), F(1)), (F(0), F(1)))}),
        (games.matching_pennies, {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}),
        (
            games.battle_of_sexes,
            {
                ((F(1), F(0)), (F(1), F(0))),
                ((F(0), F(1)), (F(0), F(1))),
                ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            },
        ),
        # von Stengel (2007), AGT ch. 3, the 3x2 example: three equilibria
        (
            games.von_stengel_3x2,
            {
                ((F(1), F(0), F(0)), (F(1), F(0))),
                ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))),
                ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
            },
        ),
    ],
    ids=["pd", "pennies", "bos", "vonstengel3x2"],
)
def test_known_games(factory: object, expected: set[object]) -> None:
    res = enummixed(factory())  # type: ignore[operator]
    assert exact_set(res) == expected
    assert res.exhaustive and res.max_regret == 0.0


def test_degenerate_continuum_endpoints() -> None:
    # Nashpy#222-like: row player indifferent, a segment of equilibria; both endpoints found
    g = NormalFormGame.bimatrix([[1, 1], [0, 2]], [[1, 1], [0, 2]])
    res = enummixed(g)
    assert res.degenerate is True
    assert ((F(1), F(0)), (F(1), F(0))) in exact_set(res)
    assert ((F(0), F(1)), (F(0), F(1))) in exact_set(res)
    assert all(max_regret(g, eq) == 0 for eq in res)


def test_all_zero_game_has_four_extreme_equilibria() -> None:
    res = enummixed(NormalFormGame.bimatrix(np.zeros((2, 2), int), np.zeros((2, 2), int)))
    assert len(res) == 4 and res.degenerate


@pytest.mark.oracle
@given(bimatrix_games(max_actions=5))
def test_matches_pygambit_on_degenerate_integer_games(game: NormalFormGame) -> None:
    from tests import oracle

    expected = {tuple(tuple(s) for s in eq) for eq in oracle.enummixed(game)}
    assert exact_set(enummixed(game)) == expected


@pytest.mark.oracle
@pytest.mark.parametrize("size", [2, 3, 4, 5])
def test_matches_pygambit_on_random_float_games(size: int) -> None:
    from tests import oracle

    rng = np.random.default_rng(1000 + size)
    for _ in range(3):
        g = NormalFormGame.bimatrix(rng.random((size, size)), rng.random((size, size)))
        ours = exact_set(enummixed(g))
        theirs = {tuple(tuple(s) for s in eq) for eq in oracle.enummixed(g)}
        assert ours == theirs


@given(
    bimatrix_games(max_actions=4),
    st.integers(1, 7),
    st.integers(-5, 5),
    st.integers(1, 3),
    st.integers(-5, 5),
)
def test_invariant_under_positive_affine_transforms(
    game: NormalFormGame, a: int, b: int, c: int, d: int
) -> None:
    A, B = game.exact()
    moved = NormalFormGame.bimatrix(A * a + b, B * c + d)
    assert exact_set(enummixed(moved)) == exact_set(enummixed(game))


@given(bimatrix_games(max_actions=4), st.randoms(use_true_random=False))
def test_equilibria_permute_with_relabelled_strategies(game: NormalFormGame, rnd: object) -> None:
    m, n = game.shape
    pr = list(range(m))
    pc = list(range(n))
    rnd.shuffle(pr)  # type: ignore[attr-defined]
    rnd.shuffle(pc)  # type: ignore[attr-defined]
    permuted = game.permuted([pr, pc])
    expected = {
        (tuple(x[k] for k in pr), tuple(y[k] for k in pc)) for x, y in exact_set(enummixed(game))
    }
    assert exact_set(enummixed(permuted)) == expected


@given(generic_bimatrix_games(max_actions=4))
def test_every_profile_is_an_exact_equilibrium(game: NormalFormGame) -> None:
    res = enummixed(game)
    assert len(res) >= 1  # every finite game has an equilibrium (Nash 1951)
    for eq in res:
        assert max_regret(game, eq) == 0.0
        assert is_nash(game, eq, tol=0.0)


@given(generic_bimatrix_games(max_actions=4))
def test_nondegenerate_games_have_an_odd_number_of_equilibria(game: NormalFormGame) -> None:
    # Shapley (1974) / Lemke–Howson parity: nondegenerate games have an odd number
    res = enummixed(game)
    if not is_degenerate(game):
        assert len(res) % 2 == 1
