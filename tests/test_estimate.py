"""Structural estimation on game trees: published fits reproduced, gradients, recovery, errors.

Reference numbers come from ``tests/data/estimation_reference.json`` (R ``games``
1.1.2 on ``war1800``; "tight" = refitted at reltol 1e-14 because R's default
stops up to 1e-3 short of the maximum).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.cli import main
from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.estimate import (
    EstimationSpec,
    OutcomeSpec,
    Scale,
    Utility,
    bundled_game,
    estimate,
    load_spec,
)
from coercion.estimate.build import compile_model
from coercion.estimate.simulate import simulate
from coercion.games import Decision, GameTree, Terminal
from coercion.solvers import solve

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "estimation_reference.json").read_text()
)["egame12_war1800"]["models"]

FITS = [
    ("egame12-war1800", "m1_probit_agent", -286.123755),
    ("egame12-war1800-logit", "m2_logit_agent", -286.182794),
    ("egame12-war1800-private", "m1_probit_private", -286.118174),
    ("egame12-war1800-scale", "m7_probit_agent_scale_balanc", -286.078591),
]


def _cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["estimate", *argv, "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


@pytest.mark.parametrize(("spec", "key", "published"), FITS)
def test_cli_reproduces_the_published_egame12_fits(
    capsys: pytest.CaptureFixture[str], spec: str, key: str, published: float
) -> None:
    ref = REFERENCE[key]
    out = _cli_json(capsys, spec, "war1800")
    assert out["n"] == ref["n"] == 282
    assert out["converged"] is True
    assert out["units_with_multiple_equilibria"] == 0
    assert abs(float(out["loglik"]) - published) < 1e-5  # type: ignore[arg-type]
    assert abs(float(out["loglik"]) - ref["loglik_tight"]) < 1e-7  # type: ignore[arg-type]
    params = out["params"]
    assert isinstance(params, list)
    assert [p["name"] for p in params] == ref["names"]
    est = np.array([p["estimate"] for p in params])
    se = np.array([p["se"] for p in params])
    np.testing.assert_allclose(est, ref["estimate_tight"], rtol=0, atol=1e-4)
    se_ref = ref["se_richardson"]["se_richardson"] if "se_richardson" in ref else ref["se_tight"]
    np.testing.assert_allclose(se, se_ref, rtol=1e-3)
    for field in ("spec", "method", "iterations", "seconds"):
        assert field in out


def test_text_output_is_a_regression_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate", "egame12-war1800", "war1800"]) == 0
    text = capsys.readouterr().out
    assert "log-likelihood -286.123755" in text
    assert "u2(esc,war)" in text and "regime2dem" in text
    assert "std.err" in text and "P>|z|" in text


# ----------------------------------------------------------------------------- gradients
def _random_counts(rng: np.random.Generator, n: int, labels: int) -> np.ndarray:
    return rng.integers(0, 4, size=(n, labels)).astype(float)


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "x": rng.normal(size=n),
        "z": rng.normal(size=n),
        "w": rng.uniform(0.5, 2.0, size=n),
    })


TREES = {
    "egame12": ("agent", "probit"),
    "egame122": ("private", "probit"),
    "egame123": ("agent", "logit"),
    "coercion": ("agent", "logit"),
    "signaling": ("agent", "probit"),
}


def _spec_for(game: str, errors: str, link: str, outcome: OutcomeSpec) -> EstimationSpec:
    tree = bundled_game(game)
    utilities = []
    formulas = ["1 + x", "z", "x + log(w)", "1 + sqrt(w)"]
    i = 0
    for p, player in enumerate(tree.players):
        for lab in tree.outcome_labels[p + 1 :]:  # leave the first outcome(s) at 0
            utilities.append(Utility(player, lab, formulas[i % len(formulas)]))
            i += 1
    return EstimationSpec(
        game=game, utilities=tuple(utilities), outcome=outcome, errors=errors, link=link,
        scales=(Scale("z - 1"),),
    )


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1), game=st.sampled_from(sorted(TREES)))
def test_gradient_equals_finite_differences(seed: int, game: str) -> None:
    rng = np.random.default_rng(seed)
    errors, link = TREES[game]
    labels = bundled_game(game).outcome_labels
    frame = _frame(rng, 30)
    counts = _random_counts(rng, 30, len(labels))
    counts[0] = 1  # every outcome observed
    for j, lab in enumerate(labels):
        frame[f"n_{lab}"] = counts[:, j]
    outcome = OutcomeSpec(counts={lab: f"n_{lab}" for lab in labels})
    compiled = compile_model(_spec_for(game, errors, link, outcome), frame)
    model = compiled.likelihood
    assert model is not None
    theta = rng.normal(scale=0.5, size=model.n_params)
    ll, grad = model.value_and_grad(theta)
    assert math.isfinite(ll)
    fd = np.empty_like(grad)
    for j in range(len(theta)):
        e = np.zeros_like(theta)
        e[j] = 1e-6
        fd[j] = (model.loglik(theta + e) - model.loglik(theta - e)) / 2e-6
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-6)
    _, scores = model.value_and_grad(theta, per_unit=True)
    np.testing.assert_allclose(scores.sum(axis=0), grad, rtol=1e-12, atol=1e-12)
    probs = model.outcome_probabilities(theta)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)


# ----------------------------------------------------------------------------- invariance
def test_permuting_units_changes_nothing() -> None:
    frame = pd.read_csv(
        Path(__file__).parents[1] / "coercion" / "data" / "datasets" / "war1800.csv"
    )
    fit = estimate("egame12-war1800", frame)
    shuffled = frame.sample(frac=1.0, random_state=np.random.RandomState(7)).reset_index(drop=True)
    again = estimate("egame12-war1800", shuffled)
    assert again.loglik == pytest.approx(fit.loglik, abs=1e-9)
    np.testing.assert_allclose(again.estimates, fit.estimates, atol=1e-6)
    np.testing.assert_allclose(again.se, fit.se, rtol=1e-5)


# ----------------------------------------------------------------------------- recovery
def test_estimates_recover_known_parameters_with_honest_intervals() -> None:
    """Simulate from known utilities (seeded), refit; 95 % intervals cover ~95 % of the time."""
    rng = np.random.default_rng(20261202)
    n = 400
    frame = _frame(rng, n)
    spec = EstimationSpec(
        game="egame12",
        utilities=(
            Utility("1", "1", "1 + x"),
            Utility("1", "4", "z - 1"),
            Utility("2", "4", "1 + x"),
        ),
        outcome=OutcomeSpec(column="y"),
    )
    truth = np.array([0.3, -0.8, 0.6, -0.2, 0.9])
    frame["y"] = "1"
    reps, covered, estimates = 60, np.zeros(5), []
    for _ in range(reps):
        data = simulate(spec, frame, truth, rng)
        fit = estimate(spec, data)
        assert fit.converged
        estimates.append(fit.estimates)
        covered += np.abs(fit.estimates - truth) <= 1.96 * fit.se
    mean = np.mean(estimates, axis=0)
    sd = np.std(estimates, axis=0)
    # unbiased to within sampling error of the mean over replications
    assert np.all(np.abs(mean - truth) < 4 * sd / math.sqrt(reps) + 0.02)
    # coverage: 60 draws at 95 % -> at least 49 with probability > 0.999 per parameter
    assert covered.min() >= 49, covered
    assert covered.mean() / reps > 0.88


# ----------------------------------------------------------------------------- limit
def test_agent_error_at_vanishing_noise_agrees_with_subgame_perfect_play() -> None:
    """As λ = 1/σ → ∞, agent-error egame12 plays the tree's subgame-perfect equilibrium."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"one": np.ones(1), "y": ["1"]})
    tree = bundled_game("egame12")
    for _ in range(20):
        u11, u14, u13, u24 = rng.normal(size=4)
        spec = EstimationSpec(
            game="egame12",
            utilities=(
                Utility("1", "1", value=float(u11)), Utility("1", "3", value=float(u13)),
                Utility("1", "4", value=float(u14)), Utility("2", "4", value=float(u24)),
            ),
            outcome=OutcomeSpec(column="y"),
            scales=(Scale("one - 1"),),
        )
        compiled = compile_model(spec, frame, require_outcome=False)
        model = compiled.likelihood
        assert model is not None
        probs = model.outcome_probabilities(np.array([-12.0]))[0]  # sigma = e^-12
        payoffs = {"1": (u11, 0.0), "3": (u13, 0.0), "4": (u14, u24)}
        game = GameTree(
            tree.players,
            Decision("1", {
                "L": Terminal("1", payoffs["1"]),
                "R": Decision("2", {"L": Terminal("3", payoffs["3"]),
                                    "R": Terminal("4", payoffs["4"])}),
            }),
        )
        spe = solve(game, method="backward_induction")
        assert spe.exhaustive and len(spe.equilibria) == 1  # no ties: a unique SPE
        reached = [lab for lab, p in zip(tree.outcome_labels, probs, strict=True) if p > 0.999]
        assert len(reached) == 1
        assert payoffs[reached[0]] == pytest.approx(tuple(float(v) for v in spe.payoffs[0]))


