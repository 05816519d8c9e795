"""Vectorised evaluation of a case's game: many parameter points in one pass.

Every cell of a batch carries its own complete parameter vector (most
parameters are shared scalars), so a single backward-induction pass over the
coercion tree solves points that vary different parameters at once.  This
is what thresholds, sweeps and policy searches stand on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion.cases.loader import Case, load
from coercion.games.extensive_form import GameTree
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES, coercion_game, episode_root
from coercion.solvers.backward_induction import GridResult, backward_induction_grid

__all__ = ["Batch", "evaluate", "outcome_code"]


def outcome_code(label: str) -> int:
    """Index of an outcome label in :data:`coercion.model.game.OUTCOMES`."""
    return OUTCOMES.index(label)


@dataclass(frozen=True, eq=False)
class Batch:
    """Outcomes of the episode (and of the full game) at a batch of parameter points.

    Attributes
    ----------
    outcome : int8 array
        Episode outcome code per point (index into ``OUTCOMES``).
    ex_ante : int8 array
        Outcome of the full game (``status_quo`` where the coercer would not threaten).
    ties : bool array
        Some mover is indifferent somewhere in the episode in a way that changes a
        payoff or an outcome (inessential ties are not flagged).
    episode_payoffs : float array, shape ``(2, *batch)``
        Equilibrium payoffs of the episode (coercer, target).
    start : int
        The episode's root node in :attr:`tree`.
    grid : GridResult
        Backward induction on the whole game (plans at every node).
    tree : GameTree
        The full game with array payoffs.
    """

    outcome: npt.NDArray[np.int8]
    ex_ante: npt.NDArray[np.int8]
    ties: npt.NDArray[np.bool_]
    episode_payoffs: npt.NDArray[np.float64]
    start: int
    grid: GridResult
    tree: GameTree

    def path_at(self, index: tuple[int, ...] = ()) -> list[tuple[str, str]]:
        """``[(mover, action), ...]`` of the episode at one point of the batch."""
        return self.grid.path_at(index, start=self.start)


def _full(a: npt.NDArray[Any], shape: tuple[int, ...]) -> npt.NDArray[Any]:
    """*a* as a writable array of *shape* (no copy when it already is one)."""
    if a.shape == shape and a.flags.writeable:
        return a
    return np.broadcast_to(a, shape).copy()


def evaluate(
    case: Case | str | Path,
    values: Mapping[str, Any] | None = None,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> Batch:
    """Solve the case's game at the points given by *values*.

    Parameters
    ----------
    case : Case or str
        A case, a bundled case id or a case-file path.
    values : mapping of path -> number, level or array
        Parameter overrides; arrays must broadcast to one shape (the batch).
    calibration : Calibration

    Examples
    --------
    >>> import numpy as np
    >>> from coercion.cases import load
    >>> from coercion.model.game import OUTCOMES
    >>> b = evaluate(load("japan-china-2010"),
    ...              {"instrument.dependency_share": np.array([0.0, 0.92])})
    >>> [OUTCOMES[k] for k in b.outcome]
    ['standoff', 'concession']
    """
    if not isinstance(case, Case):
        case = load(case)
    moved = case.with_values(values or {})
    tree = coercion_game(moved.scenario(calibration), calibration)
    start = episode_root(tree)
    full = backward_induction_grid(tree, record=(start,))
    shape = tree.grid_shape
    # the tree's label codes (int16, read off the backward pass where certain) -> OUTCOMES
    episode_outcome = full.outcome_code_from(start)
    lookup = np.array([OUTCOMES.index(lab) for lab in full.outcome_labels], dtype=np.int8)
    return Batch(
        outcome=_full(lookup[episode_outcome], shape),
        ex_ante=_full(lookup[full.outcome], shape),
        ties=_full(full.ties_in(start, essential=True), shape),
        episode_payoffs=full.node_payoffs[start],
        start=start,
        grid=full,
        tree=tree,
    )
