"""The coercion model: one formula, three evaluations; comparative statics M1–M8."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from coercion._backend import FLOAT, NUMPY, SYMPY, LocalSympyOps
from coercion.model import Actor, Instrument, Scenario, Stakes, coercion_game, derive
from coercion.model import formulas as fm
from coercion.solvers import backward_induction, backward_induction_grid, is_subgame_perfect
from coercion.strategies import scenarios

finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def cost_primitives(draw: st.DrawFn) -> dict[str, float]:
    return {
        "B": draw(st.floats(0.01, 50)),
        "c": draw(st.sampled_from([0.0])) if draw(st.booleans()) else draw(st.floats(0.001, 3)),
        "L": draw(st.sampled_from([0.0])) if draw(st.booleans()) else draw(st.floats(0.001, 5)),
        "a": draw(st.floats(0, 1)),
        "tau": draw(st.floats(0.5, 80)),
        "s": draw(st.floats(0, 20)),
    }


@given(cost_primitives())
def test_staying_power_solves_its_equation(p: dict[str, float]) -> None:
    H = fm.staying_power(FLOAT, p["B"], p["c"], p["L"], p["a"], p["tau"], p["s"])
    if math.isinf(H):
        # the cost never reaches B: bounded by L * K^max with no linear cost
        assert p["c"] == 0
        assert fm.max_standoff_cost(FLOAT, p["L"], p["a"], p["tau"], p["s"]) <= p["B"] + 1e-9
    else:
        cost = fm.total_cost(FLOAT, p["c"], p["L"], p["a"], p["tau"], p["s"], H)
        assert cost == pytest.approx(p["B"], rel=1e-7, abs=1e-9)
        # and it is the first such time
        earlier = fm.total_cost(FLOAT, p["c"], p["L"], p["a"], p["tau"], p["s"], H * 0.999)
        assert earlier <= p["B"] + 1e-9


@given(cost_primitives())
def test_float_numpy_sympy_evaluations_agree(p: dict[str, float]) -> None:
    args = [p[k] for k in ("B", "c", "L", "a", "tau", "s")]
    x_float = fm.staying_power(FLOAT, *args)
    x_numpy = fm.staying_power(NUMPY, *[np.array([v, v]) for v in args])
    syms = sp.symbols("B c L a tau s", nonnegative=True)
    expr = fm.staying_power(SYMPY, *syms)
    x_sym = complex(expr.subs(dict(zip(syms, args, strict=True))))
    for other in (float(x_numpy[0]), float(x_numpy[1]), x_sym.real):
        if math.isinf(x_float):
            assert math.isinf(other)
        else:
            assert other == pytest.approx(x_float, rel=1e-9, abs=1e-12)
    # the localised closed form is valid at its point
    local = fm.staying_power(LocalSympyOps({}), *args)
    value = float(local) if not isinstance(local, sp.Basic) else float(local.evalf())
    assert value == pytest.approx(x_float, rel=1e-9) or (math.isinf(x_float) and math.isinf(value))


def test_staying_power_closed_form_matches_research_notes() -> None:
    # eq. (2): H_T = tau [a - sqrt(a^2 - 2(s + v)/tau)] with v = B / L, no linear cost
    L, a, tau, s, B = 3.0, 0.9, 48.0, 2.0, 0.5
    v = B / L
    expected = tau * (a - math.sqrt(a * a - 2 * (s + v) / tau))
    assert fm.staying_power(FLOAT, B, 0.0, L, a, tau, s) == pytest.approx(expected)


def test_nash_bargaining_share_maximises_the_nash_product() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        beta = rng.uniform(0.05, 0.95)
        p, q = rng.uniform(0.1, 5, 2)
        aC, aT, dC, dT = rng.normal(size=4)
        x, feasible = fm.nash_bargaining_share(FLOAT, beta, p, q, aC, aT, dC, dT)
        grid = np.linspace(0, 1, 20001)
        gC, gT = aC + grid * p - dC, aT - grid * q - dT
        ok = (gC >= 0) & (gT >= 0)
        assert feasible == bool(ok.any()) or abs(gC[ok].min(initial=0)) < 1e-6
        if ok.any() and feasible:
            with np.errstate(divide="ignore"):
                nash = beta * np.log(gC[ok]) + (1 - beta) * np.log(gT[ok])
            best = grid[ok][np.argmax(nash)]
            assert abs(x - best) < 2e-4


# ------------------------------------------------------------------ scenarios
# valid scenarios come from the user-facing strategies (coercion.strategies.scenarios)


def _episode(scenario: Scenario, **arrays: Any) -> Any:
    moved = Scenario.from_parameters(arrays, like=scenario)
    tree = coercion_game(moved)
    return backward_induction_grid(tree.subtree(1))


@given(scenarios())
def test_scalar_and_vectorised_games_agree(scenario: Scenario) -> None:
    tree = coercion_game(scenario)
    scalar = backward_induction(tree.subtree(1))
    grid = _episode(scenario, **{"stakes.coercer_issue": np.array([scenario.stakes.coercer_issue])})
    assert any(np.allclose(grid.payoffs[:, 0], u, atol=1e-9) for u in scalar.payoffs)
    assert is_subgame_perfect(tree.subtree(1), grid.plan_at((0,)), tol=1e-9)


@given(scenarios())
def test_symbolic_game_evaluates_to_the_numeric_one(scenario: Scenario) -> None:
    # the whole derivation with the dependency share as a symbol, every branch
    # resolved at the case value, gives closed forms that evaluate to the numbers
    d_sym = sp.Symbol("d", positive=True)
    value = scenario.instrument.dependency_share
    sym = Scenario.from_parameters({"instrument.dependency_share": d_sym}, like=scenario)
    numeric = derive(scenario)
    symbolic = derive(sym, ops=LocalSympyOps({d_sym: value}))
    for key in ("L_T", "K_T_max", "H_T_0", "H_C_0", "x_0", "truce_T_0", "impasse_T_0"):
        expr = symbolic[key]
        got = complex(expr.subs(d_sym, value)) if isinstance(expr, sp.Basic) else complex(expr)
        want = float(numeric[key])
        if math.isinf(want):
            assert math.isinf(got.real)
        else:
            assert got.real == pytest.approx(want, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ M1–M8
# Research notes §2.6: monotone comparative statics.  (a) On staying power and
# costs they hold everywhere.  (b) On equilibrium payoffs they hold when the
# target has no counter-instrument; with one they can fail, because a worse
# fallback can make the target's counter-threat credible (see docs/model.md,
# "credibility through vulnerability", and test_counter_threat_non_monotonicity).

STAYING_POWER = [
    ("M1", "instrument.dependency_share", 0.05, 1.0, "H_T_0", -1),
    ("M1", "instrument.essentiality", 1.0, 200.0, "H_T_0", -1),
    ("M1", "instrument.essentiality", 1.0, 200.0, "K_T_max", +1),
    ("M2", "counter.essentiality", 1.0, 200.0, "H_C_1", -1),
    ("M2", "counter.dependency_share", 0.05, 1.0, "H_C_1", -1),
    ("M3", "instrument.stockpile_months", 0.0, 30.0, "H_T_0", +1),
    ("M4", "instrument.months_to_substitute", 1.0, 120.0, "H_T_0", -1),
    ("M5", "instrument.replaceable_share", 0.0, 1.0, "H_T_0", +1),
    ("M6", "stakes.target_issue", 0.01, 60.0, "H_T_0", +1),
    ("M7", "stakes.coercer_audience", 0.0, 30.0, "H_C_0", +1),
    ("M7", "stakes.coercer_punishment_gain", 0.0, 30.0, "H_C_0", +1),
    ("M8", "stakes.institutional_cost", 0.0, 30.0, "H_C_0", -1),
]


@pytest.mark.parametrize(
    ("claim", "path", "low", "high", "key", "sign"),
    STAYING_POWER,
    ids=[f"{m[0]}-{m[1]}-{m[4]}" for m in STAYING_POWER],
)
@given(data=st.data())
def test_monotone_staying_power(
    claim: str, path: str, low: float, high: float, key: str, sign: int, data: st.DataObject
) -> None:
    scenario = data.draw(scenarios(counter=True if path.startswith("counter.") else None))
    assume(path != "instrument.essentiality" or scenario.instrument.is_supply)
    grid = np.linspace(low, high, 300)
    d = derive(Scenario.from_parameters({path: grid}, like=scenario))
    values = np.broadcast_to(np.asarray(d[key], dtype=float), grid.shape)
    finite_steps = np.diff(np.where(np.isinf(values), 1e300, values))
    assert np.all(sign * finite_steps >= -1e-9 * (1 + np.abs(values[:-1]))), claim


# (claim, path, low, high, direction of "the target concedes in full" as it rises, counter)
CONCESSION = [
    ("M1", "instrument.essentiality", 1.0, 200.0, +1, False),
    # (not d itself: it also scales the coercer's own cost, c_C = own_cost_share * d * flow)
    ("M2", "counter.essentiality", 1.0, 200.0, -1, True),
    ("M3", "instrument.stockpile_months", 0.0, 30.0, -1, False),
    ("M4", "instrument.months_to_substitute", 1.0, 120.0, +1, False),
    ("M5", "instrument.replaceable_share", 0.0, 1.0, -1, False),
    ("M6", "stakes.target_issue", 0.01, 60.0, -1, False),
    ("M6", "stakes.target_reputation", 0.0, 30.0, -1, False),
    ("M7", "stakes.coercer_audience", 0.0, 30.0, +1, False),
    ("M7", "stakes.coercer_punishment_gain", 0.0, 30.0, +1, False),
    ("M8", "stakes.institutional_cost", 0.0, 30.0, -1, False),
]


@pytest.mark.parametrize(
    ("claim", "path", "low", "high", "sign", "counter"),
    CONCESSION,
    ids=[f"{m[0]}-{m[1]}" for m in CONCESSION],
)
@given(data=st.data())
def test_monotone_concession(
    claim: str,
    path: str,
    low: float,
    high: float,
    sign: int,
    counter: bool | None,
    data: st.DataObject,
) -> None:
    # the claims assume no punishment motive (R_C+ = 0) except where it is the parameter
    punishment = path == "stakes.coercer_punishment_gain"
    scenario = data.draw(scenarios(counter=counter, punishment=punishment))
    assume(path != "instrument.essentiality" or scenario.instrument.is_supply)
    grid = np.linspace(low, high, 400)
    res = _episode(scenario, **{path: grid})
    concedes = (res.outcome_names() == "concession").astype(int)
    clean = res.status == 0
    steps = np.diff(concedes)[clean[:-1] & clean[1:]]
    assert np.all(sign * steps >= 0), f"{claim}: full concession moves the wrong way"


def test_counter_threat_non_monotonicity() -> None:
    """A longer time to substitute can leave the target better off (not M4).

    Without substitutes the target would have to concede in full if it merely
    resisted, which makes retaliating its best reply to an imposition: the
    counter-threat becomes credible and the coercer backs down.
    """
    inst = Instrument(
        "export_control",
        "good",
        dependency_share=1.0,
        monthly_flow_usd_bn=0.25,
        months_to_substitute=1.0,
        own_cost_share=0.25,
    )
    counter = Instrument(
        "export_control",
        "good",
        dependency_share=1.0,
        monthly_flow_usd_bn=1.0,
        months_to_substitute=2.0,
        essentiality=3.0,
        own_cost_share=1.0,
    )
    scenario = Scenario(
        Actor("C", 1000.0),
        Actor("T", 1000.0),
        inst,
        Stakes(coercer_issue=3.0, target_issue=3.0),
        counter=counter,
    )
    res = _episode(scenario, **{"instrument.months_to_substitute": np.array([23.0, 30.0])})
    assert res.outcome_names().tolist() == ["partial_concession", "counter_threat_success"]
    assert res.payoffs[1, 1] > res.payoffs[1, 0]


def test_punishment_motive_makes_resistance_welcome() -> None:
    """With a punishment gain above the stake, a more resolute target can help the coercer.

    Not M6: resistance gives the coercer the chance to punish, which it values
    more than the concession itself (Drezner's symbolic sanctions).
    """
    inst = Instrument(
        "export_control",
        "good",
        dependency_share=1.0,
        monthly_flow_usd_bn=0.5,
        months_to_substitute=2.0,
        own_cost_share=0.0625,
    )
    scenario = Scenario(
        Actor("C", 1000.0),
        Actor("T", 1000.0),
        inst,
        Stakes(coercer_issue=1.0, target_issue=1.0, coercer_punishment_gain=2.0),
    )
    res = _episode(scenario, **{"stakes.target_issue": np.linspace(0.01, 60.0, 400)})
    clean = res.status == 0
    steps = np.diff(res.payoffs[0])[clean[:-1] & clean[1:]]
    assert steps.max() > 0
