"""The one global calibration of the coercion model.

Judgements (issue stakes, audience costs, reputation, institutional costs,
third-party support) are recorded in case files on ordinal scales and turned
into US$ bn here, as a fraction of the annual GDP of the side that bears
them.  The same table serves every case: there are no per-case knobs.  The
timing and bargaining constants of the game are here too.

The numbers are judgements, documented in ``docs/model.md`` together with
how ``coercion validate`` measures their in-sample and leave-one-out
accuracy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from coercion.errors import InvalidParameterError

__all__ = ["DEFAULT_CALIBRATION", "ISSUE_FIELDS", "LEVELS", "Calibration"]

#: ordinal levels, weakest first
LEVELS = ("none", "low", "medium", "high", "core")

# Fractions of annual GDP.  The two base ladders span two orders of magnitude from "low" to
# "core"; their overall levels (x0.25 for issue stakes, x3 for audience-type costs, against the
# first ladders 2e-5..1e-2 and 1e-5..1e-3) and the bite were fitted globally to the case library
# (docs/model.md, "Calibration"); ``coercion validate`` reports the leave-one-out accuracy of
# that fit.
_ISSUE = {"none": 0.0, "low": 5e-6, "medium": 5e-5, "high": 2.5e-4, "core": 2.5e-3}
_AUDIENCE = {"none": 0.0, "low": 3e-5, "medium": 1.5e-4, "high": 6e-4, "core": 3e-3}
#: stakes fields on the issue ladder (the others use the audience ladder)
ISSUE_FIELDS = ("coercer_issue", "target_issue", "third_party_support")


def _frozen(m: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(m))


@dataclass(frozen=True)
class Calibration:
    """Global constants of the model.

    Attributes
    ----------
    scales : mapping
        For each stakes field, the fraction of annual GDP each ordinal level stands for.
    bite_months : float
        Months sanctions bite before any settlement takes effect (``h0``).
    horizon_months : float
        Political horizon of a standoff (``H̄``): two sides that can both hold
        out longer are in deadlock.
    bargaining_weight : float
        The coercer's weight ``β`` in the generalised Nash bargaining truce.
    counter_signal_months : float
        A public counter-threat costs the target this many months of its
        counter-measure's own cost even if never executed (customers start
        diversifying away).
    stake_scale_mix : float
        ``w`` in [0, 1]: how a level's value scales with the bearer's size.  A level stands
        for ``f(level) · G^(1-w) · G_ref^w`` US$ bn, with ``G`` the bearer's GDP: ``w = 0``
        is proportional to GDP (the shipped complete model), ``w = 1`` the same dollars for
        every state.  A geometric mix keeps the ladder's ratios at every size.
    reference_gdp_usd_bn : float
        ``G_ref``: the GDP (US$ bn) at which the ladder's fractions hold whatever ``w``.
    """

    scales: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: MappingProxyType(
            {
                "coercer_issue": _frozen(_ISSUE),
                "target_issue": _frozen(_ISSUE),
                "coercer_audience": _frozen(_AUDIENCE),
                "target_audience": _frozen(_AUDIENCE),
                "target_reputation": _frozen(_AUDIENCE),
                "coercer_punishment_gain": _frozen(_AUDIENCE),
                "institutional_cost": _frozen(_AUDIENCE),
                "third_party_support": _frozen(_ISSUE),
            }
        )
    )
    bite_months: float = 0.5
    horizon_months: float = 36.0
    bargaining_weight: float = 0.5
    counter_signal_months: float = 0.25
    stake_scale_mix: float = 0.0
    reference_gdp_usd_bn: float = 1000.0

    def __post_init__(self) -> None:
        if not 0 <= self.stake_scale_mix <= 1:
            raise InvalidParameterError(
                f"Calibration.stake_scale_mix must lie in [0, 1]; got {self.stake_scale_mix}"
            )
        if not 0 < self.reference_gdp_usd_bn < float("inf"):
            raise InvalidParameterError(
                "Calibration.reference_gdp_usd_bn must be finite and > 0; got "
                f"{self.reference_gdp_usd_bn}"
            )
        if not 0 < self.bite_months < self.horizon_months:
            raise InvalidParameterError(
                "Calibration: need 0 < bite_months < horizon_months; got "
                f"{self.bite_months} and {self.horizon_months}"
            )
        if not 0 < self.bargaining_weight < 1:
            raise InvalidParameterError(
                f"Calibration.bargaining_weight must lie in (0, 1); got {self.bargaining_weight}"
            )
        if self.counter_signal_months < 0:
            raise InvalidParameterError(
                f"Calibration.counter_signal_months must be >= 0; got {self.counter_signal_months}"
            )
        for name, table in self.scales.items():
            if tuple(table) != LEVELS:
                raise InvalidParameterError(
                    f"Calibration.scales[{name!r}] must give levels {list(LEVELS)}; "
                    f"got {list(table)}"
                )
            values = [table[k] for k in LEVELS]
            if any(v < 0 for v in values) or values != sorted(values):
                raise InvalidParameterError(
                    f"Calibration.scales[{name!r}] must be non-negative and increasing; "
                    f"got {values}"
                )

    def stake_value(self, field_name: str, level: str, gdp_usd_bn: Any) -> Any:
        """US$ bn that *level* of the stakes field *field_name* stands for."""
        table = self.scales.get(field_name)
        if table is None:
            raise InvalidParameterError(f"Calibration: no scale for stakes field {field_name!r}")
        if level not in table:
            raise InvalidParameterError(
                f"stakes.{field_name} must be one of {list(LEVELS)} or a number (US$ bn); "
                f"got {level!r}"
            )
        if self.stake_scale_mix == 0:
            return table[level] * gdp_usd_bn
        w = self.stake_scale_mix
        return table[level] * gdp_usd_bn ** (1 - w) * self.reference_gdp_usd_bn**w

    def scaled(
        self,
        issue: float = 1.0,
        audience: float = 1.0,
        bite_months: float | None = None,
        stake_scale_mix: float | None = None,
    ) -> Calibration:
        """The same calibration with the issue-stakes ladders multiplied by *issue*, the
        audience-type ladders by *audience*, and optionally another bite and stake-scale
        mix."""
        return Calibration(
            scales=MappingProxyType(
                {
                    name: _frozen(
                        {
                            k: v * (issue if name in ISSUE_FIELDS else audience)
                            for k, v in table.items()
                        }
                    )
                    for name, table in self.scales.items()
                }
            ),
            bite_months=self.bite_months if bite_months is None else bite_months,
            horizon_months=self.horizon_months,
            bargaining_weight=self.bargaining_weight,
            counter_signal_months=self.counter_signal_months,
            stake_scale_mix=(
                self.stake_scale_mix if stake_scale_mix is None else stake_scale_mix
            ),
            reference_gdp_usd_bn=self.reference_gdp_usd_bn,
        )


DEFAULT_CALIBRATION = Calibration()
