"""Resolving a trace flag: a reason, the capability and the unit; the sentences flags say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core.audit import history
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Inspection, TraceFlag
from xiaoneng.inspections.trace import flags


def east_record(county: County, **values: Any) -> Inspection:
    lon, lat = county.east_point()
    entity = make_entity(name="城东饭店", longitude=lon, latitude=lat)
    return make_inspection(
        entity=entity, officers=[county.east_officer, county.east_director], **values
    )


def raise_flag(inspection: Inspection, kind: str = "short") -> TraceFlag:
    return TraceFlag.objects.create(
        inspection=inspection,
        unit=inspection.unit,
        kind=kind,
        detail="现场检查用时 3 分钟（阈值 5 分钟）",
        raised_at=timezone.now(),
    )


@pytest.fixture
def flag(county: County) -> TraceFlag:
    return raise_flag(east_record(county))


def test_the_director_clears_a_flag_with_a_reason_kept_in_the_trace(
    county: County, flag: TraceFlag
) -> None:
    flags.resolve_flag(
        flag=flag, actor=county.east_director, confirmed=False, reason="经电话回访经营者，检查属实"
    )
    flag.refresh_from_db()
    assert flag.status == "cleared"
    assert flag.resolved_by == county.east_director and flag.resolved_at is not None
    assert flag.resolution == "经电话回访经营者，检查属实"
    event = history(flag).first()
    assert event is not None
    assert event.reason == "经电话回访经营者，检查属实"
    assert event.changes["status"] == ["open", "cleared"]


def test_division_staff_confirm_a_flag(county: County, flag: TraceFlag) -> None:
    flags.resolve_flag(
        flag=flag, actor=county.division_staff, confirmed=True, reason="未到现场，凭电话填写"
    )
    flag.refresh_from_db()
    assert flag.status == "confirmed"


@pytest.mark.parametrize("reason", ["", "   ", "太短了"])
def test_a_reason_of_fewer_than_five_characters_is_refused_and_nothing_written(
    county: County, flag: TraceFlag, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        flags.resolve_flag(flag=flag, actor=county.east_director, confirmed=False, reason=reason)
    assert refused.value.errors[0].field == "reason"
    assert refused.value.errors[0].message == f"请填写核实意见，至少 5 个字：“{reason.strip()}”"
    flag.refresh_from_db()
    assert flag.status == "open" and flag.resolved_by is None and flag.resolution == ""


def test_a_grid_officer_may_not_resolve_a_flag(county: County, flag: TraceFlag) -> None:
    with pytest.raises(NotPermitted) as refused:
        flags.resolve_flag(
            flag=flag, actor=county.east_officer, confirmed=False, reason="本人确在现场检查"
        )
    assert refused.value.message == "您的角色无权执行此操作。"
    flag.refresh_from_db()
    assert flag.status == "open"


def test_another_stations_director_may_not_resolve_a_flag(county: County, flag: TraceFlag) -> None:
    with pytest.raises(NotPermitted) as refused:
        flags.resolve_flag(
            flag=flag, actor=county.west_director, confirmed=False, reason="经核实检查属实"
        )
    assert refused.value.message == "该记录不属于您所在单位的辖区。"
    flag.refresh_from_db()
    assert flag.status == "open"


def test_a_resolved_flag_is_not_resolved_again(county: County, flag: TraceFlag) -> None:
    flags.resolve_flag(flag=flag, actor=county.east_director, confirmed=False, reason="经核实属实")
    with pytest.raises(Conflict) as refused:
        flags.resolve_flag(
            flag=flag, actor=county.division_staff, confirmed=True, reason="复核发现未到现场"
        )
    assert refused.value.message == "痕迹疑点状态为“已排除”，不能改为“属实”"


def test_lists_filter_by_kind_status_unit_officer_and_visit_date(county: County) -> None:
    march = east_record(county, visited_on=dt.date(2026, 3, 2))
    april = east_record(county, visited_on=dt.date(2026, 4, 2))
    raise_flag(march, "short")
    raise_flag(march, "late")
    cleared = raise_flag(april, "far")
    flags.resolve_flag(
        flag=cleared, actor=county.east_director, confirmed=False, reason="定位漂移已核实"
    )
    visible = flags.flags_for(county.east_director)
    assert flags.filter_flags(visible, kind="late").count() == 1
    assert flags.filter_flags(visible, status="open").count() == 2
    assert flags.filter_flags(visible, unit="S-W").count() == 0
    assert flags.filter_flags(visible, officer="east_officer").count() == 3
    assert flags.filter_flags(visible, officer="east_director").count() == 0
    assert flags.filter_flags(visible, date_from=dt.date(2026, 4, 1)).count() == 1
    assert flags.filter_flags(visible, date_to=dt.date(2026, 3, 31)).count() == 2
    assert flags.counts_by_kind(visible) == [
        ("far", "签到位置远离主体", 1),
        ("short", "检查时长过短", 1),
        ("many", "单日检查户数超出可能", 0),
        ("photo", "照片与其他检查重复", 0),
        ("late", "检查后很久才录入", 1),
        ("uniform", "连续多份记录结论完全相同", 0),
        ("latesync", "离线记录很久才同步", 0),
    ]
    assert flags.flags_for(county.west_director).count() == 0
    assert flags.flags_for(county.division_staff).count() == 3


def test_the_sentences_give_the_figures() -> None:
    assert flags.far_details([1_800.0, 820.4], 500) == [
        "签到位置距主体登记位置 1.8 公里（阈值 500 米）",
        "签到位置距主体登记位置 820 米（阈值 500 米）",
    ]
    assert flags.short_details([3.5], 5) == ["现场检查用时 3.5 分钟（阈值 5 分钟）"]
    assert flags.busy_details([dt.date(2026, 3, 2)], [14], 12) == [
        "主查人 2026-03-02 签名现场检查 14 户（阈值每日 12 户）"
    ]
    assert flags.late_details([96.0, 80.25], [False, True], 72) == [
        "检查结束后 96 小时才签名（阈值 72 小时）",
        "检查日结束后 80.2 小时才签名（阈值 72 小时）",
    ]
    assert flags.uniform_details([9], 8) == ["主查人连续 9 份记录全部同一结论且无说明（阈值 8 份）"]
    assert (
        flags.photo_detail(["#1（甲，2026-03-02）"], 1) == "照片与检查记录 #1（甲，2026-03-02）相同"
    )
    assert (
        flags.photo_detail(["#1", "#2", "#3"], 60)
        == "照片与检查记录 #1、#2、#3 等 50 份以上其他记录相同"
    )
