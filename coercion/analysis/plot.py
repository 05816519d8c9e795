"""Figures: phase diagrams of grid sweeps, and game trees.

:func:`plot_phase` draws a 2-D :class:`~coercion.analysis.sweep.SweepResult`
as coloured outcome regions (one fixed colour per outcome label), with the
region boundaries (threshold curves), a legend of the outcomes present, axes
labelled with the parameter paths and units, and markers for the case's
current values and for any other named points.  :func:`plot_tree` draws a
:class:`~coercion.games.GameTree` (players, actions, chance probabilities,
information sets, outcomes and payoffs) with an equilibrium path in bold.
matplotlib is imported only when a plot is drawn.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion._numbers import is_symbolic
from coercion.analysis.sweep import SweepResult
from coercion.cases._schema import ECONOMY_FIELDS, INSTRUMENT_FIELDS
from coercion.errors import CoercionError, InvalidParameterError, MissingDependencyError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.games.profiles import BehaviorProfile
from coercion.solvers.result import EquilibriumResult

__all__ = [
    "OUTCOME_COLORS",
    "PATH_COLOR",
    "PLAYER_COLORS",
    "axis_label",
    "plot_phase",
    "plot_tree",
    "unit_of",
]

#: a fixed colour per outcome label (colour-blind-friendly Okabe–Ito palette)
OUTCOME_COLORS: dict[str, str] = {
    "status_quo": "#BBBBBB",
    "concession": "#009E73",
    "partial_concession": "#56B4E9",
    "coercer_backs_down": "#F0E442",
    "counter_threat_success": "#CC79A7",
    "standoff": "#E69F00",
    "escalation": "#D55E00",
}


def unit_of(path: str) -> str:
    """The unit of a parameter path (``""`` if unknown).

    Examples
    --------
    >>> unit_of("instrument.stockpile_months"), unit_of("stakes.target_issue")
    ('months', 'US$ bn')
    >>> unit_of("target_economy.gdp_usd_bn")
    'US$ bn / year'
    """
    group, _, name = path.partition(".")
    if group in ("instrument", "counter") and name in INSTRUMENT_FIELDS:
        return INSTRUMENT_FIELDS[name].unit
    if group in ("coercer_economy", "target_economy") and name in ECONOMY_FIELDS:
        return ECONOMY_FIELDS[name].unit
    if group == "stakes":
        return "US$ bn"
    return ""


def axis_label(path: str) -> str:
    """``"path [unit]"``.

    Examples
    --------
    >>> axis_label("instrument.dependency_share")
    'instrument.dependency_share [share]'
    """
    unit = unit_of(path)
    return f"{path} [{unit}]" if unit else path


def _matplotlib(who: str = "plot_phase") -> Any:
    try:
        return importlib.import_module("matplotlib")
    except ImportError:
        raise MissingDependencyError(
            f"{who}() needs matplotlib, which is not installed (pip install matplotlib)"
        ) from None


def _plane(result: SweepResult, x: str, y: str) -> npt.NDArray[np.int8]:
    """Outcome codes as a ``(len(y axis), len(x axis))`` array."""
    names = list(result.axes)
    for p in (x, y):
        if p not in result.axes:
            raise InvalidParameterError(f"plot_phase: {p!r} is not an axis of the sweep: {names}")
    if x == y:
        raise InvalidParameterError("plot_phase: x and y must be different axes")
    others = [k for k, p in enumerate(names) if p not in (x, y) and result.shape[k] != 1]
    if others:
        raise InvalidParameterError(
            "plot_phase: needs a 2-D sweep; axes other than x and y must have one value; "
            f"got {[names[k] for k in others]}"
        )
    codes = result.outcome.reshape(
        [n for n, p in zip(result.shape, names, strict=True) if p in (x, y)]
    )
    kept = [p for p in names if p in (x, y)]
    return codes.T if kept[0] == x else codes  # rows: y, columns: x


def _case_point(case_id: str, paths: tuple[str, str]) -> dict[str, float] | None:
    from coercion.cases.loader import load

    try:
        case = load(case_id)
        return {p: float(case.numeric_value(p)) for p in paths}
    except (CoercionError, OSError, KeyError, TypeError, ValueError):
        return None


def plot_phase(
    result: SweepResult,
    x: str,
    y: str,
    *,
    ax: Any = None,
    case_markers: Mapping[str, Mapping[str, float]] | None = None,
    thresholds: bool = True,
) -> Any:
    """Draw the outcome regions of a 2-D sweep over parameters *x* and *y*.

    Parameters
    ----------
    result : SweepResult
        A sweep whose axes include *x* and *y* (any other axis must have one value).
    x, y : str
        Parameter paths of the horizontal and vertical axes.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure (no pyplot: works without a display).
    case_markers : mapping of str -> mapping of str -> float, optional
        Extra named points, e.g. ``{"Japan 2010": {x: 0.9, y: 2.0}}``; a path
        left out takes the case's current value.  Drawn as labelled markers.
    thresholds : bool
        Draw the boundaries between outcome regions (the threshold curves).

    Returns
    -------
    matplotlib.axes.Axes
        The legend lists exactly the outcome labels present in the plane; the
        case's current values are marked with a black cross labelled by its id.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    InvalidParameterError
        *x* or *y* is not an axis of the sweep, or the sweep is not 2-D.

    Examples
    --------
    >>> from coercion.analysis import sweep
    >>> r = sweep("japan-china-2010", {"instrument.dependency_share": [0.0, 0.5, 0.92],
    ...                                "instrument.stockpile_months": [0.0, 2.0]})
    >>> ax = plot_phase(r, "instrument.dependency_share", "instrument.stockpile_months")
    >>> ax.get_xlabel()
    'instrument.dependency_share [share]'
    >>> sorted(t.get_text() for t in ax.get_legend().get_texts())
    ['concession', 'standoff']
    """
    _matplotlib()
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    codes = _plane(result, x, y)
    xs, ys = result.axes[x], result.axes[y]
    if ax is None:
        fig = Figure(figsize=(7.5, 5.5), layout="constrained")
        ax = fig.add_subplot()
    labels = tuple(result.outcome_labels)
    cmap = ListedColormap([OUTCOME_COLORS.get(lab, "#FFFFFF") for lab in labels])
    ax.pcolormesh(xs, ys, codes, cmap=cmap, vmin=-0.5, vmax=len(labels) - 0.5, shading="nearest")
    present = [int(c) for c in np.unique(codes) if c >= 0]
    if thresholds and len(present) > 1 and len(xs) > 1 and len(ys) > 1:
        for c in present:
            ax.contour(xs, ys, (codes == c).astype(float), levels=[0.5], colors="k", linewidths=0.8)
    handles = [
        Patch(facecolor=OUTCOME_COLORS.get(labels[c], "#FFFFFF"), edgecolor="k", label=labels[c])
        for c in present
    ]
    ax.legend(handles=handles, title="outcome", loc="best", framealpha=0.9)
    ax.set_xlabel(axis_label(x))
    ax.set_ylabel(axis_label(y))
    ax.set_title(f"{result.case_id}: outcome of the episode")
    points: dict[str, dict[str, float]] = {}
    current = (
        {p: result.case_values[p] for p in (x, y)}
        if all(p in result.case_values for p in (x, y))
        else _case_point(result.case_id, (x, y))
    )
    if current is not None:
        points[f"{result.case_id} (case)"] = current
    for name, values in (case_markers or {}).items():
        pt = {p: float(values[p]) for p in (x, y) if p in values}
        if len(pt) < 2:
            if current is None:
                raise InvalidParameterError(
                    f"plot_phase: marker {name!r} needs values for {x!r} and {y!r}"
                )
            pt = {**current, **pt}
        points[name] = pt
    for name, pt in points.items():
        ax.plot(
            [pt[x]],
            [pt[y]],
            marker="X",
            color="k",
            markersize=9,
            markeredgecolor="w",
            linestyle="none",
        )
        ax.annotate(
            name,
            (pt[x], pt[y]),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "w", "alpha": 0.8},
        )
    return ax


# ------------------------------------------------------------------ game trees
#: colours of the players' decision nodes, in player order (Okabe–Ito)
PLAYER_COLORS = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
#: colour of the highlighted (equilibrium) path
PATH_COLOR = "#D55E00"
_EDGE_COLOR = "#555555"
_CHANCE_COLOR = "#777777"
_EDGE_WIDTH = 1.0
_PATH_WIDTH = 3.2
_TERMINAL_TEXT = ("both", "outcome", "payoffs", "none")
_ORIENTATIONS = ("left-right", "top-down")


def _format_value(value: Any, decimals: int) -> str:
    """A payoff or probability as text: exact rationals exactly, floats rounded."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if is_symbolic(value) and not getattr(value, "is_number", False):
        return str(value)
    text = f"{float(value):.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _tree_layout(tree: GameTree) -> tuple[list[float], list[int]]:
    """Per node: its slot across the tree (leaves 0, 1, ... in preorder) and its depth."""
    slot = [0.0] * len(tree.nodes)
    depth = [0] * len(tree.nodes)
    leaves = 0
    for k in range(len(tree.nodes)):
        if tree.parent[k] >= 0:
            depth[k] = depth[tree.parent[k]] + 1
        if not tree.children[k]:
            slot[k] = float(leaves)
            leaves += 1
    for k in reversed(range(len(tree.nodes))):
        kids = tree.children[k]
        if kids:
            slot[k] = (slot[kids[0]] + slot[kids[-1]]) / 2
    return slot, depth


