"""The Bayesian coercion game (research notes §2.5; Hovi, Huseby & Sprinz 2005; Drezner 2003)."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import numpy as np
import pytest
import sympy as sp
from scipy import stats

from coercion._backend import FLOAT, NUMPY, SYMPY, LocalSympyOps
from coercion.cases import index, load
from coercion.model import OUTCOMES, Actor, Instrument, Scenario, Stakes
from coercion.model.audience import (
    separating_audience_cost,
    threat_equilibrium,
    threat_frequency,
    threat_probability_uniform,
)
from coercion.model.bayesian import (
    DREZNER_IMPOSED,
    DREZNER_THREAT_ONLY,
    BayesianResult,
    bayesian_outcomes,
    imposed_cutoff,
    imposed_success,
    imposed_success_uniform,
    resolute_standoff_cost,
    threat_cutoff,
    threat_only_success,
    threat_only_success_uniform,
    uniform_cdf,
)

#: exact solution of the §2.5 closed forms = Drezner's 40/71 and 5/15 (see test below)
PI_STAR = (271 - math.sqrt(15841)) / 240
K_STAR = (math.sqrt(15841) - 89) / 66


def scenario(
    d: float = 0.5,
    s: float = 0.0,
    r0: float = 0.0,
    coercer_issue: float = 1.0,
    coercer_audience: float = 0.0,
) -> Scenario:
    return Scenario(
        coercer=Actor("C", 1000.0),
        target=Actor("T", 500.0),
        instrument=Instrument(
            "export_control",
            "widgets",
            dependency_share=d,
            monthly_flow_usd_bn=0.05,
            months_to_substitute=24.0,
            stockpile_months=s,
            replaceable_share=r0,
        ),
        stakes=Stakes(
            coercer_issue=coercer_issue, target_issue=1.0, coercer_audience=coercer_audience
        ),
    )


# --------------------------------------------------------------------------- symbolic checks


def test_closed_forms_rederived_with_sympy() -> None:
    pi, k, p, B, K, phi, V, A, P = sp.symbols("pi k p B K phi V A P", positive=True)
    # target (hhs): concede -B vs resist -p K (sanctions perceived to stay once imposed)
    assert sp.solve(sp.Eq(-B, -p * K), B) == [threat_cutoff(SYMPY, p, K)]
    # target (rational, conceding after imposition costs B + phi K): interior cut-off
    interior = sp.solve(sp.Eq(-B, -p * (B + phi * K)), B)[0]
    assert sp.simplify(interior - p * phi * K / (1 - p)) == 0
    # coercer's threat condition P V - (1 - P) A >= 0  <=>  P >= A / (V + A)
    assert sp.simplify(sp.solve(sp.Eq(P * V - (1 - P) * A, 0), P)[0] - A / (V + A)) == 0
    # §2.5 closed forms from the general success rates with uniform G: g1 = pi k, g2 = k
    g1, g2 = pi * k, k
    general_threat = g1 / (g1 + (1 - g1) * (1 - pi))
    assert sp.simplify(general_threat - threat_only_success_uniform(SYMPY, pi, k)) == 0
    assert sp.simplify((g2 - g1) / (1 - g1) - imposed_success_uniform(SYMPY, pi, k)) == 0
    # the formulas evaluate symbolically through the same code
    generic = _generic(imposed_success(SYMPY, g1, g2))
    assert sp.simplify(generic - k * (1 - pi) / (1 - pi * k)) == 0
    assert sp.simplify(_generic(threat_only_success(SYMPY, pi, g1)) - general_threat) == 0


def _generic(expr: Any) -> Any:
    """The generic branch of a ``safe_div`` Piecewise (denominator non-zero)."""
    return expr.args[0][0] if isinstance(expr, sp.Piecewise) else expr


def test_formulas_float_numpy_sympy_agree() -> None:
    pis = np.linspace(0.05, 0.95, 7)
    ks = np.linspace(0.1, 1.0, 7)
    pi_s, k_s = sp.symbols("pi k")
    for fn in (threat_only_success_uniform, imposed_success_uniform):
        grid = fn(NUMPY, pis, ks)
        expr = fn(SYMPY, pi_s, k_s)
        for i, (a, b) in enumerate(zip(pis, ks, strict=True)):
            assert grid[i] == pytest.approx(fn(FLOAT, float(a), float(b)))
            assert float(expr.subs({pi_s: a, k_s: b})) == pytest.approx(grid[i])
    for target in ("hhs", "rational"):
        c1 = threat_cutoff(NUMPY, pis, 10.0, target, 0.3)
        c2 = np.broadcast_to(imposed_cutoff(NUMPY, pis, 10.0, target, 0.3), pis.shape)
        for i, p in enumerate(pis):
            assert c1[i] == pytest.approx(threat_cutoff(FLOAT, float(p), 10.0, target, 0.3))
            assert c2[i] == pytest.approx(imposed_cutoff(FLOAT, float(p), 10.0, target, 0.3))
    assert np.allclose(uniform_cdf(NUMPY, np.array([-1.0, 1.0, 3.0]), 2.0), [0.0, 0.5, 1.0])


# --------------------------------------------------------------------------- Drezner


def test_drezner_calibration_solves_exactly() -> None:
    pi, k = sp.symbols("pi k", positive=True)
    sol = sp.nsolve(
        [
            threat_only_success_uniform(SYMPY, pi, k) - sp.Rational(40, 71),
            imposed_success_uniform(SYMPY, pi, k) - sp.Rational(1, 3),
        ],
        [pi, k],
        [0.6, 0.55],
    )
    assert float(sol[0]) == pytest.approx(PI_STAR)
    assert float(sol[1]) == pytest.approx(K_STAR)
    # the notes' rounded point (pi 0.60, k 0.55) gives 55.2% and 32.8%: close, not exact
    assert threat_only_success_uniform(FLOAT, 0.6, 0.55) == pytest.approx(0.5518, abs=1e-4)
    assert imposed_success_uniform(FLOAT, 0.6, 0.55) == pytest.approx(0.3284, abs=1e-4)


def _episode(pi: float, k: float, **kw: Any) -> BayesianResult:
    """A pooling episode (A_C = 0) with K_T = 1 and B_T ~ U[0, 1/k]."""
    return bayesian_outcomes(
        scenario(), prior_resolute=pi, dist=stats.uniform(0, 1 / k), standoff_cost=1.0, **kw
    )


def test_drezner_ordering_at_calibration_and_its_reversal() -> None:
    r = _episode(PI_STAR, K_STAR)
    assert r.threat_success_rate == pytest.approx(DREZNER_THREAT_ONLY)
    assert r.imposed_success_rate == pytest.approx(DREZNER_IMPOSED)
    assert r.threat_success_rate > r.imposed_success_rate
    notes = _episode(0.6, 0.55)
    assert notes.threat_success_rate > notes.imposed_success_rate
    low = _episode(0.3, 0.9)  # the reversal at low pi (notes §2.5, flag N4)
    assert low.threat_success_rate == pytest.approx(0.3457, abs=1e-4)
    assert low.imposed_success_rate == pytest.approx(0.8630, abs=1e-4)
    assert low.threat_success_rate < low.imposed_success_rate


# --------------------------------------------------------------------------- Monte Carlo


def simulate(
    r: BayesianResult,
    pi: float,
    K: float,
    draw_stake: Any,
    rng: np.random.Generator,
    n: int = 200_000,
    target: str = "hhs",
    phi: float = 0.5,
) -> dict[str, float]:
    """Play the PBE by brute force: every move is a comparison of (perceived) payoffs."""
    resolute = rng.random(n) < pi
    threat = resolute | (rng.random(n) < r.irresolute_threat)
    B = draw_stake(rng, n)
    p = r.belief
    # hhs: sanctions believed to stay once imposed; rational: concede after imposition
    resist_cost = p * K if target == "hhs" else p * np.minimum(B + phi * K, K)
    concede_now = threat & (resist_cost >= B)
    resisted = threat & ~concede_now
    imposed = resisted & resolute
    after = (-B - (phi * K if target == "rational" else 0.0)) >= -K
    counts = {
        "status_quo": ~threat,
        "concession": concede_now | (imposed & after),
        "coercer_backs_down": resisted & ~resolute,
        "standoff": imposed & ~after,
    }
    out = dict.fromkeys(OUTCOMES, 0.0)
    out.update({key: float(v.mean()) for key, v in counts.items()})
    out["_threat_success"] = float(concede_now.sum() / (threat & ~imposed).sum())
    out["_imposed_success"] = float((imposed & after).sum() / imposed.sum())
    return out


@pytest.mark.parametrize(("pi", "k"), [(PI_STAR, K_STAR), (0.3, 0.9), (0.8, 0.4)])
def test_closed_forms_match_monte_carlo(pi: float, k: float) -> None:
    rng = np.random.default_rng(12345)
    r = _episode(pi, k)
    sim = simulate(r, pi, 1.0, lambda g, n: g.uniform(0, 1 / k, n), rng)
    assert sim["_threat_success"] == pytest.approx(
        threat_only_success_uniform(FLOAT, pi, k), abs=0.01
    )
    assert sim["_imposed_success"] == pytest.approx(imposed_success_uniform(FLOAT, pi, k), abs=0.01)
    for label in OUTCOMES:
        assert sim[label] == pytest.approx(r.outcome_probabilities[label], abs=0.006)


@pytest.mark.parametrize("target", ["hhs", "rational"])
def test_semi_separating_equilibrium_matches_monte_carlo(target: str) -> None:
    # A_C / (V_C + A_C) = 0.5 > G(pi K): the irresolute coercer mixes
    s = scenario(coercer_issue=1.0, coercer_audience=1.0)
    dist = stats.lognorm(0.8, scale=0.6)
    r = bayesian_outcomes(s, prior_resolute=0.3, dist=dist, standoff_cost=1.0, target=target)
    assert 0 < r.irresolute_threat < 1
    assert r.threat_concession == pytest.approx(0.5, abs=1e-9)  # indifference
    rng = np.random.default_rng(7)
    sim = simulate(r, 0.3, 1.0, lambda g, n: dist.rvs(size=n, random_state=g), rng, target=target)
    for label in OUTCOMES:
        assert sim[label] == pytest.approx(r.outcome_probabilities[label], abs=0.006)
    # the irresolute coercer's payoff from threatening is ~0 (it is indifferent)
    v = r.threat_concession * 1.0 - (1 - r.threat_concession) * 1.0
    assert v == pytest.approx(0.0, abs=1e-9)


def test_separating_when_even_a_sure_threat_is_not_worth_it() -> None:
    s = scenario(coercer_issue=0.1, coercer_audience=1.0)  # bar = 0.91
    r = bayesian_outcomes(s, prior_resolute=0.5, dist=stats.uniform(0, 4), standoff_cost=1.0)
    assert r.irresolute_threat == 0 and r.belief == 1
    assert r.outcome_probabilities["status_quo"] == pytest.approx(0.5)
    assert r.outcome_probabilities["coercer_backs_down"] == 0


def test_rational_target_has_no_hhs_forms() -> None:
    # with a target that anticipates its own concession, threat-stage and post-imposition
    # concession never both have the notes' cut-offs p K and K
    for phi in (0.1, 0.4, 0.7):
        r = _episode(0.6, 0.55, target="rational", sunk_share=phi)
        hhs = _episode(0.6, 0.55)
        assert (r.threat_concession, r.imposed_concession) != pytest.approx(
            (hhs.threat_concession, hhs.imposed_concession)
        )
        assert math.isclose(sum(r.outcome_probabilities.values()), 1.0)


# --------------------------------------------------------------------------- comparative statics


def _pr_threat_concession(**kw: float) -> float:
    return bayesian_outcomes(scenario(**kw)).threat_concession


def test_threat_concession_monotone_in_d_s_r0() -> None:
    ds = [_pr_threat_concession(d=d) for d in np.linspace(0.1, 1.0, 10)]
    assert all(b > a for a, b in itertools.pairwise(ds))
    ss = [_pr_threat_concession(s=s) for s in np.linspace(0.0, 11.0, 12)]
    assert all(b < a for a, b in itertools.pairwise(ss))
    rs = [_pr_threat_concession(r0=r) for r in np.linspace(0.0, 0.9, 10)]
    assert all(b < a for a, b in itertools.pairwise(rs))


# --------------------------------------------------------------------------- cases and CLI


def test_every_bundled_case_has_outcome_probabilities() -> None:
    for case in index():
        r = bayesian_outcomes(case)
        probs = r.outcome_probabilities
        assert set(probs) == set(OUTCOMES)
        assert all(p >= 0 for p in probs.values())
        assert sum(probs.values()) == pytest.approx(1.0)
        assert sum(r.episode_probabilities.values()) == pytest.approx(1.0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        bayesian_outcomes(scenario(), prior_resolute=1.5)
    with pytest.raises(ValueError):
        threat_cutoff(FLOAT, 0.5, 1.0, "naive")  # type: ignore[arg-type]


def test_cli_analyze_bayesian_json(capsys: pytest.CaptureFixture[str]) -> None:
    from coercion.cli import main

    assert main(["analyze", "us-brazil-2025", "--model", "bayesian", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "bayesian"
    assert sum(out["outcome_probabilities"].values()) == pytest.approx(1.0)
    assert main(["analyze", "japan-china-2010", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "complete"
    assert out["outcome_probabilities"][out["outcome"]] == 1.0
    assert sum(out["outcome_probabilities"].values()) == 1.0
    assert main(["analyze", "us-brazil-2025", "--model", "bayesian"]) == 0
    text = capsys.readouterr().out
    assert "█" in text and "standoff" in text


def _bundled_ids() -> list[str]:
    from coercion.cases import index

    return [c.id for c in index()]


@pytest.mark.parametrize("case_id", _bundled_ids())
def test_cli_bayesian_probabilities_for_every_bundled_case(
    case_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 4: outcome probabilities for every bundled case, equal to the library's."""
    from coercion.cases import load
    from coercion.cli import main
    from coercion.model.game import OUTCOMES

    assert main(["analyze", case_id, "--model", "bayesian", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    probs = out["outcome_probabilities"]
    assert set(probs) == set(OUTCOMES)
    assert all(p >= 0 for p in probs.values())
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-12)
    # ex ante: the coercer's choice to threaten included (status_quo where it would not)
    assert probs == pytest.approx(bayesian_outcomes(load(case_id)).outcome_probabilities, abs=0)


# --------------------------------------------------------------------------- audience costs (N8)

#: the stated parameters of docs/bayesian.md ("Audience costs and the frequency of threats"):
#: V = K = 1; the coercer's cost of imposing k ~ N(1, 0.5) (in units of V; 2.3 % of coercers gain
#: from imposing); the target's cost of conceding x ~ U[0, 0.8] (in units of K)
N8_F = stats.norm(1.0, 0.5)
N8_G = stats.uniform(0.0, 0.8)


def brute_force_threat_frequency(
    a: float, F: Any, G: Any, V: float = 1.0, K: float = 1.0, n_types: int = 20_001
) -> tuple[float, int]:
    """Equilibrium Pr(threat) by brute force, and the number of equilibria found.

    A grid of ``n_types`` equally likely coercer types (the midpoints of equal-probability cells
    of F) best-responds, type by type, to every concession probability g of the target on a
    fine grid: after resistance each type takes the better of imposing (-k) and backing down
    (-a), and threatens iff g V + (1 - g) max(-k, -a) >= 0.  The target's best reply to the
    implied posterior p (Bayes' rule over the threatening types) is to concede iff x <= p K,
    g' = G(p K).  An equilibrium is a g where g' - g crosses zero from above; where the set of
    threatening types jumps there (some types are indifferent), they mix so that g' = g.
    Nothing here uses the closed forms of coercion.model.audience.
    """
    k = F.ppf((np.arange(n_types) + 0.5) / n_types)
    follow = np.maximum(-k, -a)  # best follow-through payoff after resistance
    imposes = -k >= -a
    # type i threatens iff g >= its threshold (solving g V + (1 - g) follow = 0 for g)
    thresh = np.where(follow >= 0, 0.0, -follow / (V - follow))

    def threat_set(g: float) -> np.ndarray:
        return thresh <= g

    def reply(weights: np.ndarray) -> float:
        mass = weights.sum()
        p = float((weights * imposes).sum() / mass) if mass > 0 else 1.0
        return float(G.cdf(p * K))

    # the target's reply to every g on the grid at once: sort the types by threshold
    order = np.argsort(thresh, kind="stable")
    cum_imposers = np.concatenate([[0.0], np.cumsum(imposes[order])])
    gs = np.linspace(0.0, 1.0, 40_001)
    n_threat = np.searchsorted(thresh[order], gs, side="right")
    p_grid = np.where(n_threat > 0, cum_imposers[n_threat] / np.maximum(n_threat, 1), 1.0)
    h = G.cdf(p_grid * K) - gs
    down = np.flatnonzero((h[:-1] > 0) & (h[1:] <= 0))
    up = np.flatnonzero((h[:-1] < 0) & (h[1:] >= 0))
    n_eq = len(down) + len(up) + int(h[0] == 0 and len(down) == 0)
    if h[0] <= 0:  # g = 0 is a fixed point (nobody credible enough to move any target)
        return float(threat_set(0.0).mean()), n_eq
    i = int(down[0])
    lo_set, hi_set = threat_set(gs[i]), threat_set(gs[i + 1])
    switchers = hi_set & ~lo_set
    if not switchers.any():  # a continuous crossing: pure strategies
        return float(hi_set.mean()), n_eq
    target_g = 0.5 * (gs[i] + gs[i + 1])
    qlo, qhi = 0.0, 1.0  # the switchers' mixing probability that makes the target's reply g
    for _ in range(60):
        q = 0.5 * (qlo + qhi)
        if reply(lo_set + q * switchers) > target_g:
            qlo = q
        else:
            qhi = q
    return float((lo_set + 0.5 * (qlo + qhi) * switchers).mean()), n_eq


def test_threat_frequency_closed_form_rederived_with_sympy() -> None:
    a, V, K, xbar, F, q, p, g = sp.symbols("a V K xbar F q p g", positive=True)
    # bluffer indifferent (g V = (1 - g) a), target's reply g = p K / xbar, Bayes' rule for p
    sol = sp.solve(
        [sp.Eq(g * V, (1 - g) * a), sp.Eq(g, p * K / xbar), sp.Eq(p * (F + q * (1 - F)), F)],
        [g, p, q],
        dict=True,
    )
    (s,) = sol
    pr = sp.simplify(F + s[q] * (1 - F))
    closed = threat_probability_uniform(SYMPY, a, F, V, K, xbar)
    assert sp.simplify(pr - F * K * (V + a) / (a * xbar)) == 0
    # the same expression, through the ops formula (its generic branch)
    (inner,) = [arg for arg in closed.args if not arg.is_number]
    assert sp.simplify(_generic(inner) - pr) == 0
    # separating threshold: a/(V + a) = G(K) = K/xbar
    (a_sep,) = sp.solve(sp.Eq(a / (V + a), K / xbar), a)
    assert sp.simplify(a_sep - K * V / (xbar - K)) == 0


def test_threat_frequency_formula_float_numpy_sympy_agree() -> None:
    a = np.array([0.0, 0.05, 0.25, 0.7, 2.0])
    Fa = N8_F.cdf(a)
    grid = threat_probability_uniform(NUMPY, a, Fa, 1.0, 1.0, 0.8)
    a_s, F_s = sp.symbols("a F", positive=True)
    expr = threat_probability_uniform(SYMPY, a_s, F_s, 1.0, 1.0, 0.8)
    for i in range(len(a)):
        ai, fi = float(a[i]), float(Fa[i])
        assert grid[i] == pytest.approx(threat_probability_uniform(FLOAT, ai, fi, 1.0, 1.0, 0.8))
        solved = threat_frequency([ai], coercer_cost=N8_F, target_stake=N8_G)[0]
        assert grid[i] == pytest.approx(solved, abs=1e-9)  # closed form = numeric PBE
        if ai > 0:
            assert float(expr.subs({a_s: ai, F_s: fi})) == pytest.approx(grid[i])
    # x_bar > K: separating above a* = K V/(x_bar - K) = 1, Pr(threat) frozen at its value at a*
    assert separating_audience_cost(FLOAT, 1.0, 1.0, 2.0) == pytest.approx(1.0)
    assert math.isinf(separating_audience_cost(FLOAT, 1.0, 1.0, 0.8))
    wide = stats.uniform(0.0, 2.0)
    for ai in (1.5, 3.0):
        eq = threat_equilibrium(ai, coercer_cost=N8_F, target_stake=wide)
        assert eq.regime == "separating" and eq.belief == 1.0 and eq.bluff_probability == 0.0
        assert eq.pr_threat == pytest.approx(float(N8_F.cdf(1.0)))
        capped = threat_probability_uniform(FLOAT, 1.0, float(N8_F.cdf(1.0)), 1.0, 1.0, 2.0)
        assert eq.pr_threat == pytest.approx(capped)


@pytest.mark.parametrize("a", [0.02, 0.1, 0.25, 0.5, 0.9])
def test_threat_equilibrium_is_an_equilibrium(a: float) -> None:
    """Every coercer type on a fine grid best-responds, the target best-responds, beliefs are
    Bayes-consistent."""
    eq = threat_equilibrium(a, coercer_cost=N8_F, target_stake=N8_G)
    k = N8_F.ppf((np.arange(20_001) + 0.5) / 20_001)
    g = eq.concession
    gain = g * 1.0 + (1 - g) * np.maximum(-k, -a)  # threaten (then best follow-through) vs 0
    resolute = k <= a
    assert np.all(gain[resolute & (k <= eq.resolute_cutoff)] >= -1e-12)  # resolute types threaten
    bluff_gain = gain[~resolute]
    assert np.allclose(bluff_gain, bluff_gain[0])  # the same for every bluffer
    if eq.regime == "semi-separating":
        assert bluff_gain[0] == pytest.approx(0.0, abs=1e-9)  # indifferent, so willing to mix
        assert 0 < eq.bluff_probability < 1
    elif eq.regime == "pooling":
        assert bluff_gain[0] >= 0 and eq.bluff_probability == 1
    F_a = float(N8_F.cdf(a))
    # Bayes' rule and the target's best reply
    assert eq.belief == pytest.approx(F_a / (F_a + eq.bluff_probability * (1 - F_a)))
    assert g == pytest.approx(float(N8_G.cdf(eq.belief * 1.0)))
    assert eq.pr_threat == pytest.approx(F_a + eq.bluff_probability * (1 - F_a))
    probs = eq.outcome_probabilities
    assert sum(probs.values()) == pytest.approx(1.0)
    assert all(v >= -1e-12 for v in probs.values())


@pytest.mark.parametrize("a", [0.0, 0.02, 0.05, 0.1, 0.206, 0.4, 0.7, 0.9, 2.0])
def test_threat_frequency_matches_brute_force(a: float) -> None:
    pr, n_eq = brute_force_threat_frequency(a, N8_F, N8_G)
    assert n_eq == 1  # a unique equilibrium
    solved = threat_frequency([a], coercer_cost=N8_F, target_stake=N8_G)[0]
    assert pr == pytest.approx(solved, abs=2e-3)


def test_threat_equilibrium_bad_arguments() -> None:
    with pytest.raises(ValueError):
        threat_equilibrium(-0.1, coercer_cost=N8_F, target_stake=N8_G)
    with pytest.raises(ValueError):
        threat_equilibrium(0.1, coercer_cost=N8_F, target_stake=N8_G, issue_value=0.0)


def test_success_rate_of_imposed_episodes_is_nan_when_none_occur() -> None:
    import math

    from coercion.cases import load
    from coercion.model.bayesian import bayesian_outcomes

    sure = bayesian_outcomes(load("japan-china-2010"))
    assert sure.threat_concession == 1.0 and sure.events["imposed_concession"] == 0.0
    assert math.isnan(sure.imposed_success_rate)
    mixed = bayesian_outcomes(load("us-india-2025"))  # some threatened targets resist
    assert 0 < mixed.threat_concession < 1 and 0 <= mixed.imposed_success_rate <= 1


# ------------------------------------------------------------------- the resolute coercer's cost

#: the case table of docs/bayesian.md before the default cost became "staying_power", computed
#: with K_T = K_T_max: (status_quo, concession, coercer_backs_down, standoff), 2 decimals
WORST_CASE_TABLE = {
    "oapec-japan-1973": (0.00, 1.00, 0.00, 0.00),
    "russia-ukraine-2006": (0.00, 1.00, 0.00, 0.00),
    "russia-ukraine-2009": (0.00, 1.00, 0.00, 0.00),
    "japan-china-2010": (0.00, 1.00, 0.00, 0.00),
    "china-philippines-2012": (0.40, 0.01, 0.00, 0.59),
    "japan-korea-2019": (0.00, 1.00, 0.00, 0.00),
    "russia-eu-2022": (0.40, 0.05, 0.00, 0.55),
    "us-netherlands-asml-2023": (0.00, 1.00, 0.00, 0.00),
    "china-japan-2025": (0.00, 1.00, 0.00, 0.00),
    "us-brazil-2025": (0.40, 0.07, 0.00, 0.53),
    "us-canada-2025": (0.00, 1.00, 0.00, 0.00),
    "us-china-2025": (0.00, 1.00, 0.00, 0.00),
    "us-india-2025": (0.07, 0.85, 0.08, 0.00),
    "us-mexico-2025": (0.00, 1.00, 0.00, 0.00),
}
#: the same with the default cost (K_T over the coercer's staying power, capped by the horizon);
#: a resisted imposition ends with the coercer backing down where its staying power ends before
#: the horizon (every case but the four whose coercer outlasts it), as in the complete model
STAYING_POWER_TABLE = {
    "oapec-japan-1973": (0.40, 0.00, 0.60, 0.00),
    "russia-ukraine-2006": (0.40, 0.23, 0.37, 0.00),
    "russia-ukraine-2009": (0.40, 0.00, 0.60, 0.00),
    "japan-china-2010": (0.00, 1.00, 0.00, 0.00),
    "china-philippines-2012": (0.40, 0.01, 0.00, 0.59),
    "japan-korea-2019": (0.00, 1.00, 0.00, 0.00),
    "russia-eu-2022": (0.40, 0.00, 0.60, 0.00),
    "us-netherlands-asml-2023": (0.00, 1.00, 0.00, 0.00),
    "china-japan-2025": (0.00, 1.00, 0.00, 0.00),
    "us-brazil-2025": (0.40, 0.07, 0.53, 0.00),
    "us-canada-2025": (0.00, 1.00, 0.00, 0.00),
    "us-china-2025": (0.40, 0.38, 0.22, 0.00),
    "us-india-2025": (0.40, 0.39, 0.21, 0.00),
    "us-mexico-2025": (0.00, 1.00, 0.00, 0.00),
}
SHOWN = ("status_quo", "concession", "coercer_backs_down", "standoff")


def _shown(r: BayesianResult) -> tuple[float, ...]:
    return tuple(r.outcome_probabilities[k] for k in SHOWN)


def test_default_cost_is_the_standoff_cost_over_the_coercers_staying_power() -> None:
    from coercion.cases import load
    from coercion.model.calibration import DEFAULT_CALIBRATION as cal
    from coercion.model.formulas import standoff_cost
    from coercion.model.game import derive

    case = load("us-india-2025")  # the US's staying power (about 5.4 months) < the horizon
    s = case.scenario(cal)
    d = derive(s, cal, FLOAT)
    H_C = float(d["H_C_0"])
    assert cal.bite_months < H_C < cal.horizon_months
    inst = s.instrument
    K_H = standoff_cost(
        FLOAT,
        d["L_T"],
        1 - inst.replaceable_share,
        inst.months_to_substitute,
        inst.stockpile_months,
        H_C,
    )
    r = bayesian_outcomes(case)
    assert r.parameters["cost"] == "staying_power"
    assert r.parameters["standoff_months"] == pytest.approx(H_C)
    k_default = r.K_T
    assert k_default == pytest.approx(K_H, rel=1e-12)
    assert k_default < 0.6 * float(d["K_T_max"])  # well below the worst case
    k, h = resolute_standoff_cost(case)
    assert (k, h) == pytest.approx((K_H, H_C), rel=1e-12)
    # a coercer that outlasts the horizon: H = the horizon; below the bite: H = the bite
    assert resolute_standoff_cost(load("japan-china-2010"))[1] == cal.horizon_months
    for c in index():
        dc = derive(c.scenario(cal), cal, FLOAT)
        k, h = resolute_standoff_cost(c)
        assert h == pytest.approx(max(min(float(dc["H_C_0"]), cal.horizon_months), cal.bite_months))
        assert 0 <= k <= float(dc["K_T_max"]) + 1e-12
        k_default = bayesian_outcomes(c).K_T
        assert k_default == pytest.approx(k, rel=1e-12)


def test_resolute_standoff_cost_float_numpy_sympy_agree() -> None:
    import dataclasses

    from coercion.cases import load

    s = load("us-india-2025").scenario()
    rates = [0.25, 0.5, 1.0]

    def with_rate(rate: Any) -> Scenario:
        return dataclasses.replace(
            s, instrument=dataclasses.replace(s.instrument, tariff_rate=rate)
        )

    K_grid, H_grid = resolute_standoff_cost(with_rate(np.array(rates)))
    theta = sp.Symbol("theta", positive=True)
    for i, rate in enumerate(rates):
        K, H = resolute_standoff_cost(with_rate(rate))
        assert (K_grid[i], H_grid[i]) == pytest.approx((K, H), rel=1e-12)
        # the closed form in the tariff rate, every branch resolved at the value (as in
        # tests/test_model.py)
        K_sym, H_sym = resolute_standoff_cost(with_rate(theta), ops=LocalSympyOps({theta: rate}))
        assert float(K_sym.subs(theta, rate)) == pytest.approx(K, rel=1e-12)
        assert float(H_sym.subs(theta, rate)) == pytest.approx(H, rel=1e-12)


def test_worst_case_option_reproduces_the_former_numbers() -> None:
    from coercion.model.game import derive

    for c in index():
        old = bayesian_outcomes(c, cost="worst_case")
        assert old.parameters["cost"] == "worst_case" and old.parameters["standoff_months"] is None
        k_old = old.K_T
        assert k_old == float(derive(c.scenario(), ops=FLOAT)["K_T_max"])
        assert _shown(old) == pytest.approx(WORST_CASE_TABLE[c.id], abs=0.005)
        assert sum(old.outcome_probabilities.values()) == pytest.approx(1.0)
        # the same as passing K_T_max explicitly
        given = bayesian_outcomes(c, standoff_cost=k_old)
        assert given.parameters["cost"] == "given"
        assert given.outcome_probabilities == old.outcome_probabilities
    us_india = bayesian_outcomes(load("us-india-2025"), cost="worst_case")
    assert us_india.irresolute_threat == pytest.approx(0.84, abs=0.01)  # semi-separating
    with pytest.raises(ValueError):
        bayesian_outcomes(load("us-india-2025"), cost="forever")  # type: ignore[arg-type]


def test_case_outcomes_with_the_coercers_staying_power() -> None:
    """The default (K_T over the coercer's staying power) on the bundled cases.

    These replace the worst-case numbers (``WORST_CASE_TABLE``): a coercer that quits after a
    few weeks no longer costs the target its whole shortfall until substitutes arrive.
    """
    from coercion.analysis import analyze

    certain = []
    for c in index():
        r = bayesian_outcomes(c)
        assert _shown(r) == pytest.approx(STAYING_POWER_TABLE[c.id], abs=0.005)
        if max(r.outcome_probabilities.values()) > 1 - 1e-9:
            certain.append(c.id)
            # where the Bayesian model is certain it agrees with the complete-information one
            assert analyze(c, with_thresholds=False).outcome == r.most_likely == "concession"
    assert len(certain) == 6  # 10 with the worst case
    # the US's tariffs on China and India: it holds out about 1 and 5 months, so a target that
    # resists bears only that much of its shortfall; concession is no longer certain
    for case_id in ("us-china-2025", "us-india-2025"):
        r = bayesian_outcomes(load(case_id))
        assert 0.3 < r.episode_probabilities["concession"] < 0.7
        assert r.K_T < bayesian_outcomes(load(case_id), cost="worst_case").K_T
    # Canada and Mexico give in faster than the US quits (H_T < H_C): still certain concessions
    for case_id in ("us-canada-2025", "us-mexico-2025"):
        assert bayesian_outcomes(load(case_id)).outcome_probabilities["concession"] == 1.0
    # the ending of a resisted imposition follows the coercer's staying power
    from coercion.cases import load as _load
    from coercion.model.calibration import DEFAULT_CALIBRATION
    from coercion.model.game import derive as _derive

    for c in index():
        r = bayesian_outcomes(c)
        quits = float(_derive(_load(c.id).scenario())["H_C_0"]) < DEFAULT_CALIBRATION.horizon_months
        assert r.parameters["resisted"] == ("coercer_backs_down" if quits else "standoff")
        assert bayesian_outcomes(c, cost="worst_case").parameters["resisted"] == "standoff"
