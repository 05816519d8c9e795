"""Mutation fuzzing of the command line: every run ends in a result or one clean line.

Generates inputs from the bundled files and runs them through ``coercion.cli.main`` in this
process, recording for each run the exit status, whether anything but a one-line error reached
stderr (a traceback counts: it escapes ``main``), the wall time and the peak memory allocated
during the run (``tracemalloc``, which numpy reports to)::

    python benchmarks/fuzz.py --runs 5000 --seed 0      # about 10 minutes on 2 cores

Inputs (a third each): mutated Gambit ``.nfg``/``.efg`` files (bytes flipped, ranges deleted or
duplicated, huge or negative numbers and junk tokens inserted, truncation) through
``coercion solve``; mutated case files (numbers replaced by extreme values, lines deleted or
duplicated, truncation) through ``coercion analyze``; random ``--set`` values on bundled cases
through ``analyze`` and ``export``.  Randomness comes from ``--seed``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from coercion.cli import main

ROOT = Path(__file__).resolve().parent.parent / "coercion" / "data"
EXTREME = [
    "0", "-1", "1e308", "1e309", "-1e308", "nan", "inf", "1e-320", "99999999999999999999",
    "4" * 400, "1" * 4400, "0.5", "2", "-0", "3.0e1000", "[1, [2, [3]]]", '"x"', "true",
]


def mutate_bytes(text: str, rng: random.Random) -> str:
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        op = rng.randrange(6)
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 40))
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i:j]
        elif op == 2:
            data[i:i] = data[i:j]
        elif op == 3:
            data[i:i] = f" {rng.choice(EXTREME)} ".encode()
        elif op == 4:
            data = data[:i]
        else:
            data[i:i] = rng.choice([b" 1000000000 ", b' "a" ', b" { ", b" } ", b" -7 ", b"\x00"])
    return data.decode("utf-8", errors="replace")


def mutate_case(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        op = rng.randrange(4)
        k = rng.randrange(len(lines))
        if op == 0:
            numbers = list(re.finditer(r"(?<![\w.])-?\d+(\.\d+)?([eE][-+]?\d+)?", lines[k]))
            if numbers:
                m = rng.choice(numbers)
                lines[k] = lines[k][: m.start()] + rng.choice(EXTREME) + lines[k][m.end():]
        elif op == 1:
            del lines[k]
        elif op == 2:
            lines.insert(k, lines[k])
        else:
            lines = lines[: k + 1]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> tuple[int | str, bool, float, int]:
    out, err = io.StringIO(), io.StringIO()
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status: int | str = main(argv)
    except SystemExit as exc:  # argparse usage errors
        status = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # a traceback: what the fuzzer looks for
        status = f"{type(exc).__name__}: {str(exc)[:120]}"
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    lines = [ln for ln in err.getvalue().splitlines() if ln.strip()]
    clean = isinstance(status, int) and (
        (status == 0) or (status == 2 and len(lines) == 1 and "Traceback" not in lines[0])
    )
    return status, clean, seconds, peak


def main_fuzz(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    games = sorted((ROOT / "games").glob("*.[ne]fg"))
    cases = sorted((ROOT / "cases").glob("*.toml"))
    paths = [
        "instrument.dependency_share", "instrument.monthly_flow_usd_bn", "instrument.essentiality",
        "instrument.stockpile_months", "instrument.months_to_substitute", "stakes.issue",
        "stakes.coercer_audience", "target.gdp_usd_bn", "coercer.gdp_usd_bn",
        "instrument.tariff_rate", "instrument.replaceable_share",
    ]
    kinds: Counter[str] = Counter()
    bad: list[str] = []
    slowest = 0.0
    biggest = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            kind = ("game", "case", "option")[i % 3]
            kinds[kind] += 1
            if kind == "game":
                src = rng.choice(games)
                path = Path(tmp) / f"g{i}{src.suffix}"
                path.write_text(mutate_bytes(src.read_text(), rng), encoding="utf-8")
                argv = ["solve", str(path), "--json"]
            elif kind == "case":
                src = rng.choice(cases)
                path = Path(tmp) / f"c{i}.toml"
                path.write_text(mutate_case(src.read_text(), rng), encoding="utf-8")
                argv = ["analyze", str(path)]
            else:
                case = rng.choice(cases).stem
                sets = []
                for _ in range(rng.randint(1, 3)):
                    sets += ["--set", f"{rng.choice(paths)}={rng.choice(EXTREME)}"]
                argv = [rng.choice(["analyze", "export"]), case, *sets]
            status, clean, seconds, peak = run(argv)
            slowest = max(slowest, seconds)
            biggest = max(biggest, peak)
            if not clean or seconds > 30 or peak > 2**30:
                bad.append(f"{argv}: status {status}, {seconds:.1f} s, {peak / 2**20:.0f} MiB")
            if (i + 1) % 500 == 0:
                print(f"  {i + 1} runs, {len(bad)} problems", file=sys.stderr, flush=True)
    print(f"runs {args.runs} ({dict(kinds)}), seed {args.seed}")
    print(f"not clean, over 30 s or over 1 GiB: {len(bad)}")
    print(f"slowest run {slowest:.2f} s; largest peak allocation {biggest / 2**20:.1f} MiB")
    for line in bad[:50]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main_fuzz())
