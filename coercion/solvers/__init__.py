"""Equilibrium solvers behind one front door, and the certificates beside them.

=========================  ===========================  ==========================  ===========
method                     games                        returns                     exhaustive
=========================  ===========================  ==========================  ===========
``"pure"``                 any normal form              all pure equilibria         yes
``"enummixed"``            two-player normal form       all extreme equilibria,     yes
                                                        exact (degenerate too)
``"support_enumeration"``  two-player normal form       nashpy's list, certified    no
``"vertex_enumeration"``   two-player normal form       nashpy's list, certified    no
``"lemke_howson"``         two-player normal form       one (or per label), exact   no
``"backward_induction"``   perfect-information trees    all pure subgame-perfect    yes
``"sequence_form_lcp"``    two-player trees, perfect    one (Lemke), exact          no
                           recall
``"sequence_form_lp"``     two-player zero-sum trees    one, and the value          no
=========================  ===========================  ==========================  ===========

``method="auto"`` picks ``enummixed`` for two-player normal forms,
``pure`` for N-player normal forms (then ``exhaustive=False``: mixed
equilibria are not searched), ``backward_induction`` for perfect-information
trees, ``sequence_form_lcp`` for two-player trees with information sets and
perfect recall (polynomial in the size of the tree; one equilibrium, the one
Gambit's ``lcp_solve`` finds first, so ``exhaustive=False``), and otherwise
solves the reduced normal form and converts the equilibria to behaviour
strategies (Kuhn's theorem).  For *all* extreme equilibria of a two-player
tree with information sets ask for ``method="enummixed"`` (exponential in the
tree: its reduced normal form).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from coercion.errors import UnknownMethodError, UnsupportedGameError
from coercion.games.extensive_form import GameTree
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers.attrition import (
    AttritionEquilibrium,
    IncompleteAttrition,
    incomplete_attrition,
    war_of_attrition,
)
from coercion.solvers.backward_induction import (
    GridResult,
    backward_induction,
    backward_induction_grid,
)
from coercion.solvers.bargaining import (
    AlternatingOffersSolution,
    BargainingProblem,
    BargainingSolution,
    FearonDemand,
    alternating_offers_finite,
    fearon_demand,
    nash_bargaining,
    rubinstein,
)
from coercion.solvers.batched import BatchedResult, batched_bimatrix
from coercion.solvers.certificates import is_nash, is_subgame_perfect, max_regret, regrets
from coercion.solvers.enummixed import enummixed, is_degenerate
from coercion.solvers.logit_qre import QRETrace, agent_logit_trace, logit_qre, logit_trace
from coercion.solvers.pure import pure_nash
from coercion.solvers.result import EquilibriumResult, Status
from coercion.solvers.sequence_form import (
    SequenceForm,
    sequence_form,
    sequence_form_lcp,
    sequence_form_lp,
)

__all__ = [
    "METHODS",
    "AlternatingOffersSolution",
    "AttritionEquilibrium",
    "BargainingProblem",
    "BargainingSolution",
    "BatchedResult",
    "EquilibriumResult",
    "FearonDemand",
    "GridResult",
    "IncompleteAttrition",
    "QRETrace",
    "SequenceForm",
    "Status",
    "agent_logit_trace",
    "alternating_offers_finite",
    "backward_induction",
    "backward_induction_grid",
    "batched_bimatrix",
    "enummixed",
    "fearon_demand",
    "incomplete_attrition",
    "is_degenerate",
    "is_nash",
    "is_subgame_perfect",
    "logit_qre",
    "logit_trace",
    "max_regret",
    "nash_bargaining",
    "pure_nash",
    "regrets",
    "rubinstein",
    "sequence_form",
    "sequence_form_lcp",
    "sequence_form_lp",
    "solve",
    "solve_grid",
    "war_of_attrition",
]


def _support_enumeration(game: NormalFormGame, **options: Any) -> EquilibriumResult:
    from coercion.solvers.support_enumeration import support_enumeration

    return support_enumeration(game, **options)


def _vertex_enumeration(game: NormalFormGame, **options: Any) -> EquilibriumResult:
    from coercion.solvers.vertex_enumeration import vertex_enumeration

    return vertex_enumeration(game, **options)


def _lemke_howson(game: NormalFormGame, **options: Any) -> EquilibriumResult:
    from coercion.solvers.lemke_howson import lemke_howson

    return lemke_howson(game, **options)


#: normal-form methods by name
METHODS: dict[str, Callable[..., EquilibriumResult]] = {
    "pure": pure_nash,
    "enummixed": enummixed,
    "support_enumeration": _support_enumeration,
    "vertex_enumeration": _vertex_enumeration,
    "lemke_howson": _lemke_howson,
}


#: methods that work on game trees directly
TREE_METHODS: dict[str, Callable[..., EquilibriumResult]] = {
    "backward_induction": backward_induction,
    "sequence_form_lcp": sequence_form_lcp,
    "sequence_form_lp": sequence_form_lp,
}


def _tree_via_normal_form(tree: GameTree, method: str, **options: Any) -> EquilibriumResult:
    """Solve a tree's reduced normal form and return behaviour-strategy equilibria."""
    normal = tree.to_normal_form()
    inner = METHODS[method](normal, **options)
    behaviour = []
    for eq in inner.equilibria:
        assert isinstance(eq, MixedProfile)
        behaviour.append(tree.mixed_to_behavior(eq))
    return dataclasses.replace(
        inner,
        game=tree,
        equilibria=tuple(behaviour),
        message=inner.message + " (of the reduced normal form, as behaviour strategies)",
    )


