"""Logit QRE tracing: normal forms (vs pygambit) and agent QRE on trees."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from coercion import solve
from coercion.games import Chance, Decision, GameTree, MixedProfile, NormalFormGame, Terminal
from coercion.solvers import Status, is_subgame_perfect, max_regret
from coercion.solvers.logit_qre import agent_logit_trace, logit_qre, logit_trace
from tests.games import matching_pennies, threat_tree

# a 4x4 game whose principal branch turns back in λ (near λ = 0.69)
FOLD_A = [[1, -9, 3, 6], [-3, -1, 1, -1], [0, 1, 2, -4], [-7, 7, -1, -5]]
FOLD_B = [[9, 1, -3, -6], [-9, 2, 2, 8], [9, 7, -8, -7], [2, 2, -6, 7]]


def _flat(profile: Any) -> np.ndarray:
    return np.concatenate([np.asarray(s, dtype=float) for s in profile])


def _blocks(profile: Any) -> list[Any]:
    return [h for player in profile.probabilities for h in player]


def _random_games(seed: int, count: int, shapes: list[tuple[int, ...]]) -> list[NormalFormGame]:
    rng = np.random.default_rng(seed)
    games = []
    for k in range(count):
        shape = shapes[k % len(shapes)]
        arrays = [rng.integers(-1000, 1001, size=shape) for _ in shape]
        games.append(NormalFormGame.from_arrays(*arrays))
    return games


def test_matching_pennies_is_centred_at_every_lambda() -> None:
    mp = matching_pennies()
    for lam in (0.0, 0.3, 1.0, 7.5, 100.0):
        assert np.allclose(_flat(logit_qre(mp, lam)), 0.5, atol=1e-12)
    trace = logit_trace(mp)
    assert np.allclose(trace.points, 0.5, atol=1e-12)
    assert trace.limit.success and trace.limit.max_regret == 0.0


def test_trace_shapes_and_start() -> None:
    trace = logit_trace(NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert trace.lambdas[0] == 0.0 and trace.points.shape == (len(trace), 4)
    assert isinstance(trace.profile(0), MixedProfile) and len(trace.profiles) == len(trace)
    assert trace.limit.method == "logit" and trace.limit.kind == "some"
    assert not trace.limit.exhaustive and trace.limit.iterations is not None


@pytest.mark.parametrize("game", _random_games(11, 24, [(2, 2), (3, 3), (2, 3)]))
def test_limit_is_a_listed_equilibrium(game: NormalFormGame) -> None:
    trace = logit_trace(game)
    assert trace.limit.status is Status.SUCCESS
    assert trace.limit.max_regret <= 1e-6
    limit = _flat(trace.limit[0])
    assert min(np.abs(_flat(eq) - limit).max() for eq in solve(game)) <= 1e-6


def test_turning_point_is_followed() -> None:
    game = NormalFormGame.bimatrix(FOLD_A, FOLD_B)
    trace = logit_trace(game)
    assert np.any(np.diff(trace.lambdas) < 0)  # the branch bends back
    assert trace.limit.success and max_regret(game, trace.limit[0]) <= 1e-9


def test_regret_goes_to_zero_along_the_path() -> None:
    rng = np.random.default_rng(5)
    for _ in range(6):
        game = NormalFormGame.from_arrays(*rng.uniform(-1, 1, size=(2, 3, 3)))
        trace = logit_trace(game, polish=False)
        lams = trace.lambdas
        regs = np.array([max_regret(game, p) for p in trace.profiles])
        late = lams >= 10.0
        assert late.any()
        # beyond λ, regret is O(1/λ) along the branch, and it vanishes in the limit
        scale = float(np.ptp(game.payoffs))
        assert np.all(regs[late] * lams[late] <= 10.0 * scale * max(game.shape))
        for lo, hi in ((10.0, 1e3), (1e3, 1e5)):
            a = regs[(lams >= lo) & (lams < hi)]
            b = regs[lams >= hi]
            if a.size and b.size:
                assert b.max() <= a.max() + 1e-12
        assert regs[-1] <= 1e-5 * scale


def test_invalid_parameters() -> None:
    from coercion.errors import InvalidParameterError, UnsupportedGameError

    mp = matching_pennies()
    with pytest.raises(InvalidParameterError):
        logit_trace(mp, max_lambda=-1.0)
    with pytest.raises(InvalidParameterError):
        logit_qre(mp, float("nan"))
    with pytest.raises(UnsupportedGameError):
        logit_trace(threat_tree())  # type: ignore[arg-type]
    with pytest.raises(UnsupportedGameError):
        agent_logit_trace(mp)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- pygambit oracle
def _gambit_flat(ggame: Any, profile: Any) -> np.ndarray:
    return np.array([float(profile[s]) for p in ggame.players for s in p.strategies])


@pytest.mark.oracle
@pytest.mark.parametrize(
    "game",
    [
        NormalFormGame.bimatrix(FOLD_A, FOLD_B),
        *_random_games(23, 8, [(2, 2), (3, 3), (2, 4), (2, 2, 2)]),
    ],
)
def test_against_pygambit(game: NormalFormGame) -> None:
    gbt = pytest.importorskip("pygambit")
    ints = [game.payoffs[i].astype(int).tolist() for i in range(game.n_players)]
    ggame = gbt.Game.from_arrays(*ints)
    lams = [0.1, 0.5, 2.0, 10.0] if np.ptp(game.payoffs) < 100 else [0.001, 0.005, 0.02, 0.1]
    for lam, ref in zip(lams, gbt.qre.logit_solve_lambda(ggame, lam=lams), strict=True):
        assert abs(ref.lam - lam) <= 1e-9
        mine = _flat(logit_qre(game, lam))
        assert np.abs(mine - _gambit_flat(ggame, ref.profile)).max() <= 1e-6
    (eq,) = gbt.nash.logit_solve(ggame).equilibria
    limit = _flat(logit_trace(game).limit[0])
    assert np.abs(limit - _gambit_flat(ggame, eq)).max() <= 1e-4


# ---------------------------------------------------------------------- trees
def _random_pi_tree(rng: np.random.Generator, depth: int, n_players: int) -> GameTree:
    """Perfect-information tree with continuous (hence distinct) payoffs, chance nodes."""
    players = [f"P{i + 1}" for i in range(n_players)]

    def node(d: int) -> Any:
        if d >= depth or (d > 0 and rng.random() < 0.3):
            return Terminal("o", tuple(float(v) for v in rng.uniform(-10, 10, size=n_players)))
        width = int(rng.integers(1, 4))
        if d > 0 and rng.random() < 0.2:
            w = rng.integers(1, 6, size=width)
            total = int(w.sum())
            return Chance(
                {f"n{j}": (Fraction(int(w[j]), total), node(d + 1)) for j in range(width)}
            )
        who = players[int(rng.integers(n_players))]
        return Decision(who, {f"m{j}": node(d + 1) for j in range(width)})

    return GameTree(players, node(0))


def test_agent_qre_selects_the_subgame_perfect_equilibrium() -> None:
    rng = np.random.default_rng(2024)
    for _ in range(25):
        tree = _random_pi_tree(rng, int(rng.integers(2, 4)), int(rng.integers(1, 4)))
        trace = agent_logit_trace(tree)
        assert trace.limit.success
        assert max_regret(tree, trace.limit[0]) <= 1e-8
        assert is_subgame_perfect(tree, trace.limit[0], tol=1e-8)


def test_agent_qre_drops_the_non_credible_threat() -> None:
    tree = threat_tree(c1=2)  # imposing costs the coercer more than backing down
    res = agent_logit_trace(tree).limit
    assert is_subgame_perfect(tree, res[0], tol=1e-8)
    lcp_like = solve(tree)  # backward induction agrees
    assert any(np.allclose(_flat(_blocks(res[0])), _flat(_blocks(e))) for e in lcp_like)


def test_agent_qre_with_information_sets_is_nash() -> None:
    from tests.games import threat_tree_with_types

    tree = threat_tree_with_types()
    trace = agent_logit_trace(tree)
    assert trace.limit.max_regret <= 1e-5
    # the semi-separating sequential equilibrium pygambit's logit_solve reports
    coercer, target = trace.limit[0].to_list()
    assert coercer[1] == pytest.approx([0.5, 0.5], abs=1e-5)
    assert sorted(h[0] for h in target) == pytest.approx([0.0, 8 / 9], abs=1e-5)
