"""The demo county's campaigns (专项整治): a finished ad campaign (篇1), a school-food campaign
in progress with partners, and next month's holiday-market checks made by the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xiaoneng.core.calendar import CalendarUnknown
from xiaoneng.demo.days import dates, local_moment, month_start
from xiaoneng.demo.geography import REGION_CODE
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.planning.workdays import Workdays
from xiaoneng.demo.planning.writer import (
    VIOLATIONS,
    PlanWriter,
    TaskTexts,
    responsible_officers,
    write_tasks,
)
from xiaoneng.org.models import Unit
from xiaoneng.planning.campaigns.services import CampaignInput, create_campaign
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import period_of
from xiaoneng.registry.models import Entity
from xiaoneng.registry.queries import industry_codes

AD_VIOLATIONS = (
    ("发布未经备案的保健食品广告，责令停止发布。", "违法印刷品广告", "份", (50, 600)),
    ("医疗广告含有保证治愈的表述，责令停止发布。", "违法印刷品广告", "份", (100, 800)),
    ("药品广告未标明禁忌和不良反应，责令改正。", "", "", (0, 0)),
    ("户外广告含有“最佳”“第一”等绝对化用语，责令撤除。", "违法户外广告牌", "块", (1, 4)),
)
AD_INDUSTRIES = ("L7259", "L7251", "F5251", "F5225")
SCHOOL_INDUSTRY = "H62"


def _division(code: str, fallback: Unit) -> Unit:
    return Unit.objects.filter(code=f"XN-{REGION_CODE}-{code}").first() or fallback


def _campaign(
    writer: PlanWriter,
    *,
    title: str,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    population: dict[str, Any],
    **fields: Any,
) -> Campaign:
    kind = Plan.Kind.JOINT if fields.get("partners") else Plan.Kind.CAMPAIGN
    plan_id = writer.plans([(period_of(start), unit.pk, title)], kind=kind)[
        (period_of(start), unit.pk)
    ]
    campaign = Campaign.objects.create(
        title=title,
        unit=unit,
        start_on=start,
        end_on=end,
        population=population,
        plan_id=plan_id,
        **fields,
    )
    Campaign.objects.filter(pk=campaign.pk).update(created_at=local_moment(start, 8))
    return campaign


def _registered_before(register: schedule.Register, start: dt.date) -> schedule.Register:
    """The entities a campaign starting on ``start`` could list: those in the register then."""
    return register.take(np.flatnonzero(register.registered < schedule.day_number(start)))


def _campaign_tasks(
    writer: PlanWriter,
    campaign: Campaign,
    register: schedule.Register,
    day: np.ndarray,
    status: np.ndarray,
    reason: list[str],
    violations: tuple[Any, ...],
    rate: float,
    names: dict[int, str],
) -> None:
    officer = responsible_officers(writer, register.grid_id, register.unit_id)
    placed = day >= 0
    officer = np.where(placed, officer, 0)
    done = status == Task.Status.DONE
    results = writer.results(done, violations, rate, register.entity_id)
    for i, s in enumerate(status.tolist()):
        if s != Task.Status.DONE and s != Task.Status.CANCELLED:
            results["note"][i] = ""
    texts = TaskTexts(writer)
    days = dates(day)
    fallback = period_of(campaign.start_on)
    lead = campaign.unit.name
    columns: dict[str, Any] = {
        "plan_id": [campaign.plan_id] * len(register),
        "entity_id": register.entity_id.tolist(),
        "unit_id": register.unit_id.tolist(),
        "period": [period_of(d) if d else fallback for d in days],
        "grid_id": register.grid_id.tolist(),
        "post": [
            texts.post(o, g) if o else ""
            for o, g in zip(officer.tolist(), register.grid_id.tolist(), strict=True)
        ],
        "officer_id": [o or None for o in officer.tolist()],
        "description": [f"专项整治：{campaign.title}"] * len(register),
        "standard": [campaign.checkpoints] * len(register),
        "responsibility": [
            texts.campaign_duty(o, s, lead)
            for o, s in zip(officer.tolist(), register.unit_id.tolist(), strict=True)
        ],
        "due_on": [campaign.end_on] * len(register),
        "scheduled_on": days,
        "status": status.tolist(),
        "overflow_reason": reason,
        "done_on": [d if ok else None for d, ok in zip(days, done.tolist(), strict=True)],
        "done_by_id": [
            o if ok else None for o, ok in zip(officer.tolist(), done.tolist(), strict=True)
        ],
        **results,
    }
    columns["grid_id"] = [g if g >= 0 else None for g in columns["grid_id"]]
    created = [local_moment(campaign.start_on, 8)] * len(register)
    write_tasks(columns, [names[e] for e in columns["entity_id"]], created)


def build_campaigns(
    writer: PlanWriter, workdays: Workdays, organisation: Organisation, names: dict[int, str]
) -> list[Campaign]:
    """A finished ad campaign (篇1), a school-food campaign in progress with partners, and next
    month's holiday-market checks started through the service itself."""
    today, rng = writer.today, writer.rng
    bureau = organisation.bureau
    made = []
    ads = Entity.objects.operating().filter(industry_id__in=AD_INDUSTRIES, grid__isnull=False)
    start = month_start(today, 4)
    register = _registered_before(schedule.load_register(ads), start)
    if len(register):
        keep = np.sort(rng.choice(len(register), min(len(register), 600), replace=False))
        register = register.take(keep)
        end = start + dt.timedelta(days=44)
        days = workdays.between(start, end)
        usccs = list(
            Entity.objects.filter(pk__in=register.entity_id.tolist())
            .order_by("pk")
            .values_list("uscc", flat=True)
        )
        campaign = _campaign(
            writer,
            title="五类重点广告专项整治行动",
            unit=_division("K02", bureau),
            start=start,
            end=end,
            population={"usccs": usccs},
            theme=Campaign.Theme.THEME,
            checkpoints="药品、医疗服务、医疗器械、保健食品、特殊化妆品广告是否经审查备案，"
            "内容是否虚假夸大",
            description="篇1：对 5 类特殊商品（服务）广告集中整治，"
            "检查广告经营单位和发布者，查处违法广告。",
        )
        day = (
            np.array(
                [
                    schedule.day_number(d)
                    for d in rng.choice(np.array(days, dtype=object), len(register))
                ],
                dtype=np.int64,
            )
            if days
            else np.full(len(register), -1)
        )
        status = np.where(rng.random(len(register)) < 0.97, Task.Status.DONE, Task.Status.CANCELLED)
        _campaign_tasks(
            writer,
            campaign,
            register,
            day,
            status,
            [""] * len(register),
            AD_VIOLATIONS,
            0.22,
            names,
        )
        made.append(campaign)
    food = Entity.objects.operating().filter(
        industry_id__in=industry_codes(SCHOOL_INDUSTRY), hot_industry=True, grid__isnull=False
    )
    start = today - dt.timedelta(days=20)
    register = _registered_before(schedule.load_register(food), start)
    if len(register):
        end = month_start(today, -2) - dt.timedelta(days=1)
        campaign = _campaign(
            writer,
            title="校园周边食品安全专项整治",
            unit=_division("K04", bureau),
            start=start,
            end=end,
            population={"filters": {"industry": SCHOOL_INDUSTRY, "hot_industry": True}},
            theme=Campaign.Theme.AREA,
            partners="县教育局、县卫健委",
            checkpoints="食品经营许可证有效、从业人员健康证明、进货查验记录、无“三无”和过期食品",
            description="开学季校园周边 200 米内餐饮服务单位集中检查，与日常巡查合并上门。",
        )
        days = workdays.between(start, end)
        officer = responsible_officers(writer, register.grid_id, register.unit_id)
        placement = assign.place(
            np.where(officer > 0, officer, -1), register.grid_id, days, assign.default_capacity()
        )
        day = np.array(
            [schedule.day_number(days[i]) if i >= 0 else -1 for i in placement.day.tolist()],
            dtype=np.int64,
        )
        past = (day >= 0) & (day < schedule.day_number(today))
        status = np.where(day < 0, Task.Status.OVERFLOW, Task.Status.PLANNED)
        status = np.where(past & (rng.random(len(register)) < 0.9), Task.Status.DONE, status)
        _campaign_tasks(
            writer, campaign, register, day, status, placement.reason, VIOLATIONS, 0.06, names
        )
        made.append(campaign)
    holiday = _holiday_markets(writer, organisation)
    return made + ([holiday] if holiday else [])


