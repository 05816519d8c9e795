"""Payoff formulas of the coercion model, each written once (see :mod:`.backend`).

Units: money in US$ billion, time in months, shares in [0, 1].  References
are to the project's research notes (``coercion-models.md``, §2), which
derive them from Hirschman (1945), Keohane & Nye (1977), Eaton & Engers
(1992), Drezner (1999) and Lacy & Niou (2004); a tariff's own cost follows
Amiti, Redding & Weinstein (2019).  ``docs/model.md`` gives the derivations
and the checks.

Every function takes the backend ``ops`` first; the other arguments are
floats, numpy arrays or sympy expressions.

Examples
--------
>>> from coercion._backend import FLOAT
>>> round(standoff_cost(FLOAT, L=3.0, a=0.9, tau=48.0, s=2.0, H=6.0), 6)
9.075
"""

from __future__ import annotations

from typing import Any

from coercion._backend import Ops

__all__ = [
    "BARGAIN_TOL",
    "attrition",
    "loss_rate_market",
    "loss_rate_supply",
    "max_standoff_cost",
    "nash_bargaining",
    "nash_bargaining_share",
    "shortfall_integral",
    "standoff_cost",
    "staying_power",
    "tariff_consumer_loss",
    "tariff_revenue",
    "total_cost",
]


#: shares within this of 0 or 1 are snapped; the bargaining set is non-empty within it
BARGAIN_TOL = 1e-9


def loss_rate_supply(ops: Ops, d: Any, flow: Any, essentiality: Any) -> Any:
    """Monthly loss of a supply cut-off: ``L = d · P · μ`` (research notes §2.1).

    *d* is the importer's share of the good bought from the coercer, *flow*
    the importer's monthly imports of the good from all sources (US$ bn), and
    *essentiality* ``μ >= 1`` the downstream value lost per dollar of missing
    input (Hirschman 1945; Leontief bottleneck).
    """
    return d * flow * essentiality


def loss_rate_market(
    ops: Ops, d: Any, flow: Any, tariff: Any, elasticity: Any, value_added: Any
) -> Any:
    """Monthly loss from a tariff on the exporter: ``L = d·E·[1 − (1+θ)^(−ε)]·m`` (§2.1).

    *d* is the share of the exporter's exports (*flow*, US$ bn a month) sold
    to the coercer, *tariff* ``θ`` the ad valorem rate, *elasticity* ``ε`` the
    coercer's import-demand elasticity (full pass-through assumed) and
    *value_added* ``m`` the share of lost revenue that is lost income.  An
    import ban is the limit ``θ → ∞`` (the bracket is 1).
    """
    return d * flow * (1 - (1 + tariff) ** (-elasticity)) * value_added


def tariff_consumer_loss(ops: Ops, imports: Any, tariff: Any, elasticity: Any) -> Any:
    """Monthly consumer-surplus loss of the tariff-imposing country's buyers.

    With full pass-through (the tariff raises the buyers' price from 1 to
    ``1 + θ``; Amiti, Redding & Weinstein 2019; Fajgelbaum et al. 2020) and
    constant-elasticity import demand ``q(P) = q0·P^(−ε)``, the loss is the
    area under the demand curve between the two prices:

    ``CS(θ) = ∫₁^{1+θ} q0·P^(−ε) dP = M·[(1+θ)^(1−ε) − 1]/(1 − ε)``  (``M·ln(1+θ)`` at ``ε = 1``)

    It is the tariff revenue (:func:`tariff_revenue`, a transfer from buyers
    to the treasury) plus the deadweight loss, rises with ``θ`` without bound
    for ``ε ≤ 1`` and towards ``M/(ε − 1)`` for ``ε > 1``.  The model counts
    all of it as the coercer's political cost (``docs/model.md``, "Own cost").

    Parameters
    ----------
    ops : Ops
        The backend (float, numpy or sympy).
    imports : US$ bn / month
        ``M = q0``, the pre-tariff import bill of the taxed goods (``d · flow``).
    tariff : rate >= 0
        ``θ`` (1.45 is 145 %).
    elasticity : > 0
        ``ε``, the importer's import-demand elasticity (as in :func:`loss_rate_market`).

    Returns
    -------
    US$ bn / month, of the backend's type.

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> round(tariff_consumer_loss(FLOAT, 1.0, 0.25, 2.0), 12)   # θ/(1+θ) at ε = 2
    0.2
    >>> round(tariff_consumer_loss(FLOAT, 1.0, 1.45, 2.0), 4)
    0.5918
    >>> round(tariff_consumer_loss(FLOAT, 1.0, 0.25, 1.0), 4)   # ln 1.25
    0.2231
    """
    growth = (1 + tariff) ** (1 - elasticity) - 1
    return imports * ops.safe_div(growth, 1 - elasticity, ops.log(1 + tariff))


