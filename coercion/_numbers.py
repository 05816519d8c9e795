"""Exact and floating conversions shared by the representations and solvers.

Payoffs and probabilities may be given as Python ``int``/``float``,
:class:`fractions.Fraction`, :class:`decimal.Decimal`, numpy scalars, numpy
arrays (a whole parameter grid) or sympy expressions.  This module turns
scalars into exact :class:`~fractions.Fraction` values (floats convert
exactly, bit for bit) and recognises the other kinds without importing sympy.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

__all__ = ["is_array", "is_exact_scalar", "is_real_scalar", "is_symbolic", "to_fraction"]


def is_symbolic(value: object) -> bool:
    """Return True if *value* is a sympy object (sympy is never imported here)."""
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, sympy.Basic)


def is_array(value: object) -> bool:
    """Return True for a numpy array with at least one dimension."""
    return isinstance(value, np.ndarray) and value.ndim > 0


def is_real_scalar(value: object) -> bool:
    """Return True for a real number (bool excluded), numpy 0-d values included."""
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, np.ndarray):
        return (
            value.ndim == 0 and np.issubdtype(value.dtype, np.number) and not np.iscomplexobj(value)
        )
    return isinstance(value, int | float | Fraction | Decimal | np.integer | np.floating)


def is_exact_scalar(value: object) -> bool:
    """Return True for integers and rationals (values whose arithmetic is exact)."""
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, int | Fraction | np.integer | Rational | Decimal)


def to_fraction(value: Any) -> Fraction:
    """Convert a finite real scalar to a :class:`~fractions.Fraction` exactly.

    Floats convert bit for bit (``0.1`` becomes ``3602879701896397/36028797018963968``);
    decimals and strings such as ``"1/3"`` or ``"0.1"`` keep their written value.

    Examples
    --------
    >>> to_fraction(0.5), to_fraction("2/6"), to_fraction(3)
    (Fraction(1, 2), Fraction(1, 3), Fraction(3, 1))
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.integer):
        return Fraction(int(value))
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot convert non-finite value {value!r} to a fraction")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"cannot convert non-finite value {value!r} to a fraction")
    return Fraction(value)
