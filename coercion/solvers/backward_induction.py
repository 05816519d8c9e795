"""Subgame-perfect equilibrium of perfect-information trees by backward induction.

Two entry points over one algorithm (Kuhn 1953; Zermelo 1913):

:func:`backward_induction`
    one game (numbers): **every** pure subgame-perfect equilibrium, found by
    keeping all optimal actions at each node (exact comparison when the tree
    is rational, ``tol`` otherwise).  Chance nodes are handled by expectation.
    Ties are reported (``ties=True``), never silently broken.

:func:`backward_induction_grid`
    a tree whose payoffs/probabilities are numpy arrays (a parameter grid):
    one pass over the nodes with array operations, no Python loop over grid
    points.  Per grid point it returns the chosen action at every node, the
    tie mask, the payoffs, the equilibrium path's outcome label and the
    outcome probabilities (with chance), in a :class:`GridResult`.  Where a
    player is indifferent the first optimal action (in action order) is
    chosen and the cell is flagged.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from coercion._numbers import to_fraction
from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.games.profiles import BehaviorProfile
from coercion.solvers._common import check_tol
from coercion.solvers.result import EquilibriumResult, Status

__all__ = ["GridResult", "backward_induction", "backward_induction_grid"]

#: per-cell status codes of :class:`GridResult`
UNIQUE, TIE, ESSENTIAL_TIE = 0, 1, 2


def _require_perfect_information(tree: object, where: str) -> GameTree:
    if not isinstance(tree, GameTree):
        raise UnsupportedGameError(f"{where}: needs a GameTree; got {type(tree).__name__}")
    if not tree.is_perfect_information:
        raise UnsupportedGameError(
            f"{where}: needs a perfect-information tree; this one has information sets with "
            "several nodes (use method='enummixed' on its normal form)"
        )
    return tree


def backward_induction(
    tree: GameTree, *, tol: float = 1e-12, max_equilibria: int = 1000
) -> EquilibriumResult:
    """Every pure subgame-perfect equilibrium of a perfect-information tree.

    Parameters
    ----------
    tree : GameTree
        Perfect information, numeric payoffs (a single game, not a grid).
    tol : float, optional
        Float payoffs within *tol* of the best are ties (exact trees compare exactly).
    max_equilibria : int, optional
        Stop enumerating tie combinations beyond this many; the result is then
        not exhaustive.

    Returns
    -------
    EquilibriumResult
        ``kind="subgame_perfect_pure"``; each equilibrium is a pure
        :class:`BehaviorProfile`.  ``exhaustive`` is True unless
        *max_equilibria* cut the list.  With ties, mixtures of the tied
        actions are subgame perfect too; they are not listed.

    Examples
    --------
    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["C", "T"], Decision("C", {
    ...     "threaten": Decision("T", {"concede": Terminal("concession", (1, -1)),
    ...                                "resist": Decision("C", {
    ...                                    "impose": Terminal("escalation", (-2, -2)),
    ...                                    "back_down": Terminal("coercer_backs_down", (-1, 0))})}),
    ...     "no_threat": Terminal("status_quo", (0, 0))}))
    >>> res = backward_induction(t)
    >>> res[0].to_list(), res.payoffs[0]
    ([[[0.0, 1.0], [0.0, 1.0]], [[0.0, 1.0]]], (0.0, 0.0))
    """
    tree = _require_perfect_information(tree, "backward_induction")
    tree._require_numeric("backward_induction")
    tol = check_tol(tol, "backward_induction")
    if not isinstance(max_equilibria, int) or max_equilibria < 1:
        raise InvalidParameterError(
            f"backward_induction: max_equilibria must be an integer >= 1; got {max_equilibria!r}"
        )
    exact = tree.is_exact
    conv: Any = to_fraction if exact else float
    truncated = False
    ties = False
    # per node: list of (choices {node: action}, payoff vector)
    solutions: list[list[tuple[dict[int, int], list[Any]]]] = [[] for _ in tree.nodes]
    for k in reversed(range(len(tree.nodes))):
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            solutions[k] = [({}, [conv(v) for v in node.payoffs])]
        elif isinstance(node, Chance):
            probs = [conv(p) for p, _ in node.moves.values()]
            combos: list[tuple[dict[int, int], list[Any]]] = []
            for parts in itertools.product(*(solutions[c] for c in tree.children[k])):
                if len(combos) >= max_equilibria:
                    truncated = True
                    break
                choices: dict[int, int] = {}
                value = [Fraction(0) if exact else 0.0] * tree.n_players
                for p, (ch, v) in zip(probs, parts, strict=True):
                    choices.update(ch)
                    value = [a + p * b for a, b in zip(value, v, strict=True)]
                combos.append((choices, value))
            solutions[k] = combos
        else:
            assert isinstance(node, Decision)
            i = tree.players.index(node.player)
            kept: list[tuple[dict[int, int], list[Any]]] = []
            for parts in itertools.product(*(solutions[c] for c in tree.children[k])):
                if len(kept) >= max_equilibria:
                    truncated = True
                    break
                own = [v[i] for _, v in parts]
                best = max(own)
                optimal = [a for a, u in enumerate(own) if u >= best - (0 if exact else tol)]
                ties = ties or len(optimal) > 1
                merged: dict[int, int] = {}
                for ch, _ in parts:
                    merged.update(ch)
                kept.extend(({**merged, k: a}, parts[a][1]) for a in optimal)
            solutions[k] = kept
    equilibria = []
    payoffs = []
    for choices, value in solutions[0]:
        dists: list[list[list[Any]]] = []
        for infosets_of_player in tree.player_infosets:
            per = []
            for h in infosets_of_player:
                node_k = tree.infosets[h].members[0]
                n_act = len(tree.infosets[h].actions)
                per.append([Fraction(int(a == choices[node_k])) for a in range(n_act)])
            dists.append(per)
        equilibria.append(BehaviorProfile.from_exact(dists))
        payoffs.append(tuple(float(v) for v in value))
    return EquilibriumResult(
        game=tree,
        method="backward_induction",
        equilibria=tuple(equilibria),
        payoffs=tuple(payoffs),
        exhaustive=not truncated,
        kind="subgame_perfect_pure",
        status=Status.INCOMPLETE if truncated else Status.SUCCESS,
        message=(
            f"stopped after {max_equilibria} equilibria (ties); the list is not complete"
            if truncated
            else f"found all {len(equilibria)} pure subgame-perfect equilibria"
            + (" (some player is indifferent at some node)" if ties else "")
        ),
        max_regret=0.0,
        ties=ties,
        parameters={"tol": tol, "max_equilibria": max_equilibria},
    )


@dataclass(frozen=True, eq=False)
class GridResult:
    """Subgame-perfect play of a tree at every point of a parameter grid.

    Attributes
    ----------
    tree : GameTree
    method : str
    grid_shape : tuple of int
    choices : ndarray of int8, shape ``(n_nodes, *grid_shape)``
        Action index chosen at each decision node (``-1`` at chance and
        terminal nodes).  Off-path nodes are included: the whole plan.
    ties : ndarray of bool, shape ``(n_nodes, *grid_shape)``
        Whether the mover was indifferent between several optimal actions.
    payoffs : ndarray of float, shape ``(n_players, *grid_shape)``
        Equilibrium payoffs (``root_payoffs``, one array per player, stacked on first use).
    outcome_labels : tuple of str
        The distinct terminal labels; outcome codes index into it.
    outcome_probabilities : ndarray of float, shape ``(n_labels, *grid_shape)``
        Probability of each outcome label on the equilibrium path (0/1 without chance).
    outcome : ndarray of int, shape ``grid_shape``
        Most probable outcome label (the outcome, without chance).
    essential_ties : ndarray of bool, shape ``(n_nodes, *grid_shape)``
        Ties that change some player's payoff or the outcome of their subgame.
    node_payoffs : mapping
        Equilibrium payoffs ``(n_players, *grid_shape)`` of the nodes asked for
        with ``record=``.
    node_outcomes : mapping
        Outcome codes of the root and of the recorded nodes, where certain at every
        grid point (see :meth:`outcome_code_from`).
    status : ndarray of int8, shape ``grid_shape``
        ``0``: the subgame-perfect equilibrium is unique.  ``1``: some mover is
        indifferent at some node, but every optimal action there gives every
        player the same payoff and the same outcome distribution (the tie is
        inessential).  ``2``: some tie changes a player's payoff or the outcome
        of its subgame, so other subgame-perfect equilibria may end
        differently.  The first optimal action is always taken;
        :func:`backward_induction` on a point lists every pure equilibrium.
    """

    tree: GameTree
    method: str
    grid_shape: tuple[int, ...]
    choices: npt.NDArray[np.int8]
    ties: npt.NDArray[np.bool_]
    root_payoffs: tuple[npt.NDArray[np.float64], ...]
    outcome_labels: tuple[str, ...]
    outcome: npt.NDArray[np.int64]
    status: npt.NDArray[np.int8]
    node_payoffs: Mapping[int, npt.NDArray[np.float64]] = field(default_factory=dict)
    essential_ties: npt.NDArray[np.bool_] | None = None
    node_outcomes: Mapping[int, npt.NDArray[np.int16]] = field(default_factory=dict)

    @functools.cached_property
    def payoffs(self) -> npt.NDArray[np.float64]:
        """Equilibrium payoffs, ``(n_players, *grid_shape)`` (stacked on first use)."""
        return np.stack(self.root_payoffs)

    @functools.cached_property
    def outcome_probabilities(self) -> npt.NDArray[np.float64]:
        """Probability of each outcome label on the equilibrium path, ``(n_labels, *grid_shape)``.

        0/1 without chance; computed on first use by a forward pass.
        """
        return _forward(self.tree, self.choices, 0, self.grid_shape)

    def outcome_from(self, node: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Outcome probabilities and most probable outcome of the subgame at *node*.

        The subgame is played with the same (subgame-perfect) plan.
        """
        p = _forward(self.tree, self.choices, node, self.grid_shape)
        return p, np.argmax(p, axis=0)

    def outcome_code_from(self, node: int) -> npt.NDArray[np.integer[Any]]:
        """Most probable outcome label (index into :attr:`outcome_labels`) of the subgame at *node*.

        Read off the backward pass (int16, no copy) when the outcome there is certain at
        every grid point and *node* was recorded (``record=``) or is the root; otherwise
        from a forward pass.
        """
        if node in self.node_outcomes:
            return self.node_outcomes[node]
        return self.outcome_from(node)[1]

    def ties_in(self, node: int, *, essential: bool = False) -> npt.NDArray[np.bool_]:
        """Whether some mover is indifferent somewhere in the subgame at *node*.

        With ``essential=True``, only ties that change a payoff or an outcome count.
        """
        nodes = self.tree.subtree_nodes(node)
        mask = self.ties if not essential or self.essential_ties is None else self.essential_ties
        return np.asarray(mask[nodes.start : nodes.stop].any(axis=0), dtype=bool)

    def outcome_names(self) -> npt.NDArray[np.str_]:
        """The outcome label at every grid point, as a string array."""
        return np.asarray(self.outcome_labels)[self.outcome]

    def path_at(self, index: tuple[int, ...] = (), start: int = 0) -> list[tuple[str, str]]:
        """``[(mover, action), ...]`` along the equilibrium path at one grid point.

        The path starts at node *start* (the root by default).  At chance nodes
        the most probable move is followed and the mover is ``"chance"``.
        """
        tree = self.tree
        path: list[tuple[str, str]] = []
        k = start
        while not isinstance(tree.nodes[k], Terminal):
            node = tree.nodes[k]
            if isinstance(node, Decision):
                a = int(self.choices[(k, *index)])
                path.append((node.player, tree.actions_at(k)[a]))
            else:
                assert isinstance(node, Chance)
                probs = [
                    float(np.broadcast_to(np.asarray(p, dtype=float), self.grid_shape)[index])
                    for p, _ in node.moves.values()
                ]
                a = int(np.argmax(probs))
                path.append(("chance", tree.actions_at(k)[a]))
            k = tree.children[k][a]
        return path

    def plan_at(self, index: tuple[int, ...] = ()) -> BehaviorProfile:
        """The pure behaviour profile chosen at one grid point."""
        tree = self.tree
        dists = []
        for own in tree.player_infosets:
            per = []
            for h in own:
                k = tree.infosets[h].members[0]
                a = int(self.choices[(k, *index)])
                per.append([Fraction(int(j == a)) for j in range(len(tree.infosets[h].actions))])
            dists.append(per)
        return BehaviorProfile.from_exact(dists)


