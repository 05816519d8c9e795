"""Bargaining: Nash (1950) bargaining, Rubinstein (1982) alternating offers, Fearon (1995).

Three models of how a standoff is split (research notes §1.2, §1.13, §2.4):

* :func:`nash_bargaining`: the generalised Nash bargaining solution of
  dividing a surplus between two players with increasing (concave) utilities,
  disagreement point ``d`` and bargaining weight ``β`` of player 1.  With
  linear (transferable) utilities it has the closed form
  :func:`nash_share_linear`; otherwise it is solved numerically.
* :func:`rubinstein`: the unique subgame-perfect equilibrium of
  infinite-horizon alternating offers, with exogenous risk of breakdown and
  outside options (the outside-option principle), as the closed form
  :func:`rubinstein_share`; :func:`alternating_offers_finite` solves the
  ``T``-round game by backward induction.
* :func:`fearon_demand`: the take-it-or-leave-it demand of a coercer who does
  not know the target's cost of a standoff; optimal demand and probability
  that bargaining fails.

Closed forms are written once against :class:`coercion._backend.Ops` and
evaluate to floats, numpy arrays or sympy expressions, whichever their
arguments are.  Citations are in ``docs/bargaining.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from coercion._backend import Ops, ops_for
from coercion._numbers import is_array, is_real_scalar, is_symbolic
from coercion.errors import InvalidParameterError

__all__ = [
    "AlternatingOffersSolution",
    "BargainingProblem",
    "BargainingSolution",
    "FearonDemand",
    "alternating_offers_finite",
    "fearon_demand",
    "fearon_uniform",
    "is_individually_rational",
    "is_pareto_efficient",
    "nash_bargaining",
    "nash_share_linear",
    "rubinstein",
    "rubinstein_share",
]

Utility = Callable[[float], float]


# --------------------------------------------------------------------------- validation


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    lo = "(-inf" if math.isinf(low) else f"{'(' if low_open else '['}{low:g}"
    hi = "inf)" if math.isinf(high) else f"{high:g}{')' if high_open else ']'}"
    return f"{lo}, {hi}"


def _check(
    where: str,
    value: Any,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """Validate a number, array or sympy value against an interval.

    Raises :class:`InvalidParameterError` naming *where* (``owner.field``),
    the interval and the value.  Symbolic values are checked only when they
    are numbers.
    """
    if is_symbolic(value):
        if getattr(value, "is_number", False):
            _check(where, float(value), low, high, low_open=low_open, high_open=high_open)
        return
    if is_array(value):
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise InvalidParameterError(f"{where} must be real; got an array of dtype {arr.dtype}")
        if not np.all(np.isfinite(arr)):
            raise InvalidParameterError(f"{where} must be finite; got an array with nan or inf")
        bad = (arr <= low if low_open else arr < low) | (arr >= high if high_open else arr > high)
        if bad.any():
            shown = arr[bad].reshape(-1)[0]
            raise InvalidParameterError(
                f"{where} must lie in {_interval(low, high, low_open, high_open)}; "
                f"got {shown!r} in the array"
            )
        return
    if not is_real_scalar(value):
        raise InvalidParameterError(f"{where} must be a real number; got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidParameterError(f"{where} must be finite; got {value!r}")
    if (x <= low if low_open else x < low) or (x >= high if high_open else x > high):
        raise InvalidParameterError(
            f"{where} must lie in {_interval(low, high, low_open, high_open)}; got {value!r}"
        )


def _pair(where: str, value: Any) -> tuple[Any, Any]:
    try:
        a, b = value
    except (TypeError, ValueError):
        raise InvalidParameterError(f"{where} must be a pair (v1, v2); got {value!r}") from None
    return a, b


def _player(where: str, value: Any) -> int:
    if value not in (0, 1) or isinstance(value, bool):
        raise InvalidParameterError(f"{where} must be 0 or 1; got {value!r}")
    return int(value)


# --------------------------------------------------------------------------- Nash bargaining


def nash_share_linear(
    beta: Any, surplus: Any = 1.0, d1: Any = 0.0, d2: Any = 0.0, *, ops: Ops | None = None
) -> tuple[Any, Any]:
    """Generalised Nash bargaining split of a surplus with linear (transferable) utilities.

    Maximising ``(x1 − d1)^β (x2 − d2)^(1−β)`` subject to ``x1 + x2 = S``
    gives each player its disagreement payoff plus its weight's share of the
    net surplus (Nash 1950; research notes §1.13)::

        x1 = d1 + β·(S − d1 − d2),     x2 = d2 + (1 − β)·(S − d1 − d2).

    Valid when ``S ≥ d1 + d2`` (otherwise there is no agreement).

    Parameters
    ----------
    beta : float, array or sympy expression
        Player 1's bargaining weight, in [0, 1].
    surplus : float, array or sympy expression
        The amount divided, ``S``.
    d1, d2 : float, array or sympy expression
        Disagreement (impasse) payoffs.
    ops : Ops, optional
        Backend; by default chosen from the arguments.

    Returns
    -------
    tuple
        ``(x1, x2)``.

    Examples
    --------
    >>> nash_share_linear(0.5, 1.0, 0.25, 0.0)
    (0.625, 0.375)
    >>> import sympy
    >>> b, S = sympy.symbols("beta S", positive=True)
    >>> nash_share_linear(b, S)
    (S*beta, S*(1 - beta))
    """
    ops = ops or ops_for(beta, surplus, d1, d2)
    net = surplus - d1 - d2
    return d1 + beta * net, d2 + (1 - beta) * net


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """Dividing a surplus ``S`` between two players: ``x`` to player 1, ``S − x`` to player 2.

    Attributes
    ----------
    u1, u2 : callable
        Increasing utilities of one's own share (concave for a unique,
        well-behaved solution).  ``None`` means linear: ``u_i(x) = x``.
    surplus : float
        ``S > 0``.
    disagreement : tuple of float
        Payoffs ``(d1, d2)`` when no agreement is reached (impasse payoffs).
    """

    u1: Utility | None = None
    u2: Utility | None = None
    surplus: float = 1.0
    disagreement: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self) -> None:
        _check("BargainingProblem.surplus", self.surplus, 0.0, low_open=True)
        d1, d2 = _pair("BargainingProblem.disagreement", self.disagreement)
        _check("BargainingProblem.disagreement[0]", d1)
        _check("BargainingProblem.disagreement[1]", d2)
        object.__setattr__(self, "surplus", float(self.surplus))
        object.__setattr__(self, "disagreement", (float(d1), float(d2)))
        for name in ("u1", "u2"):
            u = getattr(self, name)
            if u is not None and not callable(u):
                raise InvalidParameterError(
                    f"BargainingProblem.{name} must be callable or None; got {u!r}"
                )

    @property
    def is_linear(self) -> bool:
        """True when both utilities are linear (``u_i(x) = x``)."""
        return self.u1 is None and self.u2 is None

    def payoffs(self, x1: float) -> tuple[float, float]:
        """Utilities ``(u1(x1), u2(S − x1))`` of giving ``x1`` to player 1."""
        u1 = self.u1 or float
        u2 = self.u2 or float
        return float(u1(x1)), float(u2(self.surplus - x1))


@dataclass(frozen=True, eq=False)
class BargainingSolution:
    """The (generalised) Nash bargaining solution of a :class:`BargainingProblem`.

    Attributes
    ----------
    problem : BargainingProblem
    beta : float
        Player 1's weight.
    shares : tuple of float or None
        ``(x1, S − x1)``; ``None`` when there is no agreement.
    payoffs : tuple of float
        Utilities at the solution (the disagreement point if no agreement).
    status : str
        ``"agreement"`` or ``"disagreement"`` (no split gives both players
        more than their disagreement payoff).
    method : str
        ``"closed_form"`` or ``"numeric"``.
    """

    problem: BargainingProblem
    beta: float
    shares: tuple[float, float] | None
    payoffs: tuple[float, float]
    status: str
    method: str

    @property
    def agreement(self) -> bool:
        """True when the players agree."""
        return self.status == "agreement"


def _first_above(f: Callable[[float], float], level: float, lo: float, hi: float) -> float:
    """Where increasing ``f`` crosses *level* on ``[lo, hi]`` (an end if it does not)."""
    from scipy.optimize import brentq

    if f(lo) > level:
        return lo
    if f(hi) <= level:
        return hi
    return float(brentq(lambda x: f(x) - level, lo, hi, xtol=1e-14, rtol=1e-14))


def nash_bargaining(
    problem: BargainingProblem | None = None,
    *,
    beta: float = 0.5,
    tol: float = 1e-12,
) -> BargainingSolution:
    """Generalised Nash bargaining solution: maximise ``(u1 − d1)^β (u2 − d2)^(1−β)``.

    Nash (1950) for ``β = 1/2``; the asymmetric (generalised) solution of
    Kalai (1977) and Roth (1979) otherwise.  With linear utilities the closed
    form :func:`nash_share_linear` is used; otherwise the log Nash product is
    maximised over the split with :func:`scipy.optimize.minimize_scalar`
    (bounded; the log product is concave for concave utilities).

    Parameters
    ----------
    problem : BargainingProblem, optional
        Defaults to splitting 1 with linear utilities and ``d = (0, 0)``.
    beta : float
        Player 1's weight, in ``[0, 1]``.
    tol : float
        Tolerance of the numeric maximiser (on the share).

    Returns
    -------
    BargainingSolution

    Examples
    --------
    >>> nash_bargaining(beta=0.7).shares
    (0.7, 0.30000000000000004)
    >>> import math
    >>> sol = nash_bargaining(BargainingProblem(u1=math.sqrt))
    >>> round(sol.shares[0], 6)  # a risk-averse player 1 gets less: 1/3
    0.333333
    """
    problem = problem if problem is not None else BargainingProblem()
    _check("nash_bargaining.beta", beta, 0.0, 1.0)
    _check("nash_bargaining.tol", tol, 0.0, low_open=True)
    beta = float(beta)
    S = problem.surplus
    d1, d2 = problem.disagreement
    if problem.is_linear:
        # the Nash product is concave in x1: clip the free optimum to the shares
        # in [0, S] that leave each player at least its disagreement payoff
        lo_x, hi_x = max(0.0, d1), min(S, S - d2)
        if lo_x >= hi_x or d1 + d2 >= S:  # no split gives both a strict gain
            return BargainingSolution(problem, beta, None, (d1, d2), "disagreement", "closed_form")
        x1 = min(max(float(nash_share_linear(beta, S, d1, d2)[0]), lo_x), hi_x)
        return BargainingSolution(
            problem, beta, (x1, S - x1), (x1, S - x1), "agreement", "closed_form"
        )

    from scipy.optimize import minimize_scalar

    u1 = problem.u1 or float
    u2 = problem.u2 or float

    def g1(x: float) -> float:
        return float(u1(x))

    def g2(x: float) -> float:
        return float(u2(S - x))

    lo = _first_above(g1, d1, 0.0, S)  # player 1 gains iff x > lo
    hi = S - _first_above(lambda y: float(u2(y)), d2, 0.0, S)  # player 2 gains iff x < hi
    if not lo < hi:
        return BargainingSolution(problem, beta, None, (d1, d2), "disagreement", "numeric")
    if beta in (0.0, 1.0):
        x = lo if beta == 0.0 else hi
    else:

        def neg_log_product(x: float) -> float:
            a, b = g1(x) - d1, g2(x) - d2
            if a <= 0 or b <= 0:
                return math.inf
            return -(beta * math.log(a) + (1 - beta) * math.log(b))

        res = minimize_scalar(
            neg_log_product, bounds=(lo, hi), method="bounded", options={"xatol": tol}
        )
        x = float(res.x)
    return BargainingSolution(problem, beta, (x, S - x), (g1(x), g2(x)), "agreement", "numeric")


def is_individually_rational(solution: BargainingSolution, tol: float = 1e-9) -> bool:
    """True when each player gets at least its disagreement payoff (within *tol*).

    Examples
    --------
    >>> is_individually_rational(nash_bargaining(BargainingProblem(disagreement=(0.3, 0.1))))
    True
    """
    d = solution.problem.disagreement
    return all(u >= di - tol for u, di in zip(solution.payoffs, d, strict=True))


def is_pareto_efficient(solution: BargainingSolution, tol: float = 1e-7, grid: int = 2001) -> bool:
    """True when no split gives both players more (by more than *tol*) than the solution.

    The solution's payoffs must be attained by its shares (the whole surplus
    is divided), and no split on a grid of *grid* points may dominate it.
    A disagreement is efficient only when no split beats the disagreement
    point.

    Examples
    --------
    >>> is_pareto_efficient(nash_bargaining(beta=0.3))
    True
    """
    problem = solution.problem
    p1, p2 = solution.payoffs
    if solution.shares is not None:
        x1, x2 = solution.shares
        if abs(x1 + x2 - problem.surplus) > tol:
            return False
        q1, q2 = problem.payoffs(x1)
        if abs(q1 - p1) > tol or abs(q2 - p2) > tol:
            return False
    for x in np.linspace(0.0, problem.surplus, grid):
        q1, q2 = problem.payoffs(float(x))
        if q1 > p1 + tol and q2 > p2 + tol:
            return False
    return True


# --------------------------------------------------------------------------- alternating offers


def rubinstein_share(
    delta1: Any,
    delta2: Any,
    *,
    breakdown: Any = 0,
    breakdown_payoffs: tuple[Any, Any] = (0, 0),
    outside_options: tuple[Any, Any] = (0, 0),
    ops: Ops | None = None,
) -> tuple[Any, Any]:
    """Shares ``(x1, x2)`` of the proposer (1) and responder (2) in Rubinstein's game.

    Each player ``j``, when responding, accepts any offer of at least
    ``max(w_j, a_j·y_j + e_j)``: its outside option ``w_j`` (taken instead of
    continuing), or the value of rejecting, where ``a_j = δ_j(1 − p)``,
    ``e_j = δ_j·p·b_j``, ``y_j`` is ``j``'s share when proposing, ``p`` the
    probability of exogenous breakdown after a rejection and ``b_j`` ``j``'s
    breakdown payoff.  Without options this gives (Rubinstein 1982; with
    breakdown, Binmore, Rubinstein & Wolinsky 1986)::

        x1 = (1 − a2 + a2·e1 − e2) / (1 − a1·a2)     (= (1 − δ2)/(1 − δ1δ2) if p = 0)

    and with options the outside-option principle (Shaked & Sutton 1984;
    Binmore, Shaked & Sutton 1989): an option binds only if it exceeds what
    the player gets by rejecting, and then the player gets exactly it.  Of the
    four regimes (no option binds, only 2's, only 1's, both) the function
    returns the unique self-consistent one.  Assumes ``w1 + w2 ≤ 1``.

    Parameters
    ----------
    delta1, delta2 : float, array or sympy expression
        Discount factors per round, in [0, 1) (or with ``p > 0``, [0, 1]).
    breakdown : float, array or sympy expression
        ``p``, probability of breakdown after each rejection.
    breakdown_payoffs : pair
        ``(b1, b2)``, payoffs if negotiations break down.
    outside_options : pair
        ``(w1, w2)``, payoffs a responder can take instead of continuing.
    ops : Ops, optional
        Backend; by default chosen from the arguments.

    Returns
    -------
    tuple
        ``(x1, x2)`` with ``x1 + x2 = 1``: proposer's and responder's shares.

    Examples
    --------
    >>> [round(s, 6) for s in rubinstein_share(0.9, 0.9)]  # 1/(1 + δ), δ/(1 + δ)
    [0.526316, 0.473684]
    >>> import sympy
    >>> d1, d2 = sympy.symbols("delta1 delta2", positive=True)
    >>> sympy.simplify(rubinstein_share(d1, d2)[0])
    (delta2 - 1)/(delta1*delta2 - 1)
    >>> rubinstein_share(0.9, 0.9, outside_options=(0.0, 0.6))  # 2's option binds
    (0.4, 0.6)
    """
    b1, b2 = breakdown_payoffs
    w1, w2 = outside_options
    p = breakdown
    ops = ops or ops_for(delta1, delta2, p, b1, b2, w1, w2)
    a1, a2 = delta1 * (1 - p), delta2 * (1 - p)
    e1, e2 = delta1 * p * b1, delta2 * p * b2
    den = 1 - a1 * a2
    # regime A: no option binds
    xa = (1 - a2 + a2 * e1 - e2) / den
    ya = (1 - a1 + a1 * e2 - e1) / den
    if all(is_real_scalar(w) and float(w) <= 0 for w in (w1, w2)):
        return xa, 1 - xa  # options worth nothing never bind
    ok_a = ops.logical_and(ops.le(w1, a1 * xa + e1), ops.le(w2, a2 * ya + e2))
    # regime B: only player 2's option binds: x1 = 1 − w2, y2 = 1 − (a1·x1 + e1)
    xb = 1 - w2
    yb = 1 - (a1 * xb + e1)
    ok_b = ops.logical_and(ops.le(w1, a1 * xb + e1), ops.le(a2 * yb + e2, w2))
    # regime C: only player 1's option binds: y2 = 1 − w1, x1 = 1 − (a2·y2 + e2)
    yc = 1 - w1
    xc = 1 - (a2 * yc + e2)
    ok_c = ops.logical_and(ops.le(a1 * xc + e1, w1), ops.le(w2, a2 * yc + e2))
    # regime D: both bind: x1 = 1 − w2
    xd = 1 - w2
    x1 = ops.where(ok_a, xa, ops.where(ok_b, xb, ops.where(ok_c, xc, xd)))
    return x1, 1 - x1


@dataclass(frozen=True, eq=False)
class AlternatingOffersSolution:
    """Subgame-perfect equilibrium of alternating-offers bargaining over a unit pie.

    Attributes
    ----------
    shares : tuple of float
        Agreed shares ``(player 0, player 1)``; agreement is immediate.
    first_mover : int
        The player who proposes first (0 or 1).
    deltas : tuple of float
        Discount factors ``(δ_0, δ_1)``.
    breakdown : float
        Probability of breakdown after a rejection.
    breakdown_payoffs, outside_options : tuple of float
    binding : tuple of bool
        Whether each player's outside option binds (gets exactly its option
        as responder).
    horizon : int or None
        Number of rounds (``None``: infinite horizon).
    method : str
        ``"closed_form"`` or ``"backward_induction"``.
    """

    shares: tuple[float, float]
    first_mover: int
    deltas: tuple[float, float]
    breakdown: float
    breakdown_payoffs: tuple[float, float]
    outside_options: tuple[float, float]
    binding: tuple[bool, bool]
    horizon: int | None
    method: str

    @property
    def proposer_share(self) -> float:
        """The first mover's share."""
        return self.shares[self.first_mover]


