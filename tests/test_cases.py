"""Case files: strict validation with one-line errors, the bundled library, analyze and export."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coercion.analysis import analyze, evaluate, thresholds
from coercion.cases import CaseFileError, index, load
from coercion.cli import main
from coercion.model import OUTCOMES

TEMPLATE = Path(load("japan-china-2010").path).read_text(encoding="utf-8")

REQUIRED_IDS = {
    "japan-china-2010",
    "us-china-2025",
    "us-canada-2025",
    "us-mexico-2025",
    "us-brazil-2025",
    "us-india-2025",
    "japan-korea-2019",
    "us-netherlands-asml-2023",
}


def test_library_holds_the_essay_cases_and_more() -> None:
    ids = {c.id for c in index()}
    assert ids >= REQUIRED_IDS
    assert len(ids - REQUIRED_IDS) >= 4
    for case in index():
        assert case.observed is None or case.observed in OUTCOMES
        for key, pv in case.values.items():
            if pv.provenance == "sourced":
                assert pv.source in case.sources, key


@pytest.mark.parametrize("case_id", sorted(c.id for c in index()))
def test_every_bundled_case_analyses(case_id: str) -> None:
    a = analyze(case_id)
    assert a.outcome in OUTCOMES and a.path[0] == "threaten"
    assert set(a.payoffs) == {"coercer", "target"}


def test_headline_cases() -> None:
    assert analyze("japan-china-2010", with_thresholds=False).outcome == "concession"
    us_china = analyze("us-china-2025", with_thresholds=False)
    assert us_china.outcome == "counter_threat_success"
    assert us_china.path == ("threaten", "counter_threaten", "back_down")
    # the counter-threat is decisive: without a counter-instrument China gives in
    import dataclasses

    from coercion.model import coercion_game, episode_root
    from coercion.solvers import backward_induction_grid

    scenario = dataclasses.replace(load("us-china-2025").scenario(), counter=None)
    tree = coercion_game(scenario)
    alone = backward_induction_grid(tree.subtree(episode_root(tree)))
    assert str(alone.outcome_names()) in ("concession", "partial_concession")


def test_clear_cut_cases_mostly_match() -> None:
    from coercion.analysis import validate

    v = validate()
    assert v.n_clear >= 4 and v.clear_accuracy >= 0.75


# ---------------------------------------------------------------- errors name file and field
def _write(tmp_path: Path, text: str | bytes, name: str = "japan-china-2010.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


BAD = [
    (
        "share-above-1",
        ("value = 0.92, source", "value = 1.5, source"),
        "instrument.dependency_share",
    ),
    (
        "share-below-0",
        ("value = 0.92, source", "value = -0.1, source"),
        "instrument.dependency_share",
    ),
    ("nan", ("value = 0.92, source", "value = nan, source"), "instrument.dependency_share"),
    ("infinity", ("value = 48, source", "value = inf, source"), "instrument.months_to_substitute"),
    (
        "wrong-type",
        ("value = 0.92, source", 'value = "high", source'),
        "instrument.dependency_share",
    ),
    (
        "unknown-key",
        ("[instrument]\n", "[instrument]\nstockpyle_months = 3\n"),
        "instrument.stockpyle_months",
    ),
    ("missing-key", ("year = 2010\n", ""), "year"),
    (
        "missing-source",
        (', source = "RN-1", note = "29,275', ', note = "29,275'),
        "instrument.dependency_share",
    ),
    (
        "bad-level",
        ('level = "low", note = "releasing', 'level = "tiny", note = "releasing'),
        "stakes.target_issue",
    ),
    (
        "wrong-kind-field",
        ("[instrument]\n", '[instrument]\ntariff_rate = { value = 0.2, source = "RN-1" }\n'),
        "instrument.tariff_rate",
    ),
]


@pytest.mark.parametrize(("name", "edit", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_case_files_name_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: tuple[str, str], field: str
) -> None:
    old, new = edit
    assert old in TEMPLATE
    path = _write(tmp_path, TEMPLATE.replace(old, new, 1))
    with pytest.raises(CaseFileError) as info:
        load(path)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value) and field in str(info.value)
    code = main(["analyze", str(path)])
    out, err = capsys.readouterr()
    assert code != 0 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and str(path) in err and field in err


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("broken-toml", 'id = "x"\n[instrument\n', "not valid TOML"),
        ("empty", "", "empty"),
        ("binary", b"\x00\x01\x02\xff", "binary"),
        ("not-utf8", b'id = "\xff\xfe"\n', "UTF-8"),
    ],
)
def test_unreadable_case_files(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes,
    fragment: str,
) -> None:
    path = _write(tmp_path, content)
    code = main(["analyze", str(path)])
    out, err = capsys.readouterr()
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1
    assert str(path) in err and fragment in err


def test_missing_case_path(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "/no/such/case.toml"])
    _, err = capsys.readouterr()
    assert code != 0 and "/no/such/case.toml" in err and "no such file" in err
    code = main(["analyze", "no-such-case"])
    _, err = capsys.readouterr()
    assert code != 0 and "no-such-case" in err and len(err.strip().splitlines()) == 1


def test_set_values_are_parsed_as_toml_not_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["analyze", "japan-china-2010", "--set", "instrument.dependency_share=__import__('os')"]
    )
    _, err = capsys.readouterr()
    assert code == 2 and "TOML" in err
    code = main(["analyze", "japan-china-2010", "--set", "instrument.nope=1"])
    _, err = capsys.readouterr()
    assert code == 2 and "instrument.nope" in err


# ---------------------------------------------------------------- thresholds are exact
def _nudge(v: float, low: float = 0.0) -> tuple[float, float]:
    """Just below and just above *v*; not below the parameter's lower bound *low*."""
    step = max(abs(v) * 1e-9, 1e-12)
    return max(v - step, low), v + step


