"""xiaoneng report period --from DATE --to DATE [--unit CODE] --format xlsx|md -o FILE"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.reports import timeliness_bulletin as bulletins
from xiaoneng.reports.assessment.cli import (
    add_assess_parser,
    add_bulletin_parser,
    assess_command,
    bulletin_command,
    output_format,
)
from xiaoneng.reports.export import markdown, write_xlsx
from xiaoneng.reports.period import period_report
from xiaoneng.reports.scope import parse_request


class Command(BaseCommand):
    help = (
        "期间报告。Period reports: `report period --from 2026-01-01 --to 2026-06-30 --format md "
        "-o report.md` writes the figures of the period — cases filed (立案), major cases, case "
        "value and fines collected in 万元 with the completion of the annual target, cases by "
        "kind, confiscated goods, inspections and rectification, campaigns, product sampling, "
        "trace flags and director reviews — as sentences in the words of the seed articles and "
        "as tables. It reports on the whole organisation as an administrator would, or on the "
        "subtree of --unit. Bad dates, an unknown unit or format, or a period over three years "
        "write nothing and exit with status 2. `report timeliness --month 2026-11` prints the "
        "month's bulletin of 电子监察; `report assess --period 2026-11` computes and stores the "
        "effectiveness assessment (效能考核) of officers and stations; `report bulletin --period "
        "2026-11 --format xlsx -o FILE` writes the effectiveness bulletin (效能通报)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(
            dest="verb", required=True, metavar="period|timeliness|assess|bulletin"
        )
        period = verbs.add_parser(
            "period",
            help="write the report of a period as xlsx or Markdown",
            description="Write the period report (sentences and tables) of the whole "
            "organisation or of one unit's subtree.",
        )
        period.add_argument(
            "--from", dest="start", required=True, help="first day, YYYY-MM-DD (included)"
        )
        period.add_argument(
            "--to", dest="end", required=True, help="last day, YYYY-MM-DD (included)"
        )
        period.add_argument(
            "--unit", help="unit code: report on its subtree (default: the whole organisation)"
        )
        period.add_argument(
            "--format",
            dest="format",
            help="xlsx (a sheet of sentences and a sheet per table) or md (Markdown); "
            "default: from the suffix of -o (md for '-')",
        )
        period.add_argument(
            "-o",
            "--output",
            required=True,
            help="file to write; '-' writes Markdown to standard output",
        )

        add_timeliness_parser(verbs)
        add_assess_parser(verbs)
        add_bulletin_parser(verbs)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "timeliness":
            self.stdout.write(timeliness_bulletin_command(options))
            return
        if options["verb"] == "assess":
            self.stdout.write(assess_command(options))
            return
        if options["verb"] == "bulletin":
            self.stdout.write(
                bulletin_command(options), ending="" if options["output"] == "-" else "\n"
            )
            return
        output = options["output"]
        form = output_format(options)
        try:
            start, end, unit = parse_request(
                start=options["start"], end=options["end"], unit_code=options["unit"], user=None
            )
            report = period_report(start=start, end=end, unit=unit, user=None)
        except DomainError as error:
            raise CommandError(_cli_message(error), returncode=2) from None
        if form == "md" and output == "-":
            self.stdout.write(markdown(report), ending="")
            return
        try:
            if form == "md":
                Path(output).write_text(markdown(report), encoding="utf-8")
            else:
                write_xlsx(report, output)
        except OSError as error:
            raise CommandError(f"-o: 无法写入 {output}：{error.strerror}", returncode=2) from None
        self.stdout.write(f"{output}: {report.unit_name} {report.start} — {report.end}")


def add_timeliness_parser(verbs: Any) -> None:
    """``report timeliness --month YYYY-MM [--unit CODE] [-o FILE.xlsx]``."""
    bulletin = verbs.add_parser(
        "timeliness",
        help="the monthly bulletin of 电子监察 (每月一通报): sentences, or xlsx with -o",
        description="Print the month's bulletin of warnings, service cases, complaints, "
        "callbacks, rectification and accountability as sentences, or write it (sentences and "
        "tables by unit) as xlsx with -o.",
    )
    bulletin.add_argument("--month", required=True, help="YYYY-MM")
    bulletin.add_argument("--unit", help="unit code: its subtree (default: the organisation)")
    bulletin.add_argument("-o", "--output", help="xlsx file to write")


def timeliness_bulletin_command(options: dict[str, Any]) -> str:
    """Run ``report timeliness``: the sentences, or the line naming the file written."""
    output, code = options.get("output"), (options.get("unit") or "").strip()
    if output and Path(output).suffix.lower() != ".xlsx":
        raise CommandError(f"-o: 应为 .xlsx 文件：{output}", returncode=2)
    if output and not Path(output).parent.is_dir():
        raise CommandError(
            f"-o: 无法写入 {output}：文件夹 {Path(output).parent} 不存在", returncode=2
        )
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        raise CommandError(f"--unit: 未知的单位代码：{code}", returncode=2)
    try:
        start = bulletins.month_start(options["month"] or "-")
        bulletin = bulletins.timeliness_bulletin(start=start, unit=unit, user=None)
    except DomainError as error:
        raise CommandError(_cli_message(error), returncode=2) from None
    if not output:
        return "\n".join([bulletins.title(bulletin), *bulletins.sentences(bulletin)])
    try:
        bulletins.write_xlsx(bulletin, output)
    except OSError as error:
        raise CommandError(f"-o: 无法写入 {output}：{error.strerror}", returncode=2) from None
    return f"{output}: {bulletins.title(bulletin)}"


def _cli_message(error: DomainError) -> str:
    """Each field error with the option it came from (--from, --to, --unit)."""
    if not error.errors:
        return error.message
    return "; ".join(f"--{e.field}: {e.message}" for e in error.errors)
