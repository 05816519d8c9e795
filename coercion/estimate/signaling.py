"""Structural estimation of the Lewis–Schultz crisis signalling game (the sanctions game).

The game (Lewis & Schultz 2003, "Revealing preferences: empirical estimation of a crisis
bargaining game with incomplete information", *Political Analysis* 11:345–367): A challenges or
not (status quo ``SQ``, payoff ``S_A`` to A and 0 to B); B concedes (``CD``: ``V_A``, ``C_B``) or
resists; A then stands firm (``SF``: ``W̄_A + ε_A``, ``W̄_B + ε_B``) or backs down (``BD``:
``ā + ε_a``, ``V_B``).  The shocks are independent ``N(0, σ²)``; A privately knows
``(ε_A, ε_a)``, B knows ``ε_B``.  With ``p`` the probability that B resists, A challenges iff
``max(W̄_A + ε_A, ā + ε_a) >= c*(p) = (S_A - (1 - p) V_A) / p``, so (Lewis & Schultz 2003, eqs
3–5; Crisman-Cox & Gibilisco 2021, "Estimating signaling games in international relations:
problems and solutions", *Political Science Research and Methods*, section 2)

* ``P(SQ) = Φ((c* - W̄_A)/σ) Φ((c* - ā)/σ)`` and ``p_C = 1 - P(SQ)``,
* ``P(C ∧ F) = Φ₂((W̄_A - ā)/(σ√2), (W̄_A - c*)/σ; 1/√2)``, ``p_F = P(C ∧ F) / p_C``
  (A's best response ``Ψ_A(p) = (p_C, p_F)``),
* ``Ψ_R(p_F) = Φ((p_F W̄_B + (1 - p_F) V_B - C_B) / (σ p_F))`` (B's best response),

and a perfect Bayesian equilibrium is a root of ``const(p) = p - Ψ_R(Ψ_A,F(p))`` in ``(0, 1)``
(there may be several).  The outcome probabilities are ``SQ = 1 - p_C``, ``CD = p_C (1 - p)``,
``SF = p · P(C ∧ F)``, ``BD = p · P(C ∧ BD)`` and the log-likelihood of counts
``y = (sq, cd, sf, bd)`` is ``Σ_m Σ_k y_mk log P_mk`` (no multinomial coefficient).

Three estimators (Crisman-Cox & Gibilisco 2021, section 4):

* :func:`fit_pl` — two-step pseudo-likelihood given first-stage ``(p̂_R, p̂_F)``;
* :func:`fit_npl` — nested pseudo-likelihood (Aguirregabiria & Mira 2007, "Sequential
  estimation of dynamic discrete games", *Econometrica* 75:1–53);
* :func:`fit_cmle` — constrained maximum likelihood, solved here in the reduced space: each
  unit's equilibrium is an implicit function of θ, found by vectorised Newton inside the
  objective; the profile gradient comes from the implicit-function theorem.

Everything is vectorised over the units; the bivariate normal CDF is exact to ~1e-16
(Genz 2004, see :mod:`coercion.estimate._bvn`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special
from scipy.optimize import elementwise as _elementwise

from coercion.errors import InvalidParameterError

from ._bvn import bvn_cdf, bvn_cdf_grad

__all__ = [
    "UTILITIES",
    "SignalingFit",
    "SignalingProblem",
    "best_response_A",
    "best_response_B",
    "equilibria",
    "first_stage",
    "fit_cmle",
    "fit_npl",
    "fit_pl",
    "loglik",
    "outcome_probabilities",
    "profile_loglik",
    "pseudo_loglik",
    "track_equilibria",
]

FloatArray = NDArray[np.float64]

#: Order of the utility blocks in θ (and of the rows of :meth:`SignalingProblem.utilities`).
UTILITIES = ("SA", "VA", "CB", "barWA", "barWB", "bara", "VB")
_SA, _VA, _CB, _WA, _WB, _A, _VB = range(7)

_SQRT2 = math.sqrt(2.0)
_RHO = 1.0 / _SQRT2
_EPS = float(np.finfo(float).eps)
_SQRT_EPS = math.sqrt(_EPS)
_LOG_SQRT_EPS = math.log(_SQRT_EPS)
_TINY = 1e-300
_TAIL = 8.0  # beyond this many σ in both tails, P(C∧F) and P(C∧BD) use their one-tail forms
_NPL_CLAMP = (1e-4, 1.0 - 1e-4)


# --------------------------------------------------------------------------------------------
# problem
# --------------------------------------------------------------------------------------------


def _as_float_array(value: object, name: str, ndim: int) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"SignalingProblem: {name} must be a real array; got {type(value).__name__}"
        ) from exc
    if arr.ndim != ndim:
        raise InvalidParameterError(
            f"SignalingProblem: {name} must be {ndim}-dimensional; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InvalidParameterError(
            f"SignalingProblem: {name} must be finite; got {arr[bad]} at {list(bad)}"
        )
    return arr


@dataclass(frozen=True)
class SignalingProblem:
    """Data of a signalling-game estimation: one design matrix per utility and outcome counts.

    Parameters
    ----------
    designs : tuple of numpy.ndarray
        Seven design matrices ``(n, k_j)`` in :data:`UTILITIES` order; ``k_j = 0`` fixes the
        utility at its offset.
    offsets : tuple of numpy.ndarray
        Seven arrays ``(n,)`` added to ``X_j β_j`` (zeros unless a utility is fixed).
    counts : numpy.ndarray
        ``(n, 4)`` non-negative counts of ``SQ, CD, SF, BD``.
    sigma : float
        Scale of the private shocks (``σ = 1`` normalises the model).

    Examples
    --------
    >>> import numpy as np
    >>> n = 3
    >>> designs = tuple(np.ones((n, 1)) if j in (1, 3) else np.zeros((n, 0)) for j in range(7))
    >>> prob = SignalingProblem(designs, tuple(np.zeros(n) for _ in range(7)), np.ones((n, 4)))
    >>> prob.n_params, prob.utilities(np.array([0.5, -1.0])).shape
    (2, (7, 3))
    """

    designs: tuple[FloatArray, ...]
    offsets: tuple[FloatArray, ...]
    counts: FloatArray
    sigma: float = 1.0
    _slices: tuple[slice, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.designs, tuple | list) or len(self.designs) != 7:
            raise InvalidParameterError(
                "SignalingProblem: designs must be a sequence of 7 matrices "
                f"(one per utility {UTILITIES}); got {type(self.designs).__name__} "
                f"of length {len(self.designs) if hasattr(self.designs, '__len__') else '?'}"
            )
        if not isinstance(self.offsets, tuple | list) or len(self.offsets) != 7:
            raise InvalidParameterError(
                "SignalingProblem: offsets must be a sequence of 7 arrays; got "
                f"{type(self.offsets).__name__} of length "
                f"{len(self.offsets) if hasattr(self.offsets, '__len__') else '?'}"
            )
        counts = _as_float_array(self.counts, "counts", 2)
        if counts.shape[1] != 4 or counts.shape[0] < 1:
            raise InvalidParameterError(
                f"SignalingProblem: counts must have shape (n, 4) with n >= 1; got {counts.shape}"
            )
        if np.any(counts < 0):
            i, j = (int(v) for v in np.argwhere(counts < 0)[0])
            raise InvalidParameterError(
                f"SignalingProblem: counts must be >= 0; got {counts[i, j]} at [{i}, {j}]"
            )
        n = counts.shape[0]
        designs = []
        offsets = []
        for j, name in enumerate(UTILITIES):
            x = _as_float_array(self.designs[j], f"designs[{j}] ({name})", 2)
            if x.shape[0] != n:
                raise InvalidParameterError(
                    f"SignalingProblem: designs[{j}] ({name}) must have {n} rows (one per unit of "
                    f"counts); got shape {x.shape}"
                )
            o = _as_float_array(self.offsets[j], f"offsets[{j}] ({name})", 1)
            if o.shape != (n,):
                raise InvalidParameterError(
                    f"SignalingProblem: offsets[{j}] ({name}) must have shape ({n},); "
                    f"got {o.shape}"
                )
            designs.append(x)
            offsets.append(o)
        sigma = self.sigma
        if isinstance(sigma, bool) or not isinstance(sigma, int | float | np.floating | np.integer):
            raise InvalidParameterError(
                f"SignalingProblem: sigma must be a positive real number; got {sigma!r}"
            )
        if not (math.isfinite(float(sigma)) and float(sigma) > 0):
            raise InvalidParameterError(
                f"SignalingProblem: sigma must be finite and > 0; got {sigma!r}"
            )
        object.__setattr__(self, "designs", tuple(designs))
        object.__setattr__(self, "offsets", tuple(offsets))
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "sigma", float(sigma))
        bounds = np.cumsum([0] + [x.shape[1] for x in designs])
        object.__setattr__(
            self, "_slices", tuple(slice(int(bounds[j]), int(bounds[j + 1])) for j in range(7))
        )

    @property
    def n_units(self) -> int:
        """Number of units (rows)."""
        return int(self.counts.shape[0])

    @property
    def n_params(self) -> int:
        """Length of θ (the sum of the design widths)."""
        return int(sum(x.shape[1] for x in self.designs))

    def check_theta(self, theta: object) -> FloatArray:
        """Return θ as a float vector of length :attr:`n_params`, or raise."""
        try:
            t = np.asarray(theta, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"theta must be a real vector of length {self.n_params}; "
                f"got {type(theta).__name__}"
            ) from exc
        if t.shape != (self.n_params,):
            raise InvalidParameterError(
                f"theta must have shape ({self.n_params},); got {t.shape}"
            )
        if not np.all(np.isfinite(t)):
            raise InvalidParameterError(f"theta must be finite; got {t.tolist()}")
        return t

    def utilities(self, theta: object) -> FloatArray:
        """The seven utilities ``U_j = X_j β_j + offset_j`` per unit, shape ``(7, n)``.

        Rows follow :data:`UTILITIES` (Lewis & Schultz 2003, Figure 1; Crisman-Cox & Gibilisco
        2021, Table 3 for the linear indices).
        """
        t = self.check_theta(theta)
        out = np.empty((7, self.n_units))
        for j in range(7):
            out[j] = self.designs[j] @ t[self._slices[j]] + self.offsets[j]
        return out

    def scores(self, d_u: FloatArray) -> FloatArray:
        """Per-unit θ-derivatives ``(n, n_params)`` from per-unit utility derivatives ``(7, n)``."""
        return np.concatenate([d_u[j][:, None] * self.designs[j] for j in range(7)], axis=1)

    def grad(self, d_u: FloatArray) -> FloatArray:
        """θ-gradient ``Σ_m ∂ℓ_m/∂θ`` from per-unit utility derivatives ``(7, n)``."""
        return np.concatenate([self.designs[j].T @ d_u[j] for j in range(7)])


# --------------------------------------------------------------------------------------------
# best responses (with derivatives)
# --------------------------------------------------------------------------------------------


def _mills(u: FloatArray) -> FloatArray:
    """``φ(u)/Φ(u)`` computed in log space (``-u`` to double precision below ``-1e8``)."""
    safe = np.maximum(u, -1e8)
    out = np.exp(-0.5 * safe * safe - 0.5 * math.log(2 * math.pi) - special.log_ndtr(safe))
    return np.asarray(np.where(u < -1e8, -u, out))


class _ASide(NamedTuple):
    """A's best response at ``p`` in log space, with derivatives in ``c``, ``W̄_A``, ``ā``."""

    c: FloatArray
    c_p: FloatArray
    c_sa: FloatArray
    c_va: FloatArray
    log_q: FloatArray  # log P(SQ)
    log_h: FloatArray  # log P(C ∧ F)
    log_b: FloatArray  # log P(C ∧ BD)
    log_pc: FloatArray
    pf: FloatArray
    # derivatives of log_q, log_h, log_b with respect to c, W̄_A, ā (rows)
    d_log_q: FloatArray
    d_log_h: FloatArray
    d_log_b: FloatArray

    def d_log_pc(self) -> FloatArray:
        """Derivative of ``log p_C`` in ``(c, W̄_A, ā)``: ``p_F ∂log h + (1 - p_F) ∂log b``."""
        return np.asarray(self.pf * self.d_log_h + (1.0 - self.pf) * self.d_log_b)

    def d_pf(self) -> FloatArray:
        """Derivative of ``p_F = h/(h + b)`` in ``(c, W̄_A, ā)``."""
        return np.asarray(self.pf * (1.0 - self.pf) * (self.d_log_h - self.d_log_b))


