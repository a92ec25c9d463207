"""Export of units, officers and grids as CSV, XLSX or (grids) GeoJSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import (
    Column,
    write_csv,
    write_xlsx,
)
from xiaoneng.org.io.grids import GRID_COLUMNS, grid_rows, grids_geojson
from xiaoneng.org.io.officers import OFFICER_COLUMNS, officer_rows
from xiaoneng.org.io.units import UNIT_COLUMNS, unit_rows


def export_table(
    kind: str, queryset: QuerySet[Any], target: IO[Any] | str | Path, *, fmt: str
) -> int:
    """Write units, officers or grids as CSV (text stream), XLSX or (grids) GeoJSON."""
    exporters: dict[str, tuple[list[Column], Callable[[Any], Iterator[list[Any]]], str]] = {
        "units": (UNIT_COLUMNS, unit_rows, _("单位")),
        "officers": (OFFICER_COLUMNS, officer_rows, _("人员")),
        "grids": (GRID_COLUMNS, grid_rows, _("网格")),
    }
    columns, rows, title = exporters[kind]
    if fmt == "geojson":
        if kind != "grids":
            raise DomainError(_("只有网格可以导出为 GeoJSON"))
        document = grids_geojson(queryset)
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if isinstance(target, str | Path):
            Path(target).write_text(text, encoding="utf-8")
        else:
            target.write(text)
        return len(document["features"])
    if fmt == "csv":
        return write_csv(target, columns, rows(queryset))  # type: ignore[arg-type]
    return write_xlsx(target, columns, rows(queryset), title=title)
