"""One formula, three evaluations: floats, numpy arrays, sympy expressions.

Every payoff formula of :mod:`coercion.model` is written once against the
small set of operations below.  Evaluated with :data:`FLOAT` it returns a
float; with :data:`NUMPY` it broadcasts over parameter grids; with
:data:`SYMPY` it returns a sympy expression (``Max``, ``Min``, ``Piecewise``),
from which thresholds are solved symbolically.  Because sweeps and symbolic
thresholds come from the same definitions, they cannot disagree.

:func:`ops_for` picks the backend from the values themselves: sympy if any
is symbolic, numpy if any is an array, floats otherwise.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np

from coercion._numbers import is_array, is_symbolic

__all__ = ["FLOAT", "NUMPY", "SYMPY", "LocalSympyOps", "Ops", "ops_for"]


class Ops(Protocol):
    """The operations a formula may use beyond ``+ - * / **``."""

    @property
    def name(self) -> str: ...
    @property
    def inf(self) -> Any: ...

    def maximum(self, a: Any, b: Any) -> Any: ...
    def minimum(self, a: Any, b: Any) -> Any: ...
    def sqrt(self, x: Any) -> Any: ...
    def sqrt_sq_minus(self, x: Any, u: Any, v: Any) -> Any: ...
    def log(self, x: Any) -> Any: ...
    def where(self, cond: Any, a: Any, b: Any) -> Any: ...
    def le(self, a: Any, b: Any) -> Any: ...
    def lt(self, a: Any, b: Any) -> Any: ...
    def logical_and(self, a: Any, b: Any) -> Any: ...
    def logical_or(self, a: Any, b: Any) -> Any: ...
    def safe_div(self, a: Any, b: Any, default: Any) -> Any: ...


class _FloatOps:
    name = "float"
    inf = math.inf

    def maximum(self, a: Any, b: Any) -> Any:
        return a if a >= b else b

    def minimum(self, a: Any, b: Any) -> Any:
        return a if a <= b else b

    def sqrt(self, x: Any) -> Any:
        return math.sqrt(x) if x > 0 else 0.0

    def sqrt_sq_minus(self, x: Any, u: Any, v: Any) -> Any:
        if x <= 0:
            return self.sqrt(-(u * v))
        # x·sqrt(1 − (u/x)(v/x)): neither x² nor u·v is formed, so neither can overflow
        r = 1 - (u / x) * (v / x)
        return x * math.sqrt(r) if r > 0 else 0.0

    def log(self, x: Any) -> Any:
        return math.log(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b

    def le(self, a: Any, b: Any) -> Any:
        return a <= b

    def lt(self, a: Any, b: Any) -> Any:
        return a < b

    def logical_and(self, a: Any, b: Any) -> Any:
        return bool(a) and bool(b)

    def logical_or(self, a: Any, b: Any) -> Any:
        return bool(a) or bool(b)

    def safe_div(self, a: Any, b: Any, default: Any) -> Any:
        return a / b if b != 0 else default


class _NumpyOps:
    name = "numpy"
    inf = np.inf

    def maximum(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def minimum(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def sqrt(self, x: Any) -> Any:
        return np.sqrt(np.maximum(x, 0.0))

    def sqrt_sq_minus(self, x: Any, u: Any, v: Any) -> Any:
        x = np.asarray(x, dtype=float)
        pos = x > 0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            xs = np.where(pos, x, 1.0)
            r = 1 - (u / xs) * (v / xs)
            neg = np.sqrt(np.maximum(-(np.asarray(u) * v), 0.0))
            return np.where(pos, x * np.sqrt(np.maximum(r, 0.0)), neg)

    def log(self, x: Any) -> Any:
        return np.log(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        if isinstance(a, float) and isinstance(b, float) and (a, b) == (1.0, 0.0):
            return np.asarray(cond, dtype=np.float64)  # an indicator: a cast, not a select
        return np.where(cond, a, b)

    def le(self, a: Any, b: Any) -> Any:
        return np.less_equal(a, b)

    def lt(self, a: Any, b: Any) -> Any:
        return np.less(a, b)

    def logical_and(self, a: Any, b: Any) -> Any:
        return np.logical_and(a, b)

    def logical_or(self, a: Any, b: Any) -> Any:
        return np.logical_or(a, b)

    def safe_div(self, a: Any, b: Any, default: Any) -> Any:
        b_arr = np.asarray(b, dtype=float)
        if b_arr.ndim == 0:  # one divisor for the whole grid: no select needed
            if b_arr != 0:
                return np.divide(a, b_arr)
            return np.broadcast_to(np.asarray(default, dtype=float), np.shape(a))
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.divide(a, np.where(b_arr != 0, b_arr, 1.0))
        return np.where(b_arr != 0, out, default)


class _SympyOps:
    name = "sympy"

    @property
    def inf(self) -> Any:
        import sympy

        return sympy.oo

    def maximum(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.Max(a, b)

    def minimum(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.Min(a, b)

    def sqrt(self, x: Any) -> Any:
        import sympy

        return sympy.sqrt(sympy.Max(x, 0))

    def sqrt_sq_minus(self, x: Any, u: Any, v: Any) -> Any:
        return self.sqrt(x**2 - u * v)  # exact arithmetic: no overflow to avoid

    def log(self, x: Any) -> Any:
        import sympy

        return sympy.log(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        import sympy

        if cond is sympy.true or cond is True:
            return a
        if cond is sympy.false or cond is False:
            return b
        return sympy.Piecewise((a, cond), (b, True))

    def le(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.Le(a, b)

    def lt(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.Lt(a, b)

    def logical_and(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.And(a, b)

    def logical_or(self, a: Any, b: Any) -> Any:
        import sympy

        return sympy.Or(a, b)

    def safe_div(self, a: Any, b: Any, default: Any) -> Any:
        import sympy

        if not isinstance(b, sympy.Basic):
            return a / b if b != 0 else default
        if getattr(b, "is_zero", None) is True:
            return default
        if getattr(b, "is_zero", None) is False:
            return a / b
        return sympy.Piecewise((a / b, sympy.Ne(b, 0)), (default, True))


FLOAT: Ops = _FloatOps()
NUMPY: Ops = _NumpyOps()
SYMPY: Ops = _SympyOps()


def ops_for(*values: Any) -> Ops:
    """The backend that can evaluate formulas on *values*.

    Examples
    --------
    >>> ops_for(1.0, 2).name, ops_for(1.0, np.zeros(3)).name
    ('float', 'numpy')
    """
    if any(is_symbolic(v) for v in values):
        return SYMPY
    if any(is_array(v) for v in values):
        return NUMPY
    return FLOAT


class LocalSympyOps:
    """Sympy evaluation with every branch resolved at a numeric *point*.

    ``Max``, ``Min`` and conditionals take the branch that is active at
    *point* (a mapping of symbols to numbers), so the formulas return smooth
    closed-form expressions valid in a neighbourhood of *point*: the form in
    which a threshold equation is solved exactly.
    """

    name = "sympy-local"

    def __init__(self, point: dict[Any, float]) -> None:
        self.point = point

    @property
    def inf(self) -> Any:
        import sympy

        return sympy.oo

    def _num(self, value: Any) -> float:
        import sympy

        if isinstance(value, bool):
            return float(value)
        if isinstance(value, sympy.Basic):
            return float(value.evalf(subs=self.point))
        return float(value)

    def maximum(self, a: Any, b: Any) -> Any:
        return a if self._num(a) >= self._num(b) else b

    def minimum(self, a: Any, b: Any) -> Any:
        return a if self._num(a) <= self._num(b) else b

    def sqrt(self, x: Any) -> Any:
        import sympy

        return sympy.sqrt(x) if self._num(x) > 0 else 0

    def sqrt_sq_minus(self, x: Any, u: Any, v: Any) -> Any:
        return self.sqrt(x**2 - u * v)

    def log(self, x: Any) -> Any:
        import sympy

        return sympy.log(x)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b

    def le(self, a: Any, b: Any) -> Any:
        return self._num(a) <= self._num(b)

    def lt(self, a: Any, b: Any) -> Any:
        return self._num(a) < self._num(b)

    def logical_and(self, a: Any, b: Any) -> Any:
        return bool(a) and bool(b)

    def logical_or(self, a: Any, b: Any) -> Any:
        return bool(a) or bool(b)

    def safe_div(self, a: Any, b: Any, default: Any) -> Any:
        return a / b if self._num(b) != 0 else default
