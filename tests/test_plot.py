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


# ------------------------------------------------------------------ game trees
from fractions import Fraction  # noqa: E402
from importlib.resources import files  # noqa: E402
from typing import Any  # noqa: E402

import sympy as sp  # noqa: E402

from coercion.analysis import analyze  # noqa: E402
from coercion.analysis.plot import PATH_COLOR, plot_tree  # noqa: E402
from coercion.cases import load  # noqa: E402
from coercion.errors import CoercionError  # noqa: E402
from coercion.games import (  # noqa: E402
    BehaviorProfile,
    Chance,
    Decision,
    GameTree,
    NormalFormGame,
    Terminal,
)
from coercion.io import read_game  # noqa: E402
from coercion.model.game import coercion_game  # noqa: E402
from coercion.solvers import solve  # noqa: E402

THREAT_EFG = files("coercion.data") / "games" / "threat.efg"


def _threat() -> GameTree:
    tree = read_game(THREAT_EFG)
    assert isinstance(tree, GameTree)
    return tree


def _signalling() -> GameTree:
    """Chance picks a type; A sees it; B does not (one information set over two nodes)."""

    def branch(a_set: str, x: int, y: int) -> Decision:
        return Decision(
            "A",
            {
                "fight": Decision(
                    "B", {"l": Terminal("x", (x, 2)), "r": Terminal("y", (0, y))}, infoset="b"
                ),
                "quit": Terminal("q", (0, 1)),
            },
            infoset=a_set,
        )

    root = Chance(
        {
            "strong": (Fraction(1, 3), branch("a1", 1, 0)),
            "weak": (Fraction(2, 3), branch("a2", 3, 4)),
        }
    )
    return GameTree(["A", "B"], root, title="signalling")


def _edges(ax: Any) -> dict[int, Any]:
    return {int(ln.get_gid()[5:]): ln for ln in ax.lines if str(ln.get_gid()).startswith("edge:")}


def _highlighted(ax: Any) -> set[int]:
    return {
        k for k, ln in _edges(ax).items() if ln.get_color() == PATH_COLOR and ln.get_linewidth() > 2
    }


def _texts(ax: Any, prefix: str) -> dict[int, str]:
    return {
        int(t.get_gid().split(":")[1]): t.get_text()
        for t in ax.texts
        if str(t.get_gid()).startswith(prefix + ":")
    }


def _path_edges(tree: GameTree, actions: tuple[str, ...]) -> set[int]:
    """The child nodes reached by following *actions* from the root (independent of plot_tree)."""
    out, k = set(), 0
    for a in actions:
        k = tree.children[k][tree.actions_at(k).index(a)]
        out.add(k)
    return out


@pytest.fixture(scope="module")
def japan_tree() -> GameTree:
    return coercion_game(load("japan-china-2010").scenario())


@pytest.mark.parametrize("which", ["japan-china-2010", "us-china-2025", "threat.efg", "signalling"])
def test_every_tree_edge_is_drawn_once_with_its_action(which: str) -> None:
    if which == "threat.efg":
        tree = _threat()
    elif which == "signalling":
        tree = _signalling()
    else:
        tree = coercion_game(load(which).scenario())
    ax = plot_tree(tree)
    edges = _edges(ax)
    assert sorted(edges) == list(range(1, len(tree.nodes)))  # one line per edge, no more
    labels = _texts(ax, "action")
    for child, line in edges.items():
        parent = tree.parent[child]
        action = tree.actions_at(parent)[tree.parent_action[child]]
        assert labels[child].split()[0] == action
        # the line runs from the parent's position (leftmost) to the child's
        xs, _ = line.get_data()
        assert xs[0] < xs[1]
    assert not _highlighted(ax)  # nothing highlighted unless asked
    assert len(_texts(ax, "terminal")) == len(tree.terminals)
    movers = _texts(ax, "mover")
    assert movers == {k: n.player for k, n in enumerate(tree.nodes) if isinstance(n, Decision)}


def test_case_tree_highlights_the_analysis_path(japan_tree: GameTree) -> None:
    a = analyze("japan-china-2010", with_thresholds=False)
    ax = plot_tree(japan_tree, path=a.path)
    expected = _path_edges(japan_tree, a.path)
    assert a.path == ("threaten", "concede")
    assert _highlighted(ax) == expected and len(expected) == 2
    # the reached terminal shows the analysis's outcome and payoffs, rounded
    (end,) = [k for k in expected if isinstance(japan_tree.nodes[k], Terminal)]
    text = _texts(ax, "terminal")[end]
    u = a.payoffs
    assert text == f"{a.outcome}  ({u['coercer']:.2f}, {u['target']:.2f})"


def test_analysis_carries_its_tree_for_drawing() -> None:
    a = analyze("us-china-2025", with_thresholds=False)
    assert a.tree is not None and a.tree.grid_shape == ()
    ax = plot_tree(a.tree, path=a.path)
    expected = _path_edges(a.tree, a.path)
    assert _highlighted(ax) == expected and len(expected) == len(a.path)
    (end,) = [k for k in expected if isinstance(a.tree.nodes[k], Terminal)]
    assert _texts(ax, "terminal")[end].startswith(a.outcome)


