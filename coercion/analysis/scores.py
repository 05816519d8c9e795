"""Proper scores of the case model's outcome probabilities on a case library.

For every case with an observed outcome: the probability the model gives to what happened,
in sample (calibration fitted on every case, :mod:`coercion.analysis.calibrate`) and left out
(refitted without the case).  Scores, each against two base rates computed the same way (in
sample: on every case; left out: on the other cases):

* **log score**: mean ``ln Pr(observed)`` (higher is better);
* **Brier score**: mean ``Σ_k (p_k − y_k)²`` over the outcome labels (lower is better);
* **exact accuracy**: the most probable outcome is the observed one;
* **coarse accuracy**: the target gave something (``concession`` or ``partial_concession``)
  or not, predicted as ``Pr(concession) + Pr(partial_concession) >= 1/2``.

Base rates: *most common* always predicts the most common label (probability 1 on it; its
log score is that of the frequencies), *frequencies* predicts the label frequencies with
add-½ smoothing over the six episode outcomes (``status_quo`` is never an episode's outcome).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coercion.analysis.calibrate import CalibrationFit, fit_calibration
from coercion.analysis.probabilities import fragility, outcome_probabilities
from coercion.cases.loader import Case
from coercion.errors import InvalidParameterError
from coercion.model.game import OUTCOMES

__all__ = ["EPISODE_OUTCOMES", "LibraryScores", "base_rates", "score_library"]

#: the outcomes an episode (a demand that was made) can have
EPISODE_OUTCOMES = tuple(o for o in OUTCOMES if o != "status_quo")
_GAVE = ("concession", "partial_concession")


def base_rates(observed: Sequence[str]) -> dict[str, float]:
    """Label frequencies with add-½ smoothing over :data:`EPISODE_OUTCOMES`.

    Examples
    --------
    >>> r = base_rates(["concession", "concession", "standoff"])
    >>> round(r["concession"], 4), round(sum(r.values()), 12)
    (0.4167, 1.0)
    """
    counts = Counter(observed)
    total = len(observed) + 0.5 * len(EPISODE_OUTCOMES)
    return {o: (counts.get(o, 0) + 0.5) / total for o in EPISODE_OUTCOMES}


def _most_common(observed: Sequence[str]) -> str:
    counts = Counter(observed)
    return max(EPISODE_OUTCOMES, key=lambda o: (counts.get(o, 0), -EPISODE_OUTCOMES.index(o)))


def _scores(probs: Sequence[dict[str, float]], observed: Sequence[str]) -> dict[str, float]:
    n = len(observed)
    log = [math.log(max(p.get(o, 0.0), 1e-300)) for p, o in zip(probs, observed, strict=True)]
    brier = [sum((p.get(k, 0.0) - (k == o)) ** 2 for k in OUTCOMES)
             for p, o in zip(probs, observed, strict=True)]
    exact = [max(OUTCOMES, key=lambda k: p.get(k, 0.0)) == o
             for p, o in zip(probs, observed, strict=True)]
    coarse = [(sum(p.get(k, 0.0) for k in _GAVE) >= 0.5) == (o in _GAVE)
              for p, o in zip(probs, observed, strict=True)]
    return {
        "log_score": float(np.mean(log)) if n else math.nan,
        "brier": float(np.mean(brier)) if n else math.nan,
        "exact_accuracy": float(np.mean(exact)) if n else math.nan,
        "coarse_accuracy": float(np.mean(coarse)) if n else math.nan,
    }


@dataclass(frozen=True)
class LibraryScores:
    """Scores of the probabilistic case model on a library.

    Attributes
    ----------
    rows : tuple of dict
        Per case: ``id``, ``clarity``, ``observed``, ``most_probable`` (in sample),
        ``p_observed`` (in sample), ``loo_most_probable``, ``p_observed_loo``, ``fragility``
        and ``flips`` (the one-level judgement moves that change the most probable outcome).
    model, loo, base_most_common, base_frequencies, loo_base_most_common, loo_base_frequencies
        : dict
        ``log_score``, ``brier``, ``exact_accuracy``, ``coarse_accuracy``.
    fit : CalibrationFit
        The full-sample calibration.
    fragility : float
        Mean fragility over the cases.
    """

    rows: tuple[dict[str, Any], ...]
    model: dict[str, float]
    loo: dict[str, float]
    base_most_common: dict[str, float]
    base_frequencies: dict[str, float]
    loo_base_most_common: dict[str, float]
    loo_base_frequencies: dict[str, float]
    fit: CalibrationFit
    fragility: float

    @property
    def n(self) -> int:
        """Cases scored."""
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "n": self.n,
            "cases": list(self.rows),
            "in_sample": {"model": self.model, "most_common": self.base_most_common,
                          "frequencies": self.base_frequencies},
            "leave_one_out": {"model": self.loo, "most_common": self.loo_base_most_common,
                              "frequencies": self.loo_base_frequencies},
            "calibration": self.fit.to_dict(),
            "fragility": self.fragility,
        }

    def report(self) -> str:
        """A readable table and the scores."""
        head = (f"{'case':<28} {'observed':<23} {'most probable':<23} "
                f"{'Pr(obs)':>7} {'LOO':>6} {'fragile':>7}")
        lines = [head]
        for r in self.rows:
            lines.append(
                f"{r['id']:<28} {r['observed']:<23} {r['most_probable']:<23} "
                f"{r['p_observed']:7.3f} {r['p_observed_loo']:6.3f} {r['fragility']:7.2f}")
        lines += ["", f"{self.n} cases            {'log score':>10} {'Brier':>7} {'exact':>7} "
                  f"{'coarse':>7}"]

        def row(label: str, s: dict[str, float]) -> str:
            return (f"{label:<20} {s['log_score']:10.3f} {s['brier']:7.3f} "
                    f"{s['exact_accuracy']:7.0%} {s['coarse_accuracy']:7.0%}")

        lines += [
            row("model, in sample", self.model),
            row("  most common label", self.base_most_common),
            row("  label frequencies", self.base_frequencies),
        ]
        if math.isnan(self.loo["log_score"]):
            lines.append("model, leave-one-out: not computed")
        else:
            lines += [
                row("model, leave-one-out", self.loo),
                row("  most common label", self.loo_base_most_common),
                row("  label frequencies", self.loo_base_frequencies),
            ]
        lines += [
            "",
            f"fragility (share of one-level judgement moves that change the most probable "
            f"outcome): {self.fragility:.2f}",
            "calibration (maximum likelihood, standard errors):",
        ]
        for name, est, se in zip(self.fit.names, self.fit.estimates, self.fit.std_errors,
                                 strict=True):
            lines.append(f"  {name:<18} {est:10.4g}  ({se:.3g})")
        lines.append(f"  log-likelihood {self.fit.loglik:.3f}, {self.fit.draws} draws per case")
        return "\n".join(lines)


def _base(observed: Sequence[str], train: Sequence[str]) -> tuple[list[dict[str, float]], ...]:
    freq = base_rates(train)
    top = _most_common(train)
    # the most-common rule puts probability 1 on one label: its log score would be -inf on
    # any miss, so its log and Brier scores are those of the frequencies it is read from
    return ([freq for _ in observed], [{top: 1.0} for _ in observed])


def score_library(
    cases: Sequence[Case],
    *,
    draws: int = 256,
    leave_one_out: bool = True,
    with_fragility: bool = True,
    max_evaluations: int = 600,
    progress: Callable[[int, int], None] | None = None,
) -> LibraryScores:
    """Fit the calibration, then score in sample and leave-one-out.

    Parameters
    ----------
    cases : sequence of Case
        Cases without an observed outcome are skipped.
    draws : int
        Judgement draws per case (a power of two).
    leave_one_out : bool
        Refit without each case in turn (``n`` refits).
    with_fragility : bool
        Compute each case's fragility (about 14 re-analyses per case).
    max_evaluations : int
        Likelihood evaluations of the full-sample fit (half as many for each refit).
    progress : callable, optional
        Called as ``progress(done, total)`` after each refit.
    """
    pool = [c for c in cases if c.observed is not None]
    if len(pool) < 6:
        raise InvalidParameterError(
            f"score_library: needs at least 6 cases with an observed outcome; got {len(pool)}")
    observed = [str(c.observed) for c in pool]
    fit = fit_calibration(pool, draws=draws, max_evaluations=max_evaluations)
    cal, noise = fit.model()
    ins = [dict(outcome_probabilities(c, calibration=cal, noise=noise).probabilities)
           for c in pool]
    loo: list[dict[str, float]] = []
    loo_freq: list[dict[str, float]] = []
    loo_top: list[dict[str, float]] = []
    for k, c in enumerate(pool):
        train = [d for j, d in enumerate(pool) if j != k]
        train_obs = [o for j, o in enumerate(observed) if j != k]
        if leave_one_out:
            sub = fit_calibration(train, start=fit.x, draws=draws, std_errors=False,
                                  max_evaluations=max(1, max_evaluations // 2))
            cal_k, noise_k = sub.model()
            loo.append(dict(outcome_probabilities(c, calibration=cal_k,
                                                  noise=noise_k).probabilities))
        else:
            loo.append({o: math.nan for o in OUTCOMES})
        f, t = _base([observed[k]], train_obs)
        loo_freq += f
        loo_top += t
        if progress is not None:
            progress(k + 1, len(pool))
    freq, top = _base(observed, observed)
    rows = []
    total_fragility = 0.0
    for k, c in enumerate(pool):
        share, flips = (fragility(c, calibration=cal, noise=noise) if with_fragility
                        else (math.nan, []))
        total_fragility += share
        rows.append({
            "id": c.id,
            "clarity": c.clarity,
            "observed": observed[k],
            "most_probable": max(OUTCOMES, key=lambda o, p=ins[k]: p[o]),  # type: ignore[misc]
            "p_observed": ins[k][observed[k]],
            "probabilities": ins[k],
            "loo_most_probable": max(OUTCOMES, key=lambda o, p=loo[k]: p.get(o, 0.0)),  # type: ignore[misc]
            "p_observed_loo": loo[k][observed[k]],
            "fragility": share,
            "flips": flips,
        })

    def most_common_scores(top_rows: list[dict[str, float]], freq_rows: list[dict[str, float]]
                           ) -> dict[str, float]:
        s = _scores(freq_rows, observed)
        hard = _scores(top_rows, observed)
        return {**s, "exact_accuracy": hard["exact_accuracy"],
                "coarse_accuracy": hard["coarse_accuracy"]}

    return LibraryScores(
        rows=tuple(rows),
        model=_scores(ins, observed),
        loo=_scores(loo, observed) if leave_one_out else {
            "log_score": math.nan, "brier": math.nan, "exact_accuracy": math.nan,
            "coarse_accuracy": math.nan},
        base_most_common=most_common_scores(top, freq),
        base_frequencies=_scores(freq, observed),
        loo_base_most_common=most_common_scores(loo_top, loo_freq),
        loo_base_frequencies=_scores(loo_freq, observed),
        fit=fit,
        fragility=total_fragility / len(pool),
    )
