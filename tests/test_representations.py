"""Value objects validate at construction; conversions preserve the game."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from coercion.errors import CoercionError, InvalidGameError, UnsupportedGameError
from coercion.games import (
    BehaviorProfile,
    Chance,
    Decision,
    GameTree,
    MixedProfile,
    NormalFormGame,
    Terminal,
)
from tests import games


@pytest.mark.parametrize(
    ("payoffs", "match"),
    [
        ([[[1, math.nan]], [[0, 0]]], "finite"),
        ([[[1, math.inf]], [[0, 0]]], "finite"),
        ([[1, 2], [3, 4]], "action axes"),
        ([[["a", 1]], [[0, 0]]], "real numbers"),
        (np.zeros((2, 0, 2)), "at least one action"),
    ],
)
def test_normal_form_rejects_bad_payoffs(payoffs: object, match: str) -> None:
    with pytest.raises(InvalidGameError, match=match) as info:
        NormalFormGame(payoffs)
    assert isinstance(info.value, ValueError) and isinstance(info.value, CoercionError)


def test_normal_form_labels_are_validated() -> None:
    with pytest.raises(InvalidGameError, match="unique"):
        NormalFormGame.bimatrix([[1]], [[1]], players=["A", "A"])
    with pytest.raises(InvalidGameError, match="2 labels"):
        NormalFormGame.bimatrix([[1, 2]], [[1, 2]], actions=[["x"], ["a"]])


def test_normal_form_is_exact_for_integers_and_fractions() -> None:
    g = NormalFormGame.bimatrix([[F(1, 3), 0]], [[1, 2]])
    assert g.is_exact and g.exact()[0, 0, 0] == F(1, 3)
    h = NormalFormGame.bimatrix(np.array([[0.1]]), np.array([[0.2]]))
    assert not h.is_exact and h.exact()[0, 0, 0] == F(0.1)


def test_normal_form_is_immutable() -> None:
    g = games.prisoners_dilemma()
    with pytest.raises((AttributeError, TypeError)):
        g.title = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 7


def test_nashpy_round_trip() -> None:
    g = games.battle_of_sexes()
    back = NormalFormGame.from_nashpy(g.to_nashpy())
    assert np.array_equal(back.payoffs, g.payoffs)


def test_tree_validation_messages_name_the_place() -> None:
    with pytest.raises(InvalidGameError, match=r"sum to 1"):
        GameTree(
            ["A"],
            Chance({"x": (F(1, 2), Terminal("a", (0,))), "y": (F(1, 3), Terminal("b", (0,)))}),
        )
    with pytest.raises(InvalidGameError, match=r"\[0, 1\]"):
        GameTree(
            ["A"],
            Chance({"x": (F(3, 2), Terminal("a", (0,))), "y": (F(-1, 2), Terminal("b", (0,)))}),
        )
    with pytest.raises(InvalidGameError, match="names player 'B'"):
        GameTree(["A"], Decision("B", {"x": Terminal("a", (0,))}))
    with pytest.raises(InvalidGameError, match="needs 2 payoffs"):
        GameTree(["A", "B"], Decision("A", {"x": Terminal("a", (0,))}))
    with pytest.raises(InvalidGameError, match=r"root/x"):
        GameTree(["A"], Decision("A", {"x": Terminal("a", (math.nan,))}))
    with pytest.raises(InvalidGameError, match="same actions"):
        GameTree(
            ["A", "B"],
            Decision(
                "A",
                {
                    "l": Decision("B", {"x": Terminal("a", (0, 0))}, infoset="h"),
                    "r": Decision("B", {"y": Terminal("b", (0, 0))}, infoset="h"),
                },
            ),
        )
    with pytest.raises(InvalidGameError, match="broadcast"):
        GameTree(
            ["A"],
            Decision("A", {"x": Terminal("a", (np.zeros(2),)), "y": Terminal("b", (np.zeros(3),))}),
        )


def test_tree_structure() -> None:
    t = games.threat_tree_with_types()
    assert not t.is_perfect_information and t.has_perfect_recall and t.has_chance
    assert t.subgame_roots() == (0,)
    assert [len(own) for own in t.player_infosets] == [2, 2]
    assert games.threat_tree().subgame_roots() == (0, 1, 3)


def test_imperfect_recall_is_detected() -> None:
    # the player forgets its own first move (absent-minded-style)
    t = GameTree(
        ["A"],
        Decision(
            "A",
            {
                "l": Decision(
                    "A", {"x": Terminal("a", (1,)), "y": Terminal("b", (0,))}, infoset="h"
                ),
                "r": Decision(
                    "A", {"x": Terminal("c", (0,)), "y": Terminal("d", (1,))}, infoset="h"
                ),
            },
        ),
    )
    assert not t.has_perfect_recall


def test_reduced_normal_form_of_threat_game() -> None:
    g = games.threat_tree().to_normal_form()
    assert g.actions == (
        ("threaten/impose", "threaten/back_down", "no_threat/*"),
        ("concede", "resist"),
    )
    assert g.exact_payoffs is not None
    assert g.exact()[0].tolist() == [[1, F(-1, 2)], [1, -1], [0, 0]]


@pytest.mark.oracle
def test_reduced_normal_form_matches_pygambit() -> None:
    gbt = pytest.importorskip("pygambit")
    import tempfile

    from coercion.io import write_efg

    tree = games.threat_tree_with_types()
    ours = tree.to_normal_form()
    with tempfile.NamedTemporaryFile("w", suffix=".efg", delete=False) as fh:
        fh.write(write_efg(tree))
    g = gbt.read_efg(fh.name)
    theirs = [np.vectorize(lambda x: F(str(x)), otypes=[object])(a) for a in g.to_arrays()]
    assert sorted(map(tuple, ours.exact()[0].tolist())) == sorted(map(tuple, theirs[0].tolist()))
    assert ours.shape == tuple(len(p.strategies) for p in g.players)


def test_behaviour_mixed_round_trip() -> None:
    t = games.threat_tree_with_types()
    b = BehaviorProfile.from_exact(
        [[[F(1, 3), F(2, 3)], [F(1, 2), F(1, 2)]], [[F(1, 4), F(3, 4)], [F(1), F(0)]]]
    )
    assert t.mixed_to_behavior(t.behavior_to_mixed(b)) == b


def test_symbolic_tree_evaluates_to_grid() -> None:
    sp = pytest.importorskip("sympy")
    c = sp.Symbol("c")
    t = games.threat_tree(c1=c)
    assert t.is_symbolic
    with pytest.raises(UnsupportedGameError, match="symbolic"):
        t.to_normal_form()
    grid = t.evaluate({"c": np.array([0.5, 2.0])})
    assert grid.grid_shape == (2,)


def test_profiles_validate() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        MixedProfile([[0.5, 0.4]])
    with pytest.raises(ValueError, match="non-negative"):
        MixedProfile([[1.5, -0.5]])