def test_case_tree_chance_edges_show_their_probabilities(japan_tree: GameTree) -> None:
    ax = plot_tree(japan_tree, decimals=1)
    chance = [k for k, n in enumerate(japan_tree.nodes) if isinstance(n, Chance)]
    (c,) = chance
    labels = _texts(ax, "action")
    edges = _edges(ax)
    probs = {
        kid: float(p)
        for kid, (p, _) in zip(
            japan_tree.children[c], japan_tree.nodes[c].moves.values(), strict=True
        )
    }
    assert sorted(probs.values()) == [0.0, 0.0, 0.0, 1.0]
    for kid, p in probs.items():
        assert labels[kid].endswith(f"p = {p:.1f}")
        assert (edges[kid].get_linestyle() == ":") == (p == 0.0)


def test_solver_result_profile_and_flag_highlight_the_same_path() -> None:
    tree = _threat()
    result = solve(tree)
    expected = _path_edges(tree, ("threaten", "concede"))  # the file's documented SPE path
    assert _highlighted(plot_tree(tree, path=result)) == expected
    assert _highlighted(plot_tree(tree, path=result[0])) == expected
    assert _highlighted(plot_tree(tree, highlight_equilibrium=True)) == expected
    # an off-equilibrium path is drawn as given
    other = ("threaten", "resist", "impose")
    assert _highlighted(plot_tree(tree, path=other)) == _path_edges(tree, other)


def test_profile_highlights_every_edge_reached_with_positive_probability() -> None:
    tree = _signalling()
    # A fights when strong, mixes when weak; B mixes
    profile = BehaviorProfile([[[1, 0], [0.5, 0.5]], [[0.25, 0.75]]])
    got = _highlighted(plot_tree(tree, path=profile))
    reached = set(range(1, len(tree.nodes)))
    # strong type never quits: its 'quit' terminal is the only unreached node
    strong = tree.children[0][0]
    quit_strong = tree.children[strong][1]
    assert got == reached - {quit_strong}
    pure = BehaviorProfile([[[0, 1], [0, 1]], [[1, 0]]])  # both types quit
    assert _highlighted(plot_tree(tree, path=pure)) == {
        tree.children[0][0],
        tree.children[0][1],
        tree.children[tree.children[0][0]][1],
        tree.children[tree.children[0][1]][1],
    }


def test_information_sets_are_joined_by_dashed_links() -> None:
    tree = _signalling()
    ax = plot_tree(tree, orientation="top-down")
    links = [ln for ln in ax.lines if str(ln.get_gid()).startswith("infoset:")]
    expected = sum(len(h.members) - 1 for h in tree.infosets)
    assert expected == 1 and len(links) == 1
    assert links[0].get_linestyle() == "--"
    (h,) = [h for h, info in enumerate(tree.infosets) if len(info.members) == 2]
    assert links[0].get_gid() == f"infoset:{h}"
    # the link joins the two members' positions
    xs, ys = links[0].get_data()
    ends = {
        (round(float(xs[0]), 9), round(float(ys[0]), 9)),
        (round(float(xs[-1]), 9), round(float(ys[-1]), 9)),
    }
    edges = _edges(ax)
    members = {
        (round(float(edges[m].get_data()[0][1]), 9), round(float(edges[m].get_data()[1][1]), 9))
        for m in tree.infosets[h].members
    }
    assert ends == members
    # perfect information: no links
    assert not [ln for ln in plot_tree(_threat()).lines if str(ln.get_gid()).startswith("infoset")]


def test_orientation_puts_the_root_first() -> None:
    tree = _threat()
    down = _edges(plot_tree(tree, orientation="top-down"))
    right = _edges(plot_tree(tree, orientation="left-right"))
    for k in down:
        (_, _), (y0, y1) = down[k].get_data()
        (x0, x1), (_, _) = right[k].get_data()
        assert y1 < y0 and x1 > x0
    # actions in their order: the first child above (left-right) or left of (top-down) the next
    first, second = tree.children[0]
    assert right[first].get_data()[1][1] > right[second].get_data()[1][1]
    assert down[first].get_data()[0][1] < down[second].get_data()[0][1]


def test_terminal_text_and_rounding() -> None:
    tree = _threat()
    labels = sorted(_texts(plot_tree(tree, terminal_text="payoffs"), "terminal").values())
    assert labels == ["(-1, 0)", "(-1/2, -2)", "(0, 0)", "(1, -1)"]  # exact values stay exact
    outcomes = _texts(plot_tree(tree, terminal_text="outcome"), "terminal")
    assert sorted(outcomes.values()) == sorted(
        n.label for n in tree.nodes if isinstance(n, Terminal)
    )
    assert _texts(plot_tree(tree, terminal_text="none"), "terminal") == {}
    floats = tree.map_values(lambda v: float(v) / 3)
    texts = _texts(plot_tree(floats, terminal_text="payoffs", decimals=3), "terminal")
    assert "(-0.167, -0.667)" in texts.values() and "(0.000, 0.000)" in texts.values()


