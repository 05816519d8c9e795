"""Side-by-side benchmark of coercion against nashpy and pygambit, in one process and one run.

Usage::

    python benchmarks/run.py [--quick] [--json]

Benchmarks (see ``benchmarks/README.md`` for what exactly is timed):

``bimatrix-NxN`` (N = 2, 3, 4, and 6 unless ``--quick``)
    All equilibria of random bimatrix games (uniform payoffs, fixed seeds):
    ``coercion.solve(game)`` (exact ``enummixed``) vs nashpy's
    ``support_enumeration`` vs pygambit's ``enummixed_solve(rational=False)``.
    Timed: building each library's game from numpy arrays, solving, reading the
    equilibria out as numpy vectors.

``batched-NxN`` (N = 2, 3)
    ``coercion.solvers.batched.batched_bimatrix`` on 10^6 (10^5 with ``--quick``)
    random games in one call vs nashpy ``support_enumeration``, pygambit
    ``enummixed_solve(rational=False)`` and QuantEcon ``support_enumeration``
    (skipped if quantecon is not installed) one game at a time on a sample;
    ``agree``: identical equilibrium sets on the sample.

``sweep-memory-N``
    Peak RSS of one 2-D ``sweep`` of 10^8 points (10^6 with ``--quick``) in a
    fresh subprocess, against a 2 GiB budget.

``coercion-sweep`` / ``coercion-sweep-threads``
    The bundled case ``japan-china-2010`` solved over a 1000 x 1000 grid
    (300 x 300 with ``--quick``) of ``instrument.dependency_share`` x
    ``instrument.stockpile_months`` by ``coercion.analysis.sweep`` (defaults;
    and with ``workers=-1``: threads of this one process), against peers
    solving the exported game point by point on 50 grid points: pygambit's
    ``lcp_solve(rational=False)`` and ``logit_solve`` (read from ``.efg``
    text) and nashpy's ``support_enumeration`` on the reduced normal form.

Ratios are printed, never asserted: ``ratio = ours_per_s / peer_per_s``
(above 1 means coercion is faster).  ``agree`` is checked on every run.
pygambit (GPL) and nashpy are imported here only, never by ``coercion``.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import coercion
from coercion.analysis import sweep
from coercion.cases import load
from coercion.games import BehaviorProfile, GameTree, NormalFormGame
from coercion.io import write_efg
from coercion.model import coercion_game
from coercion.solvers import backward_induction, is_nash, is_subgame_perfect

TOL = 1e-6  # equilibrium vectors and payoffs compared within this (absolute)
CASE = "japan-china-2010"
SWEEP_PATH = "instrument.dependency_share"
STOCK_PATH = "instrument.stockpile_months"


@dataclass
class Row:
    """One (benchmark, peer) line of the report."""

    name: str
    ours_per_s: float
    peer: str
    peer_per_s: float
    agree: bool
    note: str = ""
    extra: dict[str, Any] | None = None

    @property
    def ratio(self) -> float:
        return self.ours_per_s / self.peer_per_s

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ours_per_s": round(self.ours_per_s, 3),
            "peer": self.peer,
            "peer_per_s": round(self.peer_per_s, 3),
            "ratio": round(self.ratio, 4),
            "agree": self.agree,
            "note": self.note,
            **(self.extra or {}),
        }


def log(msg: str) -> None:
    """Progress goes to stderr, so ``--json`` output on stdout stays clean."""
    print(msg, file=sys.stderr, flush=True)


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """Run *fn* *repeats* times; return (median seconds, spread, first result).

    spread = (max - min) / median over the repeats (run-to-run noise).
    """
    times = []
    first = None
    for r in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if r == 0:
            first = out
    med = statistics.median(times)
    return med, (max(times) - min(times)) / med, first


def interleaved(
    fns: dict[str, Callable[[], Any]], repeats: int
) -> dict[str, tuple[float, float, Any]]:
    """Like :func:`median_time` for several contenders, alternating them each repeat.

    Round-robin order spreads slow drift of the machine (thermal, other load)
    over every contender instead of penalising whoever runs last.
    """
    times: dict[str, list[float]] = {k: [] for k in fns}
    first: dict[str, Any] = {}
    for r in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            out = fn()
            times[k].append(time.perf_counter() - t0)
            if r == 0:
                first[k] = out
    result = {}
    for k, ts in times.items():
        med = statistics.median(ts)
        result[k] = (med, (max(ts) - min(ts)) / med, first[k])
    return result


# ---------------------------------------------------------------------------- bimatrix


def random_games(n: int, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Uniform(0, 1) payoffs, ``default_rng(1000 * n + k)`` for game k (as in the research §3a)."""
    games = []
    for k in range(count):
        rng = np.random.default_rng(1000 * n + k)
        games.append((rng.uniform(size=(n, n)), rng.uniform(size=(n, n))))
    return games


