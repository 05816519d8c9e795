"""Sequence form: matrices, Lemke's algorithm (exact) and the zero-sum LP.

Oracles: Kuhn's closed form for Kuhn poker (value -1/18 for the first
player; Kuhn 1950, *Contributions to the Theory of Games* I, 97–103), our
exact certificate (regret in the reduced normal form), and pygambit
(``lcp_solve``, ``lp_solve``, ``enummixed_solve``) on the same trees.
"""

from __future__ import annotations

import itertools
import pathlib
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games import Chance, Decision, GameTree, Terminal
from coercion.games.extensive_form import Node
from coercion.io.efg import read_efg, write_efg
from coercion.solvers import Status, is_nash, max_regret
from coercion.solvers.sequence_form import sequence_form, sequence_form_lcp, sequence_form_lp
from coercion.strategies import trees_with_information_sets
from tests.games import threat_tree, threat_tree_with_types

F = Fraction


# --------------------------------------------------------------------------- games
def kuhn_poker() -> GameTree:
    """Kuhn poker: three cards, ante 1, one bet of 1 (Kuhn 1950)."""
    cards = "JQK"

    def showdown(c1: int, c2: int, stake: int) -> Terminal:
        u = stake if c1 > c2 else -stake
        return Terminal("showdown", (u, -u))

    def deal(c1: int, c2: int) -> Decision:
        k1, k2 = cards[c1], cards[c2]
        return Decision(
            "P1",
            {
                "check": Decision(
                    "P2",
                    {
                        "check": showdown(c1, c2, 1),
                        "bet": Decision(
                            "P1",
                            {
                                "fold": Terminal("p1_folds", (-1, 1)),
                                "call": showdown(c1, c2, 2),
                            },
                            infoset=f"{k1}cb",
                        ),
                    },
                    infoset=f"{k2}c",
                ),
                "bet": Decision(
                    "P2",
                    {"fold": Terminal("p2_folds", (1, -1)), "call": showdown(c1, c2, 2)},
                    infoset=f"{k2}b",
                ),
            },
            infoset=k1,
        )

    deals = {
        f"{cards[a]}{cards[b]}": (F(1, 6), deal(a, b))
        for a, b in itertools.permutations(range(3), 2)
    }
    return GameTree(["P1", "P2"], Chance(deals), title="Kuhn poker")


def zero_sum(tree: GameTree) -> GameTree:
    """The same tree with player 2's payoffs replaced by minus player 1's."""

    def rebuild(node: Node) -> Node:
        if isinstance(node, Terminal):
            return Terminal(node.label, (node.payoffs[0], -node.payoffs[0]))
        if isinstance(node, Decision):
            return Decision(
                node.player, {a: rebuild(c) for a, c in node.moves.items()}, node.infoset
            )
        return Chance({a: (p, rebuild(c)) for a, (p, c) in node.moves.items()})

    return GameTree(tree.players, rebuild(tree.root))


@st.composite
def two_player_trees(draw: st.DrawFn, exact: bool = True) -> GameTree:
    """Two-player trees where players move repeatedly, with chance and perfect recall.

    A decision node's information set is keyed by the mover's own history
    (so recall is perfect) and a random signal (so nodes that differ in
    others' moves may share it).
    """
    max_depth = draw(st.integers(2, 4))
    width = {"P1": draw(st.integers(2, 3)), "P2": draw(st.integers(2, 3))}
    if max_depth == 4:
        width = {"P1": 2, "P2": 2}

    def payoff() -> Any:
        if exact:
            return draw(st.integers(-9, 9))
        return draw(st.floats(-10, 10, allow_nan=False, allow_infinity=False))

    def build(depth: int, hist: dict[str, str]) -> Node:
        kind = "leaf" if depth == max_depth else draw(st.sampled_from(["P1", "P2", "chance", "P1"]))
        if kind == "leaf" or (depth > 1 and draw(st.integers(0, 5)) == 0):
            return Terminal("z", (payoff(), payoff()))
        if kind == "chance":
            weights = [draw(st.integers(0, 3)) for _ in range(2)]
            if sum(weights) == 0:
                weights = [1, 1]
            total = sum(weights)
            return Chance(
                {f"n{j}": (F(w, total), build(depth + 1, hist)) for j, w in enumerate(weights)}
            )
        signal = draw(st.integers(0, 1))
        key = f"{kind}|{hist[kind]}|{signal}"
        moves = {}
        for j in range(width[kind]):
            moves[f"m{j}"] = build(depth + 1, {**hist, kind: f"{hist[kind]}/{key}:{j}"})
        return Decision(kind, moves, infoset=key)

    root = build(0, {"P1": "", "P2": ""})
    tree = GameTree(["P1", "P2"], root)
    assume(len(tree.player_infosets[1]) > 0)
    return tree


