"""Policy design (issue 7): autonomy, indispensability, small yard–high fence."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.analysis.policy import (
    SECURITY,
    Good,
    PolicyError,
    Portfolio,
    _fence_tables,
    autonomy,
    indispensability,
    small_yard,
)
from coercion.cli import main


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in argv else out), err


def _analyze_outcome(
    capsys: pytest.CaptureFixture[str], case: str, changes: dict[str, float]
) -> str:
    sets = [a for k, v in changes.items() for a in ("--set", f"{k}={v!r}")]
    code, out, _ = _cli(capsys, "analyze", case, *sets, "--json")
    assert code == 0
    return str(out["outcome"])


@pytest.mark.parametrize(
    ("question", "case"),
    [
        ("autonomy", "japan-china-2010"),
        ("autonomy", "china-japan-2025"),
        ("indispensability", "japan-korea-2019"),
    ],
)
def test_recommendation_flips_and_just_short_does_not(
    capsys: pytest.CaptureFixture[str], question: str, case: str
) -> None:
    code, res, _ = _cli(capsys, "policy", question, case, "--json")
    assert code == 0
    assert res["verified"] is True
    assert res["outcome_before"] == "concession" != res["outcome_after"]
    assert res["changes"] and res["cost"] > 0
    assert _analyze_outcome(capsys, case, res["changes"]) == res["outcome_after"]
    assert _analyze_outcome(capsys, case, res["short_of"]) == "concession"


def test_single_lever_is_the_threshold() -> None:
    r = autonomy("japan-china-2010", ["instrument.stockpile_months"], pairs=False)
    assert r.verified and r.outcome_after == "partial_concession"
    assert r.changes["instrument.stockpile_months"] == pytest.approx(20.627, abs=1e-3)


def test_avoid_partial_and_user_costs() -> None:
    r = autonomy(
        "japan-china-2010",
        ["instrument.stockpile_months"],
        avoid=("concession", "partial_concession"),
        costs={"instrument.stockpile_months": lambda v, case: 2.0 * v},
        pairs=False,
    )
    assert r.verified and r.outcome_after == "coercer_backs_down"
    assert r.cost == pytest.approx(2.0 * r.changes["instrument.stockpile_months"])


@pytest.mark.parametrize("case", ["japan-china-2010", "china-japan-2025"])
def test_frontier_is_pareto_ordered(case: str) -> None:
    r = autonomy(case)
    pts = r.frontier
    assert pts[0].cost == 0 and pts[0].outcome == r.outcome_before
    assert len(pts) >= 2
    for a, b in itertools.pairwise(pts):
        assert a.cost < b.cost and a.security < b.security
    # no option is cheaper at a higher-or-equal security than a frontier point
    for p in pts[1:]:
        for o in r.options:
            if o.verified and SECURITY[o.outcome_after] >= p.security:
                assert o.cost >= p.cost - 1e-12
    # the best option is the cheapest verified one
    assert r.best is not None
    assert r.best.cost == min(o.cost for o in r.options if o.verified)


def test_pairs_never_cost_more_than_singles() -> None:
    both = autonomy("japan-china-2010")
    single = autonomy("japan-china-2010", pairs=False)
    assert both.cost is not None and single.cost is not None
    assert both.cost <= single.cost + 1e-12


def test_indispensability_comparison() -> None:
    r = indispensability("japan-korea-2019", pairs=False)
    assert r.comparison is not None
    assert r.comparison["cheaper"] in ("autonomy", "indispensability")
    assert r.comparison["autonomy_cost"] > 0


def test_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PolicyError):
        autonomy("japan-china-2010", ["stakes.target_issue"])
    with pytest.raises(PolicyError):
        autonomy("japan-china-2010", avoid=("nonsense",))
    for argv in (
        ["policy", "indispensability", "japan-china-2010"],  # no counter-instrument
        ["policy", "autonomy", "no-such-case"],
        ["policy", "autonomy"],
        ["policy", "small-yard", "--portfolio", "/nonexistent/p.toml"],
        ["policy", "small-yard", "--budget", "-1"],
        ["policy", "small-yard", "japan-china-2010"],
    ):
        code, _, err = _cli(capsys, *argv)
        assert code == 2, argv
        assert err.count("\n") == 1 and err.startswith("coercion: error:"), err


def test_bad_portfolio_file(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "p.toml"
    f.write_text('target = "X"\n[sources]\nA = "a"\n[[goods]]\nname = "g"\n')
    code, _, err = _cli(capsys, "policy", "small-yard", "--portfolio", str(f))
    assert code == 2 and "missing key" in err


def test_small_yard_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code, res, _ = _cli(capsys, "policy", "small-yard", "--json")
    assert code == 0 and res["verified"] and res["worst_exposure"] == 0.0
    assert "rare earths" in res["yard"]
    code, res, _ = _cli(capsys, "policy", "small-yard", "--budget", "0.1", "--json")
    assert code == 0 and res["cost"] <= 0.1 + 1e-9 and res["worst_exposure"] > 0


# ---- small yard: MILP = brute force


def _portfolio(rows: list[tuple[float, ...]], bearable: float) -> Portfolio:
    goods = tuple(
        Good(
            name=f"g{i}",
            supplier="C",
            dependency_share=d,
            monthly_flow_usd_bn=flow,
            essentiality=mu,
            replaceable_share=r0,
            months_to_substitute=tau,
            stockpile_months=s,
            own_cost_share=0.5,
        )
        for i, (d, flow, mu, r0, tau, s) in enumerate(rows)
    )
    return Portfolio("T", goods, bearable_usd_bn=bearable, coercer_bearable_usd_bn=20.0)


GOOD = st.tuples(
    st.floats(0.1, 1.0),
    st.floats(0.001, 0.2),
    st.floats(1.0, 100.0),
    st.floats(0.0, 0.5),
    st.floats(3.0, 60.0),
    st.floats(0.0, 4.0),
)
FENCES = [(0.0, 0.0), (3.0, 0.0), (6.0, 0.2)]


@settings(max_examples=15, deadline=None)
@given(
    rows=st.lists(GOOD, min_size=1, max_size=10),
    bearable=st.floats(0.5, 5.0),
    budget=st.none() | st.floats(0.0, 2.0),
)
def test_small_yard_matches_brute_force(
    rows: list[tuple[float, ...]], bearable: float, budget: float | None
) -> None:
    p = _portfolio(rows, bearable)
    res = small_yard(p, budget, fences=FENCES)
    cost, exp = _fence_tables(p, FENCES)
    n, k = cost.shape
    combos = np.array(list(itertools.product(range(k), repeat=n)))
    rows_idx = np.arange(n)
    total = cost[rows_idx, combos].sum(axis=1)
    expo = exp[rows_idx, combos]
    if budget is None:
        ok = np.all(expo <= exp.min(axis=1) + 1e-12, axis=1)
        best = total[ok].min()
        assert res.cost == pytest.approx(best, rel=1e-7, abs=1e-9)
    else:
        ok = total <= budget + 1e-9
        worst = expo.max(axis=1)
        w_best = worst[ok].min()
        assert res.worst_exposure == pytest.approx(w_best, abs=1e-7)
        at_best = ok & (worst <= w_best + 1e-7)
        assert res.cost <= total[at_best].min() + 1e-6
        assert res.cost <= budget + 1e-9
    assert res.verified


def test_small_yard_200_goods_solves_in_seconds() -> None:
    rng = np.random.default_rng(7)
    rows = [
        (
            rng.uniform(0.1, 1),
            rng.uniform(0.001, 0.2),
            rng.uniform(1, 100),
            rng.uniform(0, 0.5),
            rng.uniform(3, 60),
            rng.uniform(0, 4),
        )
        for _ in range(200)
    ]
    p = _portfolio(rows, 2.0)
    for budget in (None, 1.0):
        t = time.perf_counter()
        res = small_yard(p, budget)
        print(
            f"\nsmall_yard 200 goods x {len(res.fences)} fences, budget={budget}: "
            f"{time.perf_counter() - t:.2f} s, status {res.status}, cost {res.cost:.4g}, "
            f"worst exposure {res.worst_exposure:.4g}"
        )
        assert res.verified


def test_autonomy_under_uncertainty_is_verified_through_the_cli(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json as _json

    from coercion.analysis.policy import risk_autonomy
    from coercion.cli import main as _main

    r = risk_autonomy("china-japan-2025", 0.5)
    assert r.verified and r.best is not None

    def pr_concession(changes: dict[str, float]) -> float:
        sets = [a for k, v in changes.items() for a in ("--set", f"{k}={v!r}")]
        assert _main(["analyze", "china-japan-2025", "--model", "bayesian", "--json", *sets]) == 0
        probs = _json.loads(capsys.readouterr().out)["outcome_probabilities"]
        return float(probs["concession"]) / (1.0 - float(probs["status_quo"]))

    assert pr_concession(r.changes) <= 0.5 < pr_concession(r.best.short_of)
    # the command line gives the same answer
    assert (
        _main(["policy", "autonomy", "china-japan-2025", "--max-probability", "0.5", "--json"]) == 0
    )
    data = _json.loads(capsys.readouterr().out)
    assert data["verified"] is True and data["changes"] == r.changes
