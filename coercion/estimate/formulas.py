"""Utility formulas over data columns: checked, then handed to formulaic.

A utility is a linear index ``X β`` of covariates.  Its right-hand side is
written as in R or formulaic (``"sqrt(senderecondep) + contig - 1"``), parsed
by `formulaic <https://matthewwardrop.github.io/formulaic/>`_, and checked
against a whitelist *before* anything is evaluated: every factor must be a
data column, a whitelisted transform of columns (``sqrt``, ``log``, ``log1p``,
``exp``, ``abs``) or ``I(...)`` arithmetic on columns and numbers.  Nothing
the user writes reaches Python's ``eval``: an expression that is not on the
whitelist is refused with the column or function it names.

Factors (string or categorical columns) are coded with treatment contrasts
against a baseline level (the first in sorted order unless the spec names
one), and named as R names them (``regime1dem``); the intercept is
``(Intercept)``.  A formula with no terms (``"0"`` or ``"-1"``) fixes the
utility at 0.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from coercion.errors import InvalidParameterError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Design", "FormulaTerms", "design_matrix", "parse_formula"]

#: transforms a formula may apply to columns (name -> numpy function)
TRANSFORMS: dict[str, Any] = {
    "sqrt": np.sqrt,
    "log": np.log,
    "log1p": np.log1p,
    "exp": np.exp,
    "abs": np.abs,
}
_ARITH = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)


def _formulaic() -> Any:
    try:
        import formulaic
    except ImportError as exc:  # pragma: no cover - formulaic is a dependency
        raise MissingDependencyError(
            "estimation formulas need formulaic: pip install formulaic"
        ) from exc
    return formulaic


@dataclass(frozen=True)
class FormulaTerms:
    """A checked right-hand side: the formula text and the columns it reads."""

    text: str
    columns: tuple[str, ...]
    n_terms: int

    @property
    def is_zero(self) -> bool:
        """True when the formula has no terms (the utility is fixed at 0)."""
        return self.n_terms == 0


def _no_column(where: str, name: str, columns: set[str], expr: str | None = None) -> Exception:
    close = difflib.get_close_matches(name, sorted(columns), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    inside = f" (in the term {expr!r})" if expr is not None and expr != name else ""
    return InvalidParameterError(f"{where}: no data column named {name!r}{inside}{hint}")


def _check_expr(expr: str, where: str, columns: set[str], used: dict[str, None]) -> None:
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise InvalidParameterError(f"{where}: cannot read the term {expr!r}") from None

    def visit(node: ast.AST, inside_i: bool) -> None:
        if isinstance(node, ast.Name):
            if node.id not in columns:
                raise _no_column(where, node.id, columns, expr)
            used.setdefault(node.id, None)
            return
        if isinstance(node, ast.Constant) and inside_i:
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise InvalidParameterError(f"{where}: only numbers may appear in {expr!r}")
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            name = node.func.id
            if name == "I" and len(node.args) == 1:
                visit(node.args[0], True)
                return
            if name in TRANSFORMS and len(node.args) == 1:
                visit(node.args[0], inside_i)
                return
            raise InvalidParameterError(
                f"{where}: unknown function {name!r} in {expr!r}; allowed: "
                f"{', '.join(sorted(TRANSFORMS))} and I(...)"
            )
        if inside_i and isinstance(node, ast.BinOp) and isinstance(node.op, _ARITH):
            visit(node.left, True)
            visit(node.right, True)
            return
        if inside_i and isinstance(node, ast.UnaryOp) and isinstance(node.op, _ARITH):
            visit(node.operand, True)
            return
        raise InvalidParameterError(
            f"{where}: the term {expr!r} is not a column, a transform "
            f"({', '.join(sorted(TRANSFORMS))}) of columns, or I(arithmetic)"
        )

    visit(tree.body, False)


def parse_formula(text: str, columns: Iterable[str], where: str = "formula") -> FormulaTerms:
    """Parse and check a right-hand side against the data's *columns*.

    Parameters
    ----------
    text : str
        The formula's right-hand side, e.g. ``"sqrt(x) + z - 1"``.
    columns : iterable of str
        The data columns a term may name.
    where : str
        What to call the formula in error messages (e.g. ``"utility A:SQ"``).

    Returns
    -------
    FormulaTerms

    Raises
    ------
    InvalidParameterError
        On a syntax error, an unknown column or function, or any expression
        outside the whitelist (nothing is evaluated before this check).

    Examples
    --------
    >>> parse_formula("sqrt(x) + z - 1", ["x", "z"]).columns
    ('x', 'z')
    >>> parse_formula("0", ["x"]).is_zero
    True
    >>> parse_formula("os.system(1)", ["x"])
    Traceback (most recent call last):
    ...
    coercion.errors.InvalidParameterError: formula: the term 'os.system(1)' is not a column, ...
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidParameterError(f"{where}: must be a formula string; got {text!r}")
    if "~" in text:
        raise InvalidParameterError(
            f"{where}: give only the right-hand side (no '~'); got {text!r}"
        )
    formulaic = _formulaic()
    try:
        formula = formulaic.Formula(text)
    except Exception as exc:  # formulaic raises several types for bad syntax
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidParameterError(f"{where}: cannot parse {text!r}: {first}") from None
    cols = set(columns)
    used: dict[str, None] = {}
    n_terms = 0
    for term in formula:
        n_terms += 1
        for factor in term.factors:
            method = factor.eval_method.value
            expr = str(factor.expr)
            if method == "literal":
                if expr != "1":
                    raise InvalidParameterError(
                        f"{where}: a number can only stand as the intercept '1'; got {expr!r}"
                    )
            elif method == "lookup":
                if expr not in cols:
                    raise _no_column(where, expr, cols)
                used.setdefault(expr, None)
            else:
                _check_expr(expr, where, cols, used)
    return FormulaTerms(text=text, columns=tuple(used), n_terms=n_terms)