def _chance_probabilities(tree: GameTree, k: int, shape: tuple[int, ...]) -> list[Any]:
    node = tree.nodes[k]
    assert isinstance(node, Chance)
    return [np.broadcast_to(np.asarray(p, dtype=np.float64), shape) for p, _ in node.moves.values()]


def _forward(
    tree: GameTree, choices: npt.NDArray[np.integer[Any]], start: int, shape: tuple[int, ...]
) -> npt.NDArray[np.float64]:
    """Probability of each outcome label when play starts at *start* and follows *choices*."""
    labels = tree.outcome_labels
    label_index = {lab: j for j, lab in enumerate(labels)}
    outcome_p = np.zeros((len(labels), *shape))
    reach: dict[int, npt.NDArray[np.float64]] = {start: np.ones(shape)}
    for k in tree.subtree_nodes(start):
        r = reach.pop(k)
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            outcome_p[label_index[node.label]] += r
        elif isinstance(node, Chance):
            for c, p in zip(tree.children[k], _chance_probabilities(tree, k, shape), strict=True):
                reach[c] = r * p
        else:
            for a, c in enumerate(tree.children[k]):
                reach[c] = r * (choices[k] == a)
    return outcome_p


_T = TypeVar("_T")


def _present(item: _T | None) -> _T:
    assert item is not None  # children are processed before their parent
    return item


