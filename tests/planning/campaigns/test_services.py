"""Campaigns (专项整治): population, tasks, statistics from completed tasks; joint visits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.planning.patrol.test_schedule import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    expected,
)
from tests.planning.patrol.test_services import BEFORE_OCTOBER, due_east, october
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.campaigns import services as campaigns
from xiaoneng.planning.campaigns.services import CampaignInput, create_campaign
from xiaoneng.planning.patrol.models import Campaign, Plan, Task, Visit
from xiaoneng.planning.patrol.tasks import complete_task, visits_saved
from xiaoneng.registry.models import Entity

D = dt.date


def ad_campaign(**changes: Any) -> CampaignInput:
    values: dict[str, Any] = {
        "title": "五类重点广告专项整治行动",
        "theme": "theme",
        "checkpoints": "药品、医疗服务、保健食品等广告是否备案，内容是否虚假",
        "start_on": D(2026, 10, 1),
        "end_on": D(2026, 10, 31),
        "filters": {"industry": "H62"},
    }
    values.update(changes)
    return CampaignInput(**values)


def start(county: County, data: CampaignInput | None = None, **options: Any) -> Campaign:
    options.setdefault("today", BEFORE_OCTOBER)
    options.setdefault("actor", county.division_staff)
    return create_campaign(data=data or ad_campaign(), **options)


def test_campaign_tasks_go_to_the_grid_officers_within_the_campaign(county: County) -> None:
    food = [east_entity(county, registered_on=D(2026, 1, 5)) for _ in range(3)]
    lon, lat = county.east_point()
    make_entity(longitude=lon, latitude=lat, industry="F5211")  # not food: not in the population
    campaign = start(county)
    tasks = Task.objects.filter(plan=campaign.plan)
    assert sorted(tasks.values_list("entity_id", flat=True)) == [e.pk for e in food]
    assert {t.officer for t in tasks} == {county.east_officer}
    assert all(D(2026, 10, 8) <= t.scheduled_on <= D(2026, 10, 30) for t in tasks)
    task = tasks.first()
    assert task is not None
    assert task.description == "专项整治：五类重点广告专项整治行动"
    assert task.standard == "药品、医疗服务、保健食品等广告是否备案，内容是否虚假"
    assert task.responsibility.endswith("对检查结果负责，信用监管科督办")
    assert campaign.plan.kind == Plan.Kind.CAMPAIGN and campaign.unit == county.division
    assert campaign.population == {"filters": {"industry": "H62"}}


def test_a_list_of_usccs_chooses_the_population(county: County) -> None:
    chosen = [east_entity(county) for _ in range(2)]
    east_entity(county)
    text = ["统一社会信用代码", *(f"{e.uscc.lower()}, 备注" for e in chosen), ""]
    campaign = start(county, ad_campaign(filters=None, usccs=text, theme="list"))
    assert set(Task.objects.filter(plan=campaign.plan).values_list("entity_id", flat=True)) == {
        e.pk for e in chosen
    }
    assert campaign.population == {"usccs": [e.uscc for e in chosen]}


def test_a_campaign_with_partners_is_a_joint_plan(county: County) -> None:
    east_entity(county)
    campaign = start(county, ad_campaign(partners="县卫健委、县教育局"))
    assert campaign.plan.kind == Plan.Kind.JOINT


def test_statistics_add_up_the_results_recorded_on_completed_tasks(county: County) -> None:
    for _ in range(4):
        east_entity(county)
    campaign = start(county)
    tasks = list(Task.objects.filter(plan=campaign.plan).order_by("id"))
    results: list[dict[str, Any]] = [
        {
            "note": "发现未备案的保健食品广告",
            "violation_found": True,
            "notices_issued": 2,
            "items_confiscated": "违法印刷品广告",
            "items_confiscated_quantity": 300,
            "items_confiscated_measure": "份",
        },
        {
            "note": "广告内容夸大疗效，责令停止发布",
            "violation_found": True,
            "notices_issued": 1,
            "items_confiscated": "宣传单",
            "items_confiscated_quantity": 200,
            "items_confiscated_measure": "份",
        },
        {
            "note": "没收保健食品",
            "items_confiscated": "保健食品",
            "items_confiscated_quantity": 6,
            "items_confiscated_measure": "千克",
        },
    ]
    for task, result in zip(tasks, results, strict=False):
        complete_task(task=task, officer=county.east_officer, done_on=D(2026, 10, 20), **result)
    stats = campaigns.statistics(campaign, today=D(2026, 10, 25))
    assert (stats.tasks, stats.checked, stats.violations, stats.notices) == (4, 3, 2, 3)
    # 份 and 千克 are added up apart, never into one number.
    assert stats.confiscated == [campaigns.Amount(500, "份"), campaigns.Amount(6, "千克")]
    assert stats.planned == 1 and stats.progress == 75
    assert stats.by_unit == [
        {
            "unit_id": county.east.pk,
            "unit": "城东所",
            "tasks": 4,
            "checked": 3,
            "violations": 2,
            "notices": 3,
            "confiscated": [campaigns.Amount(500, "份"), campaigns.Amount(6, "千克")],
        }
    ]
    assert [t.items_confiscated for t in campaigns.confiscations(campaign)] == [
        "保健食品",
        "宣传单",
        "违法印刷品广告",
    ]


def test_status_follows_the_dates(county: County) -> None:
    east_entity(county)
    campaign = start(county)
    assert campaigns.status(campaign, D(2026, 9, 30)) == "未开始"
    assert campaigns.status(campaign, D(2026, 10, 31)) == "进行中"
    assert campaigns.status(campaign, D(2026, 11, 1)) == "已结束"


def test_joint_visits_merge_a_patrol_and_a_campaign_task_and_count_the_saving(
    county: County,
) -> None:
    both = due_east(county, 2)
    report = october()
    patrol = {t.entity_id: t for t in Task.objects.filter(plan_id=report.plan_id)}
    campaign = start(county, ad_campaign(filters=None, usccs=[e.uscc for e in both]))
    assert Visit.objects.count() == 2
    for entity in both:
        visit = Visit.objects.get(entity=entity)
        tasks = Task.objects.filter(visit=visit)
        assert tasks.count() == 2
        assert {t.scheduled_on for t in tasks} == {patrol[entity.pk].scheduled_on}
        assert visit.leader == county.east_officer and visit.period == "2026-10"
    assert visits_saved(Task.objects.filter(plan=campaign.plan)) == 2
    assert visits_saved(Task.objects.filter(plan_id=report.plan_id)) == 2
    again = october()
    assert again.visits_saved == 2 and Visit.objects.count() == 2


def test_campaign_overflow_rides_along_on_a_patrol_visit(county: County) -> None:
    both = due_east(county, 1, credit_grade="A")  # grade A: the campaign's last in line
    october(capacity=1)
    others = [east_entity(county) for _ in range(17)]  # fill the officer's other 17 days
    campaign = start(
        county,
        ad_campaign(filters=None, usccs=[e.uscc for e in [*others, *both]], capacity=1),
    )
    task = Task.objects.get(plan=campaign.plan, entity=both[0])
    assert AuditEvent.objects.filter(
        object_id=str(task.pk), changes__status=["overflow", "planned"]
    ).exists()
    assert task.status == Task.Status.PLANNED and task.visit is not None
    assert task.scheduled_on == D(2026, 10, 8)
    assert task.officer == county.east_officer


def _error(call: Any) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value


CASES = [
    ({"title": " "}, "title: 请填写名称"),
    ({"title": "专" * 121}, "title: 名称不能超过 120 个字"),
    ({"theme": "ads"}, "theme: 整治方向应为 industry、area、theme 或 list：ads"),
    ({"checkpoints": ""}, "checkpoints: 请填写检查要点"),
    ({"start_on": None}, "start_on: 请填写开始日期（YYYY-MM-DD）"),
    ({"end_on": D(2026, 9, 30)}, "end_on: 结束日期不能早于开始日期"),
    (
        {"start_on": D(2026, 8, 1), "end_on": D(2026, 9, 1)},
        "end_on: 结束日期不能早于今天：2026-09-01",
    ),
    ({"end_on": D(2027, 10, 2)}, "end_on: 整治期限不能超过一年"),
    ({"usccs": ["x"]}, "population: 请设定筛选条件或上传名单（二选一）"),
    ({"filters": None}, "population: 请设定筛选条件或上传名单（二选一）"),
    ({"filters": {"colour": "red"}}, "colour: 未知的筛选条件：colour"),
    ({"filters": {"grid": "G-X"}}, "grid: 未知的网格编号：G-X"),
    ({"filters": {"industry": "Z99"}}, "industry: 未知的行业代码：Z99"),
    ({"filters": {"risk_class": "IV"}}, "risk_class: 风险类别应为 I、II 或 III：IV"),
    ({"filters": {"credit_grade": "E"}}, "credit_grade: 信用等级应为 A、B、C 或 D：E"),
    ({"filters": {"unit": "S-X"}}, "unit: 未知的单位代码：S-X"),
    ({"filters": {"industry": ""}}, "filters: 请至少设定一个筛选条件，或上传名单"),
    ({"filters": {"risk_class": "III"}}, "population: 对象范围内没有在营市场主体"),
    ({"filters": None, "usccs": []}, "usccs: 名单中没有统一社会信用代码"),
    (
        {"filters": None, "usccs": ["91654002MA0000000X"]},
        "usccs: 统一社会信用代码无效：91654002MA0000000X",
    ),
    ({"capacity": 0}, "capacity: 每人每日上限应为 1 至 50 之间的整数：0"),
]


@pytest.mark.parametrize(("changes", "message"), CASES)
def test_bad_campaign_input_is_refused_with_the_message_and_nothing_written(
    county: County, changes: dict[str, Any], message: str
) -> None:
    east_entity(county)
    events = AuditEvent.objects.count()
    error = _error(lambda: start(county, ad_campaign(**changes)))
    assert error.message == expected(message)
    assert not Campaign.objects.exists() and not Plan.objects.exists()
    assert not Task.objects.exists() and AuditEvent.objects.count() == events


def test_a_list_with_a_repeated_or_unknown_or_hidden_code_is_refused(county: County) -> None:
    east = east_entity(county)
    lon, lat = county.west_point()
    west = make_entity(longitude=lon, latitude=lat)
    unknown = make_uscc()
    repeated = ad_campaign(filters=None, usccs=[east.uscc, east.uscc])
    assert _error(lambda: start(county, repeated)).message == (
        f"usccs: 名单中重复的代码：{east.uscc}"
    )
    missing = ad_campaign(filters=None, usccs=[east.uscc, unknown])
    assert _error(lambda: start(county, missing)).message == (
        f"usccs: 以下主体不在您辖区的在营市场主体中：{unknown}"
    )
    Entity.objects.filter(pk=east.pk).update(status=Entity.Status.DEREGISTERED)
    closed = ad_campaign(filters=None, usccs=[east.uscc, west.uscc])
    assert east.uscc in _error(lambda: start(county, closed)).message
    assert not Campaign.objects.exists()


def test_a_duplicate_campaign_is_refused(county: County) -> None:
    east_entity(county)
    start(county)
    error = _error(lambda: start(county))
    assert error.message == "已有同名专项整治：五类重点广告专项整治行动（2026-10-01 开始）"
    assert Campaign.objects.count() == 1


def test_only_division_staff_and_leaders_start_campaigns(county: County) -> None:
    east_entity(county)
    for who in (county.east_director, county.east_officer, county.admin):
        assert _error(lambda w=who: start(county, actor=w)).message == "您的角色无权执行此操作。"
    assert start(county, actor=county.leader).unit == county.bureau


def test_input_dataclass_fields_are_what_the_api_and_form_fill() -> None:
    names = {f.name for f in dataclasses.fields(CampaignInput)}
    assert {"title", "theme", "checkpoints", "start_on", "end_on", "filters", "usccs"} <= names
