"""Logit quantal response equilibria, traced from the centroid by arclength continuation.

A logit quantal response equilibrium (QRE) at precision ``λ >= 0``
(McKelvey and Palfrey 1995) is a full-support profile in which every agent
plays each action with probability proportional to ``exp(λ · value)``:

.. math::

    \\log p_{b,a} - \\log p_{b,0} = λ \\, (v_{b,a}(p) - v_{b,0}(p)), \\qquad
    \\textstyle\\sum_a p_{b,a} = 1,

one block ``b`` per player (normal forms) or per information set (agent QRE
on trees, where ``v_{b,a}`` is the expected payoff of taking ``a`` at the
information set given beliefs equal to the conditional reach probabilities,
well defined because every action has positive probability).  At ``λ = 0``
the unique solution is the centroid; the *principal branch* is the curve of
solutions through it.  For generic games it is a smooth one-dimensional
manifold whose ``λ → ∞`` limit is a Nash equilibrium (the *logit
equilibrium*; Turocy 2005, "A dynamic homotopy interpretation of the
logistic quantal response equilibrium correspondence", *GEB* 51), and on
trees a sequential (here: subgame-perfect on generic perfect-information
trees) equilibrium.

The branch is followed by predictor–corrector continuation in the
arclength of the curve in ``(log-probabilities, λ)`` (Allgower and Georg,
*Introduction to Numerical Continuation Methods*): Euler predictor along the
tangent (the null vector of the Jacobian), Gauss–Newton corrector with the
Moore–Penrose pseudo-inverse, adaptive step length.  Because the curve is
parametrised by arclength, turning points in ``λ`` (where the branch bends
back) are followed rather than jumped.  Jacobians are computed by the
complex-step method, exact to rounding.

The trace stops when the profile's regret is at most ``tol`` (on trees: the
largest regret at any information set, reached or not, so off-path play has
converged too), or at ``max_lambda``.  Near a *mixed* limit the regret only
falls like ``1/λ``; for normal forms the last point is then *polished*: the
support is read off the last profile and the indifference equations on it
are solved by Newton's method, which is accepted only if it lowers the
regret.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import BehaviorProfile, MixedProfile
from coercion.solvers.certificates import max_regret
from coercion.solvers.result import EquilibriumResult, Profile, Status

__all__ = ["QRETrace", "agent_logit_trace", "logit_qre", "logit_trace"]

FloatArray = npt.NDArray[np.float64]
ComplexArray = npt.NDArray[np.complex128]
# (block probabilities, their logarithms), each (batch, n_b) -> block values (batch, n_b)
ValueFn = Callable[[list[ComplexArray], list[ComplexArray]], list[ComplexArray]]

_CSTEP = 1e-30  # complex-step size (exact derivatives, no cancellation)
_MAX_DIST = 0.5  # largest first corrector step (relative to 1 + step length / 10)
_MAX_CONTRACTION = 0.6  # largest ratio of successive corrector steps
_MAX_NEWTON = 12


@dataclass(frozen=True, eq=False)
class QRETrace:
    """The principal branch of the logit QRE correspondence, as traced.

    Attributes
    ----------
    game : NormalFormGame or GameTree
        The game traced.
    lambdas : ndarray, shape (n_points,)
        ``λ`` at each point of the path (not monotone past a turning point).
    points : ndarray, shape (n_points, n_probabilities)
        The profile at each point, flattened: player by player (normal
        forms) or information set by information set in the order of
        :attr:`~coercion.games.GameTree.player_infosets` (trees).
    final : MixedProfile or BehaviorProfile
        The last traced profile (at the largest ``λ`` reached, unpolished).
    limit : EquilibriumResult
        The limit as an equilibrium: method ``"logit"``, kind ``"some"``,
        not exhaustive; status ``SUCCESS`` when its regret is at most ``tol``
        times ``max(1, payoff range)``, else ``ITERATION_LIMIT``.
    """

    game: NormalFormGame | GameTree
    lambdas: FloatArray
    points: FloatArray
    final: Profile
    limit: EquilibriumResult
    sizes: tuple[int, ...] = field(repr=False, default=())

    def __len__(self) -> int:
        return len(self.lambdas)

    def profile(self, k: int) -> Profile:
        """The ``k``-th point of the path as a profile."""
        return _to_profile(self.game, self.sizes, self.points[k])

    @property
    def profiles(self) -> tuple[Profile, ...]:
        """Every point of the path as a profile."""
        return tuple(self.profile(k) for k in range(len(self)))


# ---------------------------------------------------------------------- the homotopy
def _split(x: npt.NDArray[Any], sizes: Sequence[int]) -> list[npt.NDArray[Any]]:
    """Split the last axis of *x* into consecutive blocks."""
    out, start = [], 0
    for n in sizes:
        out.append(x[..., start : start + n])
        start += n
    return out


class _Homotopy:
    """``H(log p, λ) = 0`` for logit responses block by block, with batch evaluation."""

    def __init__(self, sizes: Sequence[int], values: ValueFn) -> None:
        self.sizes = tuple(sizes)
        self.values = values
        self.n = sum(self.sizes)

    def probabilities(self, x: FloatArray) -> list[FloatArray]:
        return [np.exp(b - b.max()) / np.exp(b - b.max()).sum() for b in _split(x, self.sizes)]

    def residual_batch(self, z: ComplexArray) -> ComplexArray:
        """Residuals at a batch of points ``z`` of shape (batch, n + 1)."""
        x, lam = z[:, :-1], z[:, -1:]
        logs = _split(x, self.sizes)
        probs = [np.exp(b) for b in logs]
        vals = self.values(probs, logs)
        rows: list[ComplexArray] = []
        for lb, pb, vb in zip(logs, probs, vals, strict=True):
            rows.append(pb.sum(axis=1, keepdims=True) - 1.0)
            rows.append(lb[:, 1:] - lb[:, :1] - lam * (vb[:, 1:] - vb[:, :1]))
        return np.concatenate(rows, axis=1)

    def residual(self, z: FloatArray) -> FloatArray:
        return np.asarray(self.residual_batch(z.astype(np.complex128)[None, :])[0].real)

    def jacobian(self, z: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Residual and Jacobian (n x (n + 1)) at *z*, by the complex-step method."""
        m = z.size
        batch = np.tile(z.astype(np.complex128), (m + 1, 1))
        batch[1:] += 1j * _CSTEP * np.eye(m)
        out = self.residual_batch(batch)
        return np.asarray(out[0].real), np.asarray(out[1:].imag.T / _CSTEP)

    def regret(self, x: FloatArray) -> float:
        """Largest regret over blocks (normal form: Nash regret; tree: agent regret)."""
        logs = [b - b.max() - np.log(np.exp(b - b.max()).sum()) for b in _split(x, self.sizes)]
        probs = [np.exp(b) for b in logs]
        vals = self.values(
            [p.astype(np.complex128)[None, :] for p in probs],
            [b.astype(np.complex128)[None, :] for b in logs],
        )
        worst = 0.0
        for p, v in zip(probs, vals, strict=True):
            vr = v[0].real
            worst = max(worst, float(vr.max() - vr @ p))
        return worst


