"""Exact Lemke–Howson: known LH paths from the literature, degenerate games, caps, oracle.

Expected equilibria were checked against ``pygambit.nash.enummixed_solve(rational=True)``
(16.7.0); the oracle tests below re-check them on every run.
"""

from __future__ import annotations

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
from coercion.solvers.lemke_howson import lemke_howson
from coercion.solvers.result import Status

ExactProfile = tuple[tuple[F, ...], ...]

# von Stengel (2007), Algorithmic Game Theory ch. 3, eq. (3.3): nondegenerate, 3 equilibria.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_PURE = ((F(1), F(0), F(0)), (F(1), F(0)))  # (a, s) in von Stengel's Figure 3.2
VS_MIXED_12 = ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))  # (b, r)
VS_MIXED_23 = ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))  # (d, q)

# von Stengel (2007) eq. (3.18): (3.3) with b_15 = 3, degenerate; extreme equilibria
# (a, r), (a, s) (ends of a segment of equilibria) and (d, q).
VS_DEG_B = [[3, 3], [2, 6], [3, 1]]
VS_DEG_EXTREME = {
    ((F(1), F(0), F(0)), (F(1), F(0))),
    ((F(1), F(0), F(0)), (F(2, 3), F(1, 3))),
    VS_MIXED_23,
}

# von Stengel (2007) eq. (3.7): symmetric 3x3, A = B^T; three symmetric equilibria of
# which LH finds only (0, 0, 1), whatever the missing label.
ELUSIVE = [[3, 3, 0], [4, 0, 1], [0, 4, 5]]

BOS_A, BOS_B = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
MP_A, MP_B = [[1, -1], [-1, 1]], [[-1, 1], [1, -1]]

# Shapley's (1964) 3x3 game (the classic where fictitious play cycles): the unique
# equilibrium is completely mixed, so every LH path has to travel to the interior.
SHAPLEY_A = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
SHAPLEY_B = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
THIRDS = (F(1, 3), F(1, 3), F(1, 3))


def exact(profile: Any) -> ExactProfile:
    assert profile.exact is not None, "LH equilibria must carry exact probabilities"
    return tuple(tuple(s) for s in profile.exact)


def found(result: Any) -> list[ExactProfile]:
    return [exact(eq) for eq in result]


def gambit_extreme(game: NormalFormGame) -> set[ExactProfile]:
    """All extreme equilibria by pygambit, exact (the test oracle)."""
    gbt = pytest.importorskip("pygambit")
    A, B = ([[int(v) for v in row] for row in game.exact()[i]] for i in range(2))
    g = gbt.Game.from_arrays(A, B)
    out = set()
    for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
        out.add(tuple(tuple(F(eq[s]) for s in p.strategies) for p in g.players))
    return out


# ----------------------------------------------------------------------------- known paths
def test_von_stengel_label_2_path_ends_at_d_q_after_four_pivots() -> None:
    """Missing label 2 (our 1): path (0,0),(c,0),(c,p),(d,p),(d,q) -- four pivots."""
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = lemke_howson(game, initial_dropped_label=1)
    assert found(res) == [VS_MIXED_23]
    assert res.iterations == 4
    assert res.status is Status.SUCCESS
    assert res.max_regret == 0.0


def test_von_stengel_label_1_leads_to_the_pure_equilibrium() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = lemke_howson(game, initial_dropped_label=0)
    assert found(res) == [VS_PURE]
    assert res.iterations == 2  # x_1 enters, s_4 leaves; y_4 enters, r_1 leaves


def test_von_stengel_all_labels_never_reach_the_negative_index_equilibrium() -> None:
    """(b, r) is an endpoint of the label-2 path from (a, s), not from (0, 0)."""
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = lemke_howson(game, initial_dropped_label="all")
    assert set(found(res)) == {VS_PURE, VS_MIXED_23}
    assert VS_MIXED_12 in {exact(eq) for eq in enummixed(game)}
    assert len(res) == 2  # distinct equilibria, duplicates across labels removed
    per_label = [lemke_howson(game, initial_dropped_label=k).iterations for k in range(5)]
    assert res.iterations == sum(per_label)


