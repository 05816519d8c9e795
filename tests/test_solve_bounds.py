"""Bounded solving: the size rule of ``auto``, the time budget, the memory bound,
and sequence-form answers certified on the tree (issue 12, item 3).

Wall-time bounds are generous (a slow CI machine must pass); each test
failed on the code before the change (``auto`` ran exhaustive enumeration
on every two-player game, nothing took ``timeout=``, and tree regrets were
measured in the reduced normal form).
"""

from __future__ import annotations

import json
import math
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from coercion.cli import _SOLVE_MAX_SIZE, _SOLVE_TIMEOUT, main
from coercion.errors import CoercionError, GameTooLargeError, InvalidParameterError
from coercion.games import BehaviorProfile, Chance, Decision, GameTree, NormalFormGame, Terminal
from coercion.io import write_nfg
from coercion.solvers import (
    AUTO_MAX_VERTICES,
    DEFAULT_TIMEOUT,
    Status,
    behavior_regrets,
    enummixed,
    is_nash,
    max_regret,
    solve,
)
from coercion.solvers.certificates import regrets
from coercion.solvers.enummixed import vertex_bound
from coercion.solvers.lemke_howson import lemke_howson
from coercion.solvers.sequence_form import sequence_form_lcp
from coercion.strategies import trees_with_information_sets

F = Fraction


def random_game(m: int, n: int, seed: int = 0) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.bimatrix(rng.random((m, n)), rng.random((m, n)))


def branching_tree(branches: int, actions: int = 3, seed: int = 0) -> GameTree:
    """Chance picks a branch; each player has one information set per branch.

    ``2 * branches`` information sets; each player has ``actions ** branches``
    reduced strategies (729 x 729 for 6 branches of 3 actions).
    """
    rng = np.random.default_rng(seed)
    names = "abcdefgh"[:actions]

    def leaf() -> Terminal:
        return Terminal("o", (int(rng.integers(-5, 6)), int(rng.integers(-5, 6))))

    moves = {
        f"c{b}": (
            F(1, branches),
            Decision(
                "P1",
                {a: Decision("P2", {x: leaf() for x in names}, infoset=f"p2_{b}") for a in names},
                infoset=f"p1_{b}",
            ),
        )
        for b in range(branches)
    }
    return GameTree(["P1", "P2"], Chance(moves), title="branches")


def assert_certified(game: NormalFormGame, res: object) -> None:
    for eq in res:  # type: ignore[attr-defined]
        assert max_regret(game, eq) == 0.0


# --------------------------------------------------------------------------- defaults
def test_documented_defaults() -> None:
    assert DEFAULT_TIMEOUT == 30.0
    assert AUTO_MAX_VERTICES == 50_000
    assert (_SOLVE_TIMEOUT, _SOLVE_MAX_SIZE) == (DEFAULT_TIMEOUT, AUTO_MAX_VERTICES)
    # the rule admits square games up to 12x12
    assert vertex_bound(12, 12) <= AUTO_MAX_VERTICES < vertex_bound(13, 13)
    assert Status.TIMEOUT.value == "timeout"


def test_vertex_bound_bounds_the_vertices_found() -> None:
    import importlib

    mod = importlib.import_module("coercion.solvers.enummixed")
    for m, n in [(3, 3), (4, 6), (2, 9), (6, 6)]:
        P, Q = mod._polytope_vertices(random_game(m, n, seed=m * n))
        assert len(P) + len(Q) <= vertex_bound(m, n)


# --------------------------------------------------------------------------- size rule
def test_auto_is_exhaustive_below_the_size_rule() -> None:
    res = solve(random_game(6, 6))
    assert res.method == "enummixed" and res.exhaustive and res.status is Status.SUCCESS


def test_auto_on_14x14_returns_certified_sample_quickly() -> None:
    game = random_game(14, 14)
    start = time.perf_counter()
    res = solve(game)
    assert time.perf_counter() - start < 20
    assert res.method == "lemke_howson"
    assert res.exhaustive is False and res.status is Status.INCOMPLETE
    assert len(res) >= 1 and res.max_regret == 0.0
    assert_certified(game, res)
    assert len({tuple(map(tuple, eq.exact)) for eq in res}) == len(res)  # deduplicated
    assert "solve(game, method='enummixed')" in res.message
    assert "size rule" in res.message


def test_max_size_moves_the_rule() -> None:
    game = random_game(4, 4)
    assert solve(game, max_size=10).method == "lemke_howson"
    assert solve(random_game(14, 14), max_size=10**6, timeout=0.05).method == "enummixed"
    with pytest.raises(InvalidParameterError, match="max_size"):
        solve(game, max_size=0)


def test_auto_on_40x40_neither_raises_memory_error_nor_runs_past_the_budget() -> None:
    game = random_game(40, 40)
    start = time.perf_counter()
    res = solve(game, timeout=3.0)
    assert time.perf_counter() - start < 20
    assert res.method == "lemke_howson" and res.exhaustive is False
    assert res.status in (Status.TIMEOUT, Status.INCOMPLETE)
    assert_certified(game, res)


def test_enummixed_on_40x40_is_refused_before_any_work() -> None:
    start = time.perf_counter()
    with pytest.raises(GameTooLargeError, match=r"memory bound of 1 GiB.*max_memory"):
        solve(random_game(40, 40), method="enummixed")
    assert time.perf_counter() - start < 5
    assert issubclass(GameTooLargeError, CoercionError)


def test_max_memory_none_lifts_the_bound() -> None:
    res = enummixed(random_game(40, 40), max_memory=None, timeout=0.2)
    assert res.status is Status.TIMEOUT and not res.exhaustive
    with pytest.raises(InvalidParameterError, match="max_memory"):
        enummixed(random_game(2, 2), max_memory=-1)


