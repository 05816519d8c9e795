"""Analyses built on the model: case analysis, thresholds, validation, sweeps.

>>> from coercion.analysis import analyze
>>> analyze("japan-china-2010", with_thresholds=False).outcome
'concession'
"""

from coercion.analysis.analyze import Analysis, analyze
from coercion.analysis.claims import (
    ClaimResult,
    InRegion,
    Monotone,
    MonotonePayoff,
    SameOutcome,
    ThresholdAt,
    check,
    parse_claim,
)
from coercion.analysis.evaluate import Batch, evaluate
from coercion.analysis.sweep import (
    MissingDependencyError,
    MonteCarloResult,
    SweepResult,
    monte_carlo,
    sweep,
)
from coercion.analysis.thresholds import Threshold, thresholds
from coercion.analysis.validate import Validation, validate

__all__ = [
    "Analysis",
    "Batch",
    "ClaimResult",
    "InRegion",
    "MissingDependencyError",
    "Monotone",
    "MonotonePayoff",
    "MonteCarloResult",
    "SameOutcome",
    "SweepResult",
    "Threshold",
    "ThresholdAt",
    "Validation",
    "analyze",
    "check",
    "evaluate",
    "monte_carlo",
    "parse_claim",
    "sweep",
    "thresholds",
    "validate",
]