def _a_side(p: FloatArray, u: FloatArray, sigma: float) -> _ASide:
    """A's cut-point quantities at resistance probability ``p`` (Lewis & Schultz 2003, eq. 4).

    ``c* = (S_A - (1 - p) V_A)/p``; ``P(SQ) = Φ(u₁)Φ(u₂)`` with ``u₁ = (c* - W̄_A)/σ``,
    ``u₂ = (c* - ā)/σ``; ``P(C ∧ F) = Φ₂((W̄_A - ā)/(σ√2), -u₁; 1/√2)`` and
    ``P(C ∧ BD) = Φ₂((ā - W̄_A)/(σ√2), -u₂; 1/√2)`` (Crisman-Cox & Gibilisco 2021, eq. 6).
    When both ``u₁, u₂ > 8`` the one-tail forms ``Φ(-u₁)``, ``Φ(-u₂)`` are used (relative error
    below ``Φ(-8) ≈ 6e-16``) so that ``p_F`` stays accurate where both underflow.
    """
    sa, va, wa, a = u[_SA], u[_VA], u[_WA], u[_A]
    c = (sa - (1.0 - p) * va) / p
    c_p = (va - c) / p
    c_sa = 1.0 / p + 0.0 * c
    c_va = -(1.0 - p) / p + 0.0 * c
    d1 = (wa - a) / (sigma * _SQRT2) + 0.0 * c
    u1 = (c - wa) / sigma
    u2 = (c - a) / sigma
    d2 = -u1
    e2 = -u2
    log_q = special.log_ndtr(u1) + special.log_ndtr(u2)
    m1 = _mills(u1)
    m2 = _mills(u2)
    d_log_q = np.stack([(m1 + m2) / sigma, -m1 / sigma, -m2 / sigma])
    h = bvn_cdf(d1, d2, _RHO)
    b = bvn_cdf(-d1, e2, _RHO)
    hd1, hd2 = bvn_cdf_grad(d1, d2, _RHO)
    be1, be2 = bvn_cdf_grad(-d1, e2, _RHO)
    s2 = sigma * _SQRT2
    with np.errstate(divide="ignore", invalid="ignore"):
        hh = np.maximum(h, _TINY)
        bb = np.maximum(b, _TINY)
        log_h = np.log(hh)
        log_b = np.log(bb)
        d_log_h = np.stack([-hd2 / sigma, hd1 / s2 + hd2 / sigma, -hd1 / s2]) / hh
        d_log_b = np.stack([-be2 / sigma, -be1 / s2, be1 / s2 + be2 / sigma]) / bb
    tail = (u1 > _TAIL) & (u2 > _TAIL)
    if np.any(tail):
        md2 = _mills(d2)
        me2 = _mills(e2)
        zero = np.zeros_like(md2)
        log_h = np.where(tail, special.log_ndtr(d2), log_h)
        log_b = np.where(tail, special.log_ndtr(e2), log_b)
        d_log_h = np.where(tail, np.stack([-md2 / sigma, md2 / sigma, zero]), d_log_h)
        d_log_b = np.where(tail, np.stack([-me2 / sigma, zero, me2 / sigma]), d_log_b)
    log_pc = np.logaddexp(log_h, log_b)
    pf = special.expit(log_h - log_b)
    return _ASide(c, c_p, c_sa, c_va, log_q, log_h, log_b, log_pc, pf, d_log_q, d_log_h, d_log_b)


def _scatter_a(d_c: FloatArray, d_wa: FloatArray, d_a: FloatArray, s: _ASide,
               n_shape: tuple[int, ...]) -> FloatArray:
    """Map derivatives in ``(c, W̄_A, ā)`` to the 7 utilities (``c`` depends on ``S_A, V_A``)."""
    out = np.zeros((7, *n_shape))
    out[_SA] = d_c * s.c_sa
    out[_VA] = d_c * s.c_va
    out[_WA] = d_wa
    out[_A] = d_a
    return out


class _BSide(NamedTuple):
    """B's best response index ``z`` at ``q = p_F`` and its derivatives."""

    z: FloatArray
    z_q: FloatArray
    z_u: FloatArray  # (7, ...) derivatives in the utilities (only C_B, W̄_B, V_B non-zero)


