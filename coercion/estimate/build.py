"""From a spec and a data frame to a likelihood: designs, outcome counts, checks.

:func:`compile_model` is the one place where a spec meets data.  It reads the
formulas (checked before evaluation), cleans the frame, codes factors, builds
one design matrix per utility and per scale equation, counts the outcomes, and
refuses specs that cannot be estimated: a regressor in every utility of one
player (only differences of a player's utilities are identified), collinear
columns within a utility, an action never observed at a move that is reached
(perfect prediction: the estimates would diverge).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from coercion.errors import InvalidParameterError
from coercion.estimate.data import outcome_counts, prepare_frame, read_data
from coercion.estimate.formulas import FormulaTerms, design_matrix, parse_formula
from coercion.estimate.games import bundled_game
from coercion.estimate.spec import EstimationSpec
from coercion.estimate.tree_likelihood import ScaleBlock, TreeLikelihood, UtilityBlock
from coercion.games.extensive_form import Decision, GameTree

if TYPE_CHECKING:
    import pandas as pd

    from coercion.estimate.signaling import SignalingProblem
    from coercion.estimate.ultimatum import UltimatumLikelihood

__all__ = ["MAX_WORK_BYTES", "SIGNALING_KEYS", "Compiled", "compile_model", "resolve_game"]

#: working memory a tree likelihood may need (one forward and one adjoint sweep, the
#: per-unit scores); larger problems are refused before allocating (``max_work_bytes=``)
MAX_WORK_BYTES = 2 * 2**30

#: the signalling game's utilities, in the estimator's parameter order
SIGNALING_KEYS = (
    ("A", "SQ"), ("A", "CD"), ("B", "CD"), ("A", "SF"), ("B", "SF"), ("A", "BD"), ("B", "BD"),
)


def resolve_game(game: str | GameTree) -> GameTree:
    """The tree of a spec: a GameTree, a bundled name or a ``.efg`` file."""
    if isinstance(game, GameTree):
        return game
    if game.endswith(".efg") or "/" in game:
        from coercion.io import read_game

        tree = read_game(Path(game))
        if not isinstance(tree, GameTree):
            raise InvalidParameterError(f"game: {game} is not a game tree")
        return tree
    return bundled_game(game)


def is_signaling(spec: EstimationSpec) -> bool:
    """True for the Lewis-Schultz game with private information (its own estimators)."""
    return spec.game == "signaling" and spec.errors == "private"


@dataclass(frozen=True)
class Compiled:
    """A spec bound to data: what the estimators and predictions need."""

    spec: EstimationSpec
    tree: GameTree
    frame: pd.DataFrame
    kept: np.ndarray
    dropped: int
    counts: np.ndarray
    param_names: tuple[str, ...]
    likelihood: TreeLikelihood | None
    signaling: SignalingProblem | None
    ultimatum: UltimatumLikelihood | None
    terms: Mapping[tuple[int, str], FormulaTerms] = field(repr=False)
    scale_terms: tuple[tuple[tuple[int, ...], FormulaTerms], ...] = field(repr=False)
    levels: Mapping[str, list[str]] = field(repr=False)

    @property
    def n(self) -> int:
        """Number of units (rows) estimated from."""
        return int(self.counts.shape[0])


def _player_index(tree: GameTree, label: str, what: str) -> int:
    if label not in tree.players:
        raise InvalidParameterError(
            f"{what}: the tree has no player {label!r}; players: {', '.join(tree.players)}"
        )
    return tree.players.index(label)


def _check_rank(matrix: np.ndarray, names: tuple[str, ...], prefix: str) -> None:
    k = matrix.shape[1]
    if k == 0 or np.linalg.matrix_rank(matrix) == k:
        return
    for j in range(k):
        col = matrix[:, j]
        if j > 0 and np.ptp(col) == 0 and "(Intercept)" in names[:j]:
            raise InvalidParameterError(
                f"utility {prefix}: column {names[j]!r} is constant, so it duplicates the "
                "intercept (not identified)"
            )
        if np.linalg.matrix_rank(matrix[:, : j + 1]) < j + 1:
            raise InvalidParameterError(
                f"utility {prefix}: column {names[j]!r} is a combination of the columns before "
                "it (collinear: not identified)"
            )


def _check_observed_actions(tree: GameTree, counts: np.ndarray) -> None:
    """Refuse moves reached in the data where some action is never observed."""
    labels = tree.outcome_labels
    totals = counts.sum(axis=0)
    below: dict[int, float] = {}
    for k in range(len(tree.nodes) - 1, -1, -1):
        node = tree.nodes[k]
        kids = tree.children[k]
        if not kids:
            below[k] = float(totals[labels.index(node.label)])  # type: ignore[union-attr]
        else:
            below[k] = sum(below[c] for c in kids)
    for k, node in enumerate(tree.nodes):
        if not isinstance(node, Decision) or below[k] == 0:
            continue
        for action, c in zip(node.moves, tree.children[k], strict=True):
            if below[c] == 0:
                raise InvalidParameterError(
                    f"data: at the move of player {node.player!r} (actions "
                    f"{', '.join(node.moves)}), {action!r} is never observed in "
                    f"{below[k]:g} plays: perfect prediction, the estimates would diverge"
                )


def _check_identified(
    tree: GameTree, designs: Mapping[tuple[int, str], tuple[str, ...]], fixed: set[tuple[int, str]]
) -> None:
    labels = tree.outcome_labels
    for p, player in enumerate(tree.players):
        if any((p, lab) in fixed or (p, lab) not in designs for lab in labels):
            continue
        common = set(designs[(p, labels[0])])
        for lab in labels[1:]:
            common &= set(designs[(p, lab)])
        if common:
            name = sorted(common)[0]
            raise InvalidParameterError(
                f"spec: {name!r} enters every utility of player {player!r}; only differences "
                "between a player's utilities are identified: drop it from one of them"
            )


def compile_model(
    spec: EstimationSpec,
    data: Any,
    *,
    levels: Mapping[str, list[str]] | None = None,
    require_outcome: bool = True,
    max_work_bytes: int = MAX_WORK_BYTES,
) -> Compiled:
    """Bind *spec* to *data* (a DataFrame, a bundled data set id or a CSV path).

    With *levels* (a fitted model's factor levels) and ``require_outcome=False``
    this prepares new data for prediction.
    """
    tree = resolve_game(spec.game)
    frame = read_data(data)
    columns = [str(c) for c in frame.columns]
    terms: dict[tuple[int, str], FormulaTerms] = {}
    fixed: dict[tuple[int, str], float] = {}
    prefixes: dict[tuple[int, str], str] = {}
    labels = tree.outcome_labels
    for u in spec.utilities:
        p = _player_index(tree, u.player, f"utility {u.player}:{u.outcome}")
        if u.outcome not in labels:
            raise InvalidParameterError(
                f"utility {u.player}:{u.outcome}: the tree has no outcome {u.outcome!r}; "
                f"outcomes: {', '.join(labels)}"
            )
        key = (p, u.outcome)
        if key in terms or key in fixed:
            raise InvalidParameterError(f"utility {u.player}:{u.outcome} is given twice")
        prefixes[key] = u.prefix
        if u.formula is None:
            fixed[key] = float(u.value)
            continue
        t = parse_formula(u.formula, columns, where=f"utility {u.prefix}")
        if t.is_zero:
            fixed[key] = 0.0
        else:
            terms[key] = t
    scale_terms: list[tuple[tuple[int, ...], FormulaTerms]] = []
    for s in spec.scales:
        players = (
            tuple(range(tree.n_players))
            if s.players is None
            else tuple(_player_index(tree, q, "scale.players") for q in s.players)
        )
        scale_terms.append((players, parse_formula(s.formula, columns, where="scale")))
    used = [c for t in terms.values() for c in t.columns]
    used += [c for _, t in scale_terms for c in t.columns]
    outcome_cols: list[str] = []
    if require_outcome:
        o = spec.outcome
        if o.column is not None:
            outcome_cols = [o.column]
        elif o.counts is not None:
            outcome_cols = list(o.counts.values())
        elif o.path is not None:
            outcome_cols = list(o.path)
        elif o.offer is not None:
            outcome_cols = [o.offer] + ([o.accept] if o.accept is not None else [])
    prep = prepare_frame(frame, used, outcome_cols, spec.factors, spec.missing, levels)
    clean = prep.frame
    n = len(clean)
    ultimatum_game = spec.game == "ultimatum"
    counts = (
        outcome_counts(tree, clean, spec.outcome)
        if require_outcome and not ultimatum_game
        else np.zeros((n, len(labels)))
    )
    fitted_levels = {
        c: [str(x) for x in clean[c].cat.categories]
        for c in clean.columns
        if str(clean[c].dtype) == "category"
    }
    blocks: dict[tuple[int, str], UtilityBlock] = {}
    for key, t in terms.items():
        d = design_matrix(t, clean, where=f"utility {prefixes[key]}")
        if require_outcome:  # new data for predictions may well be constant
            _check_rank(d.matrix, d.names, prefixes[key])
        blocks[key] = UtilityBlock(key[0], key[1], prefixes[key], d.matrix, d.names, np.zeros(n))
    for key, value in fixed.items():
        blocks[key] = UtilityBlock(
            key[0], key[1], prefixes[key], np.zeros((n, 0)), (), np.full(n, value)
        )
    scale_blocks: list[ScaleBlock] = []
    for (players, t), s in zip(scale_terms, spec.scales, strict=True):
        d = design_matrix(t, clean, where="scale")
        if require_outcome:
            _check_rank(d.matrix, d.names, s.name)
        scale_blocks.append(ScaleBlock(players, s.name, d.matrix, d.names))
    if require_outcome and not ultimatum_game:
        _check_identified(tree, {k: b.names for k, b in blocks.items() if k in terms},
                          set(fixed))
        _check_observed_actions(tree, counts)
    signaling_problem = None
    likelihood = None
    ultimatum_model = None
    if ultimatum_game:
        from coercion.estimate.ultimatum import UltimatumLikelihood

        extra = sorted(set(blocks) - {(0, "reject"), (1, "reject")})
        if extra:
            raise InvalidParameterError(
                f"utility {tree.players[extra[0][0]]}:{extra[0][1]}: the ultimatum game has "
                "only the reservation values, utilities at 'reject'"
            )
        if scale_blocks:
            raise InvalidParameterError("scale: the ultimatum game estimates log(s1), log(s2)")
        empty = UtilityBlock(0, "reject", "R", np.zeros((n, 0)), (), np.zeros(n))
        b1 = blocks.get((0, "reject"), empty)
        b2 = blocks.get((1, "reject"), empty)
        for b in (b1, b2):
            if np.any(b.offset != 0):
                raise InvalidParameterError("utility: fixed reservation values must be 0")
        o = spec.outcome
        assert spec.max_offer is not None
        if require_outcome:
            assert o.offer is not None
            offer = clean[o.offer].to_numpy(dtype=float)
            accept = clean[o.accept].to_numpy(dtype=float) if o.accept is not None else None
        else:
            offer = np.full(n, (spec.min_offer + spec.max_offer) / 2)
            accept = None
        ultimatum_model = UltimatumLikelihood(
            b1.design, b1.names, b2.design, b2.names, offer, accept,
            spec.min_offer, spec.max_offer, prefixes=(b1.prefix, b2.prefix),
        )
        param_names = ultimatum_model.param_names
    elif is_signaling(spec):
        from coercion.estimate.signaling import SignalingProblem

        if (1, "SQ") in terms or fixed.get((1, "SQ"), 0.0) != 0.0:
            raise InvalidParameterError(
                "utility B:SQ: the target's status-quo utility is normalised to 0 in the "
                "signalling game"
            )
        if scale_blocks:
            raise InvalidParameterError("scale: the signalling estimators fix sigma = 1")
        designs: list[np.ndarray] = []
        offsets: list[np.ndarray] = []
        names: list[str] = []
        for p_label, lab in SIGNALING_KEYS:
            key = (tree.players.index(p_label), lab)
            block = blocks.get(key) or UtilityBlock(
                key[0], lab, f"{p_label}:{lab}", np.zeros((n, 0)), (), np.zeros(n)
            )
            designs.append(block.design)
            offsets.append(block.offset)
            names.extend(f"{block.prefix}:{c}" for c in block.names)
        signaling_problem = SignalingProblem(
            designs=tuple(designs), offsets=tuple(offsets), counts=counts
        )
        param_names = tuple(names)
    else:
        ordered = [blocks[k] for k in sorted(blocks, key=lambda k: _order(spec, tree, k))]
        _check_work(tree, spec, n, sum(b.design.shape[1] for b in ordered) + sum(
            b.design.shape[1] for b in scale_blocks), max_work_bytes)
        likelihood = TreeLikelihood(tree, ordered, scale_blocks, counts, spec.errors, spec.link)
        param_names = likelihood.param_names
    return Compiled(
        spec=spec, tree=tree, frame=clean, kept=prep.kept, dropped=prep.dropped,
        counts=counts, param_names=param_names, likelihood=likelihood,
        signaling=signaling_problem, ultimatum=ultimatum_model, terms=terms,
        scale_terms=tuple(scale_terms),
        levels=levels if levels is not None else fitted_levels,
    )


def _check_work(tree: GameTree, spec: EstimationSpec, n: int, k: int, limit: int) -> None:
    """Refuse a tree likelihood whose sweeps would need more than *limit* bytes."""
    per_node = tree.n_players + (len(tree.terminals) if spec.errors == "private" else 0)
    need = 8 * n * (3 * k + 4 * len(tree.nodes) * per_node)
    if need > limit:
        raise InvalidParameterError(
            f"data: {n} units with {k} parameters on a {len(tree.nodes)}-node tree need about "
            f"{need / 2**30:.1f} GiB of working memory, above the limit of "
            f"{limit / 2**30:.1f} GiB (max_work_bytes=); estimate on a sample or aggregate "
            "identical rows into outcome counts"
        )


def _order(spec: EstimationSpec, tree: GameTree, key: tuple[int, str]) -> int:
    for i, u in enumerate(spec.utilities):
        if tree.players.index(u.player) == key[0] and u.outcome == key[1]:
            return i
    return len(spec.utilities)  # pragma: no cover
