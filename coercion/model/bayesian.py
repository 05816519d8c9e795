"""The Bayesian coercion game: threats, impositions and failures on the equilibrium path.

With complete information sanctions are never imposed (``docs/model.md``).  Here the coercer
C is *resolute* with prior probability ``π`` (a resolute coercer imposes when resisted and
keeps its sanctions on for as long as it can bear them: a target that holds out bears the
standoff cost ``K_T`` of that duration, :func:`resolute_standoff_cost`), and C does not know
the target's bearable cost ``B_T = V_T + R_T + Z_T`` (US$ bn), which has the distribution
``G``.  Research notes §2.5; Hovi, Huseby & Sprinz (2005); Drezner (1999, 2003).
``docs/bayesian.md`` derives every formula.

The perfect Bayesian equilibrium (target ``"hhs"``, the default)::

    C: resolute (π) or not (1 − π)        [nature]
    C threatens: always if resolute; with probability q if not (q = 1: pooling)
    T, belief p = π / (π + (1 − π) q):  concede  iff B_T ≤ c1 = p·K_T ..... concession
                                        resist:
        C irresolute: backs down .......................................... coercer_backs_down
        C resolute: imposes; T learns C is resolute:
                    concede iff B_T ≤ c2 = K_T ............................ concession
                    hold out (B_T > K_T) ................................. standoff
    C does not threaten ................................................... status_quo

The irresolute coercer threatens iff ``Pr(concede at the threat) ≥ A_C / (V_C + A_C)``; where
it does not at ``p = π`` it mixes so that it is indifferent (semi-separating), or does not
threaten at all.  The target ``"hhs"`` follows Hovi, Huseby & Sprinz: at the threat it
believes that sanctions, once imposed, would stay whether or not it yields, and imposition
corrects that belief.  The target ``"rational"`` anticipates its own concession after
imposition; conceding then still costs the sunk share ``φ`` of ``K_T`` (``sunk_share``).

Every formula below is written once against :class:`~coercion._backend.Ops`, so it
evaluates to floats, numpy arrays or sympy expressions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from coercion._backend import FLOAT, Ops, ops_for
from coercion.errors import InvalidParameterError
from coercion.model import formulas as fm
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES, derive
from coercion.model.primitives import Scenario

__all__ = [
    "DREZNER_IMPOSED",
    "DREZNER_THREAT_ONLY",
    "PRIOR_RESOLUTE",
    "STAKE_SCALE",
    "BayesianResult",
    "Cost",
    "bayesian_outcomes",
    "imposed_cutoff",
    "imposed_success",
    "imposed_success_uniform",
    "resolute_standoff_cost",
    "threat_cutoff",
    "threat_only_success",
    "threat_only_success_uniform",
    "uniform_cdf",
]

#: prior probability that the coercer is resolute (calibrated to Drezner 2003; docs/bayesian.md)
PRIOR_RESOLUTE = 0.6
#: default G: B_T uniform on [0, STAKE_SCALE × the case's point estimate] (mean = the estimate)
STAKE_SCALE = 2.0
#: Drezner (2003): significant concessions in 40 of 71 threat-only and 5 of 15 imposed episodes
DREZNER_THREAT_ONLY = 40 / 71
DREZNER_IMPOSED = 5 / 15

Target = Literal["hhs", "rational"]
#: how the resolute coercer's sanction cost to the target is set (``bayesian_outcomes(cost=...)``)
Cost = Literal["staying_power", "worst_case"]


# --------------------------------------------------------------------------- formulas (ops)


def threat_cutoff(
    ops: Ops, belief: Any, K_T: Any, target: Target = "hhs", sunk_share: Any = 0.5
) -> Any:
    """Largest bearable cost ``B_T`` at which the target concedes to the threat.

    ``"hhs"``: resisting is perceived to cost ``p·K_T`` (sanctions, if imposed, are expected to
    stay), so ``c1 = p·K_T`` (research notes §2.5).  ``"rational"``: resisting costs
    ``p·min(B_T + φK_T, K_T)``, so ``c1 = K_T·min(p·φ/(1 − p), p)``.

    Examples
    --------
    >>> threat_cutoff(FLOAT, 0.6, 10.0)
    6.0
    >>> round(threat_cutoff(FLOAT, 0.6, 10.0, "rational", 0.2), 12)
    3.0
    """
    if target == "hhs":
        return belief * K_T
    if target != "rational":
        raise ValueError(f"target must be 'hhs' or 'rational', not {target!r}")
    interior = ops.safe_div(belief * sunk_share * K_T, 1 - belief, belief * K_T)
    return ops.where(ops.le(1 - belief, sunk_share), belief * K_T, interior)


def imposed_cutoff(
    ops: Ops, belief: Any, K_T: Any, target: Target = "hhs", sunk_share: Any = 0.5
) -> Any:
    """Largest ``B_T`` at which a target that resisted concedes once sanctions are imposed.

    ``"hhs"``: ``c2 = K_T`` (imposition reveals resolve; Hovi, Huseby & Sprinz 2005).
    ``"rational"``: ``c2 = max(c1, (1 − φ)·K_T)``.

    Examples
    --------
    >>> imposed_cutoff(FLOAT, 0.6, 10.0)
    10.0
    >>> imposed_cutoff(FLOAT, 0.6, 10.0, "rational", 0.2)
    8.0
    """
    if target == "hhs":
        return K_T
    c1 = threat_cutoff(ops, belief, K_T, target, sunk_share)
    return ops.maximum(c1, (1 - sunk_share) * K_T)


def uniform_cdf(ops: Ops, x: Any, upper: Any) -> Any:
    """CDF of the uniform distribution on ``[0, upper]``.

    Examples
    --------
    >>> uniform_cdf(FLOAT, 3.0, 4.0), uniform_cdf(FLOAT, 5.0, 4.0)
    (0.75, 1.0)
    """
    return ops.minimum(1.0, ops.maximum(0.0, ops.safe_div(x, upper, 1.0)))


def threat_only_success(ops: Ops, belief: Any, g1: Any) -> Any:
    """Success rate of episodes with a threat and no imposition.

    ``g1 = G(c1)`` is the probability of concession at the threat and ``belief`` the target's
    posterior that a threatening coercer is resolute; the failures are irresolute coercers
    that back down: ``g1 / [g1 + (1 − g1)(1 − p)]``.

    Examples
    --------
    >>> round(threat_only_success(FLOAT, 0.6, 0.33), 4)
    0.5518
    """
    return ops.safe_div(g1, g1 + (1 - g1) * (1 - belief), 1)


def imposed_success(ops: Ops, g1: Any, g2: Any) -> Any:
    """Success rate of imposed episodes: ``(g2 − g1)/(1 − g1)``, ``g2 = G(c2)``.

    Examples
    --------
    >>> round(imposed_success(FLOAT, 0.33, 0.55), 4)
    0.3284
    """
    return ops.safe_div(g2 - g1, 1 - g1, 0)


def threat_only_success_uniform(ops: Ops, pi: Any, k: Any) -> Any:
    """Research notes §2.5 closed form, ``B_T ~ U[0, b̄]``, ``k = K_T/b̄ ≤ 1``, target ``hhs``.

    ``πk / [πk + (1 − πk)(1 − π)]``.

    Examples
    --------
    >>> round(threat_only_success_uniform(FLOAT, 0.6, 0.55), 4)
    0.5518
    """
    return pi * k / (pi * k + (1 - pi * k) * (1 - pi))


def imposed_success_uniform(ops: Ops, pi: Any, k: Any) -> Any:
    """Research notes §2.5 closed form: ``k(1 − π)/(1 − πk)`` (uniform ``B_T``, ``k ≤ 1``).

    Examples
    --------
    >>> round(imposed_success_uniform(FLOAT, 0.6, 0.55), 4)
    0.3284
    """
    return k * (1 - pi) / (1 - pi * k)


# ------------------------------------------------------------------- the resolute coercer's cost


def _resolute_cost(
    ops: Ops, d: dict[str, Any], scenario: Scenario, calibration: Calibration, cost: Cost
) -> tuple[Any, Any, Any]:
    """``(K_T, H, coercer_quits)`` from the derived quantities *d* of *scenario*.

    ``H`` is None and ``coercer_quits`` False for the worst case (a coercer that never quits).
    """
    if cost == "worst_case":
        return d["K_T_max"], None, False
    if cost != "staying_power":
        raise ValueError(f"cost must be 'staying_power' or 'worst_case', not {cost!r}")
    inst = scenario.instrument
    # the complete-information impasse (research notes §2.3, 4a) against a target that never
    # quits (H_T = ∞): the coercer's staying power, capped by the horizon, at least the bite
    _, coercer_quits, H = fm.attrition(
        ops, ops.inf, d["H_C_0"], calibration.horizon_months, calibration.bite_months
    )
    a_T = 1 - inst.replaceable_share
    K_T = fm.standoff_cost(ops, d["L_T"], a_T, inst.months_to_substitute, inst.stockpile_months, H)
    return K_T, H, coercer_quits


def resolute_standoff_cost(
    scenario_or_case: Any,
    cost: Cost = "staying_power",
    calibration: Calibration = DEFAULT_CALIBRATION,
    ops: Ops | None = None,
) -> tuple[Any, Any]:
    """The cost ``K_T`` a resolute coercer's sanctions impose on a target that holds out.

    ``"staying_power"`` (the default): the sanctions last as long as the coercer can bear them,
    ``H = max(min(H_C, H̄), h0)`` months (its staying power without a counter-measure,
    ``derive(...)["H_C_0"]``, capped by the horizon ``H̄`` and at least the bite ``h0``: the
    impasse duration of :func:`~coercion.model.formulas.attrition` with ``H_T = ∞``), and
    ``K_T = L_T·k(H)``, the :func:`~coercion.model.formulas.standoff_cost` of that duration
    (research notes §2.2 eq. 1 and §2.3, 4a).  ``"worst_case"``: ``K_T = K_T^max =
    L_T·(a²τ/2 − s)⁺``, the whole shortfall until substitutes arrive, as if the coercer held
    out for ever.  The first is never above the second.

    Returns ``(K_T, H)`` in US$ bn and months (``H`` is None for ``"worst_case"``), floats,
    numpy arrays or sympy expressions like the scenario's primitives (or *ops*).

    Examples
    --------
    >>> from coercion.cases import load
    >>> mexico = load("us-mexico-2025")
    >>> K, H = resolute_standoff_cost(mexico)   # the US holds out under a month
    >>> round(H, 2), round(K, 2), round(resolute_standoff_cost(mexico, "worst_case")[0])
    (0.6, 4.41, 126)
    """
    scenario = _scenario(scenario_or_case, calibration)
    ops = ops or ops_for(*scenario.parameters().values())
    K_T, H, _ = _resolute_cost(ops, derive(scenario, calibration, ops), scenario, calibration, cost)
    return K_T, H


# --------------------------------------------------------------------------- equilibrium

Dist = Any  # a scipy.stats frozen distribution (``.cdf``) or a callable cdf


def _cdf(dist: Dist) -> Callable[[float], float]:
    f = dist.cdf if hasattr(dist, "cdf") else dist
    return lambda x: float(min(1.0, max(0.0, float(f(x)))))


@dataclass(frozen=True)
class BayesianResult:
    """The perfect Bayesian equilibrium of a coercion episode.

    Attributes
    ----------
    outcome_probabilities : dict
        ``{label: probability}`` over :data:`coercion.model.game.OUTCOMES`, summing to 1.
    events : dict
        The equilibrium events: ``no_threat``, ``threat_concession``, ``backs_down``,
        ``imposed_concession``, ``imposed_standoff``.
    pr_threat : float
        Probability that the coercer threatens (``π + (1 − π) q``).
    irresolute_threat : float
        ``q``, the irresolute coercer's probability of threatening.
    belief : float
        The target's posterior that a threatening coercer is resolute.
    threat_concession : float
        ``G(c1)``: probability that the target concedes to a threat.
    imposed_concession : float
        ``G(c2)``: probability that the target concedes at the latest after imposition.
    threat_success_rate, imposed_success_rate : float
        Success rates of threat-only and of imposed episodes; ``nan`` when no
        episode of that kind occurs (no threat, or every threatened target
        concedes before an imposition).
    threat_bar : float
        ``A_C / (V_C + A_C)``, the concession probability the irresolute coercer needs.
    K_T : float
        The resolute coercer's sanction cost to a target that holds out (US$ bn).
    parameters : dict
        ``prior_resolute``, ``target`` and ``sunk_share`` used; from
        :func:`bayesian_outcomes` also ``cost`` (``"staying_power"``, ``"worst_case"`` or
        ``"given"``) and ``standoff_months`` (the duration ``H`` behind ``K_T``, or None).
    """

    outcome_probabilities: dict[str, float]
    events: dict[str, float]
    pr_threat: float
    irresolute_threat: float
    belief: float
    threat_concession: float
    imposed_concession: float
    threat_success_rate: float
    imposed_success_rate: float
    threat_bar: float
    K_T: float
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def episode_probabilities(self) -> dict[str, float]:
        """Outcome probabilities given that the coercer threatened (what a case records)."""
        if self.pr_threat <= 0:
            return {k: float(k == "status_quo") for k in self.outcome_probabilities}
        return {
            k: (0.0 if k == "status_quo" else v / self.pr_threat)
            for k, v in self.outcome_probabilities.items()
        }

    @property
    def most_likely(self) -> str:
        """The outcome with the largest probability."""
        return max(self.outcome_probabilities, key=lambda k: self.outcome_probabilities[k])


def _solve_belief(
    prior: float, cut: Callable[[float], float], cdf: Callable[[float], float], bar: float
) -> float:
    """The posterior at which the irresolute coercer is indifferent (bisection)."""
    lo, hi = prior, 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(cut(mid)) >= bar:
            hi = mid
        else:
            lo = mid
    return hi


def _equilibrium(
    prior: float,
    K_T: float,
    cdf: Callable[[float], float],
    bar: float,
    target: Target,
    sunk_share: float,
    resisted: str = "standoff",
) -> BayesianResult:
    def cut(p: float) -> float:
        return float(threat_cutoff(FLOAT, p, K_T, target, sunk_share))

    if prior >= 1.0 or cdf(cut(prior)) >= bar:
        belief, q = prior, 1.0  # pooling: both types threaten
    elif cdf(cut(1.0)) < bar:
        belief, q = 1.0, 0.0  # separating: only a resolute coercer threatens
    else:  # semi-separating: the irresolute coercer mixes and is indifferent
        belief = _solve_belief(prior, cut, cdf, bar)
        q = prior * (1 - belief) / ((1 - prior) * belief)
    g1 = cdf(cut(belief))
    g2 = max(g1, cdf(float(imposed_cutoff(FLOAT, belief, K_T, target, sunk_share))))
    pr_threat = prior + (1 - prior) * q
    events = {
        "no_threat": (1 - prior) * (1 - q),
        "threat_concession": pr_threat * g1,
        "backs_down": (1 - prior) * q * (1 - g1),
        "imposed_concession": prior * (g2 - g1),
        "imposed_standoff": prior * (1 - g2),
    }
    probs = dict.fromkeys(OUTCOMES, 0.0)
    probs["status_quo"] = events["no_threat"]
    probs["concession"] = events["threat_concession"] + events["imposed_concession"]
    probs["coercer_backs_down"] = events["backs_down"]
    probs[resisted] += events["imposed_standoff"]
    return BayesianResult(
        outcome_probabilities=probs,
        events=events,
        pr_threat=pr_threat,
        irresolute_threat=q,
        belief=belief,
        threat_concession=g1,
        imposed_concession=g2,
        threat_success_rate=(
            float(threat_only_success(FLOAT, belief, g1)) if pr_threat > 0 else math.nan
        ),
        imposed_success_rate=(
            float(imposed_success(FLOAT, g1, g2)) if prior > 0 and g1 < 1 else math.nan
        ),
        threat_bar=bar,
        K_T=K_T,
        parameters={"prior_resolute": prior, "target": target, "sunk_share": sunk_share},
    )


def bayesian_outcomes(
    scenario_or_case: Any,
    *,
    prior_resolute: float = PRIOR_RESOLUTE,
    dist: Dist | None = None,
    stake_scale: float = STAKE_SCALE,
    target: Target = "hhs",
    sunk_share: float = 0.5,
    standoff_cost: float | None = None,
    cost: Cost = "staying_power",
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> BayesianResult:
    """Solve the Bayesian coercion game of a case or scenario (research notes §2.5).

    The resolute coercer imposes when resisted and keeps its sanctions on for as long as it
    can bear them, so by default a target that holds out bears ``K_T = L_T·k(H)``, the standoff
    cost (research notes §2.2, eq. 1) of ``H = max(min(H_C, H̄), h0)`` months: the coercer's
    staying power ``H_C`` (``derive(...)["H_C_0"]``) capped by the horizon ``H̄``, at least the
    bite ``h0`` (the complete-information impasse of §2.3, 4a, against a target that does not
    quit; :func:`resolute_standoff_cost`).  ``cost="worst_case"`` restores the earlier
    assumption ``K_T = K_T^max``, the whole shortfall until substitutes arrive.

    Parameters
    ----------
    scenario_or_case : Scenario or Case
        A :class:`~coercion.model.primitives.Scenario` or a case
        (``coercion.cases.load(id)`` for a bundled one).
    prior_resolute : float
        ``π``, the target's prior that the coercer is resolute.
    dist : scipy.stats frozen distribution or callable, optional
        ``G``, the coercer's belief about the target's bearable cost ``B_T`` (US$ bn): an
        object with ``.cdf`` or a cdf.  Default: uniform on ``[0, stake_scale × B_T]``, with
        ``B_T`` the case's point estimate (``derive(...)["B_T"]``).
    stake_scale : float
        Upper end of the default uniform ``G`` as a multiple of the point estimate.
    target : {"hhs", "rational"}
        How the target anticipates imposition (module docstring).
    sunk_share : float
        ``φ``, for ``target="rational"``.
    standoff_cost : float, optional
        ``K_T`` (US$ bn), given directly; it overrides *cost*.
    cost : {"staying_power", "worst_case"}
        How ``K_T`` follows from the case when *standoff_cost* is not given:
        ``"staying_power"`` (default) the standoff cost over the coercer's staying power
        capped by the horizon; ``"worst_case"`` the worst-case ``K_T_max``.
    calibration : Calibration
        Also supplies the horizon and the bite months of the duration ``H``.

    Returns
    -------
    BayesianResult

    Examples
    --------
    >>> from coercion.cases import load
    >>> r = bayesian_outcomes(load("us-brazil-2025"))
    >>> round(sum(r.outcome_probabilities.values()), 12)
    1.0
    >>> r.most_likely               # the US's tariffs end when its staying power runs out
    'coercer_backs_down'
    >>> round(r.pr_threat, 2), round(r.episode_probabilities["coercer_backs_down"], 2)
    (0.6, 0.89)
    >>> r.parameters["cost"], round(r.parameters["standoff_months"], 2), round(r.K_T, 2)
    ('staying_power', 7.56, 1.59)
    >>> round(bayesian_outcomes(load("us-brazil-2025"), cost="worst_case").K_T, 2)
    1.66
    """
    if not 0.0 <= prior_resolute <= 1.0:
        raise ValueError(f"prior_resolute must lie in [0, 1], not {prior_resolute}")
    scenario = _scenario(scenario_or_case, calibration)
    d = derive(scenario, calibration, FLOAT)
    K, H, coercer_quits = _resolute_cost(FLOAT, d, scenario, calibration, cost)
    how: str = cost
    months = None if H is None else float(H)
    if standoff_cost is None:
        K_T = float(K)
    else:
        K_T, how, months = float(standoff_cost), "given", None
    if dist is None:
        upper = stake_scale * float(d["B_T"])
        cdf: Callable[[float], float] = lambda x: float(uniform_cdf(FLOAT, x, upper))  # noqa: E731
    else:
        cdf = _cdf(dist)
    st = scenario.stakes
    V_C, A_C = float(st.coercer_issue), float(st.coercer_audience)
    bar = A_C / (V_C + A_C) if V_C + A_C > 0 else 0.0
    # a resisted imposition ends when the coercer's staying power runs out, if that comes
    # before the horizon: the complete model's coercer_backs_down; otherwise a standoff
    resisted = "coercer_backs_down" if how == "staying_power" and coercer_quits else "standoff"
    r = _equilibrium(float(prior_resolute), K_T, cdf, bar, target, float(sunk_share), resisted)
    r.parameters.update(cost=how, standoff_months=months, resisted=resisted)
    return r


def _scenario(obj: Any, calibration: Calibration) -> Scenario:
    if isinstance(obj, Scenario):
        return obj
    if isinstance(obj, str) or not hasattr(obj, "scenario"):
        # the model layer knows scenarios; a case (anything with .scenario()) adapts itself
        raise InvalidParameterError(
            "expected a Scenario or a case; got "
            f"{obj!r} (load a bundled case with coercion.cases.load({obj!r}))"
            if isinstance(obj, str)
            else f"expected a Scenario or a case; got {type(obj).__name__}"
        )
    scenario = obj.scenario(calibration)
    assert isinstance(scenario, Scenario)
    return scenario
