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

``method="auto"`` picks ``enummixed`` for two-player normal forms within
the size rule (:data:`AUTO_MAX_VERTICES`: McMullen's bound on the vertices
of the best-response polytopes at most 50,000, e.g. up to 12x12) and exact
Lemke–Howson from every label above it (``exhaustive=False``), ``pure``
for N-player normal forms (then ``exhaustive=False``: mixed equilibria are
not searched), ``backward_induction`` for perfect-information
trees, ``sequence_form_lcp`` for two-player trees with information sets and
perfect recall (polynomial in the size of the tree; one equilibrium, the one
Gambit's ``lcp_solve`` finds first, so ``exhaustive=False``), and otherwise
solves the reduced normal form and converts the equilibria to behaviour
strategies (Kuhn's theorem).  For *all* extreme equilibria of a two-player
tree with information sets ask for ``method="enummixed"`` (exponential in the
tree: its reduced normal form).

Methods that can take exponential time (``enummixed``, ``lemke_howson``,
``sequence_form_lcp``) run under :func:`solve` with a time budget
(:data:`DEFAULT_TIMEOUT`, 30 s, ``timeout=`` to change, ``None`` for no
limit) and return what they certified so far with ``status=TIMEOUT``.
Tree answers are certified on the tree (:func:`behavior_regrets`) when the
tree has perfect recall.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from coercion.errors import (
    GameTooLargeError,
    InvalidParameterError,
    UnknownMethodError,
    UnsupportedGameError,
)
from coercion.games.extensive_form import GameTree
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import check_timeout
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
from coercion.solvers.certificates import (
    behavior_regrets,
    is_nash,
    is_subgame_perfect,
    max_regret,
    regrets,
)
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
    "AUTO_MAX_VERTICES",
    "DEFAULT_TIMEOUT",
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
    "behavior_regrets",
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


#: Default time budget of :func:`solve` in seconds, for the methods that can
#: take exponential time (``enummixed``, ``lemke_howson``,
#: ``sequence_form_lcp``); ``timeout=None`` removes it.
DEFAULT_TIMEOUT = 30.0

#: The size rule of ``method="auto"`` on two-player normal forms: enumerate
#: exhaustively when :func:`~coercion.solvers.enummixed.vertex_bound` (McMullen's
#: bound on the vertices of the two best-response polytopes) is at most this.
#: 50,000 admits every square game up to 12x12 (49,504; random 12x12 in about
#: 1.3 s) and rectangular ones such as 5x30 (28,124; about 2.7 s); 13x13 is
#: 108,528.  Raise it with ``solve(game, max_size=...)``.
AUTO_MAX_VERTICES = 50_000

#: Methods that receive the time budget.
TIMED_METHODS = frozenset({"enummixed", "lemke_howson", "sequence_form_lcp"})

#: Largest number of pure plans (the product of a player's action counts over
#: its information sets) for which a tree is solved through its reduced normal
#: form; above it the reduced normal form is refused before it is built.
MAX_TREE_PLANS = 100_000


def _check_max_size(max_size: object) -> int:
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise InvalidParameterError(f"solve: max_size must be an integer >= 1; got {max_size!r}")
    return max_size


def _check_plans(tree: GameTree, method: str) -> None:
    for i, own in enumerate(tree.player_infosets):
        plans = math.prod(len(tree.infosets[h].actions) for h in own)
        if plans > MAX_TREE_PLANS:
            raise GameTooLargeError(
                f"solve: method {method!r} solves this tree through its reduced normal form, "
                f"but player {tree.players[i]!r} has {plans:.3g} pure plans over "
                f"{len(own)} information sets (more than {MAX_TREE_PLANS:,}); use "
                "method='sequence_form_lcp' (two players, perfect recall) or a smaller tree"
            )


def _auto_bimatrix(
    game: NormalFormGame, timeout: float | None, max_size: int, **options: Any
) -> EquilibriumResult:
    """The size rule of ``method="auto"`` on a two-player normal form."""
    from coercion.solvers.enummixed import MAX_MEMORY, bytes_per_vertex, vertex_bound
    from coercion.solvers.lemke_howson import lemke_howson

    m, n = game.shape
    bound = vertex_bound(m, n)
    if bound <= max_size and bound * bytes_per_vertex(m, n) <= MAX_MEMORY:
        res = enummixed(game, timeout=timeout, **options)
        if res.status is Status.TIMEOUT:
            res = dataclasses.replace(
                res, message=res.message.replace("raise timeout=", "raise solve(..., timeout=)")
            )
        return res
    res = lemke_howson(game, initial_dropped_label="all", timeout=timeout, **options)
    return dataclasses.replace(
        res,
        status=Status.INCOMPLETE if res.status is Status.SUCCESS else res.status,
        message=(
            f"{m}x{n} game above the size rule for exhaustive enumeration (up to {bound:.3g} "
            f"polytope vertices, more than max_size={max_size:,}): {res.message}; call "
            "solve(game, method='enummixed') for all extreme equilibria (may take long)"
        ),
    )


def solve(
    game: NormalFormGame | GameTree,
    method: str = "auto",
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_size: int = AUTO_MAX_VERTICES,
    **options: Any,
) -> EquilibriumResult:
    """Find equilibria of *game* with the named *method*.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        A single game (a tree holding parameter grids goes to :func:`solve_grid`).
    method : str, optional
        One of ``"auto"``, ``"pure"``, ``"enummixed"``, ``"support_enumeration"``,
        ``"vertex_enumeration"``, ``"lemke_howson"``, ``"backward_induction"``,
        ``"sequence_form_lcp"``, ``"sequence_form_lp"``.
    timeout : float or None, optional
        Time budget in seconds (default :data:`DEFAULT_TIMEOUT`, 30 s;
        ``None`` for no limit) for the methods that can take exponential time:
        ``enummixed``, ``lemke_howson`` and ``sequence_form_lcp`` check the
        clock between pivots and, when it runs out, return the certified
        equilibria found so far with ``status=TIMEOUT`` and
        ``exhaustive=False``.  The other methods are polynomial (``pure``,
        ``backward_induction``, ``sequence_form_lp``) or are nashpy's, which
        cannot be interrupted and are gated by *max_size* instead.
    max_size : int, optional
        The size rule (default :data:`AUTO_MAX_VERTICES`, 50,000), measured
        as :func:`~coercion.solvers.enummixed.vertex_bound` ``(m, n)``, the
        upper bound on the vertices of the best-response polytopes.  Up to it
        ``method="auto"`` enumerates a two-player normal form exhaustively
        (``enummixed``); above it ``auto`` runs exact Lemke–Howson from all
        ``m + n`` labels (certified, deduplicated, ``exhaustive=False``,
        ``status=INCOMPLETE``) and the message says to call
        ``solve(game, method="enummixed")`` for all.  nashpy's
        ``support_enumeration`` and ``vertex_enumeration`` are refused above it.
    **options
        Passed to the method (e.g. ``tol``, ``max_iter``, ``max_memory``).

    Returns
    -------
    EquilibriumResult

    Raises
    ------
    UnknownMethodError
        For a method name not in the table.
    UnsupportedGameError
        When the method does not apply to the game.
    GameTooLargeError
        When a requested method cannot fit its documented bound (the memory
        bound of ``enummixed``, *max_size* for nashpy's methods, or
        :data:`MAX_TREE_PLANS` for a tree solved through its reduced normal form).

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = solve(mp)
    >>> res.method, res.exhaustive, res[0].to_list()
    ('enummixed', True, [[0.5, 0.5], [0.5, 0.5]])

    Above the size rule, ``auto`` returns a certified sample:

    >>> res = solve(mp, max_size=4)
    >>> res.method, res.exhaustive, res.status.value
    ('lemke_howson', False, 'incomplete')
    """
    known = ("auto", *TREE_METHODS, *METHODS)
    if method not in known:
        raise UnknownMethodError(f"solve: method must be one of {list(known)}; got {method!r}")
    timeout = check_timeout(timeout, "solve")
    max_size = _check_max_size(max_size)

    def run(
        fn: Callable[..., EquilibriumResult], name: str, target: Any, **extra: Any
    ) -> EquilibriumResult:
        if name in TIMED_METHODS:
            extra["timeout"] = timeout
        return fn(target, **extra, **options)

    if isinstance(game, NormalFormGame):
        if method in TREE_METHODS:
            raise UnsupportedGameError(f"solve: {method!r} needs a GameTree")
        if method == "auto":
            if game.n_players == 2:
                return _auto_bimatrix(game, timeout, max_size, **options)
            res = pure_nash(game, **options)
            return dataclasses.replace(
                res,
                exhaustive=False,
                status=Status.INCOMPLETE,
                message=res.message + "; mixed equilibria of N-player games are not searched",
            )
        if method in ("support_enumeration", "vertex_enumeration") and game.n_players == 2:
            from coercion.solvers.enummixed import vertex_bound

            bound = vertex_bound(*game.shape)
            if bound > max_size:
                raise GameTooLargeError(
                    f"solve: nashpy's {method} cannot be interrupted, and this "
                    f"{game.shape[0]}x{game.shape[1]} game may have up to {bound:.3g} polytope "
                    f"vertices, more than max_size={max_size:,}; use method='auto' or "
                    "'lemke_howson', or raise max_size="
                )
        return run(METHODS[method], method, game)
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
                res = run(sequence_form_lcp, "sequence_form_lcp", game)
                return dataclasses.replace(
                    res,
                    message=res.message
                    + "; one equilibrium (method='enummixed' lists all extreme ones)",
                )
            method = "enummixed" if game.n_players == 2 else "pure"
            _check_plans(game, method)
            res = _tree_via_normal_form(game, method, **_timed(method, timeout), **options)
            if method == "pure":
                res = dataclasses.replace(res, exhaustive=False, status=Status.INCOMPLETE)
            return res
        if method in TREE_METHODS:
            return run(TREE_METHODS[method], method, game)
        _check_plans(game, method)
        return _tree_via_normal_form(game, method, **_timed(method, timeout), **options)
    raise UnsupportedGameError(
        f"solve: game must be a NormalFormGame or GameTree; got {type(game).__name__}"
    )


def _timed(method: str, timeout: float | None) -> dict[str, Any]:
    return {"timeout": timeout} if method in TIMED_METHODS else {}


def solve_grid(tree: GameTree, method: str = "backward_induction", **options: Any) -> GridResult:
    """Solve a grid-valued tree at every grid point at once (vectorised).

    See :func:`coercion.solvers.backward_induction.backward_induction_grid`.
    """
    if method != "backward_induction":
        raise UnknownMethodError(f"solve_grid: method must be 'backward_induction'; got {method!r}")
    return backward_induction_grid(tree, **options)
