"""xiaoneng import entities|units|officers|grids|chicago FILE [--update] [--user USERNAME]

It lives in ``web`` because it dispatches to every domain's importer: the register's and the
organisation's (``registry.transfer``) and the risk app's Chicago dataset, which the register
may not import.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiaoneng.core.audit import acting_as
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.org.models import Officer
from xiaoneng.registry.transfer import KINDS, import_file
from xiaoneng.risk.chicago import import_chicago

CHICAGO = "chicago"


class Command(BaseCommand):
    help = (
        "导入市场主体、单位、人员、网格或芝加哥食品检查数据。Import entities, units, officers "
        "(CSV/XLSX), grids (GeoJSON/CSV/XLSX) or the City of Chicago food inspections "
        "(chicago: CSV with the columns of ../shared/data/chicago/README.md; each licence "
        "becomes an entity, each row a signed inspection with its findings). The whole file is "
        "one transaction: if any row is wrong, every error is printed as 'row N, column: "
        "message', nothing is written and the exit status is 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=(*KINDS, CHICAGO), help="what the file holds")
        parser.add_argument(
            "file", help="path of the .csv, .xlsx or (grids) .geojson file; chicago: the .csv"
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="update records that already exist (by uscc / code / username) instead of "
            "refusing them (not for chicago: a file with an Inspection_ID imported before is "
            "refused)",
        )
        parser.add_argument(
            "--user",
            help="act as this user: the trace names them, and their role and unit limit what "
            "the file may change (chicago: their role must allow editing the register and "
            "managing the organisation; default: the operator, without limits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = Officer.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user: {options['user']}", returncode=2)
        if options["kind"] == CHICAGO and options["update"]:
            raise CommandError("--update does not apply to chicago", returncode=2)
        try:
            with acting_as(actor):
                result = self._import(options, actor)
        except ImportRejected as rejected:
            for error in rejected.row_errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message, returncode=2) from None
        except FileNotFoundError:
            raise CommandError(f"no such file: {options['file']}", returncode=2) from None
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        counts = ", ".join(f"{k} {v}" for k, v in vars(result).items() if v or k != "reassigned")
        self.stdout.write(f"imported {options['kind']}: {counts}")

    def _import(self, options: dict[str, Any], actor: Officer | None) -> Any:
        if options["kind"] == CHICAGO:
            return import_chicago(source=options["file"], actor=actor)
        return import_file(
            kind=options["kind"], source=options["file"], update=options["update"], actor=actor
        )
