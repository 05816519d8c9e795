"""Tests of :mod:`coercion.solvers.bargaining`: Nash bargaining, Rubinstein, Fearon."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from coercion._backend import FLOAT
from coercion.errors import InvalidParameterError
from coercion.model.formulas import nash_bargaining_share
from coercion.solvers.bargaining import (
    BargainingProblem,
    alternating_offers_finite,
    fearon_demand,
    fearon_uniform,
    is_individually_rational,
    is_pareto_efficient,
    nash_bargaining,
    nash_share_linear,
    rubinstein,
    rubinstein_share,
)

betas = st.floats(0.05, 0.95)
deltas = st.floats(0.05, 0.98)
small = st.floats(0.0, 0.3)


def _concave(k: float):  # u(x) = x^k, concave for k in (0, 1]
    return lambda x: max(x, 0.0) ** k


# --------------------------------------------------------------------------- Nash bargaining


@given(beta=betas, k1=st.floats(0.2, 1.0), k2=st.floats(0.2, 1.0), d1=small, d2=small)
def test_nash_axioms_efficiency_and_rationality(beta, k1, k2, d1, d2):
    prob = BargainingProblem(_concave(k1), _concave(k2), 1.0, (d1 * 0.5, d2 * 0.5))
    sol = nash_bargaining(prob, beta=beta)
    assert sol.agreement
    assert is_individually_rational(sol)
    assert is_pareto_efficient(sol, tol=1e-7)


@given(k=st.floats(0.2, 1.0), d=small, S=st.floats(0.5, 3.0))
def test_nash_symmetry(k, d, S):
    sol = nash_bargaining(BargainingProblem(_concave(k), _concave(k), S, (d * 0.1, d * 0.1)))
    assert sol.shares is not None
    assert sol.shares[0] == pytest.approx(S / 2, abs=1e-6)


@given(
    beta=betas,
    a1=st.floats(0.1, 10.0),
    b1=st.floats(-5.0, 5.0),
    a2=st.floats(0.1, 10.0),
    b2=st.floats(-5.0, 5.0),
    k1=st.floats(0.3, 1.0),
    k2=st.floats(0.3, 1.0),
)
def test_nash_affine_invariance(beta, a1, b1, a2, b2, k1, k2):
    u1, u2 = _concave(k1), _concave(k2)
    d = (0.05, 0.1)
    base = nash_bargaining(BargainingProblem(u1, u2, 1.0, d), beta=beta)
    moved = nash_bargaining(
        BargainingProblem(
            lambda x: a1 * u1(x) + b1,
            lambda x: a2 * u2(x) + b2,
            1.0,
            (a1 * d[0] + b1, a2 * d[1] + b2),
        ),
        beta=beta,
    )
    assert base.shares is not None and moved.shares is not None
    assert moved.shares[0] == pytest.approx(base.shares[0], abs=1e-6)


@given(k1=st.floats(0.2, 1.0), k2=st.floats(0.2, 1.0))
def test_nash_weight_moves_split_monotonically(k1, k2):
    prob = BargainingProblem(_concave(k1), _concave(k2))
    shares = [nash_bargaining(prob, beta=b).shares[0] for b in np.linspace(0.05, 0.95, 10)]
    assert all(b >= a - 1e-7 for a, b in itertools.pairwise(shares))
    assert shares[-1] > shares[0]


@given(beta=st.floats(0.0, 1.0), d1=st.floats(-0.5, 0.5), d2=st.floats(-0.5, 0.5))
def test_linear_closed_form_matches_numeric(beta, d1, d2):
    closed = nash_bargaining(BargainingProblem(surplus=1.0, disagreement=(d1, d2)), beta=beta)
    numeric = nash_bargaining(BargainingProblem(lambda x: x, lambda x: x, 1.0, (d1, d2)), beta=beta)
    assert closed.method == "closed_form" and numeric.method == "numeric"
    if abs(1.0 - d1 - d2) > 1e-9:
        assert closed.status == numeric.status
    if closed.shares is not None and 0.02 < beta < 0.98:
        assert numeric.shares is not None
        assert closed.shares[0] == pytest.approx(numeric.shares[0], abs=1e-6)


def test_linear_agrees_with_model_formula():
    """The model's GNB over a concession share (formulas.nash_bargaining_share) is the same NBS."""
    beta, p, q, aC, aT, dC, dT = 0.4, 2.0, 3.0, -1.0, 0.0, -2.5, -2.0
    x_model, feasible = nash_bargaining_share(FLOAT, beta, p, q, aC, aT, dC, dT)
    assert feasible
    # share x of the concession; u_C = aC + x p, u_T = aT − x q, on a "surplus" of 1
    prob = BargainingProblem(lambda x: aC + x * p, lambda y: aT - (1 - y) * q, 1.0, (dC, dT))
    sol = nash_bargaining(prob, beta=beta)
    assert sol.shares is not None
    assert sol.shares[0] == pytest.approx(x_model, abs=1e-6)


