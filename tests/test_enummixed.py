"""Exact extreme-equilibrium enumeration: known answers, pygambit oracle, invariances."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from math import lcm

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coercion.games import NormalFormGame
from coercion.solvers import enummixed, is_degenerate, is_nash, max_regret
from coercion.solvers.certificates import expected_payoffs
from coercion.solvers.enummixed import _pivot, extreme_equilibria
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


# ---------------------------------------------------------------------------------------------
# Reference: the original implementation (every dim-subset of the constraints solved in
# Fraction Gauss-Jordan elimination).  The pivoting search must return the same equilibria,
# in the same order, with the same degeneracy flag.

Exact = list[tuple[tuple[F, ...], ...]]


def _ref_solve(matrix: list[list[F]], rhs: list[F]) -> list[F] | None:
    n = len(matrix)
    aug = [[*row, b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if pivot is None:
            return None
        aug[col], aug[pivot] = aug[pivot], aug[col]
        prow = [v / aug[col][col] for v in aug[col]]
        aug[col] = prow
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], prow, strict=True)]
    return [aug[r][n] for r in range(n)]


def _ref_vertices(C: list[list[F]], zero_label: int, row_label: int) -> list[tuple[list[F], int]]:
    k_rows, dim = len(C), len(C[0])
    found: dict[tuple[F, ...], int] = {}
    for t in range(min(k_rows, dim) + 1):
        for support in itertools.combinations(range(dim), t):
            for rows in itertools.combinations(range(k_rows), t):
                sub = [[C[j][k] for k in support] for j in rows]
                sol = _ref_solve(sub, [F(1)] * t) if t else []
                if sol is None or any(v < 0 for v in sol):
                    continue
                point = [F(0)] * dim
                for k, v in zip(support, sol, strict=True):
                    point[k] = v
                if tuple(point) in found:
                    continue
                sums = [sum((C[j][k] * point[k] for k in range(dim)), F(0)) for j in range(k_rows)]
                if any(s > 1 for s in sums):
                    continue
                labels = sum(1 << (row_label + j) for j in range(k_rows) if sums[j] == 1)
                labels += sum(1 << (zero_label + k) for k in range(dim) if point[k] == 0)
                found[tuple(point)] = labels
    return [(list(p), lab) for p, lab in found.items()]


def reference_extreme_equilibria(game: NormalFormGame) -> tuple[Exact, bool]:
    m, n = game.shape
    shifted = []
    for mat in game.exact():
        denom = lcm(*(v.denominator for v in mat.reshape(-1)))
        ints = [[v * denom for v in row] for row in mat]
        low = min(min(row) for row in ints)
        shifted.append([[v - low + 1 for v in row] for row in ints])
    A, B = shifted
    P = _ref_vertices([[B[i][j] for i in range(m)] for j in range(n)], 0, m)
    Q = _ref_vertices(A, m, 0)
    degenerate = any(lab.bit_count() > m for _, lab in P) or any(
        lab.bit_count() > n for _, lab in Q
    )
    full = (1 << (m + n)) - 1
    out: Exact = []
    for x, lx in P:
        for y, ly in Q:
            if any(x) and any(y) and (lx | ly) == full:
                out.append((tuple(v / sum(x) for v in x), tuple(v / sum(y) for v in y)))
    return out, degenerate


def assert_matches_reference(game: NormalFormGame) -> None:
    expected, degenerate = reference_extreme_equilibria(game)
    res = enummixed(game)
    assert [eq.exact for eq in res] == expected  # same exact profiles, same order
    assert res.degenerate is degenerate
    assert is_degenerate(game) is degenerate
    eqs, flag = extreme_equilibria(game)
    assert [eq.exact for eq in eqs] == expected and flag is degenerate


@given(bimatrix_games(max_actions=4))
def test_matches_reference_on_degenerate_integer_games(game: NormalFormGame) -> None:
    assert_matches_reference(game)


@given(bimatrix_games(max_actions=5, low=0, high=1))
def test_matches_reference_on_games_with_many_ties(game: NormalFormGame) -> None:
    assert_matches_reference(game)


@given(generic_bimatrix_games(max_actions=4))
def test_matches_reference_on_wide_integer_games(game: NormalFormGame) -> None:
    assert_matches_reference(game)


@pytest.mark.parametrize("seed", range(6))
def test_matches_reference_on_random_float_and_fraction_games(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(1, 6, size=2))
    assert_matches_reference(NormalFormGame.bimatrix(rng.random((m, n)), rng.random((m, n))))
    # floats of very different magnitudes: large common power-of-two denominators
    scale = np.exp2(rng.integers(-40, 40, size=(2, m, n)))
    assert_matches_reference(
        NormalFormGame.bimatrix(rng.random((m, n)) * scale[0], -rng.random((m, n)) * scale[1])
    )

    def fractions() -> list[list[F]]:
        return [
            [F(int(rng.integers(-9, 10)), int(rng.integers(1, 8))) for _ in range(n)]
            for _ in range(m)
        ]

    assert_matches_reference(NormalFormGame.bimatrix(fractions(), fractions()))


@pytest.mark.parametrize(
    "game",
    [
        NormalFormGame.bimatrix(np.zeros((5, 5), int), np.zeros((5, 5), int)),
        NormalFormGame.bimatrix(np.zeros((6, 3), int), np.ones((6, 3), int)),
        NormalFormGame.bimatrix(np.eye(5, dtype=int), np.eye(5, dtype=int)),
        NormalFormGame.bimatrix(
            [[1, 1, 0], [1, 1, 0], [0, 0, 1]], [[1, 1, 0], [1, 1, 0], [0, 0, 1]]
        ),
        NormalFormGame.bimatrix([[3]], [[-2]]),
        NormalFormGame.bimatrix([[1, 2, 3, 4]], [[4, 4, 1, 4]]),
    ],
    ids=["zeros5", "zeros6x3", "identity5", "blocks", "1x1", "1x4"],
)
def test_matches_reference_on_highly_degenerate_games(game: NormalFormGame) -> None:
    assert_matches_reference(game)


@given(bimatrix_games(max_actions=4, low=-3, high=3))
def test_certificates_match_the_certificate_module(game: NormalFormGame) -> None:
    res = enummixed(game)
    assert res.payoffs == tuple(expected_payoffs(game, eq) for eq in res)
    assert res.max_regret == max(max_regret(game, eq) for eq in res) == 0.0


def test_certificates_on_float_games() -> None:
    rng = np.random.default_rng(42)
    for _ in range(5):
        game = NormalFormGame.bimatrix(rng.normal(size=(3, 4)), rng.normal(size=(3, 4)) * 1e6)
        res = enummixed(game)
        assert res.payoffs == tuple(expected_payoffs(game, eq) for eq in res)
        assert res.max_regret == 0.0


def test_fraction_free_pivot_is_exact() -> None:
    # dictionary of {z >= 0 : C z <= 1} at the origin, C = [[2, 3], [4, 1]]; pivot z_0 for s_1
    tableau = [[2, 3, 1], [4, 1, 1]]
    pivoted = _pivot(tableau, 1, 0, 1)
    # over denominator 4: z_0 = 1/4 - s_1/4 - z_1/4, s_0 = 1/2 + s_1/2 - 5 z_1/2
    assert pivoted == [[-2, 10, 2], [1, 1, 1]]
    # then z_1 for s_0, over denominator 10: the vertex z = (1/5, 1/5)
    assert _pivot(pivoted, 0, 1, 4) == [[-2, 4, 2], [3, -1, 2]]