def _b_side(q: FloatArray, u: FloatArray, sigma: float) -> _BSide:
    """``z = (q W̄_B + (1 - q) V_B - C_B)/(σ q)`` so that ``Ψ_R(q) = Φ(z)``.

    Lewis & Schultz (2003), eq. 5; Crisman-Cox & Gibilisco (2021), eq. 5.
    """
    cb, wb, vb = u[_CB], u[_WB], u[_VB]
    q = np.maximum(q, _TINY)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        z = (wb - vb) / sigma + (vb - cb) / (sigma * q)
        z_q = -(vb - cb) / (sigma * q * q)
        z_u = np.zeros((7, *np.shape(z)))
        z_u[_CB] = -1.0 / (sigma * q)
        z_u[_WB] = 1.0 / sigma + 0.0 * z
        z_u[_VB] = (1.0 - q) / (sigma * q)
    return _BSide(np.asarray(z), np.asarray(z_q), z_u)


def _check_prob(value: object, name: str, n: int | None = None, *, zero: bool = False,
                one: bool = False) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"{name} must be an array of probabilities; got {type(value).__name__}"
        ) from exc
    if n is not None and arr.shape != (n,):
        raise InvalidParameterError(f"{name} must have shape ({n},); got {arr.shape}")
    low = arr >= 0.0 if zero else arr > 0.0
    high = arr <= 1.0 if one else arr < 1.0
    bad = ~(np.isfinite(arr) & low & high)
    if np.any(bad):
        i = tuple(int(v) for v in np.argwhere(bad)[0])
        interval = f"{'[' if zero else '('}0, 1{']' if one else ')'}"
        raise InvalidParameterError(
            f"{name} must be finite probabilities in {interval}; got {arr[i]} at {list(i)}"
        )
    return arr


def _check_u(u: object) -> FloatArray:
    arr = np.asarray(u, dtype=float)
    if arr.ndim < 1 or arr.shape[0] != 7 or not np.all(np.isfinite(arr)):
        raise InvalidParameterError(
            f"U must be a finite array with 7 rows {UTILITIES}; got shape {arr.shape}"
        )
    return arr


def _check_sigma(sigma: object) -> float:
    if isinstance(sigma, bool) or not isinstance(sigma, int | float | np.floating | np.integer):
        raise InvalidParameterError(f"sigma must be a positive real number; got {sigma!r}")
    s = float(sigma)
    if not (math.isfinite(s) and s > 0):
        raise InvalidParameterError(f"sigma must be finite and > 0; got {sigma!r}")
    return s


def best_response_A(p_resist: object, U: object, sigma: float = 1.0
                    ) -> tuple[FloatArray, FloatArray]:
    """A's best response ``Ψ_A(p) = (p_C, p_F)`` to a resistance probability.

    ``p_C = 1 - Φ((c* - W̄_A)/σ)Φ((c* - ā)/σ)`` and ``p_F = Φ₂(d₁, d₂; 1/√2)/p_C`` with
    ``c* = (S_A - (1 - p)V_A)/p``, ``d₁ = (W̄_A - ā)/(σ√2)``, ``d₂ = (W̄_A - c*)/σ``
    (Lewis & Schultz 2003, eq. 4; Crisman-Cox & Gibilisco 2021, eq. 6).

    Parameters
    ----------
    p_resist : array_like
        ``P(B resists | challenge)`` per unit, in ``(0, 1]``.
    U : array_like
        Utilities ``(7, n)`` in :data:`UTILITIES` order.
    sigma : float
        Shock scale.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``p_challenge`` and ``p_firm`` (stand firm given challenge and resistance).

    Examples
    --------
    >>> import numpy as np
    >>> pc, pf = best_response_A(np.array([0.5]), np.zeros((7, 1)))
    >>> round(float(pc[0]), 6), round(float(pf[0]), 6)
    (0.75, 0.5)
    """
    s = _check_sigma(sigma)
    u = _check_u(U)
    p = _check_prob(p_resist, "p_resist", one=True)
    a = _a_side(p, u, s)
    return np.asarray(np.minimum(np.exp(a.log_pc), 1.0)), np.asarray(a.pf)


def best_response_B(p_firm: object, U: object, sigma: float = 1.0) -> FloatArray:
    """B's best response ``Ψ_R(q) = Φ((q W̄_B + (1 - q)V_B - C_B)/(σ q))``.

    Lewis & Schultz (2003), eq. 5; Crisman-Cox & Gibilisco (2021), eq. 5.

    Parameters
    ----------
    p_firm : array_like
        ``P(A stands firm | challenge, resistance)`` per unit, in ``[0, 1]``.
    U : array_like
        Utilities ``(7, n)``.
    sigma : float
        Shock scale.

    Returns
    -------
    numpy.ndarray
        ``p_resist`` per unit.

    Examples
    --------
    >>> import numpy as np
    >>> float(best_response_B(np.array([0.5]), np.zeros((7, 1)))[0])
    0.5
    """
    s = _check_sigma(sigma)
    u = _check_u(U)
    q = _check_prob(p_firm, "p_firm", zero=True, one=True)
    return np.asarray(special.ndtr(_b_side(q, u, s).z))


def outcome_probabilities(p_resist: object, U: object, sigma: float = 1.0) -> FloatArray:
    """Outcome probabilities ``(SQ, CD, SF, BD)`` per unit at resistance probability ``p``.

    ``SQ = 1 - p_C``, ``CD = p_C(1 - p)``, ``SF = p P(C ∧ F)``, ``BD = p P(C ∧ BD)``
    (Lewis & Schultz 2003, eq. 6; Crisman-Cox & Gibilisco 2021, eq. 7), with ``p_C`` and
    ``P(C ∧ ·)`` from A's best response to ``p``.  At an equilibrium ``p`` these are the model's
    predictions.

    Returns
    -------
    numpy.ndarray
        ``(n, 4)``; each row sums to one.

    Examples
    --------
    >>> import numpy as np
    >>> outcome_probabilities(np.array([0.5]), np.zeros((7, 1))).round(4).tolist()
    [[0.25, 0.375, 0.1875, 0.1875]]
    """
    s = _check_sigma(sigma)
    u = _check_u(U)
    p = _check_prob(p_resist, "p_resist", one=True)
    a = _a_side(p, u, s)
    pc = np.exp(a.log_pc)
    out = np.stack([np.exp(a.log_q), pc * (1.0 - p), p * np.exp(a.log_h), p * np.exp(a.log_b)],
                   axis=-1)
    # P(SQ) and p_C are computed separately (each accurately); renormalise the rounding
    return np.asarray(out / out.sum(axis=-1, keepdims=True))


# --------------------------------------------------------------------------------------------
# equilibria
# --------------------------------------------------------------------------------------------


def _const(p: FloatArray, u: FloatArray, sigma: float) -> FloatArray:
    """``const(p) = p - Ψ_R(Ψ_A,F(p))`` (Crisman-Cox & Gibilisco 2021, eq. 8), broadcasting.

    Lean version for grid scans: ``p_F = P(C∧F)/p_C`` with ``p_C = -expm1(log P(SQ))`` (one
    bivariate normal per point), and the one-tail ratio where both tails are beyond ``8σ``.
    """
    sa, va, wa, a = u[_SA], u[_VA], u[_WA], u[_A]
    c = (sa - (1.0 - p) * va) / p
    u1 = (c - wa) / sigma
    u2 = (c - a) / sigma
    log_q = special.log_ndtr(u1) + special.log_ndtr(u2)
    pc = -np.expm1(log_q)
    h = bvn_cdf((wa - a) / (sigma * _SQRT2) + 0.0 * c, -u1, _RHO)
    with np.errstate(divide="ignore", invalid="ignore"):
        pf = np.minimum(h / pc, 1.0)
        tail = (u1 > _TAIL) & (u2 > _TAIL)
        if np.any(tail):
            pf = np.where(tail, special.expit(special.log_ndtr(-u1) - special.log_ndtr(-u2)), pf)
    return np.asarray(p - special.ndtr(_b_side(pf, u, sigma).z))


