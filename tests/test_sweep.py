"""Sweeps and Monte Carlo: agreement with point-by-point analysis, chunking, executors, CLI."""

from __future__ import annotations

import csv
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from coercion.analysis import analyze, monte_carlo, sweep
from coercion.analysis.sweep import SweepResult, wilson_interval
from coercion.cases import load
from coercion.cases.loader import CaseFileError
from coercion.cli import main
from coercion.errors import CoercionError, InvalidParameterError
from coercion.model.game import OUTCOMES

CASE = "japan-china-2010"
GRID = {
    "instrument.dependency_share": np.linspace(0.0, 1.0, 9),
    "instrument.stockpile_months": np.linspace(0.0, 40.0, 7),
}


@pytest.fixture(scope="module")
def base() -> SweepResult:
    return sweep(CASE, GRID, progress=False)


def same(a: SweepResult, b: SweepResult) -> None:
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.outcome, b.outcome)
    np.testing.assert_array_equal(a.ex_ante, b.ex_ante)
    np.testing.assert_array_equal(a.ties, b.ties)
    np.testing.assert_array_equal(a.payoffs, b.payoffs)


def test_shapes_and_labels(base: SweepResult) -> None:
    assert base.shape == (9, 7)
    assert base.outcome.shape == base.ties.shape == base.ex_ante.shape == (9, 7)
    assert base.payoffs.shape == (2, 9, 7)
    assert base.outcome_labels == OUTCOMES
    assert sum(base.counts().values()) == 63
    # the grid covers more than one outcome (otherwise the comparisons below prove little)
    assert len({v for v in base.counts().values() if v}) >= 1
    assert sum(1 for v in base.counts().values() if v) >= 2


def test_sweep_matches_point_by_point_analysis(base: SweepResult) -> None:
    rng = np.random.default_rng(0)
    names = base.outcome_names()
    for i, j in zip(rng.integers(0, 9, 12), rng.integers(0, 7, 12), strict=True):
        d = float(GRID["instrument.dependency_share"][i])
        s = float(GRID["instrument.stockpile_months"][j])
        a = analyze(
            CASE,
            {"instrument.dependency_share": d, "instrument.stockpile_months": s},
            with_thresholds=False,
        )
        assert names[i, j] == a.outcome, (d, s)
    # corners included
    for i, j in ((0, 0), (8, 6), (8, 0), (0, 6)):
        d = float(GRID["instrument.dependency_share"][i])
        s = float(GRID["instrument.stockpile_months"][j])
        a = analyze(
            CASE,
            {"instrument.dependency_share": d, "instrument.stockpile_months": s},
            with_thresholds=False,
        )
        assert names[i, j] == a.outcome


def test_chunked_equals_unchunked(base: SweepResult) -> None:
    same(sweep(CASE, GRID, chunk=7, progress=False), base)


def test_thread_pool_equals_in_process(base: SweepResult) -> None:
    with ThreadPoolExecutor(max_workers=2) as ex:
        same(sweep(CASE, GRID, chunk=10, executor=ex, progress=False), base)


def test_process_pool_equals_in_process(base: SweepResult) -> None:
    with ProcessPoolExecutor(max_workers=2) as ex:
        same(sweep(load(CASE), GRID, chunk=20, executor=ex, progress=False), base)


