"""xiaoneng export entities|units|officers|grids --format csv|xlsx|geojson -o FILE"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.errors import DomainError
from xiaoneng.org import io as org_io
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry import export as registry_export
from xiaoneng.registry.models import Entity


class Command(BaseCommand):
    help = (
        "导出市场主体、单位、人员或网格。"
        "Export entities, units, officers or grids with the Chinese "
        "column labels as headers; the files import back unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["entities", "units", "officers", "grids"])
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx", "geojson"],
            default="csv",
            help="csv (UTF-8 with BOM), xlsx, or geojson (grids only); default csv",
        )
        parser.add_argument(
            "-o",
            "--output",
            help="file to write ('-' or absent: standard output, csv/geojson only)",
        )
        parser.add_argument(
            "--include-archived",
            action="store_true",
            help="entities: also export archived entities",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, fmt, output = options["kind"], options["format"], options["output"]
        if fmt == "geojson" and kind != "grids":
            raise CommandError("only grids can be exported as geojson", returncode=2)
        if fmt == "xlsx" and output in (None, "-"):
            raise CommandError("xlsx needs an output file (-o FILE)", returncode=2)
        if output not in (None, "-") and not Path(output).parent.is_dir():
            folder = Path(output).parent
            raise CommandError(f"-o {output}: no such folder {folder}", returncode=2)
        if kind == "entities":
            queryset = Entity.objects.all()
            if not options["include_archived"]:
                queryset = queryset.active()
        else:
            models: dict[str, Any] = {"units": Unit, "officers": Officer, "grids": Grid}
            queryset = models[kind].objects.all()
        try:
            count = self._write(kind, queryset, fmt, output)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        except OSError as error:  # a missing folder, no permission, a full disk
            reason = error.strerror or str(error)
            raise CommandError(
                f"-o {output}: cannot write the file: {reason}", returncode=2
            ) from None
        self.stderr.write(f"exported {count} {kind}")

    def _write(self, kind: str, queryset: Any, fmt: str, output: str | None) -> int:
        if fmt == "xlsx":
            if kind == "entities":
                return registry_export.export_entities(queryset, output, fmt="xlsx")
            return org_io.export_table(kind, queryset, output, fmt="xlsx")  # type: ignore[arg-type]
        if output in (None, "-"):
            return self._write_text(kind, queryset, fmt, sys.stdout)
        with open(output, "w", encoding="utf-8", newline="") as stream:
            return self._write_text(kind, queryset, fmt, stream)

    def _write_text(self, kind: str, queryset: Any, fmt: str, stream: Any) -> int:
        if kind == "entities":
            return registry_export.export_entities(queryset, stream, fmt=fmt)
        return org_io.export_table(kind, queryset, stream, fmt=fmt)
