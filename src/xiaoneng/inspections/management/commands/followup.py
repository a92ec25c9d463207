"""xiaoneng followup warn [--today YYYY-MM-DD]"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.inspections.followup.overdue import warn_overdue


class Command(BaseCommand):
    help = (
        "整改跟踪。Rectification follow-up: `followup warn` warns (警示) every open "
        "rectification order whose deadline and re-inspection day (the first working day "
        "after the deadline) have passed, and reports each to the credit feedback "
        "(RECTIFICATION_OVERDUE). Run it daily; running it again the same day changes "
        "nothing. A bad date exits with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="warn")
        warn = verbs.add_parser(
            "warn",
            help="warn overdue rectification orders",
            description="Warn (警示) the open rectification orders that are overdue today.",
        )
        warn.add_argument(
            "--today",
            help="the day to judge by, YYYY-MM-DD (default: today in Asia/Shanghai)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"].strip())
            except ValueError:
                raise CommandError(
                    f"--today should be a date YYYY-MM-DD: {options['today']}", returncode=2
                ) from None
            if today > timezone.localdate():
                # A warning is a record with consequences (a credit proposal): never in advance.
                raise CommandError(
                    f"--today cannot lie in the future: {today:%Y-%m-%d}", returncode=2
                )
        try:
            with acting_as(None):
                count = warn_overdue(today=today)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(f"{today:%Y-%m-%d}：警示逾期未整改 {count} 件 (orders warned: {count})")
