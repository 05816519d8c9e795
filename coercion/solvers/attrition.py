"""War of attrition: how long a sanctions standoff lasts and who gives in first.

Two players fight over a prize; each pays a flow cost while the standoff
lasts; the first to quit loses (payoff 0 beyond the costs already sunk) and
the other wins its prize.  Research notes §1.14 and flag N2 (§2.6).

* :func:`war_of_attrition`: complete information (values ``V_i`` and flow
  costs ``c_i`` known).  Besides the two pure equilibria in which one player
  quits at once, there is a stationary mixed equilibrium in which player
  ``i`` quits at the constant hazard rate ``λ_i = c_j/V_j`` that keeps ``j``
  indifferent between quitting and staying (Hendricks, Weiss & Wilson 1988).
  That is the equilibrium returned (``selection`` says so).
* :func:`incomplete_attrition`: private values ``v_i`` drawn i.i.d. from a
  continuous distribution ``F`` and a common flow cost ``c``; the symmetric
  equilibrium quit time is increasing in the type,
  ``T(v) = (1/c)·∫_0^v x·f(x)/(1 − F(x)) dx`` (Bulow & Klemperer 1999;
  Krishna & Morgan 1997), with closed forms for uniform and exponential
  values (:func:`quit_time_uniform`, :func:`quit_time_exponential`).

Closed forms evaluate to floats, numpy arrays or sympy expressions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from coercion._backend import Ops, ops_for
from coercion._numbers import is_array, is_symbolic
from coercion.errors import InvalidParameterError
from coercion.solvers.bargaining import _check

__all__ = [
    "AttritionEquilibrium",
    "IncompleteAttrition",
    "attrition_hazards",
    "attrition_outcome",
    "expected_duration_exponential",
    "expected_duration_uniform",
    "incomplete_attrition",
    "quit_time_exponential",
    "quit_time_uniform",
    "war_of_attrition",
]


def _log(ops: Ops, x: Any) -> Any:
    """Natural logarithm on the backend of *ops* (``Ops`` itself has no ``log``)."""
    if ops.name.startswith("sympy") or is_symbolic(x):
        import sympy

        return sympy.log(x)
    if ops.name == "numpy" or is_array(x):
        with np.errstate(divide="ignore"):
            return np.log(x)
    return math.log(x) if x > 0 else -math.inf


# --------------------------------------------------------------------------- complete information


def attrition_hazards(
    V1: Any, c1: Any, V2: Any, c2: Any, *, ops: Ops | None = None
) -> tuple[Any, Any]:
    """Quit hazard rates ``(λ1, λ2)`` of the stationary mixed equilibrium.

    Staying an instant ``dt`` longer costs ``j`` ``c_j·dt`` and wins ``V_j``
    with probability ``λ_i·dt``; ``j`` is indifferent iff ``λ_i = c_j/V_j``.
    So each player's hazard is set by the *opponent's* cost-to-value ratio.

    Examples
    --------
    >>> attrition_hazards(10.0, 1.0, 5.0, 2.0)
    (0.4, 0.1)
    """
    ops = ops or ops_for(V1, c1, V2, c2)
    return c2 / V2, c1 / V1


def attrition_outcome(
    V1: Any, c1: Any, V2: Any, c2: Any, *, ops: Ops | None = None
) -> tuple[Any, Any, Any]:
    """``(Pr(1 quits first), Pr(2 quits first), expected duration)`` in the mixed equilibrium.

    Quit times are independent exponentials, so the standoff ends at rate
    ``λ1 + λ2``::

        Pr(i quits first) = λ_i/(λ1 + λ2),    E[duration] = 1/(λ1 + λ2).

    ``Pr(1 quits first) = (c2/V2)/(c2/V2 + c1/V1)`` *falls* as player 1's
    own cost ``c1`` rises (flag N2).

    Examples
    --------
    >>> [round(v, 12) for v in attrition_outcome(10.0, 1.0, 5.0, 2.0)]
    [0.8, 0.2, 2.0]
    >>> import sympy
    >>> V1, c1, V2, c2 = sympy.symbols("V1 c1 V2 c2", positive=True)
    >>> sympy.diff(attrition_outcome(V1, c1, V2, c2)[0], c1).is_negative
    True
    """
    ops = ops or ops_for(V1, c1, V2, c2)
    l1, l2 = attrition_hazards(V1, c1, V2, c2, ops=ops)
    total = l1 + l2
    return l1 / total, l2 / total, 1 / total


@dataclass(frozen=True, eq=False)
class AttritionEquilibrium:
    """Stationary mixed equilibrium of a complete-information war of attrition.

    Attributes
    ----------
    values, costs : tuple of float
        Prizes ``(V1, V2)`` and flow costs ``(c1, c2)``.
    hazards : tuple of float
        Quit rates ``(λ1, λ2)``, ``λ_i = c_j/V_j``.
    quit_first : tuple of float
        ``(Pr(1 quits first), Pr(2 quits first))``.
    expected_duration : float
        ``1/(λ1 + λ2)``.
    expected_payoffs : tuple of float
        ``(0, 0)``: each player is indifferent to quitting at once.
    selection : str
        ``"stationary_mixed"``.  The game also has two pure equilibria (one
        player quits at time 0) and mixed ones with an atom at time 0
        (Hendricks, Weiss & Wilson 1988); comparative statics such as N2 are
        statements about this selection.
    """

    values: tuple[float, float]
    costs: tuple[float, float]
    hazards: tuple[float, float]
    quit_first: tuple[float, float]
    expected_duration: float
    expected_payoffs: tuple[float, float] = (0.0, 0.0)
    selection: str = "stationary_mixed"

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Draw *n* standoffs: ``(durations, index of the player who quit first)``."""
        t1 = rng.exponential(1 / self.hazards[0], n)
        t2 = rng.exponential(1 / self.hazards[1], n)
        return np.minimum(t1, t2), (t2 < t1).astype(int)


