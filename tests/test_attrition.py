"""Tests of :mod:`coercion.solvers.attrition`: complete and incomplete information."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from coercion.errors import InvalidParameterError
from coercion.solvers.attrition import (
    attrition_outcome,
    expected_duration_exponential,
    expected_duration_uniform,
    incomplete_attrition,
    quit_time_exponential,
    quit_time_uniform,
    war_of_attrition,
)

pos = st.floats(0.1, 10.0)


@given(V1=pos, c1=pos, V2=pos, c2=pos)
def test_indifference_defines_hazards(V1, c1, V2, c2):
    eq = war_of_attrition(V1, c1, V2, c2)
    l1, l2 = eq.hazards
    # staying dt longer: gain (opponent's hazard)·V − c = 0 for both
    assert l2 * V1 - c1 == pytest.approx(0.0, abs=1e-9)
    assert l1 * V2 - c2 == pytest.approx(0.0, abs=1e-9)
    assert sum(eq.quit_first) == pytest.approx(1.0)
    assert eq.selection == "stationary_mixed"


@given(V1=pos, c1=pos, V2=pos, c2=pos, factor=st.floats(1.01, 5.0))
def test_n2_target_concedes_less_as_own_cost_rises(V1, c1, V2, c2, factor):
    """N2: Pr(T quits first) falls as T's own cost rises (T = player 1 here)."""
    before = war_of_attrition(V1, c1, V2, c2).quit_first[0]
    after = war_of_attrition(V1, c1 * factor, V2, c2).quit_first[0]
    assert after < before
    # ... and rises with the *coercer's* cost (Langlois & Langlois' countervailing effect)
    assert war_of_attrition(V1, c1, V2, c2 * factor).quit_first[0] > before


def test_n2_symbolic_sign():
    V1, c1, V2, c2 = sympy.symbols("V1 c1 V2 c2", positive=True)
    p1 = attrition_outcome(V1, c1, V2, c2)[0]
    assert sympy.simplify(sympy.diff(p1, c1)).is_negative
    assert sympy.simplify(sympy.diff(p1, c2)).is_positive


def test_complete_information_monte_carlo():
    eq = war_of_attrition(V1=4.0, c1=1.0, V2=2.0, c2=1.5)
    rng = np.random.default_rng(12345)
    dur, first = eq.sample(rng, 200_000)
    se_p = math.sqrt(eq.quit_first[0] * eq.quit_first[1] / dur.size)
    assert np.mean(first == 0) == pytest.approx(eq.quit_first[0], abs=5 * se_p)
    assert dur.mean() == pytest.approx(
        eq.expected_duration, abs=5 * dur.std() / math.sqrt(dur.size)
    )


def test_complete_information_three_backends():
    s = sympy.symbols("V1 c1 V2 c2", positive=True)
    exprs = attrition_outcome(*s)
    c1 = np.linspace(0.5, 3.0, 6)
    arrs = attrition_outcome(3.0, c1, 2.0, 1.0)
    for i, c in enumerate(c1):
        flts = attrition_outcome(3.0, float(c), 2.0, 1.0)
        for e, a, f in zip(exprs, arrs, flts, strict=True):
            assert f == pytest.approx(a[i], abs=1e-12)
            assert f == pytest.approx(
                float(e.subs(dict(zip(s, (3.0, c, 2.0, 1.0), strict=False)))), abs=1e-12
            )


def test_complete_information_validation():
    with pytest.raises(InvalidParameterError, match=r"war_of_attrition.c1 must lie in \(0, inf\)"):
        war_of_attrition(1.0, 0.0, 1.0, 1.0)
    with pytest.raises(InvalidParameterError, match=r"war_of_attrition\.V2"):
        war_of_attrition(1.0, 1.0, float("nan"), 1.0)


# --------------------------------------------------------------------------- incomplete information


def _payoff_of_quitting_at(s, v, quit_time, values, cost):
    """Monte Carlo-free payoff of type v quitting at s against opponents using quit_time."""
    t = quit_time(values)
    win = t < s
    return np.mean(np.where(win, v - cost * t, -cost * s))


