"""The sanctions signalling game (Lewis & Schultz 2003) estimated as in Crisman-Cox & Gibilisco
(2021): PL, NPL and reduced-space CMLE against the archived numbers.

Reference numbers: ``tests/data/estimation_reference.json`` (key ``signaling_sanctions``).  The
slow fits run once each (module-scoped fixtures).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from scipy import integrate, special

from coercion.errors import InvalidParameterError
from coercion.estimate import signaling as sig
from coercion.estimate._bvn import bvn_cdf, bvn_cdf_grad

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "coercion" / "data" / "datasets"
REF = json.loads((ROOT / "tests" / "data" / "estimation_reference.json").read_text())[
    "signaling_sanctions"
]


def _designs(df: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Table 3 of Crisman-Cox & Gibilisco (2021), formula f1."""
    one = np.ones(len(df))
    se = np.sqrt(df.senderecondep.to_numpy())
    te = np.sqrt(df.targetecondep.to_numpy())
    return (
        np.column_stack([se, df.senderdemocracy, df.contig, df.ally]),  # S_A, no intercept
        np.column_stack([one, df.anticipatedsendercosts]),  # V_A
        np.column_stack([one, te, df.anticipatedtargetcosts, df.contig, df.ally]),  # C_B
        np.column_stack([one, se, df.senderdemocracy, df.lncaprat]),  # barW_A
        np.column_stack([one, df.targetdemocracy, df.lncaprat]),  # barW_B
        np.column_stack([one, df.senderdemocracy]),  # bara
        np.zeros((len(df), 0)),  # V_B fixed at 0
    )


@pytest.fixture(scope="module")
def data() -> tuple[sig.SignalingProblem, np.ndarray, np.ndarray]:
    df = pd.read_csv(DATA / "sanctions-signaling.csv", dtype={"gameID": str})
    fs = pd.read_csv(DATA / "sanctions-signaling-first-stage.csv", dtype={"gameID": str})
    assert (df.gameID.to_numpy() == fs.gameID.to_numpy()).all()
    n = len(df)
    prob = sig.SignalingProblem(
        _designs(df), tuple(np.zeros(n) for _ in range(7)),
        df[["sq", "cd", "sf", "bd"]].to_numpy(float),
    )
    assert prob.n_params == len(REF["param_names"]) == 20
    return prob, fs.p_resist.to_numpy(), fs.p_firm.to_numpy()


