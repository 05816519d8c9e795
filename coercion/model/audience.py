"""Audience costs and the frequency of threats: the threat stage over a population of coercers.

The complete-information model decides the threat 0/1.  Here the coercer's resolve is private,
so the *frequency* of threats in a population of coercers is an equilibrium object, and it can
be computed as a function of the audience cost ``a`` (research notes §1.15 and flag N8;
``docs/bayesian.md``, "Audience costs and the frequency of threats").  The game is the
crisis-signalling game with audience costs of Fearon (1994, 1997), in the form of Lewis &
Schultz (2003) that Crisman-Cox & Gibilisco (PSRM, online 2019) estimated on economic sanctions,
finding a U-shaped relation between audience costs and the propensity to threaten::

    Nature: the coercer's cost of imposing k ~ F, the target's cost of conceding x ~ G (private)
    C: no threat ................................................ (0, 0)          status_quo
       threaten → T (belief updated on the threat):
                  concede ....................................... (V, −x)         concession
                  resist → C: impose ............................ (−k, −K)        standoff
                              back down ......................... (−a, 0)         coercer_backs_down

``V`` is what the demand is worth to the coercer, ``K`` what the imposed sanctions cost the
target, ``a`` the coercer's audience cost of backing down from a public threat.  Types with
``k < 0`` gain from imposing (a punishment motive, ``R_C⁺`` above the cost).

The perfect Bayesian equilibrium, with ``b = a/(V + a)`` and ``G`` continuous and increasing:

* after resistance the coercer imposes iff ``k ≤ a``: a share ``F(a)`` of coercers is
  *resolute*, and audience costs make more of them so (tying hands);
* the target concedes iff ``x ≤ p·K``, ``p`` its posterior that a threatening coercer imposes:
  ``Pr(concede | threat) = g = G(p·K)``;
* a bluffer (``k > a``) gains ``g·V − (1 − g)·a`` from threatening, the same for every
  bluffer, so bluffers threaten iff ``g ≥ b``; a resolute type gains ``g·V − (1 − g)·k``.

Three regimes, mutually exclusive:

* **pooling** (every type threatens) iff ``G(F(a)·K) ≥ b``:  ``Pr(threat) = 1``;
* **semi-separating** iff ``G(F(a)·K) < b < G(K)``: bluffers threaten with the probability
  ``q`` that makes the target concede with probability exactly ``b``,
  ``p = G⁻¹(b)/K``, ``Pr(threat) = F(a)/p``;
* **separating** iff ``G(K) ≤ b``: only resolute types with ``k ≤ V·G(K)/(1 − G(K))`` threaten,
  ``Pr(threat) = F(V·G(K)/(1 − G(K)))``.

With ``x ~ U[0, x̄]`` this is :func:`threat_probability_uniform`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from coercion._backend import Ops
from coercion.model.bayesian import Dist, _cdf

__all__ = [
    "ThreatEquilibrium",
    "separating_audience_cost",
    "threat_equilibrium",
    "threat_frequency",
    "threat_probability_uniform",
]

Regime = Literal["pooling", "semi-separating", "separating"]


# --------------------------------------------------------------------------- formulas (ops)


def threat_probability_uniform(
    ops: Ops,
    audience: Any,
    resolute_share: Any,
    issue_value: Any,
    sanction_cost: Any,
    stake_max: Any,
) -> Any:
    """Equilibrium ``Pr(threat)`` with the target's cost of conceding ``x ~ U[0, x̄]``.

    ``Pr(threat) = min{1, F(a)·K·(V + a) / (a·x̄)}``, ``1`` at ``a = 0``

    where *audience* is ``a``, *resolute_share* ``F(a)`` (the share of coercers whose cost of
    imposing is at most ``a``), *issue_value* ``V``, *sanction_cost* ``K`` and *stake_max*
    ``x̄``.  The minimum's first term is the pooling regime, the second the semi-separating one
    (``G⁻¹(b) = b·x̄``).  It holds for ``a ≤ a*`` (:func:`separating_audience_cost`, infinite
    when ``x̄ ≤ K``); above ``a*`` the equilibrium is separating and ``Pr(threat)`` stays at its
    value at ``a*``, so pass ``min(a, a*)`` and ``F(min(a, a*))``.

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> threat_probability_uniform(FLOAT, 0.0, 0.02, 1.0, 1.0, 0.8)
    1.0
    >>> round(threat_probability_uniform(FLOAT, 0.25, 0.0668, 1.0, 1.0, 0.8), 4)
    0.4175
    """
    ratio = ops.safe_div(
        resolute_share * sanction_cost * (issue_value + audience), audience * stake_max, ops.inf
    )
    return ops.minimum(1.0, ratio)


def separating_audience_cost(ops: Ops, issue_value: Any, sanction_cost: Any, stake_max: Any) -> Any:
    """Audience cost ``a* = K·V/(x̄ − K)`` above which only resolute coercers threaten.

    With ``x ~ U[0, x̄]``, ``G(K) = K/x̄``, and the equilibrium is separating iff
    ``a/(V + a) ≥ G(K)``.  Infinite when ``x̄ ≤ K`` (every target concedes to a sure
    imposition, so a sure threat always clears the bluffers' bar).

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> separating_audience_cost(FLOAT, 1.0, 1.0, 0.8)
    inf
    >>> separating_audience_cost(FLOAT, 1.0, 1.0, 2.0)   # x̄ = 2: a* = 1·1/(2 − 1)
    1.0
    """
    gap = stake_max - sanction_cost
    return ops.where(
        ops.le(gap, 0), ops.inf, ops.safe_div(sanction_cost * issue_value, gap, ops.inf)
    )


# --------------------------------------------------------------------------- equilibrium


@dataclass(frozen=True)
class ThreatEquilibrium:
    """The perfect Bayesian equilibrium of the threat stage at one audience cost.

    Attributes
    ----------
    audience_cost : float
        ``a``.
    regime : {"pooling", "semi-separating", "separating"}
    pr_threat : float
        Share of coercers that threaten.
    bluff_probability : float
        ``q``: probability that a coercer which would back down (``k > a``) threatens.
    resolute_share : float
        ``F(a)``: share of coercers that would impose if resisted.
    belief : float
        ``p``: the target's posterior that a threatening coercer imposes (1 off the path).
    concession : float
        ``g = G(p·K)``: probability that the target concedes to a threat.
    threat_bar : float
        ``b = a/(V + a)``: the concession probability a bluffer needs.
    resolute_cutoff : float
        Resolute types threaten iff their cost of imposing is at most this (``min(a,
        V·g/(1 − g))``).
    """

    audience_cost: float
    regime: Regime
    pr_threat: float
    bluff_probability: float
    resolute_share: float
    belief: float
    concession: float
    threat_bar: float
    resolute_cutoff: float

    @property
    def outcome_probabilities(self) -> dict[str, float]:
        """Probabilities of ``status_quo``, ``concession``, ``coercer_backs_down``, ``standoff``."""
        threat = self.pr_threat
        imposers = self.belief * threat  # mass of threatening coercers that impose
        return {
            "status_quo": 1.0 - threat,
            "concession": threat * self.concession,
            "coercer_backs_down": (threat - imposers) * (1.0 - self.concession),
            "standoff": imposers * (1.0 - self.concession),
        }


def threat_equilibrium(
    audience_cost: float,
    *,
    coercer_cost: Dist,
    target_stake: Dist,
    issue_value: float = 1.0,
    sanction_cost: float = 1.0,
    tol: float = 1e-12,
) -> ThreatEquilibrium:
    """Solve the threat stage with audience cost *audience_cost* (module docstring).

    Parameters
    ----------
    audience_cost : float
        ``a ≥ 0``, paid by a coercer that threatens and then backs down.
    coercer_cost : scipy.stats frozen distribution or callable cdf
        ``F``, the distribution of the coercer's cost of imposing ``k`` (may be negative).
    target_stake : scipy.stats frozen distribution or callable cdf
        ``G``, the distribution of the target's cost of conceding ``x`` (continuous and
        increasing where it matters: the semi-separating posterior is its quantile).
    issue_value : float
        ``V > 0``.
    sanction_cost : float
        ``K > 0``, the imposed sanctions' cost to the target.

    Examples
    --------
    >>> from scipy import stats
    >>> eq = threat_equilibrium(0.25, coercer_cost=stats.norm(1.0, 0.5),
    ...                         target_stake=stats.uniform(0.0, 0.8))
    >>> eq.regime, round(eq.pr_threat, 4), round(eq.concession, 4)
    ('semi-separating', 0.4175, 0.2)
    """
    a = float(audience_cost)
    V, K = float(issue_value), float(sanction_cost)
    if a < 0 or V <= 0 or K <= 0:
        raise ValueError(
            f"need audience_cost >= 0, issue_value > 0, sanction_cost > 0; got {a}, {V}, {K}"
        )
    F, G = _cdf(coercer_cost), _cdf(target_stake)
    bar = a / (V + a)
    resolute = F(a)
    g_pool = G(resolute * K)
    if g_pool >= bar:
        return ThreatEquilibrium(a, "pooling", 1.0, 1.0, resolute, resolute, g_pool, bar, a)
    g_sure = G(K)
    if g_sure <= bar:
        cutoff = min(a, V * g_sure / (1.0 - g_sure))
        return ThreatEquilibrium(
            a, "separating", F(cutoff), 0.0, resolute, 1.0, g_sure, bar, cutoff
        )
    lo, hi = resolute, 1.0  # G(lo·K) < bar < G(hi·K): the posterior that makes G(p·K) = bar
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if G(mid * K) >= bar:
            hi = mid
        else:
            lo = mid
    p = hi
    q = resolute * (1.0 - p) / (p * (1.0 - resolute))
    return ThreatEquilibrium(a, "semi-separating", resolute / p, q, resolute, p, bar, bar, a)


def threat_frequency(
    audience_costs: Iterable[float],
    *,
    coercer_cost: Dist,
    target_stake: Dist,
    issue_value: float = 1.0,
    sanction_cost: float = 1.0,
) -> np.ndarray:
    """``Pr(threat)`` at each audience cost (:func:`threat_equilibrium`).

    Examples
    --------
    >>> from scipy import stats
    >>> threat_frequency([0.01, 0.25, 2.0], coercer_cost=stats.norm(1.0, 0.5),
    ...                  target_stake=stats.uniform(0.0, 0.8)).round(3)
    array([1.   , 0.418, 1.   ])
    """
    return np.array(
        [
            threat_equilibrium(
                a,
                coercer_cost=coercer_cost,
                target_stake=target_stake,
                issue_value=issue_value,
                sanction_cost=sanction_cost,
            ).pr_threat
            for a in audience_costs
        ]
    )
