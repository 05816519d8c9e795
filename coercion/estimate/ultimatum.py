"""The statistical ultimatum game (Ramsay & Signorino 2009; R ``games``' ``ultimatum``).

Player 1 offers ``y`` in ``[min_offer, max_offer]`` out of ``Q = max_offer``;
player 2 accepts (1 gets ``Q - y``, 2 gets ``y``) or rejects (each gets a
reservation value ``R_i = X_i β_i + ε_i``).  The shocks are logistic with
scales ``s_1``, ``s_2`` and private: 2 accepts iff ``y ≥ R_2``, so
``P(accept | y) = Λ((y - R̄_2)/s_2)``; 1 knows ``ε_1`` and maximises
``(Q - y) Λ((y - R̄_2)/s_2) + R_1 (1 - Λ(...))``.  The first-order condition
gives the reservation value at which ``y`` is optimal,

    g(y) = Q - y - s_2 (1 + exp((y - R̄_2)/s_2)),

strictly decreasing in ``y``: player 1 offers ``y`` when ``R_1 = g(y)``, the
minimum when ``R_1 ≥ g(min)``, everything when ``R_1 ≤ g(Q)``.  The offer's
density is therefore ``λ_1(g(y) - R̄_1) |g'(y)|`` inside the range, with point
masses ``1 - Λ_1(g(min) - R̄_1)`` and ``Λ_1(g(Q) - R̄_1)`` at the ends (offers
within ``offertol`` of an end count as that end); the acceptance adds
``log Λ`` or ``log(1 - Λ)``.  Parameters: ``β_1``, ``β_2``, ``log s_1``,
``log s_2``; the gradient is analytic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from coercion.errors import InvalidParameterError

__all__ = ["UltimatumLikelihood", "simulate_offers"]


def _log_expit(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = -np.logaddexp(0.0, -x)
    return out


@dataclass(frozen=True)
class UltimatumLikelihood:
    """Log-likelihood and gradient of the statistical ultimatum game.

    Parameters
    ----------
    X1, X2 : ndarray
        Designs of the two reservation values.
    names1, names2 : tuple of str
        Their column names.
    offer : ndarray
        Observed offers.
    accept : ndarray or None
        Observed acceptances (0/1); None to model the offer alone.
    min_offer, max_offer : float
    offertol : float
    """

    X1: np.ndarray
    names1: tuple[str, ...]
    X2: np.ndarray
    names2: tuple[str, ...]
    offer: np.ndarray
    accept: np.ndarray | None
    min_offer: float
    max_offer: float
    offertol: float = 1.4901161193847656e-08
    prefixes: tuple[str, str] = ("R1", "R2")

    def __post_init__(self) -> None:
        if not self.max_offer > self.min_offer:
            raise InvalidParameterError(
                f"max_offer must exceed min_offer; got {self.min_offer} and {self.max_offer}"
            )
        y = self.offer
        if not np.all(np.isfinite(y)):
            raise InvalidParameterError("outcome.offer: offers must be finite numbers")
        lo, hi = self.min_offer - self.offertol, self.max_offer + self.offertol
        bad = (y < lo) | (y > hi)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidParameterError(
                f"outcome.offer: row {i + 1} offers {y[i]:g}, outside "
                f"[{self.min_offer:g}, {self.max_offer:g}]"
            )
        if self.accept is not None and not np.all(np.isin(self.accept, (0.0, 1.0))):
            raise InvalidParameterError("outcome.accept must hold 0 (reject) or 1 (accept)")

    @property
    def param_names(self) -> tuple[str, ...]:
        """``R1:<col>``, ``R2:<col>``, ``log(s1)``, ``log(s2)``."""
        return (
            *(f"{self.prefixes[0]}:{c}" for c in self.names1),
            *(f"{self.prefixes[1]}:{c}" for c in self.names2),
            "log(s1)",
            "log(s2)",
        )

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return int(self.X1.shape[1] + self.X2.shape[1] + 2)

    def _split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise InvalidParameterError(
                f"theta must have {self.n_params} entries; got shape {theta.shape}"
            )
        k1 = self.X1.shape[1]
        k2 = self.X2.shape[1]
        a = self.X1 @ theta[:k1]
        b = self.X2 @ theta[k1 : k1 + k2]
        return a, b, float(theta[-2]), float(theta[-1])

    def value_and_grad(
        self, theta: np.ndarray, per_unit: bool = False
    ) -> tuple[float, np.ndarray]:
        """The log-likelihood and its analytic gradient (``(n, K)`` scores if *per_unit*)."""
        a, b, eta1, eta2 = self._split(theta)
        s1, s2 = np.exp(eta1), np.exp(eta2)
        y = np.clip(self.offer, self.min_offer, self.max_offer)
        q = self.max_offer
        at_min = self.offer <= self.min_offer + self.offertol
        at_max = self.offer >= self.max_offer - self.offertol
        inside = ~(at_min | at_max)
        z = (y - b) / s2
        e = np.exp(np.minimum(z, 700.0))
        g = q - y - s2 * (1.0 + e)
        u = (g - a) / s1
        dg_db = e
        dg_deta2 = -s2 * (1.0 + e) + s2 * e * z
        sig_u = expit(u)
        ll = np.empty_like(y)
        d_u = np.empty_like(y)  # dl/du of the offer term
        ll[inside] = (
            _log_expit(u[inside]) + _log_expit(-u[inside]) - eta1 + np.logaddexp(0.0, z[inside])
        )
        d_u[inside] = 1.0 - 2.0 * sig_u[inside]
        ll[at_min] = _log_expit(-u[at_min])
        d_u[at_min] = -sig_u[at_min]
        ll[at_max] = _log_expit(u[at_max])
        d_u[at_max] = 1.0 - sig_u[at_max]
        # u = (g - a)/s1
        da = -d_u / s1
        deta1 = -d_u * u - inside.astype(float)
        db = d_u * dg_db / s1
        deta2 = d_u * dg_deta2 / s1
        # |g'(y)| = 1 + e^z in the density: d softplus(z)/dz = expit(z)
        sig_z = expit(z)
        db = db + np.where(inside, -sig_z / s2, 0.0)
        deta2 = deta2 + np.where(inside, -sig_z * z, 0.0)
        if self.accept is not None:
            acc = self.accept
            ll = ll + acc * _log_expit(z) + (1.0 - acc) * _log_expit(-z)
            dz = acc - sig_z
            db = db + dz * (-1.0 / s2)
            deta2 = deta2 + dz * (-z)
        scores = np.column_stack([self.X1 * da[:, None], self.X2 * db[:, None], deta1, deta2])
        total = float(ll.sum())
        if per_unit:
            return total, scores
        return total, scores.sum(axis=0)

    def loglik(self, theta: np.ndarray) -> float:
        """The log-likelihood at *theta*."""
        return self.value_and_grad(theta)[0]

    def offer_and_acceptance(self, theta: np.ndarray, points: int = 2001) -> np.ndarray:
        """``(n, 2)``: expected offer and unconditional probability of acceptance."""
        a, b, eta1, eta2 = self._split(theta)
        s1, s2 = np.exp(eta1), np.exp(eta2)
        ys = np.linspace(self.min_offer, self.max_offer, points)
        q = self.max_offer
        z = (ys[None, :] - b[:, None]) / s2
        g = q - ys[None, :] - s2 * (1.0 + np.exp(np.minimum(z, 700.0)))
        cdf = expit((g - a[:, None]) / s1)  # P(R1 <= g(y)) = P(offer >= y)
        survival = cdf  # decreasing in y
        accept_at = expit(z)
        p_min = 1.0 - survival[:, 0]
        p_max = survival[:, -1]
        mass = -np.diff(survival, axis=1)  # P(y_k <= offer < y_{k+1}) inside
        mid = 0.5 * (ys[1:] + ys[:-1])
        mid_acc = 0.5 * (accept_at[:, 1:] + accept_at[:, :-1])
        expected = p_min * ys[0] + p_max * ys[-1] + (mass * mid[None, :]).sum(axis=1)
        accept = (
            p_min * accept_at[:, 0] + p_max * accept_at[:, -1] + (mass * mid_acc).sum(axis=1)
        )
        return np.column_stack([expected, accept])


def simulate_offers(
    r1: np.ndarray, r2: np.ndarray, s1: float, s2: float, min_offer: float, max_offer: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw equilibrium offers and acceptances for mean reservation values *r1*, *r2*."""
    n = len(r1)
    u1 = rng.uniform(size=n)
    eps1 = s1 * np.log(u1 / (1.0 - u1))  # logistic(0, s1)
    big_r1 = r1 + eps1
    lo = np.full(n, float(min_offer))
    hi = np.full(n, float(max_offer))

    def g(y: np.ndarray) -> np.ndarray:
        out: np.ndarray = max_offer - y - s2 * (1.0 + np.exp(np.minimum((y - r2) / s2, 700.0)))
        return out

    for _ in range(80):  # g decreasing: find g(y) = R1
        mid = 0.5 * (lo + hi)
        above = g(mid) > big_r1
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    y = 0.5 * (lo + hi)
    y = np.where(big_r1 >= g(np.full(n, float(min_offer))), min_offer, y)
    y = np.where(big_r1 <= g(np.full(n, float(max_offer))), max_offer, y)
    u2 = rng.uniform(size=n)
    eps2 = s2 * np.log(u2 / (1.0 - u2))
    accept = (y >= r2 + eps2).astype(float)
    return y, accept