def _edges_of_actions(tree: GameTree, actions: Sequence[Any]) -> set[int]:
    """The edges (child indices) of a path given as action labels from the root."""
    edges: set[int] = set()
    k = 0
    for step, action in enumerate(actions):
        if isinstance(tree.nodes[k], Terminal):
            raise InvalidParameterError(
                f"plot_tree: path must follow the tree from the root; step {step} "
                f"({action!r}) comes after a terminal node; got {list(actions)!r}"
            )
        here = tree.actions_at(k)
        if action not in here:
            raise InvalidParameterError(
                f"plot_tree: path must follow the tree from the root; step {step} must be one "
                f"of {list(here)}; got {action!r} (path {list(actions)!r})"
            )
        k = tree.children[k][here.index(action)]
        edges.add(k)
    return edges


def _edges_of_profile(tree: GameTree, profile: BehaviorProfile) -> set[int]:
    """The edges reached with positive probability when *profile* is played."""
    sizes = [[len(tree.infosets[h].actions) for h in own] for own in tree.player_infosets]
    got = [[len(h) for h in player] for player in profile.probabilities]
    if sizes != got:
        raise InvalidParameterError(
            "plot_tree: path (a behaviour profile) must have action counts "
            f"{sizes} (per player, per information set) to fit this tree; got {got}"
        )
    position = {h: pos for own in tree.player_infosets for pos, h in enumerate(own)}
    edges: set[int] = set()
    stack = [0]
    while stack:
        k = stack.pop()
        node = tree.nodes[k]
        if isinstance(node, Decision):
            h = tree.node_infoset[k]
            probs = [float(p) for p in profile[tree.infosets[h].player][position[h]]]
        elif isinstance(node, Chance):
            try:
                probs = [float(p) for p, _ in node.moves.values()]
            except TypeError:
                raise InvalidParameterError(
                    "plot_tree: path (a behaviour profile) needs numeric chance probabilities; "
                    "this tree's are symbolic (give path as action labels, or evaluate the tree)"
                ) from None
        else:
            continue
        for child, p in zip(tree.children[k], probs, strict=True):
            if p > 1e-12:
                edges.add(child)
                stack.append(child)
    return edges