def _essential_ties(
    tree: GameTree,
    choices: npt.NDArray[np.integer[Any]],
    ties: npt.NDArray[np.bool_],
    payoff_split: Mapping[int, npt.NDArray[np.bool_]],
    optimal_sets: Mapping[int, npt.NDArray[np.bool_]],
    shape: tuple[int, ...],
    forward: set[int],
) -> npt.NDArray[np.bool_]:
    """Per node and cell: a tie that changes a payoff or the outcome distribution of its subgame.

    *payoff_split* already holds the payoff test (and the outcome test where the outcomes
    were deterministic); the nodes in *forward* compare outcome distributions by replaying
    each optimal action's subgame.
    """
    out = np.zeros(ties.shape, dtype=bool)
    for k, split in payoff_split.items():
        if k not in forward:
            out[k] = split
            continue
        optimal = optimal_sets[k]  # (n_actions, *shape)
        dists = np.stack([_forward(tree, choices, c, shape) for c in tree.children[k]])
        chosen = np.take_along_axis(dists, choices[k][None, None], axis=0)[0]
        gap = np.abs(dists - chosen[None]).max(axis=1)  # (n_actions, *shape)
        outcome_split = np.any(optimal & (gap > 1e-12), axis=0)
        out[k] = ties[k] & (split | outcome_split)
    return out