# ----------------------------------------------------------------------------- predictions
def test_predict_probabilities_and_intervals() -> None:
    fit = estimate("egame12-war1800", "war1800")
    pred = fit.predict()
    cols = ["P(1)", "P(3)", "P(4)"]
    np.testing.assert_allclose(pred[cols].sum(axis=1), 1.0, atol=1e-12)
    for lab in ("1", "3", "4"):
        assert (pred[f"P({lab}) lower"] <= pred[f"P({lab})"] + 1e-12).all()
        assert (pred[f"P({lab})"] <= pred[f"P({lab}) upper"] + 1e-12).all()
    # new data: one democratic and one autocratic challenger, other covariates equal
    new = pd.DataFrame({
        "s_wt_re1": [0.0, 0.0], "revis1": [1, 1], "balanc": [0.5, 0.5],
        "regime1": ["dem", "autoc"], "regime2": ["autoc", "autoc"],
    })
    p = fit.predict(new, interval="bootstrap", rng=np.random.default_rng(0), draws=200)
    assert p.shape[0] == 2
    # regime1dem lowers 1's war utility (-1.90): a democratic challenger escalates less
    assert p["P(1)"][0] > p["P(1)"][1]


# ----------------------------------------------------------------------------- bad input
def _war() -> pd.DataFrame:
    return pd.read_csv(
        Path(__file__).parents[1] / "coercion" / "data" / "datasets" / "war1800.csv"
    )


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert needle in err, err


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda f: f.rename(columns={"revis1": "revis_1"}), "column named 'revis1'; did you mean"),
        (lambda f: f.drop(columns=["esc"]), "no column 'esc'"),
        (lambda f: f.assign(regime1="dem"), "only one level"),
        (lambda f: f.assign(esc=f["esc"] + 5), "action index"),
    ],
)
def test_bad_data_gives_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: object, needle: str
) -> None:
    path = tmp_path / "data.csv"
    mutate(_war()).to_csv(path, index=False)  # type: ignore[operator]
    _one_line_error(capsys, ["estimate", "egame12-war1800", str(path)], needle)


