"""New checklist versions from a file: one transaction, exact row errors, nothing written on any
error; the previous version retired on the effective date; used versions immutable."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.utils import timezone
from openpyxl import Workbook

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.inspections.admin import ChecklistAdmin, ChecklistItemInline
from xiaoneng.inspections.checklists import files as checklist_files
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import Checklist, ChecklistItem

HEADER = "序号,检查事项,检查内容与方法,法律依据,严重程度"
FOOD = "《中华人民共和国食品安全法》"
MARCH = dt.date(2026, 3, 1)


def csv_file(tmp_path: Path, *lines: str, name: str = "food.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_lines() -> list[str]:
    return [
        HEADER,
        f"1,依法取得食品经营许可,查看许可证,{FOOD}第三十五条第一款,严重",
        f"2,从业人员健康证明,核对健康证明,{FOOD}第四十五条,较重",
        f"3,散装食品标注,查看标注,{FOOD}第六十八条,一般",
    ]


def snapshot() -> tuple[int, int, list[Any]]:
    return (
        Checklist.objects.count(),
        ChecklistItem.objects.count(),
        list(Checklist.objects.order_by("pk").values_list("pk", "retired_on")),
    )


def reject(path: Path, **values: Any) -> list[str]:
    before = snapshot()
    with pytest.raises(ImportRejected) as rejected:
        checklist_files.import_version(
            code="food-retail", actor=None, effective_on=MARCH, file=path, filename=path.name
        )
    assert snapshot() == before, "nothing is written"
    return [str(e) for e in rejected.value.row_errors]


def test_a_good_file_makes_version_2_and_retires_version_1_on_the_date(
    county: County, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, *good_lines())
    new = checklist_files.import_version(
        code="food-retail",
        actor=county.division_staff,
        effective_on=MARCH,
        file=path,
        filename=path.name,
    )
    old = Checklist.objects.get(code="food-retail", version=1)
    assert (new.version, new.effective_on, new.retired_on) == (2, MARCH, None)
    assert (new.title, new.kind, new.industry_prefixes) == (
        old.title,
        old.kind,
        old.industry_prefixes,
    )
    assert old.retired_on == MARCH
    assert [(i.number, i.position, i.severity) for i in new.items.order_by("position")] == [
        ("1", 1, "critical"),
        ("2", 2, "major"),
        ("3", 3, "minor"),
    ]
    grocer = make_entity(industry="F5221")
    day_before = MARCH - dt.timedelta(days=1)
    assert checklists.checklist_for(entity=grocer, kind="onsite", on=day_before) == old
    assert checklists.checklist_for(entity=grocer, kind="onsite", on=MARCH) == new
    assert checklists.state_of(old, MARCH) == "retired"
    assert checklists.state_of(new, day_before) == "pending"


def test_an_xlsx_file_imports_like_a_csv(county: County, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for line in good_lines():
        sheet.append(line.split(","))
    sheet.append([4.0, "食品贮存", "查看贮存条件", f"{FOOD}第五十四条第一款", "较重"])
    path = tmp_path / "food.xlsx"
    book.save(path)
    new = checklist_files.import_version(
        code="food-retail", actor=None, effective_on=MARCH, file=path, filename=path.name
    )
    assert list(new.items.values_list("number", flat=True)) == ["1", "2", "3", "4"]


def test_the_default_effective_date_is_today(county: County, tmp_path: Path) -> None:
    path = csv_file(tmp_path, *good_lines())
    new = checklist_files.import_version(code="catering", actor=None, file=path, filename=path.name)
    assert new.effective_on == timezone.localdate()


def test_an_empty_file_is_refused(county: County, tmp_path: Path) -> None:
    assert reject(csv_file(tmp_path, "")) == ["row 1, 文件: 文件是空的"]


def test_a_file_with_only_its_header_is_refused(county: County, tmp_path: Path) -> None:
    assert reject(csv_file(tmp_path, HEADER)) == ["row 2, 文件: 文件中没有数据行"]


def test_a_missing_column_is_refused(county: County, tmp_path: Path) -> None:
    lines = ["序号,检查事项,检查内容与方法,法律依据", f"1,许可,查看,{FOOD}第三十五条"]
    assert reject(csv_file(tmp_path, *lines)) == ["row 1, 严重程度: 缺少必需的列"]


def test_an_unknown_column_is_refused(county: County, tmp_path: Path) -> None:
    lines = [HEADER + ",备注", f"1,许可,查看,{FOOD}第三十五条,严重,x"]
    assert reject(csv_file(tmp_path, *lines)) == ["row 1, 备注: 未知的列名"]


def test_a_duplicate_number_is_refused(county: County, tmp_path: Path) -> None:
    lines = [*good_lines(), f"2,重复的序号,查看,{FOOD}第四十五条,一般"]
    assert reject(csv_file(tmp_path, *lines)) == ["row 5, 序号: 与第 3 行重复：2"]


def test_a_bad_severity_is_refused(county: County, tmp_path: Path) -> None:
    lines = [HEADER, f"1,许可,查看,{FOOD}第三十五条,很严重"]
    assert reject(csv_file(tmp_path, *lines)) == [
        "row 2, 严重程度: 应为“一般”“较重”或“严重”：很严重"
    ]


def test_a_legal_basis_without_an_article_is_refused(county: County, tmp_path: Path) -> None:
    lines = [HEADER, "1,许可,查看,食品安全法有关规定,严重"]
    assert reject(csv_file(tmp_path, *lines)) == [
        "row 2, 法律依据: 应写明法律法规名称和条款，如《中华人民共和国食品安全法》第三十三条："
        "食品安全法有关规定"
    ]


def test_every_error_of_the_file_is_reported_at_once(county: County, tmp_path: Path) -> None:
    lines = [HEADER, f"1,,查看,{FOOD}第三十五条,严重", f"1,许可,查看,{FOOD}第三十五条,高"]
    assert reject(csv_file(tmp_path, *lines)) == [
        "row 2, 检查事项: 必填",
        "row 3, 严重程度: 应为“一般”“较重”或“严重”：高",
        "row 3, 序号: 与第 2 行重复：1",
    ]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(county: County, tmp_path: Path) -> None:
    path = csv_file(tmp_path, *good_lines(), name="food.txt")
    assert reject(path) == ["row 1, 文件: 不支持的文件格式：只接受 .csv 或 .xlsx"]


def test_a_corrupt_xlsx_is_refused(county: County, tmp_path: Path) -> None:
    path = tmp_path / "food.xlsx"
    path.write_bytes(b"not a workbook")
    errors = reject(path)
    assert len(errors) == 1 and errors[0].startswith("row 1, 文件: 无法读取 XLSX 文件：")


def test_the_effective_date_must_follow_the_previous_versions(
    county: County, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, *good_lines())
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        checklist_files.import_version(
            code="food-retail",
            actor=None,
            effective_on=dt.date(2026, 1, 1),
            file=path,
            filename=path.name,
        )
    assert refused.value.errors[0].field == "effective_on"
    assert refused.value.errors[0].message == (
        "施行日期须晚于第 1 版的施行日期 2026-01-01：2026-01-01"
    )
    assert snapshot() == before


def test_a_new_code_needs_a_title_and_a_kind(county: County, tmp_path: Path) -> None:
    path = csv_file(tmp_path, *good_lines())
    with pytest.raises(InvalidInput) as refused:
        checklist_files.import_version(
            code="cosmetics", actor=None, effective_on=MARCH, file=path, filename=path.name
        )
    assert refused.value.message == (
        "code: 没有代码为 cosmetics 的清单；新建清单须给出名称和检查方式（onsite、documentary）"
    )
    assert not Checklist.objects.filter(code="cosmetics").exists()


def test_a_new_code_with_title_kind_and_industries_makes_version_1(
    county: County, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, *good_lines())
    made = checklist_files.import_version(
        code="cosmetics",
        actor=None,
        effective_on=MARCH,
        file=path,
        filename=path.name,
        title="化妆品经营检查清单",
        kind="onsite",
        industry_prefixes="f5234，F5134",
    )
    assert (made.version, made.industry_prefixes) == (1, "F5234 F5134")


def test_an_unknown_industry_code_is_refused(county: County, tmp_path: Path) -> None:
    path = csv_file(tmp_path, *good_lines())
    with pytest.raises(InvalidInput) as refused:
        checklist_files.import_version(
            code="cosmetics",
            actor=None,
            effective_on=MARCH,
            file=path,
            filename=path.name,
            title="化妆品经营检查清单",
            kind="onsite",
            industry_prefixes="F5234 X99",
        )
    assert refused.value.errors[0].message == "不是 GB/T 4754-2017 的行业代码：X99"
    assert not Checklist.objects.filter(code="cosmetics").exists()


def test_a_grid_officer_cannot_import(county: County, tmp_path: Path) -> None:
    path = csv_file(tmp_path, *good_lines())
    before = snapshot()
    with pytest.raises(NotPermitted):
        checklist_files.import_version(
            code="food-retail",
            actor=county.east_officer,
            effective_on=MARCH,
            file=path,
            filename=path.name,
        )
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_re_imports_unchanged(county: County, tmp_path: Path, fmt: str) -> None:
    original = Checklist.objects.get(code="agricultural-supplies", version=1)
    path = tmp_path / f"export.{fmt}"
    assert checklist_files.export_version(checklist=original, target=path, fmt=fmt) == 14
    again = checklist_files.import_version(
        code="agricultural-supplies",
        actor=None,
        effective_on=MARCH,
        file=path,
        filename=path.name,
    )
    assert checklists.diff_versions(original, again).empty
    assert checklist_files.export_rows(again) == checklist_files.export_rows(original)


def test_the_diff_lists_items_added_removed_and_changed(county: County, tmp_path: Path) -> None:
    old = Checklist.objects.get(code="pharmacy", version=1)
    buffer = io.StringIO()
    checklist_files.export_version(checklist=old, target=buffer, fmt="csv")
    lines = buffer.getvalue().lstrip("\ufeff").splitlines()
    lines = [ln for ln in lines if not ln.startswith("11,")]  # remove item 11
    lines = [ln.replace(",一般", ",较重") if ln.startswith("13,") else ln for ln in lines]
    lines.append("14,药品追溯,查看追溯码扫码记录,《中华人民共和国药品管理法》第十二条,一般")
    new = checklist_files.import_version(
        code="pharmacy",
        actor=None,
        effective_on=MARCH,
        file=csv_file(tmp_path, *lines),
        filename="pharmacy.csv",
    )
    diff = checklists.diff_versions(old, new)
    assert [i.number for i in diff.added] == ["14"]
    assert [i.number for i in diff.removed] == ["11"]
    assert [(c.after.number, c.fields) for c in diff.changed] == [("13", ["severity"])]
    history = checklists.history("pharmacy")
    assert [(c.version, d.empty) for c, d in history] == [(2, False), (1, False)]


def test_a_used_version_refuses_edits(county: County) -> None:
    food = Checklist.objects.get(code="food-retail", version=1)
    entity = make_entity(industry="F5221")
    make_inspection(entity=entity, officers=[county.east_officer], checklist=food)
    item = food.items.get(number="5")
    with pytest.raises(Conflict) as refused:
        checklists.edit_item(item=item, actor=county.admin, title="健康证明（改）")
    assert refused.value.message == (
        "清单 food-retail 第 1 版已被检查记录使用，不能修改；请导入新版本。"
    )
    item.refresh_from_db()
    assert item.title == "从业人员健康证明"


def test_an_unused_version_can_be_corrected_with_the_import_checks(county: County) -> None:
    item = Checklist.objects.get(code="advertising", version=1).items.get(number="3")
    checklists.edit_item(item=item, actor=county.division_staff, severity="较重")
    item.refresh_from_db()
    assert item.severity == "major"
    with pytest.raises(InvalidInput) as refused:
        checklists.edit_item(item=item, actor=county.division_staff, legal_basis="广告法")
    assert refused.value.errors[0].field == "法律依据"
    with pytest.raises(NotPermitted):
        checklists.edit_item(item=item, actor=county.west_officer, title="x")


def test_the_admin_shows_a_used_version_read_only(county: County, rf: Any) -> None:
    used = Checklist.objects.get(code="food-retail", version=1)
    make_inspection(
        entity=make_entity(industry="F5221"), officers=[county.east_officer], checklist=used
    )
    unused = Checklist.objects.get(code="catering", version=1)
    request = rf.get("/admin/")
    request.user = county.admin
    checklist_admin = ChecklistAdmin(Checklist, admin.site)
    inline = ChecklistItemInline(Checklist, admin.site)
    assert "title" in checklist_admin.get_readonly_fields(request, used)
    assert "title" not in checklist_admin.get_readonly_fields(request, unused)
    assert inline.get_readonly_fields(request, used) == inline.fields
    assert not inline.has_add_permission(request, used) and inline.has_add_permission(
        request, unused
    )
    assert not checklist_admin.has_delete_permission(request, used)
    with pytest.raises(Conflict):
        checklist_admin.save_model(request, used, None, True)