def _holiday_markets(writer: PlanWriter, organisation: Organisation) -> Campaign | None:
    """Next month's checks of food shops, by list, through ``create_campaign``."""
    shops = Entity.objects.operating().filter(
        industry_id__in=("F5212", "F5213"), risk_class="I", grid__isnull=False
    )
    codes = list(shops.order_by("pk").values_list("uscc", flat=True))
    if not codes:
        return None
    chosen = writer.rng.choice(len(codes), min(len(codes), 300), replace=False)
    first = month_start(writer.today, -1)
    data = CampaignInput(
        title=f"{first.year + (first.month == 12)} 年元旦春节节日市场食品安全检查"
        if first.month in (12, 1)
        else f"{first:%Y 年 %-m 月}节日市场食品安全检查",
        theme=Campaign.Theme.LIST,
        checkpoints="节日热销食品进货查验、保质期、标签标识、散装食品贮存条件",
        start_on=first,
        end_on=month_start(writer.today, -2) - dt.timedelta(days=1),
        description="节前对超市、便利店集中检查；与日常巡查同日上门的，合并为一次联合检查。",
        unit_code=_division("K04", organisation.bureau).code,
        usccs=[codes[i] for i in sorted(chosen.tolist())],
    )
    try:
        return create_campaign(data=data, actor=None, today=writer.today)
    except CalendarUnknown:
        return None
