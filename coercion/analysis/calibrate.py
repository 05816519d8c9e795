"""Maximum-likelihood calibration of the case model on a case library.

The free constants of the case model are estimated jointly by maximising
``Σ_cases log Pr(observed outcome)`` under :func:`coercion.analysis.probabilities.
outcome_probabilities`:

======================  ======================================================  ============
parameter               meaning                                                 scale fitted
======================  ======================================================  ============
``issue_factor``        multiplies the issue-stakes ladder                      log
``audience_factor``     multiplies the audience-type ladders                    log
``stake_scale_mix``     ``w``: 0 = stakes proportional to GDP, 1 = absolute      logit
``judgement_sd``        sd of ``ln(value)`` of a level                          log
``precision``           logit precision ``λ`` of the agent errors               log
======================  ======================================================  ============

The judgement draws are the same scrambled Sobol points at every parameter value (common
random numbers), so the simulated likelihood is a smooth function of the parameters up to the
discrete truce regions of the game.  The optimiser is Nelder–Mead on the unconstrained scale;
standard errors are from the inverse of a central-difference Hessian of the log-likelihood on
that scale (steps 0.05), reported with the delta method on the natural scale.  A
leave-one-out refit starts from the full-sample estimate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from coercion.analysis.probabilities import Noise, outcome_probabilities
from coercion.cases.loader import Case
from coercion.errors import InvalidParameterError
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration

__all__ = ["PARAMETERS", "CalibrationFit", "fit_calibration", "model_at"]

FloatArray = npt.NDArray[np.float64]

PARAMETERS = ("issue_factor", "audience_factor", "stake_scale_mix", "judgement_sd", "precision")
#: floor on a probability inside the log-likelihood (an outcome the model cannot reach)
PROBABILITY_FLOOR = 1e-6


def model_at(x: Sequence[float] | FloatArray, draws: int = 256,
             base: Calibration = DEFAULT_CALIBRATION) -> tuple[Calibration, Noise]:
    """The calibration and noise at unconstrained parameters *x* (see :data:`PARAMETERS`)."""
    issue, audience, mix_z, sd, lam = (float(v) for v in x)
    cal = base.scaled(math.exp(issue), math.exp(audience),
                      stake_scale_mix=float(special.expit(mix_z)))
    return cal, Noise(judgement_sd=math.exp(sd), precision=math.exp(lam), draws=draws)


@dataclass(frozen=True)
class CalibrationFit:
    """An estimated calibration.

    Attributes
    ----------
    names : tuple of str
    estimates : tuple of float
        On the natural scale (factors, mix, sd, precision).
    std_errors : tuple of float
        Delta-method standard errors on the natural scale (NaN if the Hessian is not
        negative definite).
    x : tuple of float
        The unconstrained estimate (log / logit scale).
    loglik : float
    n : int
        Cases used.
    converged : bool
    evaluations : int
    seconds : float
    """

    names: tuple[str, ...]
    estimates: tuple[float, ...]
    std_errors: tuple[float, ...]
    x: tuple[float, ...]
    loglik: float
    n: int
    converged: bool
    evaluations: int
    seconds: float
    draws: int

    def model(self) -> tuple[Calibration, Noise]:
        """The fitted calibration and noise."""
        return model_at(self.x, self.draws)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "params": [
                {"name": n, "estimate": e, "se": s}
                for n, e, s in zip(self.names, self.estimates, self.std_errors, strict=True)
            ],
            "loglik": self.loglik,
            "n": self.n,
            "converged": self.converged,
            "evaluations": self.evaluations,
            "seconds": self.seconds,
            "draws": self.draws,
        }


def _loglik(cases: Sequence[Case], x: Sequence[float] | FloatArray, draws: int) -> float:
    try:
        cal, noise = model_at(x, draws)
    except InvalidParameterError:
        return -math.inf
    total = 0.0
    for c in cases:
        assert c.observed is not None
        p = outcome_probabilities(c, calibration=cal, noise=noise).probabilities[c.observed]
        total += math.log(max(p, PROBABILITY_FLOOR))
    return total


#: where the search starts: the shipped ladders, w = 0.5, sd = 1, λ = 4
START = (0.0, 0.0, 0.0, 0.0, math.log(4.0))
_BOUND = 6.0  # |x| beyond this is refused (factors beyond e^6 ≈ 400)


def _hessian(f: Callable[[FloatArray], float], x: FloatArray, h: float = 0.05) -> FloatArray:
    k = x.size
    hess = np.empty((k, k))
    f0 = f(x)
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = h
            ej[j] = h
            if i == j:
                hess[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h**2
            else:
                hess[i, j] = hess[j, i] = (
                    f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
                ) / (4 * h * h)
    return hess


def _natural(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Natural-scale values and the derivative of each with respect to its x."""
    vals = np.array([math.exp(x[0]), math.exp(x[1]), float(special.expit(x[2])),
                     math.exp(x[3]), math.exp(x[4])])
    deriv = vals.copy()
    deriv[2] = vals[2] * (1 - vals[2])
    return vals, deriv


def fit_calibration(
    cases: Sequence[Case],
    *,
    start: Sequence[float] = START,
    draws: int = 256,
    max_evaluations: int = 600,
    std_errors: bool = True,
) -> CalibrationFit:
    """Maximum-likelihood calibration on the cases with an observed outcome.

    Parameters
    ----------
    cases : sequence of Case
    start : sequence of float
        Unconstrained start (default :data:`START`).
    draws : int
        Judgement draws per case and evaluation (a power of two).
    max_evaluations : int
        Budget of likelihood evaluations of the optimiser.
    std_errors : bool
        Compute the Hessian (``2k² + 1`` further evaluations).

    Returns
    -------
    CalibrationFit
    """
    t0 = time.perf_counter()
    pool = [c for c in cases if c.observed is not None]
    if len(pool) < len(PARAMETERS):
        raise InvalidParameterError(
            f"fit_calibration: needs at least {len(PARAMETERS)} cases with an observed outcome; "
            f"got {len(pool)}")
    evals = 0

    def neg(x: FloatArray) -> float:
        nonlocal evals
        evals += 1
        if np.any(np.abs(x) > _BOUND):
            return math.inf
        return -_loglik(pool, x, draws)

    x0 = np.asarray(start, dtype=np.float64)
    res = optimize.minimize(neg, x0, method="Nelder-Mead",
                            options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-4,
                                     "initial_simplex": x0 + 0.5 * np.vstack(
                                         [np.zeros(x0.size), np.eye(x0.size)])})
    x = np.asarray(res.x, dtype=np.float64)
    vals, deriv = _natural(x)
    se = np.full(x.size, np.nan)
    if std_errors:
        hess = _hessian(lambda z: -neg(z), x)
        try:
            cov = np.linalg.inv(-hess)
            if np.all(np.linalg.eigvalsh(-hess) > 0):
                se = np.sqrt(np.diag(cov)) * deriv
        except np.linalg.LinAlgError:
            pass
    return CalibrationFit(
        names=PARAMETERS,
        estimates=tuple(float(v) for v in vals),
        std_errors=tuple(float(s) for s in se),
        x=tuple(float(v) for v in x),
        loglik=float(-res.fun),
        n=len(pool),
        converged=bool(res.success),
        evaluations=evals,
        seconds=time.perf_counter() - t0,
        draws=draws,
    )
