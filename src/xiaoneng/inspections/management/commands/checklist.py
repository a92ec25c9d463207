"""xiaoneng checklist list | show CODE [--version N] | import CODE FILE | export CODE -o FILE."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.inspections.checklists import files as checklist_files
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import Checklist, InspectionKind
from xiaoneng.org.models import Officer


class Command(BaseCommand):
    help = (
        "检查项目清单 (篇8). Inspection checklists: list the versions in force, show one, import "
        "a new version from a CSV/XLSX file (columns 序号, 检查事项, 检查内容与方法, 法律依据, "
        "严重程度 一般/较重/严重), export one (the file re-imports unchanged), load the starter "
        "set. Errors exit with status 2 and the message."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="the version in force of each checklist")
        listing.add_argument("--on", help="in force on this day, YYYY-MM-DD (default today)")
        show = verbs.add_parser("show", help="a version's items with their legal basis")
        show.add_argument("code", help="checklist code, e.g. food-retail")
        show.add_argument("--version", type=int, help="version number (default: in force today)")
        imports = verbs.add_parser(
            "import",
            help="make version N+1 from a file; version N is retired on the effective date",
        )
        imports.add_argument("code", help="checklist code (a new code makes version 1)")
        imports.add_argument("file", help=".csv or .xlsx")
        imports.add_argument("--effective", help="effective date YYYY-MM-DD (default today)")
        imports.add_argument("--title", help="title (required for a new code)")
        imports.add_argument(
            "--kind", choices=InspectionKind.values, help="onsite or documentary (new code)"
        )
        imports.add_argument(
            "--industry", help="GB/T 4754 code prefixes, e.g. 'F522 F5212' ('' for any trade)"
        )
        imports.add_argument("--description", help="description")
        imports.add_argument(
            "--user",
            help="act as this user: the trace names them and their role must allow it "
            "(default: the operator, without limits)",
        )
        export = verbs.add_parser("export", help="write a version to a .csv or .xlsx file")
        export.add_argument("code", help="checklist code")
        export.add_argument("-o", "--output", required=True, help="file to write (.csv or .xlsx)")
        export.add_argument("--version", type=int, help="version number (default: latest)")
        verbs.add_parser("load", help="load version 1 of each starter checklist not yet present")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options.get("user"):
            actor = Officer.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user: {options['user']}", returncode=2)
        try:
            with acting_as(actor):
                getattr(self, f"_{options['verb']}")(options, actor)
        except ImportRejected as rejected:
            for error in rejected.row_errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message, returncode=2) from None
        except DomainError as error:
            for item in error.errors[1:]:
                self.stderr.write(f"{item.field}: {item.message}")
            raise CommandError(error.message, returncode=2) from None

    def _date(self, value: str | None, option: str) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{option} {value}: expected YYYY-MM-DD", returncode=2) from None

    def _version(self, code: str, version: int | None, *, latest: bool = False) -> Checklist:
        versions = Checklist.objects.filter(code=code).order_by("-version")
        if version is not None:
            found = versions.filter(version=version).first()
        elif latest:
            found = versions.first()
        else:
            found = next((c for c in checklists.current_versions() if c.code == code), None)
            found = found or versions.first()
        if found is None:
            which = f" version {version}" if version is not None else ""
            raise CommandError(f"no checklist {code}{which}", returncode=2)
        return found

    def _list(self, options: dict[str, Any], actor: Officer | None) -> None:
        on = self._date(options["on"], "--on") or timezone.localdate()
        for checklist in checklists.current_versions(on=on):
            self.stdout.write(
                f"{checklist.code:<24} v{checklist.version:<3} {checklist.kind:<12} "
                f"{checklist.items.count():>3} items  {checklist.effective_on}  {checklist.title}"
            )

    def _show(self, options: dict[str, Any], actor: Officer | None) -> None:
        checklist = self._version(options["code"], options["version"])
        state = checklists.state_of(checklist)
        self.stdout.write(
            f"{checklist.title} — {checklist.code} v{checklist.version} ({state}), "
            f"{checklist.kind}, effective {checklist.effective_on}"
            + (f", retired {checklist.retired_on}" if checklist.retired_on else "")
        )
        self.stdout.write(f"industries: {checklist.industry_prefixes or '(any trade)'}")
        for number, title, method, basis, severity in checklist_files.export_rows(checklist):
            self.stdout.write(f"\n{number}. [{severity}] {title}\n   依据：{basis}")
            self.stdout.write(textwrap.indent(textwrap.fill(method, 60), "   "))

    def _import(self, options: dict[str, Any], actor: Officer | None) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        checklist = checklist_files.import_version(
            code=options["code"],
            actor=actor,
            effective_on=self._date(options["effective"], "--effective"),
            file=path,
            filename=path.name,
            title=options["title"],
            kind=options["kind"],
            industry_prefixes=options["industry"],
            description=options["description"],
        )
        self.stdout.write(
            f"{checklist.code} v{checklist.version}: {checklist.items.count()} items, "
            f"effective {checklist.effective_on}"
        )

    def _export(self, options: dict[str, Any], actor: Officer | None) -> None:
        checklist = self._version(options["code"], options["version"], latest=True)
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in {"csv", "xlsx"}:
            raise CommandError(f"-o {output}: the file must end in .csv or .xlsx", returncode=2)
        if not output.parent.is_dir():
            raise CommandError(f"-o {output}: no such folder {output.parent}", returncode=2)
        count = checklist_files.export_version(checklist=checklist, target=output, fmt=fmt)
        self.stdout.write(f"{checklist.code} v{checklist.version}: {count} items → {output}")

    def _load(self, options: dict[str, Any], actor: Officer | None) -> None:
        made = checklist_files.load_starter_set(actor=actor)
        for checklist in made:
            self.stdout.write(f"{checklist.code} v{checklist.version} loaded")
        if not made:
            self.stdout.write("every starter checklist is present")