def _validate_offers(
    who: str,
    delta1: Any,
    delta2: Any,
    breakdown: Any,
    breakdown_payoffs: Any,
    outside_options: Any,
    first_mover: Any,
) -> tuple[tuple[float, float], float, tuple[float, float], tuple[float, float], int]:
    _check(f"{who}.breakdown", breakdown, 0.0, 1.0)
    p = float(breakdown)
    # with no breakdown risk the discount must be < 1 for a unique equilibrium
    _check(f"{who}.delta1", delta1, 0.0, 1.0, high_open=p == 0.0)
    _check(f"{who}.delta2", delta2, 0.0, 1.0, high_open=p == 0.0)
    b = _pair(f"{who}.breakdown_payoffs", breakdown_payoffs)
    w = _pair(f"{who}.outside_options", outside_options)
    for i in (0, 1):
        _check(f"{who}.breakdown_payoffs[{i}]", b[i], 0.0, 1.0)
        _check(f"{who}.outside_options[{i}]", w[i], 0.0, 1.0)
    if float(b[0]) + float(b[1]) > 1.0:
        raise InvalidParameterError(
            f"{who}.breakdown_payoffs must sum to at most 1; got {breakdown_payoffs!r}"
        )
    if float(w[0]) + float(w[1]) > 1.0:
        raise InvalidParameterError(
            f"{who}.outside_options must sum to at most 1 (else there are no gains from "
            f"agreement); got {outside_options!r}"
        )
    fm = _player(f"{who}.first_mover", first_mover)
    return (
        (float(delta1), float(delta2)),
        p,
        (float(b[0]), float(b[1])),
        (float(w[0]), float(w[1])),
        fm,
    )


