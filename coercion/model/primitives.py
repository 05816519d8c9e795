"""Economic primitives of a coercion episode, as validated value objects.

Units are part of the field names: money in US$ billion (``_usd_bn``), time in
months (``_months``), shares in [0, 1].  Every numeric field accepts a number,
a numpy array (a parameter grid; validated elementwise) or a sympy
expression (validated where it is a number).  Bad values raise
:class:`~coercion.errors.InvalidParameterError` naming the field, the
constraint and the value.

The flat view :meth:`Scenario.parameters` maps dotted paths (the paths of
the case-file fields, e.g. ``"instrument.dependency_share"``) to values;
:meth:`Scenario.from_parameters` inverts it.  Sweeps, thresholds and
``coercion analyze --set`` all address parameters by these paths.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from coercion._numbers import is_array, is_real_scalar, is_symbolic
from coercion.errors import InvalidParameterError

__all__ = [
    "INSTRUMENT_KINDS",
    "MARKET_KINDS",
    "POSITIVE_STAKE_SUMS",
    "SUPPLY_KINDS",
    "Actor",
    "Instrument",
    "Scenario",
    "Stakes",
]

#: instruments that cut the target's supply of a good (loss = d·P·μ)
SUPPLY_KINDS = ("export_control", "chokepoint")
#: instruments that close the coercer's market to the target (loss = d·E·[1−(1+θ)^−ε]·m)
MARKET_KINDS = ("tariff", "import_ban")
INSTRUMENT_KINDS = SUPPLY_KINDS + MARKET_KINDS


def _check(
    owner: str, name: str, value: Any, low: float, high: float, *, low_open: bool = False
) -> None:
    """Validate a number/array/sympy value against ``[low, high]`` (or ``(low, high]``)."""
    where = f"{owner}.{name}"
    if is_symbolic(value):
        if getattr(value, "is_number", False):
            _check(owner, name, float(value), low, high, low_open=low_open)
        return
    if is_array(value):
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise InvalidParameterError(f"{where} must be real; got an array of dtype {arr.dtype}")
        if not np.all(np.isfinite(arr)):
            raise InvalidParameterError(f"{where} must be finite; got an array with nan or inf")
        bad = (arr <= low if low_open else arr < low) | (arr > high)
        if bad.any():
            shown = arr[bad].reshape(-1)[0]
            raise InvalidParameterError(
                f"{where} must lie in {_interval(low, high, low_open)}; got {shown!r} in the array"
            )
        return
    if not is_real_scalar(value):
        raise InvalidParameterError(f"{where} must be a real number; got {value!r}")
    try:
        x = float(value)
    except OverflowError:  # an int or Fraction beyond the float range: not finite in float64
        x = math.inf
    if not math.isfinite(x):
        try:
            text = repr(value)
        except ValueError:  # an int with more digits than Python converts
            text = ""
        shown = text if 0 < len(text) <= 60 else f"a number of about 1e{_log10(value)}"
        raise InvalidParameterError(f"{where} must be finite; got {shown}")
    if (x <= low if low_open else x < low) or x > high:
        raise InvalidParameterError(
            f"{where} must lie in {_interval(low, high, low_open)}; got {value!r}"
        )


def _log10(value: Any) -> str:
    """The decimal exponent of a huge exact number, for a message (never overflows)."""
    try:
        from fractions import Fraction

        f = abs(Fraction(value))
    except (TypeError, ValueError, OverflowError):
        return "?"
    bits = f.numerator.bit_length() - f.denominator.bit_length()
    return str(round(bits * math.log10(2)))


def _interval(low: float, high: float, low_open: bool) -> str:
    hi = "inf)" if math.isinf(high) else f"{high:g}]"
    return f"{'(' if low_open else '['}{low:g}, {hi}"


INF = math.inf


@dataclass(frozen=True, eq=False)
class Actor:
    """A state: its name and annual GDP (US$ bn), the scale of its stakes."""

    name: str
    gdp_usd_bn: Any

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InvalidParameterError(f"Actor.name must be a non-empty string; got {self.name!r}")
        _check("Actor", "gdp_usd_bn", self.gdp_usd_bn, 0, INF, low_open=True)


@dataclass(frozen=True, eq=False)
class Instrument:
    """A coercive instrument and the dependency it exploits.

    For the coercer's instrument the *exposed* side is the target; for the
    target's counter-instrument it is the coercer.

    Parameters
    ----------
    kind : {"export_control", "chokepoint", "tariff", "import_ban"}
    good : str
        What is cut (a good, a market, a technology).
    dependency_share : share
        Supply kinds: the exposed side's import share from the user of the
        instrument.  Market kinds: the exposed side's export share to it.
    monthly_flow_usd_bn : US$ bn / month, >= 0
        Supply kinds: the exposed side's monthly imports of the good from all
        sources.  Market kinds: its monthly exports (all destinations).
    months_to_substitute : months, > 0
        Time to replace the lost supply or market completely (``τ``).
    essentiality : ratio >= 1
        Downstream value lost per dollar of missing input (``μ``; 1 for a final good).
    replaceable_share : share
        Share replaceable at once by third parties (``r0``).
    stockpile_months : months >= 0
        Stocks, in months of the cut flow (``s``).
    tariff_rate, import_demand_elasticity, value_added_share
        Market kinds only (``θ``, ``ε``, ``m``); ``import_ban`` ignores ``tariff_rate``.
    own_cost_share : share
        The user's own monthly cost as a share of the cut flow, apart from a
        tariff's cost to its own buyers (forgone exports, lost sales).  For a
        ``tariff`` the buyers' consumer-surplus loss
        (:func:`coercion.model.formulas.tariff_consumer_loss`) is added on top.
    """

    kind: str
    good: str
    dependency_share: Any
    monthly_flow_usd_bn: Any
    months_to_substitute: Any
    essentiality: Any = 1.0
    replaceable_share: Any = 0.0
    stockpile_months: Any = 0.0
    tariff_rate: Any = 0.0
    import_demand_elasticity: Any = 2.0
    value_added_share: Any = 0.5
    own_cost_share: Any = 0.1

    def __post_init__(self) -> None:
        if self.kind not in INSTRUMENT_KINDS:
            raise InvalidParameterError(
                f"Instrument.kind must be one of {list(INSTRUMENT_KINDS)}; got {self.kind!r}"
            )
        if not isinstance(self.good, str):
            raise InvalidParameterError(f"Instrument.good must be a string; got {self.good!r}")
        _check("Instrument", "dependency_share", self.dependency_share, 0, 1)
        _check("Instrument", "monthly_flow_usd_bn", self.monthly_flow_usd_bn, 0, INF)
        _check(
            "Instrument", "months_to_substitute", self.months_to_substitute, 0, INF, low_open=True
        )
        _check("Instrument", "essentiality", self.essentiality, 1, INF)
        _check("Instrument", "replaceable_share", self.replaceable_share, 0, 1)
        _check("Instrument", "stockpile_months", self.stockpile_months, 0, INF)
        _check("Instrument", "tariff_rate", self.tariff_rate, 0, INF)
        _check(
            "Instrument",
            "import_demand_elasticity",
            self.import_demand_elasticity,
            0,
            INF,
            low_open=True,
        )
        _check("Instrument", "value_added_share", self.value_added_share, 0, 1)
        _check("Instrument", "own_cost_share", self.own_cost_share, 0, 1)

    @property
    def is_supply(self) -> bool:
        """True for instruments that cut supply (export controls, chokepoints)."""
        return self.kind in SUPPLY_KINDS


#: the stakes fields, in case-file order, with their GDP base ("coercer" or "target")
STAKE_FIELDS: dict[str, str] = {
    "coercer_issue": "coercer",
    "target_issue": "target",
    "coercer_audience": "coercer",
    "target_audience": "target",
    "target_reputation": "target",
    "coercer_punishment_gain": "coercer",
    "institutional_cost": "coercer",
    "third_party_support": "target",
}


#: pairs of stakes whose sum must be > 0 (the bargaining utilities of
#: :func:`coercion.model.formulas.nash_bargaining_share` divide by them), with their label
POSITIVE_STAKE_SUMS: tuple[tuple[str, str, str], ...] = (
    ("coercer_issue", "coercer_audience", "V_C + A_C"),
    ("target_issue", "target_reputation", "V_T + R_T"),
)


@dataclass(frozen=True, eq=False)
class Stakes:
    """What is at stake, in US$ bn (judgements, mapped from ordinal scales).

    ``coercer_issue`` (``V_C``): the demand's value to the coercer;
    ``target_issue`` (``V_T``): what complying costs the target;
    ``coercer_audience`` / ``target_audience`` (``A_C``, ``A_T``): audience
    costs of backing down from a public threat or counter-threat;
    ``target_reputation`` (``R_T``): the target's reputational cost of
    conceding; ``coercer_punishment_gain`` (``R_C⁺``): what punishing is worth
    to the coercer whatever the outcome (deterring third parties);
    ``institutional_cost`` (``W``): the coercer's cost of illegality (WTO);
    ``third_party_support`` (``Z_T``): aid that raises the target's bearable cost.
    """

    coercer_issue: Any
    target_issue: Any
    coercer_audience: Any = 0.0
    target_audience: Any = 0.0
    target_reputation: Any = 0.0
    coercer_punishment_gain: Any = 0.0
    institutional_cost: Any = 0.0
    third_party_support: Any = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            _check("Stakes", f.name, getattr(self, f.name), 0, INF)
        # the bargaining utilities divide by these sums (formulas.nash_bargaining_share)
        for a, b, label in POSITIVE_STAKE_SUMS:
            total = getattr(self, a) + getattr(self, b)
            if is_symbolic(total):
                continue
            arr = np.asarray(total, dtype=float)
            bad = arr <= 0
            if bad.any():
                # one line: the first offending value, not the array's repr
                shown = float(arr[bad].reshape(-1)[0])
                where = " in the array" if arr.ndim else ""
                raise InvalidParameterError(
                    f"Stakes.{a} + Stakes.{b} ({label}) must be > 0; got {shown!r}{where}"
                )


@dataclass(frozen=True, eq=False)
class Scenario:
    """Everything the coercion game is derived from.

    Examples
    --------
    >>> s = Scenario(
    ...     coercer=Actor("China", 6087.0), target=Actor("Japan", 5759.0),
    ...     instrument=Instrument("export_control", "rare earths", dependency_share=0.92,
    ...                           monthly_flow_usd_bn=0.1, months_to_substitute=48.0),
    ...     stakes=Stakes(coercer_issue=1.0, target_issue=0.5))
    >>> s.parameters()["instrument.dependency_share"]
    0.92
    >>> Scenario.from_parameters({**s.parameters(), "instrument.dependency_share": 0.6},
    ...                          like=s).instrument.dependency_share
    0.6
    """

    coercer: Actor
    target: Actor
    instrument: Instrument
    stakes: Stakes
    counter: Instrument | None = None
    title: str = field(default="")
    #: the demand can be met in part (a quantity, a rate, a list of items): the target may
    #: then give, at the threat stage, the least share that leaves the coercer no better off
    #: imposing (``docs/model.md``, "Threat-stage partial concession")
    demand_divisible: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.demand_divisible, bool):
            raise InvalidParameterError(
                f"Scenario.demand_divisible must be true or false; got {self.demand_divisible!r}"
            )

    def parameters(self) -> dict[str, Any]:
        """Flat ``{dotted path: value}`` of every numeric field."""
        out: dict[str, Any] = {
            "coercer_economy.gdp_usd_bn": self.coercer.gdp_usd_bn,
            "target_economy.gdp_usd_bn": self.target.gdp_usd_bn,
        }
        for prefix, inst in (("instrument", self.instrument), ("counter", self.counter)):
            if inst is None:
                continue
            for f in fields(inst):
                if f.name not in ("kind", "good"):
                    out[f"{prefix}.{f.name}"] = getattr(inst, f.name)
        for f in fields(self.stakes):
            out[f"stakes.{f.name}"] = getattr(self.stakes, f.name)
        return out

    @classmethod
    def from_parameters(cls, values: Mapping[str, Any], *, like: Scenario) -> Scenario:
        """A scenario like *like* with the numeric fields taken from *values*."""
        unknown = set(values) - set(like.parameters())
        if unknown:
            raise InvalidParameterError(
                f"Scenario: unknown parameter path(s) {sorted(unknown)}; "
                f"known: {sorted(like.parameters())}"
            )

        def pick(prefix: str, obj: Any) -> dict[str, Any]:
            return {
                f.name: values.get(f"{prefix}.{f.name}", getattr(obj, f.name))
                for f in fields(obj)
                if f.name not in ("kind", "good")
            }

        counter = None
        if like.counter is not None:
            counter = dataclasses.replace(like.counter, **pick("counter", like.counter))
        return cls(
            coercer=Actor(
                like.coercer.name, values.get("coercer_economy.gdp_usd_bn", like.coercer.gdp_usd_bn)
            ),
            target=Actor(
                like.target.name, values.get("target_economy.gdp_usd_bn", like.target.gdp_usd_bn)
            ),
            instrument=dataclasses.replace(like.instrument, **pick("instrument", like.instrument)),
            stakes=Stakes(**pick("stakes", like.stakes)),
            counter=counter,
            title=like.title,
            demand_divisible=like.demand_divisible,
        )