def tariff_revenue(ops: Ops, imports: Any, tariff: Any, elasticity: Any) -> Any:
    """Monthly tariff revenue ``θ·M·(1+θ)^(−ε)`` (full pass-through, constant elasticity).

    The deadweight loss of the tariff is ``tariff_consumer_loss − tariff_revenue``.

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> tariff_revenue(FLOAT, 1.0, 0.25, 2.0)
    0.16
    """
    return tariff * imports * (1 + tariff) ** (-elasticity)


def shortfall_integral(ops: Ops, a: Any, tau: Any, s: Any, H: Any) -> Any:
    """Uncovered shortfall after *H* months, in months of full cut-off.

    The shortfall starts at the non-replaceable share ``a`` and falls
    linearly to zero as substitutes arrive after ``τ`` months:
    ``u(t) = max(0, a − t/τ)``.  A stockpile covers the first ``s`` months of
    shortfall.  ``k(H) = max(0, a·D − D²/(2τ) − s)`` with ``D = min(H, aτ)``
    (research notes §2.2, eq. 1).
    """
    D = ops.minimum(H, a * tau)
    return ops.maximum(0, D * (a - D / (2 * tau)) - s)  # a·D − D²/(2τ) − s, one product fewer


def standoff_cost(ops: Ops, L: Any, a: Any, tau: Any, s: Any, H: Any) -> Any:
    """Cost of a standoff of length *H*: ``K(H) = L · k(H)`` (§2.2, eq. 1)."""
    return L * shortfall_integral(ops, a, tau, s, H)


def max_standoff_cost(ops: Ops, L: Any, a: Any, tau: Any, s: Any) -> Any:
    """Bounded worst case ``K^max = L · max(0, a²τ/2 − s)``: substitution caps the damage."""
    return L * ops.maximum(0, a**2 * tau / 2 - s)


def total_cost(ops: Ops, c: Any, L: Any, a: Any, tau: Any, s: Any, H: Any) -> Any:
    """A side's cost of *H* months of sanctions: linear own cost plus a cut-off's cost.

    ``c·H + L·k(H)``: for the coercer ``c`` is its own monthly cost (forgone
    exports; for a tariff its buyers' consumer-surplus loss,
    :func:`tariff_consumer_loss`) and ``L·k`` the bite of
    the target's counter-measure; for the target ``L·k`` is the bite of the
    sanction and ``c`` the own cost of executing its counter-measure.
    """
    return c * H + standoff_cost(ops, L, a, tau, s, H)


def staying_power(ops: Ops, B: Any, c: Any, L: Any, a: Any, tau: Any, s: Any) -> Any:
    """Months a side can bear sanctions: the ``H`` solving ``c·H + L·k(H) = B``.

    *B* is the bearable cost (what holding out is worth); the cost function is
    :func:`total_cost`.  It is continuous and non-decreasing in ``H`` with
    three pieces (stockpile lasts; substitution under way; substitution
    complete), so the root has a closed form on each piece (research notes
    §2.2, eq. 2, generalised to a linear own cost).  ``inf`` when the cost
    never reaches ``B`` (the strategic-autonomy condition for the target).

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> round(staying_power(FLOAT, B=0.5, c=0.0, L=3.0, a=0.9, tau=48.0, s=2.0), 4)
    2.4785
    >>> staying_power(FLOAT, B=100.0, c=0.0, L=3.0, a=0.9, tau=48.0, s=2.0)
    inf
    """
    khat = ops.maximum(0, a**2 * tau / 2 - s)
    covered = ops.le(khat, 0)  # the stockpile outlasts the whole shortfall
    h_s = tau * (a - ops.sqrt(a**2 - 2 * s / tau))  # stockpile exhausted
    h_e = a * tau  # substitution complete
    H_lin = ops.safe_div(B, c, ops.inf)
    qb = c + L * a
    # sqrt(qb² − 2L(B + Ls)/τ), without forming qb² (which overflows floats for qb > 1e154)
    root = ops.sqrt_sq_minus(qb, 2 * L / tau, B + L * s)
    H_quad = ops.safe_div(tau * (qb - root), L, H_lin)
    H_after = ops.safe_div(B - L * khat, c, ops.inf)
    first_piece = ops.logical_or(covered, ops.le(B, c * h_s))
    return ops.where(
        ops.le(B, 0),
        0,
        ops.where(first_piece, H_lin, ops.where(ops.le(B, c * h_e + L * khat), H_quad, H_after)),
    )