def two_player(tree: GameTree) -> bool:
    return tree.n_players == 2


# --------------------------------------------------------------------------- matrices
def test_kuhn_sequence_form_matrices() -> None:
    sf = sequence_form(kuhn_poker())
    assert len(sf.sequences[0]) == 13 and len(sf.sequences[1]) == 13
    assert sf.E.shape == (7, 13) and sf.F.shape == (7, 13)
    assert sf.exact and all(isinstance(v, Fraction) for v in sf.A.reshape(-1))
    assert np.array_equal(sf.A, -sf.B)
    # an action's column sums to 1, or to 0 when an own information set follows it
    # (P1's three "check" sequences lead to its second decision)
    sums = [sum(sf.E[:, k]) for k in range(1, 13)]
    assert sums.count(1) == 9 and sums.count(0) == 3
    # a pure plan (always bet, always call) is a realization plan with the right payoff
    x = np.array([F(0)] * 13, dtype=object)
    y = np.array([F(0)] * 13, dtype=object)
    x[0] = y[0] = F(1)
    for k, s in enumerate(sf.sequences[0]):
        if s is not None and sf.tree.infosets[s[0]].actions[s[1]] in ("bet",):
            x[k] = F(1)
    for k, s in enumerate(sf.sequences[1]):
        if s is not None and sf.tree.infosets[s[0]].actions[s[1]] in ("call", "bet"):
            y[k] = F(1)
    assert list(sf.E.dot(x)) == list(sf.e) and list(sf.F.dot(y)) == list(sf.f)
    # always bet vs always call: showdown for 2 -> expected 0
    assert x.dot(sf.A).dot(y) == 0
    assert sf.sequence_label(0, 0) == "∅"


def test_float_tree_gives_float_matrices() -> None:
    tree = threat_tree(v=0.5, c1=0.25, c2=2.0, a=1.0)
    sf = sequence_form(tree)
    assert not sf.exact and sf.A.dtype == np.float64


# --------------------------------------------------------------------------- Kuhn poker
def test_kuhn_poker_lcp_value_is_minus_one_eighteenth() -> None:
    res = sequence_form_lcp(kuhn_poker())
    assert res.success and res.method == "sequence_form_lcp"
    assert res.kind == "some" and res.exhaustive is False and res.iterations
    assert res.max_regret == 0.0
    eq = res[0]
    assert eq.exact is not None
    assert res.payoffs == ((float(F(-1, 18)), float(F(1, 18))),)
    # Kuhn's characterisation: P2 with the king always calls a bet and always bets;
    # P1 with the jack checks at least 2/3 of the time and then never calls a bet;
    # P1 with the king never folds if it checks (if it never checks, its own plan
    # does not reach "Kcb" and the documented convention there is uniform).
    tree = kuhn_poker()
    p1 = {
        tree.infosets[h].key: d for h, d in zip(tree.player_infosets[0], eq.exact[0], strict=True)
    }
    p2 = {
        tree.infosets[h].key: d for h, d in zip(tree.player_infosets[1], eq.exact[1], strict=True)
    }
    assert p2["Kb"] == (0, 1) and p2["Kc"] == (0, 1)
    assert p1["J"][0] >= F(2, 3) and p1["Jcb"] == (1, 0)
    assert p1["Kcb"] == ((0, 1) if p1["K"][0] > 0 else (F(1, 2), F(1, 2)))


def test_kuhn_poker_lp_value() -> None:
    res = sequence_form_lp(kuhn_poker())
    assert res.success and res.method == "sequence_form_lp"
    assert res.parameters["value"] == pytest.approx(-1 / 18, abs=1e-9)
    assert res.parameters["constant_sum"] == 0.0
    assert res.max_regret <= 1e-9
    assert res.payoffs[0][0] == pytest.approx(-1 / 18, abs=1e-9)


# --------------------------------------------------------------------------- threat game
@pytest.mark.parametrize("p", [F(1, 10), F(1, 2), F(9, 10)])
def test_threat_game_with_types(p: Fraction) -> None:
    tree = threat_tree_with_types(p)
    res = sequence_form_lcp(tree)
    assert res.success and res.max_regret == 0.0 and is_nash(tree, res[0], tol=0.0)


