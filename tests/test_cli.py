"""The command line: JSON contract, agreement with pygambit, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coercion.cli import main
from coercion.games import GameTree, NormalFormGame
from coercion.io import write_efg, write_nfg
from coercion.strategies import trees_with_information_sets
from tests import games
from tests.strategies import bimatrix_games, perfect_information_trees
from tests.test_backward_induction import plain_spe_payoffs
from tests.test_sequence_form import two_player_trees


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_bundled_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", "threat", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["method"] == "backward_induction" and data["exhaustive"] is True
    # Coercer's information sets in file order: root, after resistance; Target's: one
    assert data["equilibria"] == [
        {"profile": [[[1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0]]], "payoffs": [1.0, -1.0]}
    ]


def test_solve_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", "vonstengel-3x2")
    assert code == 0
    assert "exhaustive: yes" in out and out.count("equilibrium ") == 3


@pytest.mark.oracle
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bimatrix_games(max_actions=5))
def test_json_contains_every_pygambit_equilibrium(
    tmp_path_factory: pytest.TempPathFactory, game: NormalFormGame
) -> None:
    from tests import oracle

    path = tmp_path_factory.mktemp("g") / "g.nfg"
    path.write_text(write_nfg(game))
    out = subprocess_free_json(["solve", str(path), "--json"])
    ours = [eq["profile"] for eq in out["equilibria"]]
    for expected in oracle.enummixed(game):
        assert any(
            all(
                np.allclose(np.array(p, float), np.array(e, float), atol=1e-9)
                for p, e in zip(prof, expected, strict=True)
            )
            for prof in ours
        )
    for prof in ours:
        from coercion.solvers import max_regret

        assert max_regret(game, prof) <= 1e-6
    if out["degenerate"] is False:
        assert out["exhaustive"] is True


def subprocess_free_json(argv: list[str]) -> dict[str, object]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return json.loads(buf.getvalue())  # type: ignore[no-any-return]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(perfect_information_trees(max_depth=3))
def test_tree_json_payoffs_equal_plain_backward_induction(
    tmp_path_factory: pytest.TempPathFactory, tree: object
) -> None:
    path = tmp_path_factory.mktemp("t") / "t.efg"
    path.write_text(write_efg(tree))  # type: ignore[arg-type]
    out = subprocess_free_json(["solve", str(path), "--json"])
    expected = [float(v) for v in plain_spe_payoffs(tree)]  # type: ignore[arg-type]
    assert any(np.allclose(eq["payoffs"], expected) for eq in out["equilibria"])  # type: ignore[attr-defined]


def test_imperfect_information_tree_all_extreme_equilibria(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "types.efg"
    path.write_text(write_efg(games.threat_tree_with_types()))
    code, out, _ = run(capsys, "solve", str(path), "--method", "enummixed", "--json")
    data = json.loads(out)
    assert code == 0 and data["method"] == "enummixed" and data["exhaustive"]
    # research notes §2.3: pygambit's enummixed finds 7 extreme equilibria of this game
    assert len(data["equilibria"]) == 7
    # the semi-separating one: coercer threatens, imposes with 1/2; irresolute concedes 8/9
    assert any(eq["payoffs"] == pytest.approx([0.6, -0.925]) for eq in data["equilibria"])


def test_imperfect_information_tree_default_is_sequence_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "types.efg"
    path.write_text(write_efg(games.threat_tree_with_types()))
    code, out, _ = run(capsys, "solve", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["method"] == "sequence_form_lcp"
    assert not data["exhaustive"] and data["max_regret"] == 0.0
    assert "enummixed" in data["message"]


@pytest.mark.oracle
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=st.one_of(two_player_trees(), trees_with_information_sets(max_depth=3)))
def test_random_imperfect_information_efg_against_pygambit_lcp(
    tmp_path_factory: pytest.TempPathFactory, tree: GameTree
) -> None:
    """Issue 4: random .efg games with information sets and chance nodes, through the CLI."""
    gbt = pytest.importorskip("pygambit")
    assume(tree.n_players == 2 and not tree.is_perfect_information)
    path = tmp_path_factory.mktemp("efg") / "g.efg"
    path.write_text(write_efg(tree))
    out = subprocess_free_json(["solve", str(path), "--json"])
    assert isinstance(out, dict) and out["equilibria"]
    g = gbt.read_efg(str(path))
    theirs = [
        tuple(Fraction(str(eq.payoff(pl))) for pl in g.players)
        for eq in gbt.nash.lcp_solve(g, rational=True).equilibria
    ]
    assert out["max_regret"] <= 1e-6
    for eq in out["equilibria"]:
        # independent certificate: pygambit's regret of the same behaviour profile
        # (information sets in file order, as the JSON lists them)
        prof = g.mixed_behavior_profile(rational=False)
        for pl, per_infoset in zip(g.players, eq["profile"], strict=True):
            for h, probs in zip(pl.infosets, per_infoset, strict=True):
                for a, p in zip(h.actions, probs, strict=True):
                    prof[a] = p
        assert prof.max_regret() <= 1e-6
        payoff = tuple(Fraction(v).limit_denominator(10**9) for v in eq["payoffs"])
        assert payoff in theirs


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "no such file"),
        ("", ""),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3\n', ":"),
        ('EFG 2 R "x" { "A" }\n""\np "" 1 1 "" { "a" } 0\nq\n', ":"),
        ("\x00\x01\x02binary", ""),
    ],
    ids=["missing", "empty", "short-payoffs", "bad-node", "binary"],
)
def test_malformed_files_give_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, fragment: str
) -> None:
    path = tmp_path / "bad.nfg"
    if content is not None:
        path.write_bytes(content.encode("latin-1"))
    code, out, err = run(capsys, "solve", str(path))
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and fragment in lines[0]
    assert "Traceback" not in err


def test_unknown_method_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "solve", "bos", "--method", "magic")
    assert code == 2 and "method must be one of" in err and len(err.strip().splitlines()) == 1


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "coercion.cli", "solve", "bos", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert {tuple(map(tuple, e["profile"])) for e in data["equilibria"]} == {
        ((1.0, 0.0), (1.0, 0.0)),
        ((0.0, 1.0), (0.0, 1.0)),
        ((float(F(2, 3)), float(F(1, 3))), (float(F(1, 3)), float(F(2, 3)))),
    }


def test_bundled_imperfect_information_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "solve", "threat-types", "--json")
    data = json.loads(out)
    assert code == 0 and data["method"] == "sequence_form_lcp" and not data["exhaustive"]
    assert data["max_regret"] == 0.0
    code, out, _ = run(capsys, "solve", "threat-types", "--method", "enummixed", "--json")
    data = json.loads(out)
    assert data["exhaustive"] and len(data["equilibria"]) == 7  # research notes §2.3
