"""Lemke–Howson complementary pivoting in exact rational arithmetic.

Algorithm (Lemke and Howson 1964, as presented by von Stengel 2002, *Handbook
of Game Theory* vol. 3 ch. 45, and von Stengel 2007, *Algorithmic Game
Theory* ch. 3, sections 3.4–3.6).  Payoffs are shifted so every entry is at
least 1 (equilibria are invariant), and the best-response polytopes are
written with slack variables as two linear systems

* system 1: ``A y + r = 1``, ``y, r >= 0`` (``m`` rows);
* system 2: ``B^T x + s = 1``, ``x, s >= 0`` (``n`` rows).

Labels ``0, ..., m-1`` belong to ``x_i`` and ``r_i``; labels ``m, ...,
m+n-1`` to ``y_j`` and ``s_j``.  Starting from the artificial equilibrium
``(x, y) = (0, 0)`` (all slacks basic), the *dropped label* ``k`` enters its
system; from then on the variable that leaves one system has a label that is
now duplicate, and its complement (the variable with the same label in the
other system) enters the other system.  The path ends when the variable
that leaves carries label ``k``: the pair is then completely labelled and,
normalised, a Nash equilibrium.

Guarantees
----------
* **Exact**: tableaux hold :class:`fractions.Fraction` entries, so every
  returned equilibrium is rational and its regret (computed exactly) is 0.
* **Terminates on degenerate games**: the leaving variable is chosen by the
  *lexicographic* minimum-ratio test, comparing ``(rhs, columns of the
  initial slack basis) / pivot entry`` (von Stengel 2007, section 3.6).  This
  is the symbolic perturbation ``1 + (eps, eps^2, ...)`` of the right-hand
  side, under which the game is nondegenerate, so LH paths are unique and
  cannot cycle.  A ``max_iter`` cap on the pivots of each start is kept
  anyway as a safeguard (status ``ITERATION_LIMIT`` if any start hits it).
* **Not exhaustive**: LH finds one equilibrium per dropped label; even from
  every label some equilibria stay out of reach (e.g. von Stengel 2007,
  eq. 3.7: three equilibria, LH from every label finds only one).  Use
  :func:`coercion.solvers.enummixed.enummixed` for all extreme equilibria.

Unlike ``nashpy.Game.lemke_howson`` (which has no iteration cap and was
measured looping forever on some 6x6 and 10x10 games), this implementation
cannot loop and never returns an uncertified profile.

References
----------
Lemke, C. E. and Howson, J. T. (1964). Equilibrium points of bimatrix games.
*SIAM Journal on Applied Mathematics* 12, 413–423.

von Stengel, B. (2002). Computing equilibria for two-person games.
*Handbook of Game Theory with Economic Applications* vol. 3, ch. 45.

von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. *Algorithmic Game Theory*, ch. 3.
"""

from __future__ import annotations

import operator
from fractions import Fraction
from typing import Literal, SupportsIndex

from coercion.errors import InvalidParameterError
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import Deadline, certified, check_timeout, require_bimatrix
from coercion.solvers._exact import pivot_in_place
from coercion.solvers.certificates import expected_payoffs
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["lemke_howson"]


class _Tableau:
    """One linear system ``M z + w = 1`` in tableau form, with its basis.

    Columns ``0..d-1`` are the structural variables ``z``, columns
    ``d..d+k-1`` the slacks ``w`` (the initial basis), column ``d+k`` the
    right-hand side.  ``basis[row]`` is the column basic in that row.
    """

    __slots__ = ("basis", "dim", "rows", "width")

    def __init__(self, matrix: list[list[Fraction]]) -> None:
        k, d = len(matrix), len(matrix[0])
        one, zero = Fraction(1), Fraction(0)
        self.dim = d
        self.width = d + k
        self.rows = [
            [*matrix[r], *(one if c == r else zero for c in range(k)), one] for r in range(k)
        ]
        self.basis = [d + r for r in range(k)]

    def enter(self, col: int) -> int:
        """Pivot *col* into the basis; return the column that leaves.

        The leaving row is the lexicographic minimum of ``(rhs, slack
        columns) / pivot`` over rows with a positive pivot entry: the
        slack columns hold the inverse basis, so their rows are linearly
        independent and the minimum is unique.
        """
        best_row = -1
        best_key: tuple[Fraction, ...] | None = None
        for r, row in enumerate(self.rows):
            p = row[col]
            if p <= 0:
                continue
            key = (row[self.width] / p, *(row[c] / p for c in range(self.dim, self.width)))
            if best_key is None or key < best_key:
                best_row, best_key = r, key
        if best_key is None:  # pragma: no cover - impossible with payoffs >= 1
            raise ArithmeticError("lemke_howson: unbounded pivot column (payoffs not positive)")
        pivot_in_place(self.rows, best_row, col)
        leaving = self.basis[best_row]
        self.basis[best_row] = col
        return leaving

    def values(self) -> list[Fraction]:
        """Values of the structural variables in the current basic solution."""
        out = [Fraction(0)] * self.dim
        for r, col in enumerate(self.basis):
            if col < self.dim:
                out[col] = self.rows[r][self.width]
        return out


