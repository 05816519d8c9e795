"""Phase diagrams of grid sweeps: outcome regions over two parameters.

:func:`plot_phase` draws a 2-D :class:`~coercion.analysis.sweep.SweepResult`
as coloured outcome regions (one fixed colour per outcome label), with the
region boundaries (threshold curves), a legend of the outcomes present, axes
labelled with the parameter paths and units, and markers for the case's
current values and for any other named points.  matplotlib is imported only
when a plot is drawn.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion.analysis.sweep import SweepResult
from coercion.cases._schema import ECONOMY_FIELDS, INSTRUMENT_FIELDS
from coercion.errors import CoercionError, InvalidParameterError, MissingDependencyError

__all__ = ["OUTCOME_COLORS", "axis_label", "plot_phase", "unit_of"]

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


def _matplotlib() -> Any:
    try:
        return importlib.import_module("matplotlib")
    except ImportError:
        raise MissingDependencyError(
            "plot_phase() needs matplotlib, which is not installed (pip install matplotlib)"
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
    current = _case_point(result.case_id, (x, y))
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
