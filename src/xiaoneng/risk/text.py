"""The stored evaluation (``Evaluation.report``) as plain text, for the command line."""

from __future__ import annotations

from typing import Any

ORDER_NAMES = {
    "model": "model",
    "actual": "actual",
    "random": "random (mean of 50 seeded shuffles)",
    "class": "class (Ⅰ first, ties by actual date)",
}


def _pct(value: float) -> str:
    return f"{value:.1%}"


def evaluation_text(start: str, end: str, report: dict[str, Any]) -> str:
    model, training, period = report["model"], report["training"], report["period"]
    lines = [
        f"Period {start} … {end}: {period['inspections']} inspections, "
        f"{period['violations']} with a serious (严重) problem.",
        f"Training: {training['inspections']} inspections before the period "
        f"({' … '.join(training.get('window', []))}), {training['violations']} with a serious "
        f"problem; validation slice from {model['validation_from']}.",
        "Validation AUC: "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(model["validation_auc"].items()))
        + f"; kept {model['algorithm']}, sigmoid-calibrated, {model['features']} features.",
        "",
        f"  {'order':<8}{'days sooner':>12}{'1st half':>10}{'AUC':>7}"
        f"{'top 10%':>9}{'top 20%':>9}{'top 50%':>9}",
    ]
    for name, m in report["orders"].items():
        top = m["top_shares"]
        lines.append(
            f"  {name:<8}{m['days_sooner']:>12.2f}{_pct(m['first_half_share']):>10}"
            f"{m['auc']:>7.3f}{_pct(top['0.10']):>9}{_pct(top['0.20']):>9}{_pct(top['0.50']):>9}"
        )
    if report.get("within_unit"):
        days, half = report["within_unit"]
        lines.append(
            f"  model, each unit ordering its own dates: {days:.2f} days sooner, "
            f"{_pct(half)} in the first half"
        )
    for name, rows in report["breakdowns"].items():
        lines += ["", f"By {name} (model order of the whole period):"]
        lines.append(
            f"  {'group':<24}{'insp.':>7}{'viol.':>7}{'AUC':>7}{'days sooner':>13}"
            f"{'of period':>11}{'of top 20%':>12}"
        )
        for r in rows:
            auc = f"{r['auc']:.3f}" if r["auc"] is not None else "—"
            days = f"{r['days_sooner']:.2f}" if r["days_sooner"] is not None else "—"
            lines.append(
                f"  {r['group'][:24]:<24}{r['inspections']:>7}{r['violations']:>7}{auc:>7}"
                f"{days:>13}{_pct(r['share_of_period']):>11}{_pct(r['share_of_top']):>12}"
            )
    return "\n".join(lines)