def _tangent(jac: FloatArray) -> FloatArray:
    q, _ = np.linalg.qr(jac.T, mode="complete")
    return np.asarray(q[:, -1])


def _correct(h: _Homotopy, y: FloatArray, step: float) -> FloatArray | None:
    """Gauss–Newton back onto the curve; None if it does not contract."""
    prev = math.inf
    limit = _MAX_DIST * (1.0 + step / 10.0)
    for it in range(_MAX_NEWTON):
        f, jac = h.jacobian(y)
        d = np.linalg.lstsq(jac, -f, rcond=None)[0]
        dist = float(np.linalg.norm(d))
        if not np.isfinite(dist) or (it == 0 and dist > limit):
            return None
        tiny = 1e-9 * (1.0 + float(np.linalg.norm(y)))
        if dist > _MAX_CONTRACTION * prev and dist > tiny:
            return None
        y = y + d
        if dist <= 1e-12 * (1.0 + float(np.linalg.norm(y))):
            return y
        prev = dist
    f = h.residual(y)
    return y if float(np.abs(f).max()) <= 1e-9 * (1.0 + abs(float(y[-1]))) else None


def _fix_lambda(h: _Homotopy, y: FloatArray, lam: float) -> FloatArray:
    """Newton's method in the probabilities alone, at fixed ``λ``."""
    y = y.copy()
    y[-1] = lam
    for _ in range(50):
        f, jac = h.jacobian(y)
        d = np.linalg.lstsq(jac[:, :-1], -f, rcond=None)[0]
        y[:-1] += d
        if float(np.linalg.norm(d)) <= 1e-13 * (1.0 + float(np.linalg.norm(y))):
            break
    return y