def _const_sigint(p: FloatArray, u: FloatArray, sigma: float) -> FloatArray:
    """``const`` with sigInt's floating-point shortcuts (``const.jo``): ``p_C = 1 - Φ(u₁)Φ(u₂)``
    floored at machine epsilon and ``p_F = P(C∧F)/p_C`` (so ``p_F`` collapses to 0 where
    ``p_C`` underflows).  Only for reproducing sigInt's equilibrium counts."""
    sa, va, cb, wa, wb, a, vb = (u[j] for j in range(7))
    c = (sa - (1.0 - p) * va) / p
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pc = 1.0 - special.ndtr((c - wa) / sigma) * special.ndtr((c - a) / sigma)
        pc = np.maximum(pc, _EPS)
        h = bvn_cdf((wa - a) / (sigma * _SQRT2) + 0.0 * c, (wa - c) / sigma, _RHO)
        pf = h / pc
        return np.asarray(p - special.ndtr((pf * wb + (1.0 - pf) * vb - cb) / (sigma * pf)))


def _const_and_slope(p: FloatArray, u: FloatArray, sigma: float
                     ) -> tuple[FloatArray, FloatArray, _ASide, _BSide]:
    a = _a_side(p, u, sigma)
    b = _b_side(a.pf, u, sigma)
    dens = np.exp(-0.5 * b.z * b.z) / math.sqrt(2 * math.pi)
    pf_c = a.d_pf()[0]
    f = p - special.ndtr(b.z)
    f_p = 1.0 - dens * b.z_q * pf_c * a.c_p
    return np.asarray(f), np.asarray(f_p), a, b


_ConstFn = Callable[[FloatArray, FloatArray, float], FloatArray]


def _refine(lo: FloatArray, hi: FloatArray, u: FloatArray, sigma: float,
            const: _ConstFn = _const) -> FloatArray:
    """Roots of ``const`` in brackets ``[lo, hi]`` (one per column of ``u``), vectorised.

    Chandrupatla's bracketing method (:func:`scipy.optimize.elementwise.find_root`), the
    vectorised counterpart of Brent's ``brentq``.
    """
    if lo.size == 0:
        return np.zeros(0)

    def fun(x: FloatArray, *cols: FloatArray) -> FloatArray:
        return const(x, np.stack(cols), sigma)

    res = _elementwise.find_root(
        fun, (lo, hi), args=tuple(u), tolerances={"xatol": 1e-15, "xrtol": 4 * _EPS}
    )
    return np.asarray(res.x, dtype=float)


def _golden_extremum(lo: FloatArray, hi: FloatArray, u: FloatArray, sigma: float,
                     sign: FloatArray, const: _ConstFn = _const, iters: int = 60
                     ) -> tuple[FloatArray, FloatArray]:
    """Vectorised golden-section search of the minimum of ``sign·const`` on ``[lo, hi]``."""
    g = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = lo.copy(), hi.copy()
    x1 = b - g * (b - a)
    x2 = a + g * (b - a)
    f1 = sign * const(x1, u, sigma)
    f2 = sign * const(x2, u, sigma)
    for _ in range(iters):
        left = f1 < f2
        b = np.where(left, x2, b)
        a = np.where(left, a, x1)
        x2n = np.where(left, x1, a + g * (b - a))
        x1n = np.where(left, b - g * (b - a), x2)
        f2n = np.where(left, f1, np.nan)
        f1n = np.where(left, np.nan, f2)
        need1 = left
        need2 = ~left
        x1, x2 = x1n, x2n
        if np.any(need1):
            f1n[need1] = sign[need1] * const(x1[need1], u[:, need1], sigma)
        if np.any(need2):
            f2n[need2] = sign[need2] * const(x2[need2], u[:, need2], sigma)
        f1, f2 = f1n, f2n
    best = np.where(f1 < f2, x1, x2)
    return best, np.minimum(f1, f2)


