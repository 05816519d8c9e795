"""All extreme Nash equilibria of a bimatrix game, in exact arithmetic.

Algorithm (vertex enumeration of the best-response polytopes; Mangasarian
1964, Avis, Rosenberg, Savani and von Stengel 2010, von Stengel 2007 in
*Algorithmic Game Theory* ch. 3).  With payoffs shifted to be positive
(equilibria are invariant), let

* ``P = {x >= 0 : B^T x <= 1}``, label ``i`` where ``x_i = 0`` and label
  ``m + j`` where ``(B^T x)_j = 1``;
* ``Q = {y >= 0 : A y <= 1}``, label ``i`` where ``(A y)_i = 1`` and label
  ``m + j`` where ``y_j = 0``.

Every vertex has at least ``dim`` linearly independent tight constraints, so
solving every nonsingular ``dim``-subset of the constraints, exactly, finds
every vertex (degenerate vertices several times; duplicates are merged).
The extreme equilibria are exactly the completely labelled pairs of nonzero
vertices, normalised.  This holds for degenerate games too, so the list is
**exhaustive** for every game: every extreme equilibrium is returned, and
every equilibrium is a convex combination of extreme equilibria in one
maximal Nash subset.  The game is degenerate exactly when some vertex has
more tight constraints than its dimension.

Cost grows like ``C(m + n, m)`` exact linear solves: a 6x6 game takes a
fraction of a second; games beyond about 9x9 are slow in pure Python.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import lcm

from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import require_bimatrix
from coercion.solvers.certificates import expected_payoffs, max_regret
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["enummixed", "extreme_equilibria", "is_degenerate"]

Vertex = tuple[tuple[Fraction, ...], int]  # (point, label bitmask)


def _solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square system by Gauss–Jordan elimination; None if singular."""
    n = len(matrix)
    aug = [[*row, b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if pivot is None:
            return None
        aug[col], aug[pivot] = aug[pivot], aug[col]
        inv = 1 / aug[col][col]
        pivot_row = [v * inv for v in aug[col]]
        aug[col] = pivot_row
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], pivot_row, strict=True)]
    return [aug[r][n] for r in range(n)]


def _vertices(C: list[list[Fraction]], zero_label: int, row_label: int) -> list[Vertex]:
    """Vertices of ``{z >= 0 : C z <= 1}`` with their label bitmasks.

    Coordinate ``k`` being zero carries label ``zero_label + k``; row ``j`` of
    ``C`` being tight carries label ``row_label + j``.
    """
    k_rows, dim = len(C), len(C[0])
    found: dict[tuple[Fraction, ...], int] = {}
    one = Fraction(1)
    for t in range(min(k_rows, dim) + 1):
        for support in itertools.combinations(range(dim), t):
            for rows in itertools.combinations(range(k_rows), t):
                if t:
                    sub = [[C[j][k] for k in support] for j in rows]
                    sol = _solve_exact(sub, [one] * t)
                    if sol is None or any(v < 0 for v in sol):
                        continue
                else:
                    sol = []
                point = [Fraction(0)] * dim
                for k, v in zip(support, sol, strict=True):
                    point[k] = v
                key = tuple(point)
                if key in found:
                    continue
                labels = 0
                feasible = True
                for j in range(k_rows):
                    s = sum((C[j][k] * point[k] for k in support), Fraction(0))
                    if s > 1:
                        feasible = False
                        break
                    if s == 1:
                        labels |= 1 << (row_label + j)
                if not feasible:
                    continue
                for k in range(dim):
                    if point[k] == 0:
                        labels |= 1 << (zero_label + k)
                found[key] = labels
    return list(found.items())


def _positive_integer_payoffs(game: NormalFormGame) -> tuple[list[list[Fraction]], ...]:
    """Payoff matrices scaled to integers and shifted to be >= 1 (same equilibria)."""
    exact = game.exact()
    out = []
    for i in range(2):
        mat = exact[i]
        denom = lcm(*(v.denominator for v in mat.reshape(-1)))
        ints = [[v * denom for v in row] for row in mat]
        low = min(min(row) for row in ints)
        out.append([[Fraction(v - low + 1) for v in row] for row in ints])
    return out[0], out[1]


def _polytope_vertices(game: NormalFormGame) -> tuple[list[Vertex], list[Vertex]]:
    A, B = _positive_integer_payoffs(game)
    m, n = game.shape
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    # P: x in R^m, x_i = 0 -> label i, (B^T x)_j = 1 -> label m + j
    P = _vertices(Bt, zero_label=0, row_label=m)
    # Q: y in R^n, (A y)_i = 1 -> label i, y_j = 0 -> label m + j
    Q = _vertices(A, zero_label=m, row_label=0)
    return P, Q


def is_degenerate(game: NormalFormGame) -> bool:
    """True when some mixed strategy has more pure best responses than its support size.

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> is_degenerate(NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    False
    >>> is_degenerate(NormalFormGame.bimatrix([[1, 1], [0, 1]], [[1, 1], [0, 1]]))
    True
    """
    require_bimatrix(game, "is_degenerate")
    P, Q = _polytope_vertices(game)
    m, n = game.shape
    return any(bin(lab).count("1") > m for _, lab in P) or any(
        bin(lab).count("1") > n for _, lab in Q
    )


def extreme_equilibria(game: NormalFormGame) -> tuple[list[MixedProfile], bool]:
    """Every extreme equilibrium (exact) and whether the game is degenerate."""
    require_bimatrix(game, "extreme_equilibria")
    m, n = game.shape
    P, Q = _polytope_vertices(game)
    full = (1 << (m + n)) - 1
    degenerate = any(bin(lab).count("1") > m for _, lab in P) or any(
        bin(lab).count("1") > n for _, lab in Q
    )
    equilibria = []
    for x, lx in P:
        if not any(x):
            continue
        sx = sum(x)
        for y, ly in Q:
            if (lx | ly) != full or not any(y):
                continue
            sy = sum(y)
            equilibria.append(MixedProfile.from_exact([[v / sx for v in x], [v / sy for v in y]]))
    return equilibria, degenerate


def enummixed(game: NormalFormGame) -> EquilibriumResult:
    """All extreme Nash equilibria of a two-player game, exactly.

    Exhaustive for every game, degenerate ones included; each equilibrium is
    rational and certified with exact regret 0.

    Examples
    --------
    Battle of the sexes has two pure equilibria and one mixed:

    >>> from coercion.games import NormalFormGame
    >>> bos = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> res = enummixed(bos)
    >>> for eq in res:
    ...     print(eq)
    MixedProfile([['1', '0'], ['1', '0']])
    MixedProfile([['0', '1'], ['0', '1']])
    MixedProfile([['2/3', '1/3'], ['1/3', '2/3']])
    >>> res.exhaustive, res.degenerate
    (True, False)
    """
    require_bimatrix(game, "enummixed")
    equilibria, degenerate = extreme_equilibria(game)
    regrets = [max_regret(game, eq) for eq in equilibria]
    payoffs = tuple(expected_payoffs(game, eq) for eq in equilibria)
    return EquilibriumResult(
        game=game,
        method="enummixed",
        equilibria=tuple(equilibria),
        payoffs=payoffs,
        exhaustive=True,
        kind="extreme",
        status=Status.SUCCESS,
        message=(
            f"found all {len(equilibria)} extreme equilibria"
            + (" (degenerate game: equilibria may form connected sets)" if degenerate else "")
        ),
        max_regret=max(regrets) if regrets else float("nan"),
        degenerate=degenerate,
    )