def test_elusive_equilibria_of_von_stengel_3_7() -> None:
    game = NormalFormGame.bimatrix(ELUSIVE, np.array(ELUSIVE).T)
    everything = {exact(eq) for eq in enummixed(game)}
    assert everything == {
        ((F(0), F(0), F(1)),) * 2,
        ((F(1, 2), F(1, 4), F(1, 4)),) * 2,
        ((F(3, 4), F(1, 4), F(0)),) * 2,
    }
    for k in range(6):
        assert found(lemke_howson(game, initial_dropped_label=k)) == [((F(0), F(0), F(1)),) * 2]
    res = lemke_howson(game, initial_dropped_label="all")
    assert len(res) == 1 and res.exhaustive is False


def test_shapley_game_every_label_reaches_the_uniform_equilibrium() -> None:
    game = NormalFormGame.bimatrix(SHAPLEY_A, SHAPLEY_B)
    for k in range(6):
        res = lemke_howson(game, initial_dropped_label=k)
        assert found(res) == [(THIRDS, THIRDS)]
        assert res.iterations is not None and res.iterations >= 6  # support 3 + 3 pivots in


def test_matching_pennies_from_every_label() -> None:
    game = NormalFormGame.bimatrix(MP_A, MP_B)
    half = (F(1, 2), F(1, 2))
    for k in range(4):
        assert found(lemke_howson(game, initial_dropped_label=k)) == [(half, half)]


def test_battle_of_the_sexes_finds_the_pure_equilibria_not_the_mixed_one() -> None:
    game = NormalFormGame.bimatrix(BOS_A, BOS_B)
    top = ((F(1), F(0)), (F(1), F(0)))
    bottom = ((F(0), F(1)), (F(0), F(1)))
    # In a nondegenerate 2x2 game LH from a pure strategy k plays k, then the best reply
    # to k: row 0 -> column 0 -> row 0 (top); column 1 -> row 1 -> column 1 (bottom).
    by_label = [found(lemke_howson(game, initial_dropped_label=k)) for k in range(4)]
    assert by_label == [[top], [bottom], [top], [bottom]]
    res = lemke_howson(game, initial_dropped_label="all")
    assert found(res) == [top, bottom]
    assert res.payoffs == ((2.0, 1.0), (1.0, 2.0))


# ----------------------------------------------------------------------------- degenerate
def test_degenerate_von_stengel_3_18_terminates_with_extreme_equilibria() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_DEG_B)
    assert {exact(eq) for eq in enummixed(game)} == VS_DEG_EXTREME
    for k in range(5):
        res = lemke_howson(game, initial_dropped_label=k)
        assert res.status is Status.SUCCESS and len(res) == 1
        assert exact(res[0]) in VS_DEG_EXTREME
        assert res.max_regret == 0.0


# Degenerate {0, 1, 2} games (found by a random search) on which the plain minimum-ratio
# test cycles: breaking ratio ties by the first row loops forever from label 2 of CYCLE_FIRST,
# by the last row from label 1 of CYCLE_LAST.  The lexicographic rule must not.
CYCLE_FIRST = (
    [[0, 1, 2, 1, 2], [2, 2, 2, 1, 2], [0, 1, 1, 0, 2]],
    [[0, 0, 2, 2, 2], [1, 1, 0, 2, 0], [1, 2, 2, 2, 1]],
)
CYCLE_LAST = (
    [[2, 2, 1], [0, 1, 0], [1, 1, 0], [2, 2, 1], [1, 1, 2]],
    [[0, 1, 2], [0, 0, 0], [2, 2, 0], [2, 2, 1], [2, 0, 1]],
)


@pytest.mark.parametrize(("A", "B"), [CYCLE_FIRST, CYCLE_LAST])
def test_games_where_naive_tie_breaking_cycles(A: Any, B: Any) -> None:
    game = NormalFormGame.bimatrix(A, B)
    everything = {exact(eq) for eq in enummixed(game)}
    m, n = game.shape
    for k in range(m + n):
        res = lemke_howson(game, initial_dropped_label=k, max_iter=50)
        assert res.status is Status.SUCCESS, (k, res.message)
        assert res.iterations is not None and res.iterations <= 2 * (m + n)
        assert exact(res[0]) in everything