def backward_induction_grid(
    tree: GameTree, *, tol: float = 1e-12, record: Sequence[int] = ()
) -> GridResult:
    """Backward induction at every point of a grid-valued tree, vectorised.

    Parameters
    ----------
    tree : GameTree
        Perfect information; payoffs and chance probabilities are numbers or
        numpy arrays broadcasting to ``tree.grid_shape``.
    tol : float, optional
        Actions within *tol* of the best payoff are ties.
    record : sequence of int, optional
        Nodes whose equilibrium payoffs to keep (:attr:`GridResult.node_payoffs`);
        with :meth:`GridResult.outcome_from` this solves every subgame in one pass
        (and :meth:`GridResult.outcome_code_from` reads their outcomes without one).

    Examples
    --------
    The threat game with the coercer's sanction cost on a grid: the threat is
    credible (and the target concedes) while imposing costs less than backing down.

    >>> import numpy as np
    >>> from coercion.games import GameTree, Decision, Terminal
    >>> cost = np.array([0.5, 1.0, 2.0])
    >>> t = GameTree(["C", "T"], Decision("C", {
    ...     "threaten": Decision("T", {"concede": Terminal("concession", (1, -1)),
    ...                                "resist": Decision("C", {
    ...                                    "impose": Terminal("escalation", (-cost, -2)),
    ...                                    "back_down": Terminal("coercer_backs_down", (-1, 0))})}),
    ...     "no_threat": Terminal("status_quo", (0, 0))}))
    >>> g = backward_induction_grid(t)
    >>> g.outcome_names().tolist(), g.status.tolist()
    (['concession', 'concession', 'status_quo'], [0, 2, 0])
    """
    tree = _require_perfect_information(tree, "backward_induction_grid")
    if tree.is_symbolic:
        raise UnsupportedGameError(
            "backward_induction_grid: needs numeric payoffs; this tree is symbolic "
            "(call .evaluate first)"
        )
    tol = check_tol(tol, "backward_induction_grid")
    shape = tree.grid_shape
    n_nodes = len(tree.nodes)
    n_players = tree.n_players
    choices = np.full((n_nodes, *shape), -1, dtype=np.int8)
    ties = np.zeros((n_nodes, *shape), dtype=bool)
    # per node, one payoff array per player (broadcast views where constant): no stacking
    values: list[list[npt.NDArray[np.float64]] | None] = [None] * n_nodes

    def grid(v: Any) -> npt.NDArray[np.float64]:
        return np.broadcast_to(np.asarray(v, dtype=np.float64), shape)

    kept: dict[int, npt.NDArray[np.float64]] = {}
    payoff_split: dict[int, npt.NDArray[np.bool_]] = {}
    optimal_sets: dict[int, npt.NDArray[np.bool_]] = {}
    # outcome label index reached from each node under the plan (-1: a chance mixture)
    label_of = {lab: j for j, lab in enumerate(tree.outcome_labels)}
    codes: list[npt.NDArray[np.int16] | None] = [None] * n_nodes
    unresolved: set[int] = set()  # tied nodes whose outcome comparison needs a forward pass
    keep_codes = {0, *record}
    kept_codes: dict[int, npt.NDArray[np.int16]] = {}
    for k in reversed(range(n_nodes)):
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            values[k] = [grid(v) for v in node.payoffs]
            codes[k] = np.broadcast_to(np.int16(label_of[node.label]), shape)
            continue
        kids = [_present(values[c]) for c in tree.children[k]]
        kid_codes = [_present(codes[c]) for c in tree.children[k]]
        n_act = len(kids)
        if isinstance(node, Chance):
            probs = [grid(p) for p, _ in node.moves.values()]
            values[k] = [
                sum((probs[a] * kids[a][i] for a in range(1, n_act)), probs[0] * kids[0][i])
                for i in range(n_players)
            ]
            code = np.full(shape, -1, dtype=np.int16)
            for a in reversed(range(n_act)):  # the first certain move, as argmax would
                code = np.where(probs[a] == 1.0, kid_codes[a], code)
            codes[k] = code
        else:
            assert isinstance(node, Decision)
            i = tree.players.index(node.player)
            own = [kid[i] for kid in kids]
            best = own[0]
            for o in own[1:]:
                best = np.maximum(best, o)
            threshold = best - tol
            opt = [o >= threshold for o in own]
            if n_act == 2:
                # the common case, fused: first optimal action, tie iff both are optimal
                first = opt[0]
                choices[k] = ~first
                tie = first & opt[1]
                values[k] = [np.where(first, kids[0][j], kids[1][j]) for j in range(n_players)]
                here = np.where(first, kid_codes[0], kid_codes[1])
            else:
                pick = np.full(shape, n_act - 1, dtype=np.int8)
                for a in reversed(range(n_act - 1)):
                    pick = np.where(opt[a], np.int8(a), pick)
                choices[k] = pick
                tie = sum((o.astype(np.int8) for o in opt[1:]), opt[0].astype(np.int8)) > 1
                chosen = [pick == a for a in range(n_act)]
                values[k] = [np.select(chosen, [kid[j] for kid in kids]) for j in range(n_players)]
                here = np.select(chosen, kid_codes).astype(np.int16)
            ties[k] = tie
            codes[k] = here
            if n_act == 2 and tie.any():
                # both actions optimal where tied: compare them directly
                (k0, k1), (c0, c1) = kids, kid_codes
                # the mover's own payoffs are within tol where tied: compare the others'
                gaps = [np.abs(k0[j] - k1[j]) > tol for j in range(n_players) if j != i]
                split = tie & functools.reduce(np.logical_or, gaps) if gaps else tie & False
                if (tie & ((c0 < 0) | (c1 < 0))).any():
                    unresolved.add(k)  # compare outcome distributions by forward passes
                    optimal_sets[k] = np.stack(opt)
                else:
                    split |= tie & (c0 != c1)
                payoff_split[k] = split
            elif tie.any():
                # a tie matters if some player's payoff, or the outcome, differs between
                # optimal actions
                optimal = np.stack(opt)
                stacked = np.stack([np.stack(kid) for kid in kids])
                spread = np.where(optimal[:, None], stacked, np.nan)
                with np.errstate(invalid="ignore"):
                    gap = np.nanmax(spread, axis=0) - np.nanmin(spread, axis=0)
                split = tie & np.any(gap > tol, axis=0)
                stacked_codes = np.stack(kid_codes)
                mixed = optimal & (stacked_codes < 0)
                if mixed[:, tie].any():
                    unresolved.add(k)  # compare outcome distributions by forward passes
                else:
                    split |= tie & np.any(optimal & (stacked_codes != here[None]), axis=0)
                payoff_split[k] = split
                optimal_sets[k] = optimal
        if k in record:
            kept[k] = np.stack(_present(values[k]))
        if k in keep_codes:
            kept_codes[k] = _present(codes[k])
        for c in tree.children[k]:
            codes[c] = None
            if not isinstance(tree.nodes[c], Terminal):
                values[c] = None  # free memory of inner nodes once used

    root_values = values[0]
    assert root_values is not None
    status = np.where(ties.any(axis=0), TIE, UNIQUE)
    essential = _essential_ties(
        tree, choices, ties, payoff_split, optimal_sets, shape, forward=unresolved
    )
    status = np.where(essential.any(axis=0), ESSENTIAL_TIE, status)
    root_code = kept_codes[0]
    deterministic = bool((root_code >= 0).all())
    return GridResult(
        tree=tree,
        method="backward_induction",
        grid_shape=shape,
        choices=choices,
        ties=ties,
        root_payoffs=tuple(root_values),
        outcome_labels=tree.outcome_labels,
        outcome=(
            root_code.astype(np.int64)
            if deterministic
            else np.argmax(_forward(tree, choices, 0, shape), axis=0)
        ),
        status=status.astype(np.int8),
        node_payoffs=kept,
        essential_ties=essential,
        node_outcomes={n: c for n, c in kept_codes.items() if bool((c >= 0).all())},
    )
