"""Import and export of units, officers (CSV, XLSX) and grids (GeoJSON, CSV, XLSX).

Like the entity import: every row is checked, errors are reported as ``row N, column: message``
and nothing is written unless the whole file is right. In a GeoJSON file "row N" is the N-th
feature plus one, so that the numbering matches the same grids exported as a table.
"""

from xiaoneng.org.io.common import ImportResult
from xiaoneng.org.io.export import export_table
from xiaoneng.org.io.grids import GRID_COLUMNS, grid_rows, grids_geojson, import_grids
from xiaoneng.org.io.officers import OFFICER_COLUMNS, import_officers, officer_rows
from xiaoneng.org.io.units import UNIT_COLUMNS, UNIT_KIND_WORDS, import_units, unit_rows

__all__ = [
    "GRID_COLUMNS",
    "OFFICER_COLUMNS",
    "UNIT_COLUMNS",
    "UNIT_KIND_WORDS",
    "ImportResult",
    "export_table",
    "grid_rows",
    "grids_geojson",
    "import_grids",
    "import_officers",
    "import_units",
    "officer_rows",
    "unit_rows",
]
