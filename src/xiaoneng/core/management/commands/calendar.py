"""xiaoneng calendar workdays FROM TO | add-days DATE N | load FILE | status (docs/calendar.md)"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.calendar_files import (
    YearChange,
    check_year,
    load_year,
    preview_year,
    read_year_file,
)
from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import AuditEvent, CalendarYear

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_argument(text: str, name: str) -> dt.date:
    """A YYYY-MM-DD argument, or exit 2 naming it."""
    try:
        if DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise CommandError(f"{name} must be a date YYYY-MM-DD: {text}", returncode=2)


def provisional_note(year: int) -> str:
    """The line on stderr under a result that counted a provisional year."""
    return f"（暂定：{year} 年节假日安排未载入，按周一至周五计算）"


def describe(change: YearChange) -> list[str]:
    """The dry run's lines: what loading the year changes."""
    kinds = {True: "班", False: "休"}
    head = f"{change.year} 年（{change.notice}）"
    if change.replaces:
        head += f"：替换已载入的安排（原依据：{change.old_notice or '未记录'}）"
    lines = [head]
    for label, days in (("新增", change.added), ("删除", change.removed), ("改为", change.changed)):
        lines += [f"  {label} {d.isoformat()} {kinds[w]} {n}" for d, w, n in days]
    lines.append(f"  全年工作日：{change.working_days_before} → {change.working_days_after}")
    return lines


class Command(BaseCommand):
    help = (
        "工作日历。Working days under the holiday calendar: `workdays FROM TO` prints the number "
        "of working days in [FROM, TO]; `add-days DATE N` prints the date N working days after "
        "DATE (DATE not counted). Beyond the last loaded year both refuse (exit 2) unless "
        "--provisional: then weekdays count and stderr says so under the result. `load FILE` "
        "loads a year's holidays (国务院办公厅通知; format in docs/calendar.md); `status` shows "
        "the known years and whether next year is loaded. Bad input exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(
            dest="verb", required=True, metavar="workdays|add-days|load|status"
        )
        workdays = verbs.add_parser("workdays", help="working days in [FROM, TO]")
        workdays.add_argument("start", metavar="FROM")
        workdays.add_argument("end", metavar="TO")
        add_days = verbs.add_parser("add-days", help="the date N working days after DATE")
        add_days.add_argument("day", metavar="DATE")
        add_days.add_argument("days", metavar="N")
        for verb in (workdays, add_days):
            verb.add_argument(
                "--provisional",
                action="store_true",
                help="count a year not yet loaded on weekdays (a note on stderr says so)",
            )
        load = verbs.add_parser("load", help="load a year's holidays from a CSV file")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--notice", help="the notice number, e.g. 国办发明电〔2026〕7号")
        load.add_argument("--replace", action="store_true", help="replace a year already loaded")
        load.add_argument("--dry-run", action="store_true", help="show the changes, write none")
        verbs.add_parser("status", help="known years, their source, whether next year is loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"].replace("-", "_")
        try:
            getattr(self, f"_{verb}")(options)
        except CalendarUnknown as error:
            hint = (
                ""
                if options.get("provisional", True)
                else "（加 --provisional 可暂按周一至周五计算）"
            )
            raise CommandError(error.message + hint, returncode=2) from None
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None

    def _calendar(self, options: dict[str, Any]) -> WorkingCalendar:
        return WorkingCalendar.load(strict=not options["provisional"])

    def _note(self, calendar: WorkingCalendar, last_day: dt.date) -> None:
        if calendar.is_provisional(last_day):
            assert calendar.last_known_year is not None
            self.stderr.write(provisional_note(calendar.last_known_year + 1))

    def _workdays(self, options: dict[str, Any]) -> None:
        start = day_argument(options["start"], "FROM")
        end = day_argument(options["end"], "TO")
        if end < start:
            raise CommandError(f"TO ({end}) is before FROM ({start})", returncode=2)
        calendar = self._calendar(options)
        count = calendar.working_days_between(start - dt.timedelta(days=1), end)
        self.stdout.write(str(count))
        self._note(calendar, end)

    def _add_days(self, options: dict[str, Any]) -> None:
        day = day_argument(options["day"], "DATE")
        if not re.fullmatch(r"\d{1,5}", options["days"]):
            raise CommandError(f"N must be a whole number ≥ 0: {options['days']}", returncode=2)
        calendar = self._calendar(options)
        found = calendar.add_working_days(day, int(options["days"]))
        self.stdout.write(found.isoformat())
        self._note(calendar, found)

    def _load(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        year, notice, rows = read_year_file(content)
        year_file = check_year(year=year, notice=options["notice"] or notice, rows=rows)
        if options["dry_run"]:
            self.stdout.write("\n".join(describe(preview_year(year_file))))
            return
        with audit.acting_as(None, source=AuditEvent.Source.CLI):
            loaded = load_year(year_file=year_file, actor=None, replace=options["replace"])
        self.stdout.write("\n".join(describe(loaded.change)))
        recomputed = "，".join(f"{name} {n}" for name, n in loaded.recomputed.items()) or "无"
        self.stdout.write(f"已载入 {year_file.year} 年。重新计算的暂定日期：{recomputed}")

    def _status(self, options: dict[str, Any]) -> None:
        years = list(CalendarYear.objects.order_by("year"))
        if not years:
            self.stdout.write("工作日历为空：没有任何已知年份。")
            return
        last = years[-1]
        self.stdout.write(f"已知年份：{years[0].year}–{last.year}（共 {len(years)} 年）")
        self.stdout.write(
            f"最后一年：{last.year}（依据：{last.notice or last.source or '未记录'}）"
        )
        today = timezone.localdate()
        needed = last.year + 1
        if needed > today.year + 1:
            self.stdout.write(f"{today.year + 1} 年：已载入")
            return
        left = (dt.date(needed, 1, 1) - today).days
        when = f"{left} 天后（{needed}-01-01 起）" if left > 0 else "现在"
        self.stdout.write(f"{needed} 年：未载入，{when}的期限按周一至周五暂定计算")
