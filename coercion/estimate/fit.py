"""The front door: :func:`estimate` a spec on data by the method that fits the model.

Trees with agent or private (move-once) errors have a unique equilibrium per
unit, so the likelihood is a function of the parameters and ``mle`` maximises
it: BFGS on the exact gradient from zeros, polished by Newton steps on the
observed information (the central-difference Jacobian of the exact gradient).
The signalling game can have several equilibria per unit; it is estimated by
``pl`` (two-step pseudo-likelihood), ``npl`` (nested pseudo-likelihood) or
``cmle`` (constrained maximum likelihood in reduced space), see
:mod:`coercion.estimate.signaling`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.optimize import minimize

from coercion.errors import InvalidParameterError
from coercion.estimate.build import Compiled, compile_model, is_signaling
from coercion.estimate.data import read_data
from coercion.estimate.result import EstimationResult
from coercion.estimate.spec import EstimationSpec, load_spec

__all__ = ["METHODS", "estimate", "outcome_probability_function", "probability_function"]

METHODS = ("auto", "mle", "pl", "npl", "cmle")
SE_METHODS = ("observed", "sandwich", "bootstrap")


def _hessian(grad: Callable[[np.ndarray], np.ndarray], theta: np.ndarray) -> np.ndarray:
    k = len(theta)
    H = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(float(theta[j])))
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (grad(theta + e) - grad(theta - e)) / (2 * h)
    return (H + H.T) / 2


def _invert(neg_hessian: np.ndarray) -> tuple[np.ndarray | None, str]:
    try:
        eig = np.linalg.eigvalsh(neg_hessian)
    except np.linalg.LinAlgError:
        return None, "the information matrix could not be decomposed"
    if eig.min() <= 1e-10 * max(eig.max(), 1.0):
        return None, (
            "the information matrix is singular or not positive definite at the estimates "
            f"(smallest eigenvalue {eig.min():.3g}): some parameters are not identified"
        )
    return np.linalg.inv(neg_hessian), ""


def _mle_model(compiled: Compiled) -> Any:
    model = compiled.likelihood if compiled.likelihood is not None else compiled.ultimatum
    assert model is not None
    return model


def _fit_tree(compiled: Compiled, start: np.ndarray | None, maxiter: int) -> dict[str, Any]:
    model = _mle_model(compiled)
    k = model.n_params
    theta0 = np.zeros(k) if start is None else np.asarray(start, dtype=float)
    if theta0.shape != (k,):
        raise InvalidParameterError(f"start must have {k} entries; got shape {theta0.shape}")

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, g = model.value_and_grad(theta)
        if not np.isfinite(ll):
            return 1e300, np.zeros(k)
        return -ll, -g

    res = minimize(objective, theta0, jac=True, method="BFGS",
                   options={"gtol": 1e-9, "maxiter": maxiter})
    theta = np.asarray(res.x, dtype=float)
    iterations = int(res.nit)

    def grad(t: np.ndarray) -> np.ndarray:
        out: np.ndarray = model.value_and_grad(t)[1]
        return out

    # Newton polish on the observed information
    H = _hessian(grad, theta)
    for _ in range(5):
        g = grad(theta)
        if np.max(np.abs(g)) < 1e-10:
            break
        try:
            step = np.linalg.solve(-H, g)
        except np.linalg.LinAlgError:
            break
        trial = theta + step
        if model.loglik(trial) + 1e-12 < model.loglik(theta):
            break
        theta = trial
        iterations += 1
        H = _hessian(grad, theta)
    g = grad(theta)
    ll = model.loglik(theta)
    converged = bool(np.isfinite(ll) and np.max(np.abs(g)) < 1e-4)
    return {"theta": theta, "loglik": ll, "hessian": H, "converged": converged,
            "iterations": iterations, "message": "" if converged else str(res.message)}


def _tree_se(
    compiled: Compiled, fit: dict[str, Any], se: str, bootstrap: int,
    rng: np.random.Generator | None, maxiter: int,
) -> tuple[np.ndarray | None, str, str]:
    model = _mle_model(compiled)
    theta = fit["theta"]
    info_inv, why = _invert(-fit["hessian"])
    if se == "observed":
        return info_inv, "observed information", why
    if se == "sandwich":
        if info_inv is None:
            return None, "sandwich", why
        _, scores = model.value_and_grad(theta, per_unit=True)
        meat = scores.T @ scores
        return info_inv @ meat @ info_inv, "sandwich (robust)", ""
    rng = _check_bootstrap(bootstrap, rng)
    tree_model = compiled.likelihood
    if tree_model is None:
        raise InvalidParameterError("se: the bootstrap is implemented for tree models")
    from coercion.estimate.tree_likelihood import TreeLikelihood

    draws = []
    n = compiled.n
    for _ in range(bootstrap):
        weights = _resample_weights(rng, n)
        boot = TreeLikelihood(
            tree_model.tree, tree_model.utilities, tree_model.scales,
            tree_model.counts * weights[:, None], tree_model.errors, tree_model.link,
        )
        r = minimize(lambda t, b=boot: tuple(-v for v in b.value_and_grad(t)), theta,
                     jac=True, method="BFGS", options={"gtol": 1e-8, "maxiter": maxiter})
        draws.append(r.x)
    cov = np.cov(np.array(draws).T)
    return np.atleast_2d(cov), f"bootstrap ({bootstrap} resamples of units)", ""


def _first_stage(
    compiled: Compiled, first_stage: Any
) -> tuple[np.ndarray, np.ndarray, str]:
    from coercion.estimate import signaling as sg

    spec = compiled.spec
    source = first_stage if first_stage is not None else spec.first_stage
    if source is None:
        covariates = np.column_stack(
            [d for d in compiled.signaling.designs if d.shape[1]]  # type: ignore[union-attr]
        )
        keep = np.ptp(covariates, axis=0) > 0
        pr, pf = sg.first_stage(compiled.counts, covariates[:, keep])
        return pr, pf, "first stage: weighted logit regressions on the covariates"
    frame = read_data(source)
    for col in ("p_resist", "p_firm"):
        if col not in frame.columns:
            raise InvalidParameterError(f"first stage: the data have no column {col!r}")
    shared = [
        c for c in frame.columns
        if c in compiled.frame.columns and c not in ("p_resist", "p_firm")
    ]
    if shared:
        key = shared[0]
        lookup = frame.set_index(frame[key].astype(str))
        wanted = compiled.frame[key].astype(str)
        missing = sorted(set(wanted) - set(lookup.index))
        if missing:
            raise InvalidParameterError(
                f"first stage: no row for {key} = {missing[0]!r} ({len(missing)} units missing)"
            )
        frame = lookup.loc[wanted.to_numpy()]
    elif len(frame) != compiled.n:
        raise InvalidParameterError(
            f"first stage: {len(frame)} rows for {compiled.n} units and no shared key column"
        )
    pr = frame["p_resist"].to_numpy(dtype=float)
    pf = frame["p_firm"].to_numpy(dtype=float)
    for name, v in (("p_resist", pr), ("p_firm", pf)):
        if not np.all((v >= 0) & (v <= 1)):
            raise InvalidParameterError(f"first stage: {name} must lie in [0, 1]")
    label = source if isinstance(source, str) else "given"
    return pr, pf, f"first stage: {label}"


def _fit_signaling(
    compiled: Compiled, method: str, pr: np.ndarray, pf: np.ndarray,
    start: np.ndarray | None, npl_variance: str,
) -> tuple[Any, str]:
    from coercion.estimate import signaling as sg

    problem = compiled.signaling
    assert problem is not None
    if method == "pl":
        return sg.fit_pl(problem, pr, pf, start=start), ""
    if method == "npl":
        return sg.fit_npl(
            problem, pr, pf, start=start, sigint_variance=npl_variance == "sigint"
        ), ""
    pl = sg.fit_pl(problem, pr, pf, start=start)
    return sg.fit_cmle(problem, start=pl.theta, p_start=pr), "start: the PL estimates"


def _check_bootstrap(draws: int, rng: np.random.Generator | None) -> np.random.Generator:
    """Refuse a bootstrap request before any fitting is done."""
    if rng is None:
        raise InvalidParameterError("se='bootstrap' needs rng= (a numpy Generator)")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 2:
        raise InvalidParameterError(f"bootstrap must be an integer >= 2; got {draws!r}")
    return rng


def _resample_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """How often each of *n* units is drawn in one resample with replacement."""
    return np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)


def _signaling_bootstrap(
    compiled: Compiled, method: str, fit: Any, pr: np.ndarray, pf: np.ndarray, draws: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Covariance of the estimates over resamples of units (dyads), warm-started at *fit*."""
    from coercion.estimate import signaling as sg

    problem = compiled.signaling
    assert problem is not None
    n = compiled.n
    out = []
    for _ in range(draws):
        weights = _resample_weights(rng, n)
        boot = sg.SignalingProblem(
            designs=problem.designs, offsets=problem.offsets,
            counts=problem.counts * weights[:, None], sigma=problem.sigma,
        )
        if method == "pl":
            refit = sg.fit_pl(boot, pr, pf, start=fit.theta)
        elif method == "npl":
            refit = sg.fit_npl(boot, pr, pf, start=fit.theta)
        else:
            refit = sg.fit_cmle(boot, start=fit.theta, p_start=fit.p_resist)
        out.append(refit.theta)
    return np.atleast_2d(np.cov(np.array(out).T))


