"""Canonical games with answers from the literature, shared by the tests."""

from __future__ import annotations

from fractions import Fraction as F

from coercion.games import Chance, Decision, GameTree, NormalFormGame, Terminal


def prisoners_dilemma() -> NormalFormGame:
    """Unique equilibrium (D, D)."""
    return NormalFormGame.bimatrix(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        actions=[["C", "D"], ["C", "D"]],
        title="Prisoner's dilemma",
    )


def matching_pennies() -> NormalFormGame:
    """Unique equilibrium: both mix 1/2–1/2."""
    return NormalFormGame.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], title="Matching pennies")


def battle_of_sexes() -> NormalFormGame:
    """Equilibria (1,0;1,0), (0,1;0,1), (2/3,1/3;1/3,2/3)."""
    return NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], title="Battle of the sexes")


def von_stengel_3x2() -> NormalFormGame:
    """von Stengel (2007, AGT ch. 3, fig. 3.3): three equilibria, nondegenerate."""
    return NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])


def threat_tree(v: object = 1, c1: object = F(1, 2), c2: object = 2, a: object = 1) -> GameTree:
    """The three-stage threat game (research notes, game-theory-libraries §2.2).

    SPE: threaten, concede, impose when c1 < a and v < c2 (payoffs (v, -v));
    no threat, resist, back down when c1 > a.
    """
    return GameTree(
        ["Coercer", "Target"],
        Decision(
            "Coercer",
            {
                "threaten": Decision(
                    "Target",
                    {
                        "concede": Terminal("concession", (v, -v)),  # type: ignore[operator]
                        "resist": Decision(
                            "Coercer",
                            {
                                "impose": Terminal("escalation", (-c1, -c2)),  # type: ignore[operator]
                                "back_down": Terminal("coercer_backs_down", (-a, 0)),  # type: ignore[operator]
                            },
                        ),
                    },
                ),
                "no_threat": Terminal("status_quo", (0, 0)),
            },
        ),
        title="Threat game",
    )


def threat_tree_with_types(p_resolute: F = F(1, 10)) -> GameTree:
    """Chance variant: the coercer does not know whether the target is resolute."""

    def branch(c1: F, c2: F) -> Decision:
        return Decision(
            "Coercer",
            {
                "threaten": Decision(
                    "Target",
                    {
                        "concede": Terminal("concession", (1, -1)),
                        "resist": Decision(
                            "Coercer",
                            {
                                "impose": Terminal("escalation", (-c1, -c2)),
                                "back_down": Terminal("coercer_backs_down", (-1, 0)),
                            },
                            infoset="after_resistance",
                        ),
                    },
                ),
                "no_threat": Terminal("status_quo", (0, 0)),
            },
            infoset="threat",
        )

    return GameTree(
        ["Coercer", "Target"],
        Chance(
            {
                "resolute": (p_resolute, branch(F(3, 2), F(1, 2))),
                "irresolute": (1 - p_resolute, branch(F(1, 2), F(2))),
            }
        ),
        title="Threat game, target of unknown resolve",
    )