def rubinstein(
    delta1: float,
    delta2: float,
    *,
    breakdown: float = 0.0,
    breakdown_payoffs: tuple[float, float] = (0.0, 0.0),
    outside_options: tuple[float, float] = (0.0, 0.0),
    first_mover: int = 0,
) -> AlternatingOffersSolution:
    """The unique SPE of infinite-horizon alternating offers over a unit pie.

    Player ``first_mover`` proposes in rounds 0, 2, 4, …; see
    :func:`rubinstein_share` for the closed form and its citations.

    Parameters
    ----------
    delta1, delta2 : float
        Discount factors of players 0 and 1, in ``[0, 1)``; ``1`` is allowed
        when ``breakdown > 0``.
    breakdown : float
        Probability ``p`` in ``[0, 1]`` that negotiations break down after a
        rejection (Binmore, Rubinstein & Wolinsky 1986).
    breakdown_payoffs : pair of float
        Payoffs on breakdown, each in ``[0, 1]``, summing to at most 1.
    outside_options : pair of float
        Options ``(w_0, w_1)`` a responder may take after rejecting, each in
        ``[0, 1]``, summing to at most 1.
    first_mover : int
        0 or 1.

    Returns
    -------
    AlternatingOffersSolution

    Raises
    ------
    InvalidParameterError
        For parameters outside their domains.

    Examples
    --------
    >>> sol = rubinstein(0.9, 0.8)
    >>> round(sol.shares[0], 6), sol.binding
    (0.714286, (False, False))
    >>> rubinstein(0.9, 0.9, first_mover=1).shares[1] == rubinstein(0.9, 0.9).shares[0]
    True
    """
    deltas, p, b, w, fm = _validate_offers(
        "rubinstein", delta1, delta2, breakdown, breakdown_payoffs, outside_options, first_mover
    )
    order = (fm, 1 - fm)
    x_prop, x_resp = rubinstein_share(
        deltas[order[0]],
        deltas[order[1]],
        breakdown=p,
        breakdown_payoffs=(b[order[0]], b[order[1]]),
        outside_options=(w[order[0]], w[order[1]]),
    )
    shares = [0.0, 0.0]
    shares[order[0]], shares[order[1]] = float(x_prop), float(x_resp)
    # option j binds iff, as responder, j's rejection value falls short of w_j;
    # the proposer-side share of j when proposing is computed with roles swapped.
    y_prop, _ = rubinstein_share(
        deltas[order[1]],
        deltas[order[0]],
        breakdown=p,
        breakdown_payoffs=(b[order[1]], b[order[0]]),
        outside_options=(w[order[1]], w[order[0]]),
    )
    proposer_share = {order[0]: float(x_prop), order[1]: float(y_prop)}
    binding = tuple(
        w[j] > deltas[j] * ((1 - p) * proposer_share[j] + p * b[j]) + 1e-12 for j in (0, 1)
    )
    return AlternatingOffersSolution(
        shares=(shares[0], shares[1]),
        first_mover=fm,
        deltas=deltas,
        breakdown=p,
        breakdown_payoffs=b,
        outside_options=w,
        binding=(bool(binding[0]), bool(binding[1])),
        horizon=None,
        method="closed_form",
    )


