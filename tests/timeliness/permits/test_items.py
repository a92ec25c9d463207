"""Service items: the committed limit never longer than the statutory one, a code once; the
starter file and the command that loads it, all rows or none."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.timeliness.permits.factories import make_item
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.timeliness.permits import items
from xiaoneng.timeliness.permits.models import ServiceItem

pytestmark = pytest.mark.django_db
HEADER = "事项编码,事项名称,事项类别,法定时限,承诺时限,一审一核,设定依据,申请材料\n"


def test_the_committed_limit_may_not_exceed_the_statutory_one():
    with pytest.raises(InvalidInput) as refused:
        make_item(statutory_days=3, committed_days=5)
    assert refused.value.by_field == {"committed_days": "承诺时限（5）不得长于法定时限（3）"}
    assert not ServiceItem.objects.exists()


def test_limits_out_of_range_and_missing_fields_are_named():
    with pytest.raises(InvalidInput) as refused:
        make_item(code="", name="", category="x", statutory_days=0, committed_days=None, basis="")
    assert refused.value.by_field == {
        "code": "请填写事项编码",
        "name": "请填写事项名称",
        "category": "事项类别无效：x",
        "statutory_days": "法定时限应为 1 至 365 个工作日：0",
        "committed_days": "请填写承诺时限（工作日）",
        "basis": "请填写设定依据",
    }


def test_a_code_is_used_once():
    make_item()
    with pytest.raises(InvalidInput) as refused:
        make_item(name="另一个")
    assert refused.value.by_field == {"code": "事项编码已存在：XK-T01"}


def test_only_managers_change_items(county):
    with pytest.raises(NotPermitted):
        items.save_item(
            actor=county.east_director,
            code="A",
            name="A",
            category="other",
            statutory_days=2,
            committed_days=1,
            basis="x",
        )
    item = make_item()
    items.save_item(
        actor=county.division_staff,
        item=item,
        code=item.code,
        name=item.name,
        category=item.category,
        statutory_days=10,
        committed_days=3,
        basis=item.basis,
    )
    item.refresh_from_db()
    assert item.committed_days == 3


def test_the_starter_file_loads_once_with_real_limits():
    loaded = items.load_items()
    assert loaded.created == ServiceItem.objects.count() >= 15 and loaded.updated == 0
    company = ServiceItem.objects.get(name="公司设立登记")
    assert (company.statutory_days, company.committed_days, company.single_review) == (3, 1, True)
    assert company.basis == "《市场主体登记管理条例》第十九条"
    food = ServiceItem.objects.get(name="食品经营许可（新办）")
    assert food.statutory_days == 10 and food.committed_days < 10 and not food.single_review
    assert "食品经营许可申请书" in items.material_lines(food)
    again = items.load_items()
    assert (again.created, again.updated, again.unchanged) == (0, 0, loaded.created)


def _file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "items.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_bad_file_is_refused_whole_naming_each_row(tmp_path):
    path = _file(
        tmp_path,
        "A-1,甲,登记注册,3,1,是,依据,申请书\n"
        "A-1,乙,登记注册,3,1,是,依据,申请书\n"
        "A-2,丙,行政许可,三,1,否,依据,\n"
        "A-3,丁,许可,3,5,也许,依据,\n"
        "A-4,戊,备案,3,5,否,依据,\n",
    )
    with pytest.raises(InvalidInput) as refused:
        items.load_items(path)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("第 3 行", "事项编码在文件中重复：A-1"),
        ("第 4 行", "法定时限应为整数（工作日）：三"),
        ("第 5 行", "事项类别应为 登记注册、行政许可、备案、其他服务 之一：许可"),
        ("第 5 行", "一审一核应为“是”或“否”：也许"),
        ("第 6 行", "承诺时限（5）不得长于法定时限（3）"),
    ]
    assert not ServiceItem.objects.exists()


def test_a_file_missing_a_column_or_empty_is_refused(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("事项编码,事项名称\nA,甲\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as missing:
        items.load_items(path)
    assert missing.value.by_field == {
        "file": "文件缺少列：事项类别、法定时限、承诺时限、一审一核、设定依据、申请材料"
    }
    with pytest.raises(InvalidInput) as empty:
        items.load_items(_file(tmp_path, ""))
    assert empty.value.by_field == {"file": "文件中没有事项"}


def test_the_command_loads_the_starter_set_and_refuses_a_bad_file(tmp_path, capsys):
    call_command("service-items", "load")
    assert "created" in capsys.readouterr().out
    assert ServiceItem.objects.filter(code="DJ-001").exists()
    bad = _file(tmp_path, "B-1,甲,登记注册,0,0,是,依据,\n")
    with pytest.raises(CommandError) as refused:
        call_command("service-items", "load", str(bad))
    assert refused.value.returncode == 2
    assert not ServiceItem.objects.filter(code="B-1").exists()
