"""One frozen result per estimation: estimates, uncertainty, fit, diagnostics, predictions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.special import expit
from scipy.stats import norm

from coercion.errors import InvalidParameterError

if TYPE_CHECKING:
    import pandas as pd

    from coercion.estimate.build import Compiled

__all__ = ["EstimationResult"]


def _fmt(x: float, width: int = 10) -> str:
    if x != x:
        return f"{'':>{width}}"
    return f"{x:>{width}.4f}" if abs(x) < 1e5 else f"{x:>{width}.3g}"


@dataclass(frozen=True)
class EstimationResult:
    """The answer of :func:`coercion.estimate.estimate`.

    Attributes
    ----------
    spec : str
        The spec's id (or title).
    method : str
        ``"mle"``, ``"pl"``, ``"npl"`` or ``"cmle"``.
    errors, link : str
        The error structure and link function.
    names : tuple of str
        Parameter names, ``"<utility>:<column>"`` (R's conventions).
    estimates, se : ndarray
        Estimates and standard errors (``nan`` where not available).
    covariance : ndarray or None
    se_method : str
        How ``se`` was computed (``"observed information"``, ``"sandwich"``,
        ``"bootstrap"``, ...).
    loglik : float
        Log-likelihood at the estimates (for ``pl``, the pseudo-likelihood).
    n : int
        Units estimated from (rows after dropping missing values).
    n_observations : float
        Plays observed (the sum of the outcome counts).
    dropped : int
        Rows dropped for missing values.
    converged : bool
    iterations : int
    seconds : float
    status : str
        ``"converged"``, ``"not_converged"`` or ``"diverging"`` (estimates
        running off: perfect prediction or an unidentified direction).
    message : str
    units_with_multiple_equilibria : int
        Units whose game has more than one equilibrium at the estimates
        (always 0 for trees solved by backward recursion).
    n_equilibria : ndarray or None
        Per unit, the number of equilibria found at the estimates.
    """

    spec: str
    method: str
    errors: str
    link: str
    names: tuple[str, ...]
    estimates: np.ndarray
    se: np.ndarray
    covariance: np.ndarray | None
    se_method: str
    loglik: float
    n: int
    n_observations: float
    dropped: int
    converged: bool
    iterations: int
    seconds: float
    status: str
    message: str
    units_with_multiple_equilibria: int
    n_equilibria: np.ndarray | None = None
    model: Compiled | None = field(default=None, repr=False, compare=False)
    equilibrium: np.ndarray | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ tables
    @property
    def aic(self) -> float:
        """Akaike's information criterion ``2k - 2ℓ``."""
        return 2 * len(self.names) - 2 * self.loglik

    @property
    def bic(self) -> float:
        """Schwarz's criterion ``k log(N) - 2ℓ`` with ``N`` the plays observed."""
        return len(self.names) * math.log(max(self.n_observations, 1.0)) - 2 * self.loglik

    def params(self) -> list[dict[str, float | str]]:
        """``[{"name", "estimate", "se"}, ...]`` in parameter order."""
        return [
            {"name": name, "estimate": float(b), "se": float(s)}
            for name, b, s in zip(self.names, self.estimates, self.se, strict=True)
        ]

    def summary(self, level: float = 0.95) -> str:
        """A regression table: estimate, standard error, z, p-value, interval."""
        z = float(norm.ppf(0.5 + level / 2))
        width = max([len(n) for n in self.names] + [9])
        head = (
            f"{'':<{width}} {'estimate':>10} {'std.err':>10} {'z':>8} {'P>|z|':>8} "
            f"{'[' + format(level, '.0%'):>10} {'interval]':>10}"
        )
        lines = [
            f"Structural estimation: {self.spec}",
            f"  method {self.method}, {self.errors} errors, {self.link} link; "
            f"standard errors: {self.se_method}",
            f"  units {self.n} (dropped {self.dropped} with missing values), "
            f"plays observed {self.n_observations:g}",
            f"  log-likelihood {self.loglik:.6f}   AIC {self.aic:.3f}   BIC {self.bic:.3f}",
            f"  {self.status} after {self.iterations} iterations in {self.seconds:.2f} s; "
            f"units with several equilibria: {self.units_with_multiple_equilibria}",
            "",
            head,
            "-" * len(head),
        ]
        current = None
        for name, b, s in zip(self.names, self.estimates, self.se, strict=True):
            block, _, column = name.partition(":")
            if block != current:
                lines.append(block)
                current = block
            zval = b / s if s > 0 else float("nan")
            pval = 2 * float(norm.sf(abs(zval))) if zval == zval else float("nan")
            lo, hi = b - z * s, b + z * s
            lines.append(
                f"  {column:<{width - 2}} {_fmt(b)} {_fmt(s)} {_fmt(zval, 8)} "
                f"{_fmt(pval, 8)} {_fmt(lo)} {_fmt(hi)}"
            )
        if self.message:
            lines += ["", self.message]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json``)."""

        def num(x: float) -> float | None:
            return float(x) if x == x and abs(x) != float("inf") else None

        return {
            "spec": self.spec,
            "method": self.method,
            "errors": self.errors,
            "link": self.link,
            "loglik": self.loglik,
            "n": self.n,
            "n_observations": self.n_observations,
            "dropped": self.dropped,
            "params": [
                {"name": p["name"], "estimate": num(float(p["estimate"])),
                 "se": num(float(p["se"]))}
                for p in self.params()
            ],
            "se_method": self.se_method,
            "converged": self.converged,
            "iterations": self.iterations,
            "seconds": self.seconds,
            "status": self.status,
            "message": self.message,
            "aic": self.aic,
            "bic": self.bic,
            "units_with_multiple_equilibria": self.units_with_multiple_equilibria,
        }

    # ------------------------------------------------------------------ predictions
    def predict(
        self,
        data: Any = None,
        *,
        what: str = "outcomes",
        interval: str | None = "delta",
        level: float = 0.95,
        draws: int = 1000,
        rng: np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Outcome probabilities for *data* (default: the estimation data).

        Parameters
        ----------
        data : DataFrame, data set id or CSV path, optional
            Covariates (outcome columns are not needed).
        what : {"outcomes", "choices"}
            Outcome probabilities ``P(<label>)``, or every move's choice
            probabilities ``P(<player>: <action> | <history>)`` (for the
            signalling game: challenge, resist given a challenge, stand firm
            given resistance).
        interval : {"delta", "bootstrap", None}
            Pointwise intervals: the delta method on the logit scale, or a
            parametric bootstrap (estimates drawn from their normal
            approximation, ``draws`` times, with *rng*).
        level : float
            Coverage of the intervals.

        Returns
        -------
        DataFrame
            One row per unit and one column per probability, with an interval
            ``<column> lower`` / ``<column> upper``.
        """
        import pandas as pd

        if self.model is None:
            raise InvalidParameterError("predict: this result carries no model")
        if not 0 < level < 1:
            raise InvalidParameterError(f"level must be in (0, 1); got {level!r}")
        from coercion.estimate.fit import probability_function

        p_hat = None
        if data is None:
            compiled = self.model
            p_hat = self.equilibrium  # the estimator's own equilibria (signalling game)
        else:
            from coercion.estimate.build import compile_model

            compiled = compile_model(
                self.model.spec.replace(missing="raise"), data, levels=self.model.levels,
                require_outcome=False,
            )
        columns, fn = probability_function(compiled, self.estimates, what, p_hat)
        base = fn(self.estimates)
        out = pd.DataFrame({name: base[:, j] for j, name in enumerate(columns)})
        if interval is None:
            return out
        if self.covariance is None or not np.all(np.isfinite(self.covariance)):
            raise InvalidParameterError("predict: no covariance to build intervals from")
        z = float(norm.ppf(0.5 + level / 2))
        if interval == "delta":
            k = len(self.estimates)
            jac = np.empty((base.shape[0], base.shape[1], k))
            for j in range(k):
                h = 1e-6 * max(1.0, abs(float(self.estimates[j])))
                e = np.zeros(k)
                e[j] = h
                jac[:, :, j] = (fn(self.estimates + e) - fn(self.estimates - e)) / (2 * h)
            var = np.einsum("nlk,kj,nlj->nl", jac, self.covariance, jac)
            p = np.clip(base, 1e-12, 1 - 1e-12)
            se_logit = np.sqrt(np.maximum(var, 0.0)) / (p * (1 - p))
            logit = np.log(p / (1 - p))
            lower = expit(logit - z * se_logit)
            upper = expit(logit + z * se_logit)
            linear = [j for j, name in enumerate(columns) if not name.startswith("P(")]
            for j in linear:  # expectations, not probabilities: a symmetric interval
                half = z * np.sqrt(np.maximum(var[:, j], 0.0))
                lower[:, j] = base[:, j] - half
                upper[:, j] = base[:, j] + half
        elif interval == "bootstrap":
            if rng is None:
                raise InvalidParameterError("predict: interval='bootstrap' needs rng=")
            if not isinstance(draws, int) or draws < 2:
                raise InvalidParameterError(f"draws must be an integer >= 2; got {draws!r}")
            thetas = rng.multivariate_normal(self.estimates, self.covariance, size=draws)
            sims = np.stack([fn(t) for t in thetas])
            lower = np.quantile(sims, 0.5 - level / 2, axis=0)
            upper = np.quantile(sims, 0.5 + level / 2, axis=0)
        else:
            raise InvalidParameterError(
                f"interval must be 'delta', 'bootstrap' or None; got {interval!r}"
            )
        for j, name in enumerate(columns):
            out[f"{name} lower"] = lower[:, j]
            out[f"{name} upper"] = upper[:, j]
        return out
