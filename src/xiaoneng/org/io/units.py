"""Units (局/科室/所) from and to tables; a parent may be a unit further down the file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
)
from xiaoneng.org import services
from xiaoneng.org.io.common import ImportResult, duplicates, read_records, required, word
from xiaoneng.org.models import Unit

UNIT_COLUMNS = [
    Column("code", "单位代码", required=True),
    Column("name", "名称", required=True),
    Column("kind", "类型", required=True),
    Column("parent", "上级单位代码"),
    Column("region_code", "行政区划代码", required=True),
    Column("address", "地址"),
    Column("phone", "电话"),
]
UNIT_KIND_WORDS = {Unit.Kind.BUREAU: "局", Unit.Kind.DIVISION: "科室", Unit.Kind.STATION: "所"}


def import_units(*, source: Any, filename: str | None = None, update: bool = False) -> ImportResult:
    """Import the unit tree; a row's parent may be an existing unit or a row of the same file."""
    data, labels = read_records(source, filename, UNIT_COLUMNS)
    errors = duplicates(data, "code", labels)
    existing = {u.code: u for u in Unit.objects.all()}
    in_file = {values["code"]: values for _n, values in data if values.get("code")}
    # Codes that are (or will be) a parent: such a unit must stay a bureau.
    parents = {v["parent"] for _n, v in data if v.get("parent")} | set(
        Unit.objects.filter(children__isnull=False).values_list("code", flat=True)
    )
    for number, values in data:
        errors += required(number, values, UNIT_COLUMNS, labels)
        kind = word(values.get("kind"), UNIT_KIND_WORDS)
        if values.get("kind") is not None and kind is None:
            errors.append(
                RowError(
                    number,
                    labels["kind"],
                    _("无效的值“%(value)s”（应为 局、科室、所）") % {"value": values["kind"]},
                )
            )
        region = str(values.get("region_code") or "")
        if values.get("region_code") is not None and not (region.isdigit() and len(region) == 6):
            errors.append(
                RowError(
                    number, labels["region_code"], _("应为 6 位数字：%(value)s") % {"value": region}
                )
            )
        parent = values.get("parent")
        if parent is None and kind not in (None, Unit.Kind.BUREAU):
            errors.append(RowError(number, labels["parent"], _("科室和所必须有上级单位")))
        if parent is not None:
            parent_kind = (
                word(in_file[parent].get("kind"), UNIT_KIND_WORDS)
                if parent in in_file
                else existing[parent].kind
                if parent in existing
                else None
            )
            if parent not in in_file and parent not in existing:
                errors.append(
                    RowError(
                        number,
                        labels["parent"],
                        _("未知的上级单位代码：%(value)s") % {"value": parent},
                    )
                )
            elif parent_kind != Unit.Kind.BUREAU:
                errors.append(RowError(number, labels["parent"], _("上级单位必须是局")))
            elif parent == values.get("code"):
                errors.append(RowError(number, labels["parent"], _("上级单位不能是自己")))
        if values.get("code") in existing and not update:
            errors.append(
                RowError(
                    number, labels["code"], _("单位代码已存在；更新请选择更新模式（--update）")
                )
            )
        elif values.get("code") in parents and kind not in (None, Unit.Kind.BUREAU):
            errors.append(RowError(number, labels["kind"], _("该单位有下级单位，类型必须是局")))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        pending = list(data)
        while pending:
            ready = [
                (n, v) for n, v in pending if v.get("parent") is None or v["parent"] in existing
            ]
            if not ready:
                raise ImportRejected(
                    [RowError(n, labels["parent"], _("上级单位关系成环")) for n, _v in pending]
                )
            for _number, values in ready:
                existing[values["code"]] = _save_unit(values, existing, result)
            pending = [item for item in pending if item not in ready]
    return result


def _save_unit(values: dict[str, Any], existing: dict[str, Unit], result: ImportResult) -> Unit:
    kind = word(values["kind"], UNIT_KIND_WORDS)
    parent = existing.get(values.get("parent") or "")
    unit = existing.get(values["code"])
    if unit is None:
        result.created += 1
        return services.create_unit(
            code=values["code"],
            name=values["name"],
            kind=kind or "",
            parent=parent,
            region_code=str(values["region_code"]),
            address=values.get("address") or "",
            phone=str(values.get("phone") or ""),
        )
    before = audit.snapshot(unit)
    unit.name, unit.kind, unit.region_code = (
        values["name"],
        kind or unit.kind,
        str(values["region_code"]),
    )
    unit.address, unit.phone = values.get("address") or "", str(values.get("phone") or "")
    if audit.diff(before, audit.snapshot(unit)):
        unit.save()
        result.updated += 1
    else:
        result.unchanged += 1
    if parent is not None and unit.parent_id != parent.pk:
        services.move_unit(unit=unit, parent=parent)
    return unit


def unit_rows(queryset: QuerySet[Unit]) -> Iterator[list[Any]]:
    for unit in queryset.select_related("parent").order_by("path"):
        yield [
            unit.code,
            unit.name,
            UNIT_KIND_WORDS[Unit.Kind(unit.kind)],
            unit.parent.code if unit.parent else "",
            unit.region_code,
            unit.address,
            unit.phone,
        ]