@pytest.mark.parametrize("value", [0, 1, -3])
@pytest.mark.parametrize("size", [(2, 2), (3, 4), (5, 5)])
def test_constant_games_every_pure_profile_is_an_equilibrium(
    value: int, size: tuple[int, int]
) -> None:
    """Maximally degenerate: every tie possible; the lexicographic rule must not cycle."""
    game = NormalFormGame.bimatrix(np.full(size, value), np.full(size, value))
    res = lemke_howson(game, initial_dropped_label="all", max_iter=50)
    assert res.status is Status.SUCCESS
    assert len(res) >= 1
    assert all(eq.is_pure() and max_regret(game, eq) == 0.0 for eq in res)


def test_float_payoffs_are_solved_exactly() -> None:
    """Random 2x3 game (default_rng(100238)); its unique equilibrium, found exactly."""
    A = [
        [0.4422390533895665, 0.8977095876120906, 0.5243944745518451],
        [0.9270942065492603, 0.06573325972100807, 0.49194297000662424],
    ]
    B = [
        [0.9062431563179614, 0.06948474865570997, 0.8999059750309337],
        [0.15764752976858554, 0.7974748963005923, 0.7277864451367775],
    ]
    game = NormalFormGame.bimatrix(A, B)
    expected = [exact(eq) for eq in enummixed(game)]
    assert len(expected) == 1
    for k in range(5):
        res = lemke_howson(game, initial_dropped_label=k)
        assert found(res) == expected
        assert res.max_regret == 0.0


def test_random_6x6_where_nashpy_lemke_howson_loops() -> None:
    """default_rng(6016) 6x6 uniform game: nashpy 0.0.43 LH loops from labels 0 and 9.

    (Measured in game-theory-libraries.md section 3a; not re-run here because it hangs.)
    """
    rng = np.random.default_rng(6016)
    game = NormalFormGame.bimatrix(rng.random((6, 6)), rng.random((6, 6)))
    everything = {exact(eq) for eq in enummixed(game)}
    res = lemke_howson(game, initial_dropped_label="all")
    assert res.status is Status.SUCCESS
    assert res.iterations is not None and res.iterations < 12 * 100
    assert res.max_regret == 0.0
    assert set(found(res)) <= everything


@pytest.mark.parametrize(
    ("A", "B"),
    [
        ([[1, 5, 2]], [[3, 0, 3]]),
        ([[4], [1], [4]], [[0], [2], [1]]),
        ([[7]], [[-2]]),
    ],
)
def test_single_action_players(A: list[list[int]], B: list[list[int]]) -> None:
    game = NormalFormGame.bimatrix(A, B)
    res = lemke_howson(game, initial_dropped_label="all")
    assert res.status is Status.SUCCESS
    assert set(found(res)) <= {exact(eq) for eq in enummixed(game)}
    assert all(max_regret(game, eq) == 0.0 for eq in res)


# ----------------------------------------------------------------------------- caps
def test_max_iter_cap_reports_iteration_limit() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    capped = lemke_howson(game, initial_dropped_label=1, max_iter=3)
    assert capped.status is Status.ITERATION_LIMIT
    assert len(capped) == 0 and capped.iterations == 3
    assert "cap of 3 pivots" in capped.message
    assert np.isnan(capped.max_regret)
    enough = lemke_howson(game, initial_dropped_label=1, max_iter=4)
    assert enough.status is Status.SUCCESS and found(enough) == [VS_MIXED_23]


def test_cap_on_some_starts_keeps_the_others() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = lemke_howson(game, initial_dropped_label="all", max_iter=2)
    # labels 0 and 3 finish in 2 pivots; labels 1, 2 and 4 need more
    assert res.status is Status.ITERATION_LIMIT
    assert found(res) == [VS_PURE]
    assert "[1, 2, 4]" in res.message


# ----------------------------------------------------------------------------- schema / API
def test_result_schema() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = lemke_howson(game, initial_dropped_label=np.int64(1))
    assert res.method == "lemke_howson"
    assert res.kind == "some"
    assert res.exhaustive is False
    assert res.degenerate is None
    assert res.rejected == 0
    assert dict(res.parameters) == {"initial_dropped_label": 1, "max_iter": 10_000}
    assert res.payoffs == (pytest.approx((4.0, 8 / 3)),)  # A y = (3, 4, 4), x^T B = (8/3, 8/3)
    assert res.game is game
    assert dict(lemke_howson(game, initial_dropped_label="all").parameters) == {
        "initial_dropped_label": "all",
        "max_iter": 10_000,
    }