def _as_index(value: object) -> int | None:
    """*value* as a Python int if it is an integer (numpy integers too, not bool)."""
    if isinstance(value, bool) or not isinstance(value, SupportsIndex):
        return None
    return operator.index(value)


def _shifted(game: NormalFormGame) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """``(A, B)`` as Fractions, each shifted so that its smallest entry is 1."""
    exact = game.exact()
    out = []
    for i in range(2):
        low = min(Fraction(v) for v in exact[i].reshape(-1))
        out.append([[Fraction(v) - low + 1 for v in row] for row in exact[i]])
    return out[0], out[1]


def _path(
    A: list[list[Fraction]],
    B: list[list[Fraction]],
    label: int,
    max_iter: int,
    deadline: Deadline | None = None,
) -> tuple[list[list[Fraction]] | None, int]:
    """Follow the LH path for missing *label*; return the equilibrium (or None) and pivots.

    Stops early (returning ``None``) when *deadline* expires.

    System 1 (``A y + r = 1``): column ``j`` is ``y_j`` (label ``m + j``),
    column ``n + i`` is ``r_i`` (label ``i``).  System 2 (``B^T x + s = 1``):
    column ``i`` is ``x_i`` (label ``i``), column ``m + j`` is ``s_j``
    (label ``m + j``).
    """
    m, n = len(A), len(A[0])
    sys1 = _Tableau(A)
    sys2 = _Tableau([[B[i][j] for i in range(m)] for j in range(n)])

    def column(system: int, lab: int) -> int:
        if system == 1:
            return n + lab if lab < m else lab - m
        return lab

    def label_of(system: int, col: int) -> int:
        if system == 1:
            return col - n if col >= n else m + col
        return col

    entering, system = label, (2 if label < m else 1)
    pivots = 0
    while pivots < max_iter:
        if deadline is not None and deadline.expired():
            return None, pivots
        tab = sys1 if system == 1 else sys2
        leaving = label_of(system, tab.enter(column(system, entering)))
        pivots += 1
        if leaving == label:
            x, y = sys2.values(), sys1.values()
            sx, sy = sum(x), sum(y)
            if sx == 0 or sy == 0:  # pragma: no cover - excluded by LH theory
                return None, pivots
            return [[v / sx for v in x], [v / sy for v in y]], pivots
        entering, system = leaving, 3 - system
    return None, pivots