def test_symbolic_tree_is_drawn_with_expressions() -> None:
    c = sp.Symbol("c")
    tree = GameTree(["A"], Decision("A", {"x": Terminal("x", (c,)), "y": Terminal("y", (1 - c,))}))
    ax = plot_tree(tree, path=("y",), terminal_text="payoffs")
    assert sorted(_texts(ax, "terminal").values()) == ["(1 - c)", "(c)"]
    assert _highlighted(ax) == {2}
    with pytest.raises(InvalidParameterError, match="highlight_equilibrium=True needs numeric"):
        plot_tree(tree, highlight_equilibrium=True)


def test_given_axes_is_used_and_saved(tmp_path: Path, japan_tree: GameTree) -> None:
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    assert plot_tree(japan_tree, ax=ax, highlight_equilibrium=True, title="T") is ax
    assert ax.get_title() == "T"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["coercer", "target", "chance", "equilibrium path"]
    ax2 = plot_tree(japan_tree, path=("no_threat",), path_label="no threat")
    assert [t.get_text() for t in ax2.get_legend().get_texts()][-1] == "no threat"
    out = tmp_path / "tree.png"
    ax.figure.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _bad_cases() -> list[Any]:
    tree = _threat()
    grid = tree.map_values(lambda v: np.array([float(v), 2 * float(v)]))
    normal = solve(NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    cases = [
        (
            "normal-form",
            {"tree": NormalFormGame.from_arrays([[1]], [[1]])},
            "tree must be a GameTree; got NormalFormGame",
        ),
        ("grid-tree", {"tree": grid}, r"tree must hold a single game; .* shape \(2,\)"),
        (
            "path-str",
            {"path": "threaten"},
            "path must be a sequence of action labels .* got 'threaten'",
        ),
        (
            "path-unknown-action",
            {"path": ("threaten", "fly")},
            r"path .* step 1 must be one of \['concede', 'resist'\]; got 'fly'",
        ),
        (
            "path-too-long",
            {"path": ("no_threat", "again")},
            "path .* step 1 .* after a terminal node",
        ),
        ("path-int", {"path": 3}, "path must be a sequence .* got 3"),
        (
            "path-normal-form-result",
            {"path": normal},
            "path must be a result of solving a GameTree; .* NormalFormGame",
        ),
        (
            "path-profile-shape",
            {"path": BehaviorProfile([[[1, 0]], [[1, 0]]])},
            r"path .* action counts \[\[2, 2\], \[2\]\] .* got \[\[2\], \[2\]\]",
        ),
        (
            "path-and-flag",
            {"path": ("threaten",), "highlight_equilibrium": True},
            "either path or highlight_equilibrium",
        ),
        (
            "flag-not-bool",
            {"highlight_equilibrium": "yes"},
            "highlight_equilibrium must be True or False .*; got 'yes'",
        ),
        (
            "orientation",
            {"orientation": "sideways"},
            "orientation must be one of .* got 'sideways'",
        ),
        ("terminal-text", {"terminal_text": "all"}, "terminal_text must be one of .* got 'all'"),
        (
            "decimals-negative",
            {"decimals": -1},
            r"decimals must be an integer in \[0, 12\]; got -1",
        ),
        ("decimals-float", {"decimals": 2.5}, r"decimals must be an integer in \[0, 12\]; got 2.5"),
        ("fontsize", {"fontsize": 0}, "fontsize must be positive; got 0"),
        ("title", {"title": 3}, "title must be a string or None; got 3"),
        ("path-label", {"path_label": None}, "path_label must be a string; got None"),
    ]
    return [pytest.param(kwargs, message, id=name) for name, kwargs, message in cases]


@pytest.mark.parametrize("kwargs, message", _bad_cases())
def test_bad_input_names_the_argument(kwargs: dict[str, Any], message: str) -> None:
    args = {"tree": _threat(), **kwargs}
    tree = args.pop("tree")
    with pytest.raises(CoercionError, match=message) as info:
        plot_tree(tree, **args)
    assert isinstance(info.value, InvalidParameterError)
    assert str(info.value).startswith("plot_tree: ")


def test_case_from_a_file_is_marked_where_it_is(tmp_path: Path) -> None:
    from coercion.cases import load

    # a user's own copy of the case, with a different stockpile, outside the bundled library
    text = load("japan-china-2010").path.read_text(encoding="utf-8")
    edited = text.replace("stockpile_months = { value = 2,", "stockpile_months = { value = 7,")
    assert edited != text
    copy = tmp_path / "japan-china-2010.toml"
    copy.write_text(edited, encoding="utf-8")
    r = sweep(str(copy), {X: np.linspace(0.0, 1.0, 5), Y: np.linspace(0.0, 24.0, 4)})
    assert r.case_values == {X: 0.92, Y: 7.0}
    ax = plot_phase(r, X, Y)
    marked = {t.get_text(): t.xy for t in ax.texts}
    assert marked[f"{r.case_id} (case)"] == (0.92, 7.0)
