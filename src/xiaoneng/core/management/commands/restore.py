"""xiaoneng restore DIR [--force] (docs/operations.md, "Backup and restore")"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.backup import BackupError, CountsDiffer, restore


class Command(BaseCommand):
    help = (
        "恢复。Restore the backup in DIR (made by `xiaoneng backup`) over the configured "
        "database and the media files. First every file of manifest.json is checked (present, "
        "size, SHA-256); a backup of the other database (SQLite / PostgreSQL) is refused, and so "
        "is a database that already holds data unless --force. Then the database (SQLite: the "
        "backup API; PostgreSQL: pg_restore --clean --if-exists --no-owner in one transaction) "
        "and the media files are restored and every table's row count is compared with the "
        "manifest. A refusal changes nothing and exits with status 2; counts that differ after "
        "the restore exit with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="the backup folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore(Path(options["folder"]), force=options["force"])
        except BackupError as error:
            code = 1 if isinstance(error, CountsDiffer) else 2
            raise CommandError(error.message, returncode=code) from None
        manifest = done.manifest
        if options["verbosity"] > 1:
            for table, rows in sorted(done.counts.items()):
                self.stdout.write(f"  {table:<40} {rows}")
        self.stdout.write(
            f"恢复完成：{manifest.created_at} 的备份（xiaoneng {manifest.xiaoneng_version}，"
            f"{manifest.vendor}）\n"
            f"  {len(manifest.tables)} 个表，{sum(done.counts.values())} 行，行数与清单一致\n"
            f"  媒体文件 {done.media_files} 个"
        )
