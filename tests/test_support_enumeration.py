"""The certified wrapper of nashpy's support enumeration.

Expected equilibria: von Stengel (2007, Algorithmic Game Theory ch. 3) eqs. (3.3) and (3.18),
checked against ``pygambit.nash.enummixed_solve(rational=True)`` (16.7.0) by the oracle test.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator
from fractions import Fraction as F
from pathlib import Path
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
from coercion.solvers.support_enumeration import support_enumeration

nashpy = pytest.importorskip("nashpy")

VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]  # nondegenerate, eq. (3.3)
VS_DEG_B = [[3, 3], [2, 6], [3, 1]]  # degenerate, eq. (3.18)
VS_EQUILIBRIA = [
    [[1, 0, 0], [1, 0]],
    [[F(4, 5), F(1, 5), 0], [F(2, 3), F(1, 3)]],
    [[0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]],
]
BOS_A, BOS_B = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
MP_A, MP_B = [[1, -1], [-1, 1]], [[-1, 1], [1, -1]]

# numpy.random.default_rng(100238): A, B = rng.random((2, 3)), rng.random((2, 3)).
# Nondegenerate (exact check), one equilibrium; nashpy 0.0.43 support enumeration returns none.
MISS_A = [
    [0.4422390533895665, 0.8977095876120906, 0.5243944745518451],
    [0.9270942065492603, 0.06573325972100807, 0.49194297000662424],
]
MISS_B = [
    [0.9062431563179614, 0.06948474865570997, 0.8999059750309337],
    [0.15764752976858554, 0.7974748963005923, 0.7277864451367775],
]
# default_rng(100199): three equilibria, nashpy returns the two pure ones.
MISS3_A = [
    [0.9566842109300999, 0.3230845200202679, 0.06327328234446916],
    [0.09359158822887825, 0.5798395757932374, 0.9259755038747136],
]
MISS3_B = [
    [0.7134901118090845, 0.45167729376217836, 0.23263706990115673],
    [0.9883432639438678, 0.7426863859536517, 0.9900633394036598],
]


def as_lists(result: Any) -> list[list[list[float]]]:
    return [eq.to_list() for eq in result]


def contains(profiles: Any, target: Any) -> bool:
    """True when *target* (nested lists of numbers) is one of *profiles*, to 1e-9."""
    want = [np.array([float(p) for p in s]) for s in target]
    return any(
        all(np.allclose(a, b, atol=1e-9) for a, b in zip(eq, want, strict=True)) for eq in profiles
    )


def exact_list(game: NormalFormGame) -> list[Any]:
    return [eq.exact for eq in enummixed(game)]


@pytest.fixture
def no_leaked_warnings() -> Iterator[None]:
    """Turn every warning into an error: nashpy's RuntimeWarnings must stay inside."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ----------------------------------------------------------------------------- known games
def test_von_stengel_nondegenerate_all_three_found_but_not_promised() -> None:
    game = NormalFormGame.bimatrix(VS_A, VS_B)
    res = support_enumeration(game)
    assert len(res) == 3
    for eq in VS_EQUILIBRIA:
        assert contains(res, eq)
    assert res.method == "support_enumeration"
    assert res.kind == "extreme"
    assert res.exhaustive is False
    assert res.status is Status.INCOMPLETE
    assert res.degenerate is False
    assert res.rejected == 0
    assert dict(res.parameters) == {"tol": 1e-9}
    assert res.max_regret <= 1e-9
    assert res.iterations is None


def test_degenerate_game_flag_is_exact_and_warning_is_swallowed(no_leaked_warnings: None) -> None:
    """nashpy warns "An even number of (2) equilibria"; we report degenerate=True instead."""
    game = NormalFormGame.bimatrix(VS_A, VS_DEG_B)
    res = support_enumeration(game)
    assert res.degenerate is True
    assert res.exhaustive is False
    assert "raised" not in res.message  # the warning neither escaped nor aborted the run
    # (a, r) = ((1,0,0), (2/3,1/3)) has unequal support sizes: nashpy 0.0.43 cannot find it
    assert contains(res, [[1, 0, 0], [1, 0]])
    assert contains(res, [[0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]])
    assert all(max_regret(game, eq) <= 1e-9 for eq in res)


def test_battle_of_the_sexes_and_matching_pennies() -> None:
    bos = support_enumeration(NormalFormGame.bimatrix(BOS_A, BOS_B))
    assert as_lists(bos)[:2] == [[[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [0.0, 1.0]]]
    assert contains(bos, [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]])
    assert bos.payoffs[2] == pytest.approx((2 / 3, 2 / 3))
    mp = support_enumeration(NormalFormGame.bimatrix(MP_A, MP_B))
    assert as_lists(mp) == [[[0.5, 0.5], [0.5, 0.5]]]
    assert mp.payoffs == ((0.0, 0.0),)


def test_all_zero_game(no_leaked_warnings: None) -> None:
    game = NormalFormGame.bimatrix(np.zeros((2, 2), dtype=int), np.zeros((2, 2), dtype=int))
    res = support_enumeration(game)
    assert len(res) == 4 and all(eq.is_pure() for eq in res)
    assert res.degenerate is True
    assert "raised" not in res.message


def test_misses_equilibrium_of_a_nondegenerate_game() -> None:
    """Why exhaustive is always False: float tolerance drops a true equilibrium."""
    game = NormalFormGame.bimatrix(MISS_A, MISS_B)
    truth = enummixed(game)
    assert len(truth) == 1 and truth.degenerate is False
    res = support_enumeration(game)
    assert res.degenerate is False
    assert res.exhaustive is False
    assert res.status is (Status.INCOMPLETE if len(res) else Status.NO_EQUILIBRIUM_FOUND)
    assert all(contains(truth, [list(s) for s in eq.to_list()]) for eq in res)
    # Whether nashpy's float test drops the equilibrium depends on the BLAS kernel
    # (OPENBLAS_CORETYPE): assert what a miss must look like only when it happens.
    if len(res) == 0:
        assert np.isnan(res.max_regret)
        assert "returned 0 profiles" in res.message