@dataclass
class _Path:
    lambdas: list[float]
    points: list[FloatArray]
    steps: int
    hit_limit: bool


def _trace(
    h: _Homotopy,
    *,
    stop_lambda: float,
    tol: float | None,
    step: float,
    max_steps: int,
    max_accel: float,
) -> _Path:
    x0 = np.concatenate([np.full(n, -math.log(n)) for n in h.sizes])
    z = np.append(x0, 0.0)
    _, jac = h.jacobian(z)
    t = _tangent(jac)
    if t[-1] < 0:
        t = -t
    lambdas, points = [0.0], [h.probabilities(x0)]
    hs = step
    for count in range(1, max_steps + 1):
        while True:
            y = _correct(h, z + hs * t, hs)
            if y is not None:
                _, jac = h.jacobian(y)
                t_new = _tangent(jac)
                if t_new @ t < 0:
                    t_new = -t_new
                if t_new @ t > 0.5 or hs < 1e-8:  # not a jump to another branch
                    break
            hs /= 2.0
            if hs < 1e-14:
                return _Path(lambdas, [np.concatenate(p) for p in points], count, True)
        if y[-1] >= stop_lambda:
            s = (stop_lambda - z[-1]) / (y[-1] - z[-1])
            y = _fix_lambda(h, z + s * (y - z), stop_lambda)
            lambdas.append(float(y[-1]))
            points.append(h.probabilities(y[:-1]))
            return _Path(lambdas, [np.concatenate(p) for p in points], count, False)
        lambdas.append(float(y[-1]))
        points.append(h.probabilities(y[:-1]))
        if tol is not None and h.regret(y[:-1]) <= tol:
            return _Path(lambdas, [np.concatenate(p) for p in points], count, False)
        z, t = y, t_new
        hs *= max_accel
    return _Path(lambdas, [np.concatenate(p) for p in points], max_steps, True)


# ---------------------------------------------------------------------- normal forms
def _einsum_values(game: NormalFormGame) -> ValueFn:
    n = game.n_players
    payoffs = game.payoffs

    def values(probs: list[ComplexArray], logs: list[ComplexArray]) -> list[ComplexArray]:
        out = []
        for i in range(n):
            operands: list[Any] = [payoffs[i], list(range(n))]
            for k in range(n):
                if k != i:
                    operands += [probs[k], [n, k]]
            out.append(np.einsum(*operands, [n, i]))
        return out

    return values


def _to_profile(game: NormalFormGame | GameTree, sizes: Sequence[int], flat: FloatArray) -> Profile:
    blocks = [b / b.sum() for b in _split(np.asarray(flat, dtype=np.float64), sizes)]
    if isinstance(game, NormalFormGame):
        return MixedProfile(blocks)
    per_player: list[list[FloatArray]] = []
    start = 0
    for own in game.player_infosets:
        per_player.append(blocks[start : start + len(own)])
        start += len(own)
    return BehaviorProfile(per_player)