def alternating_offers_finite(
    delta1: Any,
    delta2: Any,
    T: int,
    *,
    breakdown: Any = 0,
    breakdown_payoffs: tuple[Any, Any] = (0, 0),
    outside_options: tuple[Any, Any] = (0, 0),
    first_mover: int = 0,
    ops: Ops | None = None,
) -> tuple[Any, Any]:
    """Shares ``(player 0, player 1)`` of the ``T``-round alternating-offers game.

    Solved by backward induction (Ståhl 1972; Rubinstein 1982 §4): in the
    last round the proposer leaves the responder ``max(w_j, δ_j·b_j)`` (a
    rejection there ends the game in breakdown); in earlier rounds the
    responder ``j`` gets ``max(w_j, δ_j·((1 − p)·v_j + p·b_j))`` where
    ``v_j`` is its share as the next round's proposer.  As ``T → ∞`` the
    shares converge geometrically (rate ``δ1δ2(1 − p)²``) to
    :func:`rubinstein_share`.  Works on floats, arrays and sympy values.

    Parameters
    ----------
    delta1, delta2, breakdown, breakdown_payoffs, outside_options, first_mover
        As in :func:`rubinstein`.
    T : int
        Number of rounds, at least 1.
    ops : Ops, optional
        Backend; by default chosen from the arguments.

    Returns
    -------
    tuple
        ``(share of player 0, share of player 1)``.

    Examples
    --------
    >>> alternating_offers_finite(0.9, 0.9, 1)  # ultimatum game
    (1.0, 0.0)
    >>> [round(alternating_offers_finite(0.9, 0.8, T)[0], 4) for T in (2, 3, 200)]
    [0.2, 0.92, 0.7143]
    """
    if isinstance(T, bool) or not isinstance(T, int | np.integer) or T < 1:
        raise InvalidParameterError(
            f"alternating_offers_finite.T must be an integer >= 1; got {T!r}"
        )
    fm = _player("alternating_offers_finite.first_mover", first_mover)
    if all(is_real_scalar(v) for v in (delta1, delta2, breakdown)):
        _validate_offers(
            "alternating_offers_finite",
            delta1,
            delta2,
            breakdown,
            breakdown_payoffs,
            outside_options,
            first_mover,
        )
    deltas = (delta1, delta2)
    b = breakdown_payoffs
    w = outside_options
    p = breakdown
    ops = ops or ops_for(delta1, delta2, p, *b, *w)
    # proposer in round t (0-based): fm if t even
    proposer_share: Any = None
    for t in range(T - 1, -1, -1):
        i = fm if t % 2 == 0 else 1 - fm
        j = 1 - i
        if t == T - 1:
            reject = deltas[j] * b[j]
        else:
            reject = deltas[j] * ((1 - p) * proposer_share + p * b[j])
        # an option worth nothing never beats a (non-negative) rejection value
        no_option = is_real_scalar(w[j]) and float(w[j]) <= 0
        responder_gets = reject if no_option else ops.maximum(w[j], reject)
        proposer_share = 1 - responder_gets
    shares: list[Any] = [None, None]
    shares[fm] = proposer_share
    shares[1 - fm] = 1 - proposer_share
    if ops.name == "float":
        return float(shares[0]), float(shares[1])
    return shares[0], shares[1]