def ours_bimatrix(A: np.ndarray, B: np.ndarray) -> list[np.ndarray]:
    res = coercion.solve(NormalFormGame.bimatrix(A, B))
    return [np.concatenate([eq[0], eq[1]]) for eq in res.equilibria]


def nashpy_bimatrix(A: np.ndarray, B: np.ndarray) -> list[np.ndarray]:
    import nashpy

    return [np.concatenate([r, c]) for r, c in nashpy.Game(A, B).support_enumeration()]


def gambit_bimatrix(A: np.ndarray, B: np.ndarray) -> list[np.ndarray]:
    import pygambit as gbt

    g = gbt.Game.from_arrays(A, B)
    res = gbt.nash.enummixed_solve(g, rational=False)
    return [
        np.array([float(eq[s]) for pl in g.players for s in pl.strategies]) for eq in res.equilibria
    ]


def contained(theirs: Sequence[np.ndarray], ours: Sequence[np.ndarray]) -> tuple[int, int]:
    """(how many of *theirs* are not in *ours*, how many of *ours* are not in *theirs*)."""

    def member(v: np.ndarray, pool: Sequence[np.ndarray]) -> bool:
        return any(v.shape == w.shape and np.max(np.abs(v - w)) <= TOL for w in pool)

    return (
        sum(not member(v, ours) for v in theirs),
        sum(not member(v, theirs) for v in ours),
    )


def bench_bimatrix(n: int, count: int, repeats: int) -> list[Row]:
    games = random_games(n, count)
    solvers = {"ours": ours_bimatrix, "nashpy": nashpy_bimatrix, "pygambit": gambit_bimatrix}
    for fn in solvers.values():  # warm-up: first-call costs (lazy imports, caches)
        fn(*games[0])

    def batch(fn: Callable[..., list[np.ndarray]]) -> Callable[[], list[list[np.ndarray]]]:
        return lambda: [fn(A, B) for A, B in games]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on even equilibrium counts
        timed = interleaved({k: batch(fn) for k, fn in solvers.items()}, repeats)
    ours_t, ours_spread, ours_eqs = timed["ours"]
    ours_rate = count / ours_t
    mean_eq = sum(map(len, ours_eqs)) / count
    log(
        f"  bimatrix-{n}x{n}: {count} games x {repeats} repeats, "
        f"{mean_eq:.2f} equilibria per game (ours), spread ours {ours_spread:.0%}"
    )
    rows = []
    peer_names = {"nashpy": "nashpy.support_enumeration", "pygambit": "pygambit.enummixed(float)"}
    for key, peer in peer_names.items():
        t, spread, eqs = timed[key]
        # agree: every equilibrium the peer found is in our list (checked on every game)
        extra = [contained(theirs, ours) for theirs, ours in zip(eqs, ours_eqs, strict=True)]
        not_ours = sum(a for a, _ in extra)
        missed = sum(b for _, b in extra)
        missed_games = sum(b > 0 for _, b in extra)
        same = sum(a == 0 and b == 0 for a, b in extra)
        note = f"checked {count} games, same set on {same}; spread {spread:.0%}"
        if not_ours:
            note += f"; {not_ours} peer equilibria not in our list"
        if missed:
            note += f"; peer missed {missed} of our equilibria in {missed_games} games"
        rows.append(Row(f"bimatrix-{n}x{n}", ours_rate, peer, count / t, not_ours == 0, note))
    return rows