def solve(
    game: NormalFormGame | GameTree, method: str = "auto", **options: Any
) -> EquilibriumResult:
    """Find equilibria of *game* with the named *method*.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        A single game (a tree holding parameter grids goes to :func:`solve_grid`).
    method : str, optional
        One of ``"auto"``, ``"pure"``, ``"enummixed"``, ``"support_enumeration"``,
        ``"vertex_enumeration"``, ``"lemke_howson"``, ``"backward_induction"``.
    **options
        Passed to the method (e.g. ``tol``, ``max_iter``).

    Returns
    -------
    EquilibriumResult

    Raises
    ------
    UnknownMethodError
        For a method name not in the table.
    UnsupportedGameError
        When the method does not apply to the game.

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = solve(mp)
    >>> res.method, res.exhaustive, res[0].to_list()
    ('enummixed', True, [[0.5, 0.5], [0.5, 0.5]])
    """
    known = ("auto", *TREE_METHODS, *METHODS)
    if method not in known:
        raise UnknownMethodError(f"solve: method must be one of {list(known)}; got {method!r}")
    if isinstance(game, NormalFormGame):
        if method in TREE_METHODS:
            raise UnsupportedGameError(f"solve: {method!r} needs a GameTree")
        if method == "auto":
            if game.n_players == 2:
                return enummixed(game, **options)
            res = pure_nash(game, **options)
            return dataclasses.replace(
                res,
                exhaustive=False,
                status=Status.INCOMPLETE,
                message=res.message + "; mixed equilibria of N-player games are not searched",
            )
        return METHODS[method](game, **options)
    if isinstance(game, GameTree):
        if game.grid_shape != ():
            raise UnsupportedGameError(
                f"solve: this tree holds a parameter grid of shape {game.grid_shape}; "
                "use solve_grid"
            )
        if method == "auto":
            if game.is_perfect_information:
                return backward_induction(game, **options)
            if game.n_players == 2 and game.has_perfect_recall:
                res = sequence_form_lcp(game, **options)
                return dataclasses.replace(
                    res,
                    message=res.message
                    + "; one equilibrium (method='enummixed' lists all extreme ones)",
                )
            method = "enummixed" if game.n_players == 2 else "pure"
            res = _tree_via_normal_form(game, method, **options)
            if method == "pure":
                res = dataclasses.replace(res, exhaustive=False, status=Status.INCOMPLETE)
            return res
        if method in TREE_METHODS:
            return TREE_METHODS[method](game, **options)
        return _tree_via_normal_form(game, method, **options)
    raise UnsupportedGameError(
        f"solve: game must be a NormalFormGame or GameTree; got {type(game).__name__}"
    )


def solve_grid(tree: GameTree, method: str = "backward_induction", **options: Any) -> GridResult:
    """Solve a grid-valued tree at every grid point at once (vectorised).

    See :func:`coercion.solvers.backward_induction.backward_induction_grid`.
    """
    if method != "backward_induction":
        raise UnknownMethodError(f"solve_grid: method must be 'backward_induction'; got {method!r}")
    return backward_induction_grid(tree, **options)
