"""Analyse a case: derived costs, the equilibrium path, predicted vs observed, thresholds."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coercion.analysis.evaluate import evaluate
from coercion.analysis.thresholds import Threshold, search_limits, thresholds
from coercion.cases.loader import Case, ParameterValue, load
from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import GameTree
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES, derive

__all__ = ["Analysis", "analyze"]

_PRETTY = {
    "status_quo": "no coercion (status quo)",
    "concession": "the target concedes",
    "partial_concession": "a truce with a partial concession",
    "coercer_backs_down": "the coercer backs down",
    "counter_threat_success": "the target's counter-threat makes the coercer back down",
    "standoff": "a standoff (sanctions without settlement)",
    "escalation": "escalation (sanctions and counter-measures without settlement)",
}

_NAMES = {
    "instrument.dependency_share": "{target}'s dependency share on {coercer}",
    "instrument.monthly_flow_usd_bn": "the monthly flow cut (US$ bn)",
    "instrument.months_to_substitute": "{target}'s months to substitute",
    "instrument.stockpile_months": "{target}'s stockpile (months)",
    "instrument.replaceable_share": "the share {target} can replace at once",
    "instrument.essentiality": "the essentiality multiplier",
    "instrument.tariff_rate": "the tariff rate",
    "instrument.import_demand_elasticity": "{coercer}'s import-demand elasticity",
    "instrument.value_added_share": "the income share of {target}'s lost exports",
    "instrument.own_cost_share": "{coercer}'s own-cost share of the cut flow (non-tariff part)",
    "counter.monthly_flow_usd_bn": "the monthly flow {target}'s counter-measure cuts (US$ bn)",
    "counter.essentiality": "the essentiality of what {target}'s counter-measure cuts",
    "counter.replaceable_share": "the share {coercer} can replace at once",
    "counter.own_cost_share": "{target}'s own-cost share of its counter-measure",
    "counter.tariff_rate": "{target}'s counter-tariff rate",
    "counter.dependency_share": "{coercer}'s dependency share on {target}",
    "counter.months_to_substitute": "{coercer}'s months to substitute",
    "counter.stockpile_months": "{coercer}'s stockpile (months)",
    "stakes.target_issue": "what conceding costs {target} (US$ bn)",
    "stakes.coercer_issue": "what the demand is worth to {coercer} (US$ bn)",
    "stakes.coercer_audience": "{coercer}'s audience cost of backing down (US$ bn)",
    "stakes.target_audience": "{target}'s audience cost of folding (US$ bn)",
    "stakes.target_reputation": "{target}'s reputational cost of conceding (US$ bn)",
    "stakes.coercer_punishment_gain": "{coercer}'s gain from punishing (US$ bn)",
    "stakes.institutional_cost": "{coercer}'s institutional (WTO) cost (US$ bn)",
    "stakes.third_party_support": "third-party support for {target} (US$ bn)",
    "coercer_economy.gdp_usd_bn": "{coercer}'s GDP (US$ bn)",
    "target_economy.gdp_usd_bn": "{target}'s GDP (US$ bn)",
}


@dataclass(frozen=True, eq=False)
class Analysis:
    """The analysis of one case.

    Attributes
    ----------
    case : Case
    outcome : str
        Predicted outcome of the episode (the subgame after the threat).
    ex_ante_outcome : str
        Outcome of the whole game: ``status_quo`` where a fully informed
        coercer would not have made the demand.
    observed : str or None
    path : tuple of str
        The episode's equilibrium path, as move labels (``"threaten"``,
        ``"concede"``, ...; a resolution of an imposition appears as
        ``"truce_full"``, ``"truce_partial"``, ``"truce_none"`` or ``"impasse"``).
    movers : tuple of str
        Who moved at each step of *path* (``"coercer"``, ``"target"`` or ``"resolution"``).
    payoffs : dict
        Equilibrium payoffs of the episode, ``{"coercer": x, "target": y}`` (US$ bn).
    derived : dict
        Derived quantities (loss rates, staying powers, truce shares; see
        :func:`coercion.model.game.derive`).
    parameters : mapping
        Every parameter with its value (US$ bn for stakes) and provenance.
    thresholds : tuple of Threshold
    search_limits : tuple of str
        One line per parameter whose flip search a joint constraint of the model stops
        before the parameter's own bound (such as ``V_C + A_C > 0`` while ``A_C`` is 0:
        ``stakes.coercer_issue`` is then searched above 0 only);
        see :func:`coercion.analysis.thresholds.search_limits`.
    ties : bool
        Some mover is indifferent somewhere in the episode in a way that changes a payoff
        or the outcome (the prediction is then not unique).
    model : str
        ``"complete"`` (the subgame-perfect prediction) or ``"bayesian"``
        (:mod:`coercion.model.bayesian`).
    probabilities : dict or None
        Outcome probabilities of the Bayesian model (None for the complete model).
    tree : GameTree or None
        The coercion game at this point, with numeric payoffs: draw it with
        ``plot_tree(a.tree, path=a.path)`` (:func:`coercion.analysis.plot.plot_tree`).
    """

    case: Case
    outcome: str
    ex_ante_outcome: str
    observed: str | None
    path: tuple[str, ...]
    movers: tuple[str, ...]
    payoffs: dict[str, float]
    derived: dict[str, Any]
    parameters: Mapping[str, ParameterValue]
    numeric: dict[str, float]
    thresholds: tuple[Threshold, ...] = field(default=())
    search_limits: tuple[str, ...] = field(default=())
    ties: bool = False
    model: str = "complete"
    probabilities: dict[str, float] | None = None
    tree: GameTree | None = field(default=None, repr=False)

    @property
    def outcome_probabilities(self) -> dict[str, float]:
        """``{label: probability}`` over every outcome, summing to 1.

        The complete-information model puts probability 1 on the predicted outcome.
        """
        if self.probabilities is not None:
            return dict(self.probabilities)
        return {label: float(label == self.outcome) for label in OUTCOMES}

    @property
    def matches(self) -> bool | None:
        """Whether the prediction equals the observed outcome (None if not observed)."""
        return None if self.observed is None else self.observed == self.outcome

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "case": self.case.id,
            "title": self.case.title,
            "outcome": self.outcome,
            "ex_ante_outcome": self.ex_ante_outcome,
            "coercer_threatens": self.ex_ante_outcome != "status_quo",
            "observed": self.observed,
            "matches": self.matches,
            "path": list(self.path),
            "movers": list(self.movers),
            "payoffs": self.payoffs,
            "ties": self.ties,
            "derived": {k: _json_number(v) for k, v in self.derived.items()},
            "parameters": {
                k: {
                    "value": self.numeric[k],
                    "level": pv.level,
                    "provenance": pv.provenance,
                    "source": pv.source,
                    "unit": "US$ bn" if pv.unit == "level" else pv.unit,
                }
                for k, pv in sorted(self.parameters.items())
            },
            "thresholds": [t.to_dict() for t in self.thresholds],
            "search_limits": list(self.search_limits),
            "model": self.model,
            "outcome_probabilities": self.outcome_probabilities,
        }

    def report(self, nearest: int = 6) -> str:
        """A readable account of the analysis."""
        c = self.case
        d = self.derived
        fmt = _fmt
        rows = [
            (f"{c.target}'s loss at full cut-off", f"US$ {fmt(d['L_T'])} bn a month"),
            (f"{c.target}'s worst-case cost", f"US$ {fmt(d['K_T_max'])} bn"),
            (f"{c.coercer}'s own cost", f"US$ {fmt(d['c_C'])} bn a month"),
            (f"staying power, {c.target}", f"{fmt(d['H_T_0'])} months"),
            (f"staying power, {c.coercer}", f"{fmt(d['H_C_0'])} months"),
        ]
        if "H_C_1" in d:
            rows += [
                (f"  with the counter-measure, {c.coercer}", f"{fmt(d['H_C_1'])} months"),
                (f"  with the counter-measure, {c.target}", f"{fmt(d['H_T_1'])} months"),
            ]
        width = max(len(r[0]) for r in rows) + 2
        lines = [
            f"{c.title} ({c.year})",
            f"{c.coercer} -> {c.target}: {c.demand}",
            "",
            "Derived costs",
            *(f"  {label + ':':<{width}} {value}" for label, value in rows),
        ]
        lines += [
            "",
            "Equilibrium path (subgame-perfect, after the demand)",
            "  " + " -> ".join(f"{m}: {a}" for m, a in zip(self.movers, self.path, strict=True)),
            f"  predicted: {self.outcome} ({_PRETTY[self.outcome]})",
            f"  observed:  {self.observed or 'open episode'}"
            + ("" if self.matches is None else ("  [match]" if self.matches else "  [MISS]")),
        ]
        if self.ties:
            lines.append(
                "  note: a mover is indifferent at some node; other subgame-perfect plans "
                "give some player another payoff or end in another outcome"
            )
        if self.ex_ante_outcome == "status_quo":
            lines.append(f"  A fully informed {c.coercer} would not have made the demand.")
        lines += ["", f"Outcome probabilities ({self.model} model)"]
        lines += ["  " + row for row in _bars(self.outcome_probabilities)]
        lines += [
            "",
            "Nearest flips"
            + (" (of the complete-information prediction)" if self.model != "complete" else ""),
        ]
        by_distance = sorted(
            self.thresholds, key=lambda t: abs(t.value - t.current) / (abs(t.current) or 1.0)
        )
        if not by_distance:
            lines.append("  none: no single parameter flips the outcome within its valid range")
        for t in by_distance[:nearest]:
            lines.append("  " + self.sentence(t))
        for note in self.search_limits:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def sentence(self, t: Threshold) -> str:
        """A threshold in plain words."""
        c = self.case
        name = _NAMES.get(t.parameter, t.parameter).format(target=c.target, coercer=c.coercer)
        if t.current < t.value:
            change, new = "rises above", t.above
        else:
            change, new = "falls below", t.below
        return (
            f"{_PRETTY[new][0].upper() + _PRETTY[new][1:]} once {name} {change} "
            f"{_fmt(t.value)} (now {_fmt(t.current)})."
        )


def _bars(probs: Mapping[str, float], width: int = 10) -> list[str]:
    """A text bar chart: ``concession          ███████░░░  0.68``."""
    pad = max(len(k) for k in probs)
    out = []
    for label, p in probs.items():
        full = round(p * width)
        out.append(f"{label:<{pad}}  {'█' * full}{'░' * (width - full)}  {p:.2f}")
    return out


def _fmt(x: Any) -> str:
    x = float(x)
    if math.isinf(x):
        return "unbounded"
    return f"{x:.4g}"


def _json_number(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def analyze(
    case: Case | str,
    overrides: Mapping[str, Any] | None = None,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    with_thresholds: bool = True,
    threshold_parameters: Sequence[str] | None = None,
    symbolic: bool = False,
    model: str = "complete",
) -> Analysis:
    """Solve a case's coercion game and explain the result.

    Parameters
    ----------
    case : Case or str
        A case, a bundled case id or a case-file path.
    overrides : mapping, optional
        ``{path: value}`` as ``--set`` gives them (numbers, or levels for stakes).
    calibration : Calibration
    with_thresholds : bool
        Compute the parameter values at which the outcome flips.
    threshold_parameters : sequence of str, optional
        Restrict the threshold search to these paths.
    symbolic : bool
        Solve each flip exactly with sympy as well.
    model : {"complete", "bayesian"}
        ``"bayesian"`` adds the outcome probabilities of the perfect Bayesian equilibrium
        (:func:`coercion.model.bayesian.bayesian_outcomes`, default calibration).

    Examples
    --------
    >>> a = analyze("japan-china-2010", with_thresholds=False)
    >>> a.outcome, a.observed, a.path
    ('concession', 'concession', ('threaten', 'concede'))
    >>> a.tree.actions_at(0), a.tree.grid_shape
    (('threaten', 'no_threat'), ())
    """
    base = load(case) if isinstance(case, str) else case
    moved = base.with_values(overrides or {})
    batch = evaluate(moved, calibration=calibration)
    tree = batch.tree
    path: list[str] = ["threaten"]
    movers: list[str] = ["coercer"]
    for mover, action in batch.path_at(()):
        path.append(action)
        movers.append("resolution" if mover == "chance" else mover)
    derived = derive(moved.scenario(calibration), calibration)
    ts: tuple[Threshold, ...] = ()
    limits: tuple[str, ...] = ()
    if with_thresholds:
        ts = tuple(
            thresholds(moved, threshold_parameters, calibration=calibration, symbolic=symbolic)
        )
        limits = tuple(search_limits(moved, threshold_parameters, calibration=calibration))
    probabilities = None
    if model == "bayesian":
        from coercion.model.bayesian import bayesian_outcomes

        probabilities = bayesian_outcomes(moved, calibration=calibration).outcome_probabilities
    elif model != "complete":
        raise InvalidParameterError(
            f"analyze: model must be 'complete' or 'bayesian'; got {model!r}"
        )
    return Analysis(
        case=moved,
        outcome=OUTCOMES[int(batch.outcome)],
        ex_ante_outcome=OUTCOMES[int(batch.ex_ante)],
        observed=moved.observed,
        path=tuple(path),
        movers=tuple(movers),
        payoffs={p: float(u) for p, u in zip(tree.players, batch.episode_payoffs, strict=True)},
        derived=derived,
        parameters=moved.values,
        numeric={k: float(moved.numeric_value(k, calibration)) for k in moved.values},
        thresholds=ts,
        search_limits=limits,
        ties=bool(batch.ties),
        model=model,
        probabilities=probabilities,
        tree=tree,
    )