def test_missing_covariates_say_how_many_rows_and_offer_dropping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.toml"
    text = (Path(__file__).parents[1] / "coercion" / "data" / "specs" /
            "egame12-war1800.toml").read_text()
    spec.write_text(text.replace('missing = "drop"', ""))
    _one_line_error(capsys, ["estimate", str(spec), "war1800"], "31 of 313 rows")
    assert main(["estimate", str(spec), "war1800", "--drop-missing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 282


@pytest.mark.parametrize(
    ("values", "needle"),
    [([-1, 2], "must be >= 0"), ([1.5, 2], "whole numbers"), ([np.nan, 2], "missing")],
)
def test_bad_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], values: list[float], needle: str
) -> None:
    frame = pd.read_csv(
        Path(__file__).parents[1] / "coercion" / "data" / "datasets" / "sanctions-signaling.csv"
    )
    frame["cd"] = frame["cd"].astype(float)
    frame.loc[:1, "cd"] = values
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    _one_line_error(capsys, ["estimate", "signaling-sanctions", str(path)], needle)


def test_unidentified_specs_are_refused() -> None:
    frame = _war().dropna()
    # a regressor in every utility of player 1
    spec = EstimationSpec(
        game="egame12",
        utilities=(Utility("1", "1", "balanc"), Utility("1", "3", "balanc - 1"),
                   Utility("1", "4", "balanc - 1"), Utility("2", "4", "1")),
        outcome=OutcomeSpec(path=("esc", "war")),
    )
    with pytest.raises(InvalidParameterError, match="enters every utility of player '1'"):
        estimate(spec, frame)
    # a constant column beside the intercept
    const = frame.assign(k=2.0)
    spec2 = EstimationSpec(
        game="egame12",
        utilities=(Utility("1", "1", "1 + k"), Utility("2", "4", "1")),
        outcome=OutcomeSpec(path=("esc", "war")),
    )
    with pytest.raises(InvalidParameterError, match="'k' is constant"):
        estimate(spec2, const)
    # perfect prediction: nobody ever fights
    never = frame.assign(war=0)
    with pytest.raises(InvalidParameterError, match="never observed"):
        estimate("egame12-war1800", never)


