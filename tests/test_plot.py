"""Phase diagrams: a small sweep plotted with the Agg backend, and the CLI's --plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coercion.analysis import sweep
from coercion.analysis.sweep import SweepResult
from coercion.errors import InvalidParameterError

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from coercion.analysis.plot import OUTCOME_COLORS, axis_label, plot_phase  # noqa: E402
from coercion.cli import main  # noqa: E402
from coercion.model.game import OUTCOMES  # noqa: E402

X = "instrument.dependency_share"
Y = "instrument.stockpile_months"


@pytest.fixture(scope="module")
def result() -> SweepResult:
    return sweep("japan-china-2010", {X: np.linspace(0, 1, 21), Y: np.linspace(0, 24, 13)})


def test_plot_writes_png_with_legend_and_labels(result: SweepResult, tmp_path: Path) -> None:
    markers = {"Japan 2010": {X: 0.9, Y: 2.0}, "Japan today": {X: 0.65}}
    ax = plot_phase(result, X, Y, case_markers=markers)
    legend = sorted(t.get_text() for t in ax.get_legend().get_texts())
    present = sorted({lab for lab, n in result.counts().items() if n > 0})
    assert legend == present and len(present) > 1
    assert X in ax.get_xlabel() and "[share]" in ax.get_xlabel()
    assert Y in ax.get_ylabel() and "[months]" in ax.get_ylabel()
    notes = {t.get_text() for t in ax.texts}
    assert {"Japan 2010", "Japan today", "japan-china-2010 (case)"} <= notes
    out = tmp_path / "phase.png"
    ax.figure.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_swapped_axes_and_given_ax(result: SweepResult) -> None:
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    assert plot_phase(result, Y, X, ax=ax, thresholds=False) is ax
    assert ax.get_xlabel() == axis_label(Y)


def test_every_outcome_has_a_colour() -> None:
    assert set(OUTCOME_COLORS) == set(OUTCOMES)


def test_bad_axes(result: SweepResult) -> None:
    with pytest.raises(InvalidParameterError):
        plot_phase(result, X, "stakes.target_issue")
    with pytest.raises(InvalidParameterError):
        plot_phase(result, X, X)


def test_cli_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, csv = tmp_path / "p.png", tmp_path / "p.csv"
    args = ["sweep", "japan-china-2010", "--grid", f"{X}=0:1:11", "--grid", f"{Y}=0:24:5"]
    assert main([*args, "--out", str(csv), "--plot", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG" and csv.exists()
    assert main([*args[:4], "--plot", str(png)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "two --grid axes" in err[0]
    assert main([*args, "--plot", str(tmp_path / "p.pdf")]) == 2
