"""Recording and correcting entries, and setting quotas: every bad input refused with its
exact message and nothing written; who may do it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.cases.factories import make_case
from tests.conftest import County
from tests.planning.factories import CampaignFactory
from tests.reports.helpers import west_entity
from tests.reports.ledger.factories import DAY, TODAY, entry_input, record
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.reports.ledger import services
from xiaoneng.reports.ledger.models import LedgerEntry, Quota

pytestmark = pytest.mark.django_db
D = Decimal


def refused(county: County, actor: Any = None, **values: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as error:
        record(county, actor=actor, **values)
    assert LedgerEntry.objects.count() == 0
    return error.value.by_field


def test_a_patrol_day_is_recorded_with_who_and_when(county: County) -> None:
    entry = record(county, other_resources=" 借调社会力量 3 人 ")
    assert (entry.unit, entry.officer, entry.recorded_by) == (
        county.east,
        county.east_officer,
        county.east_director,
    )
    assert (entry.person_hours, entry.money, entry.other_resources) == (
        D("8"),
        D("50"),
        "借调社会力量 3 人",
    )
    assert (
        AuditEvent.objects.filter(
            content_type__model="ledgerentry", object_id=str(entry.pk), action="create"
        ).count()
        == 1
    )


def test_negative_inputs_are_refused(county: County) -> None:
    assert refused(
        county,
        person_hours=D("-1"),
        money=D("-0.01"),
        kilometres=D("-5"),
        vehicles=-1,
    ) == {
        "person_hours": "投入工时不能为负数：-1",
        "money": "经费支出不能为负数：-0.01",
        "kilometres": "行驶里程不能为负数：-5",
        "vehicles": "执法车辆不能为负数：-1",
    }


def test_missing_people_and_hours_are_refused(county: County) -> None:
    assert refused(county, officers=None, person_hours=None, started_on=None, ended_on=None) == {
        "officers": "请填写投入人数",
        "person_hours": "请填写投入工时",
        "started_on": "请填写开始日期",
        "ended_on": "请填写结束日期",
    }
    assert refused(county, officers=0, person_hours=D("0")) == {
        "officers": "投入人数应为不小于 1 的整数：0",
        "person_hours": "投入工时应大于 0",
    }


def test_hours_beyond_people_times_days_times_24_are_refused(county: County) -> None:
    assert refused(county, officers=1, person_hours=D("24.5")) == {
        "person_hours": "投入工时 24.5 超过人数×天数×24 = 1×1×24 = 24"
    }


def test_dates_in_the_future_or_reversed_are_refused(county: County) -> None:
    later = TODAY + dt.timedelta(days=1)
    assert refused(
        county, kind="other", officer=None, title="宣传", started_on=later, ended_on=later
    ) == {
        "started_on": "开始日期不能晚于今天：2026-07-01",
        "ended_on": "结束日期不能晚于今天：2026-07-01",
    }
    assert refused(
        county, kind="other", officer=None, title="宣传", ended_on=DAY - dt.timedelta(days=1)
    ) == {"ended_on": "结束日期 2026-03-01 早于开始日期 2026-03-02"}
    assert refused(county, ended_on=DAY + dt.timedelta(days=1)) == {
        "ended_on": "日常巡查按日登记，结束日期应与开始日期相同"
    }


def test_kilometres_need_a_vehicle_and_money_two_places(county: County) -> None:
    assert refused(county, vehicles=0, kilometres=D("12"), money=D("1.005")) == {
        "kilometres": "有行驶里程须登记至少 1 台执法车辆",
        "money": "经费支出以元计，最多两位小数：1.005",
    }


def test_the_activity_must_fit_the_kind(county: County) -> None:
    campaign = CampaignFactory(unit=county.division)
    assert refused(county, campaign=campaign) == {"campaign": "日常巡查不应关联专项整治"}
    assert refused(county, kind="campaign") == {
        "campaign": "专项整治须选择所属专项整治",
        "officer": "专项整治不应关联巡查人员",
    }
    assert refused(county, kind="case", officer=None) == {"case": "案件查办须选择案件"}
    assert refused(county, kind="other", officer=None) == {"title": "其他工作须填写工作名称"}
    assert refused(county, kind="fishing") == {"kind": "未知的工作类型：fishing"}


def test_the_activity_must_be_the_units(county: County) -> None:
    assert refused(county, officer=county.west_officer) == {
        "officer": f"巡查人员不属于投入单位：{county.west_officer}"
    }
    campaign = CampaignFactory(unit=county.division, start_on=dt.date(2026, 3, 5))
    assert refused(county, kind="campaign", officer=None, campaign=campaign) == {
        "campaign": "该单位未参加此专项整治：城东所",
        "started_on": "开始日期早于专项整治开始日期 2026-03-05",
    }
    case = make_case(entity=west_entity(county), status="filed", handler=county.west_officer)
    assert refused(county, kind="case", officer=None, case=case) == {
        "case": f"案件不属于投入单位：{case.number}"
    }


def test_a_duplicate_activity_is_a_conflict(county: County) -> None:
    first = record(county)
    with pytest.raises(Conflict) as error:
        record(county, person_hours=D("4"))
    assert error.value.message == f"该工作已登记资源消耗（台帐 #{first.pk}）"
    assert LedgerEntry.objects.count() == 1


def test_another_units_entry_and_a_role_without_the_capability_are_refused(
    county: County,
) -> None:
    with pytest.raises(NotPermitted) as error:
        record(county, actor=county.west_director)
    assert error.value.message == "该记录不属于您所在单位的辖区。"
    with pytest.raises(NotPermitted) as error:
        record(county, actor=county.east_officer)
    assert error.value.message == "您的角色无权执行此操作。"
    assert LedgerEntry.objects.count() == 0


def test_a_correction_needs_a_reason_and_keeps_the_trace(county: County) -> None:
    entry = record(county)
    data = entry_input(county, person_hours=D("6.5"))
    with pytest.raises(InvalidInput) as error:
        services.edit_entry(
            entry=entry, data=data, reason=" ", actor=county.east_director, today=TODAY
        )
    assert error.value.by_field == {"reason": "请填写更正理由"}
    bad = entry_input(county, money=D("-3"))
    with pytest.raises(InvalidInput):
        services.edit_entry(
            entry=entry, data=bad, reason="更正", actor=county.east_director, today=TODAY
        )
    entry.refresh_from_db()
    assert entry.person_hours == D("8") and entry.money == D("50")
    services.edit_entry(
        entry=entry, data=data, reason="工时登记有误", actor=county.east_director, today=TODAY
    )
    entry.refresh_from_db()
    assert entry.person_hours == D("6.5")
    changes = AuditEvent.objects.filter(
        content_type__model="ledgerentry", object_id=str(entry.pk), action="update"
    )
    assert any(e.changes.get("person_hours") == ["8.0", "6.5"] for e in changes)
    assert any(e.reason == "工时登记有误" for e in changes)


def test_quotas_are_checked_and_replaced(county: County) -> None:
    with pytest.raises(InvalidInput) as error:
        services.set_quota(
            year=1999,
            kind="nope",
            unit_kind="grid",
            limits={"money_per_inspection": D("-1")},
            actor=county.admin,
        )
    assert error.value.by_field == {
        "year": "年度应在 2000 至 2100 之间：1999",
        "kind": "未知的工作类型：nope",
        "unit_kind": "未知的单位类型：grid",
        "money_per_inspection": "定额应大于 0：-1",
    }
    with pytest.raises(InvalidInput) as error:
        services.set_quota(year=2026, kind="campaign", limits={}, actor=county.admin)
    assert error.value.by_field == {"": "请至少填写一项定额"}
    with pytest.raises(NotPermitted):
        services.set_quota(
            year=2026, kind="campaign", limits={"money_per_activity": D(1)}, actor=county.leader
        )
    assert Quota.objects.count() == 0
    services.set_quota(
        year=2026, kind="campaign", limits={"money_per_activity": D(5)}, actor=county.admin
    )
    services.set_quota(
        year=2026, kind="campaign", limits={"money_per_activity": D(9)}, actor=county.admin
    )
    assert list(Quota.objects.values_list("money_per_activity", flat=True)) == [D("9.00")]
