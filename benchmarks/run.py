"""Run the benchmark suite: `python benchmarks/run.py [--quick] [--only generate read ...]`.

Prints every figure next to a baseline measured in the same run on the same files, as a ratio,
and writes the results to benchmarks/results/<timestamp>.json so runs can be compared.
`--quick` (small sizes, fewer repetitions) takes about two minutes on a 2-core machine; the full
run builds 1,000 returned workbooks and a store of 4.8 million progress rows on first use (cached
under benchmarks/.cache) and takes a good deal longer.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # measure this checkout, not an installed copy

from benchmarks.harness import HEADER, RESULTS, Report
from benchmarks.suites import CONFIGS, SUITES, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and fewer repetitions (~2 min)"
    )
    parser.add_argument(
        "--config", choices=sorted(CONFIGS), help="named configuration (overrides --quick)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=sorted(SUITES), help="run only these measurements"
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON results")
    args = parser.parse_args(argv)
    cfg = CONFIGS[args.config or ("quick" if args.quick else "full")]
    report = Report(config=cfg.name)
    started = time.perf_counter()
    print(
        f"matrix benchmarks ({cfg.name}); CPU time, median of {cfg.reps} reps unless noted\n"
        f"{HEADER}",
        flush=True,
    )
    run(cfg, report, args.only)
    print(f"\n{report.table()}")
    if args.markdown:
        print(f"\n{report.markdown()}")
    path = report.write_json(args.results)
    print(
        f"\n{len(report.rows)} figures in {time.perf_counter() - started:.0f} s; "
        f"results written to {path}"
    )
    misses = [r for r in report.rows if r.verdict.startswith("MISS")]
    if misses:
        print(
            f"{len(misses)} target(s) missed: " + ", ".join(f"{r.group}: {r.name}" for r in misses)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