def _equilibria_u(u: FloatArray, sigma: float, grid: int, const: _ConstFn = _const,
                  chunk_points: int = 500_000) -> list[FloatArray]:
    n = u.shape[1]
    # the uniform grid, refined geometrically inside its two end cells (down to 1e-12 of 0 and 1)
    ends = 10.0 ** -np.arange(8, 0, -1) / grid
    pts = np.concatenate([ends, np.arange(1, grid, dtype=float) / grid, 1.0 - ends[::-1], [1.0]])
    found_lo: list[FloatArray] = []
    found_hi: list[FloatArray] = []
    found_unit: list[NDArray[np.intp]] = []
    ext_lo: list[FloatArray] = []
    ext_hi: list[FloatArray] = []
    ext_unit: list[NDArray[np.intp]] = []
    ext_sign: list[FloatArray] = []
    step = max(1, chunk_points // max(1, pts.size))
    for start in range(0, n, step):
        idx = np.arange(start, min(n, start + step))
        uc = u[:, idx][:, :, None]
        f = const(pts[None, :], uc, sigma)
        sg = np.sign(f)
        # sign changes (an exact zero counts once, at the grid point where it occurs)
        change = (sg[:, :-1] * sg[:, 1:] < 0) | ((sg[:, :-1] == 0) & np.isfinite(f[:, 1:]))
        r, cidx = np.nonzero(change)
        found_lo.append(pts[cidx])
        found_hi.append(pts[cidx + 1])
        found_unit.append(idx[r])
        # a local extremum of const that keeps its sign may hide two roots inside one cell
        df = np.diff(f, axis=1)
        turn = (df[:, :-1] * df[:, 1:] < 0) & (sg[:, 1:-1] != 0)
        towards_zero = np.sign(df[:, :-1]) == -sg[:, 1:-1]  # |const| decreasing into the turn
        cand = turn & towards_zero & (sg[:, :-2] == sg[:, 1:-1]) & (sg[:, 2:] == sg[:, 1:-1])
        r2, c2 = np.nonzero(cand)
        ext_lo.append(pts[c2])
        ext_hi.append(pts[c2 + 2])
        ext_unit.append(idx[r2])
        ext_sign.append(sg[r2, c2 + 1])
    lo = np.concatenate(found_lo)
    hi = np.concatenate(found_hi)
    unit = np.concatenate(found_unit)
    roots = [lo.copy()]
    units = [unit]
    exact = const(lo, u[:, unit], sigma) == 0
    inner = ~exact
    if np.any(inner):
        roots[0][inner] = _refine(lo[inner], hi[inner], u[:, unit[inner]], sigma, const)
    elo = np.concatenate(ext_lo)
    if elo.size:
        ehi = np.concatenate(ext_hi)
        eunit = np.concatenate(ext_unit)
        esign = np.concatenate(ext_sign)
        xm, fm = _golden_extremum(elo, ehi, u[:, eunit], sigma, esign, const)
        hit = fm < 0  # the extremum crosses zero: two roots, one each side of it
        if np.any(hit):
            uu = u[:, eunit[hit]]
            roots.append(_refine(elo[hit], xm[hit], uu, sigma, const))
            roots.append(_refine(xm[hit], ehi[hit], uu, sigma, const))
            units.extend([eunit[hit], eunit[hit]])
    all_roots = np.concatenate(roots)
    all_units = np.concatenate(units)
    order = np.lexsort((all_roots, all_units))
    all_roots = all_roots[order]
    all_units = all_units[order]
    out: list[FloatArray] = []
    bounds = np.searchsorted(all_units, np.arange(n + 1))
    for m in range(n):
        rts = all_roots[bounds[m]:bounds[m + 1]]
        if rts.size > 1:
            rts = rts[np.concatenate([[True], np.diff(rts) > 1e-12])]
        out.append(np.asarray(rts, dtype=float))
    return out


def equilibria(problem: SignalingProblem, theta: object, grid: int = 10_000, *,
               sigint_numerics: bool = False) -> list[FloatArray]:
    """Every unit's equilibrium resistance probabilities in ``(0, 1)``.

    The roots of ``const(p) = p - Ψ_R(Ψ_A,F(p); θ)`` (Crisman-Cox & Gibilisco 2021, eq. 8) are
    bracketed by the sign changes of ``const`` on the grid ``i/grid``, ``i = 1..grid-1`` (as
    sigInt's ``generate.eq`` does; the two end cells are refined geometrically to within
    ``1e-12`` of 0 and 1, and ``p = 1`` closes the grid), and refined by a vectorised
    bracketing solver.  A local
    extremum of ``const`` on the grid that approaches zero without crossing it is searched
    (golden section) for a pair of roots inside one cell.  All units are processed together.

    Parameters
    ----------
    problem : SignalingProblem
    theta : array_like
        Parameters, length ``problem.n_params``.
    grid : int
        Number of grid cells on ``(0, 1)``.
    sigint_numerics : bool
        Evaluate ``const`` as sigInt's ``const.jo`` does (``p_C`` floored at machine epsilon
        before ``p_F = P(C∧F)/p_C``).  Where ``p_C`` underflows (small ``p`` with
        ``S_A > V_A``) this makes ``p_F`` collapse to 0 instead of tending to 1, and
        ``const`` turns positive: a spurious root.  Only for comparison with published counts
        (the "69 dyads with two equilibria at the PL estimates" are such roots).

    Returns
    -------
    list of numpy.ndarray
        One sorted array of equilibria per unit (possibly several).
    """
    if isinstance(grid, bool) or not isinstance(grid, int | np.integer) or grid < 2:
        raise InvalidParameterError(f"equilibria: grid must be an integer >= 2; got {grid!r}")
    u = problem.utilities(theta)
    return _equilibria_u(u, problem.sigma, int(grid), _const_sigint if sigint_numerics else _const)


# --------------------------------------------------------------------------------------------
# likelihoods
# --------------------------------------------------------------------------------------------


def _eq_terms(u: FloatArray, p: FloatArray, counts: FloatArray, sigma: float
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-unit log-likelihood at resistance probability ``p`` with its partial derivatives.

    ``ℓ_m = sq log P(SQ) + cd (log p_C + log(1 - p)) + sf (log p + log P(C∧F))
    + bd (log p + log P(C∧BD))`` (Crisman-Cox & Gibilisco 2021, eq. 9).  Returns ``ℓ_m``,
    ``∂ℓ_m/∂p`` (through ``c*`` and directly) and ``∂ℓ_m/∂U`` ``(7, n)`` at fixed ``p``.
    """
    sq, cd, sf, bd = counts.T
    a = _a_side(p, u, sigma)
    d_pc = a.d_log_pc()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(p)
        log_1mp = np.log1p(-p)
        ll = sq * a.log_q + cd * (a.log_pc + log_1mp) + sf * (log_p + a.log_h) + bd * (
            log_p + a.log_b)
        d = sq * a.d_log_q + cd * d_pc + sf * a.d_log_h + bd * a.d_log_b  # (3, n)
        ll_p = d[0] * a.c_p - cd / (1.0 - p) + (sf + bd) / p
    d_u = _scatter_a(d[0], d[1], d[2], a, p.shape)
    return np.asarray(ll), np.asarray(ll_p), d_u


def loglik(problem: SignalingProblem, theta: object, p_resist: object) -> float:
    """Log-likelihood ``Σ_m Σ_k y_mk log P_mk`` at given per-unit resistance probabilities.

    Pass each unit's equilibrium ``p`` (for example from :func:`equilibria`); the outcome
    probabilities are those of :func:`outcome_probabilities` (Crisman-Cox & Gibilisco 2021,
    eq. 9).  No floors are applied.

    Returns
    -------
    float
    """
    p = _check_prob(p_resist, "p_resist", problem.n_units)
    u = problem.utilities(theta)
    ll, _, _ = _eq_terms(u, p, problem.counts, problem.sigma)
    return float(np.sum(ll))


def _pl_terms(u: FloatArray, p_r: FloatArray, p_f: FloatArray, counts: FloatArray,
              sigma: float) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per-unit pseudo-log-likelihood ``Q_m(θ; p̂)`` and its derivatives.

    ``P(B resists) = Ψ_R(p̂_F; θ)`` and ``(p_C, p_F) = Ψ_A(p̂_R; θ)`` (Crisman-Cox & Gibilisco
    2021, eq. 10; sigInt's ``QLL.jo``); outcome probabilities at or below ``√eps`` are floored
    there (their derivative is then zero).  Returns ``Q_m``, ``∂Q_m/∂U`` ``(7, n)``,
    ``∂Q_m/∂p̂_R`` and ``∂Q_m/∂p̂_F``.
    """
    a = _a_side(p_r, u, sigma)
    b = _b_side(p_f, u, sigma)
    log_r = special.log_ndtr(b.z)
    log_nr = special.log_ndtr(-b.z)
    logs = np.stack([a.log_q, a.log_pc + log_nr, log_r + a.log_h, log_r + a.log_b])
    floored = logs <= _LOG_SQRT_EPS
    logs = np.where(floored, _LOG_SQRT_EPS, logs)
    w = np.where(floored, 0.0, counts.T)
    ll = np.sum(counts.T * logs, axis=0)
    d = w[0] * a.d_log_q + w[1] * a.d_log_pc() + w[2] * a.d_log_h + w[3] * a.d_log_b
    d_z = (w[2] + w[3]) * _mills(b.z) - w[1] * _mills(-b.z)
    d_u = _scatter_a(d[0], d[1], d[2], a, p_r.shape) + d_z * b.z_u
    return np.asarray(ll), d_u, np.asarray(d[0] * a.c_p), np.asarray(d_z * b.z_q)


def pseudo_loglik(problem: SignalingProblem, theta: object, p_resist_hat: object,
                  p_firm_hat: object) -> tuple[float, FloatArray]:
    """Pseudo-log-likelihood ``Q(θ; p̂)`` and its analytic θ-gradient.

    ``Q = Σ_m Σ_k y_mk log P_mk`` with B resisting with ``Ψ_R(p̂_F; θ)`` and A's choices
    ``Ψ_A(p̂_R; θ)`` (Crisman-Cox & Gibilisco 2021, eq. 10); probabilities ``<= √eps`` are
    floored at ``√eps`` as in sigInt.

    Returns
    -------
    (float, numpy.ndarray)
    """
    n = problem.n_units
    pr = _check_prob(p_resist_hat, "p_resist_hat", n)
    pf = _check_prob(p_firm_hat, "p_firm_hat", n)
    u = problem.utilities(theta)
    ll, d_u, _, _ = _pl_terms(u, pr, pf, problem.counts, problem.sigma)
    return float(np.sum(ll)), problem.grad(d_u)


# --------------------------------------------------------------------------------------------
# reduced-space CMLE: equilibrium as an implicit function of θ
# --------------------------------------------------------------------------------------------


def _solve_fixed_points(u: FloatArray, p0: FloatArray, sigma: float, max_iter: int = 60,
                        tol: float = 1e-13) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Vectorised safeguarded Newton on ``const(p) = 0`` from ``p0`` (one root per unit)."""
    p = np.clip(p0, 1e-12, 1.0 - 1e-12)
    done = np.zeros(p.shape, dtype=bool)
    active = np.arange(p.size)
    for _ in range(max_iter):
        pa = p[active]
        f, f_p, _, _ = _const_and_slope(pa, u[:, active], sigma)
        step = f / f_p
        new = pa - step
        bad = ~np.isfinite(new) | (new <= 0.0) | (new >= 1.0)
        # leaving (0, 1): move half-way to the boundary the Newton step points at
        toward_one = np.where(np.isfinite(step), step < 0, f < 0)
        new = np.where(bad, np.where(toward_one, 0.5 * (pa + 1.0), 0.5 * pa), new)
        conv = (np.abs(f) <= tol) | (np.abs(new - pa) <= 1e-15 + 4 * _EPS * pa)
        p[active] = np.where(conv & ~bad, np.where(np.abs(f) <= tol, pa, new), new)
        done[active[conv & ~bad]] = True
        active = active[~(conv & ~bad)]
        if active.size == 0:
            break
    return p, done


def _fixed_points(u: FloatArray, p0: FloatArray, sigma: float) -> FloatArray:
    """Equilibria by Newton from ``p0``; units where Newton fails use the grid (nearest root)."""
    p, done = _solve_fixed_points(u, p0, sigma)
    if not np.all(done):
        idx = np.flatnonzero(~done)
        roots = _equilibria_u(u[:, idx], sigma, 2000)
        for k, m in enumerate(idx):
            r = roots[k]
            if r.size:
                p[m] = r[np.argmin(np.abs(r - p0[m]))]
            # polish on the fine scale
        p[idx], _ = _solve_fixed_points(u[:, idx], p[idx], sigma, max_iter=20)
    return p


def track_equilibria(problem: SignalingProblem, theta: object, p_start: object) -> FloatArray:
    """Each unit's equilibrium at *theta*, followed from *p_start* by Newton's method.

    Units where Newton fails fall back to the grid of :func:`equilibria` (the root
    nearest *p_start*).  This is how predictions move with the parameters: the
    equilibrium selected at the estimates is continued, not re-chosen.
    """
    th = problem.check_theta(theta)
    p0 = _check_prob(p_start, "p_start", problem.n_units)
    return _fixed_points(problem.utilities(th), p0, problem.sigma)


def _profile_terms(problem: SignalingProblem, theta: FloatArray, p0: FloatArray
                   ) -> tuple[float, FloatArray, FloatArray, FloatArray]:
    """Profile log-likelihood, gradient, equilibrium ``p(θ)`` and per-unit scores.

    The gradient is ``∂ℓ/∂θ - Σ_m (∂ℓ_m/∂p / ∂const_m/∂p) ∂const_m/∂θ`` (implicit-function
    theorem on ``const(p_m; θ) = 0``; Crisman-Cox & Gibilisco 2021, section 4.3).
    """
    u = problem.utilities(theta)
    sigma = problem.sigma
    p = _fixed_points(u, p0, sigma)
    ll, ll_p, ll_u = _eq_terms(u, p, problem.counts, sigma)
    _f, f_p, a, b = _const_and_slope(p, u, sigma)
    dens = np.exp(-0.5 * b.z * b.z) / math.sqrt(2 * math.pi)
    d_pf = a.d_pf()
    # ∂const/∂U = -φ(z) (∂z/∂U + ∂z/∂q ∂p_F/∂U)
    f_u = -dens * (b.z_u + b.z_q * _scatter_a(d_pf[0], d_pf[1], d_pf[2], a, p.shape))
    lam = ll_p / f_p
    d_u = ll_u - lam * f_u
    return float(np.sum(ll)), problem.grad(d_u), p, problem.scores(d_u)


def profile_loglik(problem: SignalingProblem, theta: object, p_start: object
                   ) -> tuple[float, FloatArray, FloatArray]:
    """Profile log-likelihood of the CMLE, its analytic gradient and the equilibria used.

    Each unit's equilibrium ``p_m(θ)`` is found by Newton's method from ``p_start`` (the
    equilibrium selected by continuation from that start); the gradient follows from the
    implicit-function theorem (Crisman-Cox & Gibilisco 2021, section 4.3).

    Returns
    -------
    (float, numpy.ndarray, numpy.ndarray)
        ``ℓ(θ, p(θ))``, ``dℓ/dθ`` and ``p(θ)``.
    """
    t = problem.check_theta(theta)
    p0 = _check_prob(p_start, "p_start", problem.n_units)
    ll, g, p, _ = _profile_terms(problem, t, p0)
    return ll, g, p


# --------------------------------------------------------------------------------------------
# optimisation helpers
# --------------------------------------------------------------------------------------------


def _fd_hessian(grad: Callable[[FloatArray], FloatArray], x: FloatArray,
                rel: float = 1e-5) -> FloatArray:
    """Central differences of an analytic gradient, symmetrised."""
    k = x.size
    h_mat = np.empty((k, k))
    for i in range(k):
        hi = rel * max(1.0, abs(float(x[i])))
        e = np.zeros(k)
        e[i] = hi
        h_mat[:, i] = (grad(x + e) - grad(x - e)) / (2.0 * hi)
    return np.asarray(0.5 * (h_mat + h_mat.T))


class _MaxResult(NamedTuple):
    x: FloatArray
    value: float
    grad: FloatArray
    iterations: int
    converged: bool
    message: str


def _maximise(fg: Callable[[FloatArray], tuple[float, FloatArray]], x0: FloatArray,
              scores: FloatArray | None = None, gtol: float = 1e-6, max_iter: int = 5000,
              polish: int = 6) -> _MaxResult:
    """Maximise with BFGS (analytic gradient), then polish with Newton steps on the
    central-difference Hessian of the gradient (quadratic convergence near the optimum).

    ``scores`` (per-unit gradients at ``x0``) give BFGS its initial inverse Hessian, the inverse
    outer product (BHHH), so that the first steps are scaled."""

    def neg(x: FloatArray) -> tuple[float, FloatArray]:
        v, g = fg(x)
        if not (np.isfinite(v) and np.all(np.isfinite(g))):
            return math.inf, np.zeros_like(x)
        return -v, -g

    options: dict[str, object] = {"gtol": gtol, "maxiter": max_iter}
    if scores is not None:
        h0 = _inverse(scores.T @ scores)
        if h0 is not None and np.all(np.linalg.eigvalsh(h0) > 0):
            options["hess_inv0"] = h0
    try:
        res = optimize.minimize(neg, x0, jac=True, method="BFGS", options=options)
    except ValueError:  # scipy's own check of hess_inv0 is stricter than eigvalsh > 0
        options.pop("hess_inv0", None)
        res = optimize.minimize(neg, x0, jac=True, method="BFGS", options=options)
    x = np.asarray(res.x, dtype=float)
    iters = int(res.nit)
    value, g = fg(x)
    message = str(res.message)
    for _ in range(polish):
        if np.max(np.abs(g)) < 1e-9:
            break
        hess = _fd_hessian(lambda y: fg(y)[1], x)
        try:
            step = -np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or float(g @ step) <= 0:
            break  # not an ascent direction: Hessian not negative definite here
        t = 1.0
        improved = False
        for _ls in range(20):
            v2, g2 = fg(x + t * step)
            if np.isfinite(v2) and v2 >= value - 1e-10:
                x, value, g = x + t * step, v2, g2
                improved = True
                break
            t *= 0.5
        iters += 1
        if not improved:
            break
    converged = bool(np.max(np.abs(g)) < max(gtol, 1e-4))
    return _MaxResult(x, float(value), g, iters, converged, message)


# --------------------------------------------------------------------------------------------
# fits
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalingFit:
    """The result of a signalling-game estimator (:func:`fit_pl`, :func:`fit_npl`,
    :func:`fit_cmle`)."""

    method: str
    theta: FloatArray
    loglik: float
    covariance: FloatArray | None
    p_resist: FloatArray
    n_equilibria: NDArray[np.int64]
    converged: bool
    iterations: int
    message: str
    seconds: float

    @property
    def std_errors(self) -> FloatArray | None:
        """Square roots of the diagonal of :attr:`covariance` (``None`` without one)."""
        if self.covariance is None:
            return None
        return np.asarray(np.sqrt(np.clip(np.diag(self.covariance), 0.0, None)))


def _start(problem: SignalingProblem, start: object | None) -> FloatArray:
    if start is None:
        return np.zeros(problem.n_params)
    return problem.check_theta(start)


def _inverse(mat: FloatArray) -> FloatArray | None:
    try:
        inv = np.linalg.inv(mat)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(inv)):
        return None
    return np.asarray(0.5 * (inv + inv.T))


def _n_eq(problem: SignalingProblem, theta: FloatArray) -> NDArray[np.int64]:
    return np.array([r.size for r in equilibria(problem, theta)], dtype=np.int64)


def _fit_pseudo(problem: SignalingProblem, pr: FloatArray, pf: FloatArray, x0: FloatArray
                ) -> _MaxResult:
    u0 = problem

    def fg(x: FloatArray) -> tuple[float, FloatArray]:
        u = u0.utilities(x)
        ll, d_u, _, _ = _pl_terms(u, pr, pf, u0.counts, u0.sigma)
        return float(np.sum(ll)), u0.grad(d_u)

    _, d_u0, _, _ = _pl_terms(u0.utilities(x0), pr, pf, u0.counts, u0.sigma)
    return _maximise(fg, x0, scores=u0.scores(d_u0))


def fit_pl(problem: SignalingProblem, p_resist_hat: object, p_firm_hat: object,
           start: object | None = None) -> SignalingFit:
    """Two-step pseudo-likelihood (PL) estimate given first-stage choice probabilities.

    Maximises ``Q(θ; p̂)`` (:func:`pseudo_loglik`; Crisman-Cox & Gibilisco 2021, section 4.1)
    by BFGS with the analytic gradient from ``start`` (zeros by default), polished by Newton
    steps.  The covariance is the inverse outer product of the per-unit scores *conditional on
    the first stage* (sigInt's formula without the first-stage term).

    Parameters
    ----------
    problem : SignalingProblem
    p_resist_hat, p_firm_hat : array_like
        First-stage ``P(resist)`` and ``P(firm | resist)`` per unit, in ``(0, 1)``.
    start : array_like, optional
        Starting θ.

    Returns
    -------
    SignalingFit
        ``p_resist`` is the model-implied ``Ψ_R(p̂_F; θ̂)``.
    """
    t0 = time.perf_counter()
    n = problem.n_units
    pr = _check_prob(p_resist_hat, "p_resist_hat", n)
    pf = _check_prob(p_firm_hat, "p_firm_hat", n)
    res = _fit_pseudo(problem, pr, pf, _start(problem, start))
    u = problem.utilities(res.x)
    _, d_u, _, _ = _pl_terms(u, pr, pf, problem.counts, problem.sigma)
    s = problem.scores(d_u)
    cov = _inverse(s.T @ s)
    p_model = np.asarray(special.ndtr(_b_side(pf, u, problem.sigma).z))
    msg = (f"PL: {res.message}; max|gradient| {np.max(np.abs(res.grad)):.2e}. Covariance: inverse "
           "outer product of scores, conditional on the first stage (first-stage uncertainty "
           "not included)")
    if cov is None:
        msg += "; the outer product of scores is singular, no covariance"
    return SignalingFit("pl", res.x, res.value, cov, p_model, _n_eq(problem, res.x),
                        res.converged, res.iterations, msg, time.perf_counter() - t0)


def _npl_variance(problem: SignalingProblem, theta: FloatArray, pr: FloatArray, pf: FloatArray,
                  sigint: bool = False) -> FloatArray | None:
    """Aguirregabiria & Mira (2007, section 3.3) sandwich for the NPL estimator.

    With per-unit scores ``s_θ`` (n×k) and ``s_P`` of ``Q`` in θ and in ``P = (P_R, P_F)``,
    ``Ω_θθ = s_θ' s_θ``, ``Ω_θP = s_θ' s_P`` and the best-response Jacobians ``Ψ_θ`` (2n×k),
    ``Ψ_P`` (2n×2n, ``[i, j] = ∂Ψ_i/∂P_j``), the estimator solves ``∇_θ Q(θ, P) = 0`` and
    ``P = Ψ(θ, P)``; linearising, ``V = A⁻¹ Ω_θθ A⁻ᵀ`` with
    ``A = Ω_θθ + Ω_θP (I - Ψ_P)⁻¹ Ψ_θ``.  This linearisation matches the finite-difference
    derivative of the NPL fixed point with respect to the data to 1e-7.  ``sigint=True`` uses
    ``(I - Ψ_Pᵀ)⁻¹`` instead, as sigInt's (transpose-fixed) ``vcov.NPL`` does; that reproduces
    the reference ``se_corrected`` but not the linearisation.
    """
    n = problem.n_units
    sigma = problem.sigma
    u = problem.utilities(theta)
    _, d_u, d_pr, d_pf = _pl_terms(u, pr, pf, problem.counts, sigma)
    s_t = problem.scores(d_u)
    omega = s_t.T @ s_t
    omega_tp = np.concatenate([s_t.T * d_pr, s_t.T * d_pf], axis=1)  # k × 2n
    a = _a_side(pr, u, sigma)
    b = _b_side(pf, u, sigma)
    dens = np.exp(-0.5 * b.z * b.z) / math.sqrt(2 * math.pi)
    d_pfa = a.d_pf()
    psi_p = np.zeros((2 * n, 2 * n))
    ar = np.arange(n)
    psi_p[ar, n + ar] = dens * b.z_q  # ∂Ψ_R,m/∂P_F,m
    psi_p[n + ar, ar] = d_pfa[0] * a.c_p  # ∂Ψ_F,m/∂P_R,m
    psi_t = np.concatenate([problem.scores(dens * b.z_u),
                            problem.scores(_scatter_a(d_pfa[0], d_pfa[1], d_pfa[2], a,
                                                      pr.shape))], axis=0)
    try:
        jac = psi_p.T if sigint else psi_p
        a_mat = omega + omega_tp @ np.linalg.solve(np.eye(2 * n) - jac, psi_t)
        a_inv = np.linalg.inv(a_mat)
    except np.linalg.LinAlgError:
        return None
    v = a_inv @ omega @ a_inv.T
    if not np.all(np.isfinite(v)):
        return None
    return np.asarray(0.5 * (v + v.T))


def _best_responses(u: FloatArray, pr: FloatArray, pf: FloatArray, sigma: float
                    ) -> tuple[FloatArray, FloatArray]:
    """One NPL update ``(Ψ_R(P_F), Ψ_A,F(P_R))`` (Aguirregabiria & Mira 2007, eq. 17)."""
    new_pf = _a_side(pr, u, sigma).pf
    new_pr = special.ndtr(_b_side(pf, u, sigma).z)
    return np.asarray(new_pr), np.asarray(new_pf)


def fit_npl(problem: SignalingProblem, p_resist_hat: object, p_firm_hat: object,
            start: object | None = None, max_iter: int = 100, tol: float = 1e-7, *,
            sigint_variance: bool = False) -> SignalingFit:
    """Nested pseudo-likelihood (NPL) estimate (Aguirregabiria & Mira 2007).

    From the PL estimate at ``p̂`` (Crisman-Cox & Gibilisco 2021, section 4.2; sigInt's
    algorithm): update both best responses ``P_k = (Ψ_R(P_F,k-1; θ_k-1), Ψ_A,F(P_R,k-1;
    θ_k-1))``, clamp them to ``[1e-4, 1 - 1e-4]``, re-maximise ``Q(θ; P_k)`` warm-started at
    ``θ_k-1``; stop when ``max |Δ(θ, P)| < tol`` or after ``max_iter`` steps.  The covariance is
    the Aguirregabiria–Mira sandwich (see :func:`_npl_variance`) at the final estimate and one
    further best-response update; ``sigint_variance=True`` gives sigInt's variant (the
    Jacobian of the best responses transposed), which reproduces the published corrected
    standard errors but not the estimator's linearisation.

    Returns
    -------
    SignalingFit
        ``loglik`` is ``Q(θ̂; P̂)``; ``p_resist`` the final resistance probabilities.
    """
    t0 = time.perf_counter()
    n = problem.n_units
    pr = _check_prob(p_resist_hat, "p_resist_hat", n)
    pf = _check_prob(p_firm_hat, "p_firm_hat", n)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise InvalidParameterError(f"fit_npl: max_iter must be an integer >= 1; got {max_iter!r}")
    if not (isinstance(tol, int | float) and math.isfinite(tol) and tol > 0):
        raise InvalidParameterError(f"fit_npl: tol must be finite and > 0; got {tol!r}")
    res = _fit_pseudo(problem, pr, pf, _start(problem, start))
    theta = res.x
    sigma = problem.sigma
    iters = 0
    change = math.inf
    inner_ok = res.converged
    while change >= tol and iters < max_iter:
        u = problem.utilities(theta)
        new_pr, new_pf = _best_responses(u, pr, pf, sigma)
        new_pr = np.clip(new_pr, *_NPL_CLAMP)
        new_pf = np.clip(new_pf, *_NPL_CLAMP)
        res = _fit_pseudo(problem, new_pr, new_pf, theta)
        inner_ok = inner_ok and res.converged
        change = float(max(np.max(np.abs(res.x - theta)), np.max(np.abs(new_pr - pr)),
                           np.max(np.abs(new_pf - pf))))
        theta, pr, pf = res.x, new_pr, new_pf
        iters += 1
    value = res.value
    u = problem.utilities(theta)
    fin_pr, fin_pf = _best_responses(u, pr, pf, sigma)
    converged = bool(change < tol and inner_ok)
    cov = _npl_variance(problem, theta, np.clip(fin_pr, 1e-12, 1 - 1e-12),
                        np.clip(fin_pf, 1e-12, 1 - 1e-12), sigint=sigint_variance)
    msg = (f"NPL: {iters} best-response iterations, last max|Δ(θ, P)| {change:.2e}"
           f"{'' if converged else ' (not converged)'}; max |const(P_R)| "
           f"{np.max(np.abs(_const(np.clip(fin_pr, 1e-12, 1 - 1e-12), u, sigma))):.2e}. "
           "Covariance: Aguirregabiria–Mira sandwich"
           f"{' (sigInt variant: best-response Jacobian transposed)' if sigint_variance else ''}")
    if cov is None:
        msg += " (singular; none computed)"
    return SignalingFit("npl", theta, value, cov, np.asarray(fin_pr), _n_eq(problem, theta),
                        converged, iters, msg, time.perf_counter() - t0)


def _default_covariates(problem: SignalingProblem) -> FloatArray:
    cols = np.concatenate([x for x in problem.designs if x.shape[1]], axis=1) \
        if problem.n_params else np.zeros((problem.n_units, 0))
    return cols


def fit_cmle(problem: SignalingProblem, start: object | None = None,
             p_start: object | None = None) -> SignalingFit:
    """Constrained maximum likelihood (CMLE) in the reduced space.

    Maximises the profile log-likelihood ``ℓ(θ, p(θ))``, where each unit's equilibrium
    ``p_m(θ)`` solves ``const(p_m; θ) = 0`` (Crisman-Cox & Gibilisco 2021, section 4.3: the
    same optimum as their MPEC formulation), by BFGS over θ with the implicit-function-theorem
    gradient (:func:`profile_loglik`), each objective solving the fixed points by vectorised
    Newton warm-started at the previous solution, then Newton steps on the finite-difference
    Hessian of that gradient.  The covariance is the inverse observed information of the
    profile likelihood (central differences of the analytic gradient).

    Parameters
    ----------
    problem : SignalingProblem
    start : array_like, optional
        Starting θ.  Default: the PL estimate at a :func:`first_stage` built from the problem's
        own design columns (no user input needed).
    p_start : array_like, optional
        Starting resistance probabilities (the equilibrium followed).  Default: that first
        stage's ``p̂_R`` when ``start`` is defaulted, else each unit's equilibrium at ``start``
        with the highest likelihood.

    Returns
    -------
    SignalingFit
    """
    t0 = time.perf_counter()
    n = problem.n_units
    sigma = problem.sigma
    notes = []
    if start is None:
        pr_hat, pf_hat = first_stage(problem.counts, _default_covariates(problem))
        x0 = _fit_pseudo(problem, pr_hat, pf_hat, np.zeros(problem.n_params)).x
        notes.append("start: PL at a logit first stage on the design columns")
        p0 = pr_hat if p_start is None else _check_prob(p_start, "p_start", n)
    else:
        x0 = problem.check_theta(start)
        if p_start is None:
            p0 = _best_equilibria(problem, x0)
            notes.append("p_start: each unit's highest-likelihood equilibrium at start")
        else:
            p0 = _check_prob(p_start, "p_start", n)
    state = {"p": p0.copy()}

    def fg(x: FloatArray) -> tuple[float, FloatArray]:
        ll, g, p, _ = _profile_terms(problem, x, state["p"])
        if np.isfinite(ll):
            state["p"] = p
        return ll, g

    scores0 = _profile_terms(problem, x0, p0)[3]
    res = _maximise(fg, x0, scores=scores0 if np.all(np.isfinite(scores0)) else None, gtol=1e-6)
    theta = res.x
    ll, g, p, _ = _profile_terms(problem, theta, state["p"])
    p_hat = p.copy()

    def grad_at(x: FloatArray) -> FloatArray:
        return _profile_terms(problem, x, p_hat)[1]

    hess = _fd_hessian(grad_at, theta)
    cov = _inverse(-hess)
    msg = (f"CMLE (reduced space): {res.message}; max|gradient| {np.max(np.abs(g)):.2e}; "
           f"max|const| {np.max(np.abs(_const(p_hat, problem.utilities(theta), sigma))):.2e}. "
           "Covariance: inverse observed information of the profile likelihood")
    if cov is None:
        msg += " (singular Hessian; none computed)"
    elif np.any(np.diag(cov) <= 0):
        msg += " (not positive definite: not a local maximum?)"
    if notes:
        msg += "; " + "; ".join(notes)
    return SignalingFit("cmle", theta, ll, cov, p_hat, _n_eq(problem, theta), res.converged,
                        res.iterations, msg, time.perf_counter() - t0)


def _best_equilibria(problem: SignalingProblem, theta: FloatArray) -> FloatArray:
    """Each unit's equilibrium at θ with the largest likelihood contribution."""
    u = problem.utilities(theta)
    roots = equilibria(problem, theta)
    out = np.empty(problem.n_units)
    for m, r in enumerate(roots):
        if r.size == 0:
            out[m] = 0.5
            continue
        um = np.repeat(u[:, m:m + 1], r.size, axis=1)
        ll, _, _ = _eq_terms(um, r, np.repeat(problem.counts[m:m + 1], r.size, axis=0),
                             problem.sigma)
        out[m] = r[int(np.argmax(ll))]
    return out


# --------------------------------------------------------------------------------------------
# first stage
# --------------------------------------------------------------------------------------------


def _weighted_logit(y: FloatArray, w: FloatArray, x: FloatArray, ridge: float) -> FloatArray:
    """Weighted binomial logit by Newton–IRLS with a small ridge (intercept unpenalised)."""
    k = x.shape[1]
    beta = np.zeros(k)
    pen = np.full(k, ridge)
    pen[0] = 0.0
    for _ in range(100):
        eta = x @ beta
        mu = special.expit(eta)
        grad = x.T @ (w * (y - mu)) - pen * beta
        hess = (x * (w * mu * (1 - mu))[:, None]).T @ x + np.diag(pen) + 1e-12 * np.eye(k)
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return np.asarray(special.expit(x @ beta))


def first_stage(counts: object, covariates: object) -> tuple[FloatArray, FloatArray]:
    """A flexible, deterministic first stage for the PL and NPL estimators.

    Two weighted binomial logit regressions on the covariates and their squares (columns
    standardised, constant and duplicate columns dropped, a small ridge penalty ``1e-3``):
    ``(sf + bd)/(cd + sf + bd)`` with weights ``cd + sf + bd`` gives ``p̂_R``, and
    ``sf/(sf + bd)`` with weights ``sf + bd`` gives ``p̂_F``; both are predicted for every unit
    and clipped to ``[1e-4, 1 - 1e-4]``.  This is a choice of this library, not the random
    forest of Crisman-Cox & Gibilisco (2021), whose archived first stage cannot be re-run.

    Parameters
    ----------
    counts : array_like
        ``(n, 4)`` counts ``sq, cd, sf, bd``.
    covariates : array_like
        ``(n, k)`` covariates (an intercept is added).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``p̂_R`` and ``p̂_F``.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[10, 1, 2, 1], [10, 2, 1, 1], [10, 1, 1, 2]], float)
    >>> pr, pf = first_stage(y, np.zeros((3, 0)))
    >>> pr.round(4).tolist()
    [0.6667, 0.6667, 0.6667]
    """
    y = np.asarray(counts, dtype=float)
    if y.ndim != 2 or y.shape[1] != 4 or not np.all(np.isfinite(y)) or np.any(y < 0):
        raise InvalidParameterError(
            f"first_stage: counts must be a finite non-negative (n, 4) array; got shape "
            f"{y.shape}"
        )
    x = np.asarray(covariates, dtype=float)
    if x.ndim != 2 or x.shape[0] != y.shape[0] or not np.all(np.isfinite(x)):
        raise InvalidParameterError(
            f"first_stage: covariates must be a finite ({y.shape[0]}, k) array; got shape "
            f"{x.shape}"
        )
    cols = np.concatenate([x, x * x], axis=1)
    sd = cols.std(axis=0)
    cols = cols[:, sd > 1e-12]
    cols = (cols - cols.mean(axis=0)) / cols.std(axis=0) if cols.shape[1] else cols
    if cols.shape[1]:
        # drop (numerically) duplicate columns, keeping the first
        _, first = np.unique(np.round(cols, 10), axis=1, return_index=True)
        cols = cols[:, np.sort(first)]
    design = np.concatenate([np.ones((y.shape[0], 1)), cols], axis=1)
    w1 = y[:, 1] + y[:, 2] + y[:, 3]
    w2 = y[:, 2] + y[:, 3]
    if not (np.any(w1 > 0) and np.any(w2 > 0)):
        raise InvalidParameterError(
            "first_stage: counts must contain a challenge (cd + sf + bd > 0) and a resistance "
            "(sf + bd > 0) somewhere; got none"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        y1 = np.where(w1 > 0, (y[:, 2] + y[:, 3]) / w1, 0.0)
        y2 = np.where(w2 > 0, y[:, 2] / w2, 0.0)
    pr = _weighted_logit(y1, w1, design, 1e-3)
    pf = _weighted_logit(y2, w2, design, 1e-3)
    lo, hi = _NPL_CLAMP
    return np.asarray(np.clip(pr, lo, hi)), np.asarray(np.clip(pf, lo, hi))
