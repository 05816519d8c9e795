"""nashpy's support enumeration, with every returned profile certified.

Algorithm (support enumeration; Dickhaut and Kaplan 1991, von Stengel 2007,
*Algorithmic Game Theory* ch. 3, Algorithm 3.4): for every pair of supports
solve the indifference equations and keep the solutions that are
probability vectors on their supports and best responses to each other.
This wrapper calls ``nashpy.Game.support_enumeration()`` (nashpy 0.0.43) and
adds what nashpy does not give:

* every returned profile is **certified** with our own regret
  (:func:`coercion.solvers.certificates.max_regret`, kept only if
  ``regret <= tol``); profiles that fail, or are not probability vectors,
  are dropped and counted in ``rejected``;
* **degeneracy** is decided exactly by
  :func:`coercion.solvers.enummixed.is_degenerate`, never read from nashpy's
  ``RuntimeWarning`` text ("An even number of ... equilibria was returned"),
  which is captured and discarded;
* the result is **never exhaustive** (``exhaustive=False``, status
  ``INCOMPLETE``, or ``NO_EQUILIBRIUM_FOUND`` when nothing is certified).

Why never exhaustive: nashpy solves the indifference equations in floating
point with ``np.linalg.solve`` and then tests ``prob >= 0`` and
``value > tol`` (``tol=1e-16``) on the result, so an off-support probability
computed as ``1e-16`` or ``-4.6e-17`` discards a true equilibrium.  This
misses equilibria of *nondegenerate* games: measured on uniform random games
(project notes ``game-theory-libraries.md``, section 3) in 16/10,000 2x3
games, 3/30 4x4, 2/20 6x6 and 3/8 8x8.  A rerun for this module (2x3 games
``A, B = rng.random((2, 3)), rng.random((2, 3))`` with
``rng = numpy.random.default_rng(seed)``, seeds 100000–109999) found 43
games, all nondegenerate by the exact check, where nashpy missed an
equilibrium; for seed 100238 (one equilibrium) it returns none
(``tests/test_support_enumeration.py``).  In 0.0.43 the unequal-size
support pairs it also tries always fail (non-square system), so the
unequal-support equilibria of degenerate games are missed as well.  Use
:func:`coercion.solvers.enummixed.enummixed` for a guaranteed complete list.

nashpy is imported inside the function (importing it takes about 0.7 s).

References
----------
Dickhaut, J. and Kaplan, T. (1991). A program for finding Nash equilibria.
*The Mathematica Journal* 1(4), 87–93.

von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. *Algorithmic Game Theory*, ch. 3.

Knight, V. and Campbell, J. (2018). Nashpy: a Python library for the
computation of Nash equilibria. *Journal of Open Source Software* 3(30), 904.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import certified, check_tol, require_bimatrix
from coercion.solvers.certificates import expected_payoffs
from coercion.solvers.enummixed import is_degenerate
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["support_enumeration"]

#: probabilities in ``[-_SNAP, 0)`` returned by nashpy are rounding noise and set to 0
_SNAP = 1e-9


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"


def _as_profile(game: NormalFormGame, pair: Any) -> MixedProfile | None:
    """A nashpy ``(x, y)`` pair as a profile, or None if it is not one.

    Rounding noise (a probability in ``[-1e-9, 0)``) is set to zero and the
    vector renormalised; anything else that is not a probability vector of
    the right length is refused.
    """
    try:
        vectors = list(pair)
    except TypeError:
        return None
    if len(vectors) != 2:
        return None
    strategies = []
    for k, raw in enumerate(vectors):
        try:
            v = np.asarray(raw, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            return None
        if v.shape != (game.shape[k],) or not np.all(np.isfinite(v)) or v.min() < -_SNAP:
            return None
        v = np.clip(v, 0.0, None)
        total = float(v.sum())
        if abs(total - 1.0) > 1e-6:
            return None
        strategies.append(v / total)
    return MixedProfile(strategies)


def _run_nashpy(
    game: NormalFormGame, call: Callable[[], Iterable[Any]]
) -> tuple[list[MixedProfile], int, BaseException | None]:
    """Consume a nashpy equilibrium generator under captured warnings.

    Returns the well-formed candidate profiles, the number of malformed ones
    and the exception nashpy raised part-way (None if it finished).
    """
    candidates: list[MixedProfile] = []
    malformed = 0
    error: BaseException | None = None
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        try:
            for pair in call():
                profile = _as_profile(game, pair)
                if profile is None:
                    malformed += 1
                else:
                    candidates.append(profile)
        except Exception as exc:  # nashpy/scipy failures become a status, not a crash
            error = exc
    return candidates, malformed, error


def _wrapped_result(
    game: NormalFormGame,
    method: str,
    what: str,
    candidates: list[MixedProfile],
    malformed: int,
    error: BaseException | None,
    tol: float,
) -> EquilibriumResult:
    """Certify nashpy's candidates and package them (shared by the nashpy wrappers)."""
    kept, regs, rejected = certified(game, candidates, tol)
    rejected += malformed
    payoffs = tuple(expected_payoffs(game, eq) for eq in kept)
    returned = len(candidates) + malformed
    if error is not None:
        failure = f"nashpy {what} raised {type(error).__name__} ({str(error).splitlines()[0]!s})"
        if kept:
            message = (
                f"{failure} after {_count(returned, 'profile')}, {len(kept)} certified "
                f"(regret <= {tol:g}); the list is incomplete"
            )
        else:
            message = f"{failure}; no equilibrium certified"
    else:
        message = (
            f"nashpy {what} returned {_count(returned, 'profile')}, {len(kept)} distinct certified "
            f"(regret <= {tol:g}) and {rejected} rejected; the list may miss equilibria"
        )
    return EquilibriumResult(
        game=game,
        method=method,
        equilibria=tuple(kept),
        payoffs=payoffs,
        exhaustive=False,
        kind="extreme",
        status=Status.INCOMPLETE if kept else Status.NO_EQUILIBRIUM_FOUND,
        message=message,
        max_regret=max(regs) if regs else float("nan"),
        degenerate=is_degenerate(game),
        rejected=rejected,
        parameters={"tol": tol},
    )