# ---------------------------------------------------------------------------- batched bimatrix


def quantecon_bimatrix(A: np.ndarray, B: np.ndarray) -> list[np.ndarray]:
    import quantecon.game_theory as gt

    g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    return [np.concatenate([x, y]) for x, y in gt.support_enumeration(g)]


def bench_batched(n: int, n_games: int, n_sample: int, repeats: int) -> list[Row]:
    """``batched_bimatrix`` on ``n_games`` random NxN games vs peers one game at a time.

    Peers are timed on the first ``n_sample`` games (per-game cost is flat);
    ``agree``: on those games each peer's set equals ours (the games are
    nondegenerate with probability 1; ours reports which are).
    """
    from coercion.solvers.batched import batched_bimatrix

    rng = np.random.default_rng(7000 + n)
    A = rng.uniform(size=(n_games, n, n))
    B = rng.uniform(size=(n_games, n, n))
    batched_bimatrix(A[:100], B[:100])  # warm-up
    ours_t, ours_spread, res = median_time(lambda: batched_bimatrix(A, B), repeats)
    ours_rate = n_games / ours_t
    ours_eqs = [[np.concatenate([x, y]) for x, y in res.equilibria(g)] for g in range(n_sample)]
    n_degenerate = int(res.degenerate.sum())
    peers: dict[str, Callable[[np.ndarray, np.ndarray], list[np.ndarray]]] = {
        "nashpy.support_enumeration": nashpy_bimatrix,
        "pygambit.enummixed(float)": gambit_bimatrix,
    }
    try:
        import quantecon.game_theory  # noqa: F401

        peers["quantecon.support_enumeration"] = quantecon_bimatrix
    except ImportError:
        log("  quantecon is not installed: its row is skipped")
    rows = []
    for peer, fn in peers.items():
        fn(A[0], B[0])  # warm-up (quantecon: numba compilation)
        count = n_sample if "quantecon" in peer else max(50, n_sample // 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, spread, eqs = median_time(
                lambda fn=fn, count=count: [fn(A[g], B[g]) for g in range(count)], repeats
            )
        diff = [contained(theirs, ours) for theirs, ours in zip(eqs, ours_eqs, strict=False)]
        same = sum(a == 0 and b == 0 for a, b in diff)
        not_ours = sum(a for a, _ in diff)
        missed_games = sum(b > 0 for _, b in diff)
        note = (
            f"ours {n_games:,} games in one call ({n_degenerate} flagged degenerate), peer timed "
            f"one game at a time on {count}; same equilibrium set on {same}/{count}; "
            f"spread ours {ours_spread:.0%}, peer {spread:.0%}"
        )
        if not_ours:
            note += f"; {not_ours} peer equilibria not in our list"
        if missed_games:
            note += f"; peer missed some of our equilibria in {missed_games} games"
        # as for bimatrix-NxN: agree when every peer equilibrium is in our list
        rows.append(Row(f"batched-{n}x{n}", ours_rate, peer, count / t, not_ours == 0, note))
    log(f"  batched-{n}x{n}: {n_games:,} games x {repeats} repeats (ours)")
    return rows


# ---------------------------------------------------------------------------- sweep memory

_MEMORY_SCRIPT = """
import resource, sys, time
import numpy as np
from coercion.analysis import sweep
side = int(sys.argv[1])
grid = {"instrument.dependency_share": np.linspace(0.0, 1.0, side),
        "instrument.stockpile_months": np.linspace(0.0, 24.0, side)}
t0 = time.perf_counter()
r = sweep("japan-china-2010", grid, progress=False)
dt = time.perf_counter() - t0
# VmHWM: the peak resident set of this process image.  (ru_maxrss would also count the
# parent's resident set at fork time, which Linux carries across exec.)
try:
    with open("/proc/self/status") as f:
        peak_kib = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(r.size, dt, peak_kib)
"""

MEMORY_BUDGET_MIB = 2048