@pytest.mark.parametrize("case_id", sorted(c.id for c in index()))
def test_every_threshold_flips_exactly(case_id: str) -> None:
    from coercion.analysis.thresholds import search_range

    case = load(case_id)
    for t in thresholds(case):
        low, _ = search_range(case, t.parameter, t.current)
        below, above = _nudge(t.value, low)
        for value, expected in ((below, t.below), (above, t.above)):
            got = analyze(case, {t.parameter: value}, with_thresholds=False).outcome
            assert got == expected, (t, value)


@pytest.mark.parametrize("case_id", ["japan-china-2010", "us-china-2025"])
def test_thresholds_flip_exactly_via_set(case_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", case_id, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["thresholds"]
    for t in data["thresholds"][:4]:
        below, above = _nudge(t["value"])
        for value, expected in ((below, t["below"]), (above, t["above"])):
            code = main(["analyze", case_id, "--json", "--set", f"{t['parameter']}={value!r}"])
            got = json.loads(capsys.readouterr().out)["outcome"]
            assert code == 0 and got == expected, (t, value)


def test_symbolic_thresholds_agree_with_bisection() -> None:
    case = load("japan-china-2010")
    numeric = thresholds(case)
    exact = thresholds(case, symbolic=True)
    assert [(t.parameter, t.below, t.above) for t in numeric] == [
        (t.parameter, t.below, t.above) for t in exact
    ]
    solved = [t for t in exact if t.method == "symbolic"]
    assert len(solved) >= len(exact) // 2, "few flips were solved symbolically"
    for n, e in zip(numeric, exact, strict=True):
        assert e.value == n.value
        if e.exact_value is not None:
            assert e.exact_value == pytest.approx(n.value, rel=1e-7)


def test_analyze_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "japan-china-2010", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("case", "outcome", "observed", "path", "payoffs", "parameters", "thresholds"):
        assert key in data
    assert data["outcome"] == "concession" and data["path"] == ["threaten", "concede"]
    provenance = {p["provenance"] for p in data["parameters"].values()}
    assert provenance <= {"sourced", "default", "judgement"} and "judgement" in provenance
    assert data["parameters"]["instrument.dependency_share"]["provenance"] == "sourced"


def test_readable_analysis_states_flips_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "japan-china-2010"]) == 0
    out = capsys.readouterr().out
    assert "predicted: concession" in out and "once" in out


def test_cases_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cases", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"id", "title", "year", "observed", "path"} <= set(data[0])
    assert all(Path(d["path"]).exists() for d in data)


def test_export_efg_carries_outcome_labels(tmp_path: Path) -> None:
    from coercion.io import read_efg
    from coercion.solvers import backward_induction

    out = tmp_path / "jc.efg"
    assert main(["export", "japan-china-2010", "--format", "efg", "--out", str(out)]) == 0
    tree = read_efg(out)
    assert set(tree.outcome_labels) <= set(OUTCOMES)
    assert "concession" in tree.outcome_labels
    # solving the exported file gives the same play as the model
    res = backward_induction(tree.subtree(tree.children[0][0]))
    assert res.payoffs[0] == pytest.approx(
        tuple(analyze("japan-china-2010", with_thresholds=False).payoffs.values())
    )


def test_export_nfg(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "us-mexico-2025", "--format", "nfg"]) == 0
    assert capsys.readouterr().out.startswith("NFG 1")


def test_validate_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--model", "complete", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == len([c for c in index() if c.observed])
    assert 0 <= data["loo_accuracy"] <= 1


def test_validate_scores_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The probabilistic scores over the bundled cases plus a user's folder."""
    (tmp_path / "mine-2010.toml").write_text(
        TEMPLATE.replace(
            'id = "japan-china-2010"', 'id = "mine-2010"'), encoding="utf-8")
    bundled = len([c for c in index() if c.observed])
    assert main(["validate", "--draws", "16", "--no-loo", "--no-fragility", "--cases",
                 str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n"] == bundled + 1
    assert any(r["id"] == "mine-2010" for r in data["cases"])
    assert main(["validate", "--only"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_evaluate_broadcasts_over_grids() -> None:
    case = load("japan-china-2010")
    grid = np.linspace(0, 1, 11)
    batch = evaluate(case, {"instrument.dependency_share": grid})
    for k, d in enumerate(grid):
        single = analyze(case, {"instrument.dependency_share": float(d)}, with_thresholds=False)
        assert OUTCOMES[batch.outcome[k]] == single.outcome
