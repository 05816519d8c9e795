"""All extreme Nash equilibria of a bimatrix game, in exact arithmetic.

Algorithm (vertex enumeration of the best-response polytopes; Mangasarian
1964, Avis, Rosenberg, Savani and von Stengel 2010, von Stengel 2007 in
*Algorithmic Game Theory* ch. 3).  With payoffs shifted to be positive
(equilibria are invariant), let

* ``P = {x >= 0 : B^T x <= 1}``, label ``i`` where ``x_i = 0`` and label
  ``m + j`` where ``(B^T x)_j = 1``;
* ``Q = {y >= 0 : A y <= 1}``, label ``i`` where ``(A y)_i = 1`` and label
  ``m + j`` where ``y_j = 0``.

The payoffs are read exactly (floats bit for bit) and scaled to integers, and
the vertices are found by a depth-first search over the feasible bases of each
polytope, from the origin, following every pivot the minimum-ratio test allows
(every entering variable, every tied leaving row), with fraction-free integer
(Edmonds / Bareiss) pivoting: no rounding, no Fractions until the output.
Every vertex is reached, degenerate ones included, because the simplex method
with Bland's rule, from the origin, towards an objective uniquely maximised at
any given vertex, makes only such pivots.  Vertices are identified by their
label sets; the output order is that of the textbook enumeration of every
nonsingular ``dim``-subset of the constraints (by support size, then support,
then tight rows).

The extreme equilibria are exactly the completely labelled pairs of nonzero
vertices, normalised.  This holds for degenerate games too, so the list is
**exhaustive** for every game: every extreme equilibrium is returned, and
every equilibrium is a convex combination of extreme equilibria in one
maximal Nash subset.  The game is degenerate exactly when some vertex has
more tight constraints than its dimension.

Cost grows with the number of feasible bases (the number of vertices for a
nondegenerate game; never more than ``C(m + n, m)``), one integer pivot each.
Measured with ``benchmarks/run.py`` (random uniform float games, one core,
including building the game and the exact certificates): about 5,500 games/s
at 2x2, 3,300/s at 3x3, 1,600/s at 4x4 and 200/s at 6x6, against 1,300,
340, 80 and 2.6 games/s for the former solve-every-subset Fraction
implementation.  Games beyond about 10x10 are slow in pure Python.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb, lcm
from typing import Any

from coercion.errors import GameTooLargeError, InvalidParameterError
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers._common import Deadline, check_timeout, require_bimatrix
from coercion.solvers.result import EquilibriumResult, Status

__all__ = [
    "MAX_MEMORY",
    "bytes_per_vertex",
    "enummixed",
    "extreme_equilibria",
    "is_degenerate",
    "vertex_bound",
]

#: Default memory bound of :func:`enummixed` (bytes, 1 GiB): a game whose worst case
#: (:func:`vertex_bound` times :func:`bytes_per_vertex`) exceeds it is refused
#: before the work starts.
MAX_MEMORY = 2**30

Vertex = tuple[tuple[int, ...], int]  # (point numerators over a common denominator, labels)
IntMatrix = list[list[int]]


def _pivot(tableau: IntMatrix, r: int, c: int, det: int) -> IntMatrix:
    """Fraction-free (Edmonds / Bareiss) pivot of a dictionary on row ``r``, column ``c``.

    Parameters
    ----------
    tableau : list of list of int
        Rows: basic variables; columns: nonbasic variables, then the right-hand
        side.  The true dictionary is ``tableau / det``.
    r, c : int
        Pivot row and column (``tableau[r][c] > 0``).
    det : int
        Current common denominator (positive).

    Returns
    -------
    list of list of int
        The dictionary after the entering variable (column ``c``) and the
        leaving variable (row ``r``) swap places, over the new denominator
        ``tableau[r][c]``.  Every entry is a minor of the initial integer
        tableau, so each division by ``det`` is exact.
    """
    prow = tableau[r]
    p = prow[c]
    out = []
    for i, row in enumerate(tableau):
        if i == r:
            new = prow.copy()
            new[c] = det
        else:
            f = row[c]
            if f == 0:
                new = row.copy() if p == det else [a * p // det for a in row]
            else:
                new = [(a * p - f * b) // det for a, b in zip(row, prow, strict=True)]
                new[c] = -f
        out.append(new)
    return out


def _independent_rows(C: IntMatrix, rows: list[int], cols: tuple[int, ...]) -> tuple[int, ...]:
    """Lexicographically first maximal independent subset of ``rows`` of ``C[:, cols]``.

    Greedy in increasing row order (a basis of a linear matroid, hence the
    lexicographically smallest one), by exact Fraction elimination.
    """
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot position, reduced row)
    chosen = []
    for j in rows:
        vec = [Fraction(C[j][k]) for k in cols]
        for pc, brow in basis:
            if vec[pc]:
                f = vec[pc] / brow[pc]
                vec = [a - f * b for a, b in zip(vec, brow, strict=True)]
        pc = next((i for i, v in enumerate(vec) if v), -1)
        if pc >= 0:
            basis.append((pc, vec))
            chosen.append(j)
            if len(chosen) == len(cols):
                break
    return tuple(chosen)


def _order_key(
    C: IntMatrix, point: tuple[int, ...], zero: int
) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """Position of a vertex in the ``dim``-subset enumeration order.

    That enumeration (support size ``t``, then ``t``-subsets of coordinates,
    then ``t``-subsets of rows, each in lexicographic order) first meets a
    vertex at its true support, with the lexicographically first nonsingular
    set of tight rows; a nondegenerate vertex has exactly ``t`` tight rows.
    """
    dim = len(point)
    support = tuple(k for k in range(dim) if point[k])
    tight = [j for j in range(len(C)) if zero >> (dim + j) & 1]
    if len(tight) > len(support):
        return len(support), support, _independent_rows(C, tight, support)
    return len(support), support, tuple(tight)


class _VertexSearch:
    """Depth-first search for the vertices of ``{z >= 0 : C z <= 1}``, one basis per step.

    Parameters
    ----------
    C : list of list of int
        Positive integer matrix (so the polytope is bounded).
    zero_label, row_label : int
        Coordinate ``k`` being zero carries label ``zero_label + k``; row ``j``
        of ``C`` being tight carries label ``row_label + j``.

    Notes
    -----
    A depth-first search over the feasible bases of ``C z + s = 1``,
    ``z, s >= 0``, from the slack basis (the origin), following every pivot
    the minimum-ratio test allows (every entering column, every tied leaving
    row), in exact integer arithmetic.  It reaches every vertex, degenerate
    polytopes included: for any vertex ``v``, the simplex method with Bland's
    rule from the origin, for an objective uniquely maximised at ``v``, makes
    only such pivots and stops at a basis of ``v``.  Labels are read from the
    values (every variable at zero), so any one basis of a vertex gives all of
    its labels; vertices are told apart by their label sets (a vertex is the
    only point of the polytope with its set of tight constraints).

    :meth:`step` expands one basis, so a caller can interleave two searches
    and stop at a time budget with the vertices found so far.  A pushed basis
    keeps a reference to its parent's tableau and the pivot, and is pivoted
    only when expanded (siblings share one tableau).
    """

    __slots__ = (
        "C",
        "all_vars",
        "dim",
        "found",
        "n_vars",
        "row_label",
        "seen",
        "stack",
        "zero_label",
    )

    def __init__(self, C: IntMatrix, zero_label: int, row_label: int) -> None:
        k_rows, dim = len(C), len(C[0])
        self.C = C
        self.dim = dim
        self.zero_label = zero_label
        self.row_label = row_label
        self.n_vars = dim + k_rows  # variables: z_0 .. z_{dim-1}, then the slacks
        # dictionary at the origin: basic slacks, nonbasic z, right-hand side 1
        tableau = [[*row, 1] for row in C]
        self.all_vars = (1 << self.n_vars) - 1
        start = self.all_vars ^ ((1 << dim) - 1)  # mask of the basic variables
        self.seen = {start}
        # (basis mask, basis, nonbasic, tableau, det, pending pivot (row, col) or None)
        self.stack: list[tuple[int, list[int], list[int], IntMatrix, int, tuple[int, int] | None]]
        self.stack = [(start, list(range(dim, self.n_vars)), list(range(dim)), tableau, 1, None)]
        self.found: dict[int, tuple[int, ...]] = {}  # variables at zero -> point numerators

    @property
    def done(self) -> bool:
        """True when every feasible basis has been expanded."""
        return not self.stack

    def step(self) -> None:
        """Expand one basis: record its vertex, push its unseen neighbours."""
        dim = self.dim
        bmask, basis, nonbasic, tableau, det, pivot = self.stack.pop()
        if pivot is not None:
            r, c = pivot
            tableau, det = _pivot(tableau, r, c, det), tableau[r][c]
        zero = self.all_vars ^ bmask
        for r, v in enumerate(basis):
            if tableau[r][dim] == 0:
                zero |= 1 << v
        if zero not in self.found:
            values = [0] * dim
            for r, v in enumerate(basis):
                if v < dim:
                    values[v] = tableau[r][dim]
            self.found[zero] = tuple(values)
        seen = self.seen
        for c in range(dim):
            # minimum-ratio test on column c, all tied rows
            best: list[int] = []
            bn = bd = 0
            for r, row in enumerate(tableau):
                a = row[c]
                if a > 0:
                    b = row[dim]
                    if not best:
                        best, bn, bd = [r], b, a
                    else:
                        lhs, cur = b * bd, bn * a
                        if lhs < cur:
                            best, bn, bd = [r], b, a
                        elif lhs == cur:
                            best.append(r)
            enter = nonbasic[c]
            for r in best:
                leave = basis[r]
                nmask = bmask ^ (1 << leave) ^ (1 << enter)
                if nmask in seen:
                    continue
                seen.add(nmask)
                nbasis = basis.copy()
                nbasis[r] = enter
                nnonbasic = nonbasic.copy()
                nnonbasic[c] = leave
                self.stack.append((nmask, nbasis, nnonbasic, tableau, det, (r, c)))

    def vertices(self) -> list[Vertex]:
        """The vertices found so far with their label bitmasks.

        Each vertex as integer numerators over a common positive denominator
        (the denominator itself is not needed: equilibria are normalised) and
        its label bitmask, in the order of the ``dim``-subset enumeration
        (:func:`_order_key`).
        """
        dim = self.dim
        keyed = []
        for zero, point in self.found.items():
            labels = 0
            for v in range(self.n_vars):
                if zero >> v & 1:
                    labels |= 1 << (self.zero_label + v if v < dim else self.row_label + v - dim)
            keyed.append((_order_key(self.C, point, zero), point, labels))
        keyed.sort(key=lambda item: item[0])
        return [(point, labels) for _, point, labels in keyed]


def _vertices(C: IntMatrix, zero_label: int, row_label: int) -> list[Vertex]:
    """Every vertex of ``{z >= 0 : C z <= 1}`` with its labels (see :class:`_VertexSearch`)."""
    search = _VertexSearch(C, zero_label, row_label)
    while not search.done:
        search.step()
    return search.vertices()


def _integer_payoffs(game: NormalFormGame) -> list[tuple[IntMatrix, int]]:
    """Each player's payoff matrix as ``(integers, denominator)``, exactly.

    Floats are read bit for bit (as :meth:`NormalFormGame.exact` does), so
    ``integers / denominator`` equals the exact payoffs.
    """
    out = []
    exact: Any = game.exact_payoffs
    for i in range(2):
        if exact is None:
            floats = game.payoffs[i].tolist()
            ratios = [[float(v).as_integer_ratio() for v in row] for row in floats]
        else:
            ratios = [[(v.numerator, v.denominator) for v in row] for row in exact[i]]
        denom = lcm(*(d for row in ratios for _, d in row))
        out.append(([[p * (denom // d) for p, d in row] for row in ratios], denom))
    return out


def _shifted(M: IntMatrix) -> IntMatrix:
    """``M`` shifted to have minimum entry 1."""
    low = min(map(min, M))
    return [[v - low + 1 for v in row] for row in M]


def _searches(
    game: NormalFormGame, ints: list[tuple[IntMatrix, int]] | None = None
) -> tuple[_VertexSearch, _VertexSearch]:
    if ints is None:
        ints = _integer_payoffs(game)
    # shifted to be >= 1 (same equilibria, bounded polytopes)
    A, B = (_shifted(M) for M, _ in ints)
    m, n = game.shape
    Bt = [[B[i][j] for i in range(m)] for j in range(n)]
    # P: x in R^m, x_i = 0 -> label i, (B^T x)_j = 1 -> label m + j
    # Q: y in R^n, (A y)_i = 1 -> label i, y_j = 0 -> label m + j
    return _VertexSearch(Bt, zero_label=0, row_label=m), _VertexSearch(A, zero_label=m, row_label=0)


def _polytope_vertices(
    game: NormalFormGame, ints: list[tuple[IntMatrix, int]] | None = None
) -> tuple[list[Vertex], list[Vertex]]:
    P, Q = _searches(game, ints)
    for search in (P, Q):
        while not search.done:
            search.step()
    return P.vertices(), Q.vertices()


def _is_degenerate(P: list[Vertex], Q: list[Vertex], m: int, n: int) -> bool:
    return any(lab.bit_count() > m for _, lab in P) or any(lab.bit_count() > n for _, lab in Q)


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
    return _is_degenerate(P, Q, *game.shape)


def _max_vertices(d: int, k: int) -> int:
    """McMullen's upper bound on the vertices of a ``d``-polytope with ``k`` facets.

    The number of facets of the cyclic polytope ``C(k, d)`` (its dual is
    the simple polytope with the most vertices):
    ``C(k - ceil(d/2), floor(d/2)) + C(k - floor(d/2) - 1, ceil(d/2) - 1)``.
    """
    if k <= d:
        return 1
    lo, hi = d // 2, (d + 1) // 2
    return comb(k - hi, lo) + comb(k - lo - 1, hi - 1)


def vertex_bound(m: int, n: int) -> int:
    """Upper bound on the vertices :func:`enummixed` visits for an ``m`` x ``n`` game.

    The best-response polytopes are an ``m``- and an ``n``-dimensional
    polytope with at most ``m + n`` facets each; McMullen's upper bound
    theorem bounds their vertices (every vertex of a nondegenerate game is
    one basis; degenerate vertices can have several).  Used by the size rule
    of ``solve(..., method="auto")`` and the memory check of :func:`enummixed`.

    Examples
    --------
    >>> vertex_bound(2, 2), vertex_bound(10, 10), vertex_bound(12, 12), vertex_bound(14, 14)
    (8, 8008, 49504, 310080)
    """
    return _max_vertices(m, m + n) + _max_vertices(n, m + n)


def bytes_per_vertex(m: int, n: int) -> int:
    """Memory estimate per stored vertex (or basis) of :func:`enummixed`, in bytes.

    ``1024 + 64 (m + n)``: measured with :mod:`tracemalloc` at 1.3–1.7 KB
    per vertex on random 10x10 to 2x100 games (peak of the whole run).
    """
    return 1024 + 64 * (m + n)


def _check_memory(game: NormalFormGame, max_memory: int | None, where: str) -> None:
    if max_memory is None:
        return
    m, n = game.shape
    bound = vertex_bound(m, n)
    need = bound * bytes_per_vertex(m, n)
    if need > max_memory:
        raise GameTooLargeError(
            f"{where}: a {m}x{n} game may have up to {bound:.3g} vertices of its best-response "
            f"polytopes (about {_human_bytes(need)}), above the memory bound of "
            f"{_human_bytes(max_memory)}; use solve(game) or method='lemke_howson' for some "
            "equilibria, or raise max_memory= (None for no bound)"
        )


def _human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} TiB"  # pragma: no cover


def _pairs(
    P: list[Vertex], Q: list[Vertex], m: int, n: int, deadline: Deadline
) -> tuple[list[MixedProfile], bool]:
    """Completely labelled pairs of nonzero vertices, normalised; and whether all were paired.

    A nondegenerate vertex of ``P`` (``m`` labels) pairs only with the
    vertex of ``Q`` carrying exactly the missing labels or with a degenerate
    vertex of ``Q`` (more than ``n`` labels) covering them, so it is looked up
    in a dictionary; degenerate vertices of ``P`` scan ``Q``.  The order is
    that of the nested loop over ``P`` then ``Q``.
    """
    full = (1 << (m + n)) - 1
    nonzero_q = [k for k, (y, _) in enumerate(Q) if any(y)]
    by_labels = {Q[k][1]: k for k in nonzero_q if Q[k][1].bit_count() == n}
    degenerate_q = [k for k in nonzero_q if Q[k][1].bit_count() > n]
    equilibria: list[MixedProfile] = []
    for x, lx in P:
        if deadline.expired():
            return equilibria, False
        sx = sum(x)
        if not sx:
            continue
        need = full & ~lx
        if lx.bit_count() > m:
            matches = [k for k in nonzero_q if Q[k][1] & need == need]
        else:
            matches = [k for k in degenerate_q if Q[k][1] & need == need]
            if need in by_labels:
                matches.append(by_labels[need])
                matches.sort()
        if not matches:
            continue
        ex = [Fraction(v, sx) for v in x]
        for k in matches:
            y = Q[k][0]
            sy = sum(y)
            equilibria.append(MixedProfile.from_exact([ex, [Fraction(v, sy) for v in y]]))
    return equilibria, True


def _extreme_equilibria(
    game: NormalFormGame,
    ints: list[tuple[IntMatrix, int]],
    deadline: Deadline | None = None,
    max_memory: int | None = None,
) -> tuple[list[MixedProfile], bool, bool]:
    """Extreme equilibria, degeneracy, and whether the enumeration completed.

    The two vertex searches are interleaved one basis at a time, so a
    search stopped by *deadline* still pairs the vertices both found.
    """
    if deadline is None:
        deadline = Deadline(None)
    m, n = game.shape
    searches = _searches(game, ints)
    per_basis = bytes_per_vertex(m, n)
    complete = True
    while not all(s.done for s in searches):
        for s in searches:
            if not s.done:
                s.step()
        if deadline.expired():
            complete = False
            break
        if max_memory is not None:
            stored = sum(len(s.seen) for s in searches) * per_basis
            if stored > max_memory:  # degenerate games: more bases than the vertex bound
                raise GameTooLargeError(
                    f"enummixed: stopped after {sum(len(s.seen) for s in searches)} bases of the "
                    f"best-response polytopes of this degenerate {m}x{n} game (about "
                    f"{_human_bytes(stored)}), above the memory bound of "
                    f"{_human_bytes(max_memory)}; raise max_memory= (None for no bound)"
                )
    P, Q = (s.vertices() for s in searches)
    equilibria, paired = _pairs(P, Q, m, n, deadline)
    return equilibria, _is_degenerate(P, Q, m, n), complete and paired


def extreme_equilibria(game: NormalFormGame) -> tuple[list[MixedProfile], bool]:
    """Every extreme equilibrium (exact) and whether the game is degenerate."""
    require_bimatrix(game, "extreme_equilibria")
    equilibria, degenerate, _ = _extreme_equilibria(game, _integer_payoffs(game))
    return equilibria, degenerate


def _certificate(
    ints: list[tuple[IntMatrix, int]], profile: MixedProfile
) -> tuple[float, tuple[float, float]]:
    """Exact maximal regret and expected payoffs of an exact profile.

    The same numbers as :func:`~coercion.solvers.certificates.max_regret` and
    :func:`~coercion.solvers.certificates.expected_payoffs` (exact rationals
    rounded once to float), computed from the original payoffs in integers.
    """
    assert profile.exact is not None
    nums = []
    for strategy in profile.exact:
        d = lcm(*(p.denominator for p in strategy))
        nums.append(([p.numerator * (d // p.denominator) for p in strategy], d))
    (nx, dx), (ny, dy) = nums
    (A, da), (B, db) = ints
    # row player: values (A y)_i * da * dy; column player: (x^T B)_j * db * dx
    vals_a = [sum(a * q for a, q in zip(row, ny, strict=True)) for row in A]
    vals_b = [sum(B[i][j] * nx[i] for i in range(len(nx))) for j in range(len(ny))]
    own_a = sum(p * v for p, v in zip(nx, vals_a, strict=True))  # * da * dx * dy
    own_b = sum(q * w for q, w in zip(ny, vals_b, strict=True))  # * db * dx * dy
    scale_a, scale_b = da * dx * dy, db * dx * dy
    regret = max(
        float(Fraction(max(vals_a) * dx - own_a, scale_a)),
        float(Fraction(max(vals_b) * dy - own_b, scale_b)),
    )
    return regret, (float(Fraction(own_a, scale_a)), float(Fraction(own_b, scale_b)))


def enummixed(
    game: NormalFormGame, *, timeout: float | None = None, max_memory: int | None = MAX_MEMORY
) -> EquilibriumResult:
    """All extreme Nash equilibria of a two-player game, exactly.

    Exhaustive for every game, degenerate ones included; each equilibrium is
    rational and certified with exact regret 0.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    timeout : float or None, optional
        Time budget in seconds (default ``None``: no limit; :func:`solve`
        passes its own default of 30 s).  The clock is checked between bases
        of the vertex search and between vertices when pairing; when it runs
        out the equilibria among the vertices found so far are returned with
        ``status=TIMEOUT`` and ``exhaustive=False``.
    max_memory : int or None, optional
        Memory bound in bytes (default :data:`MAX_MEMORY`, 1 GiB; ``None``: no
        bound).  A game whose worst case, :func:`vertex_bound` times
        :func:`bytes_per_vertex`, exceeds it is refused before any work
        (e.g. 15x15 and larger square games by default).

    Raises
    ------
    GameTooLargeError
        When the worst case does not fit *max_memory* (before the search), or
        when a degenerate game's bases outgrow it (during the search).
    InvalidParameterError
        For a timeout that is not a positive number or ``None``, or a
        *max_memory* that is not a positive integer or ``None``.

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
    budget = check_timeout(timeout, "enummixed")
    if max_memory is not None and (
        isinstance(max_memory, bool) or not isinstance(max_memory, int) or max_memory <= 0
    ):
        raise InvalidParameterError(
            f"enummixed: max_memory must be a positive number of bytes or None; got {max_memory!r}"
        )
    _check_memory(game, max_memory, "enummixed")
    deadline = Deadline(budget)
    ints = _integer_payoffs(game)
    equilibria, degenerate, complete = _extreme_equilibria(game, ints, deadline, max_memory)
    # certificates: exact regret and payoffs from the original payoffs
    certificates = [_certificate(ints, eq) for eq in equilibria]
    regrets = [regret for regret, _ in certificates]
    payoffs = tuple(values for _, values in certificates)
    if complete:
        status = Status.SUCCESS
        message = f"found all {len(equilibria)} extreme equilibria" + (
            " (degenerate game: equilibria may form connected sets)" if degenerate else ""
        )
    else:
        status = Status.TIMEOUT
        message = (
            f"stopped at the time budget of {budget:g} s with {len(equilibria)} extreme "
            f"equilibri{'um' if len(equilibria) == 1 else 'a'} found so far (not all); raise "
            "timeout= (seconds, or None for no limit) to enumerate all"
        )
    return EquilibriumResult(
        game=game,
        method="enummixed",
        equilibria=tuple(equilibria),
        payoffs=payoffs,
        exhaustive=complete,
        kind="extreme",
        status=status,
        message=message,
        max_regret=max(regrets) if regrets else float("nan"),
        degenerate=degenerate if complete or degenerate else None,
        parameters={} if budget is None else {"timeout": budget},
    )