def test_formulas_are_never_evaluated_as_python(tmp_path: Path) -> None:
    for bad in ["__import__('os').system('true')", "x.__class__", "open('f')", "exec(x)"]:
        spec = EstimationSpec(
            game="egame12", utilities=(Utility("1", "1", bad),),
            outcome=OutcomeSpec(column="y"),
        )
        with pytest.raises(InvalidParameterError):
            compile_model(spec, pd.DataFrame({"x": [1.0, 2.0], "y": ["1", "3"]}))


def test_spec_file_errors_name_the_key(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('game = "egame12"\n[outcome]\ncolumn = "y"\n[[utility]]\nplayer = "1"\n')
    with pytest.raises(InvalidParameterError, match="missing key 'outcome'"):
        load_spec(path)
    path.write_text('game = "egame12"\nlinks = "probit"\n')
    with pytest.raises(InvalidParameterError, match="unknown key 'links'"):
        load_spec(path)


def test_multi_action_probit_and_private_logit_are_refused() -> None:
    frame = pd.DataFrame({"x": [0.0, 1.0], "y": ["status_quo", "concession"]})
    spec = EstimationSpec(
        game="coercion", utilities=(Utility("coercer", "concession", "x"),),
        outcome=OutcomeSpec(column="y"),
    )
    with pytest.raises(UnsupportedGameError, match="two actions"):
        compile_model(spec, frame, require_outcome=False)
    with pytest.raises(InvalidParameterError, match="must be 'probit'"):
        compile_model(spec.replace(game="egame12", errors="private", link="logit",
                                   utilities=(Utility("1", "1", "x"),)),
                      frame.assign(y="1"), require_outcome=False)


def test_any_efg_tree_can_be_estimated(tmp_path: Path) -> None:
    """The same model from a Gambit file equals the bundled tree's fit."""
    from coercion.io import write_efg

    tree = bundled_game("egame12")
    path = tmp_path / "egame12.efg"
    path.write_text(write_efg(tree))
    spec = load_spec("egame12-war1800")
    fit = estimate(spec.replace(game=str(path)), "war1800")
    assert fit.loglik == pytest.approx(-286.123754718527, abs=1e-7)


def test_choice_probabilities_multiply_to_outcome_probabilities() -> None:
    fit = estimate("egame12-war1800", "war1800")
    out = fit.predict(interval=None)
    ch = fit.predict(what="choices")
    assert list(ch.columns[:4]) == [
        "P(1: L | start)", "P(1: R | start)", "P(2: L | R)", "P(2: R | R)",
    ]
    np.testing.assert_allclose(ch["P(1: L | start)"], out["P(1)"], rtol=1e-12)
    np.testing.assert_allclose(ch["P(1: R | start)"] * ch["P(2: R | R)"], out["P(4)"], rtol=1e-12)
    assert (ch["P(2: R | R) lower"] < ch["P(2: R | R)"]).all()


# ----------------------------------------------------------------------------- the signalling game
SIGNALING = json.loads(
    (Path(__file__).parent / "data" / "estimation_reference.json").read_text()
)["signaling_sanctions"]


@pytest.fixture(scope="module")
def signaling_cli() -> dict[str, dict[str, object]]:
    """The three published signalling fits, run once each through ``coercion estimate``."""
    import contextlib
    import io

    out = {}
    for method, extra in (("pl", []), ("npl", ["--npl-variance", "sigint"]), ("cmle", [])):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(["estimate", "signaling-sanctions", "sanctions-signaling",
                         "--method", method, *extra, "--json"])
        assert code == 0
        out[method] = json.loads(buffer.getvalue())
    return out


@pytest.mark.parametrize(
    ("method", "published", "atol"),
    [("pl", -3964.025568, 1e-4), ("npl", -3932.447378, 1e-4), ("cmle", -3927.909511, 5e-4)],
)
def test_cli_reproduces_the_published_signaling_fits(
    signaling_cli: dict[str, dict[str, object]], method: str, published: float, atol: float
) -> None:
    out = signaling_cli[method]
    assert out["method"] == method and out["n"] == 418 and out["converged"] is True
    assert out["n_observations"] == 49071 + 144 + 349 + 140
    assert abs(float(out["loglik"]) - published) < 1e-5  # type: ignore[arg-type]
    params = out["params"]
    assert isinstance(params, list)
    assert [p["name"] for p in params] == SIGNALING["param_names"]
    est = np.array([p["estimate"] for p in params])
    np.testing.assert_allclose(est, SIGNALING[method]["estimate"], rtol=0, atol=atol)
    if method == "npl":  # sigInt's sandwich reproduces the corrected reference values
        se = np.array([p["se"] for p in params])
        np.testing.assert_allclose(se, SIGNALING["npl"]["se_corrected"], rtol=1e-2)
    if method in ("npl", "cmle"):
        assert out["units_with_multiple_equilibria"] == 0


def test_signaling_choice_probabilities_and_bands() -> None:
    fit = estimate("signaling-sanctions", "sanctions-signaling", method="cmle")
    first = fit.model.frame.iloc[:3]  # type: ignore[union-attr]
    ch = fit.predict(first, what="choices")
    out = fit.predict(first, interval=None)
    np.testing.assert_allclose(
        ch["P(A: challenge | start)"] * ch["P(B: concede | challenge)"], out["P(CD)"], rtol=1e-9
    )
    np.testing.assert_allclose(
        ch["P(A: challenge | start)"] * ch["P(B: resist | challenge)"]
        * ch["P(A: firm | challenge/resist)"], out["P(SF)"], rtol=1e-9,
    )
    for col in ("P(B: resist | challenge)", "P(A: firm | challenge/resist)"):
        assert (ch[f"{col} lower"] <= ch[col]).all() and (ch[col] <= ch[f"{col} upper"]).all()


# ----------------------------------------------------------------------------- ultimatum
def _ultimatum_data(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    from coercion.estimate.ultimatum import simulate_offers

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=n), "w": rng.normal(size=n)})
    truth = np.array([5.0, 1.0, 4.0, -1.0, math.log(1.5), 0.0])
    offer, accept = simulate_offers(
        truth[0] + truth[1] * frame["x"].to_numpy(), truth[2] + truth[3] * frame["w"].to_numpy(),
        1.5, 1.0, 0.0, 15.0, rng,
    )
    return frame.assign(offer=offer, accept=accept), truth


