"""xiaoneng trace check [--since YYYY-MM-DD] [--json]"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.inspections.trace.services import TraceSummary, check


class Command(BaseCommand):
    help = (
        "痕迹监控。Trace checks: `trace check` checks every signed inspection (or, with --since, "
        "those signed on or after that day, with the records around them) for the six doubts "
        "of settings.TRACE_CHECKS — check-in far from the entity, visit too short, too many "
        "visits in an officer's day, a photo shared with another inspection, signed long after "
        "the visit, a run of records marked all alike — and raises a flag for each new one. "
        "Running again adds only new flags; a cleared flag is never raised again. Prints the "
        "new flags per kind. A bad date exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="check")
        run = verbs.add_parser(
            "check",
            help="run the trace checks and raise new flags",
            description="Run the six trace checks over signed inspections and raise new flags.",
        )
        run.add_argument(
            "--since",
            help="only records signed on or after this day, YYYY-MM-DD (default: every record)",
        )
        run.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(
                    f"--since: 日期应为 YYYY-MM-DD：{options['since']}", returncode=2
                ) from None
        with acting_as(None):
            summary = check(since=since)
        if options["json"]:
            payload = {"checked": summary.checked, "raised": summary.raised}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text_report(summary))


def text_report(summary: TraceSummary) -> str:
    """The counts as lines for a terminal, Chinese first."""
    lines = [
        f"检查已签名记录 checked: {summary.checked:,}",
        f"新增痕迹疑点 new flags: {summary.total:,}",
    ]
    lines += [f"  {label} {kind}: {n:,}" for kind, label, n in summary.labelled()]
    return "\n".join(lines)
