"""Hostile and heavy input, items 5-7 of issue 12: one clean line instead of a traceback,
finite answers computed without overflow, sizes checked before allocating, outputs never
damaged by a failed or interrupted write, a closed pipe left quietly."""

from __future__ import annotations

import errno
import importlib
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coercion._backend import FLOAT, NUMPY
from coercion._files import atomic_path, check_writable
from coercion.analysis import monte_carlo, sweep
from coercion.cases import load
from coercion.cases.loader import parse_value
from coercion.cli import main
from coercion.errors import InvalidParameterError
from coercion.model import formulas as fm
from coercion.model.primitives import Instrument

sweep_module = importlib.import_module("coercion.analysis.sweep")
CASE = "japan-china-2010"
CASE_FILE = Path(load(CASE).path)
BIG_INT = "9" * 4400  # more digits than Python converts (4,300)
NESTED = "[" * 2000 + "]" * 2000


def run(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, str, str]:
    """``main(argv)`` -> (status, stdout, stderr); argparse's exit counts as a status."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("coercion"), err
    for needle in needles:
        assert needle in err, (needle, err)


def case_with(tmp_path: Path, field: str, literal: str) -> Path:
    """A copy of the bundled case with ``field = { value = <literal>, ...}`` rewritten."""
    text = CASE_FILE.read_text(encoding="utf-8")
    text, n = re.subn(rf"(?m)^({field} = \{{ value = )[^,]+", rf"\g<1>{literal}", text)
    assert n == 1
    path = tmp_path / CASE_FILE.name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------- item 5: finite answers, no overflow


@pytest.mark.parametrize(
    "setting",
    ["instrument.monthly_flow_usd_bn=1e160", "instrument.essentiality=1e200"],
)
@pytest.mark.parametrize("command", ["analyze", "export"])
def test_large_finite_values_are_computed(
    capsys: pytest.CaptureFixture[str], command: str, setting: str
) -> None:
    # formerly OverflowError: (34, 'Numerical result out of range') from qb**2
    code, out, err = run(capsys, [command, CASE, "--set", setting])
    assert code == 0, err
    assert err == ""
    assert out


def test_large_finite_values_in_a_grid(capsys: pytest.CaptureFixture[str]) -> None:
    # formerly: RuntimeWarning lines, then "payoff ... must be finite"
    code, _, err = run(
        capsys, ["sweep", CASE, "--grid", "instrument.monthly_flow_usd_bn=1e150:1e160:3"]
    )
    assert code == 0, err
    assert err == ""


@pytest.mark.parametrize("scale", [1.0, 1e100, 1e200, 1e300])
@pytest.mark.parametrize("ops", [FLOAT, NUMPY], ids=["float", "numpy"])
def test_staying_power_is_scale_free_and_does_not_overflow(ops: Any, scale: float) -> None:
    # H solves c·H + L·k(H) = B: scaling B, c and L together leaves it unchanged
    args = {"a": 0.9, "tau": 48.0, "s": 2.0}
    for B, c, L in ((30.0, 0.1, 3.0), (0.5, 0.0, 3.0), (5.0, 0.2, 0.4)):
        ref = fm.staying_power(FLOAT, B=B, c=c, L=L, **args)
        got = fm.staying_power(ops, B=B * scale, c=c * scale, L=L * scale, **args)
        assert float(got) == pytest.approx(ref, rel=1e-9)


def test_overflowing_case_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = case_with(tmp_path, "monthly_flow_usd_bn", "1e308")
    code, _, err = run(capsys, ["analyze", str(path)])
    assert_one_line(code, err, "overflows", "instrument.monthly_flow_usd_bn=1e+308")


@pytest.mark.parametrize("command", ["analyze", "export"])
def test_overflowing_set_is_one_line(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, _, err = run(capsys, [command, CASE, "--set", "instrument.monthly_flow_usd_bn=1e308"])
    assert_one_line(code, err, "overflows", "L_T")


# ------------------------------------------------- item 5: huge integers, deep nesting


def test_integer_beyond_pythons_digit_limit_in_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, ["analyze", CASE, "--set", f"instrument.essentiality={BIG_INT}"])
    assert_one_line(code, err, "--set", "4300 digits")
    assert len(err) < 400


def test_integer_beyond_the_float_range_in_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, ["analyze", CASE, "--set", "instrument.essentiality=1" + "0" * 400])
    assert_one_line(code, err, "instrument.essentiality", "401 digits")


@pytest.mark.parametrize("literal", [BIG_INT, "1" + "0" * 400])
def test_huge_integer_in_a_case_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, literal: str
) -> None:
    path = case_with(tmp_path, "essentiality", literal)
    code, _, err = run(capsys, ["analyze", str(path)])
    assert_one_line(code, err, str(path))


@pytest.mark.parametrize(
    "spec",
    [
        f"instrument.essentiality=1:2:{BIG_INT}",
        f"instrument.essentiality=0:{BIG_INT}:3",
        "instrument.essentiality=1:1e400:3",
    ],
)
def test_huge_numbers_in_grid(capsys: pytest.CaptureFixture[str], spec: str) -> None:
    code, _, err = run(capsys, ["sweep", CASE, "--grid", spec])
    assert_one_line(code, err, "--grid")
    assert len(err) < 400


def test_grid_across_the_whole_float_range_does_not_overflow(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # stop - start overflows: linspace would fill the axis with nan (and warn)
    code, _, err = run(capsys, ["sweep", CASE, "--grid", "stakes.coercer_issue=-1e308:1e308:3"])
    assert_one_line(code, err, "Stakes.coercer_issue must lie in [0, inf)")
    assert "Warning" not in err


def test_deeply_nested_toml_in_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, ["analyze", CASE, "--set", f"instrument.essentiality={NESTED}"])
    assert_one_line(code, err, "nested too deeply")
    with pytest.raises(InvalidParameterError, match="nested too deeply"):
        parse_value(NESTED)


def test_deeply_nested_toml_in_a_case_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / CASE_FILE.name
    path.write_text(CASE_FILE.read_text(encoding="utf-8") + f"\nextra = {NESTED}\n")
    code, _, err = run(capsys, ["analyze", str(path)])
    assert_one_line(code, err, str(path), "nested too deeply")


def test_exact_numbers_beyond_float_are_refused_by_value_objects() -> None:
    from fractions import Fraction

    for value in (10**400, Fraction(10**400), 10**5000):
        with pytest.raises(InvalidParameterError, match=r"Instrument\.monthly_flow_usd_bn"):
            Instrument("export_control", "x", 0.5, value, 3.0)


# ------------------------------------------------- item 5: seeds


@pytest.mark.parametrize(
    "argv",
    [
        [
            "sweep",
            CASE,
            "--samples",
            "3",
            "--vary",
            "instrument.essentiality=uniform(1,2)",
            "--seed",
            "-1",
        ],
        [
            "check",
            CASE,
            "--monotone",
            "instrument.dependency_share:concession:increasing",
            "--method",
            "hypothesis",
            "--seed",
            "-1",
        ],
    ],
    ids=["sweep", "check"],
)
def test_negative_seed(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, argv)  # formerly ValueError: expected non-negative integer
    assert_one_line(code, err, "--seed", "-1")


def test_negative_seed_in_the_library() -> None:
    from scipy import stats

    with pytest.raises(InvalidParameterError, match="seed"):
        monte_carlo(CASE, {"instrument.essentiality": stats.uniform(1, 1)}, 5, rng=-1)
    with pytest.raises(InvalidParameterError, match="rng"):
        monte_carlo(CASE, {"instrument.essentiality": stats.uniform(1, 1)}, 5, rng=1.5)  # type: ignore[arg-type]


# ------------------------------------------------- item 5: sizes checked before allocating


def test_huge_grid_refused_before_allocating(capsys: pytest.CaptureFixture[str]) -> None:
    # formerly: MemoryError (7.28 TiB) from numpy.linspace, after trying
    code, _, err = run(
        capsys, ["sweep", CASE, "--grid", "instrument.essentiality=1:2:1000000000000"]
    )
    assert_one_line(code, err, "TiB", "points per run", "--max-memory")


def test_huge_monte_carlo_refused_before_drawing(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sweep", CASE, "--vary", "instrument.essentiality=uniform(1,2)"]
    code, _, err = run(capsys, [*argv, "--samples", str(10**12)])
    assert_one_line(code, err, "TiB", "--samples", "--max-memory")
    code, _, err = run(capsys, [*argv, "--samples", "10**12"])  # not an integer: argparse
    assert_one_line(code, err, "--samples")


def test_max_memory_raises_and_lowers_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sweep", CASE, "--grid", "instrument.essentiality=1:2:100"]
    code, _, err = run(capsys, [*argv, "--max-memory", "1K"])
    assert_one_line(code, err, "above the limit of 1.0 KiB")
    code, _, err = run(capsys, [*argv, "--max-memory", "1G"])
    assert code == 0, err
    code, _, err = run(capsys, [*argv, "--max-memory", "lots"])
    assert_one_line(code, err, "--max-memory")


def test_size_limits_in_the_library() -> None:
    from scipy import stats

    with pytest.raises(InvalidParameterError, match="points per run"):
        sweep(CASE, {"instrument.essentiality": [1.0, 2.0, 3.0]}, max_bytes=10)
    with pytest.raises(InvalidParameterError, match="draws per run"):
        monte_carlo(CASE, {"instrument.essentiality": stats.uniform(1, 1)}, 10**12)
    assert sweep(CASE, {"instrument.essentiality": [1.0, 2.0]}, max_bytes=10**6).size == 2


# ------------------------------------------------- item 5: argparse, broken pipe


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, ["sweep", CASE, "--chunk", "many"])
    assert_one_line(code, err, "--chunk")


class _ClosedPipe:
    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_broken_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["cases"]) == 0
    assert capsys.readouterr().err == ""


def test_broken_pipe_in_a_real_pipe() -> None:
    # like `coercion export CASE | head -0`: the reader is gone before anything is written
    proc = subprocess.Popen(
        [sys.executable, "-m", "coercion.cli", "export", CASE, "--format", "nfg"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""  # formerly: "coercion: error: [Errno 32] Broken pipe", status 2


# ------------------------------------------------- item 6: outputs written atomically


def _half_then(exc: BaseException, writer: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """A stand-in writer that writes part of a file at its first argument, then fails."""

    def fake(target: Any, *args: Any, **kwargs: Any) -> None:
        if hasattr(target, "write"):
            target.write(b"PARTIAL" if "b" in getattr(target, "mode", "") else "PARTIAL")
        else:
            Path(target).write_bytes(b"PARTIAL")
        raise exc

    return fake


def _interrupts() -> list[BaseException]:
    return [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")]


def _assert_untouched(folder: Path, name: str, before: bytes) -> None:
    assert (folder / name).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [name]  # no temporary file left


def _assert_status(code: int, err: str, exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt):
        assert code == 130 and err == "coercion: interrupted\n"
    else:
        assert_one_line(code, err, "No space left on device")


@pytest.mark.parametrize("exc", _interrupts(), ids=["ctrl-c", "disk-full"])
@pytest.mark.parametrize("suffix", [".csv", ".npz", ".parquet"])
def test_sweep_out_interrupted_keeps_the_previous_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    suffix: str,
    exc: BaseException,
) -> None:
    pd = pytest.importorskip("pandas") if suffix == ".parquet" else None
    out = tmp_path / f"result{suffix}"
    out.write_bytes(b"previous result")
    if suffix == ".csv":
        real = sweep_module._write_csv

        def csv_then_fail(fh: Any, *args: Any) -> None:
            real(fh, *args)
            raise exc

        monkeypatch.setattr(sweep_module, "_write_csv", csv_then_fail)
    elif suffix == ".npz":
        monkeypatch.setattr(np, "savez_compressed", _half_then(exc))
    else:
        monkeypatch.setattr(pd.DataFrame, "to_parquet", lambda self, p, **kw: _half_then(exc)(p))
    argv = ["sweep", CASE, "--grid", "instrument.essentiality=1:100:50", "--out", str(out)]
    code, _, err = run(capsys, argv)
    _assert_status(code, err, exc)
    _assert_untouched(tmp_path, out.name, b"previous result")


@pytest.mark.parametrize("exc", _interrupts(), ids=["ctrl-c", "disk-full"])
def test_sweep_plot_interrupted_keeps_the_previous_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    exc: BaseException,
) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    plot = tmp_path / "phase.png"
    plot.write_bytes(b"previous plot")
    monkeypatch.setattr(Figure, "savefig", lambda self, p, **kw: _half_then(exc)(p))
    argv = [
        "sweep",
        CASE,
        "--grid",
        "instrument.essentiality=1:100:5",
        "--grid",
        "instrument.stockpile_months=0:6:4",
        "--plot",
        str(plot),
    ]
    code, _, err = run(capsys, argv)
    _assert_status(code, err, exc)
    _assert_untouched(tmp_path, plot.name, b"previous plot")


@pytest.mark.parametrize("exc", _interrupts(), ids=["ctrl-c", "disk-full"])
def test_export_out_interrupted_keeps_the_previous_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    exc: BaseException,
) -> None:
    out = tmp_path / "game.efg"
    out.write_bytes(b"previous game")
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **kw: _half_then(exc)(self))
    code, _, err = run(capsys, ["export", CASE, "--out", str(out)])
    _assert_status(code, err, exc)
    _assert_untouched(tmp_path, out.name, b"previous game")


def test_completed_writes_replace_the_file_and_keep_its_mode(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "game.efg"
    out.write_text("old")
    out.chmod(0o640)
    code, _, err = run(capsys, ["export", CASE, "--out", str(out)])
    assert code == 0, err
    assert out.read_text().startswith("EFG 2 R")
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["game.efg"]


@pytest.mark.parametrize("method", ["to_csv", "to_npz"])
def test_library_writers_are_atomic(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, method: str
) -> None:
    result = sweep(CASE, {"instrument.essentiality": [1.0, 50.0]})
    out = tmp_path / f"r.{method[3:]}"
    out.write_bytes(b"previous")
    if method == "to_csv":
        monkeypatch.setattr(sweep_module, "_write_csv", _half_then(KeyboardInterrupt()))
    else:
        monkeypatch.setattr(np, "savez_compressed", _half_then(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        getattr(result, method)(out)
    _assert_untouched(tmp_path, out.name, b"previous")
    monkeypatch.undo()
    getattr(result, method)(out)
    assert out.read_bytes() != b"previous"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_npz_is_written_under_the_name_given(tmp_path: Path) -> None:
    result = sweep(CASE, {"instrument.essentiality": [1.0, 50.0]})
    result.to_npz(tmp_path / "r.data")
    assert [p.name for p in tmp_path.iterdir()] == ["r.data"]
    assert np.load(tmp_path / "r.data")["outcome"].shape == (2,)


@pytest.mark.parametrize(
    "argv_tail",
    [["--out", "{d}/missing/r.csv"], ["--out", "{d}"], ["--plot", "{d}/missing/p.png"]],
    ids=["out-folder-missing", "out-is-a-folder", "plot-folder-missing"],
)
def test_output_path_checked_before_the_work(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv_tail: list[str],
) -> None:
    def no_work(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the sweep ran before the output path was checked")

    monkeypatch.setattr("coercion.analysis.sweep", no_work)
    tail = [a.format(d=tmp_path) for a in argv_tail]
    if tail[0] == "--out" and tail[1] == str(tmp_path):
        tail[1] = str(tmp_path / "dir.csv")
        (tmp_path / "dir.csv").mkdir()
    grid = [
        "--grid",
        "instrument.essentiality=1:2:3",
        "--grid",
        "instrument.stockpile_months=0:1:2",
    ]
    code, _, err = run(capsys, ["sweep", CASE, *grid, *tail])
    assert_one_line(code, err, tail[0])


def test_export_out_checked_before_the_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, ["export", CASE, "--out", str(tmp_path / "no" / "g.efg")])
    assert_one_line(code, err, "does not exist")


def test_atomic_path_helpers(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="is a directory"):
        check_writable(tmp_path)
    assert check_writable(tmp_path / "new.csv") == tmp_path / "new.csv"
    with atomic_path(tmp_path / "x.png") as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".png" and tmp.name.startswith(".x.png.")
        tmp.write_text("png")
    assert (tmp_path / "x.png").read_text() == "png"


# ------------------------------------------------- item 7: fuzzing the options and case files

PATHS = sorted(load(CASE).values)

#: option values a fuzzer (or a tired user) would try: edge numbers, huge ones, junk
_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "1e308",
            "1e309",
            "-1e308",
            "1e160",
            "1e200",
            "5e-324",
            "0",
            "-0.0",
            "nan",
            "inf",
            "1" + "0" * 400,
            BIG_INT,
            "0x10",
            "1_000",
            "1e",
            ".",
            "+",
            "",
        ]
    ),
)
_junk = st.one_of(
    st.sampled_from(
        [
            "none",
            "high",
            '"high"',
            "true",
            "[1, 2]",
            "{ value = 1 }",
            "[" * 600,
            NESTED,
            '"' + "x" * 5000 + '"',
            "1979-05-27",
            "'''",
            "\x00",
            "é",
            "=",
            ":",
        ]
    ),
    st.text(max_size=12),
)
_values = st.one_of(_numbers, _junk)
_paths = st.one_of(st.sampled_from(PATHS), st.sampled_from(["", "stakes", "x.y", "instrument."]))
_count = st.sampled_from(
    ["0", "1", "3", "17", "-1", "1.5", "10**12", str(10**9), str(10**12), BIG_INT, ""]
)
_seed = st.sampled_from(["0", "1", "-1", "-0", str(2**64), str(2**200), "x", "1.5", "9" * 5000])
_vary = st.sampled_from(
    [
        "uniform(1,2)",
        "uniform(2,1)",
        "normal(0,1)",
        "beta(2,5)",
        "triangular(0,1,2)",
        "uniform(1e308,1.7e308)",
        "normal(1e300,1e300)",
        "uniform(nan,1)",
        "gamma(1,2)",
        "uniform(",
    ]
)


def _check_run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _, err = run(capsys, argv)
    assert "Traceback" not in err, (argv, err)
    if code == 0:
        assert err == "", (argv, err)
    else:
        assert code == 2, (argv, code, err)
        assert err.count("\n") == 1 and err.startswith("coercion"), (argv, err)


FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(
    command=st.sampled_from(["analyze", "export"]),
    sets=st.lists(st.tuples(_paths, _values), min_size=1, max_size=3),
)
def test_fuzz_set(
    capsys: pytest.CaptureFixture[str], command: str, sets: list[tuple[str, str]]
) -> None:
    argv = [command, CASE]
    for path, value in sets:
        argv += ["--set", f"{path}={value}"]
    _check_run(capsys, argv)


@FUZZ
@given(
    path=_paths,
    start=_numbers,
    stop=_numbers,
    count=_count,
    extra=st.sampled_from(
        [
            [],
            ["--chunk", "7"],
            ["--chunk", "0"],
            ["--workers", "2"],
            ["--max-memory", "1K"],
            ["--max-memory", "0"],
        ]
    ),
)
def test_fuzz_grid(
    capsys: pytest.CaptureFixture[str],
    path: str,
    start: str,
    stop: str,
    count: str,
    extra: list[str],
) -> None:
    _check_run(capsys, ["sweep", CASE, "--grid", f"{path}={start}:{stop}:{count}", *extra])


@FUZZ
@given(path=_paths, dist=_vary, samples=_count, seed=_seed)
def test_fuzz_monte_carlo(
    capsys: pytest.CaptureFixture[str], path: str, dist: str, samples: str, seed: str
) -> None:
    if samples in ("17", str(10**9)):  # keep each run fast: 10**9 draws would be allowed
        samples = "17" if samples == "17" else "50"
    argv = ["sweep", CASE, "--vary", f"{path}={dist}", "--samples", samples, "--seed", seed]
    _check_run(capsys, argv)


@FUZZ
@given(seed=_seed, method=st.sampled_from(["hypothesis", "grid", "auto"]))
def test_fuzz_check_seed(capsys: pytest.CaptureFixture[str], seed: str, method: str) -> None:
    claim = "instrument.dependency_share:concession:increasing"
    _check_run(capsys, ["check", CASE, "--monotone", claim, "--method", method, "--seed", seed])


_CASE_TEXT = CASE_FILE.read_text(encoding="utf-8")
_VALUE_AT = [m.start(1) for m in re.finditer(r"value = ([^,}]+)", _CASE_TEXT)]


@FUZZ
@given(
    where=st.integers(min_value=0, max_value=len(_VALUE_AT) - 1),
    literal=_values,
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=len(_CASE_TEXT))),
    insert=st.one_of(st.none(), st.tuples(st.integers(0, len(_CASE_TEXT)), _junk)),
    command=st.sampled_from(["analyze", "export"]),
)
def test_fuzz_case_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    where: int,
    literal: str,
    cut: int | None,
    insert: tuple[int, str] | None,
    command: str,
) -> None:
    at = _VALUE_AT[where]
    end = at + len(re.match(r"[^,}]+", _CASE_TEXT[at:]).group(0))  # type: ignore[union-attr]
    text = _CASE_TEXT[:at] + literal + _CASE_TEXT[end:]
    if insert is not None:
        text = text[: insert[0]] + insert[1] + text[insert[0] :]
    if cut is not None:
        text = text[:cut]
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / CASE_FILE.name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _check_run(capsys, [command, str(path)])