ULTIMATUM = EstimationSpec(
    game="ultimatum",
    utilities=(Utility("1", "reject", "x", name="R1"), Utility("2", "reject", "w", name="R2")),
    outcome=OutcomeSpec(offer="offer", accept="accept"),
    max_offer=15.0,
)


def test_ultimatum_gradient_and_recovery() -> None:
    """The statistical ultimatum game (Ramsay & Signorino 2009): exact gradient, recovery."""
    frame, truth = _ultimatum_data(3000, 17)
    compiled = compile_model(ULTIMATUM, frame)
    model = compiled.ultimatum
    assert model is not None
    theta = truth + 0.1
    ll, grad = model.value_and_grad(theta)
    assert math.isfinite(ll)
    fd = np.array([
        (model.loglik(theta + 1e-6 * e) - model.loglik(theta - 1e-6 * e)) / 2e-6
        for e in np.eye(len(theta))
    ])
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-5)
    fit = estimate(ULTIMATUM, frame)
    assert fit.converged
    assert fit.names == ("R1:(Intercept)", "R1:x", "R2:(Intercept)", "R2:w", "log(s1)", "log(s2)")
    assert np.all(np.abs(fit.estimates - truth) < 4 * fit.se)
    pred = fit.predict(frame.iloc[:5])
    assert list(pred.columns[:2]) == ["E(offer)", "P(accept)"]
    assert ((pred["E(offer)"] > 0) & (pred["E(offer)"] < 15)).all()
    # a more demanding responder (higher R2) gets a larger expected offer
    hi = fit.predict(pd.DataFrame({"x": [0.0, 0.0], "w": [-2.0, 2.0]}), interval=None)
    assert hi["E(offer)"][0] > hi["E(offer)"][1]