def test_misses_the_mixed_equilibrium_of_another_nondegenerate_game() -> None:
    game = NormalFormGame.bimatrix(MISS3_A, MISS3_B)
    truth = enummixed(game)
    assert len(truth) == 3 and truth.degenerate is False
    res = support_enumeration(game)
    assert all(contains(truth, [list(s) for s in eq.to_list()]) for eq in res)
    assert res.exhaustive is False
    # The miss (only the two pure equilibria) depends on the BLAS kernel: when it
    # happens, the result must still say it is incomplete.
    if len(res) < len(truth):
        assert res.status is Status.INCOMPLETE


# ----------------------------------------------------------------------------- certification
def test_non_equilibria_and_malformed_output_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever nashpy yields, only certified probability vectors come back."""
    game = NormalFormGame.bimatrix(VS_A, VS_B)

    def fake(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        warnings.warn("An even number of (2) equilibria", RuntimeWarning, stacklevel=2)
        yield np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0])  # an equilibrium
        yield np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0])  # duplicate: dropped silently
        yield np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0])  # not an equilibrium
        yield np.array([0.5, 0.5]), np.array([1.0, 0.0])  # wrong length
        yield np.array([np.nan, 0.5, 0.5]), np.array([1.0, 0.0])  # not finite
        yield np.array([1.5, -0.5, 0.0]), np.array([1.0, 0.0])  # negative probability
        yield np.array([-3e-17, 1 / 3, 2 / 3]), np.array([1 / 3, 2 / 3])  # rounding noise

    monkeypatch.setattr(nashpy.Game, "support_enumeration", fake)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = support_enumeration(game)
    assert res.rejected == 4
    assert len(res) == 2
    assert res[1].to_list()[0][0] == 0.0  # noise snapped to 0, never negative
    assert all(max_regret(game, eq) <= 1e-9 for eq in res)
    assert res.status is Status.INCOMPLETE


def test_exception_inside_nashpy_becomes_a_status(monkeypatch: pytest.MonkeyPatch) -> None:
    game = NormalFormGame.bimatrix(MP_A, MP_B)

    def broken(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        yield np.array([0.5, 0.5]), np.array([0.5, 0.5])
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(nashpy.Game, "support_enumeration", broken)
    res = support_enumeration(game)
    assert len(res) == 1 and res.status is Status.INCOMPLETE
    assert "raised LinAlgError (Singular matrix)" in res.message


def test_tol_is_the_certificate_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    game = NormalFormGame.bimatrix(MP_A, MP_B)

    def nearly(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        yield np.array([0.5, 0.5]), np.array([0.5, 0.5])  # the equilibrium, regret 0
        yield np.array([0.5, 0.5]), np.array([0.5 + 1e-4, 0.5 - 1e-4])  # regret 2e-4

    monkeypatch.setattr(nashpy.Game, "support_enumeration", nearly)
    strict = support_enumeration(game, tol=1e-9)
    loose = support_enumeration(game, tol=1e-3)
    assert (len(strict), strict.rejected) == (1, 1)
    assert (len(loose), loose.rejected) == (2, 0)
    assert loose.max_regret == pytest.approx(2e-4)
    assert dict(loose.parameters) == {"tol": 1e-3}


@pytest.mark.parametrize("tol", [-1.0, float("nan"), float("inf"), "0.1"])
def test_invalid_tol(tol: Any) -> None:
    with pytest.raises(InvalidParameterError, match="support_enumeration: tol must be"):
        support_enumeration(NormalFormGame.bimatrix(MP_A, MP_B), tol=tol)


def test_three_player_game_is_unsupported() -> None:
    with pytest.raises(UnsupportedGameError):
        support_enumeration(NormalFormGame(np.zeros((3, 2, 2, 2))))


def test_importing_the_module_does_not_import_nashpy() -> None:
    code = "import sys, coercion.solvers.support_enumeration; print('nashpy' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
        env={"PYTHONPATH": str(root)},
    )
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- oracle
@pytest.mark.oracle
@pytest.mark.parametrize(
    ("A", "B"),
    [
        (VS_A, VS_B),
        (VS_A, VS_DEG_B),
        (BOS_A, BOS_B),
        (MP_A, MP_B),
        ([[3, 3, 0], [4, 0, 1], [0, 4, 5]], [[3, 4, 0], [3, 0, 4], [0, 1, 5]]),
    ],
)
def test_every_profile_is_a_pygambit_equilibrium(A: Any, B: Any) -> None:
    gbt = pytest.importorskip("pygambit")
    g = gbt.Game.from_arrays(np.array(A), np.array(B))
    oracle = [
        [[F(eq[s]) for s in p.strategies] for p in g.players]
        for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria
    ]
    res = support_enumeration(NormalFormGame.bimatrix(A, B))
    for eq in res:
        assert contains(
            [[np.array([float(v) for v in s]) for s in o] for o in oracle],
            [list(s) for s in eq.to_list()],
        )


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
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = support_enumeration(game)
    assert res.exhaustive is False
    assert res.status in (Status.INCOMPLETE, Status.NO_EQUILIBRIUM_FOUND)
    assert (res.status is Status.NO_EQUILIBRIUM_FOUND) == (len(res) == 0)
    assert res.degenerate is enummixed(game).degenerate
    for eq in res:
        assert max_regret(game, eq) <= 1e-9
        assert all(float(p) >= 0.0 for s in eq for p in s)
