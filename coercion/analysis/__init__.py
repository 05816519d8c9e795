"""Analyses built on the model: case analysis, thresholds, validation.

>>> from coercion.analysis import analyze
>>> analyze("japan-china-2010", with_thresholds=False).outcome
'concession'
"""

from coercion.analysis.analyze import Analysis, analyze
from coercion.analysis.evaluate import Batch, evaluate
from coercion.analysis.thresholds import Threshold, thresholds
from coercion.analysis.validate import Validation, validate

__all__ = [
    "Analysis",
    "Batch",
    "Threshold",
    "Validation",
    "analyze",
    "evaluate",
    "thresholds",
    "validate",
]
