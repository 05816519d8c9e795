"""The case-file schema: which keys exist, what they hold, their units and domains.

One table drives validation, documentation (``docs/case-format.md``) and the
parameter paths used by ``analyze --set``, sweeps and thresholds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ECONOMY_FIELDS", "INSTRUMENT_FIELDS", "TOP_LEVEL", "Field"]


@dataclass(frozen=True)
class Field:
    """A numeric case-file field."""

    name: str
    unit: str
    low: float
    high: float
    low_open: bool = False
    default: float | None = None  # None: required
    kinds: tuple[str, ...] = ()  # instrument kinds it applies to (empty: all)
    description: str = ""


INF = math.inf

ECONOMY_FIELDS = {
    "gdp_usd_bn": Field(
        "gdp_usd_bn",
        "US$ bn / year",
        0,
        INF,
        low_open=True,
        description="annual GDP; the scale of the side's stakes",
    ),
}

INSTRUMENT_FIELDS = {
    f.name: f
    for f in (
        Field(
            "dependency_share",
            "share",
            0,
            1,
            description="supply kinds: exposed side's import share from the user; "
            "market kinds: its export share to the user",
        ),
        Field(
            "monthly_flow_usd_bn",
            "US$ bn / month",
            0,
            INF,
            description="supply kinds: exposed side's monthly imports of the good "
            "(all sources); market kinds: its monthly exports (all destinations)",
        ),
        Field(
            "months_to_substitute",
            "months",
            0,
            INF,
            low_open=True,
            description="time to replace the lost supply or market completely (tau)",
        ),
        Field(
            "essentiality",
            "ratio",
            1,
            INF,
            default=1.0,
            kinds=("export_control", "chokepoint"),
            description="downstream value lost per dollar of missing input (mu)",
        ),
        Field(
            "replaceable_share",
            "share",
            0,
            1,
            default=0.0,
            description="share replaceable at once by third parties (r0)",
        ),
        Field(
            "stockpile_months",
            "months",
            0,
            INF,
            default=0.0,
            description="stocks, in months of the cut flow (s)",
        ),
        Field(
            "tariff_rate",
            "rate",
            0,
            INF,
            kinds=("tariff",),
            description="ad valorem tariff rate (theta); 1.45 is 145%",
        ),
        Field(
            "import_demand_elasticity",
            "elasticity",
            0,
            INF,
            low_open=True,
            default=2.0,
            kinds=("tariff",),
            description="the user's import-demand elasticity (epsilon)",
        ),
        Field(
            "value_added_share",
            "share",
            0,
            1,
            default=0.5,
            kinds=("tariff", "import_ban"),
            description="share of lost export revenue that is lost income (m)",
        ),
        Field(
            "own_cost_share",
            "share",
            0,
            1,
            default=0.1,
            description="the user's own monthly cost as a share of the flow it cuts",
        ),
    )
}

#: top-level keys: name -> (type name, required)
TOP_LEVEL = {
    "id": ("string", True),
    "title": ("string", True),
    "year": ("integer", True),
    "coercer": ("string", True),
    "target": ("string", True),
    "demand": ("string", True),
    "demand_divisible": ("boolean", False),
    "observed": ("string", False),
    "clarity": ("string", True),
    "summary": ("string", True),
    "notes": ("string", False),
    "sources": ("table", True),
    "coercer_economy": ("table", True),
    "target_economy": ("table", True),
    "instrument": ("table", True),
    "counter": ("table", False),
    "stakes": ("table", True),
}

CLARITY = ("clear", "disputed", "open")