def _highlighted_edges(tree: GameTree, path: Any, highlight_equilibrium: Any) -> set[int]:
    if not isinstance(highlight_equilibrium, bool):
        raise InvalidParameterError(
            "plot_tree: highlight_equilibrium must be True or False (pass a profile or a "
            f"solver result as path=...); got {highlight_equilibrium!r}"
        )
    if highlight_equilibrium:
        if path is not None:
            raise InvalidParameterError(
                "plot_tree: give either path or highlight_equilibrium=True, not both; "
                f"got path={path!r}"
            )
        if tree.is_symbolic:
            raise InvalidParameterError(
                "plot_tree: highlight_equilibrium=True needs numeric payoffs; this tree is "
                "symbolic (evaluate it, or give the path as action labels)"
            )
        from coercion.solvers import solve

        path = solve(tree)
    if path is None:
        return set()
    if isinstance(path, EquilibriumResult):
        if not isinstance(path.game, GameTree):
            raise InvalidParameterError(
                "plot_tree: path must be a result of solving a GameTree; got a result for a "
                f"{type(path.game).__name__}"
            )
        if not path.equilibria:
            raise InvalidParameterError(
                f"plot_tree: path is a solver result with no equilibrium to draw; got {path!r}"
            )
        path = path.equilibria[0]
    if isinstance(path, BehaviorProfile):
        return _edges_of_profile(tree, path)
    if isinstance(path, str) or not isinstance(path, Sequence):
        raise InvalidParameterError(
            "plot_tree: path must be a sequence of action labels from the root (e.g. "
            "('threaten', 'concede')), a BehaviorProfile or a solve() result; "
            f"got {path!r}"
        )
    return _edges_of_actions(tree, path)


