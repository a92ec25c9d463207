"""xiaoneng service-items load [FILE] | list: the service items (事项) and their limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.timeliness.permits import items
from xiaoneng.timeliness.permits.models import ServiceItem


class Command(BaseCommand):
    help = (
        "服务事项 (事项). load: create or update the items of a UTF-8 CSV file (columns 事项编码, "
        "事项名称, 事项类别, 法定时限, 承诺时限, 一审一核, 设定依据, 申请材料; the starter set by "
        "default), all or none; list: the items with their limits. Errors exit with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("load", help="create or update the items of a CSV file")
        load.add_argument("file", nargs="?", help=f"CSV file (default {items.STARTER_FILE})")
        verbs.add_parser("list", help="the items with their statutory and committed limits")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "list":
            for item in ServiceItem.objects.order_by("code"):
                self.stdout.write(
                    f"{item.code:<8} {item.statutory_days:>3} {item.committed_days:>3}"
                    f"{' 一审一核' if item.single_review else ''}  {item.name}"
                )
            return
        path = Path(options["file"]) if options.get("file") else None
        try:
            with acting_as(None):
                loaded = items.load_items(path)
        except DomainError as error:
            for problem in error.errors:
                self.stderr.write(f"{problem.field}: {problem.message}")
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(
            f"created {loaded.created}, updated {loaded.updated}, unchanged {loaded.unchanged}"
        )