def attrition(
    ops: Ops,
    H_T: Any,
    H_C: Any,
    horizon: Any,
    bite: Any,
) -> tuple[Any, Any, Any]:
    """Who gives up first in a war of attrition, and when (research notes §2.3, 4a).

    The side whose staying power runs out first quits then; if both can hold
    out beyond *horizon* months the standoff is a deadlock (Drezner 1999).
    Sanctions bite at least *bite* months.  Returns indicator values
    ``(target_quits, coercer_quits, duration)``; deadlock is neither.
    """
    target_quits = ops.logical_and(ops.le(H_T, H_C), ops.lt(H_T, horizon))
    coercer_quits = ops.logical_and(ops.lt(H_C, H_T), ops.lt(H_C, horizon))
    first = ops.minimum(ops.minimum(H_T, H_C), horizon)
    duration = ops.maximum(first, bite)
    return target_quits, coercer_quits, duration


def nash_bargaining_share(
    ops: Ops,
    beta: Any,
    p: Any,
    q: Any,
    alpha_C: Any,
    alpha_T: Any,
    d_C: Any,
    d_T: Any,
    tol: float = BARGAIN_TOL,
) -> tuple[Any, Any]:
    """Generalised Nash bargaining over the share ``x`` of the demand the target grants.

    Utilities are linear in ``x``: ``u_C = α_C + x·p`` and ``u_T = α_T − x·q``
    (``p = V_C + A_C``: the coercer's gain from full compliance over backing
    down; ``q = V_T + R_T``: the target's cost of full compliance).  The
    disagreement point ``(d_C, d_T)`` is the impasse (attrition) payoff.
    Maximising ``β·ln(u_C − d_C) + (1 − β)·ln(u_T − d_T)`` gives

    ``x* = β·(α_T − d_T)/q − (1 − β)·(α_C − d_C)/p``

    clipped to the bargaining set ``[max(0, (d_C − α_C)/p), min(1, (α_T − d_T)/q)]``
    (research notes §2.4, eq. 4; here with the back-down payoff as the
    coercer's ``x = 0`` utility, see ``docs/model.md``).  Returns
    ``(x*, feasible)`` where *feasible* says the bargaining set is non-empty.
    Shares within ``tol`` of 0 or 1 are snapped to it, and the set counts as
    non-empty within ``tol``, so that rounding cannot turn a full concession
    into a partial one.

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> nash_bargaining_share(FLOAT, 0.5, 2.0, 2.0, -1.0, 0.0, -3.0, -3.0)
    (0.25, True)
    """
    x, feasible, _, _ = nash_bargaining(ops, beta, p, q, alpha_C, alpha_T, d_C, d_T, tol)
    return x, feasible


def nash_bargaining(
    ops: Ops,
    beta: Any,
    p: Any,
    q: Any,
    alpha_C: Any,
    alpha_T: Any,
    d_C: Any,
    d_T: Any,
    tol: float = BARGAIN_TOL,
) -> tuple[Any, Any, Any, Any]:
    """:func:`nash_bargaining_share` and the bargaining set: ``(x*, feasible, lo, hi)``.

    With ``u = (d_C − α_C)/p`` and ``v = (α_T − d_T)/q`` the unclipped share is
    ``x* = β·v + (1 − β)·u`` and the set is ``[max(0, u), min(1, v)]``: each
    quotient is computed once.

    Examples
    --------
    >>> from coercion._backend import FLOAT
    >>> nash_bargaining(FLOAT, 0.5, 2.0, 2.0, -1.0, 0.0, -3.0, -3.0)
    (0.25, True, 0, 1)
    """
    u = (d_C - alpha_C) / p
    v = (alpha_T - d_T) / q
    lo = ops.maximum(0, u)
    hi = ops.minimum(1, v)
    x = ops.minimum(ops.maximum(beta * v + (1 - beta) * u, lo), hi)
    x = ops.where(ops.le(1 - tol, x), 1, ops.where(ops.le(x, tol), 0, x))
    return x, ops.le(lo, hi + tol), lo, hi