def war_of_attrition(V1: float, c1: float, V2: float, c2: float) -> AttritionEquilibrium:
    """The stationary mixed equilibrium of the complete-information war of attrition.

    Parameters
    ----------
    V1, V2 : float
        Each player's prize from the other quitting, ``> 0``.
    c1, c2 : float
        Each player's flow cost of the standoff, ``> 0``.

    Returns
    -------
    AttritionEquilibrium

    Examples
    --------
    >>> eq = war_of_attrition(V1=10.0, c1=1.0, V2=5.0, c2=2.0)
    >>> eq.hazards, round(eq.expected_duration, 12)
    ((0.4, 0.1), 2.0)
    """
    for name, v in (("V1", V1), ("c1", c1), ("V2", V2), ("c2", c2)):
        _check(f"war_of_attrition.{name}", v, 0.0, low_open=True)
    V1, c1, V2, c2 = float(V1), float(c1), float(V2), float(c2)
    l1, l2 = attrition_hazards(V1, c1, V2, c2)
    p1, p2, dur = attrition_outcome(V1, c1, V2, c2)
    return AttritionEquilibrium(
        values=(V1, V2),
        costs=(c1, c2),
        hazards=(float(l1), float(l2)),
        quit_first=(float(p1), float(p2)),
        expected_duration=float(dur),
    )


# --------------------------------------------------------------------------- incomplete information


def quit_time_uniform(v: Any, v_high: Any, cost: Any = 1, *, ops: Ops | None = None) -> Any:
    """Symmetric-equilibrium quit time of type ``v`` with values ``U[0, v̄]`` and flow cost ``c``.

    The hazard rate of ``U[0, v̄]`` is ``1/(v̄ − x)``, so
    ``T(v) = (1/c)·∫_0^v x/(v̄ − x) dx = −(v + v̄·ln(1 − v/v̄))/c``.

    Examples
    --------
    >>> round(quit_time_uniform(0.5, 1.0), 6)
    0.193147
    """
    ops = ops or ops_for(v, v_high, cost)
    return -(v + v_high * _log(ops, 1 - v / v_high)) / cost


def quit_time_exponential(v: Any, mean: Any, cost: Any = 1, *, ops: Ops | None = None) -> Any:
    """Symmetric-equilibrium quit time with exponential values of mean ``m``: ``v²/(2·m·c)``.

    The exponential distribution has constant hazard ``1/m``, so
    ``T(v) = (1/c)·∫_0^v x/m dx``.

    Examples
    --------
    >>> quit_time_exponential(2.0, 1.0)
    2.0
    """
    ops = ops or ops_for(v, mean, cost)
    return v**2 / (2 * mean * cost)


def expected_duration_uniform(v_high: Any, cost: Any = 1, *, ops: Ops | None = None) -> Any:
    """Expected length ``E[T(min(v1, v2))] = v̄/(6c)`` of the standoff, uniform values.

    Examples
    --------
    >>> expected_duration_uniform(6.0, 2.0)
    0.5
    """
    ops = ops or ops_for(v_high, cost)
    return v_high / (6 * cost)


def expected_duration_exponential(mean: Any, cost: Any = 1, *, ops: Ops | None = None) -> Any:
    """Expected length ``m/(4c)`` of the standoff, exponential values of mean ``m``.

    ``min(v1, v2)`` is exponential with mean ``m/2``, so
    ``E[min²]/(2mc) = (m²/2)/(2mc)``.

    Examples
    --------
    >>> expected_duration_exponential(2.0, 1.0)
    0.5
    """
    ops = ops or ops_for(mean, cost)
    return mean / (4 * cost)