def test_perfect_information_threat_game() -> None:
    tree = threat_tree()
    res = sequence_form_lcp(tree)
    assert res.success and res.max_regret == 0.0


# --------------------------------------------------------------------------- random trees
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(trees_with_information_sets(exact=True).filter(two_player))
def test_random_layered_trees_exact(tree: GameTree) -> None:
    res = sequence_form_lcp(tree)
    assert res.success and len(res) == 1
    assert res.max_regret == 0.0
    assert max_regret(tree, res[0]) == 0.0


@settings(max_examples=40, deadline=None)
@given(two_player_trees())
def test_random_repeated_move_trees_exact(tree: GameTree) -> None:
    assert tree.has_perfect_recall
    res = sequence_form_lcp(tree)
    assert res.success and res.max_regret == 0.0


@settings(max_examples=15, deadline=None)
@given(two_player_trees(exact=False))
def test_random_float_trees(tree: GameTree) -> None:
    res = sequence_form_lcp(tree)
    assert res.success and res.max_regret <= 1e-9
    assert res[0].exact is None


@settings(max_examples=25, deadline=None)
@given(two_player_trees())
def test_lp_matches_lcp_on_zero_sum_trees(tree: GameTree) -> None:
    tree = zero_sum(tree)
    lp = sequence_form_lp(tree)
    lcp = sequence_form_lcp(tree)
    assert lp.success and lp.max_regret <= 1e-7
    assert lp.parameters["value"] == pytest.approx(lcp.payoffs[0][0], abs=1e-7)
    assert lp.parameters["duality_gap"] <= 1e-7


# --------------------------------------------------------------------------- errors
def test_rejects_other_games() -> None:
    three = GameTree(
        ["A", "B", "C"],
        Decision("A", {"x": Terminal("x", (1, 2, 3)), "y": Terminal("y", (0, 0, 0))}),
    )
    with pytest.raises(UnsupportedGameError, match="two-player"):
        sequence_form(three)
    forgetful = GameTree(
        ["A", "B"],
        Decision(
            "A",
            {
                "l": Decision(
                    "A", {"u": Terminal("a", (1, 0)), "d": Terminal("b", (0, 1))}, infoset="f"
                ),
                "r": Decision(
                    "A", {"u": Terminal("c", (0, 1)), "d": Terminal("d", (1, 0))}, infoset="f"
                ),
            },
        ),
    )
    with pytest.raises(UnsupportedGameError, match="perfect recall"):
        sequence_form_lcp(forgetful)
    with pytest.raises(UnsupportedGameError, match="zero-sum"):
        sequence_form_lp(threat_tree())
    with pytest.raises(InvalidParameterError, match="max_iter"):
        sequence_form_lcp(threat_tree(), max_iter=0)


def test_iteration_cap() -> None:
    res = sequence_form_lcp(kuhn_poker(), max_iter=2)
    assert res.status is Status.ITERATION_LIMIT and len(res) == 0 and res.iterations == 2


# --------------------------------------------------------------------------- pygambit oracle
def _gambit(tree: GameTree, tmp_path: pathlib.Path) -> Any:
    gbt = pytest.importorskip("pygambit")
    path = tmp_path / "game.efg"
    write_efg(tree, path)
    return gbt.read_efg(str(path))


def _extreme_payoffs(tree: GameTree) -> list[tuple[Fraction, Fraction]]:
    """Payoffs of all extreme equilibria of the reduced normal form (pygambit enummixed)."""
    from tests import oracle

    normal = tree.to_normal_form()
    table = normal.exact()
    out = []
    for x, y in oracle.enummixed(normal):
        out.append(
            tuple(
                sum(
                    (x[i] * y[j] * table[p][i][j] for i in range(len(x)) for j in range(len(y))),
                    F(0),
                )
                for p in (0, 1)
            )
        )
    return out  # type: ignore[return-value]


@pytest.mark.oracle
def test_kuhn_against_pygambit(tmp_path: pathlib.Path) -> None:
    gbt = pytest.importorskip("pygambit")
    g = _gambit(kuhn_poker(), tmp_path)
    lp = gbt.nash.lp_solve(g, rational=True)
    assert F(str(lp.equilibria[0].payoff(next(iter(g.players))))) == F(-1, 18)
    lcp = gbt.nash.lcp_solve(g, rational=True)
    assert F(str(lcp.equilibria[0].payoff(next(iter(g.players))))) == F(-1, 18)


