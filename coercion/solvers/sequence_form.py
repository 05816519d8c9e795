"""Sequence form of two-player trees: Lemke's algorithm (any game) and LP (zero-sum).

The sequence form (Koller, Megiddo and von Stengel 1996; von Stengel 1996)
describes a mixed strategy of a player with perfect recall by its
*realization plan*: the probability ``x[s]`` that the player's own choices
follow the sequence ``s`` (the empty sequence, or the last own
(information set, action) pair on the way to a node).  Realization plans are
the non-negative solutions of ``E x = e`` (player 1) and ``F y = f``
(player 2): the empty sequence has weight one, and at every information set
the weights of its actions sum to the weight of the sequence leading to it.
Expected payoffs are bilinear, ``x^T A y`` and ``x^T B y``, where ``A[s, t]``
sums ``chance probability * payoff`` over the leaves reached by the pair of
sequences ``(s, t)``.  The sizes are linear in the tree, unlike the reduced
normal form.

:func:`sequence_form_lcp`
    One Nash equilibrium of any two-player perfect-recall tree by Lemke's
    complementary pivoting on the sequence-form LCP, in exact rational
    arithmetic with a lexicographic ratio test (no cycling).
:func:`sequence_form_lp`
    An equilibrium and the value of a two-player zero-sum (or constant-sum)
    tree by two linear programs, solved with ``scipy.optimize.linprog`` (HiGHS).

The LCP
-------
Leaf payoffs are shifted (equilibria are unchanged) to *costs*
``Ahat = -A' > 0`` with ``A'`` the shifted payoff matrix whose leaf payoffs
are all at most ``-1``.  With ``z = (x, y, u, v) >= 0`` the LCP is
(Koller, Megiddo and von Stengel 1996, section 4)::

    w_x = Ahat y   - E^T u + d z0 >= 0,   x ⟂ w_x
    w_y = Bhat^T x - F^T v + d z0 >= 0,   y ⟂ w_y
    w_u = E x - e          + d z0 >= 0,   u ⟂ w_u
    w_v = F y - f          + d z0 >= 0,   v ⟂ w_v

(the equality constraints ``E x = e`` relaxed to ``E x >= e``, which the
positive costs make tight where it matters, and the dual prices ``u, v``
of the best-response LPs non-negative).  Lemke's algorithm starts with the
artificial ``z0`` at the smallest value that makes ``w`` feasible (covering
vector ``d = 1``), then complementary pivoting drives ``z0`` out of the basis.
The leaving variable is chosen by the lexicographic minimum-ratio test over
``(rhs, rows of the inverse basis) / pivot entry``, which is Lemke's
symbolic perturbation of ``q``: the path is unique and cannot cycle.  A
``max_iter`` cap on the pivots is kept as a safeguard.

From realization plans to behaviour
-----------------------------------
At an information set ``h`` with actions ``a``, the behaviour probability is
``x[h, a] / sum_b x[h, b]``.  Where the player's own plan never reaches
``h`` (the sum is zero) any behaviour is payoff-irrelevant for that
player's plan; the uniform distribution is returned.  The profile is then
certified on the tree itself by
:func:`coercion.solvers.certificates.behavior_regrets` (each player's
sequence-form best response by backward induction over its information
sets, linear in the tree, never the exponential reduced normal form;
exactly ``0.0`` on exact trees).

References
----------
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of
equilibria for extensive two-person games. *Games and Economic Behavior* 14,
247–259.

von Stengel, B. (1996). Efficient computation of behavior strategies.
*Games and Economic Behavior* 14, 220–246.

Lemke, C. E. (1965). Bimatrix equilibrium points and mathematical
programming. *Management Science* 11, 681–689.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, SupportsIndex

import numpy as np
import numpy.typing as npt

from coercion._numbers import to_fraction
from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.games.profiles import BehaviorProfile
from coercion.solvers._common import Deadline, check_timeout
from coercion.solvers._exact import pivot_in_place
from coercion.solvers.certificates import behavior_regrets
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["SequenceForm", "sequence_form", "sequence_form_lcp", "sequence_form_lp"]

#: A sequence: ``None`` for the empty sequence, else ``(infoset, action_index)``
#: with the information set indexed as in :attr:`GameTree.infosets`.
Sequence_ = tuple[int, int] | None


@dataclass(frozen=True, eq=False)
class SequenceForm:
    """Sequence-form matrices of a two-player perfect-recall tree.

    Attributes
    ----------
    tree : GameTree
        The tree they describe.
    sequences : tuple of (tuple of Sequence_, tuple of Sequence_)
        Per player, its sequences: index ``0`` is the empty sequence (``None``),
        then ``(infoset, action_index)`` for each of the player's information
        sets (in :attr:`GameTree.player_infosets` order) and each action.
    infoset_rows : tuple of tuple of int
        Per player, the information sets that rows ``1, 2, ...`` of its
        constraint matrix stand for (row ``0`` is the empty sequence).
    E, F : numpy.ndarray
        Constraint matrices (players 1 and 2): ``E x = e``, ``F y = f``.
    e, f : numpy.ndarray
        Right-hand sides ``(1, 0, ..., 0)``.
    A, B : numpy.ndarray
        Payoff matrices (rows: player 1's sequences, columns: player 2's),
        chance probabilities multiplied in: ``x^T A y`` is player 1's
        expected payoff under realization plans ``x, y``.
    exact : bool
        True when every entry is a :class:`~fractions.Fraction` (object
        arrays); otherwise the arrays are ``float64``.

    Examples
    --------
    Matching pennies with a hidden first move: two sequences after the empty
    one for each player.

    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal("o", (1, -1)), "t": Terminal("o", (-1, 1))},
    ...                   infoset="b"),
    ...     "t": Decision("B", {"h": Terminal("o", (-1, 1)), "t": Terminal("o", (1, -1))},
    ...                   infoset="b")}))
    >>> sf = sequence_form(t)
    >>> sf.sequences[0]
    (None, (0, 0), (0, 1))
    >>> [[int(v) for v in row] for row in sf.E]
    [[1, 0, 0], [-1, 1, 1]]
    >>> [[int(v) for v in row] for row in sf.A]
    [[0, 0, 0], [0, 1, -1], [0, -1, 1]]
    """

    tree: GameTree
    sequences: tuple[tuple[Sequence_, ...], tuple[Sequence_, ...]]
    infoset_rows: tuple[tuple[int, ...], tuple[int, ...]]
    E: npt.NDArray[Any]
    e: npt.NDArray[Any]
    F: npt.NDArray[Any]
    f: npt.NDArray[Any]
    A: npt.NDArray[Any]
    B: npt.NDArray[Any]
    exact: bool

    def sequence_label(self, player: int, index: int) -> str:
        """Readable label of a sequence: ``"∅"`` or ``"key:action"``.

        Examples
        --------
        >>> from coercion.games import GameTree, Decision, Terminal
        >>> t = GameTree(["A", "B"], Decision("A", {"l": Terminal("x", (1, 0)),
        ...                                         "r": Terminal("y", (0, 1))}, infoset="root"))
        >>> [sequence_form(t).sequence_label(0, k) for k in range(3)]
        ['∅', 'root:l', 'root:r']
        """
        seq = self.sequences[player][index]
        if seq is None:
            return "∅"
        h, a = seq
        info = self.tree.infosets[h]
        return f"{info.key or h}:{info.actions[a]}"


# --------------------------------------------------------------------------- building
def _require_two_player_perfect_recall(tree: object, where: str) -> GameTree:
    if not isinstance(tree, GameTree):
        raise UnsupportedGameError(f"{where}: needs a GameTree; got {type(tree).__name__}")
    if tree.n_players != 2:
        raise UnsupportedGameError(
            f"{where}: needs a two-player tree; got {tree.n_players} players"
        )
    tree._require_numeric(where)
    if not tree.has_perfect_recall:
        raise UnsupportedGameError(
            f"{where}: needs perfect recall (the sequence form does not represent "
            "imperfect recall); this tree has imperfect recall"
        )
    return tree


def _leaf_data(
    tree: GameTree, index: list[dict[tuple[int, int], int]], exact: bool
) -> list[tuple[int, int, Any, Any, Any]]:
    """Per leaf with positive chance weight: (seq1, seq2, chance, payoff1, payoff2)."""
    conv = to_fraction if exact else float
    one: Any = Fraction(1) if exact else 1.0
    out: list[tuple[int, int, Any, Any, Any]] = []
    stack: list[tuple[int, int, int, Any]] = [(0, 0, 0, one)]
    while stack:
        k, s1, s2, w = stack.pop()
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            out.append((s1, s2, w, conv(node.payoffs[0]), conv(node.payoffs[1])))
        elif isinstance(node, Decision):
            h = tree.node_infoset[k]
            pl = tree.infosets[h].player
            for a, c in enumerate(tree.children[k]):
                s = index[pl][(h, a)]
                stack.append((c, s if pl == 0 else s1, s if pl == 1 else s2, w))
        else:
            assert isinstance(node, Chance)
            for c, (p, _) in zip(tree.children[k], node.moves.values(), strict=True):
                q = conv(p)
                if q != 0:
                    stack.append((c, s1, s2, w * q))
    return out


def sequence_form(tree: GameTree) -> SequenceForm:
    """The sequence-form matrices of a two-player perfect-recall tree.

    Parameters
    ----------
    tree : GameTree
        A numeric two-player tree with perfect recall (chance allowed).

    Returns
    -------
    SequenceForm
        Exact (object arrays of :class:`~fractions.Fraction`) when the tree
        is exact, else ``float64`` arrays.

    Raises
    ------
    UnsupportedGameError
        For a tree that does not have two players, lacks perfect recall,
        holds a parameter grid or is symbolic.

    Examples
    --------
    The threat game with a target of unknown resolve (chance picks the type
    with probability 1/10 for "resolute"):

    >>> from fractions import Fraction as F
    >>> from coercion.games import GameTree, Decision, Chance, Terminal
    >>> def branch(c1, c2):
    ...     return Decision("C", {"threaten": Decision("T", {
    ...         "concede": Terminal("concession", (1, -1)),
    ...         "resist": Decision("C", {"impose": Terminal("escalation", (-c1, -c2)),
    ...                                  "back_down": Terminal("backs_down", (-1, 0))},
    ...                            infoset="after")}),
    ...         "no_threat": Terminal("status_quo", (0, 0))}, infoset="threat")
    >>> t = GameTree(["C", "T"], Chance({"resolute": (F(1, 10), branch(F(3, 2), F(1, 2))),
    ...                                  "irresolute": (F(9, 10), branch(F(1, 2), 2))}))
    >>> sf = sequence_form(t)
    >>> len(sf.sequences[0]), len(sf.sequences[1]), sf.E.shape, sf.F.shape
    (5, 5, (3, 5), (3, 5))
    >>> sf.A[1, 1]      # threaten, and the resolute target concedes: 1/10 * 1
    Fraction(1, 10)
    """
    tree = _require_two_player_perfect_recall(tree, "sequence_form")
    exact = tree.is_exact
    zero: Any = Fraction(0) if exact else 0.0
    one: Any = Fraction(1) if exact else 1.0

    seqs: list[list[Sequence_]] = [[None], [None]]
    index: list[dict[tuple[int, int], int]] = [{}, {}]
    for pl in range(2):
        for h in tree.player_infosets[pl]:
            for a in range(len(tree.infosets[h].actions)):
                index[pl][(h, a)] = len(seqs[pl])
                seqs[pl].append((h, a))

    constraints = []
    for pl in range(2):
        rows = tree.player_infosets[pl]
        mat = np.full((1 + len(rows), len(seqs[pl])), zero, dtype=object)
        mat[0, 0] = one
        for r, h in enumerate(rows, start=1):
            history = tree.own_history(tree.infosets[h].members[0], pl)
            parent = index[pl][history[-1]] if history else 0
            mat[r, parent] = -one
            for a in range(len(tree.infosets[h].actions)):
                mat[r, index[pl][(h, a)]] = one
        rhs = np.full(1 + len(rows), zero, dtype=object)
        rhs[0] = one
        constraints.append((mat, rhs))

    A = np.full((len(seqs[0]), len(seqs[1])), zero, dtype=object)
    B = np.full((len(seqs[0]), len(seqs[1])), zero, dtype=object)
    for s1, s2, w, u1, u2 in _leaf_data(tree, index, exact):
        A[s1, s2] += w * u1
        B[s1, s2] += w * u2

    def cast(arr: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return arr if exact else arr.astype(np.float64)

    (E, e), (F, f) = constraints
    return SequenceForm(
        tree=tree,
        sequences=(tuple(seqs[0]), tuple(seqs[1])),
        infoset_rows=(tuple(tree.player_infosets[0]), tuple(tree.player_infosets[1])),
        E=cast(E),
        e=cast(e),
        F=cast(F),
        f=cast(f),
        A=cast(A),
        B=cast(B),
        exact=exact,
    )


# --------------------------------------------------------------------------- Lemke
class _LemkeTableau:
    """``w - M z - d z0 = q`` in tableau form, with the basis.

    Columns ``0..N-1`` are ``w`` (the initial basis, so their current
    entries are the inverse basis), ``N..2N-1`` are ``z``, ``2N`` is ``z0``,
    and the last column is the right-hand side.
    """

    __slots__ = ("basis", "n", "rows")

    def __init__(self, M: list[list[Fraction]], q: list[Fraction]) -> None:
        n = len(q)
        one, zero = Fraction(1), Fraction(0)
        self.n = n
        self.rows = [
            [
                *(one if c == r else zero for c in range(n)),
                *(-v for v in M[r]),
                -one,
                q[r],
            ]
            for r in range(n)
        ]
        self.basis = list(range(n))

    def _lex_key(self, r: int, col: int) -> tuple[Fraction, ...]:
        row = self.rows[r]
        p = row[col]
        return (row[-1] / p, *(row[c] / p for c in range(self.n)))

    def pivot(self, r: int, col: int) -> int:
        """Pivot *col* into the basis at row *r*; return the column that leaves."""
        pivot_in_place(self.rows, r, col)
        leaving = self.basis[r]
        self.basis[r] = col
        return leaving

    def first_row(self) -> int | None:
        """Row where ``z0`` enters first: the lexicographically most infeasible one."""
        col = 2 * self.n
        best_row, best_key = None, None
        for r, row in enumerate(self.rows):
            if row[-1] >= 0:
                continue
            key = self._lex_key(r, col)  # pivot entry -1: key = (-q_r, -e_r)
            if best_key is None or key > best_key:
                best_row, best_key = r, key
        return best_row

    def ratio_row(self, col: int) -> int | None:
        """Leaving row by the lexicographic minimum-ratio test (None: a ray)."""
        best_row, best_key = None, None
        for r, row in enumerate(self.rows):
            if row[col] <= 0:
                continue
            key = self._lex_key(r, col)
            if best_key is None or key < best_key:
                best_row, best_key = r, key
        return best_row

    def z_values(self) -> list[Fraction]:
        out = [Fraction(0)] * self.n
        for r, c in enumerate(self.basis):
            if self.n <= c < 2 * self.n:
                out[c - self.n] = self.rows[r][-1]
        return out


def _lcp_data(sf: SequenceForm) -> tuple[list[list[Fraction]], list[Fraction]]:
    """``(M, q)`` of the sequence-form LCP with positive costs (module docstring)."""
    tree = sf.tree
    conv = to_fraction
    highs = [max(conv(n.payoffs[i]) for n in tree.nodes if isinstance(n, Terminal)) for i in (0, 1)]
    n1, n2 = len(sf.sequences[0]), len(sf.sequences[1])
    m1, m2 = sf.E.shape[0], sf.F.shape[0]
    size = n1 + n2 + m1 + m2
    index: list[dict[tuple[int, int], int]] = [
        {s: k for k, s in enumerate(sf.sequences[pl]) if s is not None} for pl in (0, 1)
    ]
    cost1 = [[Fraction(0)] * n2 for _ in range(n1)]
    cost2 = [[Fraction(0)] * n2 for _ in range(n1)]
    for s1, s2, w, u1, u2 in _leaf_data(tree, index, exact=True):
        cost1[s1][s2] += w * (highs[0] + 1 - u1)
        cost2[s1][s2] += w * (highs[1] + 1 - u2)
    E = [[conv(v) for v in row] for row in sf.E]
    F = [[conv(v) for v in row] for row in sf.F]
    zero = Fraction(0)
    M = [[zero] * size for _ in range(size)]
    ox, oy, ou, ov = 0, n1, n1 + n2, n1 + n2 + m1
    for i in range(n1):
        for j in range(n2):
            M[ox + i][oy + j] = cost1[i][j]  # w_x = Ahat y - E^T u
            M[oy + j][ox + i] = cost2[i][j]  # w_y = Bhat^T x - F^T v
    for r in range(m1):
        for i in range(n1):
            M[ox + i][ou + r] = -E[r][i]
            M[ou + r][ox + i] = E[r][i]  # w_u = E x - e
    for r in range(m2):
        for j in range(n2):
            M[oy + j][ov + r] = -F[r][j]
            M[ov + r][oy + j] = F[r][j]  # w_v = F y - f
    q = [zero] * size
    q[ou] = Fraction(-1)
    q[ov] = Fraction(-1)
    return M, q


def _lemke(
    M: list[list[Fraction]], q: list[Fraction], max_iter: int, deadline: Deadline | None = None
) -> tuple[list[Fraction] | None, int, str]:
    """Lemke's algorithm; return ``(z or None, pivots, how it ended)``."""
    tab = _LemkeTableau(M, q)
    n = tab.n
    z0 = 2 * n
    row = tab.first_row()
    if row is None:  # pragma: no cover - q has negative entries here
        return tab.z_values(), 0, "solved"
    leaving = tab.pivot(row, z0)
    pivots = 1
    while pivots < max_iter:
        if deadline is not None and deadline.expired():
            return None, pivots, "timeout"
        entering = leaving + n if leaving < n else leaving - n
        row = tab.ratio_row(entering)
        if row is None:
            return None, pivots, "ray"
        leaving = tab.pivot(row, entering)
        pivots += 1
        if leaving == z0:
            return tab.z_values(), pivots, "solved"
    return None, pivots, "cap"


