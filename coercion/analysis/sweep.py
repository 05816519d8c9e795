"""Sweeps and Monte Carlo: a case's game solved over parameter grids and random draws.

:func:`sweep` solves the case's game on the cartesian product of named
parameter axes; :func:`monte_carlo` solves it at parameter points drawn from
distributions and reports outcome probabilities with Wilson 95% intervals.
Both cut the points into chunks of at most ``chunk`` points, solve each chunk
with one vectorised call of :func:`coercion.analysis.evaluate`, and write the
results into preallocated arrays, so the working memory beyond the result is
bounded by the chunk size.  A grid chunk keeps its trailing axes whole and
passes the axes as broadcasting arrays (shape ``(rows, 1)`` and ``(1, n)``
for two axes), so whatever depends on one axis only is computed once per
value of that axis.  Chunks can run on threads of this process (``workers=``)
or on any :class:`concurrent.futures.Executor` (``executor.submit``); results
are gathered in submission order, so they do not depend on the executor, the
number of workers or the chunk size.

Monte Carlo draws outside a parameter's valid range (a share outside
[0, 1], a negative flow or stockpile, a non-positive GDP or substitution
time, a non-finite value, or stakes whose ``V + A`` sums vanish) are not
clipped: they are *rejected*, marked ``valid=False`` with outcome code
``-1``, and left out of the probabilities (which are over the valid draws).

See ``docs/sweeps.md``.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import math
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from coercion._files import atomic_path
from coercion.analysis.evaluate import evaluate
from coercion.cases._schema import ECONOMY_FIELDS, INSTRUMENT_FIELDS
from coercion.cases.loader import Case, CaseFileError, load
from coercion.errors import CoercionError, InvalidParameterError, MissingDependencyError
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES

__all__ = [
    "MissingDependencyError",
    "MonteCarloResult",
    "SweepResult",
    "monte_carlo",
    "sweep",
    "wilson_interval",
]

#: the columns written after the axes (or draws) by ``to_csv`` and ``to_pandas``
RESULT_COLUMNS = ("outcome", "ex_ante", "coercer_payoff", "target_payoff", "tie")

_Z95 = 1.959963984540054  # standard normal quantile 0.975

Draw = Any  # a scipy.stats frozen distribution or a callable (rng, n) -> array


# --------------------------------------------------------------------------- chunk job


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _plain_state(obj: Any) -> dict[str, Any]:
    """Fields of a frozen dataclass with mapping proxies turned into dicts (picklable)."""
    return {f.name: _thaw(getattr(obj, f.name)) for f in fields(obj)}


def _from_state(cls: Any, state: Mapping[str, Any]) -> Any:
    return cls(**{k: _freeze(v) for k, v in state.items()})


_ChunkOut = tuple[
    npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.bool_], npt.NDArray[np.float64]
]


class _ChunkJob:
    """Solves chunks of points of one case; picklable, for process pools and dask."""

    def __init__(
        self,
        case: Case,
        calibration: Calibration,
        axes: Mapping[str, npt.NDArray[np.float64]] | None = None,
    ) -> None:
        self.case = case
        self.calibration = calibration
        self.axes = dict(axes or {})

    def __getstate__(self) -> dict[str, Any]:
        return {
            "case": _plain_state(self.case),
            "calibration": _plain_state(self.calibration),
            "axes": self.axes,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.case = _from_state(Case, state["case"])
        self.calibration = _from_state(Calibration, state["calibration"])
        self.axes = state["axes"]

    def points(self, values: Mapping[str, npt.NDArray[np.float64]]) -> _ChunkOut:
        """Solve the points given by arrays that broadcast together (flattened, C order)."""
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
        n = math.prod(shape)
        batch = evaluate(self.case, values, calibration=self.calibration)
        return (
            np.broadcast_to(batch.outcome, shape).reshape(n).astype(np.int8, copy=False),
            np.broadcast_to(batch.ex_ante, shape).reshape(n).astype(np.int8, copy=False),
            np.broadcast_to(batch.ties, shape).reshape(n).astype(np.bool_, copy=False),
            np.broadcast_to(batch.episode_payoffs, (2, *shape))
            .reshape(2, n)
            .astype(np.float64, copy=False),
        )

    def grid(self, start: int, stop: int, inner_rank: int = 0) -> _ChunkOut:
        """Solve the grid points with flat (C-order) indices ``start:stop``.

        The last *inner_rank* axes are kept whole and broadcast (``start`` and ``stop``
        are multiples of their size): parameters that vary along one axis only are
        then computed once per axis value, not once per grid point.
        """
        axes = list(self.axes.items())
        shape = tuple(len(a) for _, a in axes)
        split = len(shape) - inner_rank
        inner = shape[split:]
        size = math.prod(inner)
        values: dict[str, npt.NDArray[np.float64]] = {}
        outer = np.arange(start // size, stop // size)
        outer_index = np.unravel_index(outer, shape[:split]) if split else ()
        for (path, axis), index in zip(axes[:split], outer_index, strict=True):
            values[path] = axis[index].reshape((-1,) + (1,) * inner_rank)
        for m, (path, axis) in enumerate(axes[split:]):
            view = [1] * (inner_rank + 1)
            view[m + 1] = len(axis)
            values[path] = axis.reshape(view)
        return self.points(values)


def _blocks(shape: tuple[int, ...], chunk: int) -> tuple[int, int]:
    """``(inner_rank, points per task)`` for chunking a grid of *shape* by whole trailing axes.

    The trailing axes whose product fits in *chunk* are kept whole (broadcast); tasks
    take as many of the remaining (outer) index combinations as fit.

    Examples
    --------
    >>> _blocks((1000, 1000), 65536)
    (1, 65000)
    >>> _blocks((10, 10), 65536)
    (2, 100)
    >>> _blocks((5, 100000), 65536)
    (0, 65536)
    """
    rank = 0
    while rank < len(shape) and math.prod(shape[len(shape) - rank - 1 :]) <= chunk:
        rank += 1
    size = math.prod(shape[len(shape) - rank :])
    return rank, min(math.prod(shape), size * max(1, chunk // size))


def _run_chunks(
    tasks: Iterator[tuple[int, int, Callable[..., _ChunkOut], tuple[Any, ...]]],
    sink: Callable[[int, int, _ChunkOut], None],
    total: int,
    executor: Executor | None,
    progress: bool,
    label: str,
    workers: int = 1,
) -> None:
    """Run ``(start, stop, fn, args)`` tasks in order, in-process or on *executor*."""
    workers = _check_workers(workers, executor)
    if executor is None and workers > 1:
        with ThreadPoolExecutor(workers, thread_name_prefix="coercion-sweep") as pool:
            _run_chunks(tasks, sink, total, pool, progress, label)
        return
    done = 0

    def report() -> None:
        if progress:
            pct = 100.0 * done / total if total else 100.0
            sys.stderr.write(f"\r{label}: {done:,}/{total:,} points ({pct:5.1f}%)")
            sys.stderr.flush()

    report()
    if executor is None:
        for start, stop, fn, args in tasks:
            sink(start, stop, fn(*args))
            done += stop - start
            report()
    else:
        # a bounded window of chunks in flight keeps memory bounded
        window = max(2, 2 * (os.cpu_count() or 1))
        pending: deque[tuple[int, int, Future[_ChunkOut]]] = deque()
        try:
            for start, stop, fn, args in tasks:
                pending.append((start, stop, executor.submit(fn, *args)))
                while len(pending) >= window:
                    s, e, fut = pending.popleft()
                    sink(s, e, fut.result())
                    done += e - s
                    report()
            while pending:
                s, e, fut = pending.popleft()
                sink(s, e, fut.result())
                done += e - s
                report()
        finally:
            for _, _, fut in pending:
                fut.cancel()
    if progress:
        sys.stderr.write("\n")
        sys.stderr.flush()


def _check_workers(workers: int, executor: Executor | None) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer):
        raise InvalidParameterError(f"workers must be a positive integer or -1; got {workers!r}")
    if workers == -1:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise InvalidParameterError(f"workers must be a positive integer or -1; got {workers!r}")
    if executor is not None and workers != 1:
        raise InvalidParameterError(
            f"workers={workers} runs chunks on threads of this process; with executor= "
            "the executor decides (leave workers at 1)"
        )
    return int(workers)


def _case_values(case: Case, axes: Mapping[str, Any], calibration: Calibration) -> dict[str, float]:
    out = {}
    for path in axes:
        try:
            out[path] = float(case.numeric_value(path, calibration))
        except (CoercionError, TypeError, ValueError):  # not a number (e.g. a level)
            continue
    return out


def _resolve(case: Case | str | Path) -> Case:
    return case if isinstance(case, Case) else load(case)


def _check_chunk(chunk: int) -> int:
    if isinstance(chunk, bool) or not isinstance(chunk, int | np.integer) or chunk < 1:
        raise InvalidParameterError(f"chunk must be a positive integer; got {chunk!r}")
    return int(chunk)


def _check_path(case: Case, path: str) -> None:
    if path not in case.values:
        raise CaseFileError(
            str(case.path), f"no such parameter; parameters are {sorted(case.values)}", path
        )


# --------------------------------------------------------------------------- size checks

#: results needing more memory than this are refused before anything is allocated
#: (``sweep(..., max_bytes=)``, ``monte_carlo(..., max_bytes=)``, ``coercion sweep --max-memory``)
MAX_RESULT_BYTES = 4 * 2**30

#: bytes a grid point takes in a :class:`SweepResult`: outcome, ex_ante, tie, two payoffs
SWEEP_BYTES_PER_POINT = 1 + 1 + 1 + 2 * 8


def monte_carlo_bytes_per_draw(n_params: int) -> int:
    """Bytes a draw takes in a :class:`MonteCarloResult` and while it is solved.

    A float64 per drawn parameter, valid/outcome/ex_ante/tie (a byte each), two float64
    payoffs and the int64 index of the valid draws.
    """
    return 8 * n_params + 4 + 2 * 8 + 8


def format_bytes(n: float) -> str:
    """``1.5 GiB``-style size.

    Examples
    --------
    >>> format_bytes(19 * 10**12), format_bytes(512)
    ('17.3 TiB', '512 B')
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _check_max_bytes(max_bytes: int | None) -> int:
    if max_bytes is None:
        return MAX_RESULT_BYTES
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int | np.integer) or max_bytes < 1:
        raise InvalidParameterError(f"max_bytes must be a positive integer; got {max_bytes!r}")
    return int(max_bytes)