def _polish(game: NormalFormGame, profile: MixedProfile, threshold: float = 1e-6) -> MixedProfile:
    """Solve the indifference equations on the support of *profile* (Newton)."""
    supports = [np.flatnonzero(s > threshold) for s in profile]
    sizes = [len(s) for s in supports]
    values = _einsum_values(game)

    def residual_batch(z: ComplexArray) -> ComplexArray:
        probs: list[ComplexArray] = []
        start = 0
        for i, supp in enumerate(supports):
            full = np.zeros((z.shape[0], game.shape[i]), dtype=np.complex128)
            full[:, supp] = z[:, start : start + sizes[i]]
            probs.append(full)
            start += sizes[i]
        vals = values(probs, probs)
        rows: list[ComplexArray] = []
        for i, supp in enumerate(supports):
            v = vals[i][:, supp]
            rows.append(probs[i].sum(axis=1, keepdims=True) - 1.0)
            rows.append(v[:, 1:] - v[:, :1])
        return np.concatenate(rows, axis=1)

    y = np.concatenate([s[supp] for s, supp in zip(profile, supports, strict=True)])
    for _ in range(30):
        m = y.size
        batch = np.tile(y.astype(np.complex128), (m + 1, 1))
        batch[1:] += 1j * _CSTEP * np.eye(m)
        out = residual_batch(batch)
        f, jac = out[0].real, out[1:].imag.T / _CSTEP
        d = np.linalg.lstsq(jac, -f, rcond=None)[0]
        y = y + d
        if not np.all(np.isfinite(y)):
            return profile
        if float(np.linalg.norm(d)) <= 1e-15:
            break
    if np.any(y < -1e-12):
        return profile
    strategies, start = [], 0
    for i, supp in enumerate(supports):
        full = np.zeros(game.shape[i])
        full[supp] = np.clip(y[start : start + sizes[i]], 0.0, None)
        strategies.append(full / full.sum())
        start += sizes[i]
    try:
        polished = MixedProfile(strategies)
    except InvalidParameterError:
        return profile
    return polished if max_regret(game, polished) < max_regret(game, profile) else profile


def _check(max_lambda: float, step: float, tol: float, max_steps: int, max_accel: float) -> None:
    for name, value in (("max_lambda", max_lambda), ("step", step), ("tol", tol)):
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise InvalidParameterError(f"logit: {name} must be a finite number >= 0; got {value}")
    if max_lambda <= 0 or step <= 0:
        raise InvalidParameterError(
            f"logit: max_lambda and step must be positive; got {max_lambda}, {step}"
        )
    if not isinstance(max_steps, int) or max_steps < 1:
        raise InvalidParameterError(f"logit: max_steps must be an integer >= 1; got {max_steps}")
    if not isinstance(max_accel, int | float) or not 1.0 <= max_accel <= 10.0:
        raise InvalidParameterError(f"logit: max_accel must lie in [1, 10]; got {max_accel}")


def _scale(values: FloatArray) -> float:
    return max(1.0, float(values.max() - values.min())) if values.size else 1.0


def _result(
    trace_game: NormalFormGame | GameTree,
    limit: Profile,
    path: _Path,
    tol: float,
    scale: float,
    parameters: dict[str, Any],
) -> EquilibriumResult:
    regret = max_regret(trace_game, limit)
    ok = regret <= tol * scale
    lam = path.lambdas[-1]
    if ok:
        status, message = Status.SUCCESS, f"traced the principal branch to λ = {lam:.4g}"
    else:
        status = Status.ITERATION_LIMIT
        why = "the step limit" if path.hit_limit else f"λ = {lam:.4g}"
        message = f"stopped at {why} with regret {regret:.3g} > tol"
    payoffs = trace_game.expected_payoffs(limit)  # type: ignore[arg-type]
    return EquilibriumResult(
        game=trace_game,
        method="logit",
        equilibria=(limit,),
        payoffs=(tuple(float(u) for u in payoffs),),
        exhaustive=False,
        kind="some",
        status=status,
        message=message,
        max_regret=regret,
        iterations=path.steps,
        parameters=parameters,
    )


def _normal_form_homotopy(game: NormalFormGame, where: str) -> _Homotopy:
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGameError(f"{where}: needs a NormalFormGame; got {type(game).__name__}")
    return _Homotopy(game.shape, _einsum_values(game))


