"""Simulate outcomes from a spec at known parameters (for recovery studies and power).

Randomness is injected: pass a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from coercion.errors import InvalidParameterError
from coercion.estimate.build import compile_model
from coercion.estimate.fit import outcome_probability_function
from coercion.estimate.spec import EstimationSpec, load_spec
from coercion.games.extensive_form import Terminal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["simulate"]


def simulate(
    spec: str | EstimationSpec,
    data: Any,
    theta: Any,
    rng: np.random.Generator,
    *,
    plays: Any = None,
) -> pd.DataFrame:
    """Draw outcomes for every row of *data* from the model at *theta*.

    Parameters
    ----------
    spec : str or EstimationSpec
    data : DataFrame, data set id or CSV path
        Covariates (rows with missing values are dropped when the spec says
        ``missing = "drop"``).
    theta : array_like
        Parameters, in the order of the spec's parameter names.
    rng : numpy.random.Generator
    plays : int or array_like, optional
        For count outcomes: plays per unit (default: the data's own totals).

    Returns
    -------
    DataFrame
        The cleaned covariates with the outcome columns of the spec replaced
        by simulated ones.

    Examples
    --------
    >>> import numpy as np
    >>> from coercion.estimate import estimate
    >>> fit = estimate("egame12-war1800", "war1800")
    >>> fake = simulate("egame12-war1800", "war1800", fit.estimates, np.random.default_rng(1))
    >>> len(fake), sorted(set(fake["esc"]))
    (282, [0, 1])
    """
    if not isinstance(rng, np.random.Generator):
        raise InvalidParameterError("rng must be a numpy.random.Generator")
    spec_obj = load_spec(spec)
    compiled = compile_model(spec_obj, data, require_outcome=False)
    theta_arr = np.asarray(theta, dtype=float)
    if theta_arr.shape != (len(compiled.param_names),):
        raise InvalidParameterError(
            f"theta must have {len(compiled.param_names)} entries; got shape {theta_arr.shape}"
        )
    probs = outcome_probability_function(compiled, theta_arr)(theta_arr)
    probs = np.clip(probs, 0.0, None)
    probs = probs / probs.sum(axis=1, keepdims=True)
    frame = compiled.frame.copy()
    labels = compiled.tree.outcome_labels
    outcome = spec_obj.outcome
    n = len(frame)
    if outcome.counts is not None:
        if plays is None:  # the data's own totals, read from the cleaned frame
            totals = frame[list(outcome.counts.values())].to_numpy(dtype=float)
            if not np.all(np.isfinite(totals)) or np.any(totals < 0):
                raise InvalidParameterError(
                    "simulate: the count columns must be finite and >= 0 (or give plays=)"
                )
            totals = totals.sum(axis=1).astype(np.int64)
        else:
            totals = np.broadcast_to(np.asarray(plays, dtype=np.int64), (n,))
        draws = np.stack([rng.multinomial(int(t), p) for t, p in zip(totals, probs, strict=True)])
        for lab, col in outcome.counts.items():
            frame[col] = draws[:, labels.index(lab)]
        return frame
    u = rng.random(n)
    picks = (probs.cumsum(axis=1) < u[:, None]).sum(axis=1)
    picks = np.minimum(picks, len(labels) - 1)
    if outcome.column is not None:
        frame[outcome.column] = [labels[j] for j in picks]
        return frame
    assert outcome.path is not None
    tree = compiled.tree
    # the terminal of each label (a path needs one terminal per label)
    paths: dict[str, list[int]] = {}
    for t in tree.terminals:
        node = tree.nodes[t]
        assert isinstance(node, Terminal)
        if node.label in paths:
            raise InvalidParameterError(
                "simulate: outcome.path needs one terminal per outcome label"
            )
        paths[node.label] = [a for _, a in tree.path_to(t)]
    width = len(outcome.path)
    columns = np.full((n, width), np.nan)
    for i, j in enumerate(picks):
        steps = paths[labels[j]]
        columns[i, : len(steps)] = steps
    for c, col in enumerate(outcome.path):
        values = columns[:, c]
        frame[col] = (
            values.astype(np.int64) if not np.isnan(values).any() else values
        )
    return frame