def plot_tree(
    tree: GameTree,
    *,
    ax: Any = None,
    path: Sequence[str] | BehaviorProfile | EquilibriumResult | None = None,
    highlight_equilibrium: bool = False,
    orientation: str = "left-right",
    terminal_text: str = "both",
    decimals: int = 2,
    fontsize: float = 8.0,
    title: str | None = None,
    path_label: str = "equilibrium path",
) -> Any:
    """Draw a game tree, with an equilibrium path in bold.

    Decision nodes are dots coloured and labelled by player, chance nodes grey
    diamonds; every edge carries its action label (chance edges also their
    probability; edges of probability zero are dotted); members of one
    information set are joined by a dashed arc in the player's colour, bowed
    towards the root so that it passes no other node; terminal nodes show the
    outcome label and/or the payoffs (one per player, in player order).

    Parameters
    ----------
    tree : GameTree
        A single game: numeric (float or exact) or symbolic values, not a
        parameter grid.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure sized to the tree (no pyplot:
        works without a display).
    path : sequence of str, BehaviorProfile or EquilibriumResult, optional
        What to highlight.  Action labels followed from the root (e.g.
        ``Analysis.path``, ``("threaten", "concede")``; chance moves included,
        the path may stop before a terminal); or a behaviour profile (every
        edge reached with positive probability, chance included); or a
        :func:`~coercion.solvers.solve` result of this tree (its first equilibrium).
    highlight_equilibrium : bool
        Solve the tree with ``solve(tree)`` and highlight the path of its first
        equilibrium (instead of giving *path*).
    orientation : {"left-right", "top-down"}
        Root at the left (terminal text to the right of the leaves), or at the top.
    terminal_text : {"both", "outcome", "payoffs", "none"}
        What to write at terminal nodes.
    decimals : int
        Decimals of float payoffs and probabilities (exact rationals are written exactly).
    fontsize : float
        Size of the node and edge texts.
    title : str, optional
        Axes title; by default the tree's title.
    path_label : str
        Legend entry of the highlighted path.

    Returns
    -------
    matplotlib.axes.Axes
        The tree's lines and texts carry a ``gid``: edges ``"edge:K"`` (``K`` the child node's
        index in ``tree.nodes``; highlighted ones are drawn in
        :data:`PATH_COLOR`), their labels ``"action:K"``, terminal texts
        ``"terminal:K"``, mover names ``"mover:K"`` and information-set links
        ``"infoset:H"``.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    InvalidParameterError
        *tree* is not a single game, *path* does not fit the tree, or an option
        is out of range.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from coercion.io import read_game
    >>> from coercion.solvers import solve
    >>> from importlib.resources import files
    >>> tree = read_game(files("coercion.data") / "games" / "threat.efg")
    >>> ax = plot_tree(tree, path=solve(tree))
    >>> terminals = [t for t in ax.texts if t.get_gid().startswith("terminal:")]
    >>> len(terminals) == len(tree.terminals), terminals[0].get_text()
    (True, 'concession  (1, -1)')
    >>> sorted(ln.get_gid() for ln in ax.lines if ln.get_color() == PATH_COLOR)
    ['edge:1', 'edge:2']
    """
    _matplotlib("plot_tree")
    if not isinstance(tree, GameTree):
        raise InvalidParameterError(
            f"plot_tree: tree must be a GameTree; got {type(tree).__name__}"
        )
    if tree.grid_shape != ():
        raise InvalidParameterError(
            "plot_tree: tree must hold a single game; got a tree with a parameter grid of "
            f"shape {tree.grid_shape} (evaluate it at one point)"
        )
    if orientation not in _ORIENTATIONS:
        raise InvalidParameterError(
            f"plot_tree: orientation must be one of {list(_ORIENTATIONS)}; got {orientation!r}"
        )
    if terminal_text not in _TERMINAL_TEXT:
        raise InvalidParameterError(
            f"plot_tree: terminal_text must be one of {list(_TERMINAL_TEXT)}; got {terminal_text!r}"
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise InvalidParameterError(
            f"plot_tree: decimals must be an integer in [0, 12]; got {decimals!r}"
        )
    if not isinstance(fontsize, int | float) or not fontsize > 0:
        raise InvalidParameterError(f"plot_tree: fontsize must be positive; got {fontsize!r}")
    if title is not None and not isinstance(title, str):
        raise InvalidParameterError(f"plot_tree: title must be a string or None; got {title!r}")
    if not isinstance(path_label, str):
        raise InvalidParameterError(f"plot_tree: path_label must be a string; got {path_label!r}")
    highlighted = _highlighted_edges(tree, path, highlight_equilibrium)
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    slot, depth = _tree_layout(tree)
    n_leaves = len(tree.terminals)
    n_levels = max(depth) + 1
    left_right = orientation == "left-right"

    def xy(k: int) -> tuple[float, float]:
        if left_right:
            return float(depth[k]), -slot[k]
        return slot[k], -float(depth[k])

    if ax is None:
        if left_right:
            size = (2.3 * n_levels + 3.0, max(2.8, 0.5 * n_leaves + 1.2))
        else:
            size = (max(4.5, 1.7 * n_leaves + 1.0), 1.5 * n_levels + 1.6)
        ax = Figure(figsize=size, layout="constrained").add_subplot()

    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
    # edges and their labels
    for child in range(1, len(tree.nodes)):
        par = tree.parent[child]
        node = tree.nodes[par]
        action = tree.actions_at(par)[tree.parent_action[child]]
        (x0, y0), (x1, y1) = xy(par), xy(child)
        on_path = child in highlighted
        label = action
        style = "-"
        if isinstance(node, Chance):
            prob = node.moves[action][0]
            sep = "  " if left_right else "\n"
            label = f"{action}{sep}p = {_format_value(prob, decimals)}"
            if _is_zero(prob):
                style = ":"
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=PATH_COLOR if on_path else _EDGE_COLOR,
            linewidth=_PATH_WIDTH if on_path else _EDGE_WIDTH,
            linestyle=style,
            solid_capstyle="round",
            zorder=2 if on_path else 1,
            gid=f"edge:{child}",
        )
        ax.text(
            x0 + 0.6 * (x1 - x0),
            y0 + 0.6 * (y1 - y0),
            label,
            ha="center",
            va="center",
            fontsize=fontsize,
            fontweight="bold" if on_path else "normal",
            color=PATH_COLOR if on_path else "black",
            bbox=box,
            zorder=4,
            gid=f"action:{child}",
        )
    # information sets
    for h, info in enumerate(tree.infosets):
        members = sorted(info.members, key=lambda m: slot[m])
        for a, b in itertools.pairwise(members):
            # a dashed arc bowed towards the root, so that it passes no node in between
            (xa, ya), (xb, yb) = xy(a), xy(b)
            cx, cy = (xa + xb) / 2, (ya + yb) / 2
            cx, cy = (cx - 0.5, cy) if left_right else (cx, cy + 0.5)
            t = np.linspace(0.0, 1.0, 41)
            ax.plot(
                (1 - t) ** 2 * xa + 2 * t * (1 - t) * cx + t**2 * xb,
                (1 - t) ** 2 * ya + 2 * t * (1 - t) * cy + t**2 * yb,
                color=PLAYER_COLORS[info.player % len(PLAYER_COLORS)],
                linestyle="--",
                linewidth=1.4,
                zorder=1.5,
                gid=f"infoset:{h}",
            )
    # nodes
    movers: dict[int, list[int]] = {}
    chance_nodes: list[int] = []
    terminal_nodes: list[int] = []
    for k, node in enumerate(tree.nodes):
        if isinstance(node, Decision):
            movers.setdefault(tree.players.index(node.player), []).append(k)
        elif isinstance(node, Chance):
            chance_nodes.append(k)
        else:
            terminal_nodes.append(k)
    handles = []
    for i, ks in sorted(movers.items()):
        color = PLAYER_COLORS[i % len(PLAYER_COLORS)]
        pts = np.array([xy(k) for k in ks])
        ax.scatter(pts[:, 0], pts[:, 1], s=70, color=color, edgecolor="k", zorder=5)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=color,
                markeredgecolor="k",
                label=tree.players[i],
            )
        )
        for k in ks:
            # the mover's name goes on the side away from the edge coming in
            x, y = xy(k)
            px, py = xy(tree.parent[k]) if k else (x - 1.0, y)
            if left_right and k == 0:  # the root: to its left, where no edge runs
                offset, ha, va = (-9, 0), "right", "center"
            elif left_right:
                offset, ha, va = (
                    ((0, -8), "center", "top") if py > y else ((0, 7), "center", "bottom")
                )
            else:
                offset, ha, va = (
                    ((8, 3), "left", "bottom") if px < x else ((-8, 3), "right", "bottom")
                )
            ax.annotate(
                tree.players[i],
                (x, y),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                fontweight="bold",
                gid=f"mover:{k}",
            )
    if chance_nodes:
        pts = np.array([xy(k) for k in chance_nodes])
        ax.scatter(
            pts[:, 0], pts[:, 1], s=60, marker="D", color=_CHANCE_COLOR, edgecolor="k", zorder=5
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="none",
                color=_CHANCE_COLOR,
                markeredgecolor="k",
                label="chance",
            )
        )
    pts = np.array([xy(k) for k in terminal_nodes])
    ax.scatter(pts[:, 0], pts[:, 1], s=18, marker="s", color="k", zorder=5)
    for k in terminal_nodes:
        node = tree.nodes[k]
        assert isinstance(node, Terminal)
        payoffs = "(" + ", ".join(_format_value(v, decimals) for v in node.payoffs) + ")"
        sep = "  " if left_right else "\n"
        text = {
            "both": f"{node.label}{sep}{payoffs}",
            "outcome": node.label,
            "payoffs": payoffs,
            "none": "",
        }[terminal_text]
        if not text:
            continue
        reached = k in highlighted
        ax.annotate(
            text,
            xy(k),
            xytext=(7, 0) if left_right else (0, -7),
            textcoords="offset points",
            ha="left" if left_right else "center",
            va="center" if left_right else "top",
            fontsize=fontsize,
            fontweight="bold" if reached else "normal",
            color=PATH_COLOR if reached else "black",
            gid=f"terminal:{k}",
        )
    if highlighted:
        handles.append(Line2D([], [], color=PATH_COLOR, linewidth=_PATH_WIDTH, label=path_label))
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=fontsize, framealpha=0.9)
    xs = [xy(k)[0] for k in range(len(tree.nodes))]
    ys = [xy(k)[1] for k in range(len(tree.nodes))]
    if left_right:
        ax.set_xlim(min(xs) - 0.25, max(xs) + 1.1)
        ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    else:
        ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
        ax.set_ylim(min(ys) - 0.6, max(ys) + 0.35)
    ax.set_axis_off()
    ax.set_title(tree.title if title is None else title, fontsize=fontsize + 2)
    return ax


def _is_zero(value: Any) -> bool:
    try:
        return float(value) == 0.0
    except TypeError:
        return False
