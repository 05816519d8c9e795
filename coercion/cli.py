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
from typing import Any

from coercion import __version__
from coercion.errors import CoercionError

__all__ = ["main"]

EXIT_INPUT_ERROR = 2


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


def _cmd_solve(args: argparse.Namespace) -> int:
    from coercion.io import read_game
    from coercion.solvers import solve

    game = read_game(_resolve_game_file(args.file))
    result = solve(game, method=args.method)
    if args.json:
        out = result.to_dict()
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
    result = analyze(case, _parse_sets(args.set), symbolic=args.symbolic)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(result.report())
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from coercion.cases import load
    from coercion.io import write_efg, write_nfg
    from coercion.model import coercion_game

    case = load(args.case).with_values(_parse_sets(args.set))
    tree = coercion_game(case.scenario())
    text = write_efg(tree) if args.format == "efg" else write_nfg(tree.to_normal_form())
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from coercion.analysis import validate

    result = validate()
    print(json.dumps(result.to_dict()) if args.json else result.report())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        "lemke_howson, backward_induction",
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
    p_an.set_defaults(run=_cmd_analyze)

    p_exp = sub.add_parser("export", help="write a case's game as a Gambit file")
    p_exp.add_argument("case")
    p_exp.add_argument("--set", action="append", metavar="PATH=VALUE", help=set_help)
    p_exp.add_argument("--format", choices=("efg", "nfg"), default="efg")
    p_exp.add_argument("--out", help="file to write (default: standard output)")
    p_exp.set_defaults(run=_cmd_export)

    p_val = sub.add_parser("validate", help="predicted vs observed outcomes of every case")
    p_val.add_argument("--json", action="store_true")
    p_val.set_defaults(run=_cmd_validate)

    p_ex = sub.add_parser("examples", help="list the bundled example game files")
    p_ex.add_argument("--json", action="store_true")
    p_ex.set_defaults(run=_cmd_examples)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except CoercionError as exc:
        print(f"coercion: error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as exc:
        print(f"coercion: error: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
