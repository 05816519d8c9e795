"""Equilibrium claims as objects: checked, refuted with real counterexamples, or proved.

A claim states something about a case's predicted episode outcome (or
equilibrium payoffs) as parameters move: that an outcome becomes no less (or
no more) likely as one parameter rises (:class:`Monotone`), that the
equilibrium payoff of a player does (:class:`MonotonePayoff`), that an
outcome holds everywhere in a box of parameter values (:class:`InRegion`),
that the outcome flips at a given value (:class:`ThresholdAt`), or that two
cases predict the same outcome (:class:`SameOutcome`).

:func:`check` returns a :class:`ClaimResult`:

* ``holds=False``: refuted.  The counterexample lists parameter points
  (``{path: value}``, the other parameters at the case's values); every one of
  them has been re-solved with :func:`coercion.analysis.analyze`, exactly as
  ``coercion analyze CASE --set PATH=VALUE`` does, before being reported.
* ``holds=True, proved=True``: established from exact (symbolic) roots over
  the whole valid domain of the parameter; see ``docs/claims.md`` for what
  that covers.
* ``holds=True, proved=False``: no counterexample was found; ``evidence``
  says what was tried.

Claims can also be written in a small grammar (:func:`parse_claim`), parsed by
splitting on whitespace and converting numbers with :func:`float`; no user
text is ever evaluated.

Examples
--------
>>> from coercion.analysis.claims import check, parse_claim
>>> claim = parse_claim("monotone instrument.stockpile_months concession decreasing")
>>> r = check(claim, "japan-china-2010")
>>> r.holds, r.proved
(True, False)
>>> r = check(parse_claim("monotone instrument.stockpile_months concession increasing"),
...            "japan-china-2010")
>>> r.holds, len(r.counterexample)
(False, 2)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from coercion.analysis.analyze import analyze
from coercion.analysis.evaluate import evaluate
from coercion.analysis.thresholds import search_range
from coercion.cases._schema import ECONOMY_FIELDS, INSTRUMENT_FIELDS
from coercion.cases.loader import Case, load
from coercion.errors import InvalidParameterError
from coercion.model.game import OUTCOMES, PLAYERS

__all__ = [
    "Claim",
    "ClaimResult",
    "ClaimSyntaxError",
    "InRegion",
    "Monotone",
    "MonotonePayoff",
    "SameOutcome",
    "ThresholdAt",
    "check",
    "parse_claim",
]

Direction = Literal["increasing", "decreasing"]
Method = Literal["auto", "grid", "hypothesis", "symbolic"]

DEFAULT_BUDGET = 2000
_DIRECTIONS = ("increasing", "decreasing")
_METHODS = ("auto", "grid", "hypothesis", "symbolic")
_PATH = re.compile(r"^[a-z_]+\.[a-z_]+$")
_SUBGRID = 33  # points inside every bracket where the outcome changes


class ClaimSyntaxError(InvalidParameterError):
    """A claim (object or text) is malformed; the message names the token and what was expected."""


# ------------------------------------------------------------------ validation
def _check_path(owner: str, path: Any) -> str:
    if not isinstance(path, str) or not _PATH.match(path):
        raise ClaimSyntaxError(
            f"{owner}: a parameter path is 'section.name' (e.g. instrument.stockpile_months); "
            f"got {path!r}"
        )
    return path


def _check_outcome(owner: str, outcome: Any) -> str:
    if outcome not in OUTCOMES:
        raise ClaimSyntaxError(f"{owner}: outcome must be one of {list(OUTCOMES)}; got {outcome!r}")
    return str(outcome)


def _check_direction(owner: str, direction: Any) -> Direction:
    if direction == "increasing":
        return "increasing"
    if direction == "decreasing":
        return "decreasing"
    raise ClaimSyntaxError(
        f"{owner}: direction must be 'increasing' or 'decreasing'; got {direction!r}"
    )


def _check_number(owner: str, what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ClaimSyntaxError(f"{owner}: {what} must be a number; got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ClaimSyntaxError(f"{owner}: {what} must be finite; got {value!r}")
    return x


# ------------------------------------------------------------------ claims
@dataclass(frozen=True)
class Monotone:
    """The indicator "the episode outcome is *outcome*" is monotone in parameter *path*.

    ``direction="increasing"``: the indicator never falls as *path* rises
    (the outcome, once reached, is kept); ``"decreasing"``: it never rises.
    The other parameters stay at the case's values.

    Examples
    --------
    >>> Monotone("instrument.stockpile_months", "concession", "decreasing")
    Monotone(path='instrument.stockpile_months', outcome='concession', direction='decreasing')
    >>> Monotone("stockpile", "concession", "decreasing")
    Traceback (most recent call last):
    ...
    coercion.analysis.claims.ClaimSyntaxError: Monotone: a parameter path is 'section.name' \
