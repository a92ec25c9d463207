"""xiaoneng plan patrol --period YYYY-MM [--unit CODE] [--capacity N] [--dry-run] [--json]"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.assign import default_capacity
from xiaoneng.planning.patrol.services import PlanReport, generate_patrol_plan


class Command(BaseCommand):
    help = (
        "巡查计划。Patrol plans: `plan patrol --period 2026-12` gives every active entity due by "
        "the end of the period a task for its grid's officer on a working day (Chinese holiday "
        "calendar), most overdue first, within each officer's daily capacity; what does not fit "
        "is reported as overflow with its reason. Re-running a period changes nothing already "
        "planned or done. Bad input (period not YYYY-MM, a year the calendar does not know, an "
        "unknown unit, capacity below 1) writes nothing and exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="patrol")
        patrol = verbs.add_parser(
            "patrol",
            help="create or complete the patrol plan of a period",
            description="Create or complete the patrol plan of a period (六定: area, post, "
            "person, task, standard, responsibility).",
        )
        patrol.add_argument("--period", required=True, help="the month, YYYY-MM (e.g. 2026-12)")
        patrol.add_argument(
            "--unit",
            help="unit code: plan the unit's subtree (default: the whole organisation)",
        )
        patrol.add_argument(
            "--capacity",
            help=f"visits per officer per working day (default {default_capacity()}, "
            "setting PATROL_DAILY_CAPACITY)",
        )
        patrol.add_argument(
            "--dry-run", action="store_true", help="report what would be planned; write nothing"
        )
        patrol.add_argument(
            "--user",
            help="act as this user: the trace names them, and their role and unit limit what "
            "they may plan (default: the operator, without limits)",
        )
        patrol.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = Officer.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user: {options['user']}", returncode=2)
        try:
            with acting_as(actor):
                report = generate_patrol_plan(
                    period=options["period"],
                    unit_code=options["unit"],
                    capacity=options["capacity"],
                    actor=actor,
                    dry_run=options["dry_run"],
                )
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        if options["json"]:
            payload = dataclasses.asdict(report) | {"overflow_total": report.overflow_total}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text_report(report))


def text_report(report: PlanReport) -> str:
    """The report as lines for a terminal, Chinese first."""
    head = (
        "试算（未写入）dry run, nothing written"
        if report.dry_run
        else f"计划 plan #{report.plan_id}"
    )
    lines = [
        f"{head}: {report.unit_name} ({report.unit_code}) {report.period}, "
        f"policy v{report.policy_version}, capacity {report.capacity}/day, "
        f"{report.working_days} working days left",
        f"  到期主体 due: {report.due}",
        f"  新排任务 new tasks: {report.created}",
        f"  重新排入 placed from earlier overflow: {report.placed_again}",
        f"  原有任务 already in this plan: {report.kept}",
        f"  已在其他计划 planned elsewhere: {report.elsewhere}",
        f"  未排入 overflow: {report.overflow_total}",
    ]
    lines += [f"    {label} {code}: {n}" for code, label, n in report.overflow_labelled()]
    lines.append(f"  联合检查节省 visits saved: {report.visits_saved}")
    for load in report.officers[:20]:
        lines.append(f"    {load.name}: {load.tasks} tasks, busiest day {load.busiest_day}")
    if len(report.officers) > 20:
        lines.append(f"    … {len(report.officers) - 20} more officers")
    return "\n".join(lines)
