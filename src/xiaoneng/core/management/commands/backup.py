"""xiaoneng backup -o DIR (docs/operations.md, "Backup and restore")"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份。Write a backup of the database and the media files into DIR: SQLite through its "
        "online backup API (safe while the server runs), PostgreSQL with `pg_dump -Fc` (the "
        "connection from DATABASE_URL; pg_dump must be installed), the files under "
        "XIAONENG_VAR/media, and manifest.json (every file's size and SHA-256, every table's "
        "row count). DIR must not exist or be empty. The backup is written beside DIR and "
        "renamed at the end, so a folder named DIR is always whole. Refusals exit with status 2. "
        "Restore with `xiaoneng restore DIR`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, metavar="DIR", help="the backup folder to create"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        try:
            manifest = backup(target)
        except BackupError as error:
            raise CommandError(error.message, returncode=2) from None
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"备份完成：{target.absolute()}\n"
            f"  数据库 {manifest.vendor}：{len(manifest.tables)} 个表，{rows} 行\n"
            f"  媒体文件 {len(manifest.media_files)} 个；共 {len(manifest.files)} 个文件，"
            f"{manifest.total_bytes} 字节"
        )