@pytest.mark.oracle
@settings(max_examples=20, deadline=None)
@given(two_player_trees())
def test_payoffs_within_pygambit_equilibria(tree: GameTree) -> None:
    pytest.importorskip("pygambit")
    assume(len(tree.reduced_strategies(0)) * len(tree.reduced_strategies(1)) <= 36)
    res = sequence_form_lcp(tree)
    extreme = _extreme_payoffs(tree)
    assert extreme
    # every equilibrium's payoff lies between the extreme equilibria's payoffs of its
    # component; in particular it equals them when they all agree
    for p in (0, 1):
        low = min(u[p] for u in extreme)
        high = max(u[p] for u in extreme)
        assert float(low) - 1e-12 <= res.payoffs[0][p] <= float(high) + 1e-12
    if len(set(extreme)) == 1:
        assert res.payoffs[0] == tuple(float(v) for v in extreme[0])


@pytest.mark.oracle
@settings(max_examples=15, deadline=None)
@given(two_player_trees())
def test_lp_value_matches_pygambit_strategic_lp(tree: GameTree) -> None:
    gbt = pytest.importorskip("pygambit")
    import tempfile

    tree = zero_sum(tree)
    with tempfile.TemporaryDirectory() as tmp:
        g = _gambit(tree, pathlib.Path(tmp))
    # The oracle is pygambit's exact LP on the strategic form (in a zero-sum game every
    # equilibrium has the same value).  pygambit 16.7's sequence-form lp_solve is not used:
    # on the tree P2{m0: P2{m0: P1[h]{-1,-1}, m1: 0}, m1: P1[h]{0, 0}} it reports value 0
    # while the value is -1 (its strategic LP and enummixed_solve give -1), and its own
    # max_regret() reports 0 for that profile.
    theirs = gbt.nash.lp_solve(g, rational=True, use_strategic=True).equilibria[0]
    value = F(str(theirs.payoff(next(iter(g.players)))))
    res = sequence_form_lp(tree)
    assert max_regret(tree, res.equilibria[0]) <= 1e-7
    assert res.parameters["value"] == pytest.approx(float(value), abs=1e-7)
    assert sequence_form_lcp(tree).payoffs[0][0] == float(value)


def _catalog_games() -> list[pathlib.Path]:
    try:
        import pygambit
    except ImportError:  # pragma: no cover
        return []
    root = pathlib.Path(pygambit.__file__).parent / "catalog_data"
    return sorted(root.rglob("*.efg"))


@pytest.mark.oracle
@pytest.mark.parametrize("path", _catalog_games(), ids=lambda p: p.stem)
def test_catalog_games_against_lcp_solve(path: pathlib.Path) -> None:
    gbt = pytest.importorskip("pygambit")
    tree = read_efg(path)
    if tree.n_players != 2 or not tree.has_perfect_recall:
        with pytest.raises(UnsupportedGameError):
            sequence_form_lcp(tree)
        return
    res = sequence_form_lcp(tree)
    assert res.success and res.max_regret == 0.0
    g = gbt.read_efg(str(path))
    theirs = [
        tuple(float(F(str(eq.payoff(pl)))) for pl in g.players)
        for eq in gbt.nash.lcp_solve(g, rational=True).equilibria
    ]
    assert res.payoffs[0] in theirs


def test_lp_value_on_a_tree_where_pygambit_lp_fails() -> None:
    # found by the property test above: pygambit 16.7's lp_solve reports value 0 here
    from coercion.io import parse_efg

    tree = parse_efg(
        'EFG 2 R "" { "P1" "P2" }\n""\n'
        'p "" 2 1 "a" { "m0" "m1" } 0\n'
        'p "" 2 2 "b" { "m0" "m1" } 0\n'
        'p "" 1 1 "h" { "m0" "m1" } 0\n'
        't "" 1 "z" { -1, 1 }\nt "" 2 "z2" { -1, 1 }\nt "" 3 "z3" { 0, 0 }\n'
        'p "" 1 1 "h" { "m0" "m1" } 0\n'
        't "" 4 "z4" { 0, 0 }\nt "" 5 "z5" { 0, 0 }\n'
    )
    res = sequence_form_lp(tree)
    assert res.parameters["value"] == pytest.approx(-1.0)
    assert max_regret(tree, res.equilibria[0]) <= 1e-9