@pytest.mark.parametrize("dist", ["uniform", "exponential"])
def test_incomplete_information_is_an_equilibrium(dist):
    """No type gains by deviating from T(v) against opponents playing T (best-response check)."""
    rng = np.random.default_rng(7)
    cost = 0.5
    if dist == "uniform":
        eq = incomplete_attrition(cost=cost, uniform_high=2.0)
        opp = rng.uniform(0, 2.0, 200_000)
        types = (0.4, 1.0, 1.6)
    else:
        eq = incomplete_attrition(cost=cost, exponential_mean=1.5)
        opp = rng.exponential(1.5, 200_000)
        types = (0.5, 1.5, 3.0)
    tq = np.vectorize(eq.quit_time)
    t_opp = tq(opp)
    for v in types:
        own = eq.quit_time(v)
        grid = np.linspace(0.0, 3 * own + 1.0, 301)
        pay = [np.mean(np.where(t_opp < s, v - cost * t_opp, -cost * s)) for s in grid]
        at_own = np.mean(np.where(t_opp < own, v - cost * t_opp, -cost * own))
        assert at_own >= max(pay) - 2e-3
        for s in (0.5 * own, 2.0 * own):  # clear deviations are strictly worse
            dev = np.mean(np.where(t_opp < s, v - cost * t_opp, -cost * s))
            assert dev < at_own


def test_incomplete_information_duration_monte_carlo():
    rng = np.random.default_rng(2024)
    for eq in (
        incomplete_attrition(cost=2.0, uniform_high=3.0),
        incomplete_attrition(cost=0.7, exponential_mean=1.2),
    ):
        d = eq.sample(rng, 100_000)
        assert d.mean() == pytest.approx(eq.expected_duration, abs=5 * d.std() / math.sqrt(d.size))


def test_incomplete_custom_distribution_matches_closed_forms():
    unif = incomplete_attrition(
        cost=1.5, cdf=lambda x: x / 2.0, pdf=lambda x: 0.5, support_high=2.0
    )
    assert unif.expected_duration == pytest.approx(expected_duration_uniform(2.0, 1.5), rel=1e-6)
    assert unif.quit_time(1.3) == pytest.approx(quit_time_uniform(1.3, 2.0, 1.5), rel=1e-8)
    expo = incomplete_attrition(
        cdf=lambda x: 1 - math.exp(-x / 2.0),
        pdf=lambda x: math.exp(-x / 2.0) / 2.0,
        support_high=math.inf,
    )
    assert expo.expected_duration == pytest.approx(expected_duration_exponential(2.0), rel=1e-6)
    assert expo.quit_time(3.0) == pytest.approx(quit_time_exponential(3.0, 2.0), rel=1e-8)


def test_incomplete_closed_forms_symbolic():
    v, vh, c, m = sympy.symbols("v v_high c m", positive=True)
    x = sympy.symbols("x", positive=True)
    T = quit_time_uniform(v, vh, c)
    # T is the integral of x·hazard(x)/c with hazard 1/(v̄ − x)
    assert sympy.simplify(sympy.diff(T, v) - v / (c * (vh - v))) == 0
    assert T.subs(v, 0) == 0
    dur = sympy.integrate(T.subs(v, x) * 2 / vh * (1 - x / vh), (x, 0, vh))
    assert sympy.simplify(dur - expected_duration_uniform(vh, c)) == 0
    Te = quit_time_exponential(x, m, c)
    dur_e = sympy.integrate(Te * 2 / m * sympy.exp(-2 * x / m), (x, 0, sympy.oo))
    assert sympy.simplify(dur_e - expected_duration_exponential(m, c)) == 0


def test_incomplete_three_backends():
    v, vh, c = sympy.symbols("v v_high c", positive=True)
    e = quit_time_uniform(v, vh, c)
    grid = np.linspace(0.1, 1.8, 5)
    arr = quit_time_uniform(grid, 2.0, 0.5)
    for i, g in enumerate(grid):
        f = quit_time_uniform(float(g), 2.0, 0.5)
        assert f == pytest.approx(arr[i]) == pytest.approx(float(e.subs({v: g, vh: 2.0, c: 0.5})))


def test_incomplete_monotone_and_validation():
    eq = incomplete_attrition(uniform_high=1.0)
    ts = [eq.quit_time(v) for v in np.linspace(0, 0.99, 50)]
    assert ts == sorted(ts)
    with pytest.raises(InvalidParameterError, match="exactly one of"):
        incomplete_attrition(uniform_high=1.0, exponential_mean=1.0)
    with pytest.raises(InvalidParameterError, match=r"incomplete_attrition.cost must lie in \(0"):
        incomplete_attrition(cost=-1.0, uniform_high=1.0)
    with pytest.raises(InvalidParameterError, match="needs its pdf"):
        incomplete_attrition(cdf=lambda x: x)
