"""`make fuzz`: every property test in tests/property with the "fuzz" profile.

Runs pytest once with PACKLINE_HYPOTHESIS_PROFILE=fuzz (PACKLINE_FUZZ_EXAMPLES examples per
test, 5,000 unless set), then prints, per test and in all, how many generated inputs were
tried and how many failed. Exits non-zero when any test failed or fewer inputs than
--at-least were tried.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Hypothesis' statistics: a test's name line, then per phase "N passing, M failing, and K
# invalid test cases".
TEST_LINE = re.compile(r"^(tests/property/\S+::\S+):\s*$")
COUNT_LINE = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid test cases")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at-least", type=int, default=100_000,
                        help="fewest generated inputs in all for a passing run")
    parser.add_argument("pytest_args", nargs="*", default=["tests/property"])
    args = parser.parse_args()
    env = dict(os.environ, PACKLINE_HYPOTHESIS_PROFILE="fuzz", QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics", *args.pytest_args],
        cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    per_test: dict[str, list[int]] = {}
    current = "?"
    for line in run.stdout.splitlines():
        if (named := TEST_LINE.match(line.strip())) is not None:
            current = named.group(1)
        elif (counted := COUNT_LINE.search(line)) is not None:
            totals = per_test.setdefault(current, [0, 0, 0])
            for i in range(3):
                totals[i] += int(counted.group(i + 1))
    for name, (passing, failing, invalid) in sorted(per_test.items()):
        print(f"{passing + failing:>9,} tried {failing:>3} failed {invalid:>7,} discarded  {name}")
    tried = sum(p + f for p, f, _ in per_test.values())
    failed = sum(f for _, f, _ in per_test.values())
    tail = run.stdout.strip().splitlines()[-1:] or [run.stderr.strip()]
    print(f"fuzz: {tried:,} generated inputs over {len(per_test)} property tests in "
          f"{elapsed:.0f} s; {failed} failed; pytest: {tail[0]}")
    if run.returncode != 0:
        print(run.stdout[-20000:], run.stderr[-5000:], sep="\n", file=sys.stderr)
        return run.returncode
    if tried < args.at_least:
        print(f"fuzz: fewer than {args.at_least:,} inputs were tried", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
