"""Agent logit quantal response equilibrium of a perfect-information tree, vectorised.

At every decision node the mover chooses action ``a`` with probability

.. math::

    \\sigma(a) = \\frac{\\exp(\\lambda\\, V_i(a) / s_i)}{\\sum_b \\exp(\\lambda\\, V_i(b) / s_i)},

where ``V_i(a)`` is the mover's expected payoff of the subtree after ``a`` under the same rule
further down, ``λ`` the precision and ``s_i`` the mover's payoff scale (McKelvey & Palfrey
1998, "Quantal response equilibria for extensive form games", *Experimental Economics* 1; the
agent form of Signorino 1999's strategic probit, with logit shocks).  On a tree with perfect
information the equilibrium is unique and is computed by one backward pass; ``λ → ∞`` gives
subgame-perfect play (ties split evenly), ``λ = 0`` uniform play.  Payoffs, chance
probabilities, ``λ`` and ``s`` may be numpy arrays broadcasting to one batch shape: every cell
is solved in the same pass.

:func:`agent_qre_residual` is the checker: it recomputes each node's continuation values from
the returned behaviour by a forward expectation and reports the largest gap to the logit
response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal

__all__ = ["AgentQREGrid", "agent_qre_grid", "agent_qre_residual"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class AgentQREGrid:
    """The agent logit QRE at every cell of a batch.

    Attributes
    ----------
    choice : dict of int -> array ``(n_actions, *shape)``
        Choice probabilities at each decision node of the subtree solved.
    values : array ``(n_nodes, n_players, *shape)``
        Expected payoffs of each node's subtree (NaN outside the subtree solved).
    reach : array ``(n_nodes, *shape)``
        Probability that play starting at :attr:`start` reaches each node.
    start : int
        The node whose subtree was solved.
    labels : tuple of str
        The tree's outcome labels (:attr:`GameTree.outcome_labels`).
    precision, scale : arrays
        ``λ`` and the per-player scales ``s`` (broadcast to the batch).
    """

    choice: dict[int, FloatArray]
    values: FloatArray
    reach: FloatArray
    start: int
    labels: tuple[str, ...]
    precision: FloatArray
    scale: FloatArray
    tree: GameTree

    def outcome_probabilities(self) -> FloatArray:
        """Probability of each outcome label, ``(len(labels), *shape)``, from :attr:`start`."""
        index = {lab: j for j, lab in enumerate(self.labels)}
        shape = self.reach.shape[1:]
        out = np.zeros((len(self.labels), *shape))
        for k in self.tree.subtree_nodes(self.start):
            node = self.tree.nodes[k]
            if isinstance(node, Terminal):
                out[index[node.label]] += self.reach[k]
        return out


def _logit(values: FloatArray, precision: FloatArray, tol: float = 1e-12) -> FloatArray:
    """Logit response along axis 0; infinite precision: the best actions, evenly."""
    best = np.max(values, axis=0)
    finite = np.isfinite(precision)
    lam = np.where(finite, precision, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        z = np.exp(lam * (values - best))
    soft = z / np.sum(z, axis=0)
    top = (values >= best - tol * np.maximum(1.0, np.abs(best))).astype(np.float64)
    hard = top / np.sum(top, axis=0)
    return np.asarray(np.where(finite, soft, hard), dtype=np.float64)


def _check_inputs(tree: GameTree, precision: Any, scale: Any, start: int
                  ) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    if not isinstance(tree, GameTree):
        raise InvalidParameterError(f"agent_qre_grid: tree must be a GameTree; got {tree!r}")
    if not tree.is_perfect_information:
        raise UnsupportedGameError("agent_qre_grid: needs a tree with perfect information")
    if tree.is_symbolic:
        raise UnsupportedGameError("agent_qre_grid: needs numeric payoffs (call .evaluate)")
    if not 0 <= start < len(tree.nodes):
        raise InvalidParameterError(
            f"agent_qre_grid: start must be a node index in [0, {len(tree.nodes)}); got {start}")
    lam = np.asarray(precision, dtype=np.float64)
    if np.any(np.isnan(lam)) or np.any(lam < 0):
        raise InvalidParameterError(
            f"agent_qre_grid: precision must be >= 0 (inf allowed); got {precision!r}")
    n = tree.n_players
    s = np.ones((n,)) if scale is None else np.asarray(scale, dtype=np.float64)
    if s.ndim == 0 or s.shape[0] != n:
        raise InvalidParameterError(
            f"agent_qre_grid: scale must have one entry per player ({n}) on axis 0; "
            f"got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise InvalidParameterError("agent_qre_grid: scale must be finite and > 0")
    shape = np.broadcast_shapes(tree.grid_shape, lam.shape, s.shape[1:])
    return (np.broadcast_to(lam, shape), np.broadcast_to(s.reshape(s.shape + (1,) * (
        len(shape) + 1 - s.ndim)), (n, *shape)), shape)


def agent_qre_grid(tree: GameTree, precision: Any, *, scale: Any = None,
                   start: int = 0) -> AgentQREGrid:
    """Agent logit QRE of the subtree at *start*, at every cell of a batch.

    Parameters
    ----------
    tree : GameTree
        Perfect information, numeric payoffs (numbers or arrays).
    precision : float or array
        ``λ >= 0``; ``numpy.inf`` gives subgame-perfect play.
    scale : array ``(n_players, ...)``, optional
        Positive payoff scale per player (and cell): payoffs enter the logit as ``u_i / s_i``,
        so the answer does not change when a player's payoffs and scale are multiplied
        together.  Default 1.
    start : int, optional
        Root of the subtree to solve (default: the whole game).

    Returns
    -------
    AgentQREGrid

    Examples
    --------
    The threat game: at high precision the target concedes (the threat is credible),
    at precision 0 every action is equally likely.

    >>> import numpy as np
    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["C", "T"], Decision("T", {
    ...     "concede": Terminal("concession", (1, -1)),
    ...     "resist": Decision("C", {"impose": Terminal("standoff", (-0.5, -2)),
    ...                              "back_down": Terminal("coercer_backs_down", (-1, 0))})}))
    >>> q = agent_qre_grid(t, np.array([0.0, 50.0, np.inf]))
    >>> np.round(q.outcome_probabilities(), 3).tolist()
    [[0.5, 1.0, 1.0], [0.25, 0.0, 0.0], [0.25, 0.0, 0.0]]
    >>> float(agent_qre_residual(t, q).max()) < 1e-12
    True
    """
    lam, s, shape = _check_inputs(tree, precision, scale, start)
    n_nodes, n_players = len(tree.nodes), tree.n_players
    values = np.full((n_nodes, n_players, *shape), np.nan)
    choice: dict[int, FloatArray] = {}
    nodes = tree.subtree_nodes(start)
    for k in reversed(nodes):
        node = tree.nodes[k]
        kids = tree.children[k]
        if isinstance(node, Terminal):
            for i, u in enumerate(node.payoffs):
                values[k, i] = np.broadcast_to(np.asarray(u, dtype=np.float64), shape)
        elif isinstance(node, Chance):
            probs = [np.broadcast_to(np.asarray(p, dtype=np.float64), shape)
                     for p, _ in node.moves.values()]
            values[k] = sum(p * values[c] for p, c in zip(probs, kids, strict=True))
        else:
            assert isinstance(node, Decision)
            i = tree.players.index(node.player)
            v = np.stack([values[c, i] for c in kids]) / s[i]
            sigma = _logit(v, lam)
            choice[k] = sigma
            values[k] = np.sum(sigma[:, None] * np.stack([values[c] for c in kids]), axis=0)
    reach = np.zeros((n_nodes, *shape))
    reach[start] = 1.0
    for k in nodes:
        node = tree.nodes[k]
        kids = tree.children[k]
        if isinstance(node, Chance):
            for (p, _), c in zip(node.moves.values(), kids, strict=True):
                reach[c] = reach[k] * np.asarray(p, dtype=np.float64)
        elif isinstance(node, Decision):
            for a, c in enumerate(kids):
                reach[c] = reach[k] * choice[k][a]
    return AgentQREGrid(choice, values, reach, start, tree.outcome_labels, np.asarray(lam),
                        np.asarray(s), tree)


def agent_qre_residual(tree: GameTree, result: AgentQREGrid) -> FloatArray:
    """Largest gap, per cell, between the returned behaviour and the logit response.

    The continuation values are recomputed here from ``result.choice`` alone (each node's
    expected payoff as a sum over the terminals below it, weighted by the probability of
    reaching each from that node), not taken from ``result.values``.
    """
    shape = result.reach.shape[1:]
    worst = np.zeros(shape)
    for k, sigma in result.choice.items():
        node = tree.nodes[k]
        assert isinstance(node, Decision)
        i = tree.players.index(node.player)
        v = []
        for c in tree.children[k]:
            total = np.zeros(shape)
            reach = {c: np.ones(shape)}
            for m in tree.subtree_nodes(c):
                r = reach.pop(m)
                sub = tree.nodes[m]
                if isinstance(sub, Terminal):
                    total = total + r * np.asarray(sub.payoffs[i], dtype=np.float64)
                elif isinstance(sub, Chance):
                    for (p, _), cc in zip(sub.moves.values(), tree.children[m], strict=True):
                        reach[cc] = r * np.asarray(p, dtype=np.float64)
                else:
                    for a, cc in enumerate(tree.children[m]):
                        reach[cc] = r * result.choice[m][a]
            v.append(total)
        response = _logit(np.stack(v) / result.scale[i], result.precision)
        worst = np.maximum(worst, np.max(np.abs(response - sigma), axis=0))
    return worst
