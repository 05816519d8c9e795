"""nashpy's vertex enumeration, with every returned profile certified.

Algorithm (vertex enumeration of the best-response polytopes; Mangasarian
1964, von Stengel 2007, *Algorithmic Game Theory* ch. 3, Algorithm 3.5):
enumerate the vertices of ``P = {x >= 0 : B^T x <= 1}`` and
``Q = {y >= 0 : A y <= 1}`` and output every completely labelled pair of
nonzero vertices, normalised.  This wrapper calls
``nashpy.Game.vertex_enumeration()`` (nashpy 0.0.43, vertices by scipy's
Qhull in floating point) and adds what nashpy does not give:

* every returned profile is **certified** with our own regret (kept only if
  ``regret <= tol``); non-equilibria and non-probability vectors are dropped
  and counted in ``rejected``.  nashpy was measured returning a
  non-equilibrium (regret 5.6e-8) on the random 2x3 game
  ``numpy.random.default_rng(103924)`` (two payoffs equal to 4 decimals);
  probabilities such as ``-3.7e-17`` (rounding noise, at most ``1e-9`` in
  size) are set to 0;
* nashpy's **exceptions become a status**: it raises ``QhullError`` on games
  where a player has a single action; the result then has status ``NO_EQUILIBRIUM_FOUND`` (or
  ``INCOMPLETE`` with what was certified before the failure) and the error
  in ``message``;
* the payoffs are **shifted to be at least 1** before the call (equilibria
  are invariant).  nashpy shifts only when the minimum payoff is negative,
  so a zero payoff can leave a best-response polytope unbounded: unshifted,
  it missed an extreme equilibrium in 88 of 400 random games (2x2 to 4x4,
  payoffs in {0, 1, 2}, ``default_rng(2024)``, 371 degenerate) and raises
  ``TypeError`` on the all-zero game; after the shift it missed none of
  them (exact reference: :func:`~coercion.solvers.enummixed.enummixed`);
* **degeneracy** is decided exactly by
  :func:`coercion.solvers.enummixed.is_degenerate`; nashpy's warnings are
  captured and discarded;
* the result is **never exhaustive** (``exhaustive=False``): in floating
  point, vertices of degenerate polytopes can be lost or duplicated and
  near-ties misjudged.  Use :func:`coercion.solvers.enummixed.enummixed` for
  a guaranteed complete list in exact arithmetic.

nashpy is imported inside the function (importing it takes about 0.7 s).

References
----------
Mangasarian, O. L. (1964). Equilibrium points of bimatrix games.
*Journal of the SIAM* 12, 778–780.

von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. *Algorithmic Game Theory*, ch. 3.

Knight, V. and Campbell, J. (2018). Nashpy: a Python library for the
computation of Nash equilibria. *Journal of Open Source Software* 3(30), 904.
"""

from __future__ import annotations

from coercion.games.normal_form import NormalFormGame
from coercion.solvers._common import check_tol, require_bimatrix
from coercion.solvers.result import EquilibriumResult
from coercion.solvers.support_enumeration import _run_nashpy, _wrapped_result

__all__ = ["vertex_enumeration"]


def vertex_enumeration(game: NormalFormGame, *, tol: float = 1e-9) -> EquilibriumResult:
    """Equilibria from nashpy's vertex enumeration, each certified by our regret.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    tol : float, optional
        Certificate tolerance: a profile is kept when its regret is at most *tol*.

    Returns
    -------
    EquilibriumResult
        ``kind="extreme"``, ``exhaustive=False`` always; status
        ``INCOMPLETE``, or ``NO_EQUILIBRIUM_FOUND`` when nothing is
        certified (including when nashpy raised, named in ``message``);
        ``degenerate`` from the exact check; ``rejected`` counts nashpy
        profiles that failed the certificate.

    Raises
    ------
    UnsupportedGameError
        For a game that is not a two-player normal form.
    InvalidParameterError
        For a negative or non-finite *tol*.

    Examples
    --------
    Matching pennies:

    >>> from coercion.games import NormalFormGame
    >>> mp = NormalFormGame.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = vertex_enumeration(mp)
    >>> [eq.to_list() for eq in res], res.exhaustive, res.status.value
    ([[[0.5, 0.5], [0.5, 0.5]]], False, 'incomplete')

    A game where the column player has one action makes nashpy (Qhull) fail;
    the failure is reported, not raised:

    >>> one_column = NormalFormGame.bimatrix([[1], [2]], [[0], [0]])
    >>> res = vertex_enumeration(one_column)
    >>> res.status.value, len(res), res.message.startswith("nashpy vertex enumeration raised")
    ('no_equilibrium_found', 0, True)
    """
    game = require_bimatrix(game, "vertex_enumeration")
    tol = check_tol(tol, "vertex_enumeration")
    import nashpy  # lazy: importing nashpy costs about 0.7 s

    A, B = game.payoff_matrices()
    nash_game = nashpy.Game(A - A.min() + 1.0, B - B.min() + 1.0)
    candidates, malformed, error = _run_nashpy(game, nash_game.vertex_enumeration)
    return _wrapped_result(
        game, "vertex_enumeration", "vertex enumeration", candidates, malformed, error, tol
    )