def _behaviour(
    tree: GameTree, sf: SequenceForm, plans: list[list[Any]], exact: bool
) -> BehaviorProfile:
    """Behaviour strategies from realization plans (uniform where unreached)."""
    out: list[list[list[Any]]] = []
    for pl in (0, 1):
        index = {s: k for k, s in enumerate(sf.sequences[pl]) if s is not None}
        per: list[list[Any]] = []
        for h in tree.player_infosets[pl]:
            n_act = len(tree.infosets[h].actions)
            mass = [plans[pl][index[(h, a)]] for a in range(n_act)]
            total = sum(mass)
            if total == 0:
                per.append([Fraction(1, n_act) if exact else 1.0 / n_act] * n_act)
            else:
                per.append([m / total for m in mass])
        out.append(per)
    if exact:
        return BehaviorProfile.from_exact(out)
    return BehaviorProfile([[[float(p) for p in d] for d in per] for per in out])


def _payoffs(tree: GameTree, profile: BehaviorProfile) -> tuple[float, ...]:
    """Expected payoffs, summed exactly when tree and profile are exact."""
    if profile.exact is None or not tree.is_exact:
        return tuple(float(v) for v in tree.expected_payoffs(profile))
    position = {h: pos for own in tree.player_infosets for pos, h in enumerate(own)}
    total = [Fraction(0), Fraction(0)]
    stack: list[tuple[int, Fraction]] = [(0, Fraction(1))]
    while stack:
        k, w = stack.pop()
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            for i in (0, 1):
                total[i] += w * to_fraction(node.payoffs[i])
        elif isinstance(node, Decision):
            h = tree.node_infoset[k]
            probs = profile.exact[tree.infosets[h].player][position[h]]
            stack.extend((c, w * p) for c, p in zip(tree.children[k], probs, strict=True) if p)
        else:
            assert isinstance(node, Chance)
            for c, (p, _) in zip(tree.children[k], node.moves.values(), strict=True):
                if p != 0:
                    stack.append((c, w * to_fraction(p)))
    return (float(total[0]), float(total[1]))


