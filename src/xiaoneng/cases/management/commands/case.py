"""xiaoneng case warnings [--today YYYY-MM-DD] [--unit CODE] [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Unit


class Command(BaseCommand):
    help = (
        "案件办理期限预警。Case stage time limits: `case warnings` lists every case whose stage "
        "limit is near (yellow: 3 working days or fewer left) or passed (red): a lead must be "
        "filed or refused within 15 working days of receipt (市场监督管理行政处罚程序规定 "
        "第十八条), a filed case decided within 90 days of filing (第六十四条), a decided "
        "penalty paid within 15 days (行政处罚法 第六十七条); extensions approved on the case "
        "page count. A deadline after the calendar's last loaded year is counted on weekdays "
        "only and marked （暂定） (JSON: deadline_provisional). Bad input (a malformed date, an "
        "unknown unit) exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="warnings")
        warnings = verbs.add_parser(
            "warnings",
            help="list stage time-limit warnings",
            description="List the cases whose stage time limit is near (yellow) or passed (red).",
        )
        warnings.add_argument(
            "--today", help="the day to judge from, YYYY-MM-DD (default: today in Asia/Shanghai)"
        )
        warnings.add_argument("--unit", help="unit code: only the cases of its subtree")
        warnings.add_argument("--json", action="store_true", help="print the warnings as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                parsed = parse_date(options["today"])
            except ValueError:
                parsed = None
            if parsed is None:
                raise CommandError(
                    f"--today must be a date YYYY-MM-DD: {options['today']}", returncode=2
                )
            today = parsed
        cases = Case.objects.all()
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"unknown unit: {options['unit']}", returncode=2)
            cases = cases.filter(Unit.objects.subtree_q(unit, field="unit"))
        try:
            found = limits.stage_warnings(cases, today)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        if options["json"]:
            rows = [
                {
                    "case": w.case.number,
                    "status": w.case.status,
                    "unit": w.case.unit.code,
                    "level": w.level,
                    "deadline": w.deadline.isoformat() if w.deadline else None,
                    "deadline_provisional": w.provisional,
                    "days": w.days,
                    "message": w.message,
                }
                for w in found
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write(f"{today}: 没有期限预警")
            return
        counts = {level: sum(1 for w in found if w.level == level) for level in limits.LEVEL_LABELS}
        self.stdout.write(
            f"{today}: 已超期 {counts[limits.RED]} 件，临近期限 {counts[limits.YELLOW]} 件"
            + (f"，期限无法计算 {counts[limits.UNKNOWN]} 件" if counts[limits.UNKNOWN] else "")
        )
        for w in found:
            self.stdout.write(
                f"{w.level:<7} {w.case.number}  {w.case.get_status_display()}  "
                f"{w.case.unit.code}  {w.message}"
            )
