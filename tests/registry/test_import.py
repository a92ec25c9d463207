"""Entity import: every bad cell reported as `row N, column: message`, nothing written."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.conftest import County
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.audit import history
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.registry.export import export_entities
from xiaoneng.registry.fields import COLUMNS
from xiaoneng.registry.io import import_entities
from xiaoneng.registry.models import ClassificationChange, Entity, Licence

_licence_numbers = itertools.count(1)
HEADER = ["统一社会信用代码", "名称", "主体类型", "行业代码", "经度", "纬度", "成立日期", "许可证"]


def row(**values: Any) -> dict[str, Any]:
    lon, lat = County.east_point()
    number = next(_licence_numbers)
    base = {
        "统一社会信用代码": make_uscc(),
        "名称": "示范县好味道餐饮店",
        "主体类型": "个体工商户",
        "行业代码": "H6210",
        "经度": lon,
        "纬度": lat,
        "成立日期": "2021-05-06",
        "许可证": f"食品经营许可证|JY165400200{number:05d}|2021-06-01|2026-05-31",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, Any]], header: list[str] | None = None) -> Path:
    header = header or list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(h, "") for h in header])
    return path


def rejected(path: Path, **kwargs: Any) -> list[str]:
    before = (Entity.objects.count(), Licence.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportRejected) as caught:
        import_entities(source=path, **kwargs)
    after = (Entity.objects.count(), Licence.objects.count(), AuditEvent.objects.count())
    assert after == before, "a rejected import must write nothing"
    return [str(e) for e in caught.value.row_errors]


def test_valid_file_creates_entities_with_licences_grid_and_trace(
    county: County, tmp_path: Path
) -> None:
    west_lon, west_lat = county.west_point()
    path = write_csv(
        tmp_path / "ok.csv",
        [row(), row(名称="城西药房", 行业代码="F5251", 经度=west_lon, 纬度=west_lat, 许可证="")],
    )
    result = import_entities(source=path)
    assert (result.created, result.updated, result.licences) == (2, 0, 1)
    restaurant = Entity.objects.get(name="示范县好味道餐饮店")
    assert restaurant.grid == county.east_grid and restaurant.unit == county.east
    assert restaurant.risk_class == "I"  # food, 篇2
    assert restaurant.region_code == restaurant.uscc[2:8]
    pharmacy = Entity.objects.get(name="城西药房")
    assert pharmacy.grid == county.west_grid and pharmacy.risk_class == "II"
    events = AuditEvent.objects.filter(source="import", action="create")
    assert events.count() == 3  # two entities and one licence
    created = history(restaurant).get()
    assert (created.source, created.action) == ("import", "create")
    assert created.changes["name"] == [None, "示范县好味道餐饮店"]


def test_bad_uscc_check_character_names_row_column_and_expected_character(
    county: County, tmp_path: Path
) -> None:
    good = make_uscc()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    errors = rejected(write_csv(tmp_path / "f.csv", [row(), row(统一社会信用代码=bad)]))
    assert errors == [
        f"row 3, 统一社会信用代码: 校验码错误：第 18 位应为 {good[17]}，实为 {bad[17]}"
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"统一社会信用代码": "91654002MA"}, "row 2, 统一社会信用代码: 长度应为 18 位，实为 10 位"),
        (
            {"统一社会信用代码": "91654002MA000000I1"},
            "row 2, 统一社会信用代码: 含有不允许的字符（前 8 位为数字，其余只允许数字和除 I、O、Z、S、V 以外的大写字母）",
        ),
        (
            {"行业代码": "Z9999"},
            "row 2, 行业代码: 未知的行业代码“Z9999”（应为 GB/T 4754-2017 小类代码，如 H6210）",
        ),
        (
            {"成立日期": "2024-13-01"},
            "row 2, 成立日期: 日期格式错误：2024-13-01（应为 YYYY-MM-DD）",
        ),
        ({"成立日期": "2999-01-01"}, "row 2, 成立日期: 日期晚于今天：2999-01-01"),
        ({"名称": ""}, "row 2, 名称: 必填"),
        (
            {"主体类型": "公司"},
            "row 2, 主体类型: 无效的值“公司”（应为 企业、个体工商户、农民专业合作社）",
        ),
        ({"经度": "139.69", "纬度": "35.69"}, "row 2, 经度: 坐标 (139.69, 35.69) 不在中国境内"),
        ({"经度": "abc"}, "row 2, 经度: 不是有效的数字：abc"),
        ({"纬度": ""}, "row 2, 纬度: 经度和纬度须同时填写"),
        (
            {"许可证": "食品经营许可证|JY1|2024-01-01|2023-01-01"},
            "row 2, 许可证: 第 1 个许可证有效期至早于发证日期",
        ),
        ({"许可证": "驾驶证|123|2024-01-01"}, "row 2, 许可证: 第 1 个许可证种类未知：驾驶证"),
        (
            {"许可证": "食品经营许可证|JY1"},
            "row 2, 许可证: 第 1 个许可证格式错误：应为“种类|编号|发证日期|有效期至”",
        ),
    ],
)
def test_bad_value_is_reported_exactly_and_nothing_written(
    county: County, tmp_path: Path, values: dict[str, Any], expected: str
) -> None:
    assert rejected(write_csv(tmp_path / "f.csv", [row(**values)])) == [expected]


def test_swapped_coordinates_get_a_hint(county: County, tmp_path: Path) -> None:
    lon, lat = county.east_point()
    errors = rejected(write_csv(tmp_path / "f.csv", [row(经度=lat, 纬度=lon)]))
    assert errors == [f"row 2, 经度: 坐标 ({lat}, {lon}) 不在中国境内；经纬度是否填反？"]


def test_negative_capital_is_out_of_range(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [row(**{"注册资本（元）": "-5"})])
    assert rejected(path) == ["row 2, 注册资本（元）: 金额超出范围（0 至 10^15 元）：-5"]


def test_duplicate_uscc_and_licence_within_the_file(county: County, tmp_path: Path) -> None:
    uscc = make_uscc()
    licence = "食品经营许可证|JY16540029999999|2021-06-01"
    path = write_csv(
        tmp_path / "f.csv",
        [row(统一社会信用代码=uscc, 许可证=licence), row(统一社会信用代码=uscc, 许可证=licence)],
    )
    assert rejected(path) == [
        f"row 3, 统一社会信用代码: 与第 2 行重复：{uscc}",
        "row 3, 许可证: 许可证编号 JY16540029999999 与第 2 行重复",
    ]


def test_every_error_of_every_row_is_reported_at_once(county: County, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "f.csv",
        [row(名称=""), row(), row(行业代码="X", 成立日期="yesterday", 许可证="")],
    )
    assert rejected(path) == [
        "row 2, 名称: 必填",
        "row 4, 行业代码: 未知的行业代码“X”（应为 GB/T 4754-2017 小类代码，如 H6210）",
        "row 4, 成立日期: 日期格式错误：yesterday（应为 YYYY-MM-DD）",
    ]


def test_wrong_and_missing_column_headers(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [{"名称": "x", "邮编": "835000"}])
    assert rejected(path) == [
        "row 1, 邮编: 未知的列名",
        "row 1, 统一社会信用代码: 缺少必需的列",
        "row 1, 主体类型: 缺少必需的列",
        "row 1, 行业代码: 缺少必需的列",
    ]


def test_empty_file_and_unsupported_format(county: County, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    assert rejected(tmp_path / "empty.csv") == ["row 1, 文件: 文件是空的"]
    (tmp_path / "f.txt").write_text("a,b")
    assert rejected(tmp_path / "f.txt") == ["row 1, 文件: 不支持的文件格式：只接受 .csv 或 .xlsx"]


def test_existing_uscc_is_refused_unless_update(county: County, tmp_path: Path) -> None:
    existing = make_entity(name="旧名称")
    path = write_csv(tmp_path / "f.csv", [row(统一社会信用代码=existing.uscc, 名称="新名称")])
    assert rejected(path) == [
        "row 2, 统一社会信用代码: 统一社会信用代码已存在；更新已有主体请选择更新模式（--update）"
    ]
    result = import_entities(source=path, update=True)
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "新名称"
    update = history(existing).filter(action="update").get()
    assert update.source == "import"
    assert update.changes["name"] == ["旧名称", "新名称"]


def test_licence_of_another_entity_is_refused(county: County, tmp_path: Path) -> None:
    licence = "食品经营许可证|JY16540028888888|2021-06-01"
    import_entities(source=write_csv(tmp_path / "a.csv", [row(许可证=licence)]))
    path = write_csv(tmp_path / "b.csv", [row(许可证=licence)])
    assert rejected(path) == ["row 2, 许可证: 许可证编号 JY16540028888888 已登记在其他主体名下"]


def test_risk_class_different_from_rules_needs_a_reason(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [row(风险类别="Ⅲ")])
    assert rejected(path) == [
        "row 2, 风险类别: 与按行业和许可证判定的类别（Ⅰ）不同；人工调整须填写风险类别调整理由"
    ]
    path = write_csv(
        tmp_path / "g.csv", [row(风险类别="Ⅲ", 风险类别调整理由="仅销售预包装食品，经评估降级")]
    )
    import_entities(source=path)
    entity = Entity.objects.get()
    assert (entity.risk_class, entity.risk_class_overridden) == ("III", True)
    change = ClassificationChange.objects.get(entity=entity)
    assert change.reason == "仅销售预包装食品，经评估降级"


def test_english_column_names_and_xlsx_are_accepted(county: County, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["uscc", "name", "kind", "industry", "established"])
    sheet.append([make_uscc(), "英文表头企业", "enterprise", "6210", "2020/3/4"])
    book.save(tmp_path / "f.xlsx")
    import_entities(source=tmp_path / "f.xlsx")
    entity = Entity.objects.get()
    assert (entity.industry_id, str(entity.established)) == ("H6210", "2020-03-04")
    assert (
        entity.grid is None and entity.unit == county.bureau
    )  # no coordinates: the bureau holds it


def test_import_is_limited_to_the_actors_scope(county: County, tmp_path: Path) -> None:
    west_lon, west_lat = county.west_point()
    path = write_csv(tmp_path / "f.csv", [row(经度=west_lon, 纬度=west_lat)])
    assert rejected(path, actor=county.east_director) == [
        "row 2, 网格: 该主体所属单位不在您的辖区内"
    ]


def test_cli_import_exits_2_and_prints_every_error(
    county: County, tmp_path: Path, capsys: Any
) -> None:
    path = write_csv(tmp_path / "f.csv", [row(名称=""), row(行业代码="Q")])
    with pytest.raises(CommandError) as caught:
        call_command("import", "entities", str(path))
    assert caught.value.returncode == 2
    err = capsys.readouterr().err
    assert "row 2, 名称: 必填" in err
    assert "row 3, 行业代码: 未知的行业代码“Q”（应为 GB/T 4754-2017 小类代码，如 H6210）" in err
    assert Entity.objects.count() == 0


def _snapshot() -> list[tuple[Any, ...]]:
    fields = [
        "uscc", "name", "kind", "industry_id", "address", "longitude", "latitude", "region_code",
        "legal_representative", "registered_capital", "established", "status", "risk_class",
        "risk_class_overridden", "credit_grade", "hot_industry", "hot_industry_note", "grid_id",
        "grid_overridden", "unit_id", "registered_on",
    ]  # fmt: skip
    entities = list(Entity.objects.order_by("uscc").values_list(*fields))
    licences = list(
        Licence.objects.order_by("number").values_list(
            "entity__uscc", "kind", "number", "issued", "expires"
        )
    )
    return entities + licences


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_the_same_data(
    county: County, tmp_path: Path, fmt: str
) -> None:
    path = write_csv(
        tmp_path / "seed.csv",
        [
            row(**{"注册资本（元）": "1234567.89", "住所": "解放路 12 号", "法定代表人": "张三"}),
            row(
                名称="农资店",
                行业代码="F5167",
                许可证="农药经营许可证|NY001|2020-01-01",
                信用等级="C",
            ),
            row(
                名称="网格外商店",
                行业代码="F5211",
                经度="81.5",
                纬度="44.2",
                许可证="",
                重热点行业="是",
                重热点行业说明="校园周边",
            ),
            row(名称="指定网格店", 行业代码="F5211", 许可证="", 网格="G-W"),
            row(名称="降级餐馆", 许可证="", 风险类别="Ⅲ", 风险类别调整理由="只卖包装食品"),
        ],
    )
    import_entities(source=path)
    before = _snapshot()
    exported = tmp_path / f"out.{fmt}"
    if fmt == "csv":
        with open(exported, "w", encoding="utf-8", newline="") as handle:
            export_entities(Entity.objects.all(), handle, fmt="csv")
    else:
        export_entities(Entity.objects.all(), exported, fmt="xlsx")
    Licence.objects.all().delete()
    ClassificationChange.objects.all().delete()
    Entity.objects.all().delete()
    import_entities(source=exported)
    assert _snapshot() == before
    assert Entity.objects.get(name="指定网格店").grid_overridden is True


def test_export_header_is_every_column_label(county: County) -> None:
    stream = io.StringIO()
    export_entities(Entity.objects.none(), stream, fmt="csv")
    assert stream.getvalue().lstrip("\ufeff").splitlines()[0] == ",".join(c.label for c in COLUMNS)