def _as_index(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, SupportsIndex):
        return None
    return operator.index(value)


def sequence_form_lcp(
    tree: GameTree, *, max_iter: int = 100_000, timeout: float | None = None
) -> EquilibriumResult:
    """One Nash equilibrium of a two-player perfect-recall tree, by Lemke's algorithm.

    Parameters
    ----------
    tree : GameTree
        A numeric two-player tree with perfect recall; chance nodes and
        information sets allowed.
    max_iter : int, optional
        Cap on the pivots (default 100,000); the lexicographic ratio test
        makes the path finite, so the cap only bounds running time.
    timeout : float or None, optional
        Time budget in seconds, checked between pivots (default ``None``: no
        limit; :func:`coercion.solvers.solve` passes its default of 30 s).
        When it runs out no equilibrium is returned and ``status`` is
        ``TIMEOUT``.

    Returns
    -------
    EquilibriumResult
        ``method="sequence_form_lcp"``, ``kind="some"``,
        ``exhaustive=False``, one :class:`BehaviorProfile` (exact, with
        regret exactly ``0.0``, when the tree is exact, measured on the tree
        by :func:`~coercion.solvers.certificates.behavior_regrets`; float
        values are converted to rationals bit for bit, pivoted exactly, and the profile
        returned in floats).  ``iterations`` is the number of pivots.
        ``status`` is ``ITERATION_LIMIT`` (no equilibrium) if the cap is hit,
        ``NO_EQUILIBRIUM_FOUND`` if the path ends in a ray or the endpoint
        fails the certificate, else ``SUCCESS``.

    Raises
    ------
    UnsupportedGameError
        For trees that are not two-player, lack perfect recall, or are
        grids or symbolic.
    InvalidParameterError
        For ``max_iter < 1``.

    Examples
    --------
    Matching pennies played in a tree (the second mover does not see the
    first move): the unique equilibrium mixes 1/2–1/2.

    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal("o", (1, -1)), "t": Terminal("o", (-1, 1))},
    ...                   infoset="b"),
    ...     "t": Decision("B", {"h": Terminal("o", (-1, 1)), "t": Terminal("o", (1, -1))},
    ...                   infoset="b")}))
    >>> res = sequence_form_lcp(t)
    >>> res[0], res.payoffs, res.max_regret, res.status.value
    (BehaviorProfile([[['1/2', '1/2']], [['1/2', '1/2']]]), ((0.0, 0.0),), 0.0, 'success')
    """
    tree = _require_two_player_perfect_recall(tree, "sequence_form_lcp")
    cap = _as_index(max_iter)
    if cap is None or cap < 1:
        raise InvalidParameterError(
            f"sequence_form_lcp: max_iter must be an integer >= 1; got {max_iter!r}"
        )
    budget = check_timeout(timeout, "sequence_form_lcp")
    deadline = Deadline(budget)
    sf = sequence_form(tree)
    exact = sf.exact
    M, q = _lcp_data(sf)
    z, pivots, ending = _lemke(M, q, cap, deadline)
    equilibria: list[BehaviorProfile] = []
    regret = float("nan")
    rejected = 0
    n1, n2 = len(sf.sequences[0]), len(sf.sequences[1])
    if z is not None:
        profile = _behaviour(tree, sf, [z[:n1], z[n1 : n1 + n2]], exact)
        regret = max(behavior_regrets(tree, profile))
        if regret <= (0.0 if exact else 1e-9):
            equilibria.append(profile)
        else:  # pragma: no cover - Lemke endpoints are equilibria (KMvS 1996)
            rejected = 1
    payoffs = tuple(_payoffs(tree, eq) for eq in equilibria)
    if ending == "timeout":
        status = Status.TIMEOUT
        message = (
            f"Lemke's algorithm stopped at the time budget of {budget:g} s after {pivots} "
            "pivots without an equilibrium; raise timeout= (seconds, or None for no limit)"
        )
    elif ending == "cap":
        status = Status.ITERATION_LIMIT
        message = f"Lemke's algorithm hit the cap of {cap} pivots without an equilibrium"
    elif ending == "ray":  # pragma: no cover - excluded for positive costs (KMvS 1996)
        status = Status.NO_EQUILIBRIUM_FOUND
        message = f"Lemke's algorithm ended in a ray after {pivots} pivots"
    elif rejected:  # pragma: no cover
        status = Status.NO_EQUILIBRIUM_FOUND
        message = f"the Lemke endpoint failed the certificate (regret {regret:.3g})"
    else:
        status = Status.SUCCESS
        message = (
            f"Lemke's algorithm on the sequence form found one equilibrium in {pivots} pivots "
            "(a sample: other equilibria may exist)"
        )
    return EquilibriumResult(
        game=tree,
        method="sequence_form_lcp",
        equilibria=tuple(equilibria),
        payoffs=payoffs,
        exhaustive=False,
        kind="some",
        status=status,
        message=message,
        max_regret=regret if equilibria else float("nan"),
        degenerate=None,
        rejected=rejected,
        iterations=pivots,
        parameters={"max_iter": cap, **({} if budget is None else {"timeout": budget})},
    )


