"""Execute every notebook in ``notebooks/`` top to bottom, as a reader would after a fresh install.

Each notebook is copied to a temporary directory and run with nbclient on the ``python3``
kernel (120 s per cell); any error fails the test, each notebook must draw at least one
figure, and every drawn axes with data (tree drawings switch their axes off) must carry an x
and a y label, its own or that of an axes it shares the axis with (a cell added before the
first records the axes of each figure as it is rendered, one added after the last checks
them).  The notebooks are stored with outputs stripped, which is checked without running
them.  The execution tests are skipped if nbclient, nbformat, ipykernel or matplotlib is
missing (``pip install -e '.[test]'`` installs them).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell

_MISSING = [
    m
    for m in ("nbclient", "nbformat", "ipykernel", "matplotlib")
    if importlib.util.find_spec(m) is None
]
needs_jupyter = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"executing notebooks needs {', '.join(_MISSING)} (pip install -e '.[test]')",
)


def test_notebooks_exist() -> None:
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stripped(path: Path) -> None:
    """Notebooks are committed without outputs or execution counts."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {k} has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: cell {k} was executed"


_RECORD_AXES = """
import matplotlib
from matplotlib.backend_bases import FigureCanvasBase

_AXES_SEEN = []
_print_figure = FigureCanvasBase.print_figure


def _label(ax, which):
    # an axis shared with another axes (sharey=True, twinx) may carry its label there
    siblings = getattr(ax, f"get_shared_{which}_axes")().get_siblings(ax)
    return " / ".join(
        t for t in {getattr(a, f"get_{which}label")().strip() for a in siblings} if t
    )


def _recording_print_figure(self, *args, **kwargs):
    for ax in self.figure.axes:
        if ax.get_visible() and ax.axison and ax.has_data():
            _AXES_SEEN.append((ax.get_title(), _label(ax, "x"), _label(ax, "y")))
    return _print_figure(self, *args, **kwargs)


FigureCanvasBase.print_figure = _recording_print_figure
"""

_CHECK_AXES = """
unlabelled = [a for a in _AXES_SEEN if not (a[1] and a[2])]
assert _AXES_SEEN, "no figure with axes was drawn"
assert not unlabelled, f"axes without an x or y label (title, xlabel, ylabel): {unlabelled}"
"""


@needs_jupyter
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    nb = nbformat.read(copy, as_version=4)
    # record the axes of every figure as it is rendered (inline backend), and check them last
    nb.cells.insert(0, nbformat.v4.new_code_cell(_RECORD_AXES))
    nb.cells.append(nbformat.v4.new_code_cell(_CHECK_AXES))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors, f"{path.name}: {[(e.ename, e.evalue) for e in errors]}"
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})
    ]
    assert images, f"{path.name}: no figure (image/png output) after execution"


def test_readme_states_notebook_1_answer() -> None:
    """The numbers the README quotes from notebook 1 are what the library computes."""
    from coercion.analysis import analyze

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Notebooks") : readme.index("## Command line")]
    text = " ".join(section.split())
    a = analyze("japan-china-2010")
    d = a.derived
    assert f"US$ {float(d['L_T']):.1f} bn a month" in text
    assert f"China's US$ {float(d['c_C']):.2f} bn" in text
    assert f"about {float(d['H_T_0']):.0f} months against China's {float(d['H_C_0']):.0f}" in text
    assert a.outcome == "concession"
    S = "instrument.stockpile_months"
    essay = {"instrument.dependency_share": 0.60, S: 3.0}
    assert analyze("japan-china-2010", essay, with_thresholds=False).outcome == "concession"
    today = {"instrument.dependency_share": 0.70, S: 3.0}
    for case, values, quoted in [
        ("japan-china-2010", today, "above about {:.1f} months"),
        ("china-japan-2025", {}, "({:.1f} months in the 2025 case)"),
    ]:
        an = analyze(case, values, threshold_parameters=[S])
        assert an.outcome == "concession"  # today's Japan still concedes
        up = min(t.value for t in an.thresholds if t.value > t.current)
        assert quoted.format(up) in text
