"""Event data for estimation: read, check, clean, and turn into outcome counts.

Every problem with the data is one :class:`~coercion.errors.InvalidParameterError`
line naming the column and what is wrong: a missing or misspelt column (with
the closest name), missing values (how many rows, and how to drop them),
negative or non-integer counts, outcome labels the tree does not have, a
factor with a single level.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from coercion.errors import InvalidParameterError, MissingDependencyError
from coercion.games.extensive_form import Decision, GameTree, Terminal

if TYPE_CHECKING:
    import pandas as pd

    from coercion.estimate.spec import OutcomeSpec

__all__ = ["Prepared", "outcome_counts", "prepare_frame", "read_data"]

#: CSV files larger than this are refused (raise with ``max_bytes=``)
MAX_CSV_BYTES = 512 * 2**20


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a dependency
        raise MissingDependencyError("estimation needs pandas: pip install pandas") from exc
    return pd


def read_data(data: Any, max_bytes: int = MAX_CSV_BYTES) -> pd.DataFrame:
    """A DataFrame from a DataFrame (copied), a bundled data set id or a CSV path."""
    pd = _pandas()
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if not isinstance(data, str | Path):
        raise InvalidParameterError(
            "data must be a DataFrame, a bundled data set id or a CSV path; "
            f"got {type(data).__name__}"
        )
    from coercion import datasets

    if str(data) in datasets.DATASETS:
        return datasets.load(str(data))
    path = Path(data)
    if not path.exists():
        raise InvalidParameterError(
            f"data: no bundled data set or file {str(data)!r}; bundled: "
            f"{', '.join(sorted(datasets.DATASETS))}"
        )
    if not path.is_file():
        raise InvalidParameterError(f"data: {path} is not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidParameterError(
            f"data: {path} has {size} bytes, above the limit of {max_bytes} (max_bytes=)"
        )
    try:
        return pd.read_csv(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidParameterError(f"data: cannot read {path} as CSV: {first}") from None


def _check_columns(frame: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    have = [str(c) for c in frame.columns]
    for col in needed:
        if col not in frame.columns:
            close = difflib.get_close_matches(col, have, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InvalidParameterError(f"{what}: the data have no column {col!r}{hint}")


@dataclass(frozen=True)
class Prepared:
    """A cleaned frame, the rows kept (original index) and how many were dropped."""

    frame: pd.DataFrame
    kept: np.ndarray
    dropped: int


def prepare_frame(
    frame: pd.DataFrame,
    columns: Iterable[str],
    outcome_columns: Iterable[str],
    factors: Mapping[str, str],
    missing: str,
    levels: Mapping[str, list[str]] | None = None,
) -> Prepared:
    """Check the columns, handle missing values, code factors.

    *levels* (from a fitted model) fixes each factor's levels for prediction.
    """
    pd = _pandas()
    cols = list(dict.fromkeys(columns))
    outs = list(dict.fromkeys(outcome_columns))
    _check_columns(frame, cols, "formula")
    _check_columns(frame, outs, "outcome")
    for name in factors:
        if name not in cols:
            raise InvalidParameterError(
                f"factors: {name!r} is not used by any formula"
                if name in frame.columns
                else f"factors: the data have no column {name!r}"
            )
    used = frame[cols + [c for c in outs if c not in cols]]
    bad = used[cols].isna().any(axis=1).to_numpy()
    n_bad = int(bad.sum())
    if n_bad and missing != "drop":
        which = [c for c in cols if bool(used[c].isna().any())]
        raise InvalidParameterError(
            f"data: {n_bad} of {len(frame)} rows have missing values in "
            f"{', '.join(repr(c) for c in which)}; drop them with missing='drop' "
            "(--drop-missing) or fill them in"
        )
    kept = np.nonzero(~bad)[0]
    clean = frame.iloc[kept].reset_index(drop=True).copy()
    if len(clean) == 0:
        raise InvalidParameterError("data: no rows left to estimate from")
    for col in cols:
        series = clean[col]
        is_factor = col in factors or not pd.api.types.is_numeric_dtype(series)
        if pd.api.types.is_bool_dtype(series):
            clean[col] = series.astype(float)
            continue
        if not is_factor:
            clean[col] = series.astype(float)
            continue
        if levels is not None and col in levels:
            cats = list(levels[col])
            unknown = sorted(set(series.astype(str)) - set(cats))
            if unknown:
                raise InvalidParameterError(
                    f"data: factor {col!r} has level {unknown[0]!r}, unseen when fitting "
                    f"(levels: {', '.join(cats)})"
                )
        else:
            present = sorted(set(series.astype(str)))
            if len(present) < 2:
                raise InvalidParameterError(
                    f"data: factor {col!r} has only one level ({present[0]!r}): "
                    "its effect cannot be estimated"
                )
            base = factors.get(col, present[0])
            if base not in present:
                raise InvalidParameterError(
                    f"factors: baseline {base!r} of {col!r} is not one of its levels "
                    f"({', '.join(present)})"
                )
            cats = [base] + [p for p in present if p != base]
        clean[col] = pd.Categorical(series.astype(str), categories=cats)
    return Prepared(clean, kept, int(n_bad))


def _integral_counts(values: np.ndarray, col: str) -> np.ndarray:
    if not np.all(np.isfinite(values)):
        raise InvalidParameterError(f"outcome: count column {col!r} has missing or infinite values")
    if np.any(values < 0):
        i = int(np.argmax(values < 0))
        raise InvalidParameterError(
            f"outcome: count column {col!r} must be >= 0; got {values[i]:g} in row {i + 1}"
        )
    if np.any(values != np.round(values)):
        i = int(np.argmax(values != np.round(values)))
        raise InvalidParameterError(
            f"outcome: count column {col!r} must hold whole numbers; got {values[i]:g} "
            f"in row {i + 1}"
        )
    return values


def _path_labels(tree: GameTree, frame: pd.DataFrame, path: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    columns = [frame[c].to_numpy(dtype=object) for c in path]
    for i in range(len(frame)):
        k = 0
        step = 0
        while not isinstance(tree.nodes[k], Terminal):
            node = tree.nodes[k]
            if not isinstance(node, Decision):
                raise InvalidParameterError(
                    "outcome.path cannot pass a chance node; use an outcome column"
                )
            if step >= len(path):
                raise InvalidParameterError(
                    f"outcome.path: row {i + 1} needs more than {len(path)} columns to reach an "
                    "outcome"
                )
            value = columns[step][i]
            actions = tree.actions_at(k)
            if isinstance(value, str) and value in actions:
                a = actions.index(value)
            else:
                try:
                    fv = float(value)
                except (TypeError, ValueError):
                    fv = float("nan")
                if fv != fv or fv != int(fv) or not 0 <= int(fv) < len(actions):
                    raise InvalidParameterError(
                        f"outcome.path: column {path[step]!r} row {i + 1} must be an action "
                        f"index 0..{len(actions) - 1} or one of {', '.join(actions)}; "
                        f"got {value!r}"
                    )
                a = int(fv)
            k = tree.children[k][a]
            step += 1
        term = tree.nodes[k]
        assert isinstance(term, Terminal)
        out.append(term.label)
    return out


def outcome_counts(tree: GameTree, frame: pd.DataFrame, outcome: OutcomeSpec) -> np.ndarray:
    """``(n, L)`` counts of each of ``tree.outcome_labels`` per row."""
    labels = tree.outcome_labels
    n = len(frame)
    counts = np.zeros((n, len(labels)))
    if outcome.counts is not None:
        unknown = sorted(set(outcome.counts) - set(labels))
        if unknown:
            raise InvalidParameterError(
                f"outcome.counts: the tree has no outcome {unknown[0]!r}; "
                f"outcomes: {', '.join(labels)}"
            )
        _check_columns(frame, outcome.counts.values(), "outcome.counts")
        for lab, col in outcome.counts.items():
            values = frame[col].to_numpy(dtype=float)
            counts[:, labels.index(lab)] = _integral_counts(values, col)
        return counts
    if outcome.column is not None:
        _check_columns(frame, [outcome.column], "outcome")
        values = frame[outcome.column]
        if bool(values.isna().any()):
            raise InvalidParameterError(
                f"outcome: column {outcome.column!r} has {int(values.isna().sum())} missing values"
            )
        texts = [
            str(int(v)) if isinstance(v, float) and v == int(v) else str(v)
            for v in values.to_numpy(dtype=object)
        ]
    else:
        assert outcome.path is not None
        _check_columns(frame, outcome.path, "outcome.path")
        texts = _path_labels(tree, frame, outcome.path)
    index = {lab: j for j, lab in enumerate(labels)}
    for i, text in enumerate(texts):
        j = index.get(text)
        if j is None:
            raise InvalidParameterError(
                f"outcome: row {i + 1} has outcome {text!r}; the tree's outcomes are "
                f"{', '.join(labels)}"
            )
        counts[i, j] = 1.0
    return counts
