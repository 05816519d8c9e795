"""The research notes' comparative statics (§2.6) as checked claims.

M1-M8 (monotone claims) are encoded with the claims API (``coercion.analysis.claims``) on the
bundled cases where they apply, and checked: each holds (``proved`` where the API can prove
it), or, where it fails, the refutation is asserted and the documented mechanism cited.
N1-N10 (non-monotone flags) are each demonstrated by a concrete counterexample: on the
coercion model with the claims API, with the bargaining / attrition solvers, with the
population threat model (``coercion.model.audience``), or by a small explicit computation.
``docs/research-claims.md`` is the table of results.

Every counterexample ``check`` reports is re-solved here with
``analyze(case, {path: value}, with_thresholds=False)``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from coercion._backend import FLOAT, NUMPY, SYMPY
from coercion.analysis import analyze, check
from coercion.analysis.analyze import Analysis
from coercion.analysis.claims import ClaimResult, Monotone, parse_claim
from coercion.analysis.evaluate import evaluate
from coercion.cases.loader import load
from coercion.model.audience import (
    threat_equilibrium,
    threat_frequency,
    threat_probability_uniform,
)
from coercion.model.formulas import tariff_consumer_loss, tariff_revenue
from coercion.model.game import OUTCOMES
from coercion.solvers.attrition import war_of_attrition
from coercion.solvers.bargaining import fearon_demand, rubinstein
from tests.test_bayesian import N8_F, N8_G, brute_force_threat_frequency


# ------------------------------------------------------------------ helpers
def _reverify(case: str, result: ClaimResult) -> None:
    """Re-solve a monotone-claim counterexample with analyze and assert the wrong-way move."""
    claim = result.claim
    assert result.holds is False and result.proved is False
    assert result.counterexample is not None and len(result.counterexample) == 2
    p1, p2 = result.counterexample
    (path,) = p1
    assert list(p2) == [path] and p1[path] < p2[path]
    a1 = analyze(case, p1, with_thresholds=False)
    a2 = analyze(case, p2, with_thresholds=False)
    sign = 1 if claim.direction == "increasing" else -1
    if isinstance(claim, Monotone):
        i1, i2 = float(a1.outcome == claim.outcome), float(a2.outcome == claim.outcome)
        assert sign * (i2 - i1) < 0, (a1.outcome, a2.outcome)
    else:
        u1, u2 = a1.payoffs[claim.player], a2.payoffs[claim.player]
        assert sign * (u2 - u1) < 0, (u1, u2)


def _holds(text: str, case: str, *, proved: bool | None = None) -> ClaimResult:
    r = check(parse_claim(text), case)
    assert r.holds, (text, case, r.evidence)
    assert r.counterexample is None
    if proved is not None:
        assert r.proved is proved, r.evidence
    return r


# ------------------------------------------------------------------ M1-M8
def test_m1_essentiality_raises_concession() -> None:
    # M1: higher target loss (d x essentiality) never makes concession less likely.
    # essentiality scales the target's loss L_T = d P mu without touching the coercer's cost.
    for case in ("japan-china-2010", "oapec-japan-1973", "us-netherlands-asml-2023"):
        r = _holds("monotone instrument.essentiality concession increasing", case, proved=False)
        assert "unbounded" in r.evidence  # essentiality has no upper bound: not provable
    # M1 on the staying-power side: the target's payoff never rises with essentiality
    _holds("payoff instrument.essentiality target decreasing", "japan-china-2010")


def test_m1_on_dependency_share_itself_is_refuted_n5_mechanism() -> None:
    # M1 on d itself fails: d also raises the coercer's own forgone sales, c_C = k d flow
    # (docs/model.md, "Dependency also costs the coercer"; notes N5).
    case = "oapec-japan-1973"
    r = check("monotone instrument.dependency_share concession increasing", case)
    assert r.counterexample == [
        {"instrument.dependency_share": 0.117},
        {"instrument.dependency_share": 0.573},
    ]
    _reverify(case, r)
    lo = analyze(case, r.counterexample[0], with_thresholds=False)
    hi = analyze(case, r.counterexample[1], with_thresholds=False)
    assert (lo.outcome, hi.outcome) == ("concession", "coercer_backs_down")
    # the mechanism: the coercer's own cost rises with d and its staying power falls below T's
    assert hi.derived["c_C"] > lo.derived["c_C"]
    assert hi.derived["H_C_0"] < hi.derived["H_T_0"] < lo.derived["H_T_0"] < lo.derived["H_C_0"]
    # on cases where it holds, it is proved over [0, 1]
    _holds(
        "monotone instrument.dependency_share concession increasing", "russia-eu-2022", proved=True
    )


def test_m2_counter_leverage_lowers_concession() -> None:
    # M2: higher kappa (the coercer's dependency on the target's counter-instrument)
    # never makes concession more likely.
    _holds("monotone counter.dependency_share concession decreasing", "us-canada-2025", proved=True)
    _holds(
        "monotone counter.dependency_share concession decreasing",
        "russia-ukraine-2006",
        proved=True,
    )
    for case in ("us-china-2025", "russia-ukraine-2009"):
        _holds("monotone counter.essentiality concession decreasing", case, proved=False)


def test_m3_stockpile_lowers_concession() -> None:
    for case in ("japan-china-2010", "japan-korea-2019", "oapec-japan-1973"):
        _holds("monotone instrument.stockpile_months concession decreasing", case, proved=False)


def test_m4_months_to_substitute_raises_concession() -> None:
    for case in ("japan-china-2010", "us-mexico-2025", "japan-korea-2019"):
        _holds("monotone instrument.months_to_substitute concession increasing", case, proved=False)


def test_m5_replaceable_share_lowers_concession() -> None:
    # holds on the whole of [0, 1]; the flip at r0 = 0.706 has no closed form, so not proved
    r = _holds(
        "monotone instrument.replaceable_share concession decreasing",
        "japan-china-2010",
        proved=False,
    )
    assert "no closed form" in r.evidence
    # the complementary claim is proved (docs/claims.md)
    _holds(
        "monotone instrument.replaceable_share coercer_backs_down increasing",
        "japan-china-2010",
        proved=True,
    )
    _holds(
        "monotone instrument.replaceable_share concession decreasing", "us-china-2025", proved=True
    )


def test_m6_target_stakes_lower_concession() -> None:
    for case in ("japan-china-2010", "us-mexico-2025", "japan-korea-2019"):
        _holds("monotone stakes.target_issue concession decreasing", case, proved=False)
        _holds("monotone stakes.target_reputation concession decreasing", case, proved=False)


def test_m6_on_the_coercer_payoff_is_refuted() -> None:
    # M6 is about concession, not payoffs: a more resolute target can help the coercer
    # (documented in docs/claims.md / docs/model.md: punishment motive).
    case = "japan-korea-2019"
    r = check("payoff stakes.target_issue coercer decreasing", case)
    _reverify(case, r)


def test_m7_coercer_audience_and_punishment_raise_concession() -> None:
    for case in ("japan-china-2010", "us-mexico-2025", "us-china-2025"):
        _holds("monotone stakes.coercer_audience concession increasing", case, proved=False)
    for case in ("china-japan-2025", "japan-china-2010"):
        _holds("monotone stakes.coercer_punishment_gain concession increasing", case, proved=False)


def test_m8_institutional_cost_lowers_concession() -> None:
    for case in ("japan-china-2010", "us-mexico-2025", "china-japan-2025"):
        _holds("monotone stakes.institutional_cost concession decreasing", case, proved=False)


def test_m_claims_also_hold_with_random_points() -> None:
    # the same claims with the seeded random scan (method="hypothesis")
    for text, case in (
        ("monotone instrument.stockpile_months concession decreasing", "japan-china-2010"),
        ("monotone instrument.months_to_substitute concession increasing", "japan-china-2010"),
        ("monotone stakes.coercer_audience concession increasing", "us-china-2025"),
    ):
        r = check(text, case, method="hypothesis", rng=20250601)
        assert r.holds and not r.proved, r.evidence


# ------------------------------------------------------------------ N1-N10
def test_n1_fearon_failure_rises_with_expected_dependency() -> None:
    # Pr(failure) = (c_bar - c_A)/(2 c_bar) with c_low = 0: rises with c_bar (c_bar = c_high/2)
    p, c_A = 0.3, 0.1
    highs = [0.2, 0.4, 0.6, 0.8, 1.0]
    res = [fearon_demand(p, c_A, c_high=c) for c in highs]
    fail = [r.failure_probability for r in res]
    assert all(b > a for a, b in itertools.pairwise(fail))
    for c, f in zip(highs, fail, strict=True):
        assert math.isclose(f, (c - c_A) / (2 * c), rel_tol=1e-12)
    # ... while the demand (expected concession value) is monotone increasing
    demands = [r.demand for r in res]
    assert all(b > a for a, b in itertools.pairwise(demands))


def test_n2_attrition_target_quits_first_less_often_as_its_cost_rises() -> None:
    # player 2 = target; stationary mixed equilibrium, lambda_i = c_j / V_j
    costs = [0.5, 1.0, 2.0, 4.0]
    eqs = [war_of_attrition(V1=10.0, c1=1.0, V2=5.0, c2=c) for c in costs]
    pr_t = [eq.quit_first[1] for eq in eqs]
    assert all(b < a for a, b in itertools.pairwise(pr_t))
    assert all(eq.selection == "stationary_mixed" for eq in eqs)


def test_n3_tariff_own_cost_is_the_consumer_surplus_loss() -> None:
    # CS(theta) = integral of q0 P^(-eps) from 1 to 1 + theta (full pass-through), M = q0
    theta, eps, P, M = sp.symbols("theta epsilon P M", positive=True)
    integral = sp.integrate(M * P ** (-eps), (P, 1, 1 + theta), conds="none")
    formula = tariff_consumer_loss(SYMPY, M, theta, eps)
    assert formula.has(sp.Piecewise)  # eps is symbolic: the eps = 1 branch is kept
    for e in (sp.Rational(1, 2), 2, 3, sp.Rational(7, 3)):
        assert sp.simplify(integral.subs(eps, e) - formula.subs(eps, e)) == 0
    at_one = tariff_consumer_loss(SYMPY, M, theta, 1)
    assert sp.simplify(at_one - sp.integrate(M / P, (P, 1, 1 + theta))) == 0
    # continuous through eps = 1; float, numpy and sympy agree
    assert tariff_consumer_loss(FLOAT, 1.0, 0.7, 1.0 + 1e-7) == pytest.approx(math.log(1.7))
    thetas = np.array([0.0, 0.1, 0.25, 1.45, 10.0])
    for e in (0.5, 1.0, 2.0, 4.0):
        grid = tariff_consumer_loss(NUMPY, 3.0, thetas, e)
        for t, g in zip(thetas, grid, strict=True):
            assert g == pytest.approx(tariff_consumer_loss(FLOAT, 3.0, float(t), e))
            assert float(formula.subs({M: 3.0, theta: t, eps: e})) == pytest.approx(g)
        # the deadweight loss CS - revenue is positive and the loss rises with theta
        dwl = grid - tariff_revenue(NUMPY, 3.0, thetas, e)
        assert dwl[0] == 0 and np.all(dwl[1:] > 0) and np.all(np.diff(grid) > 0)
    # the bundled cases' former hand-coded own_cost_share values are this loss at eps = 2
    for rate, old in ((0.25, 0.2), (0.4, 0.3), (1.45, 0.6)):
        assert tariff_consumer_loss(FLOAT, 1.0, rate, 2.0) == pytest.approx(old, abs=0.015)


def test_n3_severity_hump_in_the_tariff_rate() -> None:
    # The coercer's own cost of a tariff is its buyers' consumer-surplus loss (full
    # pass-through, constant-elasticity import demand; formulas.tariff_consumer_loss):
    # c_C = d E [(1+theta)^(1-eps) - 1]/(1 - eps), while the target's loss is
    # L_T = d E [1 - (1+theta)^(-eps)] m.  Both rise with theta; L_T saturates faster.
    case = "us-india-2025"

    def at(theta: float) -> Analysis:
        return analyze(case, {"instrument.tariff_rate": theta}, with_thresholds=False)

    low, mid, high = at(0.05), at(0.25), at(5.0)
    # success at the case's 25 %, neither at 5 % nor at 500 %
    assert (low.outcome, mid.outcome, high.outcome) == (
        "coercer_backs_down",
        "concession",
        "coercer_backs_down",
    )
    assert high.payoffs["coercer"] == low.payoffs["coercer"] < 0 < mid.payoffs["coercer"]
    # the mechanism at the low end: India's worst-case cost K_T_max stays below what holding out
    # is worth to it (strategic autonomy, H_T infinite), so the US would quit first
    assert low.derived["K_T_max"] < low.derived["B_T"] < mid.derived["K_T_max"]
    assert math.isinf(low.derived["H_T_0"]) and math.isfinite(low.derived["H_C_0"])
    # ... at the high end: the US's own cost has outgrown India's loss, and its staying power
    # falls below India's although India's loss is larger than at 25 %
    assert high.derived["L_T"] > mid.derived["L_T"]
    assert high.derived["c_C"] / high.derived["L_T"] > mid.derived["c_C"] / mid.derived["L_T"]
    assert mid.derived["H_T_0"] < mid.derived["H_C_0"]
    assert high.derived["H_C_0"] < high.derived["H_T_0"]
    # c_C is the consumer loss itself (own_cost_share, the non-tariff part, is 0 here)
    flow = 0.131 * 36.5
    for theta, a in ((0.05, low), (0.25, mid), (5.0, high)):
        assert a.derived["c_C"] == pytest.approx(flow * theta / (1 + theta))  # eps = 2
    # concession is monotone in theta in neither direction (the claims API refutes both) ...
    up = check("monotone instrument.tariff_rate concession increasing", case)
    down = check("monotone instrument.tariff_rate concession decreasing", case)
    _reverify(case, up)
    _reverify(case, down)
    # ... and the exact region of full concession, from the analysis thresholds, is an interval
    flips = sorted(
        (t.value, t.below, t.above)
        for t in analyze(case).thresholds
        if t.parameter == "instrument.tariff_rate"
    )
    assert [(b, c) for _, b, c in flips] == [
        ("standoff", "partial_concession"),
        ("coercer_backs_down", "concession"),
        ("concession", "coercer_backs_down"),
    ]
    lo_flip, hi_flip = flips[1][0], flips[2][0]
    assert lo_flip == pytest.approx(0.0913, abs=1e-4)
    assert hi_flip == pytest.approx(4.069, abs=1e-3)
    assert at(lo_flip * 0.99).outcome == "coercer_backs_down"
    assert at(lo_flip * 1.01).outcome == at(hi_flip * 0.99).outcome == "concession"
    assert at(hi_flip * 1.01).outcome == "coercer_backs_down"
    # the other threat-stage tariff cases sit just below the top of their hump: the US backs
    # down a few points above the 25 % it threatened
    for other, top in (("us-canada-2025", 0.2862), ("us-mexico-2025", 0.3170)):
        flip = [
            t.value
            for t in analyze(other).thresholds
            if t.parameter == "instrument.tariff_rate" and t.below == "concession"
        ]
        assert flip == [pytest.approx(top, abs=1e-4)]
        assert analyze(other, with_thresholds=False).outcome == "concession"
        bigger = analyze(other, {"instrument.tariff_rate": top + 0.01}, with_thresholds=False)
        assert bigger.outcome == "coercer_backs_down"
    # us-china-2025: the mechanism is there (from 30 % to 145 % the US's own cost rises 2.6-fold
    # and its staying power falls from 2.6 to 1.0 months), but China's rare-earth counter-threat
    # decides at every rate between about 3 % and 964 %, so there is no hump in US success.
    cn30 = analyze("us-china-2025", {"instrument.tariff_rate": 0.30}, with_thresholds=False)
    cn145 = analyze("us-china-2025", with_thresholds=False)
    assert cn30.outcome == cn145.outcome == "counter_threat_success"
    assert cn145.derived["c_C"] / cn30.derived["c_C"] == pytest.approx(2.565, abs=1e-3)
    assert cn145.derived["H_C_0"] < cn30.derived["H_C_0"]
    assert check("monotone instrument.tariff_rate concession increasing", "us-china-2025").holds


def _pop_success(K: float, p: float = 0.6, hard: float = 20.0) -> tuple[float, float, float]:
    """Success rates in a synthetic population of targets (see test_n4)."""

    def G(x: float) -> float:  # bearable cost B_T: 1/2 U[0, 1] + 1/2 U[0, hard]
        return 0.5 * min(max(x, 0.0), 1.0) + 0.5 * min(max(x, 0.0), hard) / hard

    c1, c2 = p * K, K
    threat = G(c1)
    imposed = 1.0 - threat
    success_imposed = (G(c2) - G(c1)) / imposed
    return threat, success_imposed, G(c2)


def test_n4_selection_success_among_imposed_falls_with_d() -> None:
    # Threat-stage cut-offs of the notes §2.5 (Hovi, Huseby & Sprinz 2005): T concedes to the
    # threat iff B_T <= p K_T and, after imposition by a resolute coercer, iff B_T <= K_T.
    # K_T is the model's worst-case standoff cost for japan-china-2010, linear in d; the
    # target population (B_T a 50/50 mix of soft U[0, 1] and hard U[0, 20] types, scaled to
    # K_T at d = 0.5) is synthetic.
    base = analyze("japan-china-2010", with_thresholds=False)
    d0 = float(load("japan-china-2010").numeric_value("instrument.dependency_share"))
    per_d = base.derived["K_T_max"] / d0
    for d in (0.3, 0.5, 0.9):
        a = analyze("japan-china-2010", {"instrument.dependency_share": d}, with_thresholds=False)
        assert math.isclose(a.derived["K_T_max"], per_d * d, rel_tol=1e-9)
    scale = per_d * 0.5  # K_T(d = 0.5) = 1 in population units
    ds = np.linspace(0.2, 1.0, 81)
    rows = [_pop_success(per_d * d / scale) for d in ds]
    threat = np.array([r[0] for r in rows])
    among_imposed = np.array([r[1] for r in rows])
    overall = np.array([r[2] for r in rows])
    assert np.all(np.diff(threat) > 0)  # more targets concede at the threat stage
    assert np.all(np.diff(overall) >= 0)  # total success (resolute coercer) never falls
    i_peak = int(np.argmax(among_imposed))
    assert 0 < i_peak < len(ds) - 1
    # counterexample: success among imposed cases falls between d = 0.5 and d = 1.0
    s05, s10 = _pop_success(per_d * 0.5 / scale)[1], _pop_success(per_d * 1.0 / scale)[1]
    assert s05 == pytest.approx(0.21 / 0.685)
    assert s10 == pytest.approx(0.02 / 0.47)
    assert s10 < s05


def test_n5_asymmetry_is_not_influence() -> None:
    # d raises the target's loss and the coercer's own cost together (c_C proportional to d):
    # more asymmetric dependence can end in the coercer backing down.
    case = "us-canada-2025"
    r = check("monotone instrument.dependency_share concession increasing", case)
    assert r.counterexample == [
        {"instrument.dependency_share": 0.467},
        {"instrument.dependency_share": 0.921},
    ]
    _reverify(case, r)
    hi = analyze(case, r.counterexample[1], with_thresholds=False)
    assert hi.outcome == "coercer_backs_down"
    lo = analyze(case, r.counterexample[0], with_thresholds=False)
    assert hi.derived["c_C"] / lo.derived["c_C"] == pytest.approx(0.921 / 0.467)
    assert hi.derived["L_T"] / lo.derived["L_T"] == pytest.approx(0.921 / 0.467)


def test_n6_outside_options_kink() -> None:
    # Rubinstein with an outside option for the responder (Shaked & Sutton): no effect up to
    # delta/(1 + delta), then one-for-one.
    delta = 0.9
    kink = delta / (1 + delta)
    ws = [0.0, 0.2, 0.4, kink - 1e-6, kink + 0.01, 0.6, 0.7]
    s2 = [rubinstein(delta, delta, outside_options=(0.0, w)).shares[1] for w in ws]
    for w, s in zip(ws, s2, strict=True):
        if w <= kink:
            assert s == pytest.approx(kink)
        else:
            assert s == pytest.approx(w)
    # on the coercion model: the replaceable share (third-party supply) leaves both payoffs
    # unchanged up to a threshold, then the outcome jumps (japan-china-2010)
    pay = {
        r0: analyze(
            "japan-china-2010", {"instrument.replaceable_share": r0}, with_thresholds=False
        ).payoffs["target"]
        for r0 in (0.0, 0.3, 0.6, 0.7, 0.72, 0.9)
    }
    assert pay[0.0] == pay[0.3] == pay[0.6] == pay[0.7] < 0
    assert pay[0.72] == pay[0.9] == 0.0


def test_n7_coercer_stake_sign_is_model_dependent() -> None:
    # coercion model (bargaining / SPE): a higher V_C never lowers concession ...
    for case in ("japan-china-2010", "us-china-2025", "us-mexico-2025"):
        _holds("monotone stakes.coercer_issue concession increasing", case)
    # ... and can raise it (refutes "decreasing")
    case = "us-china-2025"
    r = check("monotone stakes.coercer_issue concession decreasing", case)
    _reverify(case, r)
    assert analyze(case, r.counterexample[1], with_thresholds=False).outcome == "concession"
    # war of attrition (coercer = player 1): a higher V_C lowers the target's hazard
    # lambda_T = c_C / V_C, so the target quits first LESS often: the opposite sign
    pr_t = [war_of_attrition(V1=v, c1=1.0, V2=5.0, c2=2.0).quit_first[1] for v in (5, 10, 20)]
    assert pr_t[0] > pr_t[1] > pr_t[2]

    # Drezner's deadlock: credibility c_s < (1 - B) c_t does not involve V_C at all
    def drezner_credible(c_s: float, c_t: float, B: float) -> bool:
        return c_s < (1 - B) * c_t

    assert drezner_credible(1.0, 3.0, 0.5)  # whatever V_C is


def test_n8_audience_costs_threat_frequency_is_u_shaped() -> None:
    # In the complete-information model the coercer's threat is a 0/1 decision.  On
    # us-china-2025 it is monotone in its audience cost away from the tie at A_C = 0 (where
    # threatening and backing down costs nothing): no threat on (0, ~33.5), threat above.
    case = load("us-china-2025")
    xs = np.array([1e-6, 1e-3, 1.0, 10.0, 30.0, 34.0, 50.0, 500.0])
    threat = np.asarray(evaluate(case, {"stakes.coercer_audience": xs}).ex_ante) != 0
    assert list(threat) == [False] * 5 + [True] * 3
    # The population version (coercion.model.audience; docs/bayesian.md): resolve is private,
    # the coercer's cost of imposing k ~ N(1, 0.5) (units of its stake V = 1), the target's cost
    # of conceding x ~ U[0, 0.8] (units of the sanctions' cost K = 1).  Pr(threat) is U-shaped in
    # the audience cost a: every type threatens while bluffing is cheap, only some bluffers do
    # at intermediate a, and every type again once a has tied enough hands.
    a = np.linspace(0.0, 3.0, 3001)
    pr = threat_frequency(a, coercer_cost=N8_F, target_stake=N8_G)
    i_min = int(np.argmin(pr))
    assert a[i_min] == pytest.approx(0.206, abs=2e-3)
    assert pr[i_min] == pytest.approx(0.4109, abs=1e-4)
    assert np.all(pr[a <= 0.03] == 1.0) and np.all(pr[a >= 0.83] == 1.0)
    assert np.all(np.diff(pr[: i_min + 1]) <= 1e-12)  # falls ...
    assert np.all(np.diff(pr[i_min:]) >= -1e-12)  # ... then rises: a U
    eqs = {x: threat_equilibrium(x, coercer_cost=N8_F, target_stake=N8_G) for x in (0.02, 0.25, 2)}
    assert [e.regime for e in eqs.values()] == ["pooling", "semi-separating", "pooling"]
    # the two arms differ: cheap threats are mostly called (3 % concede) and bluffers back
    # down; costly threats tie hands, the target is sure enough to concede to every threat
    assert eqs[0.02].concession < 0.04
    assert eqs[0.02].outcome_probabilities["coercer_backs_down"] > 0.9
    assert eqs[2].concession == 1.0 and eqs[2].resolute_share > 0.97
    # independent check: brute-force best responses of 20,001 coercer types to every target
    # concession probability on a grid, and the target's reply (tests/test_bayesian.py)
    for x in (0.02, 0.25, 2):
        brute, n_eq = brute_force_threat_frequency(x, N8_F, N8_G)
        assert n_eq == 1
        assert brute == pytest.approx(eqs[x].pr_threat, abs=2e-3)
    assert threat_probability_uniform(
        FLOAT, 0.25, float(N8_F.cdf(0.25)), 1.0, 1.0, 0.8
    ) == pytest.approx(eqs[0.25].pr_threat)
    # The U is not generic.  Too many committed coercers (k ~ N(0.5, 0.5)): pooling at every a.
    flat = threat_frequency(a[::50], coercer_cost=stats.norm(0.5, 0.5), target_stake=N8_G)
    assert np.all(flat == 1.0)
    # No coercer with a low cost of imposing (k ~ U[0.5, 1.5]): no threat at all for
    # 0 < a < 0.5 (every bluff would be called), then rising: monotone away from a = 0.
    none_low = threat_frequency(a[1::10], coercer_cost=stats.uniform(0.5, 1.0), target_stake=N8_G)
    assert np.all(none_low[a[1::10] < 0.5] == 0.0)
    assert np.all(np.diff(none_low) >= -1e-12)


def test_n9_dynamic_erosion_makes_repeated_use_non_monotone() -> None:
    # Explicit computation: each use of the instrument lowers the target's future dependency
    # by the ratio observed for Japan's rare earths (0.92 -> 0.60, notes N9); the per-period
    # payoff is the model's (us-india-2025, threat made), 0 when the coercer abstains.
    erosion = 0.60 / 0.92
    d = 0.131
    per_use, outcomes = [], []
    for _ in range(4):
        a = analyze("us-india-2025", {"instrument.dependency_share": d}, with_thresholds=False)
        per_use.append(a.payoffs["coercer"])
        outcomes.append(a.outcome)
        d *= erosion
    assert outcomes[:2] == ["concession"] * 2
    assert outcomes[2:] == ["coercer_backs_down"] * 2
    total = np.concatenate([[0.0], np.cumsum(per_use)])  # payoff of using it k = 0..4 times
    assert total[1] > total[0] and total[2] > total[1]
    assert total[3] < total[2] and total[4] < total[3]  # hump: intensive use backfires


def test_n10_conflict_expectations_success_is_hump_shaped_in_b() -> None:
    # Drezner (1998), closed forms of the notes §1.5: credible iff c_s < (1 - B) c_t;
    # T concedes iff D <= D* = [c_t - (1 - B) c_s]/(2 - B).  Not part of the library's
    # coercion model; computed directly.
    c_s, c_t, D = 1.0, 3.0, 1.2

    def success(B: float) -> bool:
        credible = c_s < (1 - B) * c_t
        d_star = (c_t - (1 - B) * c_s) / (2 - B)
        return credible and d_star >= D

    assert [success(B) for B in (0.0, 0.5, 0.9)] == [False, True, False]
    # low B (adversaries): credible but D* = (c_t - c_s)/2 = 1 < D;  high B: not credible
    assert (c_t - c_s) / 2 < D
    assert not c_s < (1 - 0.9) * c_t


def test_outcome_labels_used_here_exist() -> None:
    for o in ("concession", "coercer_backs_down", "partial_concession", "status_quo"):
        assert o in OUTCOMES
