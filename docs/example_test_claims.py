"""Example property tests of equilibrium claims: copy this file into your own test suite.

Run with ``pytest example_test_claims.py``.  Uses :mod:`coercion.strategies`
(needs hypothesis) and :func:`coercion.analysis.check`.
"""

from __future__ import annotations

from hypothesis import given, settings

from coercion.analysis import Monotone, analyze, check
from coercion.cases import load
from coercion.strategies import case_parameters, dependency_portfolios

CASE = load("japan-china-2010")


def test_stockpiles_never_make_concession_more_likely() -> None:
    """M3 on a bundled case: holds (checked, not proved: the range is unbounded)."""
    result = check(Monotone("instrument.stockpile_months", "concession", "decreasing"), CASE)
    assert result.holds, result.evidence


def test_a_false_claim_comes_with_a_real_counterexample() -> None:
    result = check("monotone instrument.stockpile_months concession increasing", CASE)
    assert not result.holds
    low, high = result.counterexample or []
    assert analyze(CASE, low, with_thresholds=False).outcome == "concession"
    assert analyze(CASE, high, with_thresholds=False).outcome != "concession"


@settings(max_examples=10, deadline=None)
@given(case_parameters(CASE, ["instrument.stockpile_months", "instrument.dependency_share"]))
def test_large_stockpiles_protect_the_target(values: dict[str, float]) -> None:
    """Above 21 months of stockpile Japan never concedes in full (dependency any share)."""
    outcome = analyze(CASE, values, with_thresholds=False).outcome
    if values["instrument.stockpile_months"] > 21:
        assert outcome != "concession"


@settings(max_examples=20)
@given(dependency_portfolios())
def test_portfolio_shares_are_shares(rows: list[tuple[str, str, float]]) -> None:
    for good in {g for g, _, _ in rows}:
        assert sum(s for g, _, s in rows if g == good) <= 1 + 1e-12