def logit_trace(
    game: NormalFormGame,
    *,
    max_lambda: float = 1e6,
    step: float = 0.03,
    tol: float = 1e-10,
    max_steps: int = 20_000,
    max_accel: float = 1.1,
    polish: bool = True,
) -> QRETrace:
    """Trace the principal branch of the logit QRE correspondence of a normal form.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    max_lambda : float
        Stop when the branch reaches this ``λ`` (the last point is exactly there).
    step : float
        First arclength step.
    tol : float
        Stop once the maximal regret is at most this; the limit counts as
        an equilibrium when its regret is at most ``tol * max(1, payoff range)``.
    max_steps : int
        Cap on accepted continuation steps.
    max_accel : float
        Largest factor by which the step grows after an easy step.
    polish : bool
        Refine the last point by Newton's method on its support's
        indifference equations (kept only when it lowers the regret).

    Returns
    -------
    QRETrace

    Examples
    --------
    In the Prisoner's Dilemma the branch runs to mutual defection:

    >>> from coercion.games import NormalFormGame
    >>> pd = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> tr = logit_trace(pd)
    >>> tr.limit.success, [[round(p, 6) for p in s] for s in tr.limit[0].to_list()]
    (True, [[0.0, 1.0], [0.0, 1.0]])
    >>> bool(tr.lambdas[0] == 0.0), tr.profile(0)[0].tolist()
    (True, [0.5, 0.5])
    """
    h = _normal_form_homotopy(game, "logit_trace")
    _check(max_lambda, step, tol, max_steps, max_accel)
    path = _trace(
        h, stop_lambda=max_lambda, tol=tol, step=step, max_steps=max_steps, max_accel=max_accel
    )
    points = np.array(path.points)
    final = _to_profile(game, h.sizes, points[-1])
    assert isinstance(final, MixedProfile)
    limit = _polish(game, final) if polish else final
    params = {"max_lambda": max_lambda, "step": step, "tol": tol, "max_steps": max_steps}
    return QRETrace(
        game=game,
        lambdas=np.array(path.lambdas),
        points=points,
        final=final,
        limit=_result(game, limit, path, tol, _scale(game.payoffs), params),
        sizes=h.sizes,
    )


def logit_qre(
    game: NormalFormGame, lam: float, *, step: float = 0.03, max_accel: float = 1.1
) -> MixedProfile:
    """The logit QRE at precision *lam* on the principal branch.

    The branch is traced from the centroid up to the first point where it
    reaches ``λ = lam``.

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> pd = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [round(float(p), 6) for p in logit_qre(pd, 1.0)[0]]
    [0.226751, 0.773249]
    """
    h = _normal_form_homotopy(game, "logit_qre")
    if not isinstance(lam, int | float) or not math.isfinite(lam) or lam < 0:
        raise InvalidParameterError(f"logit_qre: lam must be a finite number >= 0; got {lam}")
    _check(1.0, step, 0.0, 1, max_accel)
    if lam == 0:
        return MixedProfile([np.full(n, 1.0 / n) for n in game.shape])
    path = _trace(
        h, stop_lambda=float(lam), tol=None, step=step, max_steps=10**6, max_accel=max_accel
    )
    out = _to_profile(game, h.sizes, path.points[-1])
    assert isinstance(out, MixedProfile)
    return out


