"""From economic primitives to the coercion game tree.

The game (research notes §2.3, adapted; ``docs/model.md`` draws it)::

    Coercer: no_threat ............................................ status_quo
             threaten → Target: concede ........................... concession
                                resist → Coercer: back_down ........ coercer_backs_down
                                                  impose → R(0)
                                counter_threaten → Coercer: back_down  counter_threat_success
                                                            impose → Target: retaliate → R(1)
                                                                             fold → R(0) − A_T

``R(χ)`` is the resolution once sanctions are imposed (χ = 1: the target's
counter-measure is in force).  The impasse is a war of attrition decided by
staying power (§2.2–2.4); the parties settle on the generalised Nash
bargaining truce ``x*`` with the impasse as disagreement point whenever the
bargaining set is non-empty.  Which terminal is reached is a deterministic
function of the parameters, drawn as a chance node whose probabilities are
0/1 indicators:

* ``x* = 1``: ``concession``; ``0 < x* < 1``: ``partial_concession``;
* ``x* = 0``: ``coercer_backs_down`` (χ = 0) or ``counter_threat_success`` (χ = 1);
* no bargaining set: the impasse itself, ``standoff`` (χ = 0) or ``escalation`` (χ = 1).

Every payoff is computed by :mod:`coercion.model.formulas` with the backend
matching the parameters (float, numpy grid or sympy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from coercion._backend import Ops, ops_for
from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.model import formulas as fm
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.primitives import Instrument, Scenario

__all__ = ["OUTCOMES", "PLAYERS", "coercion_game", "derive", "episode_root"]

#: the outcome labels, in the order used for outcome codes
OUTCOMES = (
    "status_quo",
    "concession",
    "partial_concession",
    "coercer_backs_down",
    "counter_threat_success",
    "standoff",
    "escalation",
)
PLAYERS = ("coercer", "target")


def _loss_rate(ops: Ops, inst: Instrument) -> Any:
    if inst.kind == "import_ban":
        return fm.loss_rate_supply(ops, inst.dependency_share, inst.monthly_flow_usd_bn, 1.0) * (
            inst.value_added_share
        )
    if inst.is_supply:
        return fm.loss_rate_supply(
            ops, inst.dependency_share, inst.monthly_flow_usd_bn, inst.essentiality
        )
    return fm.loss_rate_market(
        ops,
        inst.dependency_share,
        inst.monthly_flow_usd_bn,
        inst.tariff_rate,
        inst.import_demand_elasticity,
        inst.value_added_share,
    )


def _own_cost(ops: Ops, inst: Instrument) -> Any:
    """The user's own monthly cost of the instrument (US$ bn/month).

    ``own_cost_share · d · flow`` (the cost that is not a tariff's: forgone
    exports, lost margins, diversion) plus, for a ``tariff``, its buyers'
    consumer-surplus loss on the taxed imports ``d · flow``, which rises with
    the rate (:func:`~coercion.model.formulas.tariff_consumer_loss`).
    """
    flow = inst.dependency_share * inst.monthly_flow_usd_bn
    cost = inst.own_cost_share * flow
    if inst.kind == "tariff":
        cost = cost + fm.tariff_consumer_loss(
            ops, flow, inst.tariff_rate, inst.import_demand_elasticity
        )
    return cost


def _values(scenario: Scenario) -> list[Any]:
    return list(scenario.parameters().values())


def derive(
    scenario: Scenario, calibration: Calibration = DEFAULT_CALIBRATION, ops: Ops | None = None
) -> dict[str, Any]:
    """Every derived quantity of the model, by name (see ``docs/model.md``).

    Keys: ``L_T`` (target's monthly loss, US$ bn), ``K_T_max``, ``c_C``
    (coercer's own monthly cost), ``L_C`` and ``c_T_counter`` (with a
    counter-instrument), ``B_T`` and ``B_C`` (bearable costs), ``H_T_0``,
    ``H_T_1``, ``H_C_0``, ``H_C_1`` (staying powers without/with the counter,
    months), and per resolution ``r`` in ``("0", "1")``: ``x_r`` (truce
    share), ``feasible_r``, the attrition payoffs ``impasse_C_r``,
    ``impasse_T_r`` and the truce payoffs ``truce_C_r``, ``truce_T_r``; for a
    divisible demand also ``x_threat`` (the threat-stage partial concession share).
    """
    ops = ops or ops_for(*_values(scenario))
    if ops.name == "sympy" or ops.name == "sympy-local":
        return _derive(scenario, calibration, ops)
    # floats overflow to inf (numpy: with a warning) where the money involved exceeds
    # ~1.8e308; the check below turns that into one message instead of a non-finite game
    with np.errstate(over="ignore", invalid="ignore"):
        out = _derive(scenario, calibration, ops)
    _check_finite(scenario, out)
    return out


#: derived quantities in US$ bn, which must be finite for the game to have payoffs
_MONEY = {
    "L_T": "the target's monthly loss",
    "c_C": "the coercer's own monthly cost",
    "K_T_max": "the target's worst-case cost",
    "L_C": "the coercer's monthly loss under the counter-measure",
    "c_T_counter": "the target's own monthly cost of its counter-measure",
    "B_T": "the target's bearable cost",
    "B_C": "the coercer's bearable cost",
    "impasse_C_0": "the coercer's impasse payoff",
    "impasse_T_0": "the target's impasse payoff",
    "truce_C_0": "the coercer's truce payoff",
    "truce_T_0": "the target's truce payoff",
    "impasse_C_1": "the coercer's impasse payoff under the counter-measure",
    "impasse_T_1": "the target's impasse payoff under the counter-measure",
    "truce_C_1": "the coercer's truce payoff under the counter-measure",
    "truce_T_1": "the target's truce payoff under the counter-measure",
    "signal_cost_T": "the target's cost of signalling its counter-measure",
}


def _check_finite(scenario: Scenario, out: Mapping[str, Any]) -> None:
    """Raise one clear error when a derived amount of money overflows float64."""
    for key, what in _MONEY.items():
        if key not in out:
            continue
        value = np.asarray(out[key], dtype=np.float64)
        if np.all(np.isfinite(value)):
            continue
        big = []
        for path, v in scenario.parameters().items():
            arr = np.abs(np.asarray(v, dtype=np.float64))
            if arr.size and float(np.max(arr)) >= 1e100:
                big.append(f"{path}={float(np.max(arr)):g}")
        culprits = ", ".join(big) if big else "the parameters' values"
        raise InvalidParameterError(
            f"the model overflows floating point: {key} ({what}, US$ bn) is not finite "
            f"with {culprits}; amounts this large exceed float64 (about 1.8e308) once "
            "multiplied out, so use values (or units) a few orders of magnitude smaller"
        )


def _derive(scenario: Scenario, calibration: Calibration, ops: Ops) -> dict[str, Any]:
    st = scenario.stakes
    inst = scenario.instrument
    cal = calibration
    out: dict[str, Any] = {}

    L_T = _loss_rate(ops, inst)
    a_T = 1 - inst.replaceable_share
    tau_T, s_T = inst.months_to_substitute, inst.stockpile_months
    c_C = _own_cost(ops, inst)
    out.update(L_T=L_T, c_C=c_C, K_T_max=fm.max_standoff_cost(ops, L_T, a_T, tau_T, s_T))

    counter = scenario.counter
    if counter is not None:
        L_C = _loss_rate(ops, counter)
        a_C = 1 - counter.replaceable_share
        tau_C, s_C = counter.months_to_substitute, counter.stockpile_months
        c_Tc = _own_cost(ops, counter)
    else:
        L_C, a_C, tau_C, s_C, c_Tc = 0, 0, 1, 0, 0
    out.update(L_C=L_C, c_T_counter=c_Tc)

    # coercer: full compliance vs backing down.  The punishment gain R_C+ is earned only
    # if the coercer does not lift its sanctions first (it is lost by backing down).
    p = st.coercer_issue + st.coercer_audience + st.coercer_punishment_gain
    q = st.target_issue + st.target_reputation  # target: cost of full compliance
    B_T = q + st.third_party_support
    B_C = (
        st.coercer_issue
        + st.coercer_audience
        + st.coercer_punishment_gain
        - (st.institutional_cost)
    )
    out.update(B_T=B_T, B_C=B_C)

    def cost_T(chi: int, H: Any) -> Any:
        return fm.total_cost(ops, chi * c_Tc, L_T, a_T, tau_T, s_T, H)

    def cost_C(chi: int, H: Any) -> Any:
        return fm.total_cost(ops, c_C, chi * L_C, a_C, tau_C, s_C, H)

    chis = (0, 1) if counter is not None else (0,)
    for chi in chis:
        # after a public counter-threat, giving in also costs the target its audience cost
        q_chi = q + chi * st.target_audience
        B_T_chi = B_T + chi * st.target_audience
        H_T = fm.staying_power(ops, B_T_chi, chi * c_Tc, L_T, a_T, tau_T, s_T)
        H_C = fm.staying_power(ops, B_C, c_C, chi * L_C, a_C, tau_C, s_C)
        t_quits, c_quits, H = fm.attrition(ops, H_T, H_C, cal.horizon_months, cal.bite_months)
        base_C = -st.institutional_cost
        R = st.coercer_punishment_gain
        impasse_C = (
            base_C
            - cost_C(chi, H)
            + ops.where(t_quits, st.coercer_issue + R, ops.where(c_quits, -st.coercer_audience, R))
        )
        impasse_T = -cost_T(chi, H) + ops.where(t_quits, -q_chi, 0)
        alpha_C = base_C - st.coercer_audience - cost_C(chi, cal.bite_months)
        alpha_T = -cost_T(chi, cal.bite_months)
        x, feasible, lo, hi = fm.nash_bargaining(
            ops, cal.bargaining_weight, p, q_chi, alpha_C, alpha_T, impasse_C, impasse_T
        )
        r = str(chi)
        out.update(
            {
                f"bargain_lo_{r}": lo,
                f"bargain_hi_{r}": hi,
                f"H_T_{r}": H_T,
                f"H_C_{r}": H_C,
                f"target_quits_{r}": t_quits,
                f"coercer_quits_{r}": c_quits,
                f"impasse_months_{r}": H,
                f"impasse_C_{r}": impasse_C,
                f"impasse_T_{r}": impasse_T,
                f"x_{r}": x,
                f"feasible_{r}": feasible,
                f"truce_C_{r}": alpha_C + x * p,
                f"truce_T_{r}": alpha_T - x * q_chi,
            }
        )
    out["signal_cost_T"] = cal.counter_signal_months * c_Tc
    if scenario.demand_divisible:
        # threat-stage partial concession: the least share x̂ of the demand that leaves the
        # coercer no better off rejecting it and playing on after a refusal (backing down, or
        # imposing and reaching R(0)); the coercer's payoff of a share x is -A_C + x (V_C + A_C)
        # (x = 1: the full concession, x = 0: backing down)
        impose_C = ops.where(out["feasible_0"], out["truce_C_0"], out["impasse_C_0"])
        refuse_C = ops.maximum(-st.coercer_audience, impose_C)
        share = (refuse_C + st.coercer_audience) / (st.coercer_issue + st.coercer_audience)
        out["x_threat"] = ops.minimum(ops.maximum(share, 0 * share), 0 * share + 1)
    return out


def _indicator(ops: Ops, cond: Any) -> Any:
    return ops.where(cond, 1.0, 0.0)


def _resolution(ops: Ops, d: Mapping[str, Any], chi: int, target_penalty: Any) -> Chance:
    r = str(chi)
    x, feasible = d[f"x_{r}"], d[f"feasible_{r}"]
    tC, tT = d[f"truce_C_{r}"], d[f"truce_T_{r}"] - target_penalty
    iC, iT = d[f"impasse_C_{r}"], d[f"impasse_T_{r}"] - target_penalty
    p_full = _indicator(ops, ops.logical_and(feasible, ops.le(1, x)))
    p_none = _indicator(ops, ops.logical_and(feasible, ops.le(x, 0)))
    p_partial = _indicator(
        ops, ops.logical_and(feasible, ops.logical_and(ops.lt(0, x), ops.lt(x, 1)))
    )
    p_fail = ops.where(feasible, 0.0, 1.0)  # = 1 − p_full − p_partial − p_none
    backs = "counter_threat_success" if chi == 1 else "coercer_backs_down"
    impasse = "escalation" if chi == 1 else "standoff"
    return Chance(
        {
            "truce_full": (p_full, Terminal("concession", (tC, tT))),
            "truce_partial": (p_partial, Terminal("partial_concession", (tC, tT))),
            "truce_none": (p_none, Terminal(backs, (tC, tT))),
            "impasse": (p_fail, Terminal(impasse, (iC, iT))),
        },
        name=f"resolution (counter-measure {'in force' if chi else 'not in force'})",
    )


def _threat_offer(ops: Ops, d: Mapping[str, Any], st: Any, q: Any) -> Chance:
    """The target gives the share ``x̂`` at once (``derive``'s ``x_threat``); the coercer's
    acceptance is its best response at ``x̂`` and is not drawn as a move."""
    x = d["x_threat"]
    payoffs = (-st.coercer_audience + x * (st.coercer_issue + st.coercer_audience), -x * q)
    p_none = _indicator(ops, ops.le(x, 0))
    p_full = _indicator(ops, ops.le(1, x))
    p_part = _indicator(ops, ops.logical_and(ops.lt(0, x), ops.lt(x, 1)))
    return Chance(
        {
            "nothing_needed": (p_none, Terminal("coercer_backs_down", payoffs)),
            "part": (p_part, Terminal("partial_concession", payoffs)),
            "all": (p_full, Terminal("concession", payoffs)),
        },
        name="threat-stage offer",
    )


def coercion_game(
    scenario: Scenario, calibration: Calibration = DEFAULT_CALIBRATION, ops: Ops | None = None
) -> GameTree:
    """The coercion game of *scenario* as a :class:`~coercion.games.GameTree`.

    Payoffs are floats, numpy arrays (when some primitive is an array) or
    sympy expressions (when some primitive is symbolic), from one derivation.

    Examples
    --------
    >>> from coercion.model.primitives import Actor, Instrument, Stakes
    >>> from coercion.solvers import backward_induction
    >>> s = Scenario(
    ...     coercer=Actor("China", 6087.0), target=Actor("Japan", 5759.0),
    ...     instrument=Instrument("export_control", "rare earths", dependency_share=0.92,
    ...                           monthly_flow_usd_bn=0.05, months_to_substitute=48.0,
    ...                           essentiality=80.0, replaceable_share=0.05),
    ...     stakes=Stakes(coercer_issue=1.2, target_issue=0.6, coercer_audience=0.3))
    >>> game = coercion_game(s)
    >>> game.outcome_labels[:3]
    ('concession', 'coercer_backs_down', 'partial_concession')
    >>> backward_induction(game).payoffs        # the target concedes at the threat
    ((1.2, -0.6),)
    """
    ops = ops or ops_for(*_values(scenario))
    d = derive(scenario, calibration, ops)
    st = scenario.stakes
    V_C = st.coercer_issue
    q = st.target_issue + st.target_reputation
    zero = 0 * V_C
    target_moves: dict[str, Any] = {
        "concede": Terminal("concession", (V_C, -q)),
        "resist": Decision(
            "coercer",
            {
                "back_down": Terminal("coercer_backs_down", (-st.coercer_audience, zero)),
                "impose": _resolution(ops, d, 0, zero),
            },
        ),
    }
    if scenario.demand_divisible:
        target_moves["concede_part"] = _threat_offer(ops, d, st, q)
    if scenario.counter is not None:
        signal = d["signal_cost_T"]
        target_moves["counter_threaten"] = Decision(
            "coercer",
            {
                "back_down": Terminal("counter_threat_success", (-st.coercer_audience, -signal)),
                "impose": Decision(
                    "target",
                    {
                        "retaliate": _resolution(ops, d, 1, signal),
                        "fold": _resolution(ops, d, 0, signal + st.target_audience),
                    },
                ),
            },
        )
    root = Decision(
        "coercer",
        {
            "threaten": Decision("target", target_moves),
            "no_threat": Terminal("status_quo", (zero, zero)),
        },
    )
    return GameTree(PLAYERS, root, title=scenario.title or "coercion game")


def episode_root(tree: GameTree) -> int:
    """Index of the node after the coercer's threat: the episode a case records.

    Case files record episodes in which the demand was made, so the model's
    prediction for a case is the subgame-perfect play of this subgame; the
    root decision (threaten or not) says whether a fully informed coercer
    would have made the demand at all.
    """
    root = tree.nodes[0]
    assert isinstance(root, Decision)
    return tree.children[0][list(root.moves).index("threaten")]