def support_enumeration(game: NormalFormGame, *, tol: float = 1e-9) -> EquilibriumResult:
    """Equilibria from nashpy's support enumeration, each certified by our regret.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    tol : float, optional
        Certificate tolerance: a profile is kept when its regret is at most
        *tol*.  (nashpy's own support tolerance is left at its default.)

    Returns
    -------
    EquilibriumResult
        ``kind="extreme"``, ``exhaustive=False`` always; status
        ``INCOMPLETE`` (or ``NO_EQUILIBRIUM_FOUND`` when nothing is
        certified); ``degenerate`` from the exact check; ``rejected`` counts
        nashpy profiles that failed the certificate.

    Raises
    ------
    UnsupportedGameError
        For a game that is not a two-player normal form.
    InvalidParameterError
        For a negative or non-finite *tol*.

    Examples
    --------
    Battle of the sexes (nondegenerate): all three equilibria are found,
    but the wrapper still does not promise completeness.

    >>> from coercion.games import NormalFormGame
    >>> bos = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> res = support_enumeration(bos)
    >>> for eq in res:
    ...     print(eq)
    MixedProfile([[1.0, 0.0], [1.0, 0.0]])
    MixedProfile([[0.0, 1.0], [0.0, 1.0]])
    MixedProfile([[0.666667, 0.333333], [0.333333, 0.666667]])
    >>> res.exhaustive, res.status.value, res.degenerate, res.rejected
    (False, 'incomplete', False, 0)
    """
    game = require_bimatrix(game, "support_enumeration")
    tol = check_tol(tol, "support_enumeration")
    nash_game = game.to_nashpy()  # imports nashpy here, not at module import (~0.7 s)
    candidates, malformed, error = _run_nashpy(game, nash_game.support_enumeration)
    return _wrapped_result(
        game, "support_enumeration", "support enumeration", candidates, malformed, error, tol
    )
