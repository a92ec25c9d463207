"""xiaoneng scan ads|listings FILE [-o FILE]: scan ads or listings with the library in force.

Reads JSONL or CSV (UTF-8 or GB18030, ``textscan.io``), writes one JSON line per record in
input order: ``{"id": …, "violations": [{"rule", "category", "law", "match", "start",
"end"}]}``. A malformed line is reported on stderr as ``第N行：…`` and skipped. Exit status 0
when every line was scanned, 1 when some failed, 2 when the file cannot be read at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.keywords import scanning
from xiaoneng.textscan import io as textscan_io

TARGETS = {"ads": "ad", "listings": "listing"}
BATCH = 2000
KEYS = ("rule", "category", "law", "match", "start", "end")


class Command(BaseCommand):
    help = (
        "Scan ads or listings (JSONL or CSV, UTF-8 or GB18030) with the keyword library in "
        "force; JSONL out. Exit 0 all scanned, 1 some lines failed, 2 file unreadable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(TARGETS), help="ads or listings")
        parser.add_argument("file", help="JSONL (.jsonl/.json/.ndjson) or CSV file")
        parser.add_argument("-o", "--output", help="file to write (default standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}", returncode=2) from None
        try:
            records = list(textscan_io.read_records(data, path.name))
        except textscan_io.FileUnreadable as error:
            raise CommandError(f"{path.name}：{error}", returncode=2) from None
        target = TARGETS[options["what"]]
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as out:
                failed = self._scan(records, target, out)
        else:
            failed = self._scan(records, target, self.stdout)
        if failed:
            sys.exit(1)

    def _scan(self, records: list[Any], target: str, out: IO[str] | Any) -> int:
        failed = 0
        good = [r for r in records if isinstance(r, textscan_io.Record)]
        found: dict[int, list[Any]] = {}
        for start in range(0, len(good), BATCH):
            batch = good[start : start + BATCH]
            _version, results = scanning.scan_texts(
                [(r.text, r.kind) for r in batch], target=target
            )
            for record, violations in zip(batch, results, strict=True):
                found[id(record)] = violations
        for record in records:
            if isinstance(record, textscan_io.RecordError):
                failed += 1
                self.stderr.write(f"第{record.line}行：{record.message}")
                continue
            line = {
                "id": record.id,
                "violations": [{k: v.as_dict()[k] for k in KEYS} for v in found[id(record)]],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return failed
