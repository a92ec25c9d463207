"""Export of units, officers and grids: an exported file imports back unchanged, into the same
database or an empty one."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from tests.org.io.helpers import OFFICER_HEADER, counts, export, import_file, unit_tree
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone


def records() -> dict[str, Any]:
    """Every organisation record by its natural key (no database ids)."""
    return {
        "units": unit_tree()
        | {
            f"{u.code}:values": (u.name, u.region_code, u.address, u.phone)
            for u in Unit.objects.all()
        },
        "officers": {
            o.username: (
                o.name,
                o.unit.code if o.unit else None,
                o.certificate_number,
                sorted(o.role_codes()),
                o.phone,
                o.is_active,
                o.is_staff,
            )
            for o in Officer.objects.select_related("unit")
        },
        "grids": {
            g.code: (
                g.name,
                g.station.code,
                g.section.code,
                g.section.name,
                g.section.zone.code,
                g.section.zone.name,
                g.officer.username if g.officer else None,
                g.region_code,
                json.loads(json.dumps(g.boundary)),
                g.area_km2,
            )
            for g in Grid.objects.select_related("station", "section__zone", "officer")
        },
    }


@pytest.fixture
def varied(county: County) -> County:
    """The county with the optional columns filled in: an address, a phone, an inactive officer."""
    Unit.objects.filter(code="S-E").update(address="东大街 8 号", phone="0999-8123456")
    county.west_officer.phone = "13900000000"
    county.west_officer.is_active = False
    county.west_officer.save()
    county.east_director.roles.add(Role.GRID_OFFICER)
    return county


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["units", "officers"])
def test_exported_file_reimports_with_update_as_unchanged(
    varied: County, tmp_path: Path, kind: str, fmt: str
) -> None:
    path = export(kind, fmt, tmp_path / f"{kind}.{fmt}")
    before, events = records(), AuditEvent.objects.count()

    message = import_file(kind, path, "--update")

    count = {"units": Unit, "officers": Officer}[kind].objects.count()
    assert message == f"imported {kind}: created 0, updated 0, unchanged {count}"
    assert records() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exported_grids_reimport_with_update_as_unchanged(
    varied: County, tmp_path: Path, fmt: str
) -> None:
    path = export("grids", fmt, tmp_path / f"grids.{fmt}")
    before = records()
    assert (
        import_file("grids", path, "--update")
        == "imported grids: created 0, updated 0, unchanged 2"
    )
    assert records() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exported_grids_reimport_with_update_without_changing_any_record(
    varied: County, tmp_path: Path, fmt: str
) -> None:
    path = export("grids", fmt, tmp_path / f"grids.{fmt}")
    before = records()
    assert import_file("grids", path, "--update").startswith("imported grids: created 0, ")
    assert records() == before


def wipe_organisation() -> None:
    Grid.objects.all().delete()
    Section.objects.all().delete()
    Zone.objects.all().delete()
    Officer.objects.all().delete()
    for unit in Unit.objects.order_by("-depth"):
        unit.delete()
    assert sum(counts()[m] for m in ("Unit", "Officer", "Zone", "Section", "Grid")) == 0


@pytest.mark.parametrize(("table", "grids"), [("csv", "geojson"), ("xlsx", "xlsx"), ("csv", "csv")])
def test_export_then_import_into_an_empty_database_reproduces_the_records(
    varied: County, tmp_path: Path, table: str, grids: str
) -> None:
    files = {
        "units": export("units", table, tmp_path / f"units.{table}"),
        "officers": export("officers", table, tmp_path / f"officers.{table}"),
        "grids": export("grids", grids, tmp_path / f"grids.{grids}"),
    }
    before = records()
    wipe_organisation()

    assert (
        import_file("units", files["units"]) == "imported units: created 4, updated 0, unchanged 0"
    )
    assert (
        import_file("officers", files["officers"])
        == "imported officers: created 7, updated 0, unchanged 0"
    )
    assert (
        import_file("grids", files["grids"]) == "imported grids: created 2, updated 0, unchanged 0"
    )
    assert records() == before


def test_exported_officers_carry_no_password(varied: County, tmp_path: Path) -> None:
    path = export("officers", "csv", tmp_path / "officers.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == OFFICER_HEADER
    assert {row[-1] for row in rows[1:]} == {""}
    assert "md5$" not in path.read_text(encoding="utf-8")


def test_geojson_export_is_refused_for_units(county: County, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("export", "units", "--format", "geojson", "-o", str(tmp_path / "u.geojson"))
    assert (raised.value.returncode, str(raised.value)) == (
        2,
        "only grids can be exported as geojson",
    )
