"""Run the benchmarks (``make bench``), each in its own process with its own database, and
print one summary table of figures, targets and ratios against their baselines.

    python benchmarks/run.py [--quick] [--only NAME[,NAME]] [--postgres] [--strict]

``--postgres`` runs the database benchmarks on PostgreSQL as well (a database named
``xiaoneng_bench_<name>`` on the server of ``XIAONENG_BENCH_POSTGRES``, default
postgres://postgres@127.0.0.1:5432, dropped afterwards). ``--strict`` exits 1 when a target is
missed; a benchmark that fails always does.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import common

HERE = Path(__file__).resolve().parent
# name → (script, whether it uses a database)
BENCHMARKS = {
    "import": ("bench_import.py", True),
    "grid_assignment": ("bench_grid_assignment.py", False),
    "entity_list": ("bench_entity_list.py", True),
    "coverage": ("bench_coverage.py", True),
    "plan": ("bench_plan.py", True),
    "draw": ("bench_draw.py", True),
    "trace": ("bench_trace.py", True),
    "report": ("bench_report.py", True),
    "calendar": ("bench_calendar.py", False),
    "warnings": ("bench_warnings.py", True),
    "textscan": ("bench_textscan.py", False),
    "targeting": ("bench_targeting.py", False),
    "risk": ("bench_risk.py", True),
    "ledger": ("bench_ledger.py", True),
    "assessment": ("bench_assessment.py", True),
    "documents": ("bench_documents.py", True),
    "sync": ("bench_sync.py", True),
    # Always on PostgreSQL (its servers share one database), so run once, not per variant.
    "load": ("bench_load.py", False),
    # Always on PostgreSQL too, and its fill of 10,000,000 entities takes about 45 minutes:
    # run only when named (--only province), never in the default set.
    "province": ("bench_province.py", False),
}
ON_REQUEST = {"province"}


def run_one(name: str, script: str, flags: list[str]) -> tuple[list[common.Figure], float, bool]:
    """Run one script, echoing its output; return its figures, its time and whether it passed."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, str(HERE / script), *flags]
    common.say(f"\n=== {name} {' '.join(flags)}".rstrip())
    started = time.perf_counter()
    figures: list[common.Figure] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(common.RESULT_PREFIX):
                figures = common.figures_from(line)
            else:
                print(line, end="", flush=True)
    seconds = time.perf_counter() - started
    passed = process.returncode == 0 and bool(figures)
    if not passed:
        common.say(f"!!! {name} failed (exit status {process.returncode})")
    return figures, seconds, passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(BENCHMARKS))
    parser.add_argument(
        "--postgres", action="store_true", help="also run the database benchmarks on PostgreSQL"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    chosen = (
        options.only.split(",") if options.only else [n for n in BENCHMARKS if n not in ON_REQUEST]
    )
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")

    common.say(
        f"xiaoneng benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}{' (quick)' if options.quick else ''}"
    )
    figures: list[common.Figure] = []
    durations: list[tuple[str, float]] = []
    failed = []
    for name in chosen:
        script, uses_database = BENCHMARKS[name]
        variants = [[]] + ([["--postgres"]] if options.postgres and uses_database else [])
        for extra in variants:
            flags = (["--quick"] if options.quick else []) + extra
            found, seconds, passed = run_one(name, script, flags)
            figures += found
            durations.append((" ".join([name, *extra]), seconds))
            if not passed:
                failed.append(name)

    common.say("\n=== summary")
    common.say(common.table(figures))
    common.say("time taken: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations))
    missed = [f for f in figures if f.verdict.startswith("MISSED")]
    common.say(
        f"{len(figures) - len(missed)} of {len(figures)} figures meet their targets"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    if failed or (options.strict and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
