"""All equilibria of many small bimatrix games at once, vectorised over the games.

:func:`batched_bimatrix` solves a stack of ``n_games`` bimatrix games of one
shape ``(m, n)`` with ``m, n`` in {2, 3} by support enumeration: for every
pair of supports ``(I, J)`` of equal size ``k`` it solves, for all games at
once, the two ``k x k`` indifference systems with closed-form inverses
(Cramer's rule), and keeps the pairs whose solutions are feasible.  Python
loops run over the few support pairs (at most 19, for 3x3), never over games.

The systems are those of the best-response polytopes (von Stengel 2007, in
*Algorithmic Game Theory* ch. 3), after each game's payoffs are mapped to
``[1, 2]`` by a positive affine transform (which leaves equilibria unchanged):

* ``P = {x >= 0 : B^T x <= 1}``: the candidate ``(I, J)`` solves
  ``B[I, J]^T z = 1`` with ``z`` zero outside ``I``;
* ``Q = {y >= 0 : A y <= 1}``: the candidate ``(J, I)`` solves ``A[I, J] w = 1``.

Each feasible candidate is a vertex of its polytope, and every vertex arises
this way.  A vertex with more labels (zero coordinates plus tight
constraints, counted with tolerance ``tol``) than its dimension is a mixed
strategy with more pure best responses than its support size: the game is
then **degenerate**, flagged per game.  For a nondegenerate game every
equilibrium has supports of equal size and comes from exactly one pair, so
the list is exhaustive (and equals :func:`coercion.solvers.enummixed`'s).
For a degenerate game every returned profile is still a certified
equilibrium, but equilibria with unequal supports can be missing, so
``exhaustive`` is False there.

Every returned profile is certified by a vectorised regret check on the
original payoffs: regret at most ``1e-9`` times the player's payoff range.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coercion.errors import InvalidGameError, InvalidParameterError

__all__ = ["CERTIFY_TOL", "BatchedResult", "batched_bimatrix"]

#: regret bound for a returned profile, relative to the player's payoff range
CERTIFY_TOL = 1e-9

_SIZES = (2, 3)
_DUP_TOL = 1e-9  # profiles closer than this (max abs difference) are one equilibrium

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class BatchedResult:
    """Equilibria of a stack of bimatrix games, in fixed-size arrays.

    Slot ``k < count[g]`` of game ``g`` holds an equilibrium; the other slots
    are NaN.  Within a game, equilibria are ordered by support size, then by
    the lexicographic order of the row support, then of the column support.

    Attributes
    ----------
    profiles_row : float array, shape ``(n_games, K, m)``
        Row player's mixed strategy of each equilibrium.
    profiles_col : float array, shape ``(n_games, K, n)``
        Column player's mixed strategy of each equilibrium.
    payoffs : float array, shape ``(n_games, K, 2)``
        Expected payoffs (row, column) of each equilibrium.
    count : int array, shape ``(n_games,)``
        Number of equilibria found.
    degenerate : bool array, shape ``(n_games,)``
        Some mixed strategy has more pure best responses than its support
        size (label counts with tolerance ``tol``).
    exhaustive : bool array, shape ``(n_games,)``
        ``~degenerate``: the list holds every equilibrium of the game.
    max_regret : float array, shape ``(n_games,)``
        Largest absolute regret over the returned equilibria (NaN if none).
    rejected : int array, shape ``(n_games,)``
        Feasible candidates that failed the regret certificate (never returned).
    """

    profiles_row: FloatArray
    profiles_col: FloatArray
    payoffs: FloatArray
    count: npt.NDArray[np.int64]
    degenerate: npt.NDArray[np.bool_]
    exhaustive: npt.NDArray[np.bool_]
    max_regret: FloatArray
    rejected: npt.NDArray[np.int64]

    @property
    def n_games(self) -> int:
        """Number of games in the batch."""
        return int(self.count.shape[0])

    def __len__(self) -> int:
        return self.n_games

    def equilibria(self, game: int) -> list[tuple[FloatArray, FloatArray]]:
        """The ``(row strategy, column strategy)`` pairs found for game ``game``."""
        k = int(self.count[game])
        return [(self.profiles_row[game, s], self.profiles_col[game, s]) for s in range(k)]


def _solve_ones(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Solve ``M z = 1`` for a stack ``M`` of shape ``(k, k, G)``, k in {1, 2, 3}.

    Returns ``(z, det)`` of shapes ``(k, G)`` and ``(G,)``; ``z`` is
    meaningless where ``det`` is (near) zero.
    """
    k = M.shape[0]
    if k == 1:
        det = M[0, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (1.0 / det)[None], det
    if k == 2:
        a, b, c, d = M[0, 0], M[0, 1], M[1, 0], M[1, 1]
        det = a * d - b * c
        adj = np.stack([d - b, a - c])
    else:
        r0, r1, r2 = M[0], M[1], M[2]
        c12, c20, c01 = np.cross(r1, r2, axis=0), np.cross(r2, r0, axis=0), np.cross(r0, r1, axis=0)
        det = (r0 * c12).sum(axis=0)
        adj = c12 + c20 + c01  # adj(M) @ 1: the columns of adj(M) summed
    with np.errstate(divide="ignore", invalid="ignore"):
        return adj / det, det


def _normalise(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Map each game's matrix (layout ``(m, n, G)``) affinely onto ``[1, 2]``.

    Returns the mapped matrices and each game's payoff range.
    """
    low, span = _range(M)
    safe = np.where(span > 0, span, 1.0)
    return (M - low) / safe + 1.0, span


def _range(M: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each game's lowest payoff and payoff range (layout ``(m, n, G)``)."""
    flat = M.reshape(M.shape[0] * M.shape[1], M.shape[2])  # also for G = 0
    low = flat.min(axis=0)
    return low, flat.max(axis=0) - low


def _vertex(
    C: FloatArray, S: tuple[int, ...], T: tuple[int, ...], tol: float
) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Candidate vertex of ``{z >= 0 : C z <= 1}``, ``C`` of layout ``(rows, dim, G)``.

    ``z`` is supported on ``S`` and makes rows ``T`` tight.  Returns ``z``
    restricted to ``S`` (shape ``(k, G)``), whether it is a feasible vertex,
    and its number of labels (zero coordinates plus tight rows).
    """
    dim = C.shape[1]
    cols = C[:, list(S)]  # (rows, k, G)
    zs, det = _solve_ones(cols[list(T)])
    nonsingular = np.abs(det) > 1e-14
    zs = np.where(nonsingular, zs, 0.0)
    slack = (cols * zs[None]).sum(axis=1)  # (rows, G)
    feasible = nonsingular & (zs >= -tol).all(axis=0) & (slack <= 1.0 + tol).all(axis=0)
    labels = (dim - len(S)) + (np.abs(zs) <= tol).sum(axis=0) + (slack >= 1.0 - tol).sum(axis=0)
    return zs, feasible, labels


def _check(A: object, B: object) -> tuple[FloatArray, FloatArray]:
    try:
        a = np.asarray(A, dtype=np.float64)
        b = np.asarray(B, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidGameError("batched_bimatrix: payoffs must be numbers") from None
    if a.ndim != 3 or a.shape != b.shape:
        raise InvalidGameError(
            "batched_bimatrix: A and B must both have shape (n_games, m, n); "
            f"got {a.shape} and {b.shape}"
        )
    if a.shape[1] not in _SIZES or a.shape[2] not in _SIZES:
        raise InvalidGameError(f"batched_bimatrix: m and n must be 2 or 3; got shape {a.shape[1:]}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise InvalidGameError("batched_bimatrix: payoffs must be finite")
    return a, b


def _support_pairs(m: int, n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [
        (si, sj)
        for k in range(1, min(m, n) + 1)
        for si in itertools.combinations(range(m), k)
        for sj in itertools.combinations(range(n), k)
    ]


_Block = tuple[
    FloatArray,
    FloatArray,
    FloatArray,
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
    FloatArray,
    npt.NDArray[np.int64],
]


def _solve_block(A: FloatArray, B: FloatArray, tol: float) -> _Block:
    """Solve games given in layout ``(m, n, G)`` (one contiguous G-vector per payoff)."""
    m, n, G = A.shape
    An, spanA = _normalise(A)
    Bn, spanB = _normalise(B)
    Bt = Bn.transpose(1, 0, 2)  # P = {x >= 0 : B^T x <= 1}: rows are B's columns
    pairs = _support_pairs(m, n)
    K = len(pairs)
    X = np.zeros((K, m, G))
    Y = np.zeros((K, n, G))
    ok = np.zeros((K, G), dtype=np.bool_)
    degenerate = (spanA == 0) | (spanB == 0)  # constant payoffs: every strategy a best reply
    for p, (si, sj) in enumerate(pairs):
        xs, fx, lx = _vertex(Bt, si, sj, tol)  # x on si, columns sj tight
        ys, fy, ly = _vertex(An, sj, si, tol)  # y on sj, rows si tight
        degenerate |= (fx & (lx > m)) | (fy & (ly > n))
        ok[p] = fx & fy
        xs = np.clip(xs, 0.0, None)
        ys = np.clip(ys, 0.0, None)
        with np.errstate(invalid="ignore", divide="ignore"):
            X[p, list(si)] = xs / xs.sum(axis=0)
            Y[p, list(sj)] = ys / ys.sum(axis=0)
    X = np.where(ok[:, None], X, 0.0)
    Y = np.where(ok[:, None], Y, 0.0)
    # duplicates can only occur in degenerate games: keep the first slot
    deg = np.flatnonzero(degenerate & (ok.sum(axis=0) > 1))
    if deg.size:
        Xd, Yd, okd = X[:, :, deg], Y[:, :, deg], ok[:, deg]
        for p in range(1, K):
            diff = np.maximum(
                np.abs(Xd[:p] - Xd[p]).max(axis=1), np.abs(Yd[:p] - Yd[p]).max(axis=1)
            )
            okd[p] &= ~(okd[:p] & (diff <= _DUP_TOL)).any(axis=0)
        ok[:, deg] = okd
    # certificate on the original payoffs
    Ay: FloatArray = np.sum([A[None, :, j] * Y[:, j, None] for j in range(n)], axis=0)  # (K,m,G)
    xB: FloatArray = np.sum([B[None, i, :] * X[:, i, None] for i in range(m)], axis=0)  # (K,n,G)
    u_row = (X * Ay).sum(axis=1)
    u_col = (Y * xB).sum(axis=1)
    r_row = np.maximum(Ay.max(axis=1) - u_row, 0.0)
    r_col = np.maximum(xB.max(axis=1) - u_col, 0.0)
    certified = (r_row <= CERTIFY_TOL * spanA) & (r_col <= CERTIFY_TOL * spanB)
    rejected = (ok & ~certified).sum(axis=0)
    ok &= certified
    regret = np.where(ok, np.maximum(r_row, r_col), -np.inf).max(axis=0)
    regret = np.where(np.isfinite(regret), regret, np.nan)
    # compact: equilibria to the front, in slot order; to layout (G, K, .)
    count = ok.sum(axis=0)
    g_idx, p_idx = np.nonzero(ok.T)  # sorted by game, then slot
    slot = np.arange(g_idx.size) - (np.cumsum(count) - count)[g_idx]
    Xo = np.full((G, K, m), np.nan)
    Yo = np.full((G, K, n), np.nan)
    pay = np.full((G, K, 2), np.nan)
    Xo[g_idx, slot] = X[p_idx, :, g_idx]
    Yo[g_idx, slot] = Y[p_idx, :, g_idx]
    pay[g_idx, slot, 0] = u_row[p_idx, g_idx]
    pay[g_idx, slot, 1] = u_col[p_idx, g_idx]
    return Xo, Yo, pay, count, degenerate, regret, rejected


#: a 2x2 game goes through the closed-form path when every best-reply gap is at least this
#: fraction of the player's payoff range (then it is certainly nondegenerate)
_CLEAR_GAP = 1e-9


def _clear_2x2(A: FloatArray, B: FloatArray) -> npt.NDArray[np.bool_]:
    """Games (layout ``(2, 2, G)``) with no near-tie between two pure replies to a pure strategy.

    Only a pure strategy can have more best replies than its support in a 2x2
    game, so these games are nondegenerate, with a margin that makes the
    closed-form path and the general one agree.
    """
    spanA, spanB = _range(A)[1], _range(B)[1]
    gapA = np.minimum(np.abs(A[0, 0] - A[1, 0]), np.abs(A[0, 1] - A[1, 1]))
    gapB = np.minimum(np.abs(B[0, 0] - B[0, 1]), np.abs(B[1, 0] - B[1, 1]))
    return np.asarray((gapA > _CLEAR_GAP * spanA) & (gapB > _CLEAR_GAP * spanB), dtype=np.bool_)


def _solve_2x2(
    A: FloatArray,
    B: FloatArray,
    tol: float,
    out: tuple[FloatArray, FloatArray, FloatArray] | None = None,
) -> _Block:
    """Closed forms for nondegenerate 2x2 games in layout ``(2, 2, G)`` (see :func:`_clear_2x2`).

    The pure profile ``(i, j)`` is an equilibrium iff each action is the strict best
    reply to the other; the completely mixed one makes each player indifferent:
    ``x_0 = (B_11 - B_10) / (B_00 - B_01 - B_10 + B_11)`` and
    ``y_0 = (A_11 - A_01) / (A_00 - A_01 - A_10 + A_11)``, an equilibrium iff both
    lie strictly inside ``(0, 1)``.  Slots, payoffs and the certificate are those of
    :func:`_solve_block` (same order: the four pure profiles, then the mixed one).
    *tol* is not needed: these games have no near-ties (their gaps exceed ``_CLEAR_GAP``).
    With *out*, the profiles and payoffs are written into those NaN-filled arrays of
    shapes ``(G, 5, 2)``.
    """
    G = A.shape[2]
    K = 5
    ok = np.empty((K, G), dtype=np.bool_)
    for p, (i, j) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        ok[p] = (A[i, j] > A[1 - i, j]) & (B[i, j] > B[i, 1 - j])
    with np.errstate(divide="ignore", invalid="ignore"):
        x0 = (B[1, 1] - B[1, 0]) / (B[0, 0] - B[0, 1] - B[1, 0] + B[1, 1])
        y0 = (A[1, 1] - A[0, 1]) / (A[0, 0] - A[0, 1] - A[1, 0] + A[1, 1])
    ok[4] = (x0 > 0) & (x0 < 1) & (y0 > 0) & (y0 < 1)
    x0 = np.where(ok[4], x0, 0.5)
    y0 = np.where(ok[4], y0, 0.5)
    x1, y1 = 1.0 - x0, 1.0 - y0
    # the mixed candidate's certificate (pure ones have zero regret by construction)
    Ay0 = A[0, 0] * y0 + A[0, 1] * y1
    Ay1 = A[1, 0] * y0 + A[1, 1] * y1
    xB0 = B[0, 0] * x0 + B[1, 0] * x1
    xB1 = B[0, 1] * x0 + B[1, 1] * x1
    u_row = x0 * Ay0 + x1 * Ay1
    u_col = y0 * xB0 + y1 * xB1
    r_row = np.maximum(np.maximum(Ay0, Ay1) - u_row, 0.0)
    r_col = np.maximum(np.maximum(xB0, xB1) - u_col, 0.0)
    r_mixed = np.maximum(r_row, r_col)
    certified = (r_row <= CERTIFY_TOL * _range(A)[1]) & (r_col <= CERTIFY_TOL * _range(B)[1])
    rejected = (ok[4] & ~certified).astype(np.int64)
    ok[4] &= certified
    count = ok.sum(axis=0)
    if out is None:
        Xo, Yo, pay = (np.full((G, K, 2), np.nan) for _ in range(3))
    else:
        Xo, Yo, pay = out
    slot = np.zeros(G, dtype=np.int64)
    games = np.arange(G)
    for p, (i, j) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        g = games[ok[p]]
        sl = slot[g]
        Xo[g, sl] = 0.0
        Xo[g, sl, i] = 1.0
        Yo[g, sl] = 0.0
        Yo[g, sl, j] = 1.0
        pay[g, sl, 0] = A[i, j, g]
        pay[g, sl, 1] = B[i, j, g]
        slot[g] += 1
    g = games[ok[4]]
    sl = slot[g]
    Xo[g, sl, 0], Xo[g, sl, 1] = x0[g], x1[g]
    Yo[g, sl, 0], Yo[g, sl, 1] = y0[g], y1[g]
    pay[g, sl, 0], pay[g, sl, 1] = u_row[g], u_col[g]
    regret = np.where(ok[:4].any(axis=0), 0.0, np.nan)
    regret = np.where(ok[4], np.fmax(regret, r_mixed), regret)
    degenerate = np.zeros(G, dtype=np.bool_)
    return Xo, Yo, pay, count, degenerate, regret, rejected


def batched_bimatrix(
    A: npt.ArrayLike, B: npt.ArrayLike, *, tol: float = 1e-12, chunk: int = 16_384
) -> BatchedResult:
    """All equilibria of a stack of small bimatrix games, vectorised.

    Parameters
    ----------
    A, B : array_like, shape ``(n_games, m, n)``
        Row and column player's payoffs; ``m`` and ``n`` are 2 or 3.
    tol : float
        Tolerance, relative to each game's payoff range, for feasibility and for
        counting labels (zero probabilities and tight best responses), which
        decides the ``degenerate`` flag.
    chunk : int
        Games solved per vectorised block (bounds the working memory).

    Returns
    -------
    BatchedResult
        Fixed-size arrays with ``K`` slots per game, ``K`` the number of
        equal-size support pairs (5 for 2x2, 9 for 2x3 and 3x2, 19 for 3x3).

    Raises
    ------
    InvalidGameError
        Shapes other than ``(n_games, m, n)`` with ``m, n`` in {2, 3}, or
        non-finite payoffs.

    Examples
    --------
    Battle of the sexes (two pure equilibria and one mixed) and matching pennies:

    >>> import numpy as np
    >>> A = np.array([[[2, 0], [0, 1]], [[1, -1], [-1, 1]]])
    >>> B = np.array([[[1, 0], [0, 2]], [[-1, 1], [1, -1]]])
    >>> r = batched_bimatrix(A, B)
    >>> r.count.tolist(), r.degenerate.tolist(), r.exhaustive.tolist()
    ([3, 1], [False, False], [True, True])
    >>> [(x.round(4).tolist(), y.round(4).tolist()) for x, y in r.equilibria(0)]
    [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([0.6667, 0.3333], [0.3333, 0.6667])]
    >>> r.equilibria(1)[0][0].tolist()
    [0.5, 0.5]

    A game with a tie is flagged degenerate; what is returned is still an equilibrium:

    >>> d = batched_bimatrix([[[1, 1], [0, 1]]], [[[1, 1], [0, 1]]])
    >>> bool(d.degenerate[0]), bool(d.exhaustive[0]), bool(d.max_regret[0] <= 1e-9)
    (True, False, True)
    """
    a, b = _check(A, B)
    if not (isinstance(tol, float | int) and 0 <= tol < 1e-3):
        raise InvalidParameterError(f"batched_bimatrix: tol must be in [0, 1e-3); got {tol!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise InvalidParameterError(
            f"batched_bimatrix: chunk must be a positive int; got {chunk!r}"
        )
    G, m, n = a.shape
    K = len(_support_pairs(m, n))
    X = np.full((G, K, m), np.nan)
    Y = np.full((G, K, n), np.nan)
    payoffs = np.full((G, K, 2), np.nan)
    count = np.zeros(G, dtype=np.int64)
    degenerate = np.zeros(G, dtype=np.bool_)
    regret = np.full(G, np.nan)
    rejected = np.zeros(G, dtype=np.int64)
    for s in range(0, G, chunk):
        e = min(G, s + chunk)
        a_blk = np.ascontiguousarray(a[s:e].transpose(1, 2, 0))
        b_blk = np.ascontiguousarray(b[s:e].transpose(1, 2, 0))
        parts: list[tuple[npt.NDArray[np.intp], Callable[[FloatArray, FloatArray, float], _Block]]]
        if (m, n) == (2, 2):
            # closed forms for clearly nondegenerate games; the rest by support enumeration
            clear = _clear_2x2(a_blk, b_blk)
            parts = [(np.flatnonzero(clear), _solve_2x2)]
            if not clear.all():
                parts.append((np.flatnonzero(~clear), _solve_block))
        else:
            parts = [(np.arange(e - s), _solve_block)]
        if (m, n) == (2, 2) and len(parts) == 1:
            # every game of the chunk is clear: write straight into the result
            block = _solve_2x2(a_blk, b_blk, float(tol), out=(X[s:e], Y[s:e], payoffs[s:e]))
            count[s:e], degenerate[s:e], regret[s:e], rejected[s:e] = block[3:]
            continue
        for idx, solver in parts:
            whole = idx.size == e - s
            block = solver(
                a_blk if whole else a_blk[:, :, idx],
                b_blk if whole else b_blk[:, :, idx],
                float(tol),
            )
            rows = slice(s, e) if whole else s + idx
            X[rows], Y[rows], payoffs[rows], count[rows] = block[:4]
            degenerate[rows], regret[rows], rejected[rows] = block[4:]
    return BatchedResult(
        profiles_row=X,
        profiles_col=Y,
        payoffs=payoffs,
        count=count,
        degenerate=degenerate,
        exhaustive=~degenerate,
        max_regret=regret,
        rejected=rejected,
    )
