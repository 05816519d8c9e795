"""Exact (rational) tableau arithmetic shared by the pivoting solvers (not public)."""

from __future__ import annotations

from fractions import Fraction

__all__ = ["pivot_in_place"]


def pivot_in_place(rows: list[list[Fraction]], r: int, col: int) -> None:
    """Gauss–Jordan pivot on entry ``(r, col)``: scale row *r* to a unit pivot, clear the column.

    Examples
    --------
    >>> rows = [[Fraction(2), Fraction(4)], [Fraction(1), Fraction(3)]]
    >>> pivot_in_place(rows, 0, 0)
    >>> [[str(v) for v in row] for row in rows]
    [['1', '2'], ['0', '1']]
    """
    inv = 1 / rows[r][col]
    pivot_row = [v * inv for v in rows[r]]
    rows[r] = pivot_row
    for k, row in enumerate(rows):
        f = row[col]
        if k != r and f != 0:
            rows[k] = [a - f * b for a, b in zip(row, pivot_row, strict=True)]