def test_progress_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    sweep(CASE, GRID, chunk=20, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "\r" in err and "63/63 points" in err


def test_unknown_path_and_bad_values() -> None:
    with pytest.raises(CaseFileError, match="no such parameter"):
        sweep(CASE, {"instrument.nope": [1.0]})
    with pytest.raises(CaseFileError, match="dependency_share"):
        sweep(CASE, {"instrument.dependency_share": [0.5, 1.5]})
    with pytest.raises(InvalidParameterError):
        sweep(CASE, {"instrument.dependency_share": []})
    with pytest.raises(InvalidParameterError):
        sweep(CASE, {})
    with pytest.raises(InvalidParameterError):
        sweep(CASE, GRID, chunk=0)


def test_exports(base: SweepResult, tmp_path: Path) -> None:
    base.to_csv(tmp_path / "s.csv")
    with open(tmp_path / "s.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 63
    assert [r["outcome"] for r in rows] == base.outcome_names().reshape(-1).tolist()
    assert float(rows[7]["instrument.dependency_share"]) == GRID["instrument.dependency_share"][1]
    assert float(rows[7]["instrument.stockpile_months"]) == 0.0
    base.to_npz(tmp_path / "s.npz")
    with np.load(tmp_path / "s.npz") as z:
        np.testing.assert_array_equal(z["outcome"], base.outcome)
        np.testing.assert_array_equal(z["axis_1"], GRID["instrument.stockpile_months"])
        assert z["axis_names"].tolist() == list(GRID)
    df = base.to_pandas()
    assert len(df) == 63
    assert list(df.columns[:2]) == list(GRID)
    assert df["outcome"].astype(str).tolist() == [r["outcome"] for r in rows]


def test_monte_carlo_reproducible_and_consistent() -> None:
    draws = {
        "instrument.dependency_share": stats.uniform(0.0, 1.0),
        "instrument.stockpile_months": lambda rng, n: rng.exponential(10.0, n),
    }
    a = monte_carlo(CASE, draws, 2000, rng=42, chunk=300, progress=False)
    b = monte_carlo(CASE, draws, 2000, rng=np.random.default_rng(42), progress=False)
    assert a.probabilities == b.probabilities
    np.testing.assert_array_equal(a.outcome, b.outcome)
    for path in draws:
        np.testing.assert_array_equal(a.samples[path], b.samples[path])
    assert a.n == a.n_valid == 2000
    assert sum(a.probabilities.values()) == pytest.approx(1.0, abs=1e-12)
    for label, p in a.probabilities.items():
        lo, hi = a.ci[label]
        assert 0.0 <= lo <= p <= hi <= 1.0
    # each draw agrees with a sweep at the same point
    k = 17
    point = {p: a.samples[p][k] for p in draws}
    one = sweep(CASE, {p: [v] for p, v in point.items()}, progress=False)
    assert one.outcome.reshape(-1)[0] == a.outcome[k]


def test_monte_carlo_rejects_out_of_range_draws() -> None:
    r = monte_carlo(
        CASE, {"instrument.dependency_share": stats.norm(0.9, 0.2)}, 500, rng=3, progress=False
    )
    share = r.samples["instrument.dependency_share"]
    expected = (share >= 0) & (share <= 1)
    assert 0 < r.n_valid < r.n
    np.testing.assert_array_equal(r.valid, expected)
    assert (r.outcome[~r.valid] == -1).all() and (r.outcome[r.valid] >= 0).all()
    assert np.isnan(r.payoffs[:, ~r.valid]).all()
    assert sum(r.counts().values()) == r.n_valid
    with pytest.raises(InvalidParameterError, match="every draw"):
        monte_carlo(CASE, {"instrument.dependency_share": stats.uniform(2, 1)}, 10, rng=0)
    with pytest.raises(InvalidParameterError, match="shape"):
        monte_carlo(CASE, {"instrument.dependency_share": lambda rng, n: rng.random(n + 1)}, 5)
    with pytest.raises(CaseFileError):
        monte_carlo(CASE, {"nope.nope": stats.uniform()}, 5)


def test_wilson_interval() -> None:
    lo, hi = wilson_interval(0, 100)
    assert lo == 0.0 and 0.03 < hi < 0.04
    lo, hi = wilson_interval(100, 100)
    assert hi == 1.0 and 0.96 < lo < 0.97


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_grid_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "tmp.csv"
    code, out, err = run(
        capsys,
        "sweep",
        CASE,
        "--grid",
        "instrument.dependency_share=0:1:11",
        "--out",
        str(out_file),
    )
    assert code == 0, err
    assert "concession" in out
    with open(out_file, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 11
    for row in rows:
        d = float(row["instrument.dependency_share"])
        a = analyze(CASE, {"instrument.dependency_share": d}, with_thresholds=False)
        assert row["outcome"] == a.outcome


def test_cli_monte_carlo_npz(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = [
        "sweep",
        CASE,
        "--samples",
        "300",
        "--vary",
        "instrument.dependency_share=beta(8,2)",
        "--vary",
        "instrument.stockpile_months=triangular(0, 2, 12)",
        "--seed",
        "5",
        "--out",
        str(tmp_path / "mc.npz"),
    ]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "95% CI" in out
    _, out2, _ = run(capsys, *argv)
    assert out2 == out
    with np.load(tmp_path / "mc.npz") as z:
        assert z["outcome"].shape == (300,)


@pytest.mark.parametrize(
    "argv",
    [
        ["--samples", "10", "--vary", "instrument.dependency_share=__import__('os')"],
        ["--samples", "10", "--vary", "instrument.dependency_share=uniform(0.5)"],
        ["--samples", "10", "--vary", "instrument.dependency_share=uniform(1,0)"],
        ["--samples", "10", "--vary", "instrument.dependency_share=gamma(1,2)"],
        ["--samples", "10", "--vary", "instrument.dependency_share=normal(0, 1e999)"],
        ["--vary", "instrument.dependency_share=uniform(0,1)"],
        ["--grid", "instrument.dependency_share=0:1"],
        ["--grid", "instrument.dependency_share=0:1:2", "--out", "x.xlsx"],
        ["--grid", "instrument.nope=0:1:2"],
        ["--grid", "instrument.dependency_share=0:2:3"],
        [],
    ],
)
def test_cli_bad_specs_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, "sweep", CASE, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("coercion: error:")


def test_missing_pandas_is_a_coercion_error(
    base: SweepResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(CoercionError, match="pandas"):
        base.to_pandas()


def test_threads_give_the_serial_result() -> None:
    grid = {
        "instrument.dependency_share": np.linspace(0.0, 1.0, 61),
        "instrument.stockpile_months": np.linspace(0.0, 30.0, 47),
    }
    serial = sweep("japan-china-2010", grid, chunk=300)
    threaded = sweep("japan-china-2010", grid, chunk=300, workers=2)
    assert np.array_equal(serial.outcome, threaded.outcome)
    assert np.array_equal(serial.payoffs, threaded.payoffs)
    assert np.array_equal(serial.ties, threaded.ties)


@pytest.mark.parametrize("workers", [0, -2, 1.5, True, "2"])
def test_bad_workers_name_the_argument(workers: object) -> None:
    with pytest.raises(InvalidParameterError, match="workers must be a positive integer or -1"):
        sweep("japan-china-2010", {"instrument.dependency_share": [0.5]}, workers=workers)  # type: ignore[arg-type]


def test_workers_and_executor_are_not_combined() -> None:
    with ThreadPoolExecutor(1) as ex, pytest.raises(InvalidParameterError, match="executor"):
        sweep("japan-china-2010", {"instrument.dependency_share": [0.5]}, executor=ex, workers=2)


@pytest.mark.parametrize("chunk", [1, 7, 1000, 10**6])
def test_chunking_by_broadcast_blocks_changes_nothing(chunk: int) -> None:
    grid = {
        "instrument.dependency_share": np.linspace(0.0, 1.0, 13),
        "instrument.stockpile_months": np.linspace(0.0, 30.0, 11),
        "instrument.months_to_substitute": np.array([6.0, 24.0, 48.0]),
    }
    one = sweep("japan-china-2010", grid, chunk=10**6)
    other = sweep("japan-china-2010", grid, chunk=chunk)
    assert np.array_equal(one.outcome, other.outcome)
    assert np.array_equal(one.payoffs, other.payoffs)
    # and each point equals a single-point analysis
    for i, j, k in [(0, 0, 0), (12, 10, 2), (11, 1, 2), (6, 5, 1)]:
        point = {p: float(a[n]) for (p, a), n in zip(grid.items(), (i, j, k), strict=True)}
        assert other.outcome_names()[i, j, k] == analyze("japan-china-2010", point).outcome


def test_evaluate_takes_an_id_like_the_other_entry_points() -> None:
    from coercion.analysis import evaluate

    values = {"instrument.dependency_share": np.array([0.0, 0.5, 0.92])}
    by_id = evaluate("japan-china-2010", values)
    by_case = evaluate(load("japan-china-2010"), values)
    assert np.array_equal(by_id.outcome, by_case.outcome)
    assert [OUTCOMES[k] for k in by_id.outcome] == ["standoff", "concession", "concession"]


def test_parquet_round_trip(base: SweepResult, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    base.to_parquet(tmp_path / "s.parquet")
    df = pd.read_parquet(tmp_path / "s.parquet")
    assert len(df) == base.size
    assert df["outcome"].astype(str).tolist() == base.outcome_names().reshape(-1).tolist()
    np.testing.assert_array_equal(df["coercer_payoff"].to_numpy(), base.payoffs[0].reshape(-1))
    mc = monte_carlo(
        CASE, {"instrument.dependency_share": stats.uniform(0.0, 1.0)}, 50, rng=3, progress=False
    )
    mc.to_parquet(tmp_path / "m.parquet")
    back = pd.read_parquet(tmp_path / "m.parquet")
    assert back["valid"].all() and len(back) == 50


def test_cli_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "g.parquet"
    code = main(["sweep", CASE, "--grid", "instrument.dependency_share=0:1:5", "--out", str(out)])
    assert code == 0 and "written" in capsys.readouterr().out
    df = pd.read_parquet(out)
    expected = sweep(CASE, {"instrument.dependency_share": np.linspace(0, 1, 5)})
    assert df["outcome"].astype(str).tolist() == expected.outcome_names().tolist()


def test_parquet_without_pyarrow_is_one_line_before_solving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    sw = importlib.import_module("coercion.analysis.sweep")  # the module, not the function
    monkeypatch.setattr(sw, "parquet_missing", lambda: "pyarrow")
    code = main(
        [
            "sweep",
            CASE,
            "--grid",
            "instrument.dependency_share=0:1:5",
            "--out",
            str(tmp_path / "g.parquet"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "pyarrow" in err and not (tmp_path / "g.parquet").exists()