def test_nash_closed_form_three_backends():
    b, S, d1, d2 = sympy.symbols("beta S d1 d2")
    expr = nash_share_linear(b, S, d1, d2)[0]
    grid = np.linspace(0.1, 0.9, 5)
    arr = nash_share_linear(grid, 2.0, 0.3, 0.2)[0]
    for i, g in enumerate(grid):
        f = nash_share_linear(float(g), 2.0, 0.3, 0.2)[0]
        s = float(expr.subs({b: g, S: 2.0, d1: 0.3, d2: 0.2}))
        assert f == pytest.approx(arr[i]) == pytest.approx(s)


def test_nash_disagreement_and_validation():
    sol = nash_bargaining(BargainingProblem(disagreement=(0.7, 0.6)))
    assert sol.status == "disagreement" and sol.shares is None
    assert is_individually_rational(sol)
    sol2 = nash_bargaining(BargainingProblem(math.sqrt, math.sqrt, 1.0, (0.9, 0.9)))
    assert sol2.status == "disagreement"
    with pytest.raises(InvalidParameterError, match=r"nash_bargaining.beta.*\[0, 1\].*1.5"):
        nash_bargaining(beta=1.5)
    with pytest.raises(InvalidParameterError, match=r"BargainingProblem\.surplus"):
        BargainingProblem(surplus=0.0)
    with pytest.raises(InvalidParameterError, match=r"BargainingProblem\.u1 must be callable"):
        BargainingProblem(u1=3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Rubinstein


def _fixed_point(d1, d2, p=0.0, b=(0.0, 0.0), w=(0.0, 0.0), iters=5000):
    """Independent numeric solution: iterate the SPE recursion to its fixed point."""
    x1, x2 = 0.5, 0.5  # proposer shares of players 1 and 2
    for _ in range(iters):
        x1 = 1 - max(w[1], d2 * ((1 - p) * x2 + p * b[1]))
        x2 = 1 - max(w[0], d1 * ((1 - p) * x1 + p * b[0]))
    return x1


@given(
    d1=deltas, d2=deltas, p=st.floats(0.0, 0.5), b1=small, b2=small, w1=small, w2=st.floats(0, 0.6)
)
def test_rubinstein_closed_form_matches_fixed_point(d1, d2, p, b1, b2, w1, w2):
    x1, x2 = rubinstein_share(
        d1, d2, breakdown=p, breakdown_payoffs=(b1, b2), outside_options=(w1, w2)
    )
    assert x1 + x2 == pytest.approx(1.0)
    assert x1 == pytest.approx(_fixed_point(d1, d2, p, (b1, b2), (w1, w2)), abs=1e-9)


def test_rubinstein_symbolic():
    d1, d2, d, p = sympy.symbols("delta1 delta2 delta p", positive=True)
    x1 = rubinstein_share(d1, d2)[0]
    assert sympy.simplify(x1 - (1 - d2) / (1 - d1 * d2)) == 0
    # stationarity: x1 = 1 − δ2·(1 − δ1·x1)
    assert sympy.simplify(x1 - (1 - d2 * (1 - d1 * x1))) == 0
    common = sympy.simplify(rubinstein_share(d, d)[0])
    assert sympy.simplify(common - 1 / (1 + d)) == 0
    assert sympy.limit(common, d, 1) == sympy.Rational(1, 2)
    # BRW: with breakdown risk and no discounting, p → 0 gives the Nash split of the
    # surplus over the breakdown point: (1 + b1 − b2)/2
    b1, b2 = sympy.symbols("b1 b2", nonnegative=True)
    xb = rubinstein_share(1, 1, breakdown=p, breakdown_payoffs=(b1, b2))[0]
    assert sympy.simplify(sympy.limit(xb, p, 0) - (1 + b1 - b2) / 2) == 0


def test_outside_option_principle_kink():
    """N6: player 2's option is irrelevant until it exceeds δ/(1+δ), then binds one for one."""
    delta = 0.9
    base = rubinstein(delta, delta)
    threshold = delta / (1 + delta)
    for w in np.linspace(0.0, 0.9, 46):
        sol = rubinstein(delta, delta, outside_options=(0.0, float(w)))
        if w <= threshold:
            assert sol.shares[1] == pytest.approx(base.shares[1])
            assert not sol.binding[1]
        else:
            assert sol.shares[1] == pytest.approx(w)
            assert sol.binding[1]


def test_first_mover_swaps_roles():
    a = rubinstein(0.7, 0.9)
    b = rubinstein(0.9, 0.7, first_mover=1)
    assert b.shares == pytest.approx(a.shares[::-1])
    assert b.proposer_share == pytest.approx(a.proposer_share)


@pytest.mark.parametrize(
    ("d1", "d2", "p", "w"),
    [(0.9, 0.8, 0.0, (0.0, 0.0)), (0.95, 0.6, 0.1, (0.0, 0.0)), (0.9, 0.9, 0.0, (0.2, 0.55))],
)
def test_finite_horizon_converges(d1, d2, p, w):
    limit = rubinstein(d1, d2, breakdown=p, outside_options=w).shares[0]
    errors = [
        abs(alternating_offers_finite(d1, d2, T, breakdown=p, outside_options=w)[0] - limit)
        for T in (10, 40, 160, 400)
    ]
    assert errors[-1] < 1e-9
    assert all(b <= a + 1e-15 for a, b in itertools.pairwise(errors))


def test_finite_horizon_symbolic_partial_sums():
    d1, d2 = sympy.symbols("delta1 delta2", positive=True)
    for n in range(1, 5):
        even = alternating_offers_finite(d1, d2, 2 * n)[0]
        partial = (1 - d2) * sum((d1 * d2) ** k for k in range(n))
        assert sympy.simplify(even - partial) == 0
        odd = alternating_offers_finite(d1, d2, 2 * n + 1)[0]
        assert sympy.simplify(odd - partial - (d1 * d2) ** n) == 0
    # the partial sums tend to the Rubinstein share as T → ∞
    k = sympy.symbols("k", integer=True, nonnegative=True)
    q1, q2 = sympy.Rational(9, 10), sympy.Rational(4, 5)
    series = (1 - q2) * sympy.summation((q1 * q2) ** k, (k, 0, sympy.oo))
    assert series == (1 - q2) / (1 - q1 * q2) == rubinstein_share(q1, q2)[0]


def test_rubinstein_three_backends_agree():
    D1, D2, P = sympy.symbols("D1 D2 P")
    w = (0.1, 0.3)
    expr = rubinstein_share(D1, D2, breakdown=P, outside_options=w)[0]
    g1 = np.linspace(0.3, 0.95, 6)
    g2 = np.linspace(0.9, 0.4, 6)
    arr = rubinstein_share(g1, g2, breakdown=0.05, outside_options=w)[0]
    for i in range(6):
        f = rubinstein_share(float(g1[i]), float(g2[i]), breakdown=0.05, outside_options=w)[0]
        s = float(expr.subs({D1: g1[i], D2: g2[i], P: 0.05}))
        assert f == pytest.approx(arr[i], abs=1e-12)
        assert f == pytest.approx(s, abs=1e-12)


def test_rubinstein_validation():
    with pytest.raises(InvalidParameterError, match=r"rubinstein.delta1 must lie in \[0, 1\)"):
        rubinstein(1.0, 0.5)
    # p > 0 allows δ = 1: the effective discount is 1 − p
    assert rubinstein(1.0, 1.0, breakdown=0.1).shares == pytest.approx((1 / 1.9, 0.9 / 1.9))
    with pytest.raises(InvalidParameterError, match="outside_options must sum"):
        rubinstein(0.9, 0.9, outside_options=(0.6, 0.6))
    with pytest.raises(InvalidParameterError, match="first_mover must be 0 or 1"):
        rubinstein(0.9, 0.9, first_mover=2)
    with pytest.raises(InvalidParameterError, match="T must be an integer >= 1"):
        alternating_offers_finite(0.9, 0.9, 0)


# --------------------------------------------------------------------------- Fearon


def test_fearon_notes_closed_form_and_n1():
    """§1.2: x* = p + (c̄ − c_A)/2, Pr(war) = (c̄ − c_A)/(2c̄); rising in c̄ (N1)."""
    p, cA = 0.3, 0.1
    fails = []
    for cbar in (0.2, 0.3, 0.4, 0.6):
        d = fearon_demand(p, cA, c_high=cbar)
        assert d.demand == pytest.approx(p + (cbar - cA) / 2)
        assert d.failure_probability == pytest.approx((cbar - cA) / (2 * cbar))
        fails.append(d.failure_probability)
    assert fails == sorted(fails) and fails[0] < fails[-1]
    # falls in the coercer's own cost
    f = [fearon_demand(p, c, c_high=0.5).failure_probability for c in (0.05, 0.2, 0.4)]
    assert f == sorted(f, reverse=True)
    # no risk when the coercer's cost exceeds the top of the range
    assert fearon_demand(p, 0.7, c_high=0.5).failure_probability == 0.0


@given(
    p=st.floats(0.0, 0.9),
    cA=st.floats(0.01, 0.5),
    lo=st.floats(0.0, 0.3),
    width=st.floats(0.05, 0.8),
)
def test_fearon_uniform_brute_force(p, cA, lo, width):
    hi = lo + width
    d = fearon_demand(p, cA, c_high=hi, c_low=lo)
    xs = np.linspace(0.0, 1.0, 20001)
    F = np.clip((xs - p - lo) / width, 0.0, 1.0)
    eu = (1 - F) * xs + F * (p - cA)
    assert d.expected_utility >= eu.max() - 1e-9
    assert d.expected_utility == pytest.approx(eu.max(), abs=1e-4)
    assert 0.0 <= d.demand <= 1.0


def test_fearon_numeric_general_distribution():
    # uniform through the generic path, then a triangular cost distribution
    gen = fearon_demand(0.4, 0.1, cdf=lambda c: c / 0.5, support=(0.0, 0.5))
    closed = fearon_demand(0.4, 0.1, c_high=0.5)
    assert gen.demand == pytest.approx(closed.demand, abs=1e-7)
    assert gen.failure_probability == pytest.approx(closed.failure_probability, abs=1e-6)
    tri = fearon_demand(0.4, 0.1, cdf=lambda c: (c / 0.5) ** 2, support=(0.0, 0.5))
    xs = np.linspace(0.4, 0.9, 200001)
    F = ((xs - 0.4) / 0.5) ** 2
    eu = (1 - F) * xs + F * 0.3
    assert tri.demand == pytest.approx(xs[np.argmax(eu)], abs=1e-5)


def test_fearon_three_backends_agree():
    P, CA, CH = sympy.symbols("p c_A c_high", positive=True)
    exprs = fearon_uniform(P, CA, CH)
    cbar = np.linspace(0.15, 0.9, 7)
    arrs = fearon_uniform(0.2, 0.1, cbar)
    for i, c in enumerate(cbar):
        flts = fearon_uniform(0.2, 0.1, float(c))
        for e, a, f in zip(exprs, arrs, flts, strict=True):
            s = float(e.subs({P: 0.2, CA: 0.1, CH: c}))
            assert f == pytest.approx(a[i], abs=1e-12)
            assert f == pytest.approx(s, abs=1e-12)
    # interior symbolic branch: Pr(failure) = (c̄ − c_A)/(2c̄), increasing in c̄
    interior = (CH - CA) / (2 * CH)
    assert sympy.simplify(sympy.diff(interior, CH) - CA / (2 * CH**2)) == 0


def test_fearon_validation():
    with pytest.raises(InvalidParameterError, match=r"fearon_demand.c_A must lie in \(0, inf\)"):
        fearon_demand(0.5, 0.0, c_high=1.0)
    with pytest.raises(InvalidParameterError, match="exactly one of c_high"):
        fearon_demand(0.5, 0.1)
    with pytest.raises(InvalidParameterError, match=r"fearon_demand\.c_high"):
        fearon_demand(0.5, 0.1, c_high=0.1, c_low=0.2)