(e.g. instrument.stockpile_months); got 'stockpile'
    """

    path: str
    outcome: str
    direction: Direction = "increasing"

    def __post_init__(self) -> None:
        _check_path("Monotone", self.path)
        _check_outcome("Monotone", self.outcome)
        _check_direction("Monotone", self.direction)

    def describe(self) -> str:
        """The claim in words."""
        never = "falls" if self.direction == "increasing" else "rises"
        return f"the indicator of {self.outcome} never {never} as {self.path} rises"


@dataclass(frozen=True)
class MonotonePayoff:
    """A player's equilibrium payoff in the episode is monotone in parameter *path*.

    Examples
    --------
    >>> MonotonePayoff("stakes.target_issue", "coercer", "decreasing").player
    'coercer'
    """

    path: str
    player: str
    direction: Direction = "increasing"

    def __post_init__(self) -> None:
        _check_path("MonotonePayoff", self.path)
        if self.player not in PLAYERS:
            raise ClaimSyntaxError(
                f"MonotonePayoff: player must be one of {list(PLAYERS)}; got {self.player!r}"
            )
        _check_direction("MonotonePayoff", self.direction)

    def describe(self) -> str:
        """The claim in words."""
        never = "falls" if self.direction == "increasing" else "rises"
        return f"the {self.player}'s equilibrium payoff never {never} as {self.path} rises"


@dataclass(frozen=True)
class InRegion:
    """The episode outcome is *outcome* everywhere in the box *region*.

    *region* maps parameter paths to closed intervals ``(lo, hi)``; parameters
    not named stay at the case's values.

    Examples
    --------
    >>> r = InRegion("concession", {"instrument.dependency_share": (0.6, 1.0)})
    >>> dict(r.region)
    {'instrument.dependency_share': (0.6, 1.0)}
    >>> InRegion("concession", {"instrument.dependency_share": (1.0, 0.6)})
    Traceback (most recent call last):
    ...
    coercion.analysis.claims.ClaimSyntaxError: InRegion: instrument.dependency_share: \
