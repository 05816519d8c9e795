"""Sweeps and Monte Carlo through a local dask cluster give the in-process results.

``dask.distributed.Client`` is a :class:`concurrent.futures.Executor`; the
chunk jobs are pickled to worker *processes* (not threads), so this also
checks that a chunk job survives the trip.  dask is in the test extra;
without it the module is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats

from coercion.analysis import monte_carlo, sweep

distributed = pytest.importorskip("distributed", reason="pip install 'dask[distributed]'")

CASE = "us-china-2025"  # a counter-threat case: the full seven-label tree
GRID = {
    "instrument.dependency_share": np.linspace(0.0, 1.0, 37),
    "counter.stockpile_months": np.linspace(0.0, 12.0, 23),
    "stakes.target_audience": np.linspace(0.0, 50.0, 5),
}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _same(a: Any, b: Any) -> None:
    assert np.array_equal(a.outcome, b.outcome)
    assert np.array_equal(a.ex_ante, b.ex_ante)
    assert np.array_equal(a.ties, b.ties)
    assert np.array_equal(a.payoffs, b.payoffs, equal_nan=True)


def test_sweep_on_a_local_dask_cluster_equals_in_process(client: Any) -> None:
    here = sweep(CASE, GRID, progress=False)
    # small chunks: many tasks, each with its own slice of the broadcast grid
    there = sweep(CASE, GRID, chunk=500, executor=client, progress=False)
    _same(here, there)
    # the grid is not trivial: several outcomes occur
    assert sum(1 for v in here.counts().values() if v) >= 2


def test_monte_carlo_on_a_local_dask_cluster_equals_in_process(client: Any) -> None:
    draws = {
        "instrument.dependency_share": stats.uniform(0.2, 0.8),
        "counter.stockpile_months": stats.uniform(0.0, 12.0),
    }
    here = monte_carlo(CASE, draws, 3000, rng=7, progress=False)
    there = monte_carlo(CASE, draws, 3000, rng=7, chunk=256, executor=client, progress=False)
    _same(here, there)
    assert here.probabilities == there.probabilities