def bench_memory(n_points: int) -> list[Row]:
    """Peak resident memory of one ``sweep`` of ``n_points`` (a square 2-D grid), in a
    fresh subprocess (``VmHWM`` of ``/proc/self/status``; ``ru_maxrss`` elsewhere)."""
    side = round(n_points**0.5)
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, str(side)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    size, seconds, rss_kib = int(out[0]), float(out[1]), int(out[2])
    peak = rss_kib / 1024
    result_mib = size * 19 / 2**20  # int8 outcome + int8 ex_ante + bool ties + 2 float64
    note = (
        f"sweep of {size:,} points ({side} x {side}, default chunk) in {seconds:.1f} s; peak RSS "
        f"{peak:,.0f} MiB (result arrays {result_mib:,.0f} MiB, the rest interpreter, "
        f"imports and chunk work); budget {MEMORY_BUDGET_MIB} MiB"
    )
    log(f"  sweep-memory: {size:,} points, peak {peak:,.0f} MiB")
    return [
        Row(
            f"sweep-memory-{size:.0e}".replace("+0", ""),
            size / seconds,
            f"peak RSS {peak:,.0f} MiB <= {MEMORY_BUDGET_MIB} MiB",
            size / seconds,
            peak <= MEMORY_BUDGET_MIB,
            note,
            {"peak_rss_mib": round(peak, 1), "points": size},
        )
    ]


# ---------------------------------------------------------------------------- coercion sweep


def gambit_profile(tree: GameTree, game: Any, profile: Any) -> BehaviorProfile:
    """pygambit's behaviour profile as ours, matching information sets through the nodes.

    ``write_efg`` writes ``tree.nodes`` in preorder and pygambit lists
    ``game.nodes`` in preorder, so node k is node k; the players and action
    labels are checked, not assumed.
    """
    gnodes = list(game.nodes)
    if len(gnodes) != len(tree.nodes):
        raise RuntimeError("pygambit read a different number of nodes than we wrote")
    dists = []
    for i, own in enumerate(tree.player_infosets):
        per = []
        for h in own:
            info = tree.infosets[h]
            gi = gnodes[info.members[0]].infoset
            if gi.player.label != tree.players[i] or [a.label for a in gi.actions] != list(
                info.actions
            ):
                raise RuntimeError(f"information set {h} does not match pygambit's")
            per.append([float(profile[a]) for a in gi.actions])
        dists.append(per)
    return BehaviorProfile(dists)


