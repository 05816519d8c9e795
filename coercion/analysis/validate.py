"""Validation: predicted against observed outcomes over the case library.

In-sample accuracy uses the global calibration as shipped, whose three free
constants (a factor on the issue-stakes ladder, a factor on the
audience-type ladder, and the bite in months) were fitted to these cases.
The leave-one-out accuracy refits those three constants on all cases but
one (grid search for the most correct predictions, clear-cut cases counted
first, ties going to the point nearest the shipped calibration) and predicts
the one left out, for every case in turn: it measures how much of the
in-sample accuracy is fitting.
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

#: the refit grid: (issue factor, audience factor, bite months) relative to the shipped values
SCALE_GRID = tuple(
    (float(f1), float(f2), float(h))
    for f1 in np.geomspace(0.25, 4.0, 5)
    for f2 in np.geomspace(0.25, 4.0, 5)
    for h in (0.25, 0.5, 1.0)
)


@dataclass(frozen=True)
class Validation:
    """Predicted vs observed outcomes, with accuracy figures."""

    rows: tuple[dict[str, Any], ...]
    accuracy: float
    n: int
    clear_accuracy: float
    n_clear: int
    loo_accuracy: float
    loo_factors: tuple[tuple[float, float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "cases": list(self.rows),
            "n": self.n,
            "accuracy": self.accuracy,
            "n_clear": self.n_clear,
            "clear_accuracy": self.clear_accuracy,
            "loo_accuracy": self.loo_accuracy,
            "loo_refits": [
                {"issue_factor": a, "audience_factor": b, "bite_months": c}
                for a, b, c in self.loo_factors
            ],
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


Point = tuple[float, float, float]


def _fit(cases: Sequence[Case], table: dict[Point, list[str]], shipped_bite: float) -> Point:
    """The grid point with most correct predictions on *cases*, clear-cut cases first."""

    def score(point: Point) -> tuple[int, int, float]:
        hits = [p == c.observed for p, c in zip(table[point], cases, strict=True)]
        clear = sum(h for h, c in zip(hits, cases, strict=True) if c.clarity == "clear")
        f1, f2, bite = point
        distance = abs(np.log(f1)) + abs(np.log(f2)) + abs(np.log(bite / shipped_bite))
        return clear, sum(hits), -distance

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
    # leave-one-out over the calibration's three fitted constants
    table = {
        point: _predict(pool, calibration.scaled(point[0], point[1], point[2]))
        for point in SCALE_GRID
    }
    loo_hits = 0
    factors: list[Point] = []
    for k in range(n):
        train = [c for j, c in enumerate(pool) if j != k]
        sub = {pt: [p for j, p in enumerate(preds) if j != k] for pt, preds in table.items()}
        point = _fit(train, sub, calibration.bite_months)
        factors.append(point)
        loo_hits += table[point][k] == pool[k].observed
    return Validation(
        rows=rows,
        accuracy=hits / n if n else float("nan"),
        n=n,
        clear_accuracy=sum(bool(r["match"]) for r in clear) / len(clear) if clear else float("nan"),
        n_clear=len(clear),
        loo_accuracy=loo_hits / n if n else float("nan"),
        loo_factors=tuple(factors),
    )