def check_sweep_size(shape: tuple[int, ...], max_bytes: int | None = None) -> int:
    """Refuse a grid whose result would need more than *max_bytes*; return its point count.

    Examples
    --------
    >>> check_sweep_size((1000, 1000))
    1000000
    >>> try:
    ...     check_sweep_size((10**12,))
    ... except InvalidParameterError as exc:
    ...     print(str(exc)[:60])
    sweep: 1,000,000,000,000 grid points would need 24.6 TiB for
    """
    limit = _check_max_bytes(max_bytes)
    total = math.prod(shape)
    need = total * SWEEP_BYTES_PER_POINT + 8 * sum(shape)
    if need > limit:
        fits = max(1, limit // SWEEP_BYTES_PER_POINT)
        raise InvalidParameterError(
            f"sweep: {total:,} grid points would need {format_bytes(need)} for the result "
            f"({SWEEP_BYTES_PER_POINT} bytes a point), above the limit of {format_bytes(limit)}; "
            f"sweep at most {fits:,} points per run (split an axis into ranges and sweep each), "
            "or raise the limit (sweep(..., max_bytes=N), coercion sweep --max-memory SIZE); "
            "chunk= bounds only the working memory of each batch, not the result"
        )
    return total


def check_monte_carlo_size(n: int, n_params: int, max_bytes: int | None = None) -> None:
    """Refuse *n* draws of *n_params* parameters needing more than *max_bytes*.

    Examples
    --------
    >>> try:
    ...     check_monte_carlo_size(10**12, 1)
    ... except InvalidParameterError as exc:
    ...     print(str(exc)[:74])
    monte_carlo: 1,000,000,000,000 draws would need 32.7 TiB (36 bytes a draw)
    """
    limit = _check_max_bytes(max_bytes)
    per = monte_carlo_bytes_per_draw(n_params)
    need = n * per
    if need > limit:
        raise InvalidParameterError(
            f"monte_carlo: {n:,} draws would need {format_bytes(need)} ({per} bytes a draw), "
            f"above the limit of {format_bytes(limit)}; use at most {max(1, limit // per):,} "
            "draws per run (--samples; runs with different seeds combine), or raise the limit "
            "(monte_carlo(..., max_bytes=N), coercion sweep --max-memory SIZE); chunk= bounds "
            "only the working memory of each batch, not the result"
        )


def _generator(rng: Any) -> np.random.Generator:
    """:func:`numpy.random.default_rng` with a one-line error for a bad seed."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or (rng is not None and not isinstance(rng, int | np.integer)):
        raise InvalidParameterError(
            f"rng must be a non-negative integer seed, a numpy.random.Generator or None; "
            f"got {rng!r}"
        )
    if rng is not None and rng < 0:
        raise InvalidParameterError(f"the random seed must be a non-negative integer; got {rng}")
    return np.random.default_rng(rng)


# --------------------------------------------------------------------------- grid sweep


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Outcomes of a case's game over a grid of parameter values.

    Attributes
    ----------
    case_id : str
        The case swept.
    axes : dict of str -> float array
        Parameter path -> the 1-D array of its values, in the order of the grid's dimensions.
    shape : tuple of int
        ``tuple(len(a) for a in axes.values())``.
    outcome : int8 array, shape ``shape``
        Episode outcome code at each grid point (index into :attr:`outcome_labels`).
    outcome_labels : tuple of str
        :data:`coercion.model.game.OUTCOMES`.
    payoffs : float array, shape ``(2, *shape)``
        Equilibrium payoffs of the episode (coercer, target), US$ bn.
    ties : bool array, shape ``shape``
        Some mover is indifferent somewhere in the episode.
    ex_ante : int8 array, shape ``shape``
        Outcome of the full game (``status_quo`` where the coercer would not threaten).
    case_values : dict of str -> float
        The case's own value of each axis parameter (where the case is, for plots).
    """

    case_id: str
    axes: dict[str, npt.NDArray[np.float64]]
    shape: tuple[int, ...]
    outcome: npt.NDArray[np.int8]
    outcome_labels: tuple[str, ...]
    payoffs: npt.NDArray[np.float64]
    ties: npt.NDArray[np.bool_]
    ex_ante: npt.NDArray[np.int8]
    case_values: Mapping[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of grid points."""
        return int(self.outcome.size)

    def outcome_names(self) -> npt.NDArray[np.str_]:
        """The outcome labels as a string array of shape :attr:`shape`."""
        return np.asarray(self.outcome_labels)[self.outcome]

    def counts(self) -> dict[str, int]:
        """Number of grid points per outcome label (every label, zeros included)."""
        return _counts(self.outcome, self.outcome_labels)

    def _columns(self, start: int, stop: int) -> list[npt.NDArray[Any]]:
        index = np.unravel_index(np.arange(start, stop), self.shape)
        flat = slice(start, stop)
        return [
            *(a[i] for a, i in zip(self.axes.values(), index, strict=True)),
            self.outcome.reshape(-1)[flat],
            self.ex_ante.reshape(-1)[flat],
            self.payoffs.reshape(2, -1)[0, flat],
            self.payoffs.reshape(2, -1)[1, flat],
            self.ties.reshape(-1)[flat],
        ]

    def to_pandas(self) -> Any:
        """A long table: one row per grid point, one column per axis, then
        ``outcome`` (categorical label), ``ex_ante``, ``coercer_payoff``,
        ``target_payoff``, ``tie``.  Needs pandas."""
        pd = _pandas()
        cols = self._columns(0, self.size)
        data: dict[str, Any] = dict(zip(self.axes, cols, strict=False))
        for name, col in zip(RESULT_COLUMNS, cols[len(self.axes) :], strict=True):
            if name in ("outcome", "ex_ante"):
                col = pd.Categorical.from_codes(col, categories=list(self.outcome_labels))
            data[name] = col
        return pd.DataFrame(data)

    def to_parquet(self, path: str | Path) -> None:
        """Write the long table of :meth:`to_pandas` as Parquet (outcomes as categories).

        Needs pandas and pyarrow (``pip install pandas pyarrow``).
        """
        _write_parquet(self, path)

    def to_csv(self, path: str | Path, *, block: int = 100_000) -> None:
        """Write the long table of :meth:`to_pandas` as CSV (no pandas needed)."""
        with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
            _write_csv(fh, [*self.axes, *RESULT_COLUMNS], self.size, self._columns, block)

    def to_npz(self, path: str | Path) -> None:
        """Save with :func:`numpy.savez_compressed`: ``axis_names``, ``axis_0``, ...,
        ``outcome``, ``outcome_labels``, ``ex_ante``, ``payoffs``, ``ties``, ``case_id``."""
        arrays: dict[str, Any] = {
            "case_id": np.asarray(self.case_id),
            "axis_names": np.asarray(list(self.axes)),
            **{f"axis_{k}": a for k, a in enumerate(self.axes.values())},
            "outcome": self.outcome,
            "outcome_labels": np.asarray(self.outcome_labels),
            "ex_ante": self.ex_ante,
            "payoffs": self.payoffs,
            "ties": self.ties,
        }
        _write_npz(path, arrays)


def _counts(codes: npt.NDArray[np.int8], labels: tuple[str, ...]) -> dict[str, int]:
    valid = codes[codes >= 0]
    tally = np.bincount(valid.reshape(-1).astype(np.int64), minlength=len(labels))
    return {label: int(tally[k]) for k, label in enumerate(labels)}


def _pandas() -> Any:
    try:
        pd = importlib.import_module("pandas")
    except ImportError:
        raise MissingDependencyError(
            "to_pandas() needs pandas, which is not installed (pip install pandas); "
            "to_csv() and to_npz() work without it"
        ) from None
    return pd


def parquet_missing() -> str | None:
    """What is missing to write Parquet (``None`` when pandas and pyarrow are installed)."""
    missing = [m for m in ("pandas", "pyarrow") if importlib.util.find_spec(m) is None]
    return " and ".join(missing) or None


def _write_parquet(result: Any, path: str | Path) -> None:
    missing = parquet_missing()
    if missing:
        raise MissingDependencyError(
            f"to_parquet() needs pandas and pyarrow; {missing} not installed "
            "(pip install pandas pyarrow); to_csv() and to_npz() work without them"
        )
    frame = result.to_pandas()
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, engine="pyarrow", index=False)


def _write_npz(path: str | Path, arrays: Mapping[str, Any]) -> None:
    """:func:`numpy.savez_compressed` to *path* exactly (no ``.npz`` appended), atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def _write_csv(
    fh: TextIO,
    header: list[str],
    size: int,
    columns: Callable[[int, int], list[npt.NDArray[Any]]],
    block: int,
) -> None:
    writer = csv.writer(fh)
    writer.writerow(header)
    n_axes = len(header) - len(RESULT_COLUMNS)
    labels = np.asarray((*OUTCOMES, ""))  # code -1 (rejected draw) -> ""
    for start in range(0, size, block):
        cols = columns(start, min(size, start + block))
        out: list[list[Any]] = [c.tolist() for c in cols[:n_axes]]
        out.append(labels[cols[n_axes]].tolist())
        out.append(labels[cols[n_axes + 1]].tolist())
        out.extend(c.tolist() for c in cols[n_axes + 2 : n_axes + 4])
        out.append(cols[n_axes + 4].astype(np.int8).tolist())
        writer.writerows(zip(*out, strict=True))


def _axis(case: Case, path: str, values: Any) -> npt.NDArray[np.float64]:
    _check_path(case, path)
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"sweep: the values of axis {path!r} must be numbers; got {values!r}"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidParameterError(
            f"sweep: the values of axis {path!r} must be a non-empty 1-D array; "
            f"got shape {arr.shape}"
        )
    case.with_values({path: arr})  # range checks, with the case file's messages
    return arr


def sweep(
    case: Case | str | Path,
    grid: Mapping[str, Any],
    *,
    chunk: int = 131_072,
    executor: Executor | None = None,
    workers: int = 1,
    progress: bool | None = None,
    calibration: Calibration = DEFAULT_CALIBRATION,
    max_bytes: int | None = None,
) -> SweepResult:
    """Solve the case's game at every point of the cartesian product of *grid*'s axes.

    Parameters
    ----------
    case : Case or str
        A case, a bundled case id or a case-file path.
    grid : mapping of str -> array_like
        Parameter path (as in ``case.values``) -> 1-D values of that axis.
        Other parameters keep the case's values.
    chunk : int
        At most this many points are solved per call of
        :func:`~coercion.analysis.evaluate` (bounds the working memory).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (``executor.submit``): a process pool, a
        ``dask.distributed.Client``...  ``None`` runs them in this process.
    workers : int, optional
        Threads of this process that solve chunks at the same time (numpy
        releases the GIL inside its array loops): ``1`` (default) solves them
        one after another, ``-1`` uses one thread per core.  Not combined with
        *executor*.
    progress : bool, optional
        Write a progress line to stderr; by default only if stderr is a terminal.
    calibration : Calibration
    max_bytes : int, optional
        The result may need at most this many bytes (default :data:`MAX_RESULT_BYTES`,
        4 GiB; 19 bytes a grid point); a larger grid is refused before anything is
        allocated (:func:`check_sweep_size`).

    Returns
    -------
    SweepResult

    Raises
    ------
    CaseFileError
        An unknown parameter path, or axis values outside the parameter's range.

    Examples
    --------
    >>> r = sweep("japan-china-2010", {"instrument.dependency_share": [0.0, 0.5, 0.92],
    ...                                "instrument.stockpile_months": [0.0, 2.0]})
    >>> r.shape
    (3, 2)
    >>> r.outcome_names()[:, 1].tolist()
    ['standoff', 'concession', 'concession']
    >>> r.counts()["concession"]
    4
    """
    case = _resolve(case)
    chunk = _check_chunk(chunk)
    if not grid:
        raise InvalidParameterError("sweep: the grid needs at least one axis")
    lengths = tuple(int(np.size(v)) if isinstance(v, np.ndarray) else -1 for v in grid.values())
    if all(n >= 0 for n in lengths):  # arrays: refuse before converting or checking them
        check_sweep_size(lengths, max_bytes)
    axes = {path: _axis(case, path, values) for path, values in grid.items()}
    shape = tuple(len(a) for a in axes.values())
    total = check_sweep_size(shape, max_bytes)
    outcome = np.empty(total, dtype=np.int8)
    ex_ante = np.empty(total, dtype=np.int8)
    ties = np.empty(total, dtype=np.bool_)
    payoffs = np.empty((2, total), dtype=np.float64)

    def sink(start: int, stop: int, out: _ChunkOut) -> None:
        outcome[start:stop], ex_ante[start:stop], ties[start:stop], payoffs[:, start:stop] = out

    job = _ChunkJob(case, calibration, axes)
    inner_rank, step = _blocks(shape, chunk)
    tasks = (
        (s, min(total, s + step), job.grid, (s, min(total, s + step), inner_rank))
        for s in range(0, total, step)
    )
    show = sys.stderr.isatty() if progress is None else progress
    _run_chunks(tasks, sink, total, executor, show, f"sweep {case.id}", workers)
    return SweepResult(
        case_id=case.id,
        axes=axes,
        shape=shape,
        outcome=outcome.reshape(shape),
        outcome_labels=OUTCOMES,
        payoffs=payoffs.reshape((2, *shape)),
        ties=ties.reshape(shape),
        ex_ante=ex_ante.reshape(shape),
        case_values=_case_values(case, axes, calibration),
    )


# --------------------------------------------------------------------------- Monte Carlo


def wilson_interval(k: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``k / n`` (95% by default).

    Examples
    --------
    >>> lo, hi = wilson_interval(50, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.4038, 0.5962)
    >>> wilson_interval(0, 10)[0]
    0.0
    """
    if n <= 0 or not 0 <= k <= n:
        raise InvalidParameterError(f"wilson_interval: need 0 <= k <= n, n > 0; got {k}, {n}")
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # exact at the ends (k = 0 or n), and never excluding the estimate through rounding
    lo = 0.0 if k == 0 else max(0.0, min(p, centre - half))
    hi = 1.0 if k == n else min(1.0, max(p, centre + half))
    return lo, hi


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Outcome probabilities of a case's game under random parameter draws.

    Attributes
    ----------
    case_id : str
    n : int
        Number of draws.
    n_valid : int
        Draws inside every parameter's valid range (the others are rejected).
    probabilities : dict of str -> float
        Outcome label -> share of the valid draws with that episode outcome.
    ci : dict of str -> (float, float)
        Wilson 95% interval of each probability.
    samples : dict of str -> float array
        Parameter path -> the ``n`` drawn values.
    valid : bool array, shape ``(n,)``
    outcome : int8 array, shape ``(n,)``
        Outcome code per draw; ``-1`` for rejected draws.
    payoffs : float array, shape ``(2, n)``
        Episode payoffs (coercer, target); NaN for rejected draws.
    ties : bool array, shape ``(n,)``
    ex_ante : int8 array, shape ``(n,)``
        ``-1`` for rejected draws.
    outcome_labels : tuple of str
    """

    case_id: str
    n: int
    n_valid: int
    probabilities: dict[str, float]
    ci: dict[str, tuple[float, float]]
    samples: dict[str, npt.NDArray[np.float64]]
    valid: npt.NDArray[np.bool_]
    outcome: npt.NDArray[np.int8]
    payoffs: npt.NDArray[np.float64]
    ties: npt.NDArray[np.bool_]
    ex_ante: npt.NDArray[np.int8]
    outcome_labels: tuple[str, ...] = OUTCOMES

    def counts(self) -> dict[str, int]:
        """Number of valid draws per outcome label."""
        return _counts(self.outcome, self.outcome_labels)

    def _columns(self, start: int, stop: int) -> list[npt.NDArray[Any]]:
        s = slice(start, stop)
        return [
            *(a[s] for a in self.samples.values()),
            self.outcome[s],
            self.ex_ante[s],
            self.payoffs[0, s],
            self.payoffs[1, s],
            self.ties[s],
        ]

    def to_csv(self, path: str | Path, *, block: int = 100_000) -> None:
        """One row per draw: the drawn values, then ``outcome`` (empty for a
        rejected draw), ``ex_ante``, ``coercer_payoff``, ``target_payoff``, ``tie``."""
        with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
            _write_csv(fh, [*self.samples, *RESULT_COLUMNS], self.n, self._columns, block)

    def to_npz(self, path: str | Path) -> None:
        """Save with :func:`numpy.savez_compressed` (``sample_names``, ``sample_0``, ...)."""
        arrays: dict[str, Any] = {
            "case_id": np.asarray(self.case_id),
            "sample_names": np.asarray(list(self.samples)),
            **{f"sample_{k}": a for k, a in enumerate(self.samples.values())},
            "valid": self.valid,
            "outcome": self.outcome,
            "outcome_labels": np.asarray(self.outcome_labels),
            "ex_ante": self.ex_ante,
            "payoffs": self.payoffs,
            "ties": self.ties,
        }
        _write_npz(path, arrays)

    def to_parquet(self, path: str | Path) -> None:
        """Write :meth:`to_pandas` as Parquet.  Needs pandas and pyarrow."""
        _write_parquet(self, path)

    def to_pandas(self) -> Any:
        """One row per draw (as :meth:`to_csv`, plus ``valid``).  Needs pandas."""
        pd = _pandas()
        cols = self._columns(0, self.n)
        data: dict[str, Any] = dict(zip(self.samples, cols, strict=False))
        for name, col in zip(RESULT_COLUMNS, cols[len(self.samples) :], strict=True):
            if name in ("outcome", "ex_ante"):
                col = pd.Categorical.from_codes(col, categories=list(self.outcome_labels))
            data[name] = col
        data["valid"] = self.valid
        return pd.DataFrame(data)


def _domain(path: str) -> tuple[float, float, bool]:
    """``(low, high, low_open)`` of a parameter path."""
    group, name = path.split(".", 1)
    if group in ("instrument", "counter"):
        spec = INSTRUMENT_FIELDS[name]
    elif group in ("coercer_economy", "target_economy"):
        spec = ECONOMY_FIELDS[name]
    else:  # stakes, US$ bn
        return 0.0, math.inf, False
    return float(spec.low), float(spec.high), spec.low_open


def _draw(path: str, dist: Draw, n: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    if hasattr(dist, "rvs"):
        raw = dist.rvs(size=n, random_state=rng)
    elif callable(dist):
        raw = dist(rng, n)
    else:
        raise InvalidParameterError(
            f"monte_carlo: the draw for {path!r} must be a scipy.stats frozen distribution "
            f"or a callable (rng, n) -> array; got {dist!r}"
        )
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"monte_carlo: the draws for {path!r} must be numbers; got {raw!r}"
        ) from None
    if arr.shape != (n,):
        raise InvalidParameterError(
            f"monte_carlo: the draws for {path!r} must have shape ({n},); got {arr.shape}"
        )
    return arr


def _valid_mask(
    case: Case, samples: Mapping[str, npt.NDArray[np.float64]], n: int, calibration: Calibration
) -> npt.NDArray[np.bool_]:
    ok = np.ones(n, dtype=np.bool_)
    for path, arr in samples.items():
        low, high, low_open = _domain(path)
        with np.errstate(invalid="ignore"):
            ok &= np.isfinite(arr) & ((arr > low) if low_open else (arr >= low)) & (arr <= high)
    # the bargaining utilities divide by V + A: at least one of each pair must be positive
    # (positivity of a level-based stake does not depend on GDP, which is > 0)
    for a, b in (
        ("stakes.coercer_issue", "stakes.coercer_audience"),
        ("stakes.target_issue", "stakes.target_reputation"),
    ):
        if a in samples or b in samples:
            va = samples.get(a, case.numeric_value(a, calibration))
            vb = samples.get(b, case.numeric_value(b, calibration))
            with np.errstate(invalid="ignore"):
                ok &= np.asarray(va + vb, dtype=np.float64) > 0
    return ok


def monte_carlo(
    case: Case | str | Path,
    draws: Mapping[str, Draw],
    n: int,
    *,
    rng: int | np.random.Generator | None = None,
    chunk: int = 131_072,
    executor: Executor | None = None,
    workers: int = 1,
    progress: bool | None = None,
    calibration: Calibration = DEFAULT_CALIBRATION,
    max_bytes: int | None = None,
) -> MonteCarloResult:
    """Outcome probabilities of the case's game with parameters drawn at random.

    Parameters
    ----------
    case : Case or str
    draws : mapping of str -> distribution
        Parameter path -> a frozen :mod:`scipy.stats` distribution (sampled
        with ``rvs(size=n, random_state=rng)``) or a callable ``f(rng, n)``
        returning ``n`` values.  The paths are drawn independently, in the
        mapping's order.
    n : int
        Number of draws.
    rng : int, numpy.random.Generator or None
        Seed or generator (through :func:`numpy.random.default_rng`); global
        random state is never used.
    chunk, executor, workers, progress, calibration
        As in :func:`sweep`.
    max_bytes : int, optional
        The run may need at most this many bytes (default :data:`MAX_RESULT_BYTES`;
        ``8 * len(draws) + 28`` bytes a draw); more draws are refused before any is
        drawn (:func:`check_monte_carlo_size`).

    Returns
    -------
    MonteCarloResult
        Draws outside a parameter's valid range are rejected (``valid=False``,
        outcome ``-1``) and left out of the probabilities, not clipped.

    Examples
    --------
    >>> from scipy import stats
    >>> r = monte_carlo("japan-china-2010",
    ...                 {"instrument.dependency_share": stats.uniform(0.0, 1.0)}, 200, rng=1)
    >>> r.n, r.n_valid, round(sum(r.probabilities.values()), 12)
    (200, 200, 1.0)
    >>> lo, hi = r.ci["concession"]
    >>> lo <= r.probabilities["concession"] <= hi
    True
    """
    case = _resolve(case)
    chunk = _check_chunk(chunk)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidParameterError(f"monte_carlo: n must be a positive integer; got {n!r}")
    n = int(n)
    if not draws:
        raise InvalidParameterError("monte_carlo: draw at least one parameter")
    for path in draws:
        _check_path(case, path)
    check_monte_carlo_size(n, len(draws), max_bytes)
    gen = _generator(rng)
    samples = {path: _draw(path, dist, n, gen) for path, dist in draws.items()}
    valid = _valid_mask(case, samples, n, calibration)
    where = np.flatnonzero(valid)
    m = int(where.size)
    if m == 0:
        raise InvalidParameterError(
            "monte_carlo: every draw lies outside some parameter's valid range"
        )
    outcome = np.full(n, -1, dtype=np.int8)
    ex_ante = np.full(n, -1, dtype=np.int8)
    ties = np.zeros(n, dtype=np.bool_)
    payoffs = np.full((2, n), np.nan, dtype=np.float64)

    def sink(start: int, stop: int, out: _ChunkOut) -> None:
        idx = where[start:stop]
        outcome[idx], ex_ante[idx], ties[idx], payoffs[:, idx] = out

    job = _ChunkJob(case, calibration)
    tasks = (
        (
            s,
            min(m, s + chunk),
            job.points,
            ({p: a[where[s : s + chunk]] for p, a in samples.items()},),
        )
        for s in range(0, m, chunk)
    )
    show = sys.stderr.isatty() if progress is None else progress
    _run_chunks(tasks, sink, m, executor, show, f"monte carlo {case.id}", workers)
    counts = _counts(outcome, OUTCOMES)
    return MonteCarloResult(
        case_id=case.id,
        n=n,
        n_valid=m,
        probabilities={k: c / m for k, c in counts.items()},
        ci={k: wilson_interval(c, m) for k, c in counts.items()},
        samples=samples,
        valid=valid,
        outcome=outcome,
        payoffs=payoffs,
        ties=ties,
        ex_ante=ex_ante,
    )
