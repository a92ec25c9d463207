"""Files for the organisation import tests, and what an import wrote, refused or printed."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.org.models import Grid, Officer, Section, Unit, Zone

UNIT_HEADER = ["单位代码", "名称", "类型", "上级单位代码", "行政区划代码", "地址", "电话"]
OFFICER_HEADER = ["用户名", "姓名", "所在单位代码", "执法证号", "角色", "电话", "在岗", "初始密码"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def counts() -> dict[str, int]:
    models = (Unit, Officer, Zone, Section, Grid, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def rejected(importer: Any, path: Path, **options: Any) -> list[str]:
    """The errors an import reports; asserts that nothing at all was written."""
    before = counts()
    with pytest.raises(ImportRejected) as raised:
        importer(source=path, **options)
    assert counts() == before
    errors = raised.value.row_errors
    assert raised.value.message == f"导入失败：发现 {len(errors)} 处错误，未写入任何数据。"
    return [str(e) for e in errors]


def unit_tree() -> dict[str, tuple[str, str, int, str]]:
    """code → (kind, parent code, depth, path written with codes)."""
    codes = dict(Unit.objects.values_list("pk", "code"))
    return {
        u.code: (
            u.kind,
            u.parent.code if u.parent else "",
            u.depth,
            "/".join(codes[int(p)] for p in u.path.strip("/").split("/")),
        )
        for u in Unit.objects.select_related("parent")
    }


def export(kind: str, fmt: str, path: Path) -> Path:
    err = StringIO()
    call_command("export", kind, "--format", fmt, "-o", str(path), stderr=err)
    assert err.getvalue().startswith("exported ")
    return path


def import_file(kind: str, path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import", kind, str(path), *options, stdout=out)
    return out.getvalue().strip()