@pytest.mark.parametrize("label", [7, -1, 5, True, 1.0, "ALL", None])
def test_invalid_label_is_rejected(label: Any) -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    with pytest.raises(InvalidParameterError) as info:
        lemke_howson(game, initial_dropped_label=label)
    assert str(info.value) == (
        f"lemke_howson: initial_dropped_label must be an integer in [0, 5) or 'all'; got {label!r}"
    )


@pytest.mark.parametrize("cap", [0, -5, 2.5, True, "10"])
def test_invalid_max_iter_is_rejected(cap: Any) -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    with pytest.raises(InvalidParameterError) as info:
        lemke_howson(game, max_iter=cap)
    assert str(info.value) == f"lemke_howson: max_iter must be an integer >= 1; got {cap!r}"


def test_three_player_game_is_unsupported() -> None:
    game = NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(UnsupportedGameError):
        lemke_howson(game)


# ----------------------------------------------------------------------------- oracle
KNOWN = [
    (VS_A, VS_B),
    (VS_A, VS_DEG_B),
    (ELUSIVE, np.array(ELUSIVE).T.tolist()),
    (BOS_A, BOS_B),
    (MP_A, MP_B),
    (SHAPLEY_A, SHAPLEY_B),
    CYCLE_FIRST,
    CYCLE_LAST,
    ([[0, 0], [0, 0]], [[0, 0], [0, 0]]),
    # nashpy documentation's 3x3 zero-sum game (degenerate)
    ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]),
]


@pytest.mark.oracle
@pytest.mark.parametrize(("A", "B"), KNOWN)
def test_every_label_lands_on_a_pygambit_equilibrium(A: Any, B: Any) -> None:
    game = NormalFormGame.bimatrix(A, B)
    oracle = gambit_extreme(game)
    assert oracle == {exact(eq) for eq in enummixed(game)}
    m, n = game.shape
    for k in range(m + n):
        res = lemke_howson(game, initial_dropped_label=k)
        assert res.status is Status.SUCCESS
        assert exact(res[0]) in oracle


@pytest.mark.oracle
def test_random_integer_games_against_pygambit() -> None:
    rng = np.random.default_rng(20240601)
    for _ in range(25):
        m, n = (int(v) for v in rng.integers(2, 5, size=2))
        game = NormalFormGame.bimatrix(rng.integers(-3, 4, (m, n)), rng.integers(-3, 4, (m, n)))
        oracle = gambit_extreme(game)
        res = lemke_howson(game, initial_dropped_label="all")
        assert res.status is Status.SUCCESS
        assert set(found(res)) <= oracle


# ----------------------------------------------------------------------------- property
@st.composite
def small_integer_games(draw: st.DrawFn) -> NormalFormGame:
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    cells = st.lists(st.integers(0, 2), min_size=n, max_size=n)
    A = draw(st.lists(cells, min_size=m, max_size=m))
    B = draw(st.lists(cells, min_size=m, max_size=m))
    return NormalFormGame.bimatrix(A, B)


@settings(max_examples=40, deadline=None)
@given(small_integer_games())
def test_property_lh_from_every_label_terminates_on_an_exact_extreme_equilibrium(
    game: NormalFormGame,
) -> None:
    """Payoffs in {0, 1, 2}: degenerate most of the time, where unperturbed LH can stall."""
    m, n = game.shape
    cap = 500
    everything = {exact(eq) for eq in enummixed(game)}
    total = 0
    for k in range(m + n):
        res = lemke_howson(game, initial_dropped_label=k, max_iter=cap)
        assert res.iterations is not None and 1 <= res.iterations <= cap
        assert res.status is Status.SUCCESS, res.message
        assert len(res) == 1
        assert max_regret(game, res[0]) == 0.0
        assert exact(res[0]) in everything
        total += res.iterations
    both = lemke_howson(game, initial_dropped_label="all", max_iter=cap)
    assert both.iterations == total
    assert set(found(both)) <= everything
