"""Compare two benchmark runs: `python benchmarks/compare.py OLD.json NEW.json`.

Prints each figure of the new run next to the same figure of the old one. Ratios to the
in-run baseline are compared as well as raw values, because raw values move with the machine
and ratios should not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def compare(old: dict, new: dict) -> list[str]:
    before = {(r["group"], r["name"]): r for r in old["rows"]}
    lines = [
        (
            f"  {'measurement':<70} {'old':>10} {'new':>10} {'change':>8}   "
            f"{'old ratio':>9} {'new ratio':>9}"
        )
    ]
    for row in new["rows"]:
        was = before.get((row["group"], row["name"]))
        if was is None or row["value"] is None or not was["value"]:
            continue
        change = row["value"] / was["value"]
        ratios = [f"{r['ratio']:.2f}x" if r["ratio"] is not None else "" for r in (was, row)]
        lines.append(
            f"  {row['group'][:30] + ': ' + row['name']:<70.70} "
            f"{was['value']:>10.4g} {row['value']:>10.4g} "
            f"{change:>7.2f}x   {ratios[0]:>9} {ratios[1]:>9}"
        )
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    old, new = (json.loads(Path(a).read_text(encoding="utf-8")) for a in argv)
    print("\n".join(compare(old, new)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