def lemke_howson(
    game: NormalFormGame,
    *,
    initial_dropped_label: int | Literal["all"] = 0,
    max_iter: int = 10_000,
    timeout: float | None = None,
) -> EquilibriumResult:
    """One Nash equilibrium per dropped label, by exact Lemke–Howson pivoting.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game with ``m`` rows and ``n`` columns.
    initial_dropped_label : int or "all", optional
        The missing label: ``0..m-1`` are the row player's actions,
        ``m..m+n-1`` the column player's.  ``"all"`` runs from every label
        and returns the distinct equilibria found (in order of first
        discovery).
    max_iter : int, optional
        Cap on the pivots of each start (default 10,000).  With the
        lexicographic ratio test the path is finite, so the cap only bounds
        running time on large games.
    timeout : float or None, optional
        Time budget in seconds for all starts together (default ``None``: no
        limit; :func:`solve` passes its default of 30 s).  Checked between
        pivots; when it runs out, the equilibria found so far are returned
        with ``status=TIMEOUT``.

    Returns
    -------
    EquilibriumResult
        ``kind="some"``, ``exhaustive=False``; equilibria are exact
        (rational) with regret exactly 0; ``iterations`` is the total number
        of pivots; ``status`` is ``TIMEOUT`` if the time budget ran out,
        ``ITERATION_LIMIT`` if any start hit the cap, else ``SUCCESS``.

    Raises
    ------
    InvalidParameterError
        For a label outside ``[0, m+n)`` (or not ``"all"``) or ``max_iter < 1``.
    UnsupportedGameError
        For a game that is not a two-player normal form.

    Examples
    --------
    Battle of the sexes: dropping label 0 (the row player's first action)
    leads to the pure equilibrium on that action; from every label, LH
    finds both pure equilibria but not the mixed one.

    >>> from coercion.games import NormalFormGame
    >>> bos = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> res = lemke_howson(bos)
    >>> res[0], res.max_regret, res.status.value
    (MixedProfile([['1', '0'], ['1', '0']]), 0.0, 'success')
    >>> [str(eq) for eq in lemke_howson(bos, initial_dropped_label="all")]
    ["MixedProfile([['1', '0'], ['1', '0']])", "MixedProfile([['0', '1'], ['0', '1']])"]

    Matching pennies has a unique (mixed) equilibrium:

    >>> mp = NormalFormGame.bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> lemke_howson(mp, initial_dropped_label=3)[0]
    MixedProfile([['1/2', '1/2'], ['1/2', '1/2']])
    """
    game = require_bimatrix(game, "lemke_howson")
    m, n = game.shape
    start = _as_index(initial_dropped_label)
    if initial_dropped_label == "all":
        labels = list(range(m + n))
    elif start is not None and 0 <= start < m + n:
        labels = [start]
    else:
        raise InvalidParameterError(
            f"lemke_howson: initial_dropped_label must be an integer in [0, {m + n}) or 'all'; "
            f"got {initial_dropped_label!r}"
        )
    cap = _as_index(max_iter)
    if cap is None or cap < 1:
        raise InvalidParameterError(
            f"lemke_howson: max_iter must be an integer >= 1; got {max_iter!r}"
        )

    budget = check_timeout(timeout, "lemke_howson")
    deadline = Deadline(budget)
    A, B = _shifted(game)
    candidates: list[MixedProfile] = []
    capped: list[int] = []
    total = 0
    done = 0
    for label in labels:
        found, pivots = _path(A, B, label, cap, deadline)
        total += pivots
        if deadline.expired():
            break
        done += 1
        if found is None:
            capped.append(label)
        else:
            candidates.append(MixedProfile.from_exact(found))
    kept, regs, rejected = certified(game, candidates, 0.0)
    payoffs = tuple(expected_payoffs(game, eq) for eq in kept)

    starts = f"label {labels[0]}" if len(labels) == 1 else f"all {len(labels)} labels"
    if done < len(labels):
        status = Status.TIMEOUT
        message = (
            f"Lemke–Howson stopped at the time budget of {budget:g} s after {done} of "
            f"{len(labels)} start(s) and {total} pivots, with {len(kept)} distinct "
            f"equilibri{'um' if len(kept) == 1 else 'a'} (a sample); raise timeout= (seconds, "
            "or None for no limit) to run every start"
        )
    elif capped:
        status = Status.ITERATION_LIMIT
        message = (
            f"Lemke–Howson from {starts} found {len(kept)} distinct equilibria in {total} "
            f"pivots, but hit the cap of {cap} pivots from label(s) {capped}"
        )
    else:
        status = Status.SUCCESS
        message = (
            f"Lemke–Howson from {starts} found {len(kept)} distinct "
            f"equilibri{'um' if len(kept) == 1 else 'a'} in {total} pivots "
            "(a sample: other equilibria may exist)"
        )
    if rejected:  # pragma: no cover - exact LH endpoints are equilibria
        message += f"; {rejected} endpoint(s) failed the exact certificate and were dropped"
    return EquilibriumResult(
        game=game,
        method="lemke_howson",
        equilibria=tuple(kept),
        payoffs=payoffs,
        exhaustive=False,
        kind="some",
        status=status,
        message=message,
        max_regret=max(regs) if regs else float("nan"),
        degenerate=None,
        rejected=rejected,
        iterations=total,
        parameters={
            "initial_dropped_label": "all" if initial_dropped_label == "all" else start,
            "max_iter": cap,
            **({} if budget is None else {"timeout": budget}),
        },
    )