@pytest.fixture(scope="module")
def pl_fit(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> sig.SignalingFit:
    prob, pr, pf = data
    return sig.fit_pl(prob, pr, pf)


@pytest.fixture(scope="module")
def npl_fit(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> sig.SignalingFit:
    prob, pr, pf = data
    return sig.fit_npl(prob, pr, pf)


@pytest.fixture(scope="module")
def cmle_fit(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> sig.SignalingFit:
    prob, pr, _ = data
    # the paper's start: theta = PL estimates, p = the PL's first-stage p_resist
    return sig.fit_cmle(prob, np.array(REF["pl"]["estimate"]), pr)


# ---------------------------------------------------------------------------------------------
# reproduction of the published numbers
# ---------------------------------------------------------------------------------------------


def test_pl_reproduces_reference(pl_fit: sig.SignalingFit) -> None:
    assert pl_fit.method == "pl" and pl_fit.converged
    assert abs(pl_fit.loglik - REF["pl"]["loglik"]) < 1e-5
    np.testing.assert_allclose(pl_fit.theta, REF["pl"]["estimate"], rtol=0, atol=1e-4)
    assert pl_fit.covariance is not None and "first-stage uncertainty" in pl_fit.message
    assert np.all(np.linalg.eigvalsh(pl_fit.covariance) > 0)


def test_npl_reproduces_reference(npl_fit: sig.SignalingFit) -> None:
    assert npl_fit.method == "npl" and npl_fit.converged
    assert abs(npl_fit.loglik - REF["npl"]["loglik"]) < 1e-5
    np.testing.assert_allclose(npl_fit.theta, REF["npl"]["estimate"], rtol=0, atol=1e-4)
    assert npl_fit.covariance is not None
    assert np.all(np.linalg.eigvalsh(npl_fit.covariance) > 0)


def test_npl_sigint_variance_reproduces_se_corrected(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    # se_corrected is sigInt's formula, (I - Psi_P')^-1; the default uses (I - Psi_P)^-1, the
    # estimator's linearisation (see fit_npl), which differs by up to ~2x for these data
    prob, pr, pf = data
    fit = sig.fit_npl(prob, pr, pf, sigint_variance=True)
    assert fit.std_errors is not None
    np.testing.assert_allclose(fit.std_errors, REF["npl"]["se_corrected"], rtol=1e-2)


def test_cmle_reproduces_reference(cmle_fit: sig.SignalingFit) -> None:
    assert cmle_fit.method == "cmle" and cmle_fit.converged
    assert abs(cmle_fit.loglik - REF["cmle"]["loglik_exact_bivariate_normal"]) < 1e-5
    np.testing.assert_allclose(cmle_fit.theta, REF["cmle"]["estimate"], rtol=0, atol=5e-4)
    assert cmle_fit.std_errors is not None


def test_cmle_standard_errors_are_the_profile_information(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray],
        cmle_fit: sig.SignalingFit) -> None:
    """The covariance equals the inverse of an independent Hessian: second differences of the
    profile log-likelihood *values* (no gradient involved)."""
    prob, _, _ = data
    theta, p = cmle_fit.theta, cmle_fit.p_resist
    k = theta.size
    h = 1e-4

    def f(x: np.ndarray) -> float:
        return sig.profile_loglik(prob, x, p)[0]

    hess = np.zeros((k, k))
    eye = np.eye(k) * h
    for i in range(k):
        for j in range(i, k):
            hess[i, j] = hess[j, i] = (
                f(theta + eye[i] + eye[j]) - f(theta + eye[i] - eye[j])
                - f(theta - eye[i] + eye[j]) + f(theta - eye[i] - eye[j])
            ) / (4 * h * h)
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    assert cmle_fit.std_errors is not None
    np.testing.assert_allclose(cmle_fit.std_errors, se, rtol=1e-2)


@pytest.mark.xfail(strict=True, reason=(
    "se_profile_hessian differs from the profile information by up to 13% for the weakly "
    "identified C_B and barW_B parameters (scaled condition number ~7e5); the library's value "
    "is confirmed by function-value second differences, Richardson extrapolation, steps 1e-7 to "
    "1e-4, with exact and with the archive's approximate bivariate normal"))
def test_cmle_se_matches_reference_profile_hessian(cmle_fit: sig.SignalingFit) -> None:
    assert cmle_fit.std_errors is not None
    np.testing.assert_allclose(cmle_fit.std_errors, REF["cmle"]["se_profile_hessian"],
                               rtol=1e-2)


def test_cmle_se_close_to_reference(cmle_fit: sig.SignalingFit) -> None:
    assert cmle_fit.std_errors is not None
    np.testing.assert_allclose(cmle_fit.std_errors, REF["cmle"]["se_profile_hessian"],
                               rtol=0.15)


def test_cmle_from_default_start(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]
                                 ) -> None:
    prob, _, _ = data
    fit = sig.fit_cmle(prob)
    assert abs(fit.loglik - REF["cmle"]["loglik_exact_bivariate_normal"]) < 1e-5
    np.testing.assert_allclose(fit.theta, REF["cmle"]["estimate"], rtol=0, atol=5e-4)


def test_cmle_archive_loglik_at_reference(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    prob, pr, _ = data
    theta = np.array(REF["cmle"]["estimate"])
    ll, _, p = sig.profile_loglik(prob, theta, pr)
    assert abs(ll - REF["cmle"]["loglik_exact_bivariate_normal"]) < 1e-6
    assert abs(sig.loglik(prob, theta, p) - ll) < 1e-9


# ---------------------------------------------------------------------------------------------
# equilibria
# ---------------------------------------------------------------------------------------------


def test_equilibrium_counts(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray],
                            npl_fit: sig.SignalingFit, cmle_fit: sig.SignalingFit) -> None:
    prob, _, _ = data
    theta_pl = np.array(REF["pl"]["estimate"])
    # sigInt's arithmetic (p_C floored at eps before p_F = h/p_C) gives the published count ...
    counts_sigint = [r.size for r in sig.equilibria(prob, theta_pl, sigint_numerics=True)]
    assert np.bincount(counts_sigint).tolist() == [0, 349, 69]
    # ... but the second roots are artefacts of the underflow: exactly, every dyad has one
    assert all(r.size == 1 for r in sig.equilibria(prob, theta_pl))
    assert np.all(npl_fit.n_equilibria == 1)
    assert np.all(cmle_fit.n_equilibria == 1)
    const = cmle_fit.p_resist - sig.best_response_B(
        sig.best_response_A(cmle_fit.p_resist, prob.utilities(cmle_fit.theta))[1],
        prob.utilities(cmle_fit.theta))
    assert np.max(np.abs(const)) < 1e-12


SUB = np.arange(0, 418, 14)  # 30 dyads for the property tests


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.05, 0.3, 1.0]),
       base=st.sampled_from(["pl", "npl", "cmle"]))
