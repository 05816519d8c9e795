"""The ``coercion`` command line: thin wrappers over the library.

Every error caused by input (a missing or malformed file, a bad option value)
is printed as one line on stderr and exits with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from coercion import __version__
from coercion.errors import CoercionError, InvalidParameterError

__all__ = ["main"]

EXIT_INPUT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def _bundled_games() -> dict[str, Path]:
    from importlib.resources import files

    folder = files("coercion") / "data" / "games"
    out: dict[str, Path] = {}
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith((".nfg", ".efg")):
            out[name.rsplit(".", 1)[0]] = Path(str(entry))
    return dict(sorted(out.items()))


def _resolve_game_file(name: str) -> Path:
    path = Path(name)
    if path.exists() or path.suffix in (".nfg", ".efg") or "/" in name:
        return path
    bundled = _bundled_games()
    if name in bundled:
        return bundled[name]
    return path


def _format_number(x: float) -> str:
    return f"{x:.6g}"


def _print_result(result: Any) -> None:
    from coercion.games import GameTree

    game = result.game
    print(f"game:       {game.title or '(untitled)'}")
    print(f"method:     {result.method} ({result.kind} equilibria)")
    print(f"exhaustive: {'yes' if result.exhaustive else 'no'}   status: {result.status.value}")
    if result.degenerate is not None:
        print(f"degenerate: {'yes' if result.degenerate else 'no'}")
    print(f"            {result.message}")
    why = _why_not_exhaustive(result)
    if why is not None:
        print(f"note:       {why}")
    for n, (eq, payoffs) in enumerate(zip(result.equilibria, result.payoffs, strict=True), 1):
        print(
            f"\nequilibrium {n}: payoffs "
            + ", ".join(
                f"{p}={_format_number(u)}" for p, u in zip(game.players, payoffs, strict=True)
            )
        )
        for i, player in enumerate(game.players):
            if isinstance(game, GameTree):
                parts = []
                for h, dist in zip(game.player_infosets[i], eq[i], strict=True):
                    acts = game.infosets[h].actions
                    chosen = [
                        f"{a}" if p == 1 else f"{a}:{_format_number(float(p))}"
                        for a, p in zip(acts, dist, strict=True)
                        if p > 0
                    ]
                    key = game.infosets[h].key or f"node {game.infosets[h].members[0]}"
                    parts.append(f"[{key}] " + " ".join(chosen))
                print(f"  {player:>12}: " + "; ".join(parts))
            else:
                acts = game.actions[i]
                chosen = [
                    f"{a}" if p == 1 else f"{a}:{_format_number(float(p))}"
                    for a, p in zip(acts, eq[i], strict=True)
                    if p > 0
                ]
                print(f"  {player:>12}: " + " ".join(chosen))


#: default of ``coercion solve --timeout`` (the library's ``solvers.DEFAULT_TIMEOUT``)
_SOLVE_TIMEOUT = 30.0
#: default of ``coercion solve --max-size`` (the library's ``solvers.AUTO_MAX_VERTICES``)
_SOLVE_MAX_SIZE = 50_000


def _timeout_arg(text: str) -> float | None:
    """``--timeout``: seconds > 0, or ``none`` for no limit."""
    if text.strip().lower() in ("none", "inf"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be seconds > 0 or 'none'; got {text!r}") from None
    if not value > 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be seconds > 0 or 'none'; got {text!r}")
    return None if value == float("inf") else value


def _max_size_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {text!r}")
    return value


def _why_not_exhaustive(result: Any) -> str | None:
    """One line for the CLI on why a result is not exhaustive and how to ask for more."""
    if result.exhaustive:
        return None
    if result.status.value == "timeout":
        return (
            "stopped at the time budget (--timeout SECONDS raises it, --timeout none removes "
            "it); the equilibria below are certified but not all"
        )
    if "size rule" in result.message:
        return (
            "game above the size rule for exhaustive enumeration: a certified sample "
            "(--method enummixed for all extreme equilibria, may take long; or raise --max-size)"
        )
    return None


def _cmd_solve(args: argparse.Namespace) -> int:
    from coercion.io import read_game
    from coercion.solvers import solve

    game = read_game(_resolve_game_file(args.file))
    result = solve(game, method=args.method, timeout=args.timeout, max_size=args.max_size)
    if args.json:
        out = result.to_dict()
        out["timeout"] = args.timeout
        out["not_exhaustive_because"] = _why_not_exhaustive(result)
        print(json.dumps(out))
    else:
        _print_result(result)
    return 0


def _cmd_examples(args: argparse.Namespace) -> int:
    games = _bundled_games()
    if args.json:
        print(json.dumps([{"name": k, "path": str(v)} for k, v in games.items()]))
    else:
        for name, path in games.items():
            print(f"{name:<24} {path}")
    return 0


def _parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    from coercion.cases import parse_value
    from coercion.errors import InvalidParameterError

    out: dict[str, Any] = {}
    for item in items or ():
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise InvalidParameterError(f"--set: expected PATH=VALUE; got {item!r}")
        out[path.strip()] = parse_value(value)
    return out


def _cmd_cases(args: argparse.Namespace) -> int:
    from coercion.cases import index

    cases = index()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "title": c.title,
                        "year": c.year,
                        "observed": c.observed,
                        "path": str(c.path),
                    }
                    for c in cases
                ]
            )
        )
    else:
        for c in cases:
            print(f"{c.id:<28} {c.year}  {c.observed or '(open)':<24} {c.title}")
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from coercion.analysis import analyze
    from coercion.cases import load

    case = load(args.case)
    result = analyze(case, _parse_sets(args.set), symbolic=args.symbolic, model=args.model)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(result.report())
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from coercion._files import atomic_path, check_writable
    from coercion.cases import load
    from coercion.io import write_efg, write_nfg
    from coercion.model import coercion_game

    if args.out:
        check_writable(args.out, "--out")
    case = load(args.case).with_values(_parse_sets(args.set))
    tree = coercion_game(case.scenario())
    text = write_efg(tree) if args.format == "efg" else write_nfg(tree.to_normal_form())
    if args.out:
        with atomic_path(args.out) as tmp:
            tmp.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _validation_cases(args: argparse.Namespace) -> list[Any]:
    from coercion.cases.loader import index, load

    cases = [] if args.only else index()
    if args.cases is not None:
        folder = Path(args.cases)
        if not folder.is_dir():
            raise InvalidParameterError(f"--cases: not a directory: {args.cases}")
        files = sorted(folder.glob("*.toml"))
        if not files:
            raise InvalidParameterError(f"--cases: no .toml case files in {args.cases}")
        theirs = [load(f) for f in files]
        ids = {c.id for c in theirs}
        cases = [c for c in cases if c.id not in ids] + theirs
    elif args.only:
        raise InvalidParameterError("--only needs --cases DIR")
    return cases


def _cmd_validate(args: argparse.Namespace) -> int:
    cases = _validation_cases(args)
    if args.model == "complete":
        from coercion.analysis import validate

        result: Any = validate(cases)
    else:
        from coercion.analysis.scores import score_library

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty() or args.progress:
                print(f"\rleave-one-out refits: {done}/{total}", end="", file=sys.stderr,
                      flush=True)
                if done == total:
                    print(file=sys.stderr)

        result = score_library(cases, draws=args.draws, leave_one_out=not args.no_loo,
                               with_fragility=not args.no_fragility, progress=progress)
    print(json.dumps(result.to_dict(), allow_nan=True) if args.json else result.report())
    return 0


def _power_of_two(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a power of two; got {text!r}") from None
    if value < 1 or value & (value - 1) or value > 65536:
        raise argparse.ArgumentTypeError(f"must be a power of two in [1, 65536]; got {text!r}")
    return value


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_GRID_RE = rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*:\s*(\d+)\s*$"
_DIST_RE = rf"^\s*([a-z]+)\s*\(\s*({_NUMBER}(?:\s*,\s*{_NUMBER})*)\s*\)\s*$"
_DISTRIBUTIONS = {"uniform": 2, "normal": 2, "triangular": 3, "beta": 2}


def _split_spec(option: str, item: str, form: str) -> tuple[str, str]:
    from coercion.errors import InvalidParameterError

    path, sep, spec = item.partition("=")
    if not sep or not path.strip():
        raise InvalidParameterError(f"{option}: expected {form}; got {item!r}")
    return path.strip(), spec


def _parse_grid(item: str) -> tuple[str, float, float, int]:
    """``PATH=START:STOP:N`` -> (path, START, STOP, N), checked; nothing allocated yet."""
    import math
    import re

    from coercion.errors import InvalidParameterError

    path, spec = _split_spec("--grid", item, "PATH=START:STOP:N")
    m = re.match(_GRID_RE, spec) if len(spec) <= 10_000 else None
    shown = item if len(item) <= 80 else f"{item[:60]}... ({len(item):,} characters)"
    if m is None:
        raise InvalidParameterError(
            f"--grid: expected PATH=START:STOP:N (numbers, N a positive integer); got {shown!r}"
        )
    start, stop = float(m.group(1)), float(m.group(2))
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise InvalidParameterError(
            f"--grid: START and STOP must be finite (at most about 1.8e308 in size); got {shown!r}"
        )
    digits = m.group(3).lstrip("0") or "0"
    if len(digits) > 18:  # beyond any machine's memory; int() of 4,300+ digits fails
        raise InvalidParameterError(
            f"--grid: N has {len(digits):,} digits; a grid that large cannot be held in memory "
            "(see --max-memory)"
        )
    count = int(digits)
    if count < 1:
        raise InvalidParameterError(f"--grid: N must be at least 1; got {shown!r}")
    return path, start, stop, count


def _grid_axis(start: float, stop: float, count: int) -> Any:
    """*count* evenly spaced values from *start* to *stop* without overflowing on the way."""
    import math

    import numpy as np

    if math.isinf(stop - start):  # e.g. -1e308 to 1e308: halve, space, double (exact)
        return np.linspace(start / 2, stop / 2, count) * 2
    return np.linspace(start, stop, count)


def _parse_bytes(text: str) -> int:
    """``--max-memory``: bytes, or a number with K, M, G, T (powers of 1024; ``8G``, ``512M``)."""
    import re

    from coercion.errors import InvalidParameterError

    m = re.fullmatch(r"\s*(\d{1,15}(?:\.\d{1,6})?)\s*([kmgt]?)i?b?\s*", text, re.IGNORECASE)
    if m is None or float(m.group(1)) <= 0:
        raise InvalidParameterError(
            f"--max-memory: expected a positive size such as 8G, 512M or 1000000; got {text[:80]!r}"
        )
    scale = 1024 ** " kmgt".index(m.group(2).lower() or " ")
    return max(1, int(float(m.group(1)) * scale))


def _parse_vary(item: str) -> tuple[str, Any]:
    """``PATH=DIST(a,b[,c])`` -> (path, frozen scipy.stats distribution); never evaluated."""
    import math
    import re

    from scipy import stats

    from coercion.errors import InvalidParameterError

    form = "PATH=DIST(a,b) with DIST one of uniform(lo,hi), normal(mu,sigma), "
    form += "triangular(lo,mode,hi), beta(a,b)"
    path, spec = _split_spec("--vary", item, form)
    m = re.match(_DIST_RE, spec)
    if m is None or m.group(1) not in _DISTRIBUTIONS:
        raise InvalidParameterError(f"--vary: expected {form}; got {item!r}")
    name = m.group(1)
    args = [float(a) for a in m.group(2).split(",")]
    if len(args) != _DISTRIBUTIONS[name] or not all(math.isfinite(a) for a in args):
        raise InvalidParameterError(
            f"--vary: {name} takes {_DISTRIBUTIONS[name]} finite numbers; got {item!r}"
        )
    if name == "uniform" and args[0] < args[1]:
        return path, stats.uniform(loc=args[0], scale=args[1] - args[0])
    if name == "normal" and args[1] > 0:
        return path, stats.norm(loc=args[0], scale=args[1])
    if name == "triangular" and args[0] <= args[1] <= args[2] and args[0] < args[2]:
        lo, mode, hi = args
        return path, stats.triang((mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    if name == "beta" and args[0] > 0 and args[1] > 0:
        return path, stats.beta(args[0], args[1])
    need = {
        "uniform": "lo < hi",
        "normal": "sigma > 0",
        "triangular": "lo <= mode <= hi, lo < hi",
        "beta": "a > 0, b > 0",
    }[name]
    raise InvalidParameterError(f"--vary: {name} needs {need}; got {item!r}")


def _cmd_sweep(args: argparse.Namespace) -> int:
    from coercion.analysis import monte_carlo, sweep
    from coercion.analysis.sweep import parquet_missing
    from coercion.cases import load
    from coercion.errors import InvalidParameterError, MissingDependencyError

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix not in (".csv", ".npz", ".parquet"):
        raise InvalidParameterError(
            f"--out: the file must end in .csv, .npz or .parquet; got {args.out!r}"
        )
    missing = parquet_missing() if out is not None and out.suffix == ".parquet" else None
    if missing:
        raise MissingDependencyError(
            f"--out {out}: writing Parquet needs pandas and pyarrow; {missing} not installed "
            "(pip install pandas pyarrow)"
        )
    from coercion._files import check_writable
    from coercion.analysis.sweep import check_monte_carlo_size, check_sweep_size

    max_bytes = _parse_bytes(args.max_memory) if args.max_memory is not None else None
    specs = [_parse_grid(g) for g in args.grid or ()]
    axes = {path: (start, stop, count) for path, start, stop, count in specs}
    if axes:  # before any axis is allocated
        check_sweep_size(tuple(c for _, _, c in axes.values()), max_bytes)
    grid = {path: _grid_axis(*spec) for path, spec in axes.items()}
    vary = dict(_parse_vary(v) for v in args.vary or ())
    if grid and (vary or args.samples is not None):
        raise InvalidParameterError(
            "give either --grid (a grid sweep) or --samples with --vary (Monte Carlo), not both"
        )
    if not grid and not vary:
        raise InvalidParameterError("give at least one --grid, or --samples N with --vary")
    if vary and args.samples is None:
        raise InvalidParameterError("--vary needs --samples N")
    if args.samples is not None and args.samples < 1:
        raise InvalidParameterError(f"--samples must be a positive integer; got {args.samples}")
    if args.samples is not None and not vary:
        raise InvalidParameterError("--samples needs at least one --vary PATH=DIST(...)")
    if args.samples is not None:
        check_monte_carlo_size(args.samples, len(vary), max_bytes)
    if args.seed is not None:
        _rng(args.seed)  # a negative seed is refused before the work starts
    plot = Path(args.plot) if args.plot else None
    if plot is not None and len(grid) != 2:
        raise InvalidParameterError(
            f"--plot: a phase diagram needs exactly two --grid axes; got {len(grid)}"
        )
    if plot is not None and plot.suffix.lower() != ".png":
        raise InvalidParameterError(f"--plot: the file must end in .png; got {args.plot!r}")
    if out is not None:
        check_writable(out, "--out")
    if plot is not None:
        check_writable(plot, "--plot")
    case = load(args.case)
    result: Any
    if grid:
        result = sweep(
            case, grid, chunk=args.chunk, workers=args.workers, max_bytes=max_bytes
        )
        dims = " x ".join(f"{p} ({len(a)})" for p, a in result.axes.items())
        print(f"case:    {case.id}")
        print(f"grid:    {dims} = {result.size:,} points")
        total = result.size
        for label, count in result.counts().items():
            print(f"  {label:<24} {count:>12,}  {100 * count / total:6.2f}%")
    else:
        result = monte_carlo(
            case,
            vary,
            args.samples,
            rng=args.seed,
            chunk=args.chunk,
            workers=args.workers,
            max_bytes=max_bytes,
        )
        print(f"case:    {case.id}")
        print(
            f"draws:   {result.n:,} ({result.n_valid:,} valid, "
            f"{result.n - result.n_valid:,} rejected outside the parameters' ranges)"
        )
        for label, p in result.probabilities.items():
            lo, hi = result.ci[label]
            print(f"  {label:<24} {p:8.4f}  [95% CI {lo:.4f}, {hi:.4f}]")
    if out is not None:
        if out.suffix == ".csv":
            result.to_csv(out)
        elif out.suffix == ".parquet":
            result.to_parquet(out)
        else:
            result.to_npz(out)
        print(f"written: {out}")
    if plot is not None:
        from coercion.analysis.plot import plot_phase

        x, y = list(grid)
        from coercion._files import atomic_path

        figure = plot_phase(result, x, y).figure
        with atomic_path(plot) as tmp:
            figure.savefig(tmp, dpi=150, format="png")
        print(f"plotted: {plot}")
    return 0


def _cmd_policy(args: argparse.Namespace) -> int:
    from coercion.analysis.policy import PolicyError, autonomy, indispensability, small_yard

    result: Any
    if args.question != "coalition" and args.member:
        raise PolicyError("--member applies to policy coalition only")
    if args.question == "coalition":
        from coercion.analysis.coalition import coalition, parse_member
        from coercion.cases import load

        if args.case is None or not args.member:
            raise PolicyError("policy coalition: give a CASE and at least one --member")
        avoid = ("concession", "partial_concession") if args.avoid_partial else ("concession",)
        members = [parse_member(m) for m in args.member]
        result = coalition(load(args.case), members, avoid=avoid)
    elif args.question == "small-yard":
        if args.case is not None:
            raise PolicyError("policy small-yard takes no CASE; use --portfolio FILE")
        result = small_yard(args.portfolio, args.budget)
    else:
        if args.case is None:
            raise PolicyError(f"policy {args.question}: give a CASE (a bundled id or a file)")
        if args.portfolio is not None or args.budget is not None:
            raise PolicyError("--portfolio and --budget apply to policy small-yard only")
        from coercion.cases import load

        if args.max_probability is not None:
            if args.question != "autonomy":
                raise PolicyError("--max-probability applies to policy autonomy only")
            from coercion.analysis.policy import risk_autonomy

            result = risk_autonomy(load(args.case), args.max_probability)
        else:
            fn = autonomy if args.question == "autonomy" else indispensability
            avoid = ("concession", "partial_concession") if args.avoid_partial else ("concession",)
            result = fn(load(args.case), avoid=avoid)
    print(json.dumps(result.to_dict()) if args.json else result.report())
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from coercion.analysis.claims import (
        Claim,
        ClaimSyntaxError,
        InRegion,
        Monotone,
        check,
        parse_claim,
        parse_region_item,
    )

    claims: list[Claim] = []
    for item in args.monotone or ():
        parts = item.split(":")
        if len(parts) != 3:
            raise ClaimSyntaxError(
                f"--monotone: expected PATH:OUTCOME:increasing|decreasing; got {item!r}"
            )
        claims.append(Monotone(parts[0], parts[1], parts[2]))
    for item in args.region or ():
        outcome, sep, rest = item.partition(":")
        if not sep or not rest:
            raise ClaimSyntaxError(f"--region: expected OUTCOME:PATH=LO:HI[,...]; got {item!r}")
        claims.append(InRegion(outcome, dict(parse_region_item(r) for r in rest.split(","))))
    claims.extend(parse_claim(text) for text in args.claim or ())
    if len(claims) != 1:
        raise ClaimSyntaxError(
            f"check: give exactly one of --monotone, --region, --claim; got {len(claims)}"
        )
    rng = None if args.seed is None else _rng(args.seed)
    result = check(claims[0], args.case, method=args.method, rng=rng)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        verdict = "proved" if result.proved else ("holds" if result.holds else "REFUTED")
        print(f"{verdict}: {claims[0].describe()}")
        if result.counterexample is not None:
            sets = [
                " ".join(f"--set {k}={v!r}" for k, v in p.items()) for p in result.counterexample
            ]
            print("counterexample: " + " | ".join(sets))
        print(result.evidence)
    return 0


def _cmd_estimate(args: argparse.Namespace) -> int:
    from coercion.estimate import estimate

    result = estimate(
        args.spec,
        args.data,
        method=args.method,
        link=args.link,
        errors=args.errors,
        missing="drop" if args.drop_missing else None,
        first_stage=args.first_stage,
        se=args.se,
        bootstrap=args.bootstrap,
        rng=None if args.seed is None else _rng(args.seed),
        npl_variance=args.npl_variance,
    )
    print(json.dumps(result.to_dict()) if args.json else result.summary())
    return 0


def _rng(seed: int) -> Any:
    import numpy as np

    from coercion.errors import InvalidParameterError

    if seed < 0:
        raise InvalidParameterError(f"--seed must be >= 0; got {seed}")
    return np.random.default_rng(seed)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        if len(message) > 300:
            message = message[:300] + "..."
        self.exit(
            EXIT_INPUT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n"
        )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coercion",
        description="Economic coercion between states as games: solve, analyse, check.",
    )
    parser.add_argument("--version", action="version", version=f"coercion {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_solve = sub.add_parser("solve", help="equilibria of a Gambit .nfg/.efg game file")
    p_solve.add_argument("file", help="a .nfg/.efg file, or the name of a bundled example game")
    p_solve.add_argument(
        "--method",
        default="auto",
        help="auto (default), pure, enummixed, support_enumeration, vertex_enumeration, "
        "lemke_howson, backward_induction, sequence_form_lcp, sequence_form_lp",
    )
    p_solve.add_argument(
        "--timeout",
        type=_timeout_arg,
        default=_SOLVE_TIMEOUT,
        metavar="SECONDS",
        help=f"time budget of the methods that can take exponential time (default "
        f"{_SOLVE_TIMEOUT:g}; 'none' for no limit); when it runs out the certified equilibria "
        "found so far are printed, marked not exhaustive",
    )
    p_solve.add_argument(
        "--max-size",
        type=_max_size_arg,
        default=_SOLVE_MAX_SIZE,
        metavar="N",
        help=f"size rule of --method auto (default {_SOLVE_MAX_SIZE:,}): two-player games whose "
        "best-response polytopes may have more vertices get Lemke-Howson from every label "
        "instead of exhaustive enumeration",
    )
    p_solve.add_argument("--json", action="store_true", help="print one JSON object")
    p_solve.set_defaults(run=_cmd_solve)

    p_cases = sub.add_parser("cases", help="list the bundled coercion cases")
    p_cases.add_argument("--json", action="store_true")
    p_cases.set_defaults(run=_cmd_cases)

    set_help = "override a case parameter (dotted path; VALUE is a TOML value); repeatable"
    p_an = sub.add_parser("analyze", help="solve a case's coercion game and explain it")
    p_an.add_argument("case", help="a bundled case id or a case-file path")
    p_an.add_argument("--set", action="append", metavar="PATH=VALUE", help=set_help)
    p_an.add_argument("--json", action="store_true", help="print one JSON object")
    p_an.add_argument(
        "--symbolic", action="store_true", help="also solve each threshold exactly with sympy"
    )
    p_an.add_argument(
        "--model",
        choices=("complete", "bayesian"),
        default="complete",
        help="complete information (default) or the Bayesian game (outcome probabilities)",
    )
    p_an.set_defaults(run=_cmd_analyze)

    p_exp = sub.add_parser("export", help="write a case's game as a Gambit file")
    p_exp.add_argument("case")
    p_exp.add_argument("--set", action="append", metavar="PATH=VALUE", help=set_help)
    p_exp.add_argument("--format", choices=("efg", "nfg"), default="efg")
    p_exp.add_argument("--out", help="file to write (default: standard output)")
    p_exp.set_defaults(run=_cmd_export)

    p_est = sub.add_parser(
        "estimate", help="estimate a game model from event data (structural estimation)"
    )
    p_est.add_argument(
        "spec",
        help="a bundled spec id (egame12-war1800, signaling-sanctions, ...) or a TOML spec file",
    )
    p_est.add_argument("data", help="a bundled data set id (war1800, ...) or a CSV file")
    p_est.add_argument(
        "--method", choices=("auto", "mle", "pl", "npl", "cmle"), default="auto",
        help="auto (default): mle for trees, cmle for the signalling game",
    )
    p_est.add_argument("--link", choices=("probit", "logit"), help="override the spec's link")
    p_est.add_argument(
        "--errors", choices=("agent", "private"), help="override the spec's error structure"
    )
    p_est.add_argument(
        "--first-stage", metavar="FILE.csv",
        help="first-stage probabilities (p_resist, p_firm) for pl/npl/cmle",
    )
    p_est.add_argument(
        "--drop-missing", action="store_true", help="drop rows with missing covariates"
    )
    p_est.add_argument(
        "--se", choices=("observed", "sandwich", "bootstrap"), default="observed",
        help="standard errors: observed information (default), sandwich (trees), bootstrap "
        "over units (with --seed)",
    )
    p_est.add_argument("--bootstrap", type=int, default=200, help="bootstrap resamples")
    p_est.add_argument(
        "--npl-variance", choices=("sigint", "linearized"), default="sigint",
        help="NPL sandwich: R sigInt's formula (default) or an alternative linearisation",
    )
    p_est.add_argument("--seed", type=int, help="seed of the bootstrap's random numbers")
    p_est.add_argument("--json", action="store_true", help="print one JSON object")
    p_est.set_defaults(run=_cmd_estimate)

    p_val = sub.add_parser(
        "validate",
        help="score the model's outcome probabilities against the observed outcomes",
        description="Fit the case model's calibration by maximum likelihood, then report log "
        "and Brier scores, exact and coarse accuracy against two base rates, in sample and "
        "leave-one-out, and each case's fragility.  About 10 s per case on 2 cores.",
    )
    p_val.add_argument("--model", choices=("probabilistic", "complete"),
                       default="probabilistic",
                       help="probabilistic (default) or the complete-information answer")
    p_val.add_argument("--draws", type=_power_of_two, default=256,
                       help="judgement draws per case (a power of two, at most 65536)")
    p_val.add_argument("--no-loo", action="store_true", help="skip the leave-one-out refits")
    p_val.add_argument("--no-fragility", action="store_true", help="skip fragility")
    p_val.add_argument("--cases", metavar="DIR", help="add the case files in DIR")
    p_val.add_argument("--only", action="store_true", help="with --cases: only those cases")
    p_val.add_argument("--progress", action="store_true",
                       help="show refit progress on stderr even when it is not a terminal")
    p_val.add_argument("--json", action="store_true")
    p_val.set_defaults(run=_cmd_validate)

    p_sw = sub.add_parser(
        "sweep",
        help="outcomes over a parameter grid, or outcome probabilities under random draws",
        description="Solve a case's game over a grid (--grid, cartesian product of the axes) "
        "or at random parameter draws (--samples with --vary: Monte Carlo; draws outside a "
        "parameter's range are rejected).  Prints outcome counts or probabilities; "
        "--plot draws a phase diagram of a 2-D grid.",
    )
    p_sw.add_argument("case", help="a bundled case id or a case-file path")
    p_sw.add_argument(
        "--grid",
        action="append",
        metavar="PATH=START:STOP:N",
        help="an axis of N evenly spaced values from START to STOP; repeatable",
    )
    p_sw.add_argument("--samples", type=int, metavar="N", help="number of Monte Carlo draws")
    p_sw.add_argument(
        "--vary",
        action="append",
        metavar="PATH=DIST(...)",
        help="draw PATH from uniform(lo,hi), normal(mu,sigma), triangular(lo,mode,hi) "
        "or beta(a,b); repeatable",
    )
    p_sw.add_argument("--seed", type=int, help="random seed for --samples")
    p_sw.add_argument(
        "--out", metavar="FILE", help="write every point to FILE.csv, FILE.npz or FILE.parquet"
    )
    p_sw.add_argument(
        "--plot", metavar="FILE.png", help="write a phase diagram (exactly two --grid axes)"
    )
    p_sw.add_argument(
        "--chunk", type=int, default=131_072, help="points per vectorised batch (memory bound)"
    )
    p_sw.add_argument(
        "--max-memory",
        metavar="SIZE",
        help="refuse runs whose result needs more than SIZE (bytes, or 512M, 8G; default 4G)",
    )
    p_sw.add_argument(
        "--workers",
        type=int,
        default=1,
        help="threads solving batches at once (-1: one per core; default 1)",
    )
    p_sw.set_defaults(run=_cmd_sweep)

    p_ex = sub.add_parser("examples", help="list the bundled example game files")
    p_ex.add_argument("--json", action="store_true")
    p_ex.set_defaults(run=_cmd_examples)

    p_chk = sub.add_parser("check", help="check a claim about a case: holds, proved or refuted")
    p_chk.add_argument("case", help="a bundled case id or a case-file path")
    p_chk.add_argument(
        "--monotone",
        action="append",
        metavar="PATH:OUTCOME:DIRECTION",
        help="the outcome indicator is increasing|decreasing in PATH",
    )
    p_chk.add_argument(
        "--region",
        action="append",
        metavar="OUTCOME:PATH=LO:HI[,PATH=LO:HI]",
        help="OUTCOME holds everywhere in the box",
    )
    p_chk.add_argument("--claim", action="append", metavar="TEXT", help="a claim (docs/claims.md)")
    p_chk.add_argument(
        "--method", choices=("auto", "grid", "hypothesis", "symbolic"), default="auto"
    )
    p_chk.add_argument("--seed", type=int, default=None, help="seed for --method hypothesis")
    p_chk.add_argument("--json", action="store_true", help="print one JSON object")
    p_chk.set_defaults(run=_cmd_check)

    p_pol = sub.add_parser(
        "policy", help="policy design: autonomy, indispensability, small yard (docs/policy.md)"
    )
    p_pol.add_argument(
        "question", choices=("autonomy", "indispensability", "small-yard", "coalition")
    )
    p_pol.add_argument("case", nargs="?", help="a bundled case id or a case-file path")
    p_pol.add_argument("--portfolio", metavar="FILE", help="small-yard: portfolio TOML file")
    p_pol.add_argument("--budget", type=float, metavar="B", help="small-yard: budget, US$ bn")
    p_pol.add_argument(
        "--member",
        action="append",
        metavar="NAME:spare=S,aid=A,counter=C",
        help="coalition: a partner's pledge (spare capacity share, aid in US$ bn, share of the "
        "coercer's counter-dependency it controls); repeatable",
    )
    p_pol.add_argument(
        "--avoid-partial", action="store_true", help="also move away from partial concession"
    )
    p_pol.add_argument(
        "--max-probability",
        type=float,
        metavar="P",
        help="autonomy under uncertainty: bring the Bayesian model's Pr(concession) to P or less",
    )
    p_pol.add_argument("--json", action="store_true", help="print one JSON object")
    p_pol.set_defaults(run=_cmd_policy)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Input errors: one line on stderr, status 2.  Ctrl-C: ``coercion: interrupted``,
    status 130 (files being written are left as they were).  A closed standard output
    (``coercion cases | head -1``): the rest of the output is dropped quietly, status 0.
    """
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        try:
            status: int = args.run(args)
        except CoercionError as exc:
            _error(exc)
            return EXIT_INPUT_ERROR
        except BrokenPipeError:
            raise
        except OSError as exc:
            _error(exc)
            return EXIT_INPUT_ERROR
        except MemoryError:
            _error(
                "out of memory; use a smaller run (fewer grid points or --samples, a smaller "
                "--chunk) or see docs/limits.md"
            )
            return EXIT_INPUT_ERROR
        except RecursionError:
            _error("the input is nested too deeply to process")
            return EXIT_INPUT_ERROR
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
    except KeyboardInterrupt:
        print("coercion: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _drop_stdout()
        return 0
    return status


def _error(exc: BaseException | str) -> None:
    text = " ".join(str(exc).split()) if isinstance(exc, BaseException) else exc
    print(f"coercion: error: {text}", file=sys.stderr)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail again.

    As Python's documentation recommends for SIGPIPE (``signal`` module, "Note on SIGPIPE").
    """
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced (e.g. captured in tests)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