def test_ultimatum_offer_outside_the_range_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame, _ = _ultimatum_data(50, 3)
    frame.loc[4, "offer"] = 16.0
    data = tmp_path / "u.csv"
    frame.to_csv(data, index=False)
    spec = tmp_path / "u.toml"
    spec.write_text(
        'game = "ultimatum"\nmax_offer = 15\n[outcome]\noffer = "offer"\naccept = "accept"\n'
        '[[utility]]\nplayer = "1"\noutcome = "reject"\nformula = "x"\n'
        '[[utility]]\nplayer = "2"\noutcome = "reject"\nformula = "w"\n'
    )
    _one_line_error(capsys, ["estimate", str(spec), str(data)], "row 5 offers 16")


def test_signaling_bootstrap_over_dyads_is_seeded() -> None:
    fit = estimate("signaling-sanctions", "sanctions-signaling", method="cmle",
                   se="bootstrap", bootstrap=3, rng=np.random.default_rng(1))
    assert fit.se_method == "bootstrap (3 resamples of units)"
    assert np.all(np.isfinite(fit.se)) and np.all(fit.se > 0)
    with pytest.raises(InvalidParameterError, match="needs rng"):
        estimate("signaling-sanctions", "sanctions-signaling", method="pl", se="bootstrap")


def test_predictions_follow_the_estimators_equilibrium() -> None:
    """predict() uses the equilibria the fit selected, and follows them as parameters move."""
    from coercion.estimate import signaling as sg

    fit = estimate("signaling-sanctions", "sanctions-signaling", method="npl")
    assert fit.equilibrium is not None
    ch = fit.predict(what="choices", interval=None)
    np.testing.assert_allclose(ch["P(B: resist | challenge)"], fit.equilibrium, rtol=0, atol=0)
    problem = fit.model.signaling  # type: ignore[union-attr]
    moved = fit.estimates + 1e-3
    followed = sg.track_equilibria(problem, moved, fit.equilibrium)
    roots = sg.equilibria(problem, moved)
    gaps = [float(np.min(np.abs(r - p))) for r, p in zip(roots, followed, strict=True)]
    assert max(gaps) < 1e-7  # a true equilibrium at the moved parameters
    assert np.max(np.abs(followed - fit.equilibrium)) < 0.05  # and the nearby one


def test_inputs_are_bounded_before_reading_or_allocating(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "spec.toml"
    os.mkfifo(fifo)
    with pytest.raises(InvalidParameterError, match="regular file"):
        load_spec(fifo)  # refused at once, never opened
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (2**20 + 10))
    with pytest.raises(InvalidParameterError, match="above the limit"):
        load_spec(big)
    with pytest.raises(InvalidParameterError, match="not a regular file"):
        estimate("egame12-war1800", str(tmp_path))  # a folder as data
    with pytest.raises(InvalidParameterError, match="GiB of working memory"):
        compile_model(load_spec("egame12-war1800"), "war1800", max_work_bytes=10_000)
