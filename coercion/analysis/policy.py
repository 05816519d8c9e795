"""Policy design: strategic autonomy, strategic indispensability, small yard–high fence.

Three questions of issue 7, answered on the model of ``docs/model.md``:

* :func:`autonomy` -- the cheapest change of the target's own levers (dependency share,
  immediately replaceable share, stockpile, time to substitute) that moves the predicted
  episode outcome away from ``concession`` (and ``partial_concession`` if asked), with the
  cost-security frontier;
* :func:`indispensability` -- the counter-leverage (essentiality, dependency share, stockpile
  and time to substitute of the coercer on the target's counter-instrument) that makes the
  counter-threat decisive, compared in US$ bn with autonomy;
* :func:`small_yard` -- which goods of a portfolio to protect and how high (discrete fences),
  at minimum cost, so that no single coercer instrument forces concession; under a budget,
  the worst exposure is minimised instead (a mixed-integer program, ``scipy.optimize.milp``).

Every case-level answer is verified by re-solving the game at the recommended point and just
short of it (``verified``).  Cost curves are judgements, documented in ``docs/policy.md``;
pass your own as ``costs={path: f(new_value, case) -> US$ bn}``.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion._backend import NUMPY
from coercion.analysis.analyze import analyze
from coercion.analysis.evaluate import evaluate
from coercion.analysis.thresholds import search_range, thresholds
from coercion.cases.loader import Case, load
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.formulas import staying_power
from coercion.model.game import OUTCOMES

__all__ = [
    "AUTONOMY_LEVERS",
    "INDISPENSABILITY_LEVERS",
    "SECURITY",
    "FrontierPoint",
    "Good",
    "Option",
    "PolicyError",
    "PolicyResult",
    "Portfolio",
    "YardResult",
    "autonomy",
    "default_fences",
    "exposure",
    "indispensability",
    "load_portfolio",
    "small_yard",
]

CostFn = Callable[[Any, Case], Any]


class PolicyError(InvalidParameterError):
    """Bad input to a policy search (unknown lever, no counter-instrument, bad portfolio)."""


#: security of an episode outcome for the target (higher is safer): a judgement used to
#: order the cost-security frontier
SECURITY: dict[str, int] = {
    "concession": 0,
    "partial_concession": 1,
    "standoff": 2,
    "escalation": 2,
    "coercer_backs_down": 3,
    "counter_threat_success": 3,
    "status_quo": 3,
}

# ---- cost-curve constants (judgements, docs/policy.md)
HORIZON_YEARS = 10.0  #: years over which recurring costs are counted (undiscounted)
CARRYING_RATE = 0.10  #: yearly carrying cost of a stockpile (interest, storage), per US$
DIVERSIFICATION_PREMIUM = 0.25  #: price premium of the alternative supplier, per US$ moved
STANDBY_FEE = 0.15  #: yearly fee for reserved spare capacity, per US$ of flow reserved
SPEEDUP_YEARS = 2.0  #: investment, in years of the flow, to halve the time to substitute
RND_YEARS = 1.0  #: R&D, in years of the flow, to double the essentiality of a product
SHARE_DISCOUNT = 0.25  #: price discount to win market share, per US$ of share won
FORGONE_MARGIN = 0.3  #: margin lost on sales withheld to keep a coercer's stocks low


def _num(case: Case, path: str) -> float:
    return float(case.numeric_value(path))


def stockpile_cost(flow: Any, d: Any, s0: Any, s: Any) -> Any:
    """Carrying cost of a stockpile raised from *s0* to *s* months of the cut flow ``d·flow``.

    ``d·flow·(s − s0)⁺ · CARRYING_RATE · HORIZON_YEARS`` (US$ bn): the stock itself is an
    asset; what it costs is holding it.

    >>> round(float(stockpile_cost(0.06, 0.92, 2.0, 12.0)), 4)
    0.552
    """
    return (
        d
        * flow
        * np.maximum(0.0, np.asarray(s, dtype=float) - s0)
        * (CARRYING_RATE * HORIZON_YEARS)
    )


def diversification_cost(flow: Any, d0: Any, d: Any) -> Any:
    """Premium paid to move the share ``Δ = (d0 − d)⁺`` of the flow to dearer suppliers.

    ``12·flow·HORIZON_YEARS·DIVERSIFICATION_PREMIUM·(Δ + Δ²)`` (US$ bn): convex, as
    each further share moves to dearer or less proven sources.

    >>> round(float(diversification_cost(0.06, 0.92, 0.62)), 4)
    0.702
    """
    delta = np.maximum(0.0, d0 - np.asarray(d, dtype=float))
    return 12 * flow * HORIZON_YEARS * DIVERSIFICATION_PREMIUM * (delta + delta**2)


def _standby_cost(flow: Any, r0: Any, r: Any) -> Any:
    delta = np.maximum(0.0, np.asarray(r, dtype=float) - r0)
    return 12 * flow * HORIZON_YEARS * STANDBY_FEE * (delta + delta**2)


def _speedup_cost(flow: Any, tau0: Any, tau: Any) -> Any:
    return 12 * flow * SPEEDUP_YEARS * np.maximum(0.0, tau0 / np.asarray(tau, dtype=float) - 1)


def _cost_dependency(v: Any, case: Case) -> Any:
    flow = _num(case, "instrument.monthly_flow_usd_bn")
    return diversification_cost(flow, _num(case, "instrument.dependency_share"), v)


def _cost_replaceable(v: Any, case: Case) -> Any:
    flow = _num(case, "instrument.monthly_flow_usd_bn")
    return _standby_cost(flow, _num(case, "instrument.replaceable_share"), v)


def _cost_stockpile(v: Any, case: Case) -> Any:
    flow = _num(case, "instrument.monthly_flow_usd_bn")
    d = _num(case, "instrument.dependency_share")
    return stockpile_cost(flow, d, _num(case, "instrument.stockpile_months"), v)


def _cost_substitute(v: Any, case: Case) -> Any:
    flow = _num(case, "instrument.monthly_flow_usd_bn")
    return _speedup_cost(flow, _num(case, "instrument.months_to_substitute"), v)


def _cost_counter_essentiality(v: Any, case: Case) -> Any:
    flow = _num(case, "counter.monthly_flow_usd_bn")
    mu0 = _num(case, "counter.essentiality")
    return 12 * flow * RND_YEARS * np.maximum(0.0, np.asarray(v, dtype=float) / mu0 - 1)


def _cost_counter_dependency(v: Any, case: Case) -> Any:
    flow = _num(case, "counter.monthly_flow_usd_bn")
    delta = np.maximum(0.0, np.asarray(v, dtype=float) - _num(case, "counter.dependency_share"))
    return 12 * flow * HORIZON_YEARS * SHARE_DISCOUNT * (delta + delta**2)


def _cost_counter_stockpile(v: Any, case: Case) -> Any:
    flow = _num(case, "counter.monthly_flow_usd_bn")
    d = _num(case, "counter.dependency_share")
    delta = np.maximum(0.0, _num(case, "counter.stockpile_months") - np.asarray(v, dtype=float))
    return flow * d * delta * FORGONE_MARGIN * HORIZON_YEARS


def _cost_counter_substitute(v: Any, case: Case) -> Any:
    flow = _num(case, "counter.monthly_flow_usd_bn")
    tau0 = _num(case, "counter.months_to_substitute")
    return 12 * flow * SPEEDUP_YEARS * np.maximum(0.0, np.asarray(v, dtype=float) / tau0 - 1)


#: the target's own levers: path -> (direction, default cost curve)
AUTONOMY_LEVERS: dict[str, tuple[int, CostFn]] = {
    "instrument.dependency_share": (-1, _cost_dependency),
    "instrument.replaceable_share": (+1, _cost_replaceable),
    "instrument.stockpile_months": (+1, _cost_stockpile),
    "instrument.months_to_substitute": (-1, _cost_substitute),
}

#: counter-leverage levers (on the target's counter-instrument against the coercer)
INDISPENSABILITY_LEVERS: dict[str, tuple[int, CostFn]] = {
    "counter.essentiality": (+1, _cost_counter_essentiality),
    "counter.dependency_share": (+1, _cost_counter_dependency),
    "counter.stockpile_months": (-1, _cost_counter_stockpile),
    "counter.months_to_substitute": (+1, _cost_counter_substitute),
}


# ------------------------------------------------------------------------------------------
# case-level results


@dataclass(frozen=True)
class Option:
    """One verified (or not) change of levers and what it achieves.

    ``short_of`` is the same change stopped just short (each changed lever moved back by a
    hair towards its current value); ``verified`` says that re-solving the game gives an
    outcome meeting the goal at ``changes`` and one that does not at ``short_of``.
    """

    changes: dict[str, float]
    cost: float
    outcome_after: str
    short_of: dict[str, float]
    outcome_short_of: str | None
    verified: bool
    method: str
    lever_costs: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "changes": self.changes,
            "cost": self.cost,
            "outcome_after": self.outcome_after,
            "short_of": self.short_of,
            "outcome_short_of": self.outcome_short_of,
            "verified": self.verified,
            "method": self.method,
            "lever_costs": self.lever_costs,
        }


@dataclass(frozen=True)
class FrontierPoint:
    """A Pareto point of the cost-security frontier: the cheapest way to reach *outcome*."""

    cost: float
    outcome: str
    security: int
    changes: dict[str, float]
    verified: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "cost": self.cost,
            "outcome": self.outcome,
            "security": self.security,
            "changes": self.changes,
            "verified": self.verified,
        }


@dataclass(frozen=True)
class PolicyResult:
    """The answer of :func:`autonomy` or :func:`indispensability` for one case.

    ``best`` is the cheapest option meeting the goal (``None`` if none was found within the
    levers' ranges); ``options`` every option found (each lever alone, each pair);
    ``frontier`` the cost-security frontier (costs and security strictly increasing).
    """

    case: str
    policy: str
    goal: str
    outcome_before: str
    best: Option | None
    options: tuple[Option, ...]
    frontier: tuple[FrontierPoint, ...]
    comparison: dict[str, Any] | None = None

    @property
    def changes(self) -> dict[str, float]:
        """The recommended parameter values (``{}`` if none)."""
        return {} if self.best is None else self.best.changes

    @property
    def outcome_after(self) -> str:
        """The outcome at the recommended point."""
        return self.outcome_before if self.best is None else self.best.outcome_after

    @property
    def cost(self) -> float | None:
        """Cost of the recommendation in US$ bn (``None`` if none)."""
        return None if self.best is None else self.best.cost

    @property
    def verified(self) -> bool:
        """Whether the recommendation was verified by re-solving the game."""
        return self.best is not None and self.best.verified

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (``changes`` take the paths of ``analyze --set``)."""
        return {
            "case": self.case,
            "policy": self.policy,
            "goal": self.goal,
            "outcome_before": self.outcome_before,
            "outcome_after": self.outcome_after,
            "changes": self.changes,
            "cost": self.cost,
            "verified": self.verified,
            "short_of": None if self.best is None else self.best.short_of,
            "outcome_short_of": None if self.best is None else self.best.outcome_short_of,
            "options": [o.to_dict() for o in self.options],
            "frontier": [p.to_dict() for p in self.frontier],
            "comparison": self.comparison,
        }

    def report(self) -> str:
        """A readable account."""
        lines = [
            f"{self.policy} for {self.case}: goal {self.goal}",
            f"  outcome now: {self.outcome_before}",
        ]
        if self.best is None:
            lines.append("  no change of the levers within their ranges meets the goal")
        else:
            b = self.best
            lines.append(f"  cheapest: US$ {b.cost:.4g} bn -> {b.outcome_after}")
            for k, v in b.changes.items():
                lines.append(f"    --set {k}={v!r}")
            lines.append(
                f"  verified: {'yes' if b.verified else 'NO'} "
                f"(just short: {b.outcome_short_of or '-'})"
            )
        if self.frontier:
            lines.append("  cost-security frontier:")
        for p in self.frontier:
            ch = ", ".join(f"{k}={v:.4g}" for k, v in p.changes.items()) or "no change"
            lines.append(f"    US$ {p.cost:10.4g} bn  {p.outcome:<24} {ch}")
        if self.comparison:
            lines.append(
                "  comparison (US$ bn): "
                + ", ".join(f"{k}={v}" for k, v in self.comparison.items())
            )
        return "\n".join(lines)


def _outcome(case: Case, changes: Mapping[str, float], calibration: Calibration) -> str:
    """Re-solve the game as ``coercion analyze --set`` does."""
    return analyze(case, dict(changes), calibration=calibration, with_thresholds=False).outcome


def _levers(
    case: Case,
    table: Mapping[str, tuple[int, CostFn]],
    levers: Sequence[str] | None,
    costs: Mapping[str, CostFn] | None,
) -> dict[str, tuple[int, CostFn]]:
    names = list(table) if levers is None else list(levers)
    out: dict[str, tuple[int, CostFn]] = {}
    for p in names:
        if p not in table:
            raise PolicyError(f"levers: unknown lever {p!r}; levers are {sorted(table)}")
        if p in case.values:
            out[p] = table[p]
    for p in costs or {}:
        if p not in table:
            raise PolicyError(f"costs: unknown lever {p!r}; levers are {sorted(table)}")
        if p in out:
            out[p] = (out[p][0], (costs or {})[p])
    if not out:
        raise PolicyError(f"case {case.id!r} has none of the levers {names}")
    return out


def _cost_of(fn: CostFn, values: Any, case: Case) -> npt.NDArray[np.float64]:
    arr = np.asarray(values, dtype=float)
    try:
        out = np.asarray(fn(arr, case), dtype=float)
        if out.shape != arr.shape:
            out = np.broadcast_to(out, arr.shape).astype(float)
    except (TypeError, ValueError):
        out = np.array([float(fn(float(v), case)) for v in arr.ravel()]).reshape(arr.shape)
    return out


def _margin(case: Case, path: str, value: float) -> float:
    lo, hi = search_range(case, path, _num(case, path))
    return max(1e-9 * (hi - lo), 16 * float(np.spacing(abs(value) or 1.0)))


def _make_option(
    case: Case,
    changes: dict[str, float],
    levers: Mapping[str, tuple[int, CostFn]],
    goal: Callable[[str], bool],
    calibration: Calibration,
    method: str,
    flip: Mapping[str, float] | None = None,
) -> Option:
    """Nudge *changes* a hair past the flip, step back a hair, re-solve both, cost them."""
    rec: dict[str, float] = {}
    short: dict[str, float] = {}
    for p, v in changes.items():
        direction = levers[p][0]
        lo, hi = search_range(case, p, _num(case, p))
        m = _margin(case, p, v)
        at = (flip or {}).get(p, v)
        rec[p] = float(min(max(v + direction * m if p in (flip or {}) else v, lo), hi))
        short[p] = float(min(max(at - direction * m, lo), hi))
    after = _outcome(case, rec, calibration)
    short_out = _outcome(case, short, calibration)
    lever_costs = {p: float(_cost_of(levers[p][1], rec[p], case)) for p in rec}
    return Option(
        changes=rec,
        cost=float(sum(lever_costs.values())),
        outcome_after=after,
        short_of=short,
        outcome_short_of=short_out,
        verified=goal(after) and not goal(short_out),
        method=method,
        lever_costs=lever_costs,
    )


def _single_options(
    case: Case,
    levers: Mapping[str, tuple[int, CostFn]],
    goal: Callable[[str], bool],
    calibration: Calibration,
) -> tuple[list[Option], list[Option]]:
    """Each lever alone, exactly: every favourable flip from the thresholds machinery.

    Returns (options meeting the goal, every favourable flip as an option).
    """
    meeting: list[Option] = []
    every: list[Option] = []
    for t in thresholds(case, list(levers), calibration=calibration):
        direction = levers[t.parameter][0]
        if (t.value - t.current) * direction <= 0:
            continue
        far = t.above if direction > 0 else t.below
        opt = _make_option(
            case,
            {t.parameter: t.value},
            levers,
            goal,
            calibration,
            "threshold",
            flip={t.parameter: t.value},
        )
        if opt.outcome_after != far:  # a second flip within the margin: do not report it
            continue
        every.append(opt)
        if goal(far):
            meeting.append(opt)
    return meeting, every


def _pair_options(
    case: Case,
    levers: Mapping[str, tuple[int, CostFn]],
    goal_codes: npt.NDArray[np.bool_],
    goal: Callable[[str], bool],
    calibration: Calibration,
    singles: Sequence[Option],
    n: int = 48,
    rounds: int = 3,
    iterations: int = 48,
) -> list[Option]:
    """Pairs of levers: a grid over the first, bisection on the second (all pairs at once).

    For each value of the first lever (from its current value to where it alone would
    suffice, or its range end), the smallest move of the second lever that meets the goal
    is found by bisection; the cheapest total is then refined on finer grids around it.
    """
    paths = list(levers)
    base = {p: _num(case, p) for p in paths}
    ends: dict[str, float] = {}
    for p in paths:
        lo, hi = search_range(case, p, base[p])
        ends[p] = hi if levers[p][0] > 0 else lo
        alone = [o.changes[p] for o in singles if list(o.changes) == [p]]
        if alone:
            ends[p] = min(alone, key=lambda v: abs(v - base[p]))
    pairs = [(p, q) for p, q in itertools.permutations(paths, 2)]
    if not pairs:
        return []
    windows = {pq: (base[pq[0]], ends[pq[0]]) for pq in pairs}
    best: dict[tuple[str, str], tuple[float, float, float]] = {}
    for _ in range(rounds):
        rows_p: list[npt.NDArray[np.float64]] = []
        for pq in pairs:
            a, b = windows[pq]
            rows_p.append(np.linspace(a, b, n))
        vp = np.concatenate(rows_p)
        owner = np.repeat(np.arange(len(pairs)), n)
        q_lo = np.array([base[pairs[k][1]] for k in owner])
        q_hi = np.array([ends[pairs[k][1]] for k in owner])

        def batch(vp: Any, vq: Any, owner: Any = owner) -> npt.NDArray[np.bool_]:
            vals = {p: np.full(vp.shape, base[p]) for p in paths}
            for k, (p, q) in enumerate(pairs):
                sel = owner == k
                vals[p] = np.where(sel, vp, vals[p])
                vals[q] = np.where(sel, vq, vals[q])
            return goal_codes[evaluate(case, vals, calibration=calibration).outcome]

        ok_hi = batch(vp, q_hi)
        for _ in range(iterations):
            mid = (q_lo + q_hi) / 2
            ok = batch(vp, mid)
            q_hi = np.where(ok, mid, q_hi)
            q_lo = np.where(ok, q_lo, mid)
        for k, (p, q) in enumerate(pairs):
            sel = (owner == k) & ok_hi
            if not np.any(sel):
                continue
            cost = _cost_of(levers[p][1], vp[sel], case) + _cost_of(levers[q][1], q_hi[sel], case)
            j = int(np.argmin(cost))
            idx = np.flatnonzero(sel)[j]
            best[(p, q)] = (float(vp[idx]), float(q_hi[idx]), float(cost[j]))
            step = abs(windows[(p, q)][1] - windows[(p, q)][0]) / (n - 1)
            lo_w = vp[idx] - step
            hi_w = vp[idx] + step
            a, b = sorted((base[p], ends[p]))
            windows[(p, q)] = (float(np.clip(lo_w, a, b)), float(np.clip(hi_w, a, b)))
    out: list[Option] = []
    for (p, q), (v_p, v_q, _) in best.items():
        if v_p == base[p] or v_q == base[q]:
            continue  # one lever alone: covered exactly by the single-lever search
        out.append(
            _make_option(
                case, {p: v_p, q: v_q}, levers, goal, calibration, "grid+bisection", flip={q: v_q}
            )
        )
    return out


def _frontier(before: str, options: Sequence[Option]) -> tuple[FrontierPoint, ...]:
    points = [FrontierPoint(0.0, before, SECURITY[before], {}, True)]
    for o in sorted(options, key=lambda o: (o.cost, -SECURITY[o.outcome_after])):
        if not o.verified and o.outcome_short_of == o.outcome_after:
            continue
        if SECURITY[o.outcome_after] > points[-1].security:
            points.append(
                FrontierPoint(
                    o.cost, o.outcome_after, SECURITY[o.outcome_after], o.changes, o.verified
                )
            )
    return tuple(points)


def _search(
    case: Case,
    policy: str,
    levers: Mapping[str, tuple[int, CostFn]],
    goal: Callable[[str], bool],
    goal_text: str,
    calibration: Calibration,
    pairs: bool,
) -> PolicyResult:
    before = _outcome(case, {}, calibration)
    goal_codes = np.array([goal(o) for o in OUTCOMES], dtype=bool)
    meeting, every = _single_options(case, levers, goal, calibration)
    combos = _pair_options(case, levers, goal_codes, goal, calibration, meeting) if pairs else []
    candidates = [o for o in meeting + combos if o.verified]
    if goal(before):
        best: Option | None = Option({}, 0.0, before, {}, None, True, "none needed")
    else:
        best = min(candidates, key=lambda o: o.cost) if candidates else None
    options = tuple(sorted(meeting + combos, key=lambda o: o.cost))
    return PolicyResult(
        case=case.id,
        policy=policy,
        goal=goal_text,
        outcome_before=before,
        best=best,
        options=options,
        frontier=_frontier(before, list(every) + combos),
    )


def _goal(avoid: Sequence[str] | None, reach: str | None) -> tuple[Callable[[str], bool], str]:
    for o in [*(avoid or ()), *([reach] if reach else [])]:
        if o not in OUTCOMES:
            raise PolicyError(f"unknown outcome {o!r}; outcomes are {list(OUTCOMES)}")
    if reach is not None:
        return (lambda o: o == reach), f"reach {reach}"
    bad = tuple(avoid or ())

    def goal(o: str) -> bool:
        return o not in bad

    return goal, "avoid " + " and ".join(bad)


def _as_case(case: Case | str) -> Case:
    return load(case) if isinstance(case, str) else case


def autonomy(
    case: Case | str,
    levers: Sequence[str] | None = None,
    *,
    costs: Mapping[str, CostFn] | None = None,
    avoid: Sequence[str] = ("concession",),
    pairs: bool = True,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> PolicyResult:
    """The cheapest change of the target's own levers that moves the outcome out of *avoid*.

    Parameters
    ----------
    case : Case or str
    levers : sequence of str, optional
        Paths among :data:`AUTONOMY_LEVERS` (default: all four, where the case has them).
    costs : mapping path -> callable, optional
        ``f(new_value, case) -> US$ bn`` replacing a default cost curve (``new_value`` may be
        a numpy array; a scalar-only function is applied elementwise).
    avoid : sequence of str
        Outcomes to move away from; ``("concession", "partial_concession")`` also rules out
        truces with partial concessions.
    pairs : bool
        Also search pairs of levers (grid + bisection + refinement).
    calibration : Calibration

    Returns
    -------
    PolicyResult

    Examples
    --------
    >>> r = autonomy("japan-china-2010", ["instrument.stockpile_months"])
    >>> r.outcome_before, r.outcome_after, r.verified
    ('concession', 'partial_concession', True)
    >>> round(r.changes["instrument.stockpile_months"], 2), round(r.cost, 3)
    (20.63, 1.028)
    """
    c = _as_case(case)
    table = _levers(c, AUTONOMY_LEVERS, levers, costs)
    goal, text = _goal(avoid, None)
    return _search(c, "autonomy", table, goal, text, calibration, pairs)


def indispensability(
    case: Case | str,
    levers: Sequence[str] | None = None,
    *,
    costs: Mapping[str, CostFn] | None = None,
    reach: str | None = "counter_threat_success",
    avoid: Sequence[str] = ("concession",),
    pairs: bool = True,
    compare: bool = True,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> PolicyResult:
    """The counter-leverage that makes the target's counter-threat decisive.

    Searches the target's counter-instrument (:data:`INDISPENSABILITY_LEVERS`: raise the
    essentiality of what it can withhold and the coercer's dependency on it, lower the
    coercer's stocks, lengthen the coercer's time to substitute) for the cheapest change
    whose outcome is *reach* (default ``counter_threat_success``); with ``reach=None``, the
    cheapest that leaves *avoid*.  With *compare*, the result's ``comparison`` holds the
    cheapest US$ bn to leave *avoid* by autonomy and by indispensability.

    Raises
    ------
    PolicyError
        If the case has no counter-instrument.

    Examples
    --------
    >>> r = indispensability("japan-korea-2019", pairs=False, compare=False)
    >>> r.outcome_before, r.outcome_after, r.verified
    ('concession', 'counter_threat_success', True)
    """
    c = _as_case(case)
    if c.counter_kind is None:
        raise PolicyError(
            f"case {c.id!r} has no counter-instrument: indispensability needs a [counter] "
            "table in the case file"
        )
    table = _levers(c, INDISPENSABILITY_LEVERS, levers, costs)
    goal, text = _goal(avoid, reach)
    result = _search(c, "indispensability", table, goal, text, calibration, pairs)
    if not compare:
        return result
    auto = autonomy(c, avoid=avoid, pairs=pairs, calibration=calibration)
    if reach is None:
        ind_cost = result.cost
    else:
        g2, _ = _goal(avoid, None)
        ind_cost = _search(c, "indispensability", table, g2, "", calibration, pairs).cost
    comparison: dict[str, Any] = {
        "goal": "avoid " + " and ".join(avoid),
        "autonomy_cost": auto.cost,
        "indispensability_cost": ind_cost,
        "autonomy_changes": auto.changes,
        "cheaper": _cheaper(auto.cost, ind_cost),
    }
    return PolicyResult(**{**result.__dict__, "comparison": comparison})


def _cheaper(a: float | None, b: float | None) -> str | None:
    if a is None and b is None:
        return None
    if a is not None and b is not None and a == b == 0:
        return "none needed"
    if b is None or (a is not None and a <= b):
        return "autonomy"
    return "indispensability"


# ------------------------------------------------------------------------------------------
# small yard, high fence


@dataclass(frozen=True)
class Good:
    """A dependency of the portfolio's state: one good from one supplier (model units)."""

    name: str
    supplier: str
    dependency_share: float
    monthly_flow_usd_bn: float
    essentiality: float = 1.0
    replaceable_share: float = 0.0
    months_to_substitute: float = 12.0
    stockpile_months: float = 0.0
    own_cost_share: float = 0.1
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Portfolio:
    """Goods × suppliers of one state, with what holding out is worth to each side."""

    target: str
    goods: tuple[Good, ...]
    bearable_usd_bn: float
    coercer_bearable_usd_bn: float
    horizon_months: float = 36.0
    leverage: tuple[dict[str, Any], ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    path: str = ""


_GOOD_FIELDS = {
    "dependency_share": (0.0, 1.0),
    "monthly_flow_usd_bn": (0.0, math.inf),
    "essentiality": (1.0, math.inf),
    "replaceable_share": (0.0, 1.0),
    "months_to_substitute": (1e-12, math.inf),
    "stockpile_months": (0.0, math.inf),
    "own_cost_share": (0.0, 1.0),
}


def _sourced(
    path: str, where: str, raw: Any, sources: Mapping[str, str], lo: float, hi: float
) -> float:
    if not isinstance(raw, dict) or "value" not in raw or "source" not in raw:
        raise PolicyError(
            f"{path}: {where}: must be a table {{ value = <number>, source = <key> }}"
        )
    value, src = raw["value"], raw["source"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PolicyError(f"{path}: {where}: value must be a finite number; got {value!r}")
    if not lo <= value <= hi:
        raise PolicyError(f"{path}: {where}: must lie in [{lo:g}, {hi:g}]; got {value!r}")
    if src not in sources:
        raise PolicyError(f"{path}: {where}: source {src!r} is not a key of [sources]")
    return float(value)


def load_portfolio(path: str | Path | None = None) -> Portfolio:
    """Load a portfolio file (default: the bundled ``japan.toml``).

    Examples
    --------
    >>> p = load_portfolio()
    >>> p.target, [g.name for g in p.goods][:3]
    ('Japan', ['rare earths', 'gallium', 'graphite'])
    """
    if path is None:
        path = Path(str(files("coercion") / "data" / "portfolios" / "japan.toml"))
    elif "/" not in str(path) and not str(path).endswith(".toml"):
        bundled = Path(str(files("coercion") / "data" / "portfolios" / f"{path}.toml"))
        path = bundled if bundled.exists() else Path(path)
    p = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{p}: no such portfolio file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{p}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{p}: not valid TOML: {exc}") from None
    sources = data.get("sources")
    if not isinstance(sources, dict):
        raise PolicyError(f"{p}: missing table [sources]")
    goods_raw = data.get("goods")
    if not isinstance(goods_raw, list) or not goods_raw:
        raise PolicyError(f"{p}: missing [[goods]] entries")
    goods = []
    for k, g in enumerate(goods_raw):
        if not isinstance(g, dict) or not isinstance(g.get("name"), str):
            raise PolicyError(f"{p}: goods[{k}]: needs a name")
        extra = set(g) - set(_GOOD_FIELDS) - {"name", "supplier"}
        if extra:
            raise PolicyError(f"{p}: goods[{k}]: unknown key(s) {sorted(extra)}")
        vals: dict[str, float] = {}
        srcs: list[str] = []
        for name, (lo, hi) in _GOOD_FIELDS.items():
            if name in g:
                vals[name] = _sourced(p, f"goods[{k}].{name}", g[name], sources, lo, hi)
                srcs.append(g[name]["source"])
            elif name in ("dependency_share", "monthly_flow_usd_bn", "months_to_substitute"):
                raise PolicyError(f"{p}: goods[{k}].{name}: missing key")
        goods.append(
            Good(name=g["name"], supplier=str(g.get("supplier", "")), sources=tuple(srcs), **vals)
        )
    top = {}
    for name in ("bearable_usd_bn", "coercer_bearable_usd_bn", "horizon_months"):
        if name not in data:
            raise PolicyError(f"{p}: {name}: missing key")
        top[name] = _sourced(p, name, data[name], sources, 0.0, math.inf)
    return Portfolio(
        target=str(data.get("target", "")),
        goods=tuple(goods),
        leverage=tuple(data.get("leverage", ())),
        sources=dict(sources),
        path=p,
        **top,
    )


def exposure(
    portfolio: Portfolio,
    dependency_share: Any,
    stockpile_months: Any,
    index: Any = None,
) -> npt.NDArray[np.float64]:
    """Exposure of goods to a cut-off by their supplier: ``max(0, 1 − H_T / H_req)``.

    ``H_T`` is the target's staying power against a cut-off of the good
    (:func:`coercion.model.formulas.staying_power` with the portfolio's bearable cost and no
    own cost), ``H_req = min(H_C, horizon)`` the months it must hold out: the coercer's
    staying power ``H_C = B_C / c_C`` with ``c_C = own_cost_share · d · flow``, capped by the
    political horizon.  0 means the target outlasts the coercer (the instrument cannot force
    concession), 1 that it cannot hold out at all.  *index* selects goods (default: all);
    arrays broadcast.
    """
    goods = portfolio.goods
    idx = np.arange(len(goods)) if index is None else np.asarray(index)
    col = {
        k: np.array([getattr(goods[i], k) for i in idx.ravel()]).reshape(idx.shape)
        for k in (
            "monthly_flow_usd_bn",
            "essentiality",
            "replaceable_share",
            "months_to_substitute",
            "own_cost_share",
        )
    }
    d = np.asarray(dependency_share, dtype=float)
    s = np.asarray(stockpile_months, dtype=float)
    flow = col["monthly_flow_usd_bn"]
    L = d * flow * col["essentiality"]
    a = 1 - col["replaceable_share"]
    with np.errstate(divide="ignore", invalid="ignore"):
        h_t = staying_power(
            NUMPY, portfolio.bearable_usd_bn, 0.0, L, a, col["months_to_substitute"], s
        )
        c_c = col["own_cost_share"] * d * flow
        h_c = np.where(
            c_c > 0, portfolio.coercer_bearable_usd_bn / np.where(c_c > 0, c_c, 1), np.inf
        )
        h_req = np.minimum(h_c, portfolio.horizon_months)
        ratio = np.where(np.isinf(h_t), 1.0, np.asarray(h_t, dtype=float) / h_req)
    return np.asarray(np.clip(1.0 - ratio, 0.0, 1.0), dtype=float)


def default_fences(
    stockpile_steps: Sequence[float] = (0, 1, 3, 6, 12),
    diversification_steps: Sequence[float] = (0, 0.1, 0.2, 0.3),
) -> list[tuple[float, float]]:
    """Fence heights: (months of stockpile added, share of dependency moved away).

    >>> default_fences((0, 3), (0, 0.1))
    [(0, 0), (0, 0.1), (3, 0), (3, 0.1)]
    """
    return [(s, d) for s in stockpile_steps for d in diversification_steps]


@dataclass(frozen=True)
class YardResult:
    """A small-yard, high-fence plan: which goods to protect and how high."""

    fences: tuple[tuple[float, float], ...]
    choice: tuple[int, ...]
    cost: float
    exposures: tuple[float, ...]
    worst_exposure: float
    budget: float | None
    goods: tuple[str, ...]
    status: str
    verified: bool
    seconds: float

    @property
    def yard(self) -> list[str]:
        """Goods given a fence above zero."""
        return [g for g, k in zip(self.goods, self.choice, strict=True) if self.fences[k] != (0, 0)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "yard": self.yard,
            "cost": self.cost,
            "worst_exposure": self.worst_exposure,
            "budget": self.budget,
            "status": self.status,
            "verified": self.verified,
            "seconds": self.seconds,
            "goods": [
                {
                    "good": g,
                    "stockpile_months_added": self.fences[k][0],
                    "dependency_share_moved": self.fences[k][1],
                    "residual_exposure": e,
                }
                for g, k, e in zip(self.goods, self.choice, self.exposures, strict=True)
            ],
        }

    def report(self) -> str:
        """A readable account."""
        lines = [
            f"small yard, high fence ({self.status}; budget "
            f"{'none' if self.budget is None else f'US$ {self.budget:g} bn'})",
            f"  yard: {', '.join(self.yard) or '(nothing to protect)'}",
            f"  cost: US$ {self.cost:.4g} bn; worst residual exposure {self.worst_exposure:.3g}",
        ]
        for g, k, e in zip(self.goods, self.choice, self.exposures, strict=True):
            s, d = self.fences[k]
            lines.append(f"    {g:<28} stockpile +{s:g} mo, diversify {d:g}: exposure {e:.3g}")
        return "\n".join(lines)


def _fence_tables(
    portfolio: Portfolio, fences: Sequence[tuple[float, float]]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(cost, exposure) of every good at every fence height, shape (goods, fences)."""
    n = len(portfolio.goods)
    s_add = np.array([f[0] for f in fences], dtype=float)
    d_move = np.array([f[1] for f in fences], dtype=float)
    d0 = np.array([g.dependency_share for g in portfolio.goods])[:, None]
    s0 = np.array([g.stockpile_months for g in portfolio.goods])[:, None]
    flow = np.array([g.monthly_flow_usd_bn for g in portfolio.goods])[:, None]
    d = np.maximum(0.0, d0 - d_move[None, :])
    s = s0 + s_add[None, :]
    cost = diversification_cost(flow, d0, d) + stockpile_cost(flow, d, s0, s)
    exp = exposure(portfolio, d, s, np.arange(n)[:, None] + 0 * d_move[None, :].astype(int))
    return np.asarray(cost, dtype=float), exp


def small_yard(
    portfolio: Portfolio | str | Path | None = None,
    budget: float | None = None,
    *,
    fences: Sequence[tuple[float, float]] | None = None,
    time_limit: float = 60.0,
) -> YardResult:
    """Protect a portfolio at least cost (or, under *budget*, minimise the worst exposure).

    A mixed-integer program over binaries ``x[i, k]`` (good ``i`` gets fence ``k``), one
    fence per good.  Without a budget: minimise ``Σ cost[i,k]·x[i,k]`` subject to every good's
    exposure being at most the lowest any fence achieves (0, safe, where a fence suffices).
    With a budget: minimise the worst exposure ``t`` (``Σ_k exposure[i,k]·x[i,k] ≤ t``,
    ``Σ cost·x ≤ budget``), then the cost at that worst exposure.

    Examples
    --------
    >>> r = small_yard()
    >>> r.yard, r.worst_exposure, r.verified
    (['rare earths', 'graphite'], 0.0, True)
    """
    import time

    from scipy.optimize import Bounds, LinearConstraint, milp

    if portfolio is None or isinstance(portfolio, str | Path):
        portfolio = load_portfolio(portfolio)
    if budget is not None and (not math.isfinite(budget) or budget < 0):
        raise PolicyError(f"budget must be a non-negative number (US$ bn); got {budget!r}")
    fence_list = list(fences) if fences is not None else default_fences()
    if not fence_list or (0, 0) not in [tuple(f) for f in fence_list]:
        raise PolicyError("fences must include the zero fence (0, 0)")
    t0 = time.perf_counter()
    cost, exp = _fence_tables(portfolio, fence_list)
    n, k = cost.shape
    nv = n * k
    one = np.zeros((n, nv))
    for i in range(n):
        one[i, i * k : (i + 1) * k] = 1
    rows_exp = np.zeros((n, nv))
    for i in range(n):
        rows_exp[i, i * k : (i + 1) * k] = exp[i]
    opts = {"time_limit": time_limit, "mip_rel_gap": 0.0}
    if budget is None:
        target = exp.min(axis=1)
        res = milp(
            cost.ravel(),
            constraints=[
                LinearConstraint(one, 1, 1),
                LinearConstraint(rows_exp, -np.inf, target + 1e-12),
            ],
            integrality=np.ones(nv),
            bounds=Bounds(0, 1),
            options=opts,
        )
        if res.x is None:
            raise PolicyError(f"small-yard: the solver failed: {res.message}")
        x = res.x
    else:
        c = np.zeros(nv + 1)
        c[-1] = 1.0
        A_one = np.hstack([one, np.zeros((n, 1))])
        A_exp = np.hstack([rows_exp, -np.ones((n, 1))])
        A_bud = np.concatenate([cost.ravel(), [0.0]])[None, :]
        cons = [
            LinearConstraint(A_one, 1, 1),
            LinearConstraint(A_exp, -np.inf, 0),
            LinearConstraint(A_bud, -np.inf, budget),
        ]
        integ = np.concatenate([np.ones(nv), [0]])
        res = milp(
            c,
            constraints=cons,
            integrality=integ,
            bounds=Bounds(0, np.r_[np.ones(nv), 1]),
            options=opts,
        )
        if res.x is None:
            raise PolicyError(f"small-yard: the solver failed: {res.message}")
        t_star = float(res.x[-1])
        res2 = milp(
            np.concatenate([cost.ravel(), [0.0]]),
            constraints=[
                *cons,
                LinearConstraint(np.r_[np.zeros(nv), 1][None, :], -np.inf, t_star + 1e-9),
            ],
            integrality=integ,
            bounds=Bounds(0, np.r_[np.ones(nv), 1]),
            options=opts,
        )
        x = (res2.x if res2.x is not None else res.x)[:nv]
    choice = tuple(int(np.argmax(x[i * k : (i + 1) * k])) for i in range(n))
    seconds = time.perf_counter() - t0
    # verification: recompute the chosen goods' exposures from the primitives
    d_new = [
        max(0.0, g.dependency_share - fence_list[c][1])
        for g, c in zip(portfolio.goods, choice, strict=True)
    ]
    s_new = [
        g.stockpile_months + fence_list[c][0] for g, c in zip(portfolio.goods, choice, strict=True)
    ]
    e_chk = exposure(portfolio, np.array(d_new), np.array(s_new))
    e_tab = np.array([exp[i, c] for i, c in enumerate(choice)])
    total = float(sum(cost[i, c] for i, c in enumerate(choice)))
    ok = bool(np.allclose(e_chk, e_tab, atol=1e-9))
    if budget is None:
        ok = ok and bool(np.all(e_tab <= exp.min(axis=1) + 1e-9))
    else:
        ok = ok and total <= budget + 1e-9
    return YardResult(
        fences=tuple((float(a), float(b)) for a, b in fence_list),
        choice=choice,
        cost=total,
        exposures=tuple(float(e) for e in e_tab),
        worst_exposure=float(e_tab.max()) if n else 0.0,
        budget=budget,
        goods=tuple(g.name for g in portfolio.goods),
        status="optimal" if res.status == 0 else str(res.message),
        verified=ok,
        seconds=seconds,
    )


# ------------------------------------------------------------------------------------------
# autonomy under uncertainty


def risk_autonomy(
    case: Case | str,
    max_probability: float,
    levers: Sequence[str] | None = None,
    *,
    costs: Mapping[str, CostFn] | None = None,
    calibration: Calibration = DEFAULT_CALIBRATION,
    grid_points: int = 400,
) -> PolicyResult:
    """The cheapest single lever that brings Pr(concession) under *max_probability*.

    The probability is the Bayesian model's (:func:`coercion.model.bayesian.bayesian_outcomes`,
    given that the demand is made).  Each lever is scanned from the case value towards its
    favourable end, the first crossing refined by bisection, and the answer verified by
    re-solving at the recommended value (probability at most the target) and just short
    of it (above it).  Outcomes are reported as ``"Pr(concession)=p"``.

    Examples
    --------
    >>> r = risk_autonomy("china-japan-2025", 0.5, ["instrument.stockpile_months"])
    >>> r.outcome_before, r.verified
    ('Pr(concession)=1.0000', True)
    >>> round(r.changes["instrument.stockpile_months"], 1)
    13.8
    """
    from coercion.model.bayesian import bayesian_outcomes

    if not (isinstance(max_probability, int | float) and 0 <= max_probability < 1):
        raise PolicyError(f"max_probability must be a number in [0, 1); got {max_probability!r}")
    c = _as_case(case)
    table = _levers(c, AUTONOMY_LEVERS, levers, costs)

    def risk(changes: Mapping[str, float]) -> float:
        moved = c.with_values(dict(changes))
        result = bayesian_outcomes(moved, calibration=calibration)
        return float(result.episode_probabilities["concession"])

    def label(p: float) -> str:
        return f"Pr(concession)={p:.4f}"

    goal = f"Pr(concession) <= {max_probability:g}"
    before = risk({})
    options: list[Option] = []
    if before > max_probability:
        for path, (direction, fn) in table.items():
            current = _num(c, path)
            lo, hi = search_range(c, path, current)
            end = hi if direction > 0 else lo
            values = np.linspace(current, end, grid_points)
            risks = np.array([risk({path: float(v)}) for v in values])
            meets = np.flatnonzero(risks <= max_probability)
            if meets.size == 0:
                continue
            k = int(meets[0])
            a, b = float(values[k - 1]), float(values[k])
            for _ in range(100):
                mid = (a + b) / 2
                if mid in (a, b):
                    break
                if risk({path: mid}) <= max_probability:
                    b = mid
                else:
                    a = mid
            short = float(min(max(b - direction * _margin(c, path, b), lo), hi))
            p_at, p_short = risk({path: b}), risk({path: short})
            cost = float(_cost_of(fn, b, c))
            options.append(
                Option(
                    changes={path: b},
                    cost=cost,
                    outcome_after=label(p_at),
                    short_of={path: short},
                    outcome_short_of=label(p_short),
                    verified=p_at <= max_probability < p_short,
                    method="bayesian scan",
                    lever_costs={path: cost},
                )
            )
    verified = [o for o in options if o.verified]
    best = min(verified, key=lambda o: o.cost) if verified else None
    return PolicyResult(
        case=c.id,
        policy="autonomy under uncertainty",
        goal=goal,
        outcome_before=label(before),
        best=best,
        options=tuple(sorted(options, key=lambda o: o.cost)),
        frontier=(),
    )
