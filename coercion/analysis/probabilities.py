"""Outcome probabilities of a case: judgement uncertainty and agent errors on the full game.

Two sources of noise make every reachable outcome possible (``docs/model.md``, "Outcome
probabilities"):

* **A level is a distribution, not a point.**  Each stakes judgement coded as an ordinal level
  stands for a log-normal value, median at the calibration's ladder value and standard
  deviation ``judgement_sd`` of its logarithm; the draws are a scrambled Sobol sequence (one
  dimension per stakes field, the same draws for every calibration, so the probabilities move
  smoothly with it).  Sourced numbers in US$ bn are not perturbed.
* **Agent errors.**  In each draw every decision of the coercion game is a logit quantal
  response with precision ``λ`` on payoffs measured in units of the mover's own stakes (the
  coercer: issue + audience cost; the target: issue + reputation), solved by
  :func:`coercion.solvers.agent_qre_grid.agent_qre_grid` (McKelvey & Palfrey 1998; the logit
  analogue of Signorino 1999's strategic probit).

The outcome probabilities are the average over the draws.  With ``judgement_sd = 0`` and
``precision = inf`` they are the complete-information subgame-perfect answer.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special
from scipy.stats import qmc

from coercion.analysis.evaluate import evaluate
from coercion.cases.loader import Case, load
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, LEVELS, Calibration
from coercion.model.game import OUTCOMES
from coercion.model.primitives import STAKE_FIELDS
from coercion.solvers.agent_qre_grid import agent_qre_grid

__all__ = [
    "MAX_DRAWS",
    "Noise",
    "OutcomeProbabilities",
    "fragility",
    "outcome_probabilities",
]

#: the most draws one call evaluates (memory: about 2 kB per draw)
MAX_DRAWS = 1 << 16
_FIELDS = tuple(STAKE_FIELDS)
_COERCER_SCALE = ("coercer_issue", "coercer_audience")
_TARGET_SCALE = ("target_issue", "target_reputation")


@dataclass(frozen=True)
class Noise:
    """How uncertain a case's judgements and its players' choices are.

    Attributes
    ----------
    judgement_sd : float
        Standard deviation of ``ln(value)`` of a stakes level (one ladder step is a factor
        of about 5: ``ln 5 ≈ 1.6``).
    precision : float
        Logit precision ``λ`` of every decision, payoffs in units of the mover's stakes;
        ``inf`` for best responses.
    draws : int
        Sobol draws of the judgements (a power of two).
    seed : int
        Seed of the Sobol scrambling.
    """

    judgement_sd: float = 1.0
    precision: float = 4.0
    draws: int = 1024
    seed: int = 0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.judgement_sd) and self.judgement_sd >= 0):
            raise InvalidParameterError(
                f"Noise.judgement_sd must be finite and >= 0; got {self.judgement_sd}")
        if math.isnan(self.precision) or self.precision < 0:
            raise InvalidParameterError(
                f"Noise.precision must be >= 0 (inf allowed); got {self.precision}")
        d = self.draws
        if isinstance(d, bool) or not isinstance(d, int) or d < 1 or d & (d - 1):
            raise InvalidParameterError(
                f"Noise.draws must be a power of two >= 1; got {self.draws!r}")
        if d > MAX_DRAWS:
            raise InvalidParameterError(
                f"Noise.draws must be at most {MAX_DRAWS}; got {self.draws}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InvalidParameterError(f"Noise.seed must be an integer >= 0; got {self.seed!r}")


COMPLETE = Noise(judgement_sd=0.0, precision=math.inf, draws=1)
"""No noise: the complete-information subgame-perfect answer."""


@dataclass(frozen=True)
class OutcomeProbabilities:
    """Probability of each outcome of one episode.

    Attributes
    ----------
    case_id : str
    probabilities : dict
        Outcome label -> probability (the labels of :data:`coercion.model.game.OUTCOMES`).
    mc_std_errors : dict
        Outcome label -> Monte Carlo standard error of that probability over the draws.
    most_probable : str
    observed : str or None
    noise : Noise
    calibration : Calibration
    """

    case_id: str
    probabilities: Mapping[str, float]
    mc_std_errors: Mapping[str, float]
    most_probable: str
    observed: str | None
    noise: Noise
    calibration: Calibration = field(repr=False)

    def probability(self, label: str) -> float:
        """Probability of one outcome label."""
        if label not in self.probabilities:
            raise InvalidParameterError(f"outcome must be one of {list(OUTCOMES)}; got {label!r}")
        return self.probabilities[label]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "case": self.case_id,
            "probabilities": dict(self.probabilities),
            "mc_std_errors": dict(self.mc_std_errors),
            "most_probable": self.most_probable,
            "observed": self.observed,
            "noise": {
                "judgement_sd": self.noise.judgement_sd,
                "precision": self.noise.precision if math.isfinite(self.noise.precision)
                else "inf",
                "draws": self.noise.draws,
                "seed": self.noise.seed,
            },
        }

    def report(self) -> str:
        """The outcomes by probability, most probable first."""
        lines = [f"{self.case_id}: outcome probabilities"]
        for lab in sorted(OUTCOMES, key=lambda k: -self.probabilities[k]):
            p = self.probabilities[lab]
            if p < 5e-4 and lab != self.observed:
                continue
            mark = "  <- observed" if lab == self.observed else ""
            lines.append(f"  {lab:<24} {p:6.3f}{mark}")
        return "\n".join(lines)


@functools.lru_cache(maxsize=8)
def _sobol_normals(draws: int, seed: int) -> npt.NDArray[np.float64]:
    """Standard normal draws ``(n_fields, draws)`` from a scrambled Sobol sequence (read-only,
    cached: a calibration evaluates the same draws for every case and parameter value)."""
    if draws == 1:
        z = np.zeros((len(_FIELDS), 1))
    else:
        sob = qmc.Sobol(len(_FIELDS), scramble=True, seed=seed)
        u = sob.random_base2(int(math.log2(draws)))
        z = np.asarray(special.ndtri(np.clip(u, 1e-12, 1 - 1e-12)).T, dtype=np.float64)
    z.setflags(write=False)
    return z


def _as_case(case: Case | str | Path) -> Case:
    return case if isinstance(case, Case) else load(case)


def _perturbed_stakes(case: Case, calibration: Calibration, noise: Noise
                      ) -> dict[str, npt.NDArray[np.float64]]:
    z = _sobol_normals(noise.draws, noise.seed)
    out = {}
    for j, name in enumerate(_FIELDS):
        key = f"stakes.{name}"
        base = float(case.numeric_value(key, calibration))
        if case.values[key].level is not None and noise.judgement_sd > 0:
            out[key] = base * np.exp(noise.judgement_sd * z[j])
        else:
            out[key] = np.full(z.shape[1], base)
    return out


def _scale(stakes: Mapping[str, npt.NDArray[np.float64]], names: tuple[str, ...],
           gdp: float) -> npt.NDArray[np.float64]:
    s = sum(stakes[f"stakes.{n}"] for n in names)
    return np.maximum(np.asarray(s, dtype=np.float64), 1e-9 * gdp)


def _probability_draws(case: Case, calibration: Calibration, noise: Noise
                       ) -> npt.NDArray[np.float64]:
    """Outcome probabilities per draw, ``(len(OUTCOMES), draws)``."""
    stakes = _perturbed_stakes(case, calibration, noise)
    batch = evaluate(case, stakes, calibration=calibration)
    gdp_c = float(case.numeric_value("coercer_economy.gdp_usd_bn"))
    gdp_t = float(case.numeric_value("target_economy.gdp_usd_bn"))
    scale = np.stack([_scale(stakes, _COERCER_SCALE, gdp_c), _scale(stakes, _TARGET_SCALE, gdp_t)])
    q = agent_qre_grid(batch.tree, noise.precision, scale=scale, start=batch.start)
    by_label = q.outcome_probabilities()
    out = np.zeros((len(OUTCOMES), by_label.shape[-1]))
    for j, lab in enumerate(q.labels):
        out[OUTCOMES.index(lab)] += by_label[j]
    return out


def outcome_probabilities(
    case: Case | str | Path,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    noise: Noise = Noise(),
    values: Mapping[str, Any] | None = None,
) -> OutcomeProbabilities:
    """Probability of each outcome of the episode a case records.

    Parameters
    ----------
    case : Case, bundled case id or case-file path
    calibration : Calibration
    noise : Noise
        Judgement uncertainty, agent-error precision and draws (``COMPLETE`` for none).
    values : mapping, optional
        Parameter overrides (dotted paths, as ``analyze --set``).

    Examples
    --------
    >>> p = outcome_probabilities("japan-china-2010")
    >>> p.most_probable
    'concession'
    >>> abs(sum(p.probabilities.values()) - 1) < 1e-12
    True
    >>> outcome_probabilities("japan-china-2010", noise=COMPLETE).probabilities["concession"]
    1.0
    """
    c = _as_case(case)
    if values:
        c = c.with_values(values)
    draws = _probability_draws(c, calibration, noise)
    mean = draws.mean(axis=1)
    se = draws.std(axis=1) / math.sqrt(draws.shape[1]) if draws.shape[1] > 1 else 0 * mean
    probs = {lab: float(mean[j]) for j, lab in enumerate(OUTCOMES)}
    return OutcomeProbabilities(
        case_id=c.id,
        probabilities=probs,
        mc_std_errors={lab: float(se[j]) for j, lab in enumerate(OUTCOMES)},
        most_probable=OUTCOMES[int(np.argmax(mean))],
        observed=c.observed,
        noise=noise,
        calibration=calibration,
    )


def fragility(
    case: Case | str | Path,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    noise: Noise = Noise(),
) -> tuple[float, list[dict[str, str]]]:
    """Share of single one-level judgement moves that change the most probable outcome.

    Every stakes field coded as a level is moved one level up and one level down (within
    ``none`` … ``core``), one at a time.

    Returns
    -------
    (float, list of dict)
        The share, and the moves that flip the answer (``field``, ``from``, ``to``,
        ``most_probable``).
    """
    c = _as_case(case)
    base = outcome_probabilities(c, calibration=calibration, noise=noise).most_probable
    moves = 0
    flips: list[dict[str, str]] = []
    for name in _FIELDS:
        key = f"stakes.{name}"
        level = c.values[key].level
        if level is None:
            continue
        i = LEVELS.index(level)
        for j in (i - 1, i + 1):
            if not 0 <= j < len(LEVELS):
                continue
            moves += 1
            got = outcome_probabilities(c, calibration=calibration, noise=noise,
                                        values={key: LEVELS[j]}).most_probable
            if got != base:
                flips.append({"field": key, "from": level, "to": LEVELS[j],
                              "most_probable": got})
    return (len(flips) / moves if moves else 0.0), flips