lo must not exceed hi; got (1.0, 0.6)
    """

    outcome: str
    region: Mapping[str, tuple[float, float]]

    def __post_init__(self) -> None:
        _check_outcome("InRegion", self.outcome)
        if not isinstance(self.region, Mapping) or not self.region:
            raise ClaimSyntaxError("InRegion: region must be a non-empty {path: (lo, hi)} mapping")
        clean: dict[str, tuple[float, float]] = {}
        for path, bounds in self.region.items():
            _check_path("InRegion", path)
            if not isinstance(bounds, Sequence) or len(bounds) != 2:
                raise ClaimSyntaxError(f"InRegion: {path}: expected (lo, hi); got {bounds!r}")
            lo = _check_number("InRegion", f"{path} lo", bounds[0])
            hi = _check_number("InRegion", f"{path} hi", bounds[1])
            if lo > hi:
                raise ClaimSyntaxError(
                    f"InRegion: {path}: lo must not exceed hi; got ({lo!r}, {hi!r})"
                )
            clean[path] = (lo, hi)
        object.__setattr__(self, "region", MappingProxyType(clean))

    def __hash__(self) -> int:
        return hash((self.outcome, tuple(sorted(self.region.items()))))

    def describe(self) -> str:
        """The claim in words."""
        box = ", ".join(f"{p} in [{lo:g}, {hi:g}]" for p, (lo, hi) in self.region.items())
        return f"the outcome is {self.outcome} wherever {box}"


@dataclass(frozen=True)
class ThresholdAt:
    """The outcome flips from *below* to *above* as *path* rises through *value*.

    ``tol`` is the absolute tolerance on the location of the flip (default:
    ``1e-3 * |value|``, at least ``1e-9``).

    Examples
    --------
    >>> ThresholdAt("instrument.stockpile_months", 20.63, "concession",
    ...             "partial_concession").tolerance
    0.02063
    """

    path: str
    value: float
    below: str
    above: str
    tol: float | None = None

    def __post_init__(self) -> None:
        _check_path("ThresholdAt", self.path)
        object.__setattr__(self, "value", _check_number("ThresholdAt", "value", self.value))
        _check_outcome("ThresholdAt", self.below)
        _check_outcome("ThresholdAt", self.above)
        if self.below == self.above:
            raise ClaimSyntaxError(
                f"ThresholdAt: below and above must differ; got {self.below!r} twice"
            )
        if self.tol is not None:
            tol = _check_number("ThresholdAt", "tol", self.tol)
            if tol <= 0:
                raise ClaimSyntaxError(f"ThresholdAt: tol must be positive; got {self.tol!r}")
            object.__setattr__(self, "tol", tol)

    @property
    def tolerance(self) -> float:
        """The absolute tolerance in use."""
        return self.tol if self.tol is not None else max(1e-3 * abs(self.value), 1e-9)

    def describe(self) -> str:
        """The claim in words."""
        return (
            f"the outcome flips from {self.below} to {self.above} as {self.path} rises "
            f"through {self.value:g} (within {self.tolerance:g})"
        )


@dataclass(frozen=True)
class SameOutcome:
    """Two cases (ids or paths) predict the same episode outcome.

    Examples
    --------
    >>> SameOutcome("japan-china-2010", "us-mexico-2025").case_b
    'us-mexico-2025'
    """

    case_a: str
    case_b: str

    def __post_init__(self) -> None:
        for c in (self.case_a, self.case_b):
            if not isinstance(c, str) or not c.strip():
                raise ClaimSyntaxError(f"SameOutcome: expected a case id or path; got {c!r}")

    def describe(self) -> str:
        """The claim in words."""
        return f"{self.case_a} and {self.case_b} predict the same outcome"


Claim = Monotone | MonotonePayoff | InRegion | ThresholdAt | SameOutcome


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on a claim.

    Attributes
    ----------
    holds : bool
        False only with a verified counterexample (or, for :class:`SameOutcome`
        and :class:`ThresholdAt`, a verified evaluation showing the claim false).
    proved : bool
        The claim was established exactly over the parameter's whole valid domain.
    counterexample : list of dict or None
        Parameter points ``{path: value}`` (others at the case values).  For a
        monotone claim the pair ``[p1, p2]`` with ``p1[path] < p2[path]``
        between which the outcome (or payoff) moves the wrong way.
    evidence : str
        What was tried, and what was seen at the counterexample.
    claim : Claim or None
    """

    holds: bool
    proved: bool
    counterexample: list[dict[str, float]] | None
    evidence: str
    claim: Claim | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the four documented keys)."""
        return {
            "holds": self.holds,
            "proved": self.proved,
            "counterexample": self.counterexample,
            "evidence": self.evidence,
        }


# ------------------------------------------------------------------ grammar
def _float_token(token: str, what: str) -> float:
    try:
        x = float(token)
    except ValueError:
        raise ClaimSyntaxError(f"claim: {what} must be a number; got {token!r}") from None
    if not math.isfinite(x):
        raise ClaimSyntaxError(f"claim: {what} must be finite; got {token!r}")
    return x


_USAGE = {
    "monotone": "monotone PATH OUTCOME increasing|decreasing",
    "payoff": "payoff PATH coercer|target increasing|decreasing",
    "region": "region OUTCOME PATH=LO:HI [PATH=LO:HI ...]",
    "threshold": "threshold PATH VALUE BELOW ABOVE [TOL]",
    "same": "same CASE_A CASE_B",
}


def parse_region_item(item: str) -> tuple[str, tuple[float, float]]:
    """Parse ``PATH=LO:HI`` into ``(path, (lo, hi))``.

    Examples
    --------
    >>> parse_region_item("instrument.stockpile_months=0:3")
    ('instrument.stockpile_months', (0.0, 3.0))
    """
    path, sep, bounds = item.partition("=")
    lo_s, sep2, hi_s = bounds.partition(":")
    if not sep or not sep2 or not path:
        raise ClaimSyntaxError(f"claim: expected PATH=LO:HI; got {item!r}")
    _check_path("claim", path)
    return path, (_float_token(lo_s, f"{path} lo"), _float_token(hi_s, f"{path} hi"))


def parse_claim(text: str) -> Claim:
    """Parse a claim written in the claim grammar (see ``docs/claims.md``).

    The text is split on whitespace; the first token names the kind::

        monotone PATH OUTCOME increasing|decreasing
        payoff PATH coercer|target increasing|decreasing
        region OUTCOME PATH=LO:HI [PATH=LO:HI ...]
        threshold PATH VALUE BELOW ABOVE [TOL]
        same CASE_A CASE_B

    Numbers are converted with :func:`float` (finite values only); nothing is
    evaluated.

    Examples
    --------
    >>> parse_claim("region concession instrument.dependency_share=0.6:1")
    InRegion(outcome='concession', region=mappingproxy({'instrument.dependency_share': (0.6, 1.0)}))
    >>> parse_claim("threshold instrument.stockpile_months 20.63 concession partial_concession")
    ThresholdAt(path='instrument.stockpile_months', value=20.63, below='concession', \
above='partial_concession', tol=None)
    >>> parse_claim("monotone instrument.stockpile_months concession upward")
    Traceback (most recent call last):
    ...
    coercion.analysis.claims.ClaimSyntaxError: Monotone: direction must be 'increasing' or \
