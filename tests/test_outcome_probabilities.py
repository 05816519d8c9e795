"""Outcome probabilities of the case model: the agent QRE solver, judgement uncertainty,
threat-stage partial concession, the ML calibration and the library scores."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion._backend import LocalSympyOps
from coercion.analysis.calibrate import _loglik, fit_calibration, model_at
from coercion.analysis.evaluate import evaluate
from coercion.analysis.probabilities import (
    COMPLETE,
    Noise,
    fragility,
    outcome_probabilities,
)
from coercion.analysis.scores import EPISODE_OUTCOMES, base_rates, score_library
from coercion.cases import index, load
from coercion.errors import InvalidParameterError
from coercion.games import Decision, GameTree, Terminal
from coercion.model.calibration import DEFAULT_CALIBRATION
from coercion.model.game import OUTCOMES, coercion_game, derive, episode_root
from coercion.solvers import backward_induction
from coercion.solvers.agent_qre_grid import agent_qre_grid, agent_qre_residual
from coercion.solvers.logit_qre import agent_logit_trace

OBSERVED = [c for c in index() if c.observed is not None]


# ---------------------------------------------------------------------------------------------
# the solver


def _tree(u: list[float]) -> GameTree:
    """A three-move perfect-information game with eight payoffs."""
    return GameTree(["A", "B"], Decision("A", {
        "l": Decision("B", {"x": Terminal("o1", (u[0], u[1])),
                            "y": Terminal("o2", (u[2], u[3]))}),
        "r": Decision("B", {"x": Terminal("o3", (u[4], u[5])),
                            "y": Terminal("o4", (u[6], u[7]))}),
    }))


payoffs = st.lists(st.integers(-20, 20).map(float), min_size=8, max_size=8)


@settings(max_examples=40, deadline=None)
@given(payoffs, st.floats(0.0, 5.0))
def test_agent_qre_solves_its_fixed_point(u: list[float], lam: float) -> None:
    t = _tree(u)
    q = agent_qre_grid(t, lam)
    assert float(agent_qre_residual(t, q)) < 1e-12
    assert abs(float(q.outcome_probabilities().sum()) - 1) < 1e-12


@settings(max_examples=40, deadline=None)
@given(payoffs.filter(lambda u: len({u[1], u[3]}) == 2 and len({u[5], u[7]}) == 2))
def test_agent_qre_at_infinite_precision_is_subgame_perfect(u: list[float]) -> None:
    t = _tree(u)
    # ties at the root are split evenly, so compare the value (unique) and B's moves
    q = agent_qre_grid(t, math.inf)
    spe = backward_induction(t)
    assert np.allclose(q.values[0], spe.payoffs[0])
    for k, sigma in q.choice.items():
        if k != 0:
            assert set(np.round(sigma, 12)) <= {0.0, 1.0}


def test_agent_qre_matches_the_homotopy_solver() -> None:
    """The backward pass agrees with the independent QRE path-following solver."""
    t = _tree([3.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 4.0])
    trace = agent_logit_trace(t, max_lambda=2.0)
    lam = float(trace.lambdas[-1])
    q = agent_qre_grid(t, lam)
    flat = trace.points[-1]
    pos = 0
    for own in t.player_infosets:
        for h in own:
            node = t.infosets[h].members[0]
            k = len(t.infosets[h].actions)
            assert np.allclose(q.choice[node], flat[pos:pos + k], atol=1e-6), node
            pos += k
    assert pos == flat.size


def test_agent_qre_is_scale_invariant() -> None:
    t = _tree([3.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0, 4.0])
    big = t.map_values(lambda v: 1000.0 * v)
    a = agent_qre_grid(t, 1.5).outcome_probabilities()
    b = agent_qre_grid(big, 1.5, scale=np.array([1000.0, 1000.0])).outcome_probabilities()
    assert np.allclose(a, b, atol=1e-14)


def test_agent_qre_rejects_bad_input() -> None:
    t = _tree([0.0] * 8)
    with pytest.raises(InvalidParameterError, match="precision"):
        agent_qre_grid(t, -1.0)
    with pytest.raises(InvalidParameterError, match="scale"):
        agent_qre_grid(t, 1.0, scale=np.array([1.0, 0.0]))


# ---------------------------------------------------------------------------------------------
# outcome probabilities of cases


@pytest.mark.parametrize("case", OBSERVED, ids=lambda c: c.id)
def test_zero_noise_limit_is_the_complete_model(case: object) -> None:
    p = outcome_probabilities(case, noise=COMPLETE)  # type: ignore[arg-type]
    det = OUTCOMES[int(evaluate(case).outcome)]  # type: ignore[arg-type]
    assert p.most_probable == det
    assert p.probabilities[det] == pytest.approx(1.0, abs=1e-12)


def test_noise_puts_mass_on_every_reachable_outcome() -> None:
    p = outcome_probabilities("us-china-2025")
    assert abs(sum(p.probabilities.values()) - 1) < 1e-12
    for label in ("concession", "coercer_backs_down", "counter_threat_success"):
        assert p.probabilities[label] > 0
    assert p.probabilities["status_quo"] == 0  # the episode starts after the threat


def test_probabilities_are_reproducible_and_seeded() -> None:
    a = outcome_probabilities("us-canada-2025", noise=Noise(seed=3))
    b = outcome_probabilities("us-canada-2025", noise=Noise(seed=3))
    c = outcome_probabilities("us-canada-2025", noise=Noise(seed=4))
    assert a.probabilities == b.probabilities
    assert a.probabilities != c.probabilities
    # Monte Carlo error is what it says: two seeds agree within a few standard errors
    for lab in OUTCOMES:
        se = math.hypot(a.mc_std_errors[lab], c.mc_std_errors[lab])
        assert abs(a.probabilities[lab] - c.probabilities[lab]) <= 6 * se + 1e-12


def test_noise_validates() -> None:
    with pytest.raises(InvalidParameterError, match="draws"):
        Noise(draws=3)
    with pytest.raises(InvalidParameterError, match="judgement_sd"):
        Noise(judgement_sd=-1.0)


def test_fragility_counts_flipping_moves() -> None:
    share, flips = fragility("us-canada-2025")
    assert 0 <= share <= 1
    base = outcome_probabilities("us-canada-2025").most_probable
    for f in flips:  # every reported flip is one: re-analyse it
        again = outcome_probabilities("us-canada-2025", values={f["field"]: f["to"]})
        assert again.most_probable == f["most_probable"] != base


# ---------------------------------------------------------------------------------------------
# threat-stage partial concession


def test_threat_offer_leaves_the_coercer_indifferent() -> None:
    """At the offered share the coercer gets exactly its value of refusing (backing down or
    imposing and reaching the resolution), so accepting is a best response."""
    case = dataclasses.replace(load("us-india-2025"), demand_divisible=True)
    s = case.scenario()
    d = derive(s)
    st_ = s.stakes
    x = float(d["x_threat"])
    assert 0 < x < 1
    impose = float(d["truce_C_0"] if d["feasible_0"] else d["impasse_C_0"])
    refuse = max(-st_.coercer_audience, impose)
    accept = -st_.coercer_audience + x * (st_.coercer_issue + st_.coercer_audience)
    assert accept == pytest.approx(refuse, rel=1e-12)
    # the SPE of the episode is the partial concession at that share
    tree = coercion_game(s)
    spe = backward_induction(tree.subtree(episode_root(tree)))
    assert spe.payoffs[0][1] == pytest.approx(-x * (st_.target_issue + st_.target_reputation))


def test_threat_offer_in_three_evaluations() -> None:
    """x_threat is one formula: float, numpy grid and sympy agree."""
    case = dataclasses.replace(load("us-india-2025"), demand_divisible=True)
    s = case.scenario()
    f = float(derive(s)["x_threat"])
    grid = derive(s.from_parameters({"instrument.dependency_share": np.array([
        s.instrument.dependency_share] * 2)}, like=s))["x_threat"]
    assert np.allclose(grid, f, rtol=1e-12)
    sym = sp.Symbol("d", positive=True)
    point = {sym: s.instrument.dependency_share}
    expr = derive(s.from_parameters({"instrument.dependency_share": sym}, like=s),
                  ops=LocalSympyOps(point))["x_threat"]
    assert isinstance(expr, sp.Expr) and sym in expr.free_symbols
    assert float(expr.subs(point)) == pytest.approx(f, rel=1e-9)


def test_indivisible_demands_have_no_threat_offer() -> None:
    case = load("japan-china-2010")
    assert not case.demand_divisible
    tree = coercion_game(case.scenario())
    target = tree.nodes[episode_root(tree)]
    assert isinstance(target, Decision) and "concede_part" not in target.moves
    divisible = dataclasses.replace(case, demand_divisible=True)
    tree2 = coercion_game(divisible.scenario())
    target2 = tree2.nodes[episode_root(tree2)]
    assert isinstance(target2, Decision) and "concede_part" in target2.moves


# ---------------------------------------------------------------------------------------------
# calibration and scores


def test_stake_scale_mix_keeps_ratios_and_the_reference_size() -> None:
    cal = DEFAULT_CALIBRATION.scaled(stake_scale_mix=0.5)
    ref = cal.reference_gdp_usd_bn
    for level in ("low", "high"):
        assert cal.stake_value("target_issue", level, ref) == pytest.approx(
            DEFAULT_CALIBRATION.stake_value("target_issue", level, ref))
    small, big = 10.0, 10_000.0
    # w = 0.5: a state 1000x larger has stakes sqrt(1000)x larger
    ratio = cal.stake_value("target_issue", "high", big) / cal.stake_value(
        "target_issue", "high", small)
    assert ratio == pytest.approx(math.sqrt(1000.0))
    with pytest.raises(InvalidParameterError, match="stake_scale_mix"):
        DEFAULT_CALIBRATION.scaled(stake_scale_mix=1.5)


def test_base_rates() -> None:
    r = base_rates(["concession"] * 3 + ["standoff"])
    assert set(r) == set(EPISODE_OUTCOMES)
    assert r["concession"] == pytest.approx(3.5 / 7)
    assert r["escalation"] == pytest.approx(0.5 / 7)


@pytest.fixture(scope="module")
def fit() -> object:
    return fit_calibration(OBSERVED, draws=64, max_evaluations=200)


def test_calibration_fit_improves_the_likelihood(fit: object) -> None:
    from coercion.analysis.calibrate import START

    f = fit
    assert f.loglik >= _loglik(OBSERVED, START, 64) - 1e-9  # type: ignore[attr-defined]
    assert f.loglik == pytest.approx(_loglik(OBSERVED, f.x, 64))  # type: ignore[attr-defined]
    cal, noise = model_at(f.x, 64)  # type: ignore[attr-defined]
    assert 0 <= cal.stake_scale_mix <= 1 and noise.judgement_sd > 0


def test_library_scores_in_sample(fit: object) -> None:
    s = score_library(OBSERVED, draws=64, leave_one_out=False, with_fragility=False,
                      max_evaluations=150)
    assert s.n == len(OBSERVED)
    # the scores are what the rows say
    logs = [math.log(max(r["p_observed"], 1e-300)) for r in s.rows]
    assert s.model["log_score"] == pytest.approx(float(np.mean(logs)))
    hits = [r["most_probable"] == r["observed"] for r in s.rows]
    assert s.model["exact_accuracy"] == pytest.approx(float(np.mean(hits)))
    # the label-frequency base rate's log score, by hand
    obs = [r["observed"] for r in s.rows]
    freq = base_rates(obs)
    assert s.base_frequencies["log_score"] == pytest.approx(
        float(np.mean([math.log(freq[o]) for o in obs])))
    assert "leave-one-out: not computed" in s.report()


def test_headline_cases_most_probable() -> None:
    assert outcome_probabilities("japan-china-2010").most_probable == "concession"
