"""``python -m xiaoneng.targeting FILE.csv --period START:END``: the evaluation, as text."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from xiaoneng.targeting.chicago import read_inspections
from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.evaluate import GROUP_TOP, RANDOM_SHUFFLES, GroupRow, Report, evaluate
from xiaoneng.targeting.protocol import TOP_SHARES


def parse_period(text: str) -> tuple[np.datetime64, np.datetime64]:
    """'2013-09-01:2014-04-16' → the two days (inclusive)."""
    try:
        first, last = text.split(":")
        return np.datetime64(first, "D"), np.datetime64(last, "D")
    except ValueError:
        raise TargetingError(
            f"period must be START:END (YYYY-MM-DD:YYYY-MM-DD), got {text!r}"
        ) from None


def _groups(title: str, rows: list[GroupRow]) -> list[str]:
    lines = [
        "",
        f"By {title} (model order of the whole period):",
        f"  {'group':<10}{'insp.':>7}{'viol.':>7}{'AUC':>7}{'days sooner':>13}"
        f"{'of period':>11}{f'of top {GROUP_TOP:.0%}':>12}",
    ]
    for r in rows:
        auc = f"{r.auc:.3f}" if r.auc is not None else "—"
        days = f"{r.days_sooner:.2f}" if r.days_sooner is not None else "—"
        lines.append(
            f"  {r.group:<10}{r.inspections:>7}{r.violations:>7}{auc:>7}{days:>13}"
            f"{r.share_of_period:>11.1%}{r.share_of_top:>12.1%}"
        )
    return lines


def format_report(report: Report) -> str:
    m = report.model
    lines = [
        f"Period {report.start} … {report.end}: {report.inspections} inspections, "
        f"{report.violations} with a critical violation.",
        f"Training: {report.training} inspections before the period "
        f"({m.training_window[0]} … {m.training_window[1]}), "
        f"{report.training_violations} with a critical violation; "
        f"validation slice from {m.validation_from}.",
        "Validation AUC: "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(m.validation_auc.items()))
        + f"; kept {m.name} {m.params}, sigmoid-calibrated.",
        f"Features ({len(m.feature_names)}): " + ", ".join(m.feature_names),
        "",
        f"  {'order':<8}{'days sooner':>12}{'1st half':>10}{'AUC':>7}"
        + "".join(f"{f'top {s:.0%}':>9}" for s in TOP_SHARES),
    ]
    for name, o in report.orders.items():
        lines.append(
            f"  {name:<8}{o.days_sooner:>12.2f}{o.first_half_share:>10.1%}{o.auc:>7.3f}"
            + "".join(f"{o.top_shares[s]:>9.1%}" for s in TOP_SHARES)
        )
    days, half = report.within_inspector
    lines.append(
        f"  model, each inspector group ordering its own dates: {days:.2f} days sooner, "
        f"{half:.1%} in the first half"
    )
    actual = report.orders["actual"].first_half_share
    model = report.orders["model"].first_half_share
    lines.append(
        f"Violations found in the first half: {model:.1%} by the model's order vs "
        f"{actual:.1%} actually ({model / actual - 1:+.1%}). Random: mean of "
        f"{RANDOM_SHUFFLES} seeded shuffles; class: Risk 1 first, ties by actual date."
    )
    lines += _groups("inspector group", report.by_inspector)
    lines += _groups("area (Zip prefix)", report.by_area)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xiaoneng.targeting", description=__doc__)
    parser.add_argument("file", help="inspections CSV with the Chicago columns")
    parser.add_argument("--period", required=True, help="START:END, both days included")
    parser.add_argument(
        "--no-inspector", action="store_true", help="leave the inspector group out of the features"
    )
    args = parser.parse_args(argv)
    try:
        start, end = parse_period(args.period)
        report = evaluate(read_inspections(args.file), start, end, inspector=not args.no_inspector)
    except (TargetingError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 0