def test_nashpy_methods_are_gated_by_the_size_rule() -> None:
    with pytest.raises(GameTooLargeError, match="max_size"):
        solve(random_game(20, 20), method="vertex_enumeration")


# --------------------------------------------------------------------------- time budget
def test_enummixed_timeout_returns_only_certified_equilibria() -> None:
    game = random_game(10, 10)
    res = solve(game, method="enummixed", timeout=0.01)
    assert res.status is Status.TIMEOUT and res.exhaustive is False
    assert "timeout=" in res.message
    assert_certified(game, res)
    full = enummixed(game)
    found = {str(eq) for eq in full}
    assert all(str(eq) in found for eq in res)


def test_enummixed_timeout_keeps_equilibria_found_so_far() -> None:
    game = random_game(12, 12)
    res = enummixed(game, timeout=0.6)
    assert res.status is Status.TIMEOUT
    assert_certified(game, res)
    full = {str(eq) for eq in enummixed(game)}
    assert {str(eq) for eq in res} <= full


def test_enough_time_gives_the_full_list() -> None:
    game = random_game(5, 5)
    assert [str(e) for e in solve(game, timeout=100)] == [str(e) for e in enummixed(game)]
    assert solve(game, timeout=None).exhaustive


def test_lemke_howson_timeout() -> None:
    game = random_game(30, 30)
    res = lemke_howson(game, initial_dropped_label="all", timeout=0.05)
    assert res.status is Status.TIMEOUT and "timeout=" in res.message
    assert_certified(game, res)


def test_sequence_form_lcp_timeout() -> None:
    res = sequence_form_lcp(branching_tree(6), timeout=1e-6)
    assert res.status is Status.TIMEOUT and len(res) == 0


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "30", True])
def test_bad_timeouts(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="timeout"):
        solve(random_game(2, 2), timeout=bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tree regret
def test_twelve_information_sets_are_solved_and_certified_on_the_tree() -> None:
    tree = branching_tree(6)  # 729 x 729 reduced normal form
    assert len(tree.infosets) == 12
    start = time.perf_counter()
    res = solve(tree)
    assert time.perf_counter() - start < 15
    assert res.method == "sequence_form_lcp" and res.success
    assert res.max_regret == 0.0
    assert behavior_regrets(tree, res[0]) == [0.0, 0.0]
    start = time.perf_counter()
    assert is_nash(tree, res[0], tol=0.0)
    assert time.perf_counter() - start < 5


def test_tree_regret_equals_reduced_normal_form_regret_on_small_trees() -> None:
    tree = branching_tree(2)
    nf = tree.to_normal_form()
    rng = np.random.default_rng(1)
    for _ in range(20):
        profile = [
            [list(map(F, rng.integers(0, 4, size=3) + np.array([1, 0, 0]))) for _ in own]
            for own in tree.player_infosets
        ]
        profile = [[[p / sum(d) for p in d] for d in own] for own in profile]
        bp = BehaviorProfile.from_exact(profile)
        assert behavior_regrets(tree, bp) == regrets(nf, tree.behavior_to_mixed(bp))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees_with_information_sets())
def test_tree_regret_equals_reduced_normal_form_regret(tree: GameTree) -> None:
    if not tree.has_perfect_recall:
        return
    rng = np.random.default_rng(len(tree.nodes))
    per = [
        [list(rng.dirichlet(np.ones(len(tree.infosets[h].actions)))) for h in own]
        for own in tree.player_infosets
    ]
    bp = BehaviorProfile(per)
    tree_r = behavior_regrets(tree, bp)
    nf_r = regrets(tree.to_normal_form(), tree.behavior_to_mixed(bp))
    assert np.allclose(tree_r, nf_r, atol=1e-9)


def test_imperfect_recall_falls_back_to_the_reduced_normal_form() -> None:
    forgetful = GameTree(
        ["A", "B"],
        Decision(
            "A",
            {
                "l": Decision(
                    "A", {"x": Terminal("o", (1, 0)), "y": Terminal("o", (0, 0))}, infoset="later"
                ),
                "r": Decision(
                    "A", {"x": Terminal("o", (0, 0)), "y": Terminal("o", (2, 0))}, infoset="later"
                ),
            },
            infoset="first",
        ),
    )
    assert not forgetful.has_perfect_recall
    profile = [[[F(1), F(0)], [F(0), F(1)]], []]
    with pytest.raises(CoercionError, match="perfect recall"):
        behavior_regrets(forgetful, profile)
    assert max_regret(forgetful, profile) == 2.0


# --------------------------------------------------------------------------- CLI
def test_cli_timeout_and_size_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "g14.nfg"
    write_nfg(random_game(14, 14), path)
    assert main(["solve", str(path)]) == 0
    out = capsys.readouterr().out
    assert "exhaustive: no" in out and "size rule" in out and "--method enummixed" in out
    assert main(["solve", str(path), "--method", "enummixed", "--timeout", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "status: timeout" in out and "--timeout SECONDS raises it" in out
    assert main(["solve", str(path), "--timeout", "0.05", "--method", "enummixed", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "timeout" and data["exhaustive"] is False
    assert data["timeout"] == 0.05 and "--timeout" in data["not_exhaustive_because"]


def test_cli_refuses_bad_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["solve", "bos", "--timeout", "-1"])
    assert exc.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_cli_timeout_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "g3.nfg"
    write_nfg(random_game(3, 3), path)
    assert main(["solve", str(path), "--timeout", "none", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exhaustive"] is True and data["timeout"] is None
    assert data["not_exhaustive_because"] is None
    assert not math.isnan(data["max_regret"])
