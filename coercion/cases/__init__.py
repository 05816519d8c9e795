"""The case library: real coercion episodes with sources, behind ``load(id)``.

>>> from coercion import cases
>>> "japan-china-2010" in [c.id for c in cases.index()]
True
"""

from coercion.cases.loader import Case, CaseFileError, ParameterValue, index, load, parse_value

__all__ = ["Case", "CaseFileError", "ParameterValue", "index", "load", "parse_value"]