# --------------------------------------------------------------------------- Fearon


def fearon_uniform(
    p: Any, c_A: Any, c_high: Any, c_low: Any = 0.0, *, ops: Ops | None = None
) -> tuple[Any, Any, Any]:
    """Fearon's take-it-or-leave-it demand against a target cost ``c_B ~ U[c_low, c_high]``.

    A demands ``x`` of an issue in ``[0, 1]``; B accepts iff ``x ≤ p + c_B``;
    on rejection A gets ``p − c_A``.  A's expected utility, with
    ``z = x − p``, is ``(1 − F(z))·(p + z) + F(z)·(p − c_A)`` and is concave
    on the support, so (research notes §1.2; Fearon 1995 §"Private
    information and incentives to misrepresent")::

        z* = clamp((c_high − c_A)/2, c_low, 1 − p),   x* = p + z*,
        Pr(failure) = F(z*) = (z* − c_low)/(c_high − c_low).

    With ``c_low = 0`` and an interior optimum this is
    ``x* = p + (c̄ − c_A)/2`` and ``Pr(failure) = (c̄ − c_A)/(2c̄)``, rising
    in ``c̄`` and falling in ``c_A`` (flag N1).  ``x* ≤ 1`` is enforced: an
    issue cannot be demanded beyond all of it.

    Returns
    -------
    tuple
        ``(x*, Pr(failure), EU_A(x*))``.

    Examples
    --------
    >>> [round(v, 12) for v in fearon_uniform(0.5, 0.1, 0.4)]
    [0.65, 0.375, 0.55625]
    """
    ops = ops or ops_for(p, c_A, c_high, c_low)
    z = ops.minimum(ops.maximum((c_high - c_A) / 2, c_low), 1 - p)
    fail = ops.maximum((z - c_low) / (c_high - c_low), 0)
    x = p + z
    eu = (1 - fail) * x + fail * (p - c_A)
    return x, fail, eu


