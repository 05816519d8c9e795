"""Validation: predicted against observed outcomes over the case library.

In-sample accuracy uses the global calibration as shipped.  The
leave-one-out accuracy refits the calibration's one free scale (the factor
multiplying every stakes scale, chosen from a fixed grid to maximise the
number of correct predictions, ties going to the factor nearest 1) on all
cases but one and predicts the one left out, for every case in turn: it
measures how much the calibration is fitted to the cases it is judged on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coercion.analysis.evaluate import evaluate
from coercion.cases.loader import Case, index
from coercion.model.calibration import DEFAULT_CALIBRATION, Calibration
from coercion.model.game import OUTCOMES

__all__ = ["SCALE_GRID", "Validation", "validate"]

#: candidate factors for the stakes scale in the leave-one-out refit
SCALE_GRID = tuple(float(x) for x in np.geomspace(0.1, 10.0, 21))


@dataclass(frozen=True)
class Validation:
    """Predicted vs observed outcomes, with accuracy figures."""

    rows: tuple[dict[str, Any], ...]
    accuracy: float
    n: int
    clear_accuracy: float
    n_clear: int
    loo_accuracy: float
    loo_factors: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "cases": list(self.rows),
            "n": self.n,
            "accuracy": self.accuracy,
            "n_clear": self.n_clear,
            "clear_accuracy": self.clear_accuracy,
            "loo_accuracy": self.loo_accuracy,
            "loo_scale_factors": list(self.loo_factors),
        }

    def report(self) -> str:
        """A readable table."""
        lines = [f"{'case':<28} {'clarity':<9} {'observed':<24} {'predicted':<24} match"]
        for r in self.rows:
            mark = "yes" if r["match"] else "NO"
            lines.append(
                f"{r['id']:<28} {r['clarity']:<9} {r['observed']:<24} {r['predicted']:<24} {mark}"
            )
        lines += [
            "",
            f"in-sample accuracy:        {self.accuracy:.0%} ({round(self.accuracy * self.n)}"
            f" of {self.n})",
            f"clear-cut cases:           {self.clear_accuracy:.0%} "
            f"({round(self.clear_accuracy * self.n_clear)} of {self.n_clear})",
            f"leave-one-out accuracy:    {self.loo_accuracy:.0%}",
        ]
        return "\n".join(lines)


def _predict(cases: Sequence[Case], calibration: Calibration) -> list[str]:
    return [OUTCOMES[int(evaluate(c, calibration=calibration).outcome)] for c in cases]


def _fit(cases: Sequence[Case], table: dict[float, list[str]]) -> float:
    """The scale factor with most correct predictions on *cases* (ties: nearest 1)."""
    observed = [c.observed for c in cases]

    def score(f: float) -> tuple[int, float]:
        hits = sum(p == o for p, o in zip(table[f], observed, strict=True))
        return hits, -abs(np.log(f))

    return max(table, key=score)


def validate(
    cases: Sequence[Case] | None = None, calibration: Calibration = DEFAULT_CALIBRATION
) -> Validation:
    """Predicted vs observed for every case with an observed outcome.

    Examples
    --------
    >>> v = validate()
    >>> 0 <= v.loo_accuracy <= 1 and v.n >= 1
    True
    """
    pool = [c for c in (cases if cases is not None else index()) if c.observed is not None]
    predicted = _predict(pool, calibration)
    rows = tuple(
        {
            "id": c.id,
            "clarity": c.clarity,
            "observed": c.observed,
            "predicted": p,
            "match": p == c.observed,
        }
        for c, p in zip(pool, predicted, strict=True)
    )
    n = len(pool)
    hits = sum(bool(r["match"]) for r in rows)
    clear = [r for r in rows if r["clarity"] == "clear"]
    # leave-one-out over the calibration's free scale factor
    table = {f: _predict(pool, calibration.scaled(f)) for f in SCALE_GRID}
    loo_hits = 0
    factors = []
    for k in range(n):
        train = [c for j, c in enumerate(pool) if j != k]
        sub = {f: [p for j, p in enumerate(preds) if j != k] for f, preds in table.items()}
        f = _fit(train, sub)
        factors.append(f)
        loo_hits += table[f][k] == pool[k].observed
    return Validation(
        rows=rows,
        accuracy=hits / n if n else float("nan"),
        n=n,
        clear_accuracy=sum(bool(r["match"]) for r in clear) / len(clear) if clear else float("nan"),
        n_clear=len(clear),
        loo_accuracy=loo_hits / n if n else float("nan"),
        loo_factors=tuple(factors),
    )