'decreasing'; got 'upward'
    """
    if not isinstance(text, str):
        raise ClaimSyntaxError(f"claim: expected text; got {type(text).__name__}")
    tokens = text.split()
    if not tokens:
        raise ClaimSyntaxError("claim: empty; expected one of " + "; ".join(_USAGE.values()))
    kind, args = tokens[0].lower(), tokens[1:]
    if kind not in _USAGE:
        raise ClaimSyntaxError(
            f"claim: unknown kind {tokens[0]!r}; expected one of {sorted(_USAGE)}"
        )

    def arity(ok: bool) -> None:
        if not ok:
            raise ClaimSyntaxError(f"claim: expected '{_USAGE[kind]}'; got {text.strip()!r}")

    if kind == "monotone":
        arity(len(args) == 3)
        return Monotone(args[0], args[1], args[2])  # type: ignore[arg-type]
    if kind == "payoff":
        arity(len(args) == 3)
        return MonotonePayoff(args[0], args[1], args[2])  # type: ignore[arg-type]
    if kind == "region":
        arity(len(args) >= 2)
        region: dict[str, tuple[float, float]] = {}
        for item in args[1:]:
            path, bounds = parse_region_item(item)
            if path in region:
                raise ClaimSyntaxError(f"claim: {path} appears twice in the region")
            region[path] = bounds
        return InRegion(args[0], region)
    if kind == "threshold":
        arity(len(args) in (4, 5))
        tol = _float_token(args[4], "tol") if len(args) == 5 else None
        return ThresholdAt(args[0], _float_token(args[1], "value"), args[2], args[3], tol)
    arity(len(args) == 2)
    return SameOutcome(args[0], args[1])


# ------------------------------------------------------------------ checking
def _case_of(case: Case | str | None, claim: Claim) -> Case:
    if isinstance(case, Case):
        return case
    if isinstance(case, str):
        return load(case)
    raise InvalidParameterError(f"check: {type(claim).__name__} needs a case; got {case!r}")


def _numeric_path(case: Case, path: str) -> float:
    if path not in case.values:
        raise InvalidParameterError(
            f"check: {case.id} has no parameter {path!r}; parameters are {sorted(case.values)}"
        )
    return float(case.numeric_value(path))


def _full_domain(path: str) -> bool:
    """Whether :func:`search_range` covers the parameter's whole valid domain."""
    name = path.split(".", 1)[1]
    if path.startswith(("instrument.", "counter.")):
        spec = INSTRUMENT_FIELDS.get(name)
    elif path.endswith("_economy.gdp_usd_bn"):
        spec = ECONOMY_FIELDS.get(name)
    else:
        return False
    return spec is not None and math.isfinite(spec.high) and not spec.low_open