# ---------------------------------------------------------------------- trees
def _tree_values(tree: GameTree) -> tuple[list[int], ValueFn]:
    """Block sizes and the agent value function of a tree."""
    order = [h for own in tree.player_infosets for h in own]
    block_of = {h: b for b, h in enumerate(order)}
    sizes = [len(tree.infosets[h].actions) for h in order]
    n_nodes = len(tree.nodes)
    kinds: list[tuple[str, Any]] = []
    for k, node in enumerate(tree.nodes):
        if isinstance(node, Terminal):
            kinds.append(("t", np.array([float(v) for v in node.payoffs])))
        elif isinstance(node, Decision):
            kinds.append(("d", block_of[tree.node_infoset[k]]))
        else:
            assert isinstance(node, Chance)
            probs = np.array([float(p) for p, _ in node.moves.values()])
            kinds.append(("c", (probs, np.log(np.maximum(probs, 1e-300)))))
    players = [tree.infosets[h].player for h in order]
    members = [list(tree.infosets[h].members) for h in order]
    child_index = [np.array([tree.children[m] for m in ms]) for ms in members]

    def values(probs: list[ComplexArray], logs: list[ComplexArray]) -> list[ComplexArray]:
        batch = probs[0].shape[0] if probs else 1
        log_reach = np.zeros((batch, n_nodes), dtype=np.complex128)
        for k, (kind, data) in enumerate(kinds):
            kids = tree.children[k]
            if kind == "d":
                for j, c in enumerate(kids):
                    log_reach[:, c] = log_reach[:, k] + logs[data][:, j]
            elif kind == "c":
                for j, c in enumerate(kids):
                    log_reach[:, c] = log_reach[:, k] + data[1][j]
        value = np.zeros((batch, n_nodes, tree.n_players), dtype=np.complex128)
        for k in reversed(range(n_nodes)):
            kind, data = kinds[k]
            below = list(tree.children[k])
            if kind == "t":
                value[:, k, :] = data
            elif kind == "d":
                value[:, k, :] = np.einsum("bj,bjp->bp", probs[data], value[:, below, :])
            else:
                value[:, k, :] = np.einsum("j,bjp->bp", data[0], value[:, below, :])
        out = []
        for b, ms in enumerate(members):
            w = log_reach[:, ms]
            w = w - w.real.max(axis=1, keepdims=True)
            belief = np.exp(w)
            belief = belief / belief.sum(axis=1, keepdims=True)
            # (batch, members, actions)
            action_values = value[:, child_index[b], players[b]]
            out.append(np.einsum("bm,bma->ba", belief, action_values))
        return out

    return sizes, values


def agent_logit_trace(
    tree: GameTree,
    *,
    max_lambda: float = 1e6,
    step: float = 0.03,
    tol: float = 1e-10,
    max_steps: int = 20_000,
    max_accel: float = 1.1,
) -> QRETrace:
    """Trace the principal branch of the agent logit QRE of a game tree.

    Every information set is an agent who logit-responds to its action
    values, computed with beliefs equal to the conditional reach
    probabilities of its nodes.  The trace stops when the largest regret at
    any information set (reached or not) is at most *tol*, so the limit is
    a Nash equilibrium and, on generic perfect-information trees, the
    subgame-perfect one.

    Parameters
    ----------
    tree : GameTree
        A single numeric tree (chance nodes and information sets allowed).
    max_lambda, step, tol, max_steps, max_accel
        As in :func:`logit_trace` (no polishing on trees).

    Returns
    -------
    QRETrace
        Its profiles are :class:`~coercion.games.BehaviorProfile` objects.

    Examples
    --------
    An entry game with a non-credible threat to fight: the limit is the
    subgame-perfect (enter, accommodate), not the Nash (out, fight).

    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["E", "I"], Decision("E", {
    ...     "out": Terminal("out", (0, 2)),
    ...     "in": Decision("I", {"fight": Terminal("war", (-1, -1)),
    ...                          "accommodate": Terminal("share", (1, 1))})}))
    >>> tr = agent_logit_trace(t)
    >>> tr.limit.success, [[[round(p, 6) for p in h] for h in pl] for pl in tr.limit[0].to_list()]
    (True, [[[0.0, 1.0]], [[0.0, 1.0]]])
    """
    if not isinstance(tree, GameTree):
        raise UnsupportedGameError(
            f"agent_logit_trace: needs a GameTree; got {type(tree).__name__}"
        )
    tree._require_numeric("agent_logit_trace")
    _check(max_lambda, step, tol, max_steps, max_accel)
    sizes, values = _tree_values(tree)
    terminal_payoffs = np.array(
        [float(v) for k in tree.terminals for v in tree.nodes[k].payoffs]  # type: ignore[union-attr]
    )
    if not sizes:
        path = _Path([0.0], [np.zeros(0)], 0, False)
    else:
        h = _Homotopy(sizes, values)
        path = _trace(
            h, stop_lambda=max_lambda, tol=tol, step=step, max_steps=max_steps, max_accel=max_accel
        )
    points = np.array(path.points)
    final = _to_profile(tree, sizes, points[-1])
    params = {"max_lambda": max_lambda, "step": step, "tol": tol, "max_steps": max_steps}
    return QRETrace(
        game=tree,
        lambdas=np.array(path.lambdas),
        points=points,
        final=final,
        limit=_result(tree, final, path, tol, _scale(terminal_payoffs), params),
        sizes=tuple(sizes),
    )