def test_equilibria_finds_every_root_of_a_dense_scan(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray], seed: int, scale: float,
        base: str) -> None:
    prob, _, _ = data
    sub = sig.SignalingProblem(tuple(x[SUB] for x in prob.designs),
                               tuple(o[SUB] for o in prob.offsets), prob.counts[SUB])
    rng = np.random.default_rng(seed)
    theta = np.array(REF[base]["estimate"]) + scale * rng.standard_normal(sub.n_params) * 0.3
    roots = sig.equilibria(sub, theta)
    u = sub.utilities(theta)[:, :, None]
    grid = np.arange(1, 100_000) / 100_000
    const = grid[None, :] - sig.best_response_B(sig.best_response_A(grid[None, :], u)[1], u)
    change = np.sign(const[:, :-1]) * np.sign(const[:, 1:]) < 0
    for m, c in zip(*np.nonzero(change), strict=True):
        lo, hi = grid[c], grid[c + 1]
        assert np.any((roots[m] >= lo - 1e-9) & (roots[m] <= hi + 1e-9)), (m, lo, hi, roots[m])
    for m, r in enumerate(roots):  # and each root found is a root
        if r.size:
            um = np.repeat(u[:, m], r.size, axis=1)
            res = r - sig.best_response_B(sig.best_response_A(r, um)[1], um)
            assert np.max(np.abs(res)) < 1e-10


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_outcome_probabilities_are_a_distribution(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 200
    u = rng.normal(0, 3, size=(7, n))
    p = rng.uniform(1e-6, 1 - 1e-6, size=n)
    probs = sig.outcome_probabilities(p, u)
    assert probs.shape == (n, 4)
    assert np.all((probs >= 0) & (probs <= 1))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    pc, pf = sig.best_response_A(p, u)
    assert np.all((pc >= 0) & (pc <= 1) & (pf >= 0) & (pf <= 1))


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_permuting_units(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray],
                         seed: int) -> None:
    prob, pr, _ = data
    perm = np.random.default_rng(seed).permutation(prob.n_units)
    permuted = sig.SignalingProblem(tuple(x[perm] for x in prob.designs),
                                    tuple(o[perm] for o in prob.offsets), prob.counts[perm])
    theta = np.array(REF["cmle"]["estimate"])
    ll, g, p = sig.profile_loglik(prob, theta, pr)
    ll2, g2, p2 = sig.profile_loglik(permuted, theta, pr[perm])
    np.testing.assert_allclose(p2, p[perm], rtol=0, atol=1e-13)
    assert abs(ll2 - ll) < 1e-8
    np.testing.assert_allclose(g2, g, rtol=1e-9, atol=1e-8)
    assert abs(sig.loglik(permuted, theta, p2) - ll) < 1e-8


# ---------------------------------------------------------------------------------------------
# gradients
# ---------------------------------------------------------------------------------------------