def estimate(
    spec: str | EstimationSpec,
    data: Any,
    *,
    method: str = "auto",
    errors: str | None = None,
    link: str | None = None,
    missing: str | None = None,
    first_stage: Any = None,
    start: Any = None,
    se: str = "observed",
    bootstrap: int = 200,
    rng: np.random.Generator | None = None,
    maxiter: int = 2000,
    npl_variance: str = "sigint",
) -> EstimationResult:
    """Estimate a structural game model from event data.

    Parameters
    ----------
    spec : str or EstimationSpec
        A bundled spec id (``coercion.estimate.bundled_specs()``), a TOML spec
        file, or a spec object.
    data : DataFrame, str or Path
        The data: a DataFrame, a bundled data set id (``coercion.datasets``)
        or a CSV file.
    method : {"auto", "mle", "pl", "npl", "cmle"}
        ``auto``: ``mle`` for trees (unique equilibria), ``cmle`` for the
        signalling game with private information.
    errors, link, missing : str, optional
        Override the spec's error structure, link, missing-value rule.
    first_stage : DataFrame, str or Path, optional
        For ``pl``/``npl``/``cmle``: first-stage choice probabilities
        (columns ``p_resist``, ``p_firm``, aligned by a shared key column or
        by row order); default the spec's, else a flexible first stage.
    start : array_like, optional
        Starting values (default: zeros for trees, the PL fit for ``cmle``).
    se : {"observed", "sandwich", "bootstrap"}
        Standard errors (trees): inverse observed information, the robust
        sandwich, or a nonparametric bootstrap over units (``bootstrap``
        resamples, with *rng*).
    npl_variance : {"sigint", "linearized"}
        The NPL sandwich: R sigInt's (transpose-corrected) Aguirregabiria-Mira
        formula (default; it reproduces the published corrected values), or an
        alternative linearisation of the NPL fixed point.  A bootstrap over
        dyads disagrees with both in places (``docs/estimation.md`` section 4):
        prefer ``se="bootstrap"`` for inference.

    Returns
    -------
    EstimationResult

    Examples
    --------
    >>> from coercion.estimate import estimate
    >>> fit = estimate("egame12-war1800", "war1800")
    >>> round(fit.loglik, 6), fit.n, fit.converged
    (-286.123755, 282, True)
    >>> fit.names[:2]
    ('u1(~esc):(Intercept)', 'u1(~esc):s_wt_re1')
    """
    t0 = time.perf_counter()
    spec_obj = load_spec(spec)
    changes: dict[str, Any] = {}
    if errors is not None:
        changes["errors"] = errors
    if link is not None:
        changes["link"] = link
    if missing is not None:
        changes["missing"] = missing
    if changes:
        spec_obj = spec_obj.replace(**changes)
    if method not in METHODS:
        raise InvalidParameterError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if npl_variance not in ("linearized", "sigint"):
        raise InvalidParameterError(
            f"npl_variance must be 'linearized' or 'sigint'; got {npl_variance!r}"
        )
    if se not in SE_METHODS:
        raise InvalidParameterError(f"se must be one of {', '.join(SE_METHODS)}; got {se!r}")
    compiled = compile_model(spec_obj, data)
    start_arr = None if start is None else np.asarray(start, dtype=float)
    name = spec_obj.id or spec_obj.title or "spec"
    n_obs = float(compiled.n if compiled.ultimatum is not None else compiled.counts.sum())
    if is_signaling(spec_obj):
        chosen = "cmle" if method == "auto" else method
        if chosen == "mle":
            raise InvalidParameterError(
                "method: the signalling game can have several equilibria per unit, so plain "
                "mle is not defined; use cmle, npl or pl"
            )
        if se == "sandwich":
            raise InvalidParameterError(
                "se: for the signalling game use 'observed' (profile information for cmle, "
                "the Aguirregabiria-Mira sandwich for npl) or 'bootstrap'"
            )
        boot_rng = _check_bootstrap(bootstrap, rng) if se == "bootstrap" else None
        pr, pf, stage_note = _first_stage(compiled, first_stage)
        fit, start_note = _fit_signaling(compiled, chosen, pr, pf, start_arr, npl_variance)
        note = "; ".join(m for m in (stage_note, start_note) if m)
        cov = fit.covariance
        if boot_rng is not None:
            cov = _signaling_bootstrap(compiled, chosen, fit, pr, pf, bootstrap, boot_rng)
        se_arr = np.sqrt(np.diag(cov)) if cov is not None else np.full(len(fit.theta), np.nan)
        n_eq = np.asarray(fit.n_equilibria)
        status = "converged" if fit.converged else "not_converged"
        se_label = f"bootstrap ({bootstrap} resamples of units)" if se == "bootstrap" else {
            "cmle": "observed information of the profile likelihood",
            "npl": "Aguirregabiria-Mira sandwich"
            + (" (sigInt's formula)" if npl_variance == "sigint" else ""),
            "pl": "conditional on the first stage",
        }[chosen]
        message = "; ".join(m for m in (note, fit.message) if m)
        return EstimationResult(
            spec=name, method=chosen, errors=spec_obj.errors, link=spec_obj.link,
            names=compiled.param_names, estimates=np.asarray(fit.theta), se=se_arr,
            covariance=cov, se_method=se_label, loglik=float(fit.loglik), n=compiled.n,
            n_observations=n_obs, dropped=compiled.dropped, converged=bool(fit.converged),
            iterations=int(fit.iterations), seconds=time.perf_counter() - t0, status=status,
            message=message, units_with_multiple_equilibria=int(np.sum(n_eq > 1)),
            n_equilibria=n_eq, model=compiled, equilibrium=np.asarray(fit.p_resist),
        )
    chosen = "mle" if method == "auto" else method
    if chosen != "mle":
        raise InvalidParameterError(
            f"method: {chosen!r} is for games with several equilibria per unit; this tree's "
            "equilibrium is unique (backward recursion): use mle"
        )
    if se == "bootstrap":
        if compiled.likelihood is None:
            raise InvalidParameterError("se: the bootstrap is implemented for tree models")
        _check_bootstrap(bootstrap, rng)
    fit = _fit_tree(compiled, start_arr, maxiter)
    cov, se_label, why = _tree_se(compiled, fit, se, bootstrap, rng, maxiter)
    theta = fit["theta"]
    se_arr = np.sqrt(np.diag(cov)) if cov is not None else np.full(len(theta), np.nan)
    status = "converged" if fit["converged"] else "not_converged"
    notes = [fit["message"], why]
    big = np.abs(theta) > 25
    if big.any():
        status = "diverging"
        notes.append(
            "estimates running off (perfect prediction or separation?): "
            + ", ".join(n for n, b in zip(compiled.param_names, big, strict=True) if b)
        )
    return EstimationResult(
        spec=name, method="mle", errors=spec_obj.errors, link=spec_obj.link,
        names=compiled.param_names, estimates=theta, se=se_arr, covariance=cov,
        se_method=se_label, loglik=float(fit["loglik"]), n=compiled.n, n_observations=n_obs,
        dropped=compiled.dropped, converged=bool(fit["converged"]),
        iterations=int(fit["iterations"]), seconds=time.perf_counter() - t0, status=status,
        message="; ".join(m for m in notes if m), units_with_multiple_equilibria=0,
        n_equilibria=np.ones(compiled.n, dtype=int), model=compiled,
    )