def _rng(rng: Any) -> np.random.Generator:
    from coercion.analysis.sweep import _generator

    return _generator(rng)


def _points_1d(
    lo: float, hi: float, current: float, method: str, budget: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    if method == "hypothesis":
        u = rng.uniform(lo, hi, budget)
        pts = np.concatenate([u, [lo, hi]])
    else:
        lin = np.linspace(lo, hi, budget)
        span = hi - lo
        near = current + np.concatenate(
            [-np.geomspace(span * 1e-6, span, 100), np.geomspace(span * 1e-6, span, 100)]
        )
        pts = np.concatenate([lin, near, [current]])
    out: npt.NDArray[np.float64] = np.unique(np.clip(pts, lo, hi)).astype(np.float64)
    return out


def _refine(
    case: Case,
    path: str,
    pts: npt.NDArray[np.float64],
    values: npt.NDArray[Any],
    key: Callable[[Any], npt.NDArray[Any]],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[Any], int]:
    """Add a sub-grid inside every bracket where *values* change; return merged points."""
    change = np.flatnonzero(values[1:] != values[:-1])
    if change.size == 0:
        return pts, values, 0
    t = np.linspace(0.0, 1.0, _SUBGRID + 2)[1:-1]
    extra = (pts[change, None] + (pts[change + 1] - pts[change])[:, None] * t[None, :]).ravel()
    extra_values = key(evaluate(case, {path: extra}))
    allp = np.concatenate([pts, extra])
    allv = np.concatenate([values, extra_values])
    order = np.argsort(allp, kind="stable")
    return allp[order], allv[order], int(change.size)


def _verify_outcome(case: Case, point: Mapping[str, float]) -> str:
    return analyze(case, dict(point), with_thresholds=False).outcome


def _nice(x: float, lo: float, hi: float) -> list[float]:
    """Candidates for reporting *x*: rounded to few significant digits first."""
    out = []
    for digits in (3, 6, 10):
        r = float(f"{x:.{digits}g}")
        if lo <= r <= hi and r not in out:
            out.append(r)
    if x not in out:
        out.append(float(x))
    return out


def _run_middle(idx: int, good: npt.NDArray[np.bool_], forward: bool) -> int:
    """Index of the middle of the run of equal *good* values that ends (starts) at *idx*."""
    k = idx
    step = 1 if forward else -1
    while 0 <= k + step < good.size and good[k + step] == good[idx]:
        k += step
    return (idx + k) // 2


def _check_monotone(
    claim: Monotone | MonotonePayoff,
    case: Case,
    method: str,
    budget: int,
    rng: np.random.Generator,
) -> ClaimResult:
    path = claim.path
    current = _numeric_path(case, path)
    lo, hi = search_range(case, path, current)
    sign = 1 if claim.direction == "increasing" else -1
    if isinstance(claim, Monotone):
        code = OUTCOMES.index(claim.outcome)

        def key(b: Any) -> npt.NDArray[Any]:
            return np.asarray(b.outcome, dtype=np.int64)

        def score(v: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
            return np.asarray(v == code, dtype=np.float64)

        def measure(point: Mapping[str, float]) -> tuple[float, str]:
            got = _verify_outcome(case, point)
            return float(got == claim.outcome), f"the outcome is {got}"

        slack = 0.0
    else:
        who = PLAYERS.index(claim.player)

        def key(b: Any) -> npt.NDArray[Any]:
            return np.asarray(b.episode_payoffs[who], dtype=np.float64)

        def score(v: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
            return np.asarray(v, dtype=np.float64)

        def measure(point: Mapping[str, float]) -> tuple[float, str]:
            u = analyze(case, dict(point), with_thresholds=False).payoffs[claim.player]
            return u, f"the {claim.player}'s payoff is {u:.6g}"

        slack = 1e-9

    pts = _points_1d(lo, hi, current, method, budget, rng)
    raw = key(evaluate(case, {path: pts}))
    pts, raw, n_brackets = _refine(case, path, pts, raw, key)
    s = score(raw)
    tol = slack * (1.0 + np.abs(s[:-1]))
    wrong = np.flatnonzero(sign * np.diff(s) < -tol)
    how = (
        f"{budget:,} random points (numpy Generator)"
        if method == "hypothesis"
        else f"a {budget:,}-point grid (denser near the case value {current:g})"
    )
    what = "outcome" if isinstance(claim, Monotone) else "payoff"
    tried = (
        f"{how} over [{lo:g}, {hi:g}], plus a {_SUBGRID}-point sub-grid inside each of the "
        f"{n_brackets} bracket(s) where the {what} changes"
    )
    for k in wrong:
        if isinstance(claim, Monotone):
            good = s == s[k]
            i = _run_middle(int(k), good, forward=False)
            j = _run_middle(int(k) + 1, s == s[k + 1], forward=True)
            pairs = [(i, j), (int(k), int(k) + 1)]
        else:
            pairs = [(int(k), int(k) + 1)]
        for i, j in pairs:
            for v1, v2 in zip(
                _nice(float(pts[i]), lo, float(pts[j])),
                _nice(float(pts[j]), float(pts[i]), hi),
                strict=False,
            ):
                if not v1 < v2:
                    continue
                (m1, d1), (m2, d2) = measure({path: v1}), measure({path: v2})
                if sign * (m2 - m1) < -slack * (1.0 + abs(m1)):
                    seen = f"at {path}={v1!r} {d1}; at {path}={v2!r} {d2}"
                    return ClaimResult(
                        holds=False,
                        proved=False,
                        counterexample=[{path: v1}, {path: v2}],
                        evidence=f"refuted: {seen}; re-solved with analyze at both points; "
                        f"found by {tried}",
                        claim=claim,
                    )
    # no verified violation
    proved = False
    note = ""
    if isinstance(claim, Monotone) and method in ("auto", "symbolic") and _full_domain(path):
        proved, note = _prove_flips(claim, case, pts, raw)
    evidence = f"no violation in {tried}" + (f"; {note}" if note else "")
    if not proved:
        evidence += "; not proved" + (
            "" if _full_domain(path) else f" (the valid range of {path} is unbounded)"
        )
    return ClaimResult(True, proved, None, evidence, claim)


def _prove_flips(
    claim: Monotone, case: Case, pts: npt.NDArray[np.float64], raw: npt.NDArray[Any]
) -> tuple[bool, str]:
    """Solve every flip of the indicator exactly; all must be exact roots."""
    from coercion.analysis.thresholds import _symbolic_flip

    code = OUTCOMES.index(claim.outcome)
    ind = raw == code
    flips = np.flatnonzero(ind[1:] != ind[:-1])
    base = {p: float(case.numeric_value(p)) for p in case.values}
    exprs = []
    for k in flips:
        a, b = float(pts[k]), float(pts[k + 1])
        side_a = bool(ind[k])
        for _ in range(200):  # bisect the bracket on the indicator to float resolution
            if b - a <= 4 * np.spacing(max(abs(a), abs(b))):
                break
            mid = a + (b - a) / 2
            if bool(evaluate(case, {claim.path: mid}).outcome == code) == side_a:
                a = mid
            else:
                b = mid
        exact = _symbolic_flip(case, claim.path, a, b, base, _cal())
        if exact is None:
            return False, f"the flip at {claim.path}={b:.10g} has no closed form"
        exprs.append(f"{exact[0]:.10g}")
    if not exprs:
        return True, "the indicator is constant on the whole valid range"
    return True, "every flip of the indicator is an exact root: " + ", ".join(exprs)


def _cal() -> Any:
    from coercion.model.calibration import DEFAULT_CALIBRATION

    return DEFAULT_CALIBRATION


def _check_region(
    claim: InRegion, case: Case, method: str, budget: int, rng: np.random.Generator
) -> ClaimResult:
    paths = list(claim.region)
    for p in paths:
        current = _numeric_path(case, p)
        vlo, vhi = search_range(case, p, current)
        lo, hi = claim.region[p]
        if lo < vlo - 1e-12 or (math.isfinite(vhi) and _full_domain(p) and hi > vhi + 1e-12):
            raise InvalidParameterError(
                f"check: region {p}=[{lo:g}, {hi:g}] leaves the valid range [{vlo:g}, {vhi:g}]"
            )
    code = OUTCOMES.index(claim.outcome)
    k = len(paths)
    if method == "hypothesis":
        cols = {p: rng.uniform(*claim.region[p], budget) for p in paths}
        how = f"{budget:,} random points (numpy Generator)"
    else:
        n = max(2, int(budget ** (1.0 / k)))
        axes = [np.linspace(*claim.region[p], n) for p in paths]
        mesh = np.meshgrid(*axes, indexing="ij")
        cols = {p: m.ravel() for p, m in zip(paths, mesh, strict=True)}
        how = f"a {' x '.join([str(n)] * k)} grid (corners included)"
    out = evaluate(case, cols).outcome
    bad = np.flatnonzero(out != code)
    for idx in bad[:20]:
        raw_point = {p: float(cols[p][idx]) for p in paths}
        for digits in (3, 6, 17):
            point = {}
            for p, v in raw_point.items():
                r = float(f"{v:.{digits}g}")
                point[p] = r if claim.region[p][0] <= r <= claim.region[p][1] else v
            got = _verify_outcome(case, point)
            if got != claim.outcome:
                return ClaimResult(
                    False,
                    False,
                    [point],
                    f"refuted: the outcome at {point} is {got}, not {claim.outcome} "
                    f"(re-solved with analyze); found by {how}",
                    claim,
                )
    return ClaimResult(
        True, False, None, f"{claim.outcome} at every point of {how}; not proved", claim
    )


def _check_threshold(claim: ThresholdAt, case: Case, method: str) -> ClaimResult:
    path = claim.path
    current = _numeric_path(case, path)
    vlo, vhi = search_range(case, path, current)
    a = max(claim.value - claim.tolerance, vlo)
    b = min(claim.value + claim.tolerance, vhi)
    if not a < b:
        raise InvalidParameterError(
            f"check: {path}={claim.value:g} is outside the valid range [{vlo:g}, {vhi:g}]"
        )
    got_a = _verify_outcome(case, {path: a})
    got_b = _verify_outcome(case, {path: b})
    if got_a != claim.below or got_b != claim.above:
        return ClaimResult(
            False,
            False,
            [{path: a}, {path: b}],
            f"refuted: the outcome is {got_a} at {path}={a!r} and {got_b} at {path}={b!r} "
            f"(re-solved with analyze); the claim needs {claim.below} then {claim.above}",
            claim,
        )
    inner = np.linspace(a, b, 401)
    out = evaluate(case, {path: inner}).outcome
    change = np.flatnonzero(out[1:] != out[:-1])
    evidence = (
        f"{claim.below} at {path}={a:g} and {claim.above} at {path}={b:g} (analyze); "
        f"{change.size} change(s) of outcome on a 401-point grid between them"
    )
    proved = False
    if method in ("auto", "symbolic") and change.size == 1:
        from coercion.analysis.thresholds import _symbolic_flip

        base = {p: float(case.numeric_value(p)) for p in case.values}
        k = int(change[0])
        exact = _symbolic_flip(case, path, float(inner[k]), float(inner[k + 1]), base, _cal())
        if exact is not None and abs(exact[0] - claim.value) <= claim.tolerance:
            proved = True
            evidence += f"; the flip is the exact root {exact[1]} = {exact[0]:.10g}"
    if not proved:
        evidence += "; not proved"
    return ClaimResult(True, proved, None, evidence, claim)


def _check_same(claim: SameOutcome) -> ClaimResult:
    a = analyze(claim.case_a, with_thresholds=False)
    b = analyze(claim.case_b, with_thresholds=False)
    evidence = f"{claim.case_a}: {a.outcome}; {claim.case_b}: {b.outcome}"
    if a.ties or b.ties:
        evidence += " (a mover is indifferent somewhere: other equilibria exist)"
    return ClaimResult(
        a.outcome == b.outcome, not (a.ties or b.ties), None, evidence + " (analyze)", claim
    )


def check(
    claim: Claim | str,
    case: Case | str | None = None,
    *,
    method: Method = "auto",
    rng: np.random.Generator | int | None = None,
    budget: int = DEFAULT_BUDGET,
) -> ClaimResult:
    """Check a claim on a case; refute it with a verified counterexample if it is false.

    Parameters
    ----------
    claim : Claim or str
        A claim object or claim text (:func:`parse_claim`).
    case : Case or str, optional
        A case or a bundled case id / case-file path (not needed for :class:`SameOutcome`).
    method : {"auto", "grid", "hypothesis", "symbolic"}
        ``"grid"``: a deterministic grid of *budget* points (denser near the
        case value) plus sub-grids inside every bracket where the outcome
        changes.  ``"hypothesis"``: *budget* random points drawn with *rng*.
        ``"symbolic"`` and ``"auto"``: the grid, then an exact solution of
        every flip, which can prove the claim (see ``docs/claims.md``).
    rng : numpy.random.Generator or int, optional
        Seed or generator for ``method="hypothesis"`` (never the global state).
    budget : int
        Points per scan (at least 10).

    Returns
    -------
    ClaimResult

    Examples
    --------
    >>> r = check("monotone instrument.dependency_share concession increasing",
    ...           "oapec-japan-1973")
    >>> r.holds, r.counterexample
    (False, [{'instrument.dependency_share': 0.117}, {'instrument.dependency_share': 0.573}])
    """
    if isinstance(claim, str):
        claim = parse_claim(claim)
    if method not in _METHODS:
        raise InvalidParameterError(
            f"check: method must be one of {list(_METHODS)}; got {method!r}"
        )
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 10:
        raise InvalidParameterError(f"check: budget must be an integer >= 10; got {budget!r}")
    gen = _rng(rng)
    if isinstance(claim, SameOutcome):
        return _check_same(claim)
    c = _case_of(case, claim)
    if isinstance(claim, Monotone | MonotonePayoff):
        return _check_monotone(claim, c, method, budget, gen)
    if isinstance(claim, InRegion):
        return _check_region(claim, c, method, budget, gen)
    if isinstance(claim, ThresholdAt):
        return _check_threshold(claim, c, method)
    raise InvalidParameterError(f"check: not a claim: {claim!r}")
