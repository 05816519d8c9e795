"""Claims: checked, refuted with counterexamples that `coercion analyze --set` reproduces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from coercion.analysis import InRegion, Monotone, ThresholdAt, analyze, check, parse_claim
from coercion.analysis.claims import ClaimSyntaxError
from coercion.cases import load
from coercion.cli import main
from coercion.games import GameTree
from coercion.model import Scenario
from coercion.strategies import (
    bimatrix_games,
    case_parameters,
    dependency_portfolios,
    scenarios,
    trees_with_information_sets,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _outcome_via_cli(capsys: pytest.CaptureFixture[str], case: str, point: dict[str, Any]) -> str:
    sets = [a for k, v in point.items() for a in ("--set", f"{k}={v!r}")]
    code, out, _ = _cli(capsys, "analyze", case, *sets, "--json")
    assert code == 0
    return str(json.loads(out)["outcome"])


def test_m3_holds_on_japan_china() -> None:
    r = check(
        Monotone("instrument.stockpile_months", "concession", "decreasing"), "japan-china-2010"
    )
    assert r.holds and r.counterexample is None
    assert not r.proved  # unbounded range
    assert "2,000-point grid" in r.evidence


def test_proved_on_a_bounded_parameter() -> None:
    r = check(
        "monotone instrument.replaceable_share coercer_backs_down increasing", "japan-china-2010"
    )
    assert r.holds and r.proved


def test_false_claim_refuted_and_reproduced_by_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(
        capsys,
        "check",
        "japan-china-2010",
        "--monotone",
        "instrument.stockpile_months:concession:increasing",
        "--json",
    )
    assert code == 0
    res = json.loads(out)
    assert set(res) == {"holds", "proved", "counterexample", "evidence"}
    assert res["holds"] is False and res["proved"] is False
    p1, p2 = res["counterexample"]
    path = "instrument.stockpile_months"
    assert p1[path] < p2[path]
    assert _outcome_via_cli(capsys, "japan-china-2010", p1) == "concession"
    assert _outcome_via_cli(capsys, "japan-china-2010", p2) != "concession"


@pytest.mark.parametrize(
    ("case", "text"),
    [
        # dependency also costs the coercer (not M1 on d itself)
        ("oapec-japan-1973", "monotone instrument.dependency_share concession increasing"),
        ("us-canada-2025", "monotone instrument.dependency_share concession increasing"),
        # credibility through vulnerability: the counter-threat route comes and goes
        ("us-china-2025", "monotone instrument.dependency_share coercer_backs_down decreasing"),
        ("us-china-2025", "monotone instrument.dependency_share counter_threat_success increasing"),
        ("us-china-2025", "monotone instrument.own_cost_share counter_threat_success increasing"),
    ],
)
def test_non_monotone_mechanisms_refuted(
    capsys: pytest.CaptureFixture[str], case: str, text: str
) -> None:
    claim = parse_claim(text)
    assert isinstance(claim, Monotone)
    r = check(claim, case)
    assert not r.holds and r.counterexample is not None
    p1, p2 = r.counterexample
    first = _outcome_via_cli(capsys, case, p1) == claim.outcome
    second = _outcome_via_cli(capsys, case, p2) == claim.outcome
    if claim.direction == "increasing":
        assert first and not second
    else:
        assert not first and second


def test_payoff_claim_refuted() -> None:
    r = check("payoff stakes.target_issue coercer decreasing", "japan-korea-2019")
    assert not r.holds and r.counterexample is not None
    (p1, p2) = r.counterexample
    u1 = analyze("japan-korea-2019", p1, with_thresholds=False).payoffs["coercer"]
    u2 = analyze("japan-korea-2019", p2, with_thresholds=False).payoffs["coercer"]
    assert u2 > u1


def test_hypothesis_method_is_seeded() -> None:
    text = "monotone instrument.stockpile_months concession increasing"
    a = check(text, "japan-china-2010", method="hypothesis", rng=7)
    b = check(text, "japan-china-2010", method="hypothesis", rng=7)
    assert not a.holds and a.counterexample == b.counterexample


def test_region_and_threshold_claims(capsys: pytest.CaptureFixture[str]) -> None:
    region = {"instrument.dependency_share": (0.6, 1.0), "instrument.stockpile_months": (0.0, 3.0)}
    assert check(InRegion("concession", region), "japan-china-2010").holds
    r = check("region concession instrument.stockpile_months=0:30", "japan-china-2010")
    assert not r.holds and r.counterexample is not None
    assert _outcome_via_cli(capsys, "japan-china-2010", r.counterexample[0]) != "concession"
    t = ThresholdAt("instrument.stockpile_months", 20.63, "concession", "partial_concession")
    assert check(t, "japan-china-2010").holds
    assert not check(
        "threshold instrument.stockpile_months 25 concession partial_concession", "japan-china-2010"
    ).holds
    code, out, _ = _cli(
        capsys,
        "check",
        "japan-china-2010",
        "--region",
        "concession:instrument.dependency_share=0.6:1,instrument.stockpile_months=0:3",
        "--json",
    )
    assert code == 0 and json.loads(out)["holds"] is True


def test_same_outcome() -> None:
    assert check("same japan-china-2010 us-mexico-2025").holds
    assert not check("same japan-china-2010 us-china-2025").holds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("monotonic a.b concession increasing", "unknown kind"),
        ("monotone instrument.stockpile_months concession", "expected 'monotone PATH"),
        ("monotone stockpile concession increasing", "section.name"),
        ("monotone instrument.stockpile_months victory increasing", "outcome must be one of"),
        ("monotone instrument.stockpile_months concession up", "direction must be"),
        ("region concession instrument.stockpile_months=3", "PATH=LO:HI"),
        ("region concession instrument.stockpile_months=3:x", "must be a number"),
        ("region concession instrument.stockpile_months=3:1", "lo must not exceed hi"),
        ("threshold instrument.stockpile_months nan concession standoff", "finite"),
        ("threshold instrument.stockpile_months 1 concession concession", "must differ"),
        ("payoff instrument.stockpile_months nobody increasing", "player must be"),
    ],
)
def test_grammar_errors(text: str, message: str) -> None:
    with pytest.raises(ClaimSyntaxError, match=message):
        parse_claim(text)


def test_cli_input_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["check", "japan-china-2010", "--monotone", "instrument.stockpile_months:concession"],
        ["check", "japan-china-2010", "--claim", "monotone instrument.nope concession increasing"],
        ["check", "no-such-case", "--claim", "same a b"],
        ["check", "japan-china-2010"],
    ):
        code, out, err = _cli(capsys, *argv)
        assert code == 2 and out == ""
        assert err.startswith("coercion: error:") and err.count("\n") == 1


@settings(max_examples=10, deadline=None)
@given(bimatrix_games(max_actions=3), trees_with_information_sets(), dependency_portfolios())
def test_strategies_generate_valid_objects(
    game: Any, tree: GameTree, rows: list[tuple[str, str, float]]
) -> None:
    assert 1 <= game.shape[0] <= 3
    assert tree.infosets
    for good in {g for g, _, _ in rows}:
        assert 0 <= sum(s for g, _, s in rows if g == good) <= 1 + 1e-12


@settings(max_examples=10, deadline=None)
@given(scenarios(), case_parameters(load("us-china-2025")))
def test_scenarios_and_case_parameters(scenario: Scenario, values: dict[str, float]) -> None:
    assert 0.05 <= scenario.instrument.dependency_share <= 1
    assert analyze("us-china-2025", values, with_thresholds=False).outcome


def test_example_test_file_runs() -> None:
    assert pytest.main(["-q", "-p", "no:cacheprovider", str(DOCS / "example_test_claims.py")]) == 0