def _history(compiled: Compiled, node: int) -> str:
    tree = compiled.tree
    steps = [tree.actions_at(parent)[a] for parent, a in tree.path_to(node)]
    return "/".join(steps) if steps else "start"


def choice_names(compiled: Compiled) -> list[str]:
    """Column names of the choice probabilities: ``P(player: action | history)``."""
    from coercion.games.extensive_form import Decision

    tree = compiled.tree
    names = []
    for k, node in enumerate(tree.nodes):
        if isinstance(node, Decision):
            hist = _history(compiled, k)
            names += [f"P({node.player}: {a} | {hist})" for a in node.moves]
    return names


def probability_function(
    compiled: Compiled,
    theta_hat: np.ndarray,
    what: str = "outcomes",
    p_hat: np.ndarray | None = None,
) -> tuple[list[str], Callable[[np.ndarray], np.ndarray]]:
    """Column names and ``theta -> (n, columns)`` probabilities on *compiled*'s data.

    *what* is ``"outcomes"`` (``P(<label>)`` per outcome label) or ``"choices"``
    (each move's action probabilities, ``P(<player>: <action> | <history>)``).
    For the signalling game *p_hat* gives each unit's equilibrium at *theta_hat*
    (default: the lowest ``p_resist`` found by :func:`~coercion.estimate.signaling.equilibria`);
    at other parameters each unit's equilibrium is followed from it by Newton's method.
    """
    if what not in ("outcomes", "choices"):
        raise InvalidParameterError(f"what must be 'outcomes' or 'choices'; got {what!r}")
    if compiled.ultimatum is not None:
        if what == "choices":
            raise InvalidParameterError(
                "what: the ultimatum game's choice is a number; predict(what='outcomes') gives "
                "the expected offer and the probability of acceptance"
            )
        return ["E(offer)", "P(accept)"], compiled.ultimatum.offer_and_acceptance
    if compiled.likelihood is not None:
        model = compiled.likelihood
        if what == "outcomes":
            return [f"P({lab})" for lab in compiled.tree.outcome_labels], (
                model.outcome_probabilities
            )

        def choices(theta: np.ndarray) -> np.ndarray:
            probs = model.action_probabilities(theta)
            return np.column_stack([probs[k] for k in sorted(probs)])

        return choice_names(compiled), choices
    from coercion.estimate import signaling as sg

    problem = compiled.signaling
    assert problem is not None
    p_fn = _signaling_equilibrium_function(compiled, theta_hat, p_hat)

    def signaling_outcomes(theta: np.ndarray) -> np.ndarray:
        U = problem.utilities(np.asarray(theta, dtype=float))
        return np.asarray(sg.outcome_probabilities(p_fn(theta), U, problem.sigma))

    def signaling_choices(theta: np.ndarray) -> np.ndarray:
        p = p_fn(theta)
        U = problem.utilities(np.asarray(theta, dtype=float))
        p_c, p_f = sg.best_response_A(p, U, problem.sigma)
        return np.column_stack([1 - p_c, p_c, 1 - p, p, p_f, 1 - p_f])

    if what == "outcomes":
        return [f"P({lab})" for lab in compiled.tree.outcome_labels], signaling_outcomes
    return choice_names(compiled), signaling_choices


def _signaling_equilibrium_function(
    compiled: Compiled, theta_hat: np.ndarray, p_hat: np.ndarray | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    from coercion.estimate import signaling as sg

    problem = compiled.signaling
    assert problem is not None
    theta_hat = np.asarray(theta_hat, dtype=float)
    if p_hat is None:
        roots = sg.equilibria(problem, theta_hat)
        p_hat = np.array([r[0] if len(r) else np.nan for r in roots])
    base = np.asarray(p_hat, dtype=float)

    def fn(theta: np.ndarray) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if np.array_equal(theta, theta_hat):
            return base
        return sg.track_equilibria(problem, theta, base)

    return fn


def outcome_probability_function(
    compiled: Compiled, theta_hat: np.ndarray, p_hat: np.ndarray | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    """``theta -> (n, L)`` outcome probabilities on *compiled*'s data (see
    :func:`probability_function`)."""
    return probability_function(compiled, theta_hat, "outcomes", p_hat)[1]