# --------------------------------------------------------------------------- LP
def _constant_sum(tree: GameTree, exact: bool) -> float:
    """The constant ``u1 + u2`` of a constant-sum tree (raise if not constant-sum)."""
    sums: list[Any] = []
    for n in tree.nodes:
        if isinstance(n, Terminal):
            if exact:
                sums.append(to_fraction(n.payoffs[0]) + to_fraction(n.payoffs[1]))
            else:
                sums.append(float(n.payoffs[0]) + float(n.payoffs[1]))
    low, high = min(sums), max(sums)
    scale = max(1.0, *(abs(float(s)) for s in sums))
    if (exact and low != high) or (not exact and float(high - low) > 1e-9 * scale):
        raise UnsupportedGameError(
            "sequence_form_lp: needs a zero-sum (or constant-sum) tree; payoff sums range "
            f"from {float(low)} to {float(high)}"
        )
    return float(low)


def sequence_form_lp(tree: GameTree) -> EquilibriumResult:
    """An equilibrium and the value of a two-player zero-sum tree, by sequence-form LP.

    Player 1's realization plan ``x`` and prices ``q`` solve
    ``max f^T q  s.t.  F^T q <= A^T x,  E x = e,  x >= 0`` and player 2's
    ``y, p`` solve ``min e^T p  s.t.  E^T p >= A y,  F y = f,  y >= 0``
    (Koller, Megiddo and von Stengel 1996, section 3; von Stengel 1996); both
    optima equal the game value.  The LPs are solved by
    ``scipy.optimize.linprog`` with HiGHS, in floating point.

    Parameters
    ----------
    tree : GameTree
        A numeric two-player perfect-recall tree whose leaf payoffs sum to
        the same constant (zero-sum, or constant-sum).

    Returns
    -------
    EquilibriumResult
        ``method="sequence_form_lp"``, ``kind="some"``, ``exhaustive=False``,
        one float :class:`BehaviorProfile` (uniform at information sets the
        player's own plan does not reach).  The game value for player 1 is
        ``parameters["value"]`` (a float; player 2's is the constant sum
        minus it), the gap between the two LP optima is
        ``parameters["duality_gap"]``.  ``status`` is ``SUCCESS`` when the
        certificate's regret is at most ``1e-7``, else
        ``NO_EQUILIBRIUM_FOUND``.

    Raises
    ------
    UnsupportedGameError
        For trees that are not two-player constant-sum with perfect recall.

    Examples
    --------
    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal("o", (2, -2)), "t": Terminal("o", (-1, 1))},
    ...                   infoset="b"),
    ...     "t": Decision("B", {"h": Terminal("o", (-1, 1)), "t": Terminal("o", (1, -1))},
    ...                   infoset="b")}))
    >>> res = sequence_form_lp(t)
    >>> round(res.parameters["value"], 9), res.status.value
    (0.2, 'success')
    >>> [[[round(p, 9) for p in h] for h in pl] for pl in res[0].to_list()]
    [[[0.4, 0.6]], [[0.4, 0.6]]]
    """
    from scipy.optimize import linprog

    tree = _require_two_player_perfect_recall(tree, "sequence_form_lp")
    sf = sequence_form(tree)
    total = _constant_sum(tree, sf.exact)
    A = sf.A.astype(np.float64)
    E, e = sf.E.astype(np.float64), sf.e.astype(np.float64)
    F, f = sf.F.astype(np.float64), sf.f.astype(np.float64)
    n1, n2 = A.shape
    m1, m2 = E.shape[0], F.shape[0]

    # player 1: variables (x, q); minimise -f^T q
    c1 = np.concatenate([np.zeros(n1), -f])
    ub1 = np.hstack([-A.T, F.T])
    eq1 = np.hstack([E, np.zeros((m1, m2))])
    bounds1 = [(0, None)] * n1 + [(None, None)] * m2
    r1 = linprog(c1, A_ub=ub1, b_ub=np.zeros(n2), A_eq=eq1, b_eq=e, bounds=bounds1, method="highs")
    # player 2: variables (y, p); minimise e^T p
    c2 = np.concatenate([np.zeros(n2), e])
    ub2 = np.hstack([A, -E.T])
    eq2 = np.hstack([F, np.zeros((m2, m1))])
    bounds2 = [(0, None)] * n2 + [(None, None)] * m1
    r2 = linprog(c2, A_ub=ub2, b_ub=np.zeros(n1), A_eq=eq2, b_eq=f, bounds=bounds2, method="highs")
    if not (r1.success and r2.success):  # pragma: no cover - both LPs are feasible and bounded
        raise ArithmeticError(f"sequence_form_lp: HiGHS failed ({r1.message}; {r2.message})")
    x = np.clip(r1.x[:n1], 0.0, None)
    y = np.clip(r2.x[:n2], 0.0, None)
    value = float(-r1.fun)
    gap = abs(float(r2.fun) + float(r1.fun))
    profile = _behaviour(tree, sf, [list(x), list(y)], exact=False)
    regret = max(behavior_regrets(tree, profile))
    ok = regret <= 1e-7
    payoffs = tuple(float(v) for v in tree.expected_payoffs(profile))
    return EquilibriumResult(
        game=tree,
        method="sequence_form_lp",
        equilibria=(profile,) if ok else (),
        payoffs=(payoffs,) if ok else (),
        exhaustive=False,
        kind="some",
        status=Status.SUCCESS if ok else Status.NO_EQUILIBRIUM_FOUND,
        message=(
            f"sequence-form LPs (HiGHS) give value {value:.12g} for player 1"
            + ("" if ok else f"; the profile failed the certificate (regret {regret:.3g})")
        ),
        max_regret=regret if ok else float("nan"),
        degenerate=None,
        rejected=0 if ok else 1,
        iterations=int(r1.nit) + int(r2.nit),
        parameters={"value": value, "constant_sum": total, "duality_gap": gap},
    )