@dataclass(frozen=True, eq=False)
class FearonDemand:
    """The coercer's optimal take-it-or-leave-it demand under private target costs.

    Attributes
    ----------
    demand : float
        Optimal demand ``x*`` in ``[0, 1]``.
    failure_probability : float
        Probability the target rejects (war / imposition).
    expected_utility : float
        The coercer's expected payoff at ``x*``.
    p, c_A : float
        Probability the coercer prevails in a standoff, and its cost of one.
    method : str
        ``"closed_form"`` (uniform costs) or ``"numeric"``.
    """

    demand: float
    failure_probability: float
    expected_utility: float
    p: float
    c_A: float
    method: str


def fearon_demand(
    p: float,
    c_A: float,
    *,
    c_high: float | None = None,
    c_low: float = 0.0,
    cdf: Callable[[float], float] | None = None,
    support: tuple[float, float] | None = None,
    grid: int = 4001,
) -> FearonDemand:
    """Fearon's optimal demand and probability of failure under a private target cost.

    Give either uniform bounds (``c_high``, optionally ``c_low``: closed form
    :func:`fearon_uniform`) or a ``cdf`` of the target's cost with its
    ``support``; the latter is maximised numerically (grid search over the
    demand, refined by a bounded scalar search around the best grid point).

    Parameters
    ----------
    p : float
        Probability the coercer prevails in the standoff, in ``[0, 1]``.
    c_A : float
        Coercer's cost of a standoff, ``> 0``.
    c_high, c_low : float, optional
        Bounds of a uniform target cost, ``0 ≤ c_low < c_high``.
    cdf : callable, optional
        Distribution function of the target's cost (non-decreasing).
    support : pair of float, optional
        ``(low, high)`` with ``cdf(low) = 0`` and ``cdf(high) = 1``.
    grid : int
        Grid size of the numeric search.

    Returns
    -------
    FearonDemand

    Examples
    --------
    >>> d = fearon_demand(0.5, 0.1, c_high=0.4)
    >>> round(d.demand, 12), round(d.failure_probability, 12)
    (0.65, 0.375)
    >>> round(fearon_demand(0.5, 0.1, cdf=lambda c: c / 0.4, support=(0, 0.4)).demand, 6)
    0.65
    """
    _check("fearon_demand.p", p, 0.0, 1.0)
    _check("fearon_demand.c_A", c_A, 0.0, low_open=True)
    if (c_high is None) == (cdf is None):
        raise InvalidParameterError(
            "fearon_demand: give exactly one of c_high (uniform costs) or cdf; "
            f"got c_high={c_high!r}, cdf={cdf!r}"
        )
    if c_high is not None:
        _check("fearon_demand.c_low", c_low, 0.0)
        _check("fearon_demand.c_high", c_high, float(c_low), low_open=True)
        x, fail, value = fearon_uniform(float(p), float(c_A), float(c_high), float(c_low))
        return FearonDemand(
            float(x), float(fail), float(value), float(p), float(c_A), "closed_form"
        )
    assert cdf is not None
    if support is None:
        raise InvalidParameterError("fearon_demand.support is required with cdf; got None")
    lo, hi = _pair("fearon_demand.support", support)
    _check("fearon_demand.support[0]", lo, 0.0)
    _check("fearon_demand.support[1]", hi, float(lo), low_open=True)
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 3:
        raise InvalidParameterError(f"fearon_demand.grid must be an integer >= 3; got {grid!r}")
    pf, ca, lo_f, hi_f = float(p), float(c_A), float(lo), float(hi)

    def F(z: float) -> float:
        if z <= lo_f:
            return 0.0
        if z >= hi_f:
            return 1.0
        return min(max(float(cdf(z)), 0.0), 1.0)

    def eu(x: float) -> float:
        f = F(x - pf)
        return (1 - f) * x + f * (pf - ca)

    # demands below p + low are accepted by every type and dominated by p + low
    a, b = min(pf + lo_f, 1.0), min(pf + hi_f, 1.0)
    if b <= a:
        x = a
    else:
        xs = np.linspace(a, b, grid)
        vals = [eu(float(v)) for v in xs]
        k = int(np.argmax(vals))
        from scipy.optimize import minimize_scalar

        left, right = float(xs[max(k - 1, 0)]), float(xs[min(k + 1, grid - 1)])
        res = minimize_scalar(
            lambda v: -eu(v), bounds=(left, right), method="bounded", options={"xatol": 1e-12}
        )
        x = float(res.x) if eu(float(res.x)) >= vals[k] else float(xs[k])
    return FearonDemand(x, F(x - pf), eu(x), pf, ca, "numeric")
