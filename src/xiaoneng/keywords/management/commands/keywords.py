"""xiaoneng keywords load [FILE] | export [-o FILE] [--version N] | status: the keyword
feature library (关键词特征库)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.keywords import services
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

STARTER = Path(__file__).resolve().parents[3] / "textscan" / "data" / "starter.yaml"


class Command(BaseCommand):
    help = (
        "关键词特征库. load: make a YAML library the one in force (the starter library by "
        "default; all or nothing; a new version); export: the YAML of the current version or "
        "of --version N; status: the version in force and its counts. Errors exit with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("load", help="load a YAML library (a new version)")
        load.add_argument("file", nargs="?", help=f"YAML file (default {STARTER})")
        load.add_argument("--reason", default="", help="why (default: the file loaded)")
        export = verbs.add_parser("export", help="write a version's YAML")
        export.add_argument("-o", "--output", help="file to write (default standard output)")
        export.add_argument("--version", dest="number", type=int, help="version number")
        verbs.add_parser("status", help="the version in force, its rules and terms")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "load":
            self._load(options.get("file"), options.get("reason") or "")
        elif verb == "export":
            self._export(options.get("number"), options.get("output"))
        else:
            self._status()

    def _load(self, name: str | None, reason: str) -> None:
        path = Path(name) if name else STARTER
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"无法读取文件 {path}：{error}", returncode=2) from None
        try:
            with acting_as(None):
                loaded = services.load_library(
                    text, actor=None, reason=reason or f"命令行载入 {path.name}"
                )
        except DomainError as error:
            for problem in error.errors:
                self.stderr.write(problem.message)
            raise CommandError("特征库未载入，未作任何修改", returncode=2) from None
        version, diff = loaded.version, loaded.diff
        self.stdout.write(
            f"v{version.number}: {version.rule_count} rules, {version.term_count} terms; "
            f"added {len(diff.added)}, removed {len(diff.removed)}, changed {len(diff.changed)}"
        )

    def _export(self, number: int | None, output: str | None) -> None:
        version = (
            LibraryVersion.objects.filter(number=number).first()
            if number is not None
            else services.current_version()
        )
        if version is None:
            raise CommandError(
                f"没有第{number}版" if number is not None else "尚未载入特征库", returncode=2
            )
        if output:
            Path(output).write_text(version.yaml, encoding="utf-8")
        else:
            self.stdout.write(version.yaml, ending="")

    def _status(self) -> None:
        version = services.current_version()
        if version is None:
            self.stdout.write("no library loaded (xiaoneng keywords load)")
            return
        inactive = KeywordRule.objects.filter(active=False).count()
        self.stdout.write(
            f"v{version.number} {version.created_at:%Y-%m-%d %H:%M} sha256 {version.sha256}\n"
            f"{version.rule_count} rules ({inactive} inactive not counted), "
            f"{version.term_count} terms; {LibraryVersion.objects.count()} versions"
        )