def _central(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:  # type: ignore[no-untyped-def]
    out = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h * max(1.0, abs(x[i]))
        out[i] = (f(x + e) - f(x - e)) / (2 * e[i])
    return out


def test_profile_gradient_matches_finite_differences(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    prob, pr, _ = data
    theta = np.array(REF["cmle"]["estimate"]) + 0.02 * np.sin(np.arange(20.0))
    _, _, p = sig.profile_loglik(prob, theta, pr)
    _, g, _ = sig.profile_loglik(prob, theta, p)
    fd = _central(lambda x: sig.profile_loglik(prob, x, p)[0], theta)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5 * np.max(np.abs(g)))


def test_pseudo_gradient_matches_finite_differences(
        data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    prob, pr, pf = data
    theta = np.array(REF["pl"]["estimate"]) + 0.05 * np.cos(np.arange(20.0))
    _, g = sig.pseudo_loglik(prob, theta, pr, pf)
    fd = _central(lambda x: sig.pseudo_loglik(prob, x, pr, pf)[0], theta)
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-5 * np.max(np.abs(g)))


# ---------------------------------------------------------------------------------------------
# bivariate normal
# ---------------------------------------------------------------------------------------------


def _bvn_quad(x: float, y: float, rho: float) -> float:
    s = math.sqrt(1 - rho * rho)
    val, _ = integrate.quad(lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
                            * special.ndtr((x - rho * t) / s), -np.inf, y,
                            epsabs=1e-17, epsrel=1e-13, limit=400)
    return float(val)


@pytest.mark.parametrize("x,y", [(-3.0, -1.0), (0.1, -2.5), (0.0, 0.0), (1.5, 2.0),
                                 (-6.0, 4.0), (2.0, -7.0), (5.0, 5.0)])
def test_bvn_cdf_exact(x: float, y: float) -> None:
    rho = 1 / math.sqrt(2)
    assert abs(float(bvn_cdf(x, y, rho)) - _bvn_quad(x, y, rho)) < 1e-15
    dx, dy = bvn_cdf_grad(x, y, rho)
    h = 1e-6
    assert abs(float(dx) - (float(bvn_cdf(x + h, y, rho)) - float(bvn_cdf(x - h, y, rho)))
               / (2 * h)) < 1e-8
    assert abs(float(dy) - (float(bvn_cdf(x, y + h, rho)) - float(bvn_cdf(x, y - h, rho)))
               / (2 * h)) < 1e-8


def test_bvn_rejects_high_correlation() -> None:
    with pytest.raises(InvalidParameterError, match="rho"):
        bvn_cdf(0.0, 0.0, 0.99)


# ---------------------------------------------------------------------------------------------
# first stage and input validation
# ---------------------------------------------------------------------------------------------


def test_first_stage_default(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    prob, _, _ = data
    cov = np.concatenate([x for x in prob.designs if x.shape[1]], axis=1)
    pr1, pf1 = sig.first_stage(prob.counts, cov)
    pr2, pf2 = sig.first_stage(prob.counts, cov)
    assert np.array_equal(pr1, pr2) and np.array_equal(pf1, pf2)
    for p in (pr1, pf1):
        assert p.shape == (prob.n_units,) and np.all((p >= 1e-4) & (p <= 1 - 1e-4))


def _one_line(exc: pytest.ExceptionInfo[InvalidParameterError]) -> None:
    assert "\n" not in str(exc.value) and str(exc.value)


def test_bad_input(data: tuple[sig.SignalingProblem, np.ndarray, np.ndarray]) -> None:
    prob, pr, pf = data
    n = prob.n_units
    zeros = tuple(np.zeros(n) for _ in range(7))
    bad_counts = prob.counts.copy()
    bad_counts[3, 2] = -1
    cases = [
        lambda: sig.SignalingProblem(prob.designs, zeros, bad_counts),
        lambda: sig.SignalingProblem(prob.designs[:6], zeros, prob.counts),
        lambda: sig.SignalingProblem(prob.designs, zeros, prob.counts[:, :3]),
        lambda: sig.SignalingProblem(prob.designs, zeros, prob.counts[:-1]),
        lambda: sig.SignalingProblem(prob.designs, zeros, prob.counts, sigma=0.0),
        lambda: sig.SignalingProblem((np.full((n, 1), np.nan), *prob.designs[1:]), zeros,
                                     prob.counts),
        lambda: prob.utilities(np.zeros(3)),
        lambda: prob.utilities(np.full(20, np.inf)),
        lambda: sig.fit_pl(prob, np.clip(pr, 0, 1) * 0 + 1.5, pf),
        lambda: sig.fit_pl(prob, pr[:-1], pf),
        lambda: sig.loglik(prob, np.zeros(20), np.zeros(n)),
        lambda: sig.equilibria(prob, np.zeros(20), grid=1),
        lambda: sig.best_response_B(np.array([0.5]), np.zeros((6, 1))),
        lambda: sig.fit_npl(prob, pr, pf, max_iter=0),
        lambda: sig.first_stage(-prob.counts, np.zeros((n, 0))),
    ]
    for case in cases:
        with pytest.raises(InvalidParameterError) as exc:
            case()
        _one_line(exc)
