"""Backward induction: known answers, SPE certificates, vectorised == scalar."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coercion.errors import UnsupportedGameError
from coercion.games import Chance, Decision, GameTree, Terminal
from coercion.solvers import (
    backward_induction,
    backward_induction_grid,
    is_nash,
    is_subgame_perfect,
    solve,
)
from tests import games
from tests.strategies import perfect_information_trees


def plain_spe_payoffs(tree: GameTree) -> list[Any]:
    """An independent, textbook backward induction (recursion on node objects)."""

    def value(node: Any) -> list[Any]:
        if isinstance(node, Terminal):
            return [F(v) for v in node.payoffs]
        if isinstance(node, Chance):
            total = [F(0)] * tree.n_players
            for p, child in node.moves.values():
                total = [t + F(p) * v for t, v in zip(total, value(child), strict=True)]
            return total
        i = tree.players.index(node.player)
        return max((value(c) for c in node.moves.values()), key=lambda v: v[i])

    return value(tree.root)


def test_credible_threat_gives_concession() -> None:
    res = backward_induction(games.threat_tree())  # c1 = 1/2 < a = 1 < v... target concedes
    assert len(res) == 1 and res.exhaustive and res.ties is False
    assert res.payoffs[0] == (1.0, -1.0)
    # Coercer: threaten at the root, impose after resistance; target: concede
    assert res[0].to_list() == [[[1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0]]]


def test_incredible_threat_deters_nothing() -> None:
    res = backward_induction(games.threat_tree(c1=2))  # imposing costs more than backing down
    assert res.payoffs == ((0.0, 0.0),)
    assert res[0].to_list() == [[[0.0, 1.0], [0.0, 1.0]], [[0.0, 1.0]]]


def test_ties_are_reported_with_every_spe() -> None:
    res = backward_induction(games.threat_tree(c1=1, a=1))  # coercer indifferent after resistance
    assert res.ties is True and res.exhaustive
    assert sorted(res.payoffs) == [(0.0, 0.0), (1.0, -1.0)]
    for eq in res:
        assert is_subgame_perfect(res.game, eq)  # type: ignore[arg-type]


def test_lcp_style_non_credible_profile_is_rejected() -> None:
    # what pygambit's lcp_solve returned (research notes §2.3): no threat, impose 1/2, resist
    from coercion.games import BehaviorProfile

    tree = games.threat_tree()
    profile = BehaviorProfile([[[0, 1], [F(1, 2), F(1, 2)]], [[0, 1]]])
    assert is_nash(tree, profile)
    assert not is_subgame_perfect(tree, profile)


def test_imperfect_information_is_refused() -> None:
    with pytest.raises(UnsupportedGameError, match="perfect-information"):
        backward_induction(games.threat_tree_with_types())


@given(perfect_information_trees(max_depth=3))
def test_spe_payoffs_equal_plain_backward_induction(tree: GameTree) -> None:
    res = backward_induction(tree)
    expected = plain_spe_payoffs(tree)
    if not res.ties:
        assert len(res) == 1
        assert res.payoffs[0] == tuple(float(v) for v in expected)
    for eq in res:
        assert is_subgame_perfect(tree, eq, tol=0.0)


@given(perfect_information_trees(max_depth=3, chance=True))
def test_backward_induction_plan_is_nash_of_the_normal_form(tree: GameTree) -> None:
    res = backward_induction(tree)
    normal = tree.to_normal_form()
    for eq in res:
        mixed = tree.behavior_to_mixed(eq)  # type: ignore[arg-type]
        assert is_nash(normal, mixed, tol=0.0)


@st.composite
def grid_trees(draw: st.DrawFn) -> tuple[GameTree, int]:
    """A random perfect-information tree whose payoffs are arrays over a grid."""
    size = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    base = draw(perfect_information_trees(max_depth=3, exact=True))

    def noisy(v: Any) -> Any:
        # integer-valued grids make ties common; random offsets make them rare
        if draw(st.booleans()):
            return float(v) + rng.integers(-2, 3, size).astype(float)
        return float(v) + rng.normal(size=size)

    def chance_grid(node: Any) -> Any:
        if isinstance(node, Terminal):
            return Terminal(node.label, tuple(noisy(v) for v in node.payoffs))
        if isinstance(node, Decision):
            return Decision(node.player, {a: chance_grid(c) for a, c in node.moves.items()})
        return Chance({a: (float(p), chance_grid(c)) for a, (p, c) in node.moves.items()})

    return GameTree(base.players, chance_grid(base.root)), size


@given(grid_trees())
def test_vectorised_equals_scalar_point_by_point(case: tuple[GameTree, int]) -> None:
    tree, size = case
    grid = backward_induction_grid(tree)
    for k in range(size):
        point = tree.map_values(lambda v, k=k: float(np.broadcast_to(v, (size,))[k]))
        scalar = backward_induction(point)
        assert (grid.status[k] > 0) == bool(scalar.ties)
        payoffs = grid.payoffs[:, k]
        if not scalar.ties:
            assert np.allclose(payoffs, scalar.payoffs[0], atol=1e-9)
            assert grid.plan_at((k,)) == scalar[0]
        else:  # the grid picks one of the SPEs: the first optimal action everywhere
            assert any(np.allclose(payoffs, u, atol=1e-9) for u in scalar.payoffs)
            assert is_subgame_perfect(point, grid.plan_at((k,)), tol=1e-9)
        if grid.status[k] == 1:  # inessential ties: every SPE has the same payoffs
            assert all(np.allclose(u, scalar.payoffs[0], atol=1e-9) for u in scalar.payoffs)


def test_grid_outcome_labels_and_path() -> None:
    c1 = np.linspace(0, 2, 5)  # 0, .5, 1, 1.5, 2 against a = 1
    res = backward_induction_grid(games.threat_tree(c1=c1))
    assert res.outcome_names().tolist() == [
        "concession",
        "concession",
        "concession",
        "status_quo",
        "status_quo",
    ]
    # at c1 = a the coercer is indifferent, and the target's payoff depends on the tie
    assert res.status.tolist() == [0, 0, 2, 0, 0]
    assert res.path_at((0,)) == [("Coercer", "threaten"), ("Target", "concede")]
    assert res.path_at((4,)) == [("Coercer", "no_threat")]


def test_grid_with_chance_gives_outcome_probabilities() -> None:
    p = np.array([0.25, 0.5])
    tree = GameTree(
        ["A"],
        Chance(
            {
                "h": (p, Decision("A", {"x": Terminal("x", (1,)), "y": Terminal("y", (0,))})),
                "t": (1 - p, Terminal("z", (0,))),
            }
        ),
    )
    res = backward_induction_grid(tree)
    assert np.allclose(res.outcome_probabilities[res.outcome_labels.index("x")], p)
    assert np.allclose(res.payoffs[0], p)


def test_solve_dispatches_trees() -> None:
    assert solve(games.threat_tree()).method == "backward_induction"
    with pytest.raises(UnsupportedGameError, match="solve_grid"):
        solve(games.threat_tree(c1=np.array([0.5, 2.0])))
