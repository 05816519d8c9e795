"""Thresholds: where a parameter's change flips the predicted outcome.

For each numeric parameter of a case the predicted episode outcome is
evaluated on a grid across the parameter's valid range (all parameters in
one vectorised batch); every change of outcome between neighbouring grid
points is then located by bisection on the same vectorised evaluation (all
brackets at once) down to floating-point resolution.  Finally the flip is
solved symbolically: the model is rebuilt with the parameter as a sympy
symbol, the formulas are reduced to the branch active at the flip (``Max``,
``Min`` and ``Piecewise`` resolved there), and the switching condition (a
mover's indifference, or the truce share reaching 0 or 1, or the bargaining
set closing) is solved exactly.  Where that gives a root inside the bracket
the threshold is reported with its closed form (``method="symbolic"``);
otherwise the bisection value stands (``method="bisection"``).

Search ranges: shares over [0, 1]; unbounded parameters from 0 (or a
thousandth of the case value for open intervals) to 100 times the case
value.  Flips within 1e-9 of the range's width from its lower end (a flow
or share of zero) are degenerate and not reported.  Two flips closer
together than the grid spacing (about 1/400 of the range, denser near the
case value) can be missed.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coercion.analysis.evaluate import evaluate
from coercion.cases._schema import ECONOMY_FIELDS, INSTRUMENT_FIELDS
from coercion.cases.loader import Case
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.formulas import BARGAIN_TOL
from coercion.model.game import OUTCOMES
from coercion.model.primitives import POSITIVE_STAKE_SUMS

__all__ = [
    "SearchDomain",
    "Threshold",
    "search_domain",
    "search_limits",
    "search_range",
    "thresholds",
]

GRID_POINTS = 401


@dataclass(frozen=True)
class Threshold:
    """A value of one parameter at which the predicted outcome flips.

    ``below`` is the outcome just below ``value``, ``above`` at and above it
    (other parameters at the case's values); ``value`` is where the model,
    evaluated in floating point, flips.  When the flip was solved
    symbolically, ``exact_value`` is the exact root of the switching
    equation and ``expression`` its closed form (they agree with ``value``
    up to floating-point error in evaluating the model).
    """

    parameter: str
    value: float
    below: str
    above: str
    current: float
    method: str
    expression: str | None = None
    exact_value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "parameter": self.parameter,
            "value": self.value,
            "below": self.below,
            "above": self.above,
            "current": self.current,
            "method": self.method,
            "expression": self.expression,
            "exact_value": self.exact_value,
        }


@dataclass(frozen=True)
class SearchDomain:
    """The interval searched for flips of one parameter, and why it ends where it does.

    ``low`` and ``high`` are the searched end points (``low`` already moved inside an
    open lower bound); ``low_open`` says the valid domain excludes its lower end;
    ``limit`` names the joint constraint that moved the lower end inward (such as
    ``V_C + A_C > 0`` while ``A_C`` is 0), None when only the parameter's own domain
    bounds the search.
    """

    path: str
    low: float
    high: float
    low_open: bool
    limit: str | None = None

    def note(self) -> str | None:
        """One line saying where a joint constraint stops the search (None if none does)."""
        if self.limit is None:
            return None
        return f"{self.path} searched from {self.low:.4g} up only: {self.limit}"


def search_domain(
    case: Case, path: str, current: float, *, calibration: Calibration = DEFAULT_CALIBRATION
) -> SearchDomain:
    """The interval of valid values searched for flips of parameter *path*.

    The interval stays inside the parameter's own domain and inside the region where
    the quantities derived from it remain valid with the other parameters at the case's
    values: a stake whose partner in :data:`~coercion.model.primitives.POSITIVE_STAKE_SUMS`
    is 0 (an optional stake left at its default ``none``) is searched over an open
    interval above 0, since the sum must stay > 0.
    """
    name = path.split(".", 1)[1]
    limit = None
    if path.startswith(("instrument.", "counter.")):
        spec = INSTRUMENT_FIELDS[name]
        low, high, low_open = spec.low, spec.high, spec.low_open
    elif path.endswith("_economy.gdp_usd_bn"):
        spec = ECONOMY_FIELDS[name]
        low, high, low_open = spec.low, spec.high, spec.low_open
    else:  # stakes, US$ bn
        low, high, low_open = 0.0, math.inf, False
        for a, b, label in POSITIVE_STAKE_SUMS:
            if name not in (a, b):
                continue
            partner = b if name == a else a
            other = float(case.numeric_value(f"stakes.{partner}", calibration))
            # this + other > 0: this > -other, binding (above the own bound 0) if other <= 0
            if -other >= low:
                low, low_open = -other, True
                limit = f"{label} must stay > 0 while stakes.{partner} = {other:.4g}"
    scale = abs(current) if current else 1.0
    if math.isinf(high):
        # ... but finite: a quarter of the float range keeps the grid's spans finite
        high = min(max(100 * scale, low + 1.0), max(_FLOAT_CAP, current))
    if low_open:
        low = low + min(1e-3 * scale, (high - low) * 1e-6)
    return SearchDomain(path, float(low), float(high), low_open, limit)


#: the largest value searched for an unbounded parameter (spans of the grid stay finite)
_FLOAT_CAP = sys.float_info.max / 4


def search_range(
    case: Case, path: str, current: float, *, calibration: Calibration = DEFAULT_CALIBRATION
) -> tuple[float, float]:
    """The interval of valid values searched for flips of parameter *path*.

    See :func:`search_domain` (this is its ``(low, high)``).
    """
    d = search_domain(case, path, current, calibration=calibration)
    return d.low, d.high


def search_limits(
    case: Case,
    parameters: Sequence[str] | None = None,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> list[str]:
    """One line per parameter whose flip search a joint constraint stops early.

    Examples
    --------
    >>> from coercion.cases import load
    >>> case = load("japan-china-2010").with_values({"stakes.coercer_audience": "none"})
    >>> for line in search_limits(case, ["stakes.coercer_issue"]):
    ...     print(line)
    stakes.coercer_issue searched from 3.044e-05 up only: V_C + A_C must stay > 0 while \
stakes.coercer_audience = 0
    """
    paths = list(parameters) if parameters is not None else sorted(case.values)
    out = []
    for p in paths:
        current = float(case.numeric_value(p, calibration))
        note = search_domain(case, p, current, calibration=calibration).note()
        if note is not None:
            out.append(note)
    return out


def _grid(low: float, high: float, current: float, n: int) -> np.ndarray:
    lin = np.linspace(low, high, n // 2)
    # denser near the case value: geometric steps on both sides
    span = high - low
    with np.errstate(over="ignore", invalid="ignore"):  # near the float range: dropped below
        near = current + np.concatenate(
            [-np.geomspace(span * 1e-6, span, n // 4), np.geomspace(span * 1e-6, span, n // 4)]
        )
    pts = np.concatenate([lin, near[(near >= low) & (near <= high)], [current]])
    return np.unique(np.clip(pts, low, high))


def thresholds(
    case: Case,
    parameters: Sequence[str] | None = None,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    grid_points: int = GRID_POINTS,
    symbolic: bool = False,
) -> list[Threshold]:
    """Every flip of the predicted episode outcome along each parameter.

    Parameters
    ----------
    case : Case
    parameters : sequence of str, optional
        Paths to examine (default: every parameter of the case).
    calibration : Calibration
    grid_points : int
        Grid size per parameter before refinement.
    symbolic : bool
        Also solve each flip exactly with sympy (slower: about 0.2 s a flip).

    Returns
    -------
    list of Threshold
        Sorted by parameter, then by distance from the case value.

    Examples
    --------
    >>> from coercion.cases import load
    >>> ts = thresholds(load("japan-china-2010"), ["instrument.stockpile_months"])
    >>> for t in ts:
    ...     print(round(t.value, 2), t.below, t.above)
    20.63 concession partial_concession
    20.69 partial_concession coercer_backs_down
    """
    paths = list(parameters) if parameters is not None else sorted(case.values)
    base = {p: float(case.numeric_value(p, calibration)) for p in paths}
    # ---- scan: one batch with every parameter's grid
    cells: list[tuple[str, float]] = []
    for p in paths:
        lo, hi = search_range(case, p, base[p], calibration=calibration)
        cells.extend((p, float(v)) for v in _grid(lo, hi, base[p], grid_points))
    if not cells:
        return []
    outcome = _batch_outcomes(case, cells, base, calibration)
    brackets: list[tuple[str, float, float, int, int]] = []
    for k in range(len(cells) - 1):
        (p0, v0), (p1, v1) = cells[k], cells[k + 1]
        if p0 == p1 and outcome[k] != outcome[k + 1]:
            brackets.append((p0, v0, v1, int(outcome[k]), int(outcome[k + 1])))
    if not brackets:
        return []
    # ---- refine all brackets at once by bisection on the outcome
    lo_arr = np.array([b[1] for b in brackets])
    hi_arr = np.array([b[2] for b in brackets])
    lo_code = np.array([b[3] for b in brackets])
    for _ in range(200):
        width = hi_arr - lo_arr
        if np.all(width <= 4 * np.spacing(np.maximum(np.abs(lo_arr), np.abs(hi_arr)))):
            break
        mid = lo_arr + width / 2
        mid_out = _batch_outcomes(
            case, [(b[0], float(m)) for b, m in zip(brackets, mid, strict=True)], base, calibration
        )
        same = mid_out == lo_code
        lo_arr = np.where(same, mid, lo_arr)
        hi_arr = np.where(same, hi_arr, mid)
    # the outcome just above the flip (the upper neighbour may hide several flips)
    above = _batch_outcomes(
        case, [(b[0], float(h)) for b, h in zip(brackets, hi_arr, strict=True)], base, calibration
    )
    found = []
    for b, lo_v, hi_v, above_code in zip(brackets, lo_arr, hi_arr, above, strict=True):
        value = float(hi_v)
        low, high = search_range(case, b[0], base[b[0]], calibration=calibration)
        if value - low <= 1e-9 * (high - low):
            continue  # a flip at the very end of the range (e.g. a flow of zero) is degenerate
        method, expression, exact_value = "bisection", None, None
        if symbolic:
            exact = _symbolic_flip(case, b[0], lo_v, hi_v, base, calibration)
            if exact is not None:
                exact_value, expression = exact
                method = "symbolic"
        found.append(
            Threshold(
                parameter=b[0],
                value=value,
                below=OUTCOMES[b[3]],
                above=OUTCOMES[above_code],
                current=base[b[0]],
                method=method,
                expression=expression,
                exact_value=exact_value,
            )
        )
    found.sort(key=lambda t: (t.parameter, abs(t.value - t.current)))
    return found


def _batch_outcomes(
    case: Case,
    cells: Sequence[tuple[str, float]],
    base: dict[str, float],
    calibration: Calibration,
) -> np.ndarray:
    """Episode outcome codes where each cell moves one parameter from the case value."""
    n = len(cells)
    touched = sorted({p for p, _ in cells})
    values: dict[str, Any] = {}
    for p in touched:
        arr = np.full(n, base[p])
        for k, (q, v) in enumerate(cells):
            if q == p:
                arr[k] = v
        values[p] = arr
    return evaluate(case, values, calibration=calibration).outcome


def _symbolic_flip(
    case: Case,
    path: str,
    lo: float,
    hi: float,
    base: dict[str, float],
    calibration: Calibration,
    *,
    max_ops: int = 400,
    time_budget: float = 3.0,
) -> tuple[float, str] | None:
    """Solve the flip of *path* inside ``[lo, hi]`` exactly, if a closed form exists.

    Switching equations larger than *max_ops* operations are not attempted, and no new
    equation is started after *time_budget* seconds: the flip is then reported as having
    no closed form (the bisection value stands).

    The model is rebuilt with the parameter as a symbol and every branch
    resolved on each side of the flip (:class:`~coercion._backend.LocalSympyOps`);
    the switching conditions (a mover's indifference where its choice
    changes, the truce share reaching 1 or 0, the bargaining set closing)
    are then smooth equations, solved with ``sympy.solve``.
    """
    import sympy

    from coercion._backend import LocalSympyOps
    from coercion.model.game import coercion_game, derive, episode_root

    deadline = time.monotonic() + time_budget
    sym = sympy.Symbol(path.replace(".", "__"), real=True)
    try:
        scenario = case.with_values({path: sym}).scenario(calibration)
    except InvalidParameterError:
        return None
    batch = evaluate(case, {path: np.array([lo, hi])}, calibration=calibration)
    nodes = batch.tree.subtree_nodes(batch.start)
    plans = batch.grid.choices[nodes.start : nodes.stop]  # the episode's nodes, renumbered
    mid = (lo + hi) / 2
    # a root must agree with the bisection bracket up to floating-point error in
    # evaluating the model (cancellation in the bargaining-set bounds): 1e-7 relative
    tol = max(abs(hi - lo) * 4, 1e-7 * max(abs(lo), abs(hi)))
    best: tuple[float, str] | None = None
    for side, end in enumerate((lo, hi)):
        ops = LocalSympyOps({sym: end})
        tree = coercion_game(scenario, calibration, ops=ops)
        sub = tree.subtree(episode_root(tree))
        values = _subtree_values(sub, plans[:, side])
        candidates: list[Any] = []
        for k in range(len(sub.nodes)):
            a_lo, a_hi = int(plans[k, 0]), int(plans[k, 1])
            if a_lo != a_hi and a_lo >= 0:
                i = sub.players.index(sub.nodes[k].player)  # type: ignore[union-attr]
                c_lo, c_hi = sub.children[k][a_lo], sub.children[k][a_hi]
                candidates.append(values[c_lo][i] - values[c_hi][i])
        derived = derive(scenario, calibration, ops)
        for r in ("0", "1"):
            if f"x_{r}" in derived:
                # the exact switching conditions of formulas.nash_bargaining_share
                candidates.extend(
                    [
                        derived[f"x_{r}"] - (1 - BARGAIN_TOL),
                        derived[f"x_{r}"] - BARGAIN_TOL,
                        derived[f"bargain_lo_{r}"] - derived[f"bargain_hi_{r}"] - BARGAIN_TOL,
                    ]
                )
        for cand in candidates:
            if not isinstance(cand, sympy.Basic) or cand.free_symbols != {sym}:
                continue
            if time.monotonic() > deadline or sympy.count_ops(cand) > max_ops:
                continue
            try:
                roots = sympy.solve(cand, sym, check=False, simplify=False)
            except (NotImplementedError, ValueError, TypeError):
                continue
            for root in roots:
                try:
                    val = complex(sympy.N(root, 30))
                except (TypeError, ValueError):
                    continue
                if abs(val.imag) > 1e-12 or not math.isfinite(val.real):
                    continue
                if lo - tol <= val.real <= hi + tol and (
                    best is None or abs(val.real - mid) < abs(best[0] - mid)
                ):
                    best = (float(val.real), str(root))
    return best


def _subtree_values(tree: Any, plan: Any) -> list[list[Any]]:
    """Symbolic payoff vectors of every node when movers follow *plan* (action per node)."""
    import sympy

    from coercion.games.extensive_form import Chance, Terminal

    values: list[list[Any]] = [[] for _ in tree.nodes]
    for k in reversed(range(len(tree.nodes))):
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            values[k] = [
                v if isinstance(v, sympy.Basic) else sympy.Float(float(v)) for v in node.payoffs
            ]
        elif isinstance(node, Chance):
            probs = [p for p, _ in node.moves.values()]
            values[k] = [
                sum(
                    (p * values[c][i] for p, c in zip(probs, tree.children[k], strict=True)),
                    sympy.Integer(0),
                )
                for i in range(tree.n_players)
            ]
        else:
            values[k] = values[tree.children[k][int(plan[k])]]
    return values