def bench_sweep(side: int, n_sample: int, repeats: int) -> list[Row]:
    """The case's game over a ``side x side`` grid (dependency share x stockpile).

    Ours: ``coercion.analysis.sweep`` with its defaults (serial), and with
    ``workers=-1`` (threads of this one process).  Peers solve the exported
    game point by point on a sample of the grid: pygambit's ``lcp_solve``
    (floats; a Nash equilibrium, fastest), pygambit's ``logit_solve`` (traces
    the logit QRE to its limit: the subgame-perfect path) and nashpy's
    ``support_enumeration`` on the reduced normal form.
    """
    import nashpy
    import pygambit as gbt

    case = load(CASE)
    axes = {SWEEP_PATH: np.linspace(0.0, 1.0, side), STOCK_PATH: np.linspace(0.0, 24.0, side)}
    n_points = side * side

    def ours() -> Any:
        return sweep(case, axes, progress=False)

    def ours_threads() -> Any:
        return sweep(case, axes, progress=False, workers=-1)

    ours()  # warm-up
    ours_threads()
    timed = interleaved({"serial": ours, "threads": ours_threads}, repeats)
    ours_t, ours_spread, result = timed["serial"]
    thr_t, thr_spread, threaded = timed["threads"]
    ours_rate, thr_rate = n_points / ours_t, n_points / thr_t
    same_threads = bool(np.array_equal(result.outcome, threaded.outcome))

    # The sample: evenly spaced flat indices of the grid.
    flat = np.unique(np.linspace(0, n_points - 1, n_sample).round().astype(int))
    points = [np.unravel_index(int(i), result.shape) for i in flat]
    trees: list[GameTree] = []
    texts: list[str] = []
    t0 = time.perf_counter()
    for i, j in points:
        values = {SWEEP_PATH: float(axes[SWEEP_PATH][i]), STOCK_PATH: float(axes[STOCK_PATH][j])}
        trees.append(coercion_game(case.with_values(values).scenario()))
        texts.append(write_efg(trees[-1]))
    export_rate = len(points) / (time.perf_counter() - t0)
    reduced = [t.to_normal_form() for t in trees]
    arrays = [g.payoff_matrices() for g in reduced]

    def lcp_point(text: str) -> tuple[Any, Any]:
        g = gbt.read_efg(io.StringIO(text))
        return g, gbt.nash.lcp_solve(g, rational=False).equilibria[0]

    def logit_point(text: str) -> tuple[Any, Any]:
        g = gbt.read_efg(io.StringIO(text))
        return g, gbt.nash.logit_solve(g).equilibria[0]

    def nashpy_point(A: np.ndarray, B: np.ndarray) -> list[Any]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its free-text degeneracy warnings
            return list(nashpy.Game(A, B).support_enumeration())

    peers: dict[str, Callable[[], Any]] = {
        "pygambit.lcp(float)": lambda: [lcp_point(t) for t in texts],
        "pygambit.logit": lambda: [logit_point(t) for t in texts],
        "nashpy.support_enumeration": lambda: [nashpy_point(A, B) for A, B in arrays],
    }
    for fn in peers.values():
        fn()  # warm-up
    peer_times = {k: median_time(fn, max(1, repeats // 2)) for k, fn in peers.items()}

    # agree: wherever our subgame-perfect equilibrium is unique and the peer's answer is
    # subgame perfect too, its path ends in our outcome.  (lcp_solve and nashpy return Nash
    # equilibria; where theirs is not subgame perfect it may rest on a non-credible threat.)
    names = result.outcome_names()
    unique = ~result.ties
    rows = []
    for peer, (t, spread, answers) in peer_times.items():
        rate = len(points) / t
        n_unique = n_compared = n_same = n_spe = n_nash = 0
        for (i, j), tree, norm, answer in zip(points, trees, reduced, answers, strict=True):
            if peer.startswith("nashpy"):
                # mixed equilibria of the reduced normal form say nothing about play off
                # their path, so subgame perfection cannot be read off them: compare
                # payoffs of the whole game with our (exhaustive) subgame-perfect ones
                A, B = norm.payoff_matrices()
                pays = [(float(x @ A @ y), float(x @ B @ y)) for x, y in answer]
                ours_spe = backward_induction(tree).payoffs
                hit = any(np.allclose(u, v, atol=TOL) for u in pays for v in ours_spe)
                n_spe += hit
                if unique[i, j]:
                    n_unique += 1
                    n_compared += 1
                    n_same += hit
                continue
            else:
                g, eq = answer
                profiles = [gambit_profile(tree, g, eq)]
            n_nash += all(is_nash(tree, p, tol=1e-6) for p in profiles)
            spe = [p for p in profiles if is_subgame_perfect(tree, p, tol=1e-6)]
            n_spe += bool(spe)
            if unique[i, j]:
                n_unique += 1
                if spe:
                    n_compared += 1
                    n_same += all(_outcome_of(tree, p) == names[i, j] for p in spe)
        if peer.startswith("nashpy"):
            agree = n_compared > 0 and n_same == n_compared
        else:  # a Nash equilibrium everywhere, and our outcome wherever it is subgame perfect
            agree = n_nash == len(points) and n_same == n_compared
        note = (
            f"{side}x{side} grid ({n_points:,} points) of {SWEEP_PATH} x {STOCK_PATH}; "
            f"ours serial {ours_rate:,.0f}/s (spread {ours_spread:.0%}), {os.cpu_count()} "
            f"threads {thr_rate:,.0f}/s (spread {thr_spread:.0%}, identical: {same_threads}); "
            f"peer timed on {len(points)} points (spread {spread:.0%}); "
            + (
                f"its equilibria include our subgame-perfect payoffs at {n_spe}/{len(points)} "
                f"points and at {n_same} of our {n_unique} unique-SPE sample points; "
                if peer.startswith("nashpy")
                else f"its answer is a Nash equilibrium (our certificate) at {n_nash}/"
                f"{len(points)} and subgame perfect at {n_spe}/{len(points)}; at the "
                f"{n_compared} of our {n_unique} unique-SPE sample points where it is, the "
                f"outcome equals ours at {n_same}; "
            )
            + f"export case->.efg (ours, untimed) {export_rate:,.0f} points/s"
        )
        rows.append(Row("coercion-sweep", ours_rate, peer, rate, agree, note))
        rows.append(
            Row("coercion-sweep-threads", thr_rate, peer, rate, agree and same_threads, note)
        )
    log(f"  coercion-sweep: {n_points:,} points x {repeats} repeats (ours)")
    return rows


def _outcome_of(tree: GameTree, profile: BehaviorProfile) -> str:
    """The outcome label at the end of *profile*'s most probable path from the episode root."""
    from coercion.games import Chance, Terminal
    from coercion.model.game import episode_root

    k = episode_root(tree)
    while not isinstance(node := tree.nodes[k], Terminal):
        if isinstance(node, Chance):
            probs = [float(np.asarray(p)) for p, _ in node.moves.values()]
        else:
            i = tree.players.index(node.player)
            h = tree.node_infoset[k]
            probs = [float(p) for p in profile[i][list(tree.player_infosets[i]).index(h)]]
        k = tree.children[k][int(np.argmax(probs))]
    return node.label


# ---------------------------------------------------------------------------- report


# ----------------------------------------------------------------------------- estimation
#: the authors' Ipopt run of the signalling CMLE: CPU seconds in function evaluations alone
#: (research notes, shared/research/estimation.md section C; not re-run here: no Ipopt/R)
PUBLISHED_IPOPT_SECONDS = 243.0


def bench_estimate(repeats: int) -> list[Row]:
    """Structural estimation: egame12 on war1800 and the signalling game's NPL and CMLE.

    egame12 is compared in the same run with what a user would otherwise write: scipy BFGS
    on the same log-likelihood with finite-difference gradients (no peer library estimates
    these games in Python).  The signalling CMLE runs from the paper's start (the PL
    estimates and first stage); its peer is the published Ipopt time, cited not measured.
    """
    from scipy.optimize import minimize

    from coercion.estimate import estimate
    from coercion.estimate import signaling as sg
    from coercion.estimate.build import compile_model
    from coercion.estimate.spec import load_spec

    rows: list[Row] = []
    for spec, published in (
        ("egame12-war1800", -286.123755),
        ("egame12-war1800-private", -286.118174),
        ("egame12-war1800-scale", -286.078591),
    ):
        model = compile_model(load_spec(spec), "war1800").likelihood
        assert model is not None

        def ours(spec: str = spec) -> float:
            return estimate(spec, "war1800").loglik

        def numeric(model: Any = model) -> float:
            res = minimize(lambda t: -model.loglik(t), np.zeros(model.n_params), method="BFGS",
                           options={"gtol": 1e-6})
            return -float(res.fun)

        t_ours, spread, ll = median_time(ours, repeats)
        t_num, _, ll_num = median_time(numeric, repeats)
        agree = abs(ll - published) < 1e-5 and abs(ll_num - published) < 1e-3
        rows.append(Row(
            f"estimate-{spec}", 1 / t_ours, "scipy BFGS, numeric gradient", 1 / t_num, agree,
            f"fits/s; loglik {ll:.6f} (published {published}), numeric {ll_num:.6f}; "
            f"spread {spread:.0%}",
        ))
    compiled = compile_model(load_spec("signaling-sanctions"), "sanctions-signaling")
    problem = compiled.signaling
    assert problem is not None
    first = load_spec("signaling-sanctions").first_stage
    assert first is not None
    from coercion import datasets

    fs = datasets.load(first)
    pr, pf = fs["p_resist"].to_numpy(), fs["p_firm"].to_numpy()
    pl = sg.fit_pl(problem, pr, pf)
    reps = max(1, repeats // 2)
    t_cmle, spread, fit = median_time(
        lambda: sg.fit_cmle(problem, start=pl.theta, p_start=pr), reps
    )
    rows.append(Row(
        "estimate-signaling-cmle", 1 / t_cmle, "published Ipopt (cited)",
        1 / PUBLISHED_IPOPT_SECONDS, abs(fit.loglik + 3927.909511) < 1e-5,
        f"fits/s from the paper's start; {t_cmle:.2f} s incl. counting equilibria; loglik "
        f"{fit.loglik:.6f}; peer = 243 s of function evaluations in the authors' run, "
        "not measured here",
    ))
    t_npl, spread, fit = median_time(lambda: sg.fit_npl(problem, pr, pf), reps)
    rows.append(Row(
        "estimate-signaling-npl", 1 / t_npl, "budget 30 s (issue)", 1 / 30.0,
        abs(fit.loglik + 3932.447378) < 1e-5,
        f"fits/s; {t_npl:.2f} s, {fit.iterations} NPL steps; loglik {fit.loglik:.6f}",
    ))
    return rows


def source_revision() -> str:
    """The git commit of the checkout, and whether ``coercion/`` has uncommitted edits."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(
            ["git", "-C", root, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", root, "status", "--porcelain", "--", "coercion"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "git ?"
    return f"git {head}{' + uncommitted edits in coercion/' if dirty else ''}"


def environment() -> str:
    import nashpy
    import pygambit

    return (
        f"{datetime.date.today().isoformat()}, {source_revision()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"coercion {getattr(coercion, '__version__', '?')}, nashpy {nashpy.__version__}, "
        f"pygambit {pygambit.__version__}, quantecon {_version('quantecon')}"
    )


def _version(module: str) -> str:
    try:
        return str(__import__(module).__version__)
    except ImportError:
        return "not installed"


def table(rows: list[Row]) -> str:
    head = ("benchmark", "ours/s", "peer", "peer/s", "ratio", "agree")
    cells = [
        (
            r.name,
            f"{r.ours_per_s:,.1f}",
            r.peer,
            f"{r.peer_per_s:,.1f}",
            f"{r.ratio:.3g}",
            "yes" if r.agree else "NO",
        )
        for r in rows
    ]
    widths = [max(len(c[k]) for c in [head, *cells]) for k in range(len(head))]
    right = {1, 3, 4}

    def fmt(c: Sequence[str]) -> str:
        return "  ".join(
            c[k].rjust(widths[k]) if k in right else c[k].ljust(widths[k]) for k in range(len(c))
        )

    lines = [fmt(head), "  ".join("-" * w for w in widths), *map(fmt, cells), ""]
    lines += [f"{r.name} vs {r.peer}: {r.note}" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (under a minute)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)

    if args.quick:
        sizes = {2: 300, 3: 150, 4: 50}
        repeats, sweep_side = 3, 300
        batched_games, batched_sample, memory_points = 100_000, 400, 10**6
    else:
        sizes = {2: 500, 3: 250, 4: 100, 6: 12}
        repeats, sweep_side = 5, 1000
        batched_games, batched_sample, memory_points = 1_000_000, 2_000, 10**8
    env = environment()
    log(f"# {env}")
    started = time.perf_counter()
    rows: list[Row] = []
    for n, count in sizes.items():
        rows += bench_bimatrix(n, count, repeats if n < 6 else 3)
    rows += bench_sweep(sweep_side, 50, repeats)
    for n in (2, 3):
        rows += bench_batched(n, batched_games, batched_sample, repeats)
    rows += bench_memory(memory_points)
    rows += bench_estimate(repeats)
    log(f"  total {time.perf_counter() - started:.1f} s")

    if args.json:
        for r in rows:
            print(json.dumps(r.as_json()))
    else:
        print(f"# {env}; mode {'quick' if args.quick else 'full'}")
        print("# ratio = ours/s / peer/s (above 1: coercion faster); medians over repeats")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
