"""Import and export as the web page and the API offer them: permission, scope, file format."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org import io as org_io
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry import export as registry_export
from xiaoneng.registry import io as registry_io
from xiaoneng.registry.models import Entity
from xiaoneng.registry.placement import reassign_grids
from xiaoneng.registry.queries import EntityFilter

KINDS = ("entities", "units", "officers", "grids")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
KIND_LABELS = {
    "entities": _("市场主体"),
    "units": _("单位"),
    "officers": _("人员"),
    "grids": _("网格"),
}


def import_file(
    *,
    kind: str,
    source: Any,
    filename: str | None = None,
    update: bool = False,
    actor: Officer | None = None,
) -> Any:
    """Import a file of ``kind`` as one transaction.

    ``actor`` is the logged-in user of the page or API, whose role and scope limit the import;
    None is the operator at the command line. After a grid import, entities not placed by hand
    move to the grid their coordinates now fall in.
    """
    if kind not in KINDS:
        raise InvalidInput.single("kind", _("未知的导入类型：%(kind)s") % {"kind": kind})
    if actor is not None:
        needed = access.EDIT_REGISTER if kind == "entities" else access.MANAGE_ORGANISATION
        access.require(actor, needed)
    with transaction.atomic(), attributed(actor):
        if kind == "entities":
            return registry_io.import_entities(
                source=source, filename=filename, update=update, actor=actor
            )
        importer = {
            "units": org_io.import_units,
            "officers": org_io.import_officers,
            "grids": org_io.import_grids,
        }[kind]
        result = importer(source=source, filename=filename, update=update)
        if kind == "grids" and (result.created or result.updated):
            result.reassigned = reassign_grids()
        return result


@dataclass
class ExportFile:
    """An exported file ready to download."""

    content: bytes
    filename: str
    content_type: str

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def scoped_queryset(kind: str, user: Officer, params: dict[str, Any] | None = None) -> Any:
    """What ``user`` may export of ``kind``; entities follow the list filters in ``params``."""
    if kind == "entities":
        return EntityFilter.from_params(params or {}).apply(scoped(Entity.objects.all(), user))
    models: dict[str, Any] = {"units": Unit, "officers": Officer, "grids": Grid}
    return scoped(models[kind].objects.all(), user)


def export_file(
    *, kind: str, fmt: str, user: Officer, params: dict[str, Any] | None, buffer: io.BytesIO
) -> ExportFile:
    """Write the export of ``kind`` in ``fmt`` into ``buffer``."""
    if kind not in KINDS:
        raise InvalidInput.single("kind", _("未知的导出类型：%(kind)s") % {"kind": kind})
    if fmt not in CONTENT_TYPES or (fmt == "geojson" and kind != "grids"):
        raise InvalidInput.single(
            "format", _("%(kind)s 不能导出为 %(fmt)s") % {"kind": kind, "fmt": fmt}
        )
    queryset = scoped_queryset(kind, user, params)
    if fmt == "xlsx":
        if kind == "entities":
            registry_export.export_entities(queryset, buffer, fmt="xlsx")
        else:
            org_io.export_table(kind, queryset, buffer, fmt="xlsx")
        content = buffer.getvalue()
    else:
        text = io.StringIO()
        if kind == "entities":
            registry_export.export_entities(queryset, text, fmt="csv")
        else:
            org_io.export_table(kind, queryset, text, fmt=fmt)
        content = text.getvalue().encode("utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(content, f"{kind}-{stamp}.{fmt}", CONTENT_TYPES[fmt])