@dataclass(frozen=True)
class Design:
    """A design matrix with R-style column names."""

    matrix: np.ndarray
    names: tuple[str, ...]


_LEVEL = re.compile(r"\[T\.([^\]]*)\]")


def _r_name(name: str) -> str:
    if name == "Intercept":
        return "(Intercept)"
    return _LEVEL.sub(lambda m: m.group(1), name)


def design_matrix(terms: FormulaTerms, frame: pd.DataFrame, where: str = "formula") -> Design:
    """Evaluate checked *terms* on *frame* (already cleaned of missing values).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": [1.0, 4.0, 9.0], "g": pd.Categorical(["a", "b", "a"])})
    >>> d = design_matrix(parse_formula("sqrt(x) + g", frame.columns), frame)
    >>> d.names
    ('(Intercept)', 'sqrt(x)', 'gb')
    >>> d.matrix[:, 1].tolist()
    [1.0, 2.0, 3.0]
    """
    n = len(frame)
    if terms.is_zero:
        return Design(np.zeros((n, 0)), ())
    formulaic = _formulaic()
    context: Mapping[str, Any] = {**TRANSFORMS, "I": lambda v: v}
    try:
        mm = formulaic.model_matrix(
            terms.text, frame[list(terms.columns)], context=dict(context), na_action="ignore"
        )
    except InvalidParameterError:
        raise
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidParameterError(f"{where}: cannot evaluate {terms.text!r}: {first}") from None
    names = tuple(_r_name(str(c)) for c in mm.columns)
    matrix = np.asarray(mm.to_numpy(dtype=float), dtype=float)
    if matrix.shape != (n, len(names)):
        raise InvalidParameterError(
            f"{where}: {terms.text!r} gave {matrix.shape[0]} rows for {n} data rows"
        )
    bad = ~np.isfinite(matrix)
    if bad.any():
        rows = int(bad.any(axis=1).sum())
        col = names[int(np.nonzero(bad.any(axis=0))[0][0])]
        raise InvalidParameterError(
            f"{where}: the term {col!r} is not finite in {rows} row(s) "
            "(log or sqrt of a value outside its domain?)"
        )
    return Design(matrix, names)
