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
from coercion.analysis.coalition import CoalitionResult, Member, coalition, members_made_proof
from coercion.analysis.evaluate import Batch, evaluate
from coercion.analysis.policy import (
    PolicyResult,
    YardResult,
    autonomy,
    indispensability,
    load_portfolio,
    small_yard,
)
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
    "CoalitionResult",
    "InRegion",
    "Member",
    "MissingDependencyError",
    "Monotone",
    "MonotonePayoff",
    "MonteCarloResult",
    "PolicyResult",
    "SameOutcome",
    "SweepResult",
    "Threshold",
    "ThresholdAt",
    "Validation",
    "YardResult",
    "analyze",
    "autonomy",
    "check",
    "coalition",
    "evaluate",
    "indispensability",
    "load_portfolio",
    "members_made_proof",
    "monte_carlo",
    "parse_claim",
    "small_yard",
    "sweep",
    "thresholds",
    "validate",
]
