"""xiaoneng online import FILE [--unit CODE] [--keep-good-lines]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.online.listings.importer import import_batch
from xiaoneng.org.models import Unit


class Command(BaseCommand):
    help = (
        "网络交易监测 (online-trading monitoring). `online import listings.jsonl` imports a "
        "JSONL or CSV file of captured listings (UTF-8 or GB18030) as one batch, scanned "
        "against the keyword feature library in force. A bad line refuses the whole file, each "
        "bad line printed with its number (exit status 2), unless --keep-good-lines; listings "
        "already imported (same platform, URL and capture time) are skipped and counted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{import}")
        load = verbs.add_parser("import", help="import a listing file as one batch")
        load.add_argument("file", help="a .jsonl or .csv file")
        load.add_argument("--unit", help="the importing unit's code (default: the bureau)")
        load.add_argument(
            "--keep-good-lines", action="store_true", help="import the good lines of a file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        unit = None
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"unknown unit: {options['unit']}", returncode=2)
        started = time.perf_counter()
        try:
            with acting_as(None):
                batch = import_batch(
                    data=path.read_bytes(),
                    name=path.name,
                    actor=None,
                    keep_good_lines=options["keep_good_lines"],
                    unit=unit,
                )
        except DomainError as error:
            for problem in error.errors[1:] if error.errors else []:
                self.stderr.write(problem.message)
            raise CommandError(error.message, returncode=2) from None
        seconds = time.perf_counter() - started
        rate = batch.listing_count / seconds if seconds else 0
        self.stdout.write(
            f"批次 batch #{batch.pk}: 导入 imported {batch.listing_count}, "
            f"重复跳过 duplicates {batch.duplicate_count}, 错误行 bad lines {batch.error_count}, "
            f"命中 with hits {batch.hit_count}, 新卖家 new sellers {batch.new_seller_count}, "
            f"特征库版本 library v{batch.library_version} ({seconds:.1f} s, {rate:.0f}/s)"
        )
        for line in batch.errors:
            self.stderr.write(line)
