"""Pure-strategy Nash equilibria of any finite normal-form game.

Algorithm: for every player, mark the profiles at which its action is a best
response to the others' actions (a max along its own axis); a profile is an
equilibrium when every player's action is marked.  Exact when the payoffs
are rationals, otherwise ``u >= max - tol``.  The list is exhaustive: every
pure equilibrium is returned, in lexicographic profile order.
"""

from __future__ import annotations

import numpy as np

from coercion.errors import UnsupportedGameError
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import check_tol
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["pure_nash"]


def pure_nash(game: NormalFormGame, *, tol: float = 1e-12) -> EquilibriumResult:
    """All pure-strategy Nash equilibria of an N-player normal-form game.

    Parameters
    ----------
    game : NormalFormGame
    tol : float, optional
        A float payoff within *tol* of the best counts as a best response
        (ignored for exact games, which are compared exactly).

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> chicken = NormalFormGame.bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]],
    ...                                   actions=[["swerve", "straight"]] * 2)
    >>> res = pure_nash(chicken)
    >>> [p.to_list() for p in res], res.exhaustive
    ([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]], True)
    """
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGameError(f"pure_nash: needs a NormalFormGame; got {type(game).__name__}")
    tol = check_tol(tol, "pure_nash")
    exact = game.exact_payoffs
    best = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        if exact is not None:
            u = exact[i]
            top = np.max(u, axis=i, keepdims=True)
            best &= np.asarray(u == top, dtype=bool)
        else:
            u = game.payoffs[i]
            top = np.max(u, axis=i, keepdims=True)
            best &= u >= top - tol
    equilibria = [MixedProfile.pure(game.shape, [int(a) for a in idx]) for idx in np.argwhere(best)]
    payoffs = tuple(
        tuple(float(game.payoffs[(i, *idx)]) for i in range(game.n_players))
        for idx in np.argwhere(best)
    )
    return EquilibriumResult(
        game=game,
        method="pure",
        equilibria=tuple(equilibria),
        payoffs=payoffs,
        exhaustive=True,
        kind="pure",
        status=Status.SUCCESS,
        message=f"found all {len(equilibria)} pure-strategy equilibria",
        max_regret=0.0 if equilibria else float("nan"),
        parameters={"tol": tol},
    )