@dataclass(frozen=True, eq=False)
class IncompleteAttrition:
    """Symmetric equilibrium of a war of attrition with private values.

    Attributes
    ----------
    distribution : str
        ``"uniform"``, ``"exponential"`` or ``"custom"``.
    parameter : float or None
        ``v̄`` (uniform) or the mean (exponential).
    cost : float
        Common flow cost ``c``.
    expected_duration : float
        ``E[min(T(v1), T(v2))]``.
    quit_first : tuple of float
        ``(1/2, 1/2)`` by symmetry; the lower type always quits first.
    """

    distribution: str
    parameter: float | None
    cost: float
    expected_duration: float
    quit_time_function: Callable[[float], float]
    sampler: Callable[[np.random.Generator, int], np.ndarray] | None
    quit_first: tuple[float, float] = (0.5, 0.5)

    def quit_time(self, v: float) -> float:
        """Equilibrium quit time of a player whose value is *v* (increasing in *v*)."""
        return float(self.quit_time_function(float(v)))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Durations of *n* simulated standoffs (types drawn, then ``min`` of quit times)."""
        if self.sampler is None:
            raise InvalidParameterError(
                "IncompleteAttrition.sample needs a sampler; got None (custom distribution)"
            )
        v1, v2 = self.sampler(rng, n), self.sampler(rng, n)
        low = np.minimum(v1, v2)
        return np.array([self.quit_time(float(v)) for v in low])


def incomplete_attrition(
    *,
    cost: float = 1.0,
    uniform_high: float | None = None,
    exponential_mean: float | None = None,
    cdf: Callable[[float], float] | None = None,
    pdf: Callable[[float], float] | None = None,
    support_high: float | None = None,
    sampler: Callable[[np.random.Generator, int], np.ndarray] | None = None,
) -> IncompleteAttrition:
    """Symmetric equilibrium of the war of attrition with i.i.d. private values.

    Give exactly one of ``uniform_high`` (values ``U[0, v̄]``),
    ``exponential_mean`` or a ``cdf``/``pdf`` pair on ``[0, support_high)``
    (quit times and duration by quadrature).

    Parameters
    ----------
    cost : float
        Common flow cost ``c > 0``.
    uniform_high, exponential_mean : float, optional
    cdf, pdf : callable, optional
        Distribution of values on ``[0, support_high)``, with ``cdf(0) = 0``.
    support_high : float, optional
        Upper end of the support (``math.inf`` allowed).
    sampler : callable, optional
        ``sampler(rng, n)`` drawing values, for :meth:`IncompleteAttrition.sample`.

    Returns
    -------
    IncompleteAttrition

    Examples
    --------
    >>> eq = incomplete_attrition(uniform_high=1.0)
    >>> round(eq.expected_duration, 6), round(eq.quit_time(0.5), 6)
    (0.166667, 0.193147)
    """
    _check("incomplete_attrition.cost", cost, 0.0, low_open=True)
    c = float(cost)
    given = [x is not None for x in (uniform_high, exponential_mean, cdf)]
    if sum(given) != 1:
        raise InvalidParameterError(
            "incomplete_attrition: give exactly one of uniform_high, exponential_mean or cdf; "
            f"got {sum(given)}"
        )
    if uniform_high is not None:
        _check("incomplete_attrition.uniform_high", uniform_high, 0.0, low_open=True)
        vh = float(uniform_high)

        def t_unif(v: float) -> float:
            return float(quit_time_uniform(min(max(v, 0.0), vh), vh, c))

        def s_unif(rng: np.random.Generator, n: int) -> np.ndarray:
            return rng.uniform(0.0, vh, n)

        return IncompleteAttrition(
            "uniform",
            vh,
            c,
            float(expected_duration_uniform(vh, c)),
            t_unif,
            sampler or s_unif,
        )
    if exponential_mean is not None:
        _check("incomplete_attrition.exponential_mean", exponential_mean, 0.0, low_open=True)
        m = float(exponential_mean)

        def t_exp(v: float) -> float:
            return float(quit_time_exponential(max(v, 0.0), m, c))

        def s_exp(rng: np.random.Generator, n: int) -> np.ndarray:
            return rng.exponential(m, n)

        return IncompleteAttrition(
            "exponential",
            m,
            c,
            float(expected_duration_exponential(m, c)),
            t_exp,
            sampler or s_exp,
        )
    assert cdf is not None
    if pdf is None or support_high is None:
        raise InvalidParameterError(
            "incomplete_attrition: a cdf needs its pdf and support_high; "
            f"got pdf={pdf!r}, support_high={support_high!r}"
        )
    if support_high != math.inf:
        _check("incomplete_attrition.support_high", support_high, 0.0, low_open=True)
    hi = float(support_high)
    from scipy.integrate import quad

    def hazard_term(x: float) -> float:
        surv = 1.0 - float(cdf(x))
        return x * float(pdf(x)) / surv if surv > 0 else 0.0

    def t_custom(v: float) -> float:
        v = min(max(v, 0.0), hi)
        return float(quad(hazard_term, 0.0, v, limit=200)[0]) / c

    def dens_min(v: float) -> float:
        return 2.0 * float(pdf(v)) * (1.0 - float(cdf(v)))

    duration = float(quad(lambda v: t_custom(v) * dens_min(v), 0.0, hi, limit=200)[0])
    return IncompleteAttrition("custom", None, c, duration, t_custom, sampler)
